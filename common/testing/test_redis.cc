#include "common/testing/test_redis.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cstdlib>
#include <filesystem>

#include <stdexcept>

#include "absl/time/clock.h"

namespace tiquete::testing {

int FreeTcpPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

TestRedis::TestRedis(int port, bool start) : port_(port ? port : FreeTcpPort()) {
  char dir_template[] = "/tmp/tiq-redis-XXXXXX";
  dir_ = mkdtemp(dir_template);
  if (start) Start();
}

TestRedis::~TestRedis() {
  Stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void TestRedis::Start() {
  const char* server = std::getenv("TIQUETE_TEST_REDIS_SERVER");
  const std::string binary = server && *server ? server : "redis-server";
  const std::string port = std::to_string(port_);
  // Append-only file with fsync on every write: a restart keeps every acknowledged entry, as a
  // production Redis for Tiquete is configured.
  pid_ = fork();
  if (pid_ == 0) {
    // The server must not outlive the test (a crashed test would leave it running), nor keep
    // the test's inherited descriptors open (e.g. a build lock held by the test's parent).
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    close_range(3, ~0U, 0);
    execlp(binary.c_str(), binary.c_str(), "--port", port.c_str(), "--bind", "127.0.0.1", "--save",
           "", "--appendonly", "yes", "--appendfsync", "always", "--dir", dir_.c_str(),
           "--loglevel", "warning", static_cast<char*>(nullptr));
    _exit(127);
  }
  for (int i = 0; i < 200; ++i) {
    auto conn = RedisConnection::Connect(address(), absl::Milliseconds(100));
    if (conn.ok() && (*conn)->Command({"PING"}).ok()) return;
    absl::SleepFor(absl::Milliseconds(25));
  }
  throw std::runtime_error("redis-server did not start on port " + std::to_string(port_) +
                           " (is redis-server installed?)");
}

void TestRedis::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);  // redis-server handles SIGTERM as SHUTDOWN (AOF is already fsynced)
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

}  // namespace tiquete::testing
