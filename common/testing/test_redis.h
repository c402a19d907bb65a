// A private redis-server for tests that need to stop and restart Redis.
#pragma once

#include <sys/types.h>
#include <string>

#include "common/redis.h"

namespace tiquete::testing {

class TestRedis {
 public:
  // Port 0 picks a free port; start=false leaves it stopped until Start().
  explicit TestRedis(int port = 0, bool start = true);
  ~TestRedis();
  void Start();
  void Stop();  // SHUTDOWN NOSAVE and wait for exit
  RedisAddress address() const { return {"127.0.0.1", port_}; }
  std::string host_port() const { return "127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return pid_; }  // -1 while stopped

 private:
  int port_;
  std::string dir_;  // keeps the append-only file across Stop()/Start()
  pid_t pid_ = -1;
};

int FreeTcpPort();

}  // namespace tiquete::testing
