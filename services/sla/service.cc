#include "services/sla/service.h"

#include <algorithm>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/errors.h"
#include "common/idempotency.h"
#include "common/log.h"
#include "common/server.h"
#include "services/sla/domain/holidays.h"
#include "services/sla/proto_mapping.h"

namespace tiquete::sla {
namespace {

enum class Access { kAnyAuthenticated, kRead, kManage };

constexpr std::string_view kReadRoles[] = {"agent_l1",    "specialist_l2",    "provider",
                                           "coordinator", "incident_manager", "security_officer",
                                           "admin",       "reporting_viewer", "integration"};

// Support staff (and systems) read clocks by role; anyone else only through a ticket they see.
bool HasReadRole(const Caller& caller) {
  return !caller.system().empty() ||
         std::any_of(std::begin(kReadRoles), std::end(kReadRoles),
                     [&](std::string_view role) { return HasRole(caller, role); });
}

// A provider sees the clocks of its groups' tickets only; every other reading role sees all.
bool GroupRestricted(const Caller& caller) {
  if (!caller.system().empty()) return false;
  for (std::string_view role : kReadRoles) {
    if (role != "provider" && HasRole(caller, role)) return false;
  }
  return true;
}

// Restricted tickets (possible security incidents) are the security team's, as in the incident
// service (where a system caller, too, sees them only with that role), and their requester's.
bool SeesRestricted(const Caller& caller) { return HasRole(caller, "security_officer"); }

bool MayRead(const Caller& caller, const SlaClock& clock) {
  return !GroupRestricted(caller) || InGroup(caller, clock.group_id);
}

absl::StatusOr<Caller> Authorize(const CallerSigner& signer, const grpc::ServerContext& context,
                                 Access access) {
  auto caller = signer.Verify(context);
  if (!caller.ok()) return caller.status();
  if (!caller->system().empty() || access == Access::kAnyAuthenticated) return caller;
  if (access == Access::kManage) {
    if (HasRole(*caller, "admin") || HasRole(*caller, "coordinator")) return caller;
    return Error(absl::StatusCode::kPermissionDenied, "FORBIDDEN",
                 "managing SLA policies and calendars needs the admin or coordinator role");
  }
  if (HasReadRole(*caller)) return caller;
  return Error(absl::StatusCode::kPermissionDenied, "FORBIDDEN",
               "SLA clocks are visible to support staff only");
}

// The first problem names the field and reason clients branch on; the message lists them all.
absl::Status FromProblems(const Problems& problems) {
  if (problems.empty()) return absl::OkStatus();
  std::string message;
  for (const FieldProblem& p : problems) {
    if (!message.empty()) message += "; ";
    absl::StrAppend(&message, p.field, ": ", p.message);
  }
  return Error(absl::StatusCode::kInvalidArgument, problems.front().reason, message,
               problems.front().field);
}

bool IsUuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

absl::Status CheckUuid(const char* field, const std::string& id) {
  if (id.empty()) return InvalidField(field, "REQUIRED", "is required");
  if (!IsUuid(id))
    return InvalidField(field, "INVALID_ID", absl::StrCat("\"", id, "\" is not a valid id"));
  return absl::OkStatus();
}

absl::Status CheckVersion(int64_t version) {
  if (version > 0) return absl::OkStatus();
  return InvalidField("version", "REQUIRED", "is required: send the version you last read");
}

absl::Status CheckOneOf(const char* field, const std::string& value,
                        std::initializer_list<const char*> allowed) {
  for (const char* a : allowed) {
    if (value.empty() || value == a) return absl::OkStatus();
  }
  return InvalidField(field, "INVALID_VALUE",
                      absl::StrCat("\"", value, "\" is not one of ", absl::StrJoin(allowed, ", ")));
}

absl::StatusOr<PolicySpec> PolicyInput(const v1::Policy& in) {
  PolicySpec spec;
  Problems problems = PolicyFromProto(in, &spec);
  if (!spec.calendar_id.empty() && !IsUuid(spec.calendar_id)) {
    problems.push_back({"calendar_id", "INVALID_ID", "is not a valid id"});
  }
  for (FieldProblem& p : ValidatePolicySpec(spec)) problems.push_back(std::move(p));
  if (absl::Status s = FromProblems(problems); !s.ok()) return s;
  return spec;
}

absl::StatusOr<CalendarSpec> CalendarInput(const v1::Calendar& in) {
  CalendarSpec spec;
  Problems problems = CalendarFromProto(in, &spec);
  for (FieldProblem& p : ValidateCalendarSpec(spec)) problems.push_back(std::move(p));
  if (absl::Status s = FromProblems(problems); !s.ok()) return s;
  return spec;
}

template <typename Request>
std::string Fingerprint(const Request& request) {
  Request copy = request;
  copy.clear_idempotency_key();
  return RequestFingerprint(copy);
}

grpc::Status Reply(const absl::Status& status) { return ToGrpcStatus(status); }

}  // namespace

// ---- Clocks ----

absl::Status SlaServiceImpl::ReadableClocks(const Caller& caller,
                                            const std::vector<std::string>& numbers,
                                            google::protobuf::RepeatedPtrField<v1::Clock>* out) {
  const bool staff = HasReadRole(caller);
  std::vector<std::string> wanted;
  if (staff) {
    wanted = numbers;
  } else {
    // Not support staff: a requester sees the clocks of the cases they may see, and the
    // incident service decides which those are (its own, never a restricted one).
    if (incidents_ == nullptr || caller.person_id().empty()) {
      return Error(absl::StatusCode::kPermissionDenied, "FORBIDDEN",
                   "SLA clocks are visible to support staff and to the ticket's requester");
    }
    for (const std::string& number : numbers) {
      absl::Status visible = incidents_->CheckVisibleTo(caller, number);
      if (visible.ok()) {
        wanted.push_back(number);
      } else if (visible.code() != absl::StatusCode::kNotFound) {
        return visible;
      }
    }
  }
  if (wanted.empty()) return absl::OkStatus();
  // Restricted tickets among them: shown to the security team, and to a desk member who is
  // the case's requester (the incident service vouches for it, as for any requester above).
  std::set<std::string> hidden;
  if (staff && !SeesRestricted(caller)) {
    auto restricted = store_.RestrictedAmong(wanted);
    if (!restricted.ok()) return restricted.status();
    for (const std::string& number : *restricted) {
      const bool own = incidents_ != nullptr && !caller.person_id().empty() &&
                       incidents_->CheckVisibleTo(caller, number).ok();
      if (!own) hidden.insert(number);
    }
  }
  auto clocks = store_.ClocksOfTickets(wanted);
  if (!clocks.ok()) return clocks.status();
  auto book = store_.Book();
  if (!book.ok()) return book.status();
  const absl::Time now = clock_.Now();
  for (const SlaClock& c : *clocks) {
    if (hidden.contains(c.ticket)) continue;
    if (staff) {
      if (!MayRead(caller, c)) continue;
      *out->Add() = ClockToProto(c, (*book)->Calendar(c.calendar_id), now);
      continue;
    }
    // The requester view: when they will be answered and when it should be solved, nothing
    // about internal targets, groups or escalation.
    if (c.kind != ClockKind::kResponse && c.kind != ClockKind::kResolution) continue;
    v1::Clock full = ClockToProto(c, (*book)->Calendar(c.calendar_id), now);
    v1::Clock* shown = out->Add();
    shown->set_ticket(full.ticket());
    shown->set_kind(full.kind());
    shown->set_state(full.state());
    shown->set_priority(full.priority());
    if (full.has_due_time()) *shown->mutable_due_time() = full.due_time();
    if (full.has_start_time()) *shown->mutable_start_time() = full.start_time();
    if (full.has_stop_time()) *shown->mutable_stop_time() = full.stop_time();
    shown->set_breached(full.breached());
  }
  return absl::OkStatus();
}

grpc::Status SlaServiceImpl::GetTicketClocks(grpc::ServerContext* context,
                                             const v1::GetTicketClocksRequest* request,
                                             v1::GetTicketClocksResponse* response) {
  log::RequestScope scope(RequestIdOf(*context));
  auto caller = Authorize(signer_, *context, Access::kAnyAuthenticated);
  if (!caller.ok()) return Reply(caller.status());
  if (request->number().empty()) return Reply(InvalidField("number", "REQUIRED", "is required"));
  if (auto s = ReadableClocks(*caller, {request->number()}, response->mutable_clocks()); !s.ok()) {
    return Reply(s);
  }
  if (response->clocks().empty()) return Reply(NotFound("clocks of ticket", request->number()));
  return grpc::Status::OK;
}

grpc::Status SlaServiceImpl::BatchGetTicketClocks(grpc::ServerContext* context,
                                                  const v1::BatchGetTicketClocksRequest* request,
                                                  v1::BatchGetTicketClocksResponse* response) {
  log::RequestScope scope(RequestIdOf(*context));
  auto caller = Authorize(signer_, *context, Access::kAnyAuthenticated);
  if (!caller.ok()) return Reply(caller.status());
  constexpr int kMaxNumbers = 100;
  if (request->numbers().empty()) {
    return Reply(InvalidField("numbers", "REQUIRED", "name at least one ticket"));
  }
  if (request->numbers_size() > kMaxNumbers) {
    return Reply(InvalidField("numbers", "TOO_MANY",
                              absl::StrCat("at most ", kMaxNumbers, " tickets per call")));
  }
  std::vector<std::string> numbers;
  for (const std::string& n : request->numbers()) {
    if (n.empty() || n.size() > 32) {
      return Reply(InvalidField("numbers", "INVALID_VALUE", "is not a ticket number"));
    }
    if (std::find(numbers.begin(), numbers.end(), n) == numbers.end()) numbers.push_back(n);
  }
  return Reply(ReadableClocks(*caller, numbers, response->mutable_clocks()));
}

grpc::Status SlaServiceImpl::ExplainClock(grpc::ServerContext* context,
                                          const v1::ExplainClockRequest* request,
                                          v1::ClockExplanation* response) {
  log::RequestScope scope(RequestIdOf(*context));
  auto caller = Authorize(signer_, *context, Access::kRead);
  if (!caller.ok()) return Reply(caller.status());
  int64_t id = 0;
  if (!absl::SimpleAtoi(request->id(), &id) || id <= 0) {
    return Reply(InvalidField("id", "INVALID_ID", "a clock id is a positive number"));
  }
  auto found = store_.ClockWithSegments(id, SeesRestricted(*caller));
  if (!found.ok()) {
    if (found.status().code() == absl::StatusCode::kNotFound) {
      return Reply(NotFound("clock", request->id()));
    }
    return Reply(found.status());
  }
  const auto& [c, segments] = *found;
  if (!MayRead(*caller, c)) return Reply(NotFound("clock", request->id()));
  auto book = store_.Book();
  if (!book.ok()) return Reply(book.status());
  const BusinessCalendar* cal = (*book)->Calendar(c.calendar_id);
  if (cal == nullptr) {
    return Reply(Error(absl::StatusCode::kFailedPrecondition, "CALENDAR_UNUSABLE",
                       absl::StrCat("calendar ", c.calendar_id, " cannot be loaded")));
  }
  const absl::Time now = clock_.Now();
  *response->mutable_clock() = ClockToProto(c, cal, now);
  for (const ClockSegment& s : segments) *response->add_segments() = SegmentToProto(s, false);
  *response->add_segments() = SegmentToProto(OpenSegment(c, *cal, now), IsLive(c));
  for (std::string& line : sla::ExplainClock(c, segments, *cal, now)) response->add_lines(line);
  return grpc::Status::OK;
}

grpc::Status SlaServiceImpl::ListClocks(grpc::ServerContext* context,
                                        const v1::ListClocksRequest* request,
                                        v1::ListClocksResponse* response) {
  log::RequestScope scope(RequestIdOf(*context));
  auto caller = Authorize(signer_, *context, Access::kRead);
  if (!caller.ok()) return Reply(caller.status());
  for (const absl::Status& s :
       {CheckOneOf("status", request->status(), {"at_risk", "breached", "live"}),
        CheckOneOf("group_level", request->group_level(), {"L1", "L2", "L3"}),
        CheckOneOf("kind", request->kind(), {"response", "resolution", "ola", "uc"})}) {
    if (!s.ok()) return Reply(s);
  }
  ClockQuery q;
  q.status = request->status();
  q.group_id = request->group_id();
  q.group_level = request->group_level();
  q.kind = request->kind();
  q.include_restricted = SeesRestricted(*caller);
  if (GroupRestricted(*caller)) {
    q.only_groups.assign(caller->group_ids().begin(), caller->group_ids().end());
    if (q.only_groups.empty()) return grpc::Status::OK;  // a provider without groups sees none
  }
  const int size = request->page().page_size();
  if (size < 0 || size > 500) {
    return Reply(InvalidField("page.page_size", "INVALID_PAGE_SIZE", "is between 1 and 500"));
  }
  q.limit = (size == 0 ? 50 : size) + 1;  // one more tells whether a next page exists
  if (!request->page().page_token().empty() &&
      !DecodeClockPageToken(request->page().page_token(), &q.after_due, &q.after_id)) {
    return Reply(InvalidField("page.page_token", "INVALID_PAGE_TOKEN", "is not a token we issued"));
  }
  const absl::Time now = clock_.Now();
  auto clocks = store_.ListClocks(q, now);
  if (!clocks.ok()) return Reply(clocks.status());
  auto book = store_.Book();
  if (!book.ok()) return Reply(book.status());
  const size_t page = static_cast<size_t>(q.limit - 1);
  for (size_t i = 0; i < clocks->size() && i < page; ++i) {
    const SlaClock& c = (*clocks)[i];
    *response->add_clocks() = ClockToProto(c, (*book)->Calendar(c.calendar_id), now);
  }
  if (clocks->size() > page) {
    const SlaClock& last = (*clocks)[page - 1];
    response->set_next_page_token(EncodeClockPageToken(last.due_at, last.id));
  }
  return grpc::Status::OK;
}

// ---- Policies ----

grpc::Status SlaServiceImpl::CreatePolicy(grpc::ServerContext* context,
                                          const v1::CreatePolicyRequest* request,
                                          v1::Policy* response) {
  log::RequestScope scope(RequestIdOf(*context));
  auto caller = Authorize(signer_, *context, Access::kManage);
  if (!caller.ok()) return Reply(caller.status());
  auto spec = PolicyInput(request->policy());
  if (!spec.ok()) return Reply(spec.status());
  auto created = store_.CreatePolicy(*spec, request->idempotency_key(), Fingerprint(*request));
  if (!created.ok()) return Reply(created.status());
  *response = PolicyToProto(*created);
  return grpc::Status::OK;
}

grpc::Status SlaServiceImpl::UpdatePolicy(grpc::ServerContext* context,
                                          const v1::UpdatePolicyRequest* request,
                                          v1::Policy* response) {
  log::RequestScope scope(RequestIdOf(*context));
  auto caller = Authorize(signer_, *context, Access::kManage);
  if (!caller.ok()) return Reply(caller.status());
  if (absl::Status s = CheckUuid("id", request->id()); !s.ok()) return Reply(s);
  if (absl::Status s = CheckVersion(request->version()); !s.ok()) return Reply(s);
  auto spec = PolicyInput(request->policy());
  if (!spec.ok()) return Reply(spec.status());
  auto updated = store_.UpdatePolicy(request->id(), request->version(), *spec);
  if (!updated.ok()) return Reply(updated.status());
  *response = PolicyToProto(*updated);
  return grpc::Status::OK;
}

grpc::Status SlaServiceImpl::DeactivatePolicy(grpc::ServerContext* context,
                                              const v1::PolicyLifecycleRequest* request,
                                              v1::Policy* response) {
  log::RequestScope scope(RequestIdOf(*context));
  auto caller = Authorize(signer_, *context, Access::kManage);
  if (!caller.ok()) return Reply(caller.status());
  if (absl::Status s = CheckUuid("id", request->id()); !s.ok()) return Reply(s);
  if (absl::Status s = CheckVersion(request->version()); !s.ok()) return Reply(s);
  auto updated = store_.SetPolicyActive(request->id(), request->version(), false);
  if (!updated.ok()) return Reply(updated.status());
  *response = PolicyToProto(*updated);
  return grpc::Status::OK;
}

grpc::Status SlaServiceImpl::ReactivatePolicy(grpc::ServerContext* context,
                                              const v1::PolicyLifecycleRequest* request,
                                              v1::Policy* response) {
  log::RequestScope scope(RequestIdOf(*context));
  auto caller = Authorize(signer_, *context, Access::kManage);
  if (!caller.ok()) return Reply(caller.status());
  if (absl::Status s = CheckUuid("id", request->id()); !s.ok()) return Reply(s);
  if (absl::Status s = CheckVersion(request->version()); !s.ok()) return Reply(s);
  auto updated = store_.SetPolicyActive(request->id(), request->version(), true);
  if (!updated.ok()) return Reply(updated.status());
  *response = PolicyToProto(*updated);
  return grpc::Status::OK;
}

grpc::Status SlaServiceImpl::GetPolicy(grpc::ServerContext* context,
                                       const v1::GetPolicyRequest* request, v1::Policy* response) {
  log::RequestScope scope(RequestIdOf(*context));
  auto caller = Authorize(signer_, *context, Access::kAnyAuthenticated);
  if (!caller.ok()) return Reply(caller.status());
  if (absl::Status s = CheckUuid("id", request->id()); !s.ok()) return Reply(s);
  auto policy = store_.GetPolicy(request->id());
  if (!policy.ok()) return Reply(policy.status());
  *response = PolicyToProto(*policy);
  return grpc::Status::OK;
}

grpc::Status SlaServiceImpl::ListPolicies(grpc::ServerContext* context,
                                          const v1::ListPoliciesRequest* request,
                                          v1::ListPoliciesResponse* response) {
  log::RequestScope scope(RequestIdOf(*context));
  auto caller = Authorize(signer_, *context, Access::kAnyAuthenticated);
  if (!caller.ok()) return Reply(caller.status());
  if (absl::Status s = CheckOneOf("kind", request->kind(), {"sla", "ola", "uc"}); !s.ok()) {
    return Reply(s);
  }
  auto policies = store_.ListPolicies(request->kind(), request->include_inactive());
  if (!policies.ok()) return Reply(policies.status());
  for (const PolicyRecord& p : *policies) *response->add_policies() = PolicyToProto(p);
  return grpc::Status::OK;
}

// ---- Calendars ----

grpc::Status SlaServiceImpl::CreateCalendar(grpc::ServerContext* context,
                                            const v1::CreateCalendarRequest* request,
                                            v1::Calendar* response) {
  log::RequestScope scope(RequestIdOf(*context));
  auto caller = Authorize(signer_, *context, Access::kManage);
  if (!caller.ok()) return Reply(caller.status());
  auto spec = CalendarInput(request->calendar());
  if (!spec.ok()) return Reply(spec.status());
  auto created = store_.CreateCalendar(*spec, request->idempotency_key(), Fingerprint(*request));
  if (!created.ok()) return Reply(created.status());
  *response = CalendarToProto(*created);
  return grpc::Status::OK;
}

grpc::Status SlaServiceImpl::UpdateCalendar(grpc::ServerContext* context,
                                            const v1::UpdateCalendarRequest* request,
                                            v1::Calendar* response) {
  log::RequestScope scope(RequestIdOf(*context));
  auto caller = Authorize(signer_, *context, Access::kManage);
  if (!caller.ok()) return Reply(caller.status());
  if (absl::Status s = CheckUuid("id", request->id()); !s.ok()) return Reply(s);
  if (absl::Status s = CheckVersion(request->version()); !s.ok()) return Reply(s);
  auto spec = CalendarInput(request->calendar());
  if (!spec.ok()) return Reply(spec.status());
  auto updated = store_.UpdateCalendar(request->id(), request->version(), *spec);
  if (!updated.ok()) return Reply(updated.status());
  *response = CalendarToProto(*updated);
  return grpc::Status::OK;
}

grpc::Status SlaServiceImpl::GetCalendar(grpc::ServerContext* context,
                                         const v1::GetCalendarRequest* request,
                                         v1::Calendar* response) {
  log::RequestScope scope(RequestIdOf(*context));
  auto caller = Authorize(signer_, *context, Access::kAnyAuthenticated);
  if (!caller.ok()) return Reply(caller.status());
  if (absl::Status s = CheckUuid("id", request->id()); !s.ok()) return Reply(s);
  auto calendar = store_.GetCalendar(request->id());
  if (!calendar.ok()) return Reply(calendar.status());
  *response = CalendarToProto(*calendar);
  return grpc::Status::OK;
}

grpc::Status SlaServiceImpl::ListCalendars(grpc::ServerContext* context,
                                           const v1::ListCalendarsRequest* /*request*/,
                                           v1::ListCalendarsResponse* response) {
  log::RequestScope scope(RequestIdOf(*context));
  auto caller = Authorize(signer_, *context, Access::kAnyAuthenticated);
  if (!caller.ok()) return Reply(caller.status());
  auto calendars = store_.ListCalendars();
  if (!calendars.ok()) return Reply(calendars.status());
  for (const CalendarRecord& c : *calendars) *response->add_calendars() = CalendarToProto(c);
  return grpc::Status::OK;
}

grpc::Status SlaServiceImpl::AddClosure(grpc::ServerContext* context,
                                        const v1::AddClosureRequest* request,
                                        v1::Calendar* response) {
  log::RequestScope scope(RequestIdOf(*context));
  auto caller = Authorize(signer_, *context, Access::kManage);
  if (!caller.ok()) return Reply(caller.status());
  if (absl::Status s = CheckUuid("calendar_id", request->calendar_id()); !s.ok()) return Reply(s);
  Closure closure;
  if (absl::Status s = FromProblems(ClosureFromProto(request->closure(), &closure)); !s.ok()) {
    return Reply(s);
  }
  auto updated = store_.AddClosure(request->calendar_id(), closure, request->idempotency_key(),
                                   Fingerprint(*request));
  if (!updated.ok()) return Reply(updated.status());
  *response = CalendarToProto(*updated);
  return grpc::Status::OK;
}

grpc::Status SlaServiceImpl::RemoveClosure(grpc::ServerContext* context,
                                           const v1::RemoveClosureRequest* request,
                                           v1::Calendar* response) {
  log::RequestScope scope(RequestIdOf(*context));
  auto caller = Authorize(signer_, *context, Access::kManage);
  if (!caller.ok()) return Reply(caller.status());
  if (absl::Status s = CheckUuid("calendar_id", request->calendar_id()); !s.ok()) return Reply(s);
  if (absl::Status s = CheckUuid("closure_id", request->closure_id()); !s.ok()) return Reply(s);
  auto updated = store_.RemoveClosure(request->calendar_id(), request->closure_id());
  if (!updated.ok()) return Reply(updated.status());
  *response = CalendarToProto(*updated);
  return grpc::Status::OK;
}

grpc::Status SlaServiceImpl::ListHolidays(grpc::ServerContext* context,
                                          const v1::ListHolidaysRequest* request,
                                          v1::ListHolidaysResponse* response) {
  log::RequestScope scope(RequestIdOf(*context));
  auto caller = Authorize(signer_, *context, Access::kAnyAuthenticated);
  if (!caller.ok()) return Reply(caller.status());
  if (absl::Status s = CheckUuid("calendar_id", request->calendar_id()); !s.ok()) return Reply(s);
  auto calendar = store_.GetCalendar(request->calendar_id());
  if (!calendar.ok()) return Reply(calendar.status());
  absl::TimeZone zone;
  absl::LoadTimeZone(calendar->spec.time_zone, &zone);
  const int year = request->year() != 0
                       ? request->year()
                       : static_cast<int>(absl::ToCivilYear(clock_.Now(), zone).year());
  if (year < 1900 || year > 9999) {
    return Reply(InvalidField("year", "INVALID_YEAR", "is between 1900 and 9999"));
  }
  if (calendar->spec.always_open || !calendar->spec.colombian_holidays) return grpc::Status::OK;
  for (const Holiday& h : ColombianHolidays(year)) {
    auto* out = response->add_holidays();
    out->set_date(absl::FormatCivilTime(h.date));
    out->set_name(h.name);
  }
  return grpc::Status::OK;
}

grpc::Status SlaServiceImpl::AddBusinessTime(grpc::ServerContext* context,
                                             const v1::AddBusinessTimeRequest* request,
                                             v1::AddBusinessTimeResponse* response) {
  log::RequestScope scope(RequestIdOf(*context));
  auto caller = Authorize(signer_, *context, Access::kAnyAuthenticated);
  if (!caller.ok()) return Reply(caller.status());
  if (absl::Status s = CheckUuid("calendar_id", request->calendar_id()); !s.ok()) return Reply(s);
  if (request->minutes() < 0 || request->minutes() > 366LL * 24 * 60) {
    return Reply(InvalidField("minutes", "INVALID_MINUTES", "is between 0 and a year"));
  }
  auto book = store_.Book();
  if (!book.ok()) return Reply(book.status());
  const BusinessCalendar* cal = (*book)->Calendar(request->calendar_id());
  if (cal == nullptr) return Reply(NotFound("calendar", request->calendar_id()));
  const absl::Time start =
      IsSet(request->start_time()) ? FromProtoTime(request->start_time()) : clock_.Now();
  std::vector<std::string> lines;
  const absl::Time due = cal->AddBusinessSeconds(start, request->minutes() * 60, &lines);
  *response->mutable_due_time() = ToProtoTime(due);
  for (std::string& line : lines) response->add_lines(line);
  response->add_lines(absl::StrCat("→ due ", cal->FormatLocal(due)));
  return grpc::Status::OK;
}

}  // namespace tiquete::sla
