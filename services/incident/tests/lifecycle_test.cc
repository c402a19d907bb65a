#include <catch2/catch.hpp>

#include "common/errors.h"
#include "services/incident/domain/audit.h"
#include "services/incident/domain/events.h"
#include "services/incident/domain/lifecycle.h"
#include "services/incident/domain/timestamps.h"
#include "services/incident/domain/validation.h"

using namespace tiquete::incident;  // NOLINT: test

namespace {

const absl::Time kNow = absl::FromUnixSeconds(1767225600);
const char kGroup[] = "10000000-0000-0000-0000-000000000001";
const char kGroup2[] = "10000000-0000-0000-0000-000000000002";
const char kPerson[] = "00000000-0000-0000-0000-0000000000a1";

v1::Incident InProgress() {
  v1::Incident i;
  i.set_state(v1::NEW);
  REQUIRE(ApplyAssign(&i, kGroup, v1::L1, "").ok());
  REQUIRE(ApplyStart(&i, kPerson, kNow).ok());
  return i;
}

}  // namespace

TEST_CASE("assigning a new incident moves it to assigned at the group's level", "[lifecycle]") {
  v1::Incident i;
  i.set_state(v1::NEW);
  REQUIRE(ApplyAssign(&i, kGroup, v1::L2, kPerson).ok());
  CHECK(i.state() == v1::ASSIGNED);
  CHECK(i.level() == v1::L2);
  CHECK(i.assignee_id() == kPerson);
}

TEST_CASE("starting unowned work makes the group member who starts it the assignee",
          "[lifecycle]") {
  v1::Incident i;
  i.set_state(v1::NEW);
  REQUIRE(ApplyAssign(&i, kGroup, v1::L1, "").ok());
  CHECK(ApplyStart(&i, "", kNow).code() == absl::StatusCode::kFailedPrecondition);
  REQUIRE(ApplyStart(&i, kPerson, kNow).ok());
  CHECK(i.assignee_id() == kPerson);
  CHECK(FromProtoTime(i.first_response_at()) == kNow);
}

TEST_CASE("functional escalation moves to another group and never downwards", "[lifecycle]") {
  v1::Incident i = InProgress();
  REQUIRE(ApplyFunctionalEscalation(&i, kGroup2, v1::L2, "").ok());
  CHECK(i.state() == v1::ASSIGNED);
  CHECK(i.level() == v1::L2);
  CHECK(i.assignee_id().empty());
  auto down = ApplyFunctionalEscalation(&i, kGroup, v1::L1, "");
  CHECK(tiquete::ErrorReason(down) == "ESCALATION_DOWNWARD");
  v1::Incident same = InProgress();
  CHECK(tiquete::ErrorReason(ApplyFunctionalEscalation(&same, kGroup, v1::L1, "")) == "SAME_GROUP");
}

TEST_CASE("pending keeps its reason until resumed", "[lifecycle]") {
  v1::Incident i = InProgress();
  CHECK(ApplyPend(&i, v1::PENDING_REASON_UNSPECIFIED).code() == absl::StatusCode::kInvalidArgument);
  REQUIRE(ApplyPend(&i, v1::REQUESTER).ok());
  CHECK(i.pending_reason() == v1::REQUESTER);
  REQUIRE(ApplyResume(&i).ok());
  CHECK(i.state() == v1::IN_PROGRESS);
  CHECK(i.pending_reason() == v1::PENDING_REASON_UNSPECIFIED);
}

TEST_CASE("resolution needs a code and records the level that resolved it", "[lifecycle]") {
  v1::Incident i = InProgress();
  CHECK(tiquete::ErrorField(ApplyResolve(&i, " ", "", kNow)) == "resolution_code");
  REQUIRE(ApplyResolve(&i, "workaround", "restarted the spooler", kNow).ok());
  CHECK(i.state() == v1::RESOLVED);
  CHECK(i.resolved_level() == v1::L1);
  CHECK(FromProtoTime(i.resolved_at()) == kNow);
}

TEST_CASE("reopening within the window counts the reopen and clears the resolution",
          "[lifecycle]") {
  v1::Incident i = InProgress();
  REQUIRE(ApplyResolve(&i, "fixed", "", kNow).ok());
  REQUIRE(ApplyReopen(&i, "still failing", kNow + absl::Hours(24), absl::Hours(168)).ok());
  CHECK(i.state() == v1::IN_PROGRESS);
  CHECK(i.reopen_count() == 1);
  CHECK(i.resolution_code().empty());
  CHECK_FALSE(i.has_resolved_at());
  REQUIRE(ApplyResolve(&i, "fixed", "", kNow).ok());
  CHECK(tiquete::ErrorReason(ApplyReopen(&i, "again", kNow + absl::Hours(169), absl::Hours(168))) ==
        "REOPEN_WINDOW_EXPIRED");
  REQUIRE(ApplyClose(&i, "", kNow).ok());
  CHECK(i.closure_code() == "confirmed");
  CHECK(tiquete::ErrorReason(ApplyReopen(&i, "again", kNow, absl::Hours(168))) ==
        "ILLEGAL_TRANSITION");
}

