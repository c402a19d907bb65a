#include "common/clock.h"

namespace tiquete {

Clock* SystemClock::Get() {
  static SystemClock clock;
  return &clock;
}

}  // namespace tiquete
