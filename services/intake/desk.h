// The intake desk: what happens to a submission between the RPC and the incident service.
// It validates and archives the message, classifies it, looks for an open incident it
// duplicates and hands it over (a new incident or a public comment). Each step's result is
// recorded before the next, so a retry (by the client with the same idempotency key, or by the
// background worker) resumes where the last attempt stopped and never opens a second incident.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "services/intake/domain/dedup.h"
#include "services/intake/gateways.h"
#include "services/intake/rule_cache.h"
#include "services/intake/store.h"
#include "tiquete/api/v1/caller.pb.h"
#include "tiquete/intake/v1/intake.pb.h"

namespace tiquete::intake {

struct DeskOptions {
  domain::DedupPolicy dedup;
  // How long one hand-over may run before another process may take the message over.
  absl::Duration lease = absl::Seconds(30);
  // Back-off of the background retry: base doubled per failure, capped.
  absl::Duration retry_base = absl::Seconds(5);
  absl::Duration retry_max = absl::Minutes(10);
  absl::Duration rules_ttl = absl::Seconds(30);
  // A call arriving while another with the same key is handing over waits this long (real
  // time) for the outcome, then gets ABORTED.
  absl::Duration in_flight_wait = absl::Seconds(2);
};

class IntakeDesk {
 public:
  IntakeDesk(IntakeStore& store, IncidentGateway& incidents, DirectoryGateway& directory,
             const Clock& clock, DeskOptions options);

  absl::StatusOr<v1::SubmitTicketResponse> Submit(const api::v1::Caller& caller,
                                                  const v1::SubmitTicketRequest& request);
  absl::StatusOr<v1::SplitDuplicateResponse> Split(const api::v1::Caller& caller,
                                                   const v1::SplitDuplicateRequest& request);

  // desk_queries.cc
  absl::StatusOr<v1::Message> GetMessage(const api::v1::Caller& caller,
                                         const v1::GetMessageRequest& request);
  absl::StatusOr<v1::ListMessagesResponse> ListMessages(const api::v1::Caller& caller,
                                                        const v1::ListMessagesRequest& request);
  absl::StatusOr<v1::ListClassificationRulesResponse> ListRules(
      const api::v1::Caller& caller, const v1::ListClassificationRulesRequest& request);
  absl::StatusOr<v1::ClassificationRule> UpsertRule(
      const api::v1::Caller& caller, const v1::UpsertClassificationRuleRequest& request);
  absl::StatusOr<v1::ClassificationRule> DeleteRule(
      const api::v1::Caller& caller, const v1::DeleteClassificationRuleRequest& request);

  // One tick of the background worker: hands over up to `limit` messages whose hand-over is
  // due, on behalf of whoever submitted each. Returns how many were attempted.
  absl::StatusOr<int> RetryDueHandoffs(int limit);

  const DeskOptions& options() const { return options_; }

 private:
  // Reads the outcome of an archived message's hand-over, or carries it out when it is
  // unfinished and its lease can be taken.
  absl::StatusOr<v1::SubmitTicketResponse> Deliver(const api::v1::Caller& caller,
                                                   const std::string& id);
  // Waits (bounded) for another call's hand-over of the message to finish, taking it over if
  // that call gave up.
  absl::StatusOr<v1::SubmitTicketResponse> AwaitOutcome(const api::v1::Caller& caller,
                                                        const std::string& id);
  // Runs the remaining steps while holding the lease and records the outcome.
  absl::StatusOr<v1::SubmitTicketResponse> RunHandoff(const api::v1::Caller& caller,
                                                      StoredMessage& message);
  // Classifies an unclassified message in memory (`fresh`); Decide records it together with
  // the plan, so a hand-over writes its decision in one transaction.
  absl::Status Classify(const api::v1::Caller& caller, StoredMessage& message,
                        std::optional<domain::Classification>* fresh);
  absl::Status Decide(const api::v1::Caller& caller, StoredMessage& message,
                      const std::optional<domain::Classification>& fresh);
  // Carries out the plan and records the outcome. True when this call recorded it (and
  // `message` now shows it); false when a concurrent hand-over had recorded it first.
  absl::StatusOr<bool> Execute(const api::v1::Caller& caller, StoredMessage& message);

  IntakeStore& store_;
  IncidentGateway& incidents_;
  DirectoryGateway& directory_;
  const Clock& clock_;
  DeskOptions options_;
  RuleCache rules_;
};

// The response a message's hand-over produced (as first produced, also after a split), or the
// error it was rejected with; nullopt while it is still to be handed over.
std::optional<absl::StatusOr<v1::SubmitTicketResponse>> OutcomeOf(const StoredMessage& message);

}  // namespace tiquete::intake