TEST_CASE("the survey is answered once, with 1 to 5, after resolution", "[lifecycle]") {
  v1::Incident i = InProgress();
  CHECK(tiquete::ErrorReason(ApplySurvey(&i, 5, "", kNow)) == "NOT_RESOLVED");
  REQUIRE(ApplyResolve(&i, "fixed", "", kNow).ok());
  CHECK(tiquete::ErrorReason(ApplySurvey(&i, 6, "", kNow)) == "INVALID_RATING");
  REQUIRE(ApplySurvey(&i, 4, "rápido", kNow).ok());
  CHECK(ApplySurvey(&i, 5, "", kNow).code() == absl::StatusCode::kAlreadyExists);
}

TEST_CASE("an override survives reclassification and choosing the matrix value ends it",
          "[lifecycle]") {
  const PriorityMatrix matrix;
  v1::Incident i;
  i.set_state(v1::NEW);
  ApplyClassification(&i, v1::LOW, v1::LOW, matrix);
  CHECK(i.priority() == v1::P5);
  REQUIRE(ApplyPriorityOverride(&i, v1::P2, "rector cannot work").ok());
  ApplyClassification(&i, v1::MEDIUM, v1::MEDIUM, matrix);
  CHECK(i.priority() == v1::P2);
  CHECK(i.matrix_priority() == v1::P3);
  REQUIRE(ApplyPriorityOverride(&i, v1::P3, "").ok());
  CHECK_FALSE(i.priority_overridden());
  CHECK(i.priority_justification().empty());
}

TEST_CASE("the audit diff names each changed field with old and new values", "[lifecycle]") {
  v1::Incident before = InProgress();
  v1::Incident after = before;
  REQUIRE(ApplyPend(&after, v1::PROVIDER).ok());
  after.set_version(before.version() + 7);  // never audited
  auto changes = DiffIncidents(before, after);
  REQUIRE(changes.size() == 2);
  CHECK(changes[0].field() == "state");
  CHECK(changes[0].old_value() == "IN_PROGRESS");
  CHECK(changes[0].new_value() == "PENDING");
  CHECK(changes[1].field() == "pending_reason");
  CHECK(changes[1].old_value().empty());
  CHECK(changes[1].new_value() == "PROVIDER");
}

TEST_CASE("every write names its event once and adds state and priority changes", "[lifecycle]") {
  v1::Incident before = InProgress();
  v1::Incident after = before;
  REQUIRE(ApplyResolve(&after, "fixed", "", kNow).ok());
  auto events = EventsFor({Change::kResolved}, before, after);
  CHECK(events == std::vector<Change>{Change::kResolved, Change::kStateChanged});
  CHECK(EventsFor({Change::kCreated}, v1::Incident(), after) ==
        std::vector<Change>{Change::kCreated});
  auto event = BuildEvent(Change::kResolved, before, after, {}, {"actor", kNow, "r"});
  CHECK(event.previous_state() == v1::IN_PROGRESS);
  CHECK(event.new_state() == v1::RESOLVED);
  CHECK(event.new_level() == v1::L1);
  CHECK(EventType(Change::kStateChanged) == "incident.incident.state_changed");
}

TEST_CASE("an attachment over the limit is refused with the limit in the message", "[lifecycle]") {
  google::protobuf::RepeatedPtrField<v1::Attachment> files;
  auto* a = files.Add();
  a->set_filename("captura.png");
  a->set_content(std::string(2049, 'x'));
  auto s = NormalizeAttachments("attachments", &files, 2048);
  CHECK(tiquete::ErrorReason(s) == "ATTACHMENT_TOO_LARGE");
  CHECK(std::string(s.message()).find("2048") != std::string::npos);
  a->set_content(std::string(2048, 'x'));
  REQUIRE(NormalizeAttachments("attachments", &files, 2048).ok());
  CHECK(a->size_bytes() == 2048);
  CHECK(a->sha256() == Sha256Hex(std::string(2048, 'x')));
  a->set_sha256(std::string(64, '0'));
  CHECK(tiquete::ErrorReason(NormalizeAttachments("attachments", &files, 2048)) ==
        "SHA256_MISMATCH");
}
