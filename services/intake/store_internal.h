// Conversions shared by the store's translation units (not part of the store's interface).
#pragma once

#include <string>
#include <vector>

#include <google/protobuf/timestamp.pb.h>
#include <pqxx/pqxx>

#include "absl/time/time.h"

namespace tiquete::intake::store_internal {

// A timestamptz parameter with microsecond precision (libpqxx 6 has no time conversions).
inline std::string SqlTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6S+00:00", t, absl::UTCTimeZone());
}

// Columns are read as epoch microseconds: SELECT ... AS the alias of kMicros(col).
inline std::string Micros(const std::string& column) {
  return "(extract(epoch from " + column + ") * 1000000)::bigint";
}

inline absl::Time TimeFromMicros(const pqxx::field& f) {
  return absl::FromUnixMicros(f.as<int64_t>());
}

inline void SetTimestamp(absl::Time t, google::protobuf::Timestamp* out) {
  const int64_t micros = absl::ToUnixMicros(t);
  int64_t seconds = micros / 1000000;
  int64_t rem = micros % 1000000;
  if (rem < 0) {
    rem += 1000000;
    --seconds;
  }
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(rem * 1000));
}

inline std::vector<std::string> ParseTextArray(const pqxx::field& f) {
  std::vector<std::string> out;
  if (f.is_null()) return out;
  pqxx::array_parser parser = f.as_array();
  for (auto item = parser.get_next(); item.first != pqxx::array_parser::juncture::done;
       item = parser.get_next()) {
    if (item.first == pqxx::array_parser::juncture::string_value) out.push_back(item.second);
  }
  return out;
}

inline std::string Bytes(const pqxx::field& f) { return pqxx::binarystring(f).str(); }

}  // namespace tiquete::intake::store_internal
