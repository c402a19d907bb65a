// Conversions between the SLA domain and its protobuf messages (API and event payloads), and
// the field-level checks of API input the domain types cannot express (weekday names, "07:00").
#pragma once

#include <string>

#include <google/protobuf/timestamp.pb.h>

#include "absl/time/time.h"
#include "services/sla/domain/calendar.h"
#include "services/sla/domain/clock.h"
#include "services/sla/domain/policy.h"
#include "services/sla/domain/problems.h"
#include "services/sla/store.h"
#include "tiquete/sla/v1/sla.pb.h"

namespace tiquete::sla {

// An unset Timestamp means "never / unknown", as absl's infinite instants do.
google::protobuf::Timestamp ToProtoTime(absl::Time t);
// Whether `t` is an instant, not "never" / "not yet" (absl's infinite instants). Only finite
// times are set on messages: an unset field, not 1970-01-01, is what a client must see.
bool Finite(absl::Time t);
absl::Time FromProtoTime(const google::protobuf::Timestamp& ts);
bool IsSet(const google::protobuf::Timestamp& ts);

// `calendar` may be null (clock read without its calendar: elapsed is the closed part only).
v1::Clock ClockToProto(const SlaClock& clock, const BusinessCalendar* calendar, absl::Time now);
v1::ClockSegment SegmentToProto(const ClockSegment& segment, bool open);

v1::Policy PolicyToProto(const PolicyRecord& record);
// Fills `out` (id, version and active untouched) and reports every problem found.
Problems PolicyFromProto(const v1::Policy& in, PolicySpec* out);

v1::Calendar CalendarToProto(const CalendarRecord& record);
// Closures are not taken from input (AddClosure / RemoveClosure manage them).
Problems CalendarFromProto(const v1::Calendar& in, CalendarSpec* out);
Problems ClosureFromProto(const v1::Closure& in, Closure* out);

// Opaque ListClocks cursor: the last clock's due time and id.
std::string EncodeClockPageToken(absl::Time due, int64_t id);
bool DecodeClockPageToken(const std::string& token, absl::Time* due, int64_t* id);

}  // namespace tiquete::sla
