// Intake's persistence: the only code that speaks SQL. Every change runs in one transaction
// through PgPool::Transact together with its outbox event (and idempotency record), so a
// change and its event are committed or rolled back together. Times come from the caller's
// Clock, never from the database, so tests control them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/migrations.h"
#include "common/pg.h"
#include "services/intake/domain/classification.h"
#include "services/intake/domain/dedup.h"
#include "services/intake/domain/page_token.h"
#include "tiquete/api/v1/caller.pb.h"
#include "tiquete/intake/v1/intake.pb.h"

namespace tiquete::intake {

// Intake's schema migrations (generated from migrations/*.sql).
const std::vector<Migration>& Migrations();

// A client idempotency key as claimed in the common idempotency_keys table.
struct KeyClaim {
  std::string scope;
  std::string key;
  std::string fingerprint;
};

struct NewMessage {
  v1::Channel channel = v1::CHANNEL_UNSPECIFIED;
  std::string requester_id;
  std::string submitted_by;
  api::v1::Caller caller;
  std::string subject;
  std::string body;
  std::string category_id;
  std::string service_id;
  std::vector<std::string> ci_ids;
  v1::Level impact = v1::LEVEL_UNSPECIFIED;
  v1::Level urgency = v1::LEVEL_UNSPECIFIED;
  std::string external_ref;
  std::string raw;
  std::string normalized_text;
  std::string dedup_text;
  absl::Time received_at;
  std::vector<v1::Attachment> attachments;  // sha256 and size_bytes filled in
};

enum class Plan { kNone, kCreate, kComment };

// A message as stored, with the bookkeeping the hand-over needs beside the API view.
struct StoredMessage {
  v1::Message message;  // raw, attachment contents and links only when loaded with content
  api::v1::Caller caller;
  absl::Time received_at;
  bool classified = false;
  std::string security_reason;
  Plan plan = Plan::kNone;
  std::string plan_incident;
  double plan_similarity = 0;
  int last_error_code = 0;  // absl::StatusCode of the last failure, 0 when none
  std::string last_error_field;
};

struct MessageFilter {
  std::string requester_id;
  v1::Channel channel = v1::CHANNEL_UNSPECIFIED;
  std::string incident_number;
  std::optional<absl::Time> received_after;
  std::optional<absl::Time> received_before;
  v1::MessageStatus status = v1::MESSAGE_STATUS_UNSPECIFIED;
  bool include_security = false;  // possible security incidents are left out unless set
};

struct MessagePage {
  std::vector<v1::Message> messages;
  std::optional<domain::MessageCursor> next;  // set when more may follow
};

class IntakeStore {
 public:
  explicit IntakeStore(PgPool& pool) : pool_(pool) {}

  struct Archived {
    std::string message_id;
    bool existed = false;  // the key was used before: message_id is the first call's message
    // When !existed: the message as Load(message_id, true) would read it back, so the caller
    // that holds its lease can hand it over without another round trip.
    StoredMessage stored;
  };
  // Claims the client's key and archives the message with its attachments, leased to the
  // caller until lease_until, and appends intake.message.received. A key already used for the
  // same request returns the first message and writes nothing.
  absl::StatusOr<Archived> Archive(const KeyClaim& key, const NewMessage& message,
                                   absl::Time lease_until);

  // NOT_FOUND when absent. with_content adds raw, attachment contents and links.
  absl::StatusOr<StoredMessage> Load(const std::string& id, bool with_content);

  // Takes the hand-over lease when nobody holds it (or it expired); false when taken.
  absl::StatusOr<bool> TryLease(const std::string& id, absl::Time now, absl::Time until);
  absl::Status ReleaseLease(const std::string& id);

  // The first classification sticks: a retry never reclassifies.
  absl::Status RecordClassification(const std::string& id, const domain::Classification& c);
  // Records the decision unless one exists; `replace` overrides it (a comment target that no
  // longer accepts comments falls back to creating an incident).
  absl::Status RecordPlan(const std::string& id, Plan plan, const std::string& incident,
                          double similarity, bool replace);
  // RecordClassification (when `c` is set) and RecordPlan(…, replace = false) in one
  // transaction: both or neither.
  absl::Status RecordDecision(const std::string& id, const domain::Classification* c, Plan plan,
                              const std::string& incident, double similarity);

  // Messages of the requester received in [from, to], linked to an incident, other than
  // exclude_id, whose dedup_text has a trigram similarity of at least `threshold` with
  // dedup_text; most similar first.
  absl::StatusOr<std::vector<domain::DuplicateCandidate>> FindDuplicateCandidates(
      const std::string& requester_id, const std::string& dedup_text, const std::string& exclude_id,
      absl::Time from, absl::Time to, double threshold, int limit);

  // Outcomes of a hand-over; each applies once (a concurrent repeat is a no-op: false) and
  // releases the lease. They append intake.message.handed_off /
  // intake.message.duplicate_detected.
  absl::StatusOr<bool> RecordIncidentCreated(const std::string& id, const std::string& number,
                                             absl::Time now);
  absl::StatusOr<bool> RecordDuplicate(const std::string& id, const std::string& number,
                                       const std::string& comment_id, double similarity,
                                       absl::Time now);
  // retryable → PENDING_HANDOFF until next_attempt; otherwise REJECTED with the error kept.
  absl::Status RecordHandoffFailure(const std::string& id, const absl::Status& error,
                                    bool retryable, absl::Time next_attempt);

  // Messages whose hand-over is due: pending and due, or left RECEIVED by a process that died
  // (its lease expired). Oldest first.
  absl::StatusOr<std::vector<std::string>> DueForHandoff(absl::Time now, int limit);

  // Claims the client's key for splitting message_id, checks it is a duplicate and takes its
  // lease. Returns the message id; a key already used returns its message without checks
  // (the caller then reads the outcome).
  absl::StatusOr<Archived> ClaimSplit(const KeyClaim& key, const std::string& message_id,
                                      const std::string& actor_id, absl::Time now,
                                      absl::Time lease_until);
  // The duplicate now has its own incident; the link change is recorded and
  // intake.message.split appended.
  absl::Status RecordSplit(const std::string& id, const std::string& number,
                           const std::string& actor_id, absl::Time now);

  absl::StatusOr<MessagePage> ListMessages(const MessageFilter& filter,
                                           const std::optional<domain::MessageCursor>& after,
                                           int page_size);

  // ---- Classification rules (store_rules.cc) ----
  absl::StatusOr<std::vector<v1::ClassificationRule>> ListRules(v1::RuleKind kind,
                                                                std::optional<bool> active);
  // See UpsertClassificationRuleRequest; `folded` is FoldPhrase(rule.phrase).
  absl::StatusOr<v1::ClassificationRule> UpsertRule(const v1::ClassificationRule& rule,
                                                    const std::string& folded, absl::Time now);
  absl::StatusOr<v1::ClassificationRule> DeleteRule(const std::string& id, int64_t version);
  absl::StatusOr<std::vector<domain::Rule>> ActiveRules();

 private:
  PgPool& pool_;
};

inline constexpr int kMaxRules = 1000;

}  // namespace tiquete::intake
