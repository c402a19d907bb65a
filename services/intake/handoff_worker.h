// The background hand-over retry: messages archived while the incident (or directory) service
// was unreachable are handed over once it is back, so nothing submitted is lost.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "absl/time/time.h"
#include "services/intake/desk.h"

namespace tiquete::intake {

class HandoffRetrier {
 public:
  HandoffRetrier(IntakeDesk& desk, absl::Duration interval, int batch)
      : desk_(desk), interval_(interval), batch_(batch) {}
  ~HandoffRetrier() { Stop(); }
  HandoffRetrier(const HandoffRetrier&) = delete;
  HandoffRetrier& operator=(const HandoffRetrier&) = delete;

  void Start();
  void Stop();  // waits for the current tick to finish

 private:
  void Run();

  IntakeDesk& desk_;
  absl::Duration interval_;
  int batch_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace tiquete::intake
