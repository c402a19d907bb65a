// Local-time helpers for SLA tests: instants written as Bogotá wall-clock times.
#pragma once

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace tiquete::sla::testing {

inline absl::TimeZone Bogota() {
  absl::TimeZone tz;
  absl::LoadTimeZone("America/Bogota", &tz);
  return tz;
}

inline absl::Time Local(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), Bogota());
}

}  // namespace tiquete::sla::testing
