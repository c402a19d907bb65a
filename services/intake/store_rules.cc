// The classification rule table (part of IntakeStore).
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "services/intake/store.h"
#include "services/intake/store_internal.h"

namespace tiquete::intake {

using namespace store_internal;  // NOLINT(build/namespaces): conversion helpers only

namespace {

const std::string kRuleColumns =
    absl::StrCat("id, kind, phrase, weight, description, active, version, ", Micros("create_time"),
                 ", ", Micros("update_time"));

v1::ClassificationRule RuleFromRow(const pqxx::row& r) {
  v1::ClassificationRule rule;
  rule.set_id(r[0].as<std::string>());
  v1::RuleKind kind;
  if (v1::RuleKind_Parse(r[1].as<std::string>(), &kind)) rule.set_kind(kind);
  rule.set_phrase(r[2].as<std::string>());
  rule.set_weight(r[3].as<int>());
  rule.set_description(r[4].as<std::string>());
  rule.set_active(r[5].as<bool>());
  rule.set_version(r[6].as<int64_t>());
  SetTimestamp(TimeFromMicros(r[7]), rule.mutable_create_time());
  SetTimestamp(TimeFromMicros(r[8]), rule.mutable_update_time());
  return rule;
}

// Tells a missing rule from a stale version after a conditional write touched no row.
absl::Status MissingOrStale(pqxx::work& tx, const std::string& id) {
  auto rows = tx.exec_params("SELECT version FROM classification_rules WHERE id = $1::uuid", id);
  if (rows.empty()) return NotFound("classification rule", id);
  return Error(absl::StatusCode::kAborted, "STALE_VERSION",
               absl::StrCat("the rule was changed meanwhile; its version is now ",
                            rows[0][0].as<std::string>()),
               "version");
}

}  // namespace

absl::StatusOr<std::vector<v1::ClassificationRule>> IntakeStore::ListRules(
    v1::RuleKind kind, std::optional<bool> active) {
  std::vector<v1::ClassificationRule> out;
  absl::Status status = pool_.Read([&](pqxx::work& tx) -> absl::Status {
    out.clear();
    auto rows = tx.exec_params(
        absl::StrCat("SELECT ", kRuleColumns,
                     " FROM classification_rules "
                     "WHERE ($1 = '' OR kind = $1) AND ($2::boolean IS NULL OR active = $2) "
                     "ORDER BY kind, folded_phrase"),
        kind == v1::RULE_KIND_UNSPECIFIED ? std::string() : v1::RuleKind_Name(kind), active);
    for (const auto& r : rows) out.push_back(RuleFromRow(r));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::ClassificationRule> IntakeStore::UpsertRule(const v1::ClassificationRule& rule,
                                                               const std::string& folded,
                                                               absl::Time now) {
  v1::ClassificationRule out;
  const std::string kind = v1::RuleKind_Name(rule.kind());
  absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    if (!rule.id().empty()) {
      auto rows = tx.exec_params(
          absl::StrCat("UPDATE classification_rules SET kind = $3, phrase = $4, "
                       "folded_phrase = $5, weight = $6, description = $7, active = $8, "
                       "version = version + 1, update_time = $9::timestamptz "
                       "WHERE id = $1::uuid AND version = $2 RETURNING ",
                       kRuleColumns),
          rule.id(), rule.version(), kind, rule.phrase(), folded, rule.weight(), rule.description(),
          rule.active(), SqlTime(now));
      if (rows.empty()) return MissingOrStale(tx, rule.id());
      out = RuleFromRow(rows[0]);
      return absl::OkStatus();
    }
    auto existing =
        tx.exec_params(absl::StrCat("SELECT ", kRuleColumns,
                                    " FROM classification_rules "
                                    "WHERE kind = $1 AND folded_phrase = $2 FOR UPDATE"),
                       kind, folded);
    if (existing.empty()) {
      auto count = tx.exec("SELECT count(*) FROM classification_rules");
      if (count[0][0].as<int>() >= kMaxRules) {
        return Error(absl::StatusCode::kFailedPrecondition, "TOO_MANY_RULES",
                     absl::StrCat("at most ", kMaxRules, " classification rules"));
      }
      auto rows = tx.exec_params(
          absl::StrCat("INSERT INTO classification_rules (kind, phrase, folded_phrase, weight, "
                       "description, active, create_time, update_time) VALUES ($1, $2, $3, $4, "
                       "$5, $6, $7::timestamptz, $7::timestamptz) RETURNING ",
                       kRuleColumns),
          kind, rule.phrase(), folded, rule.weight(), rule.description(), rule.active(),
          SqlTime(now));
      out = RuleFromRow(rows[0]);
      return absl::OkStatus();
    }
    // Same kind and phrase: update in place, and write nothing when nothing changes.
    const v1::ClassificationRule current = RuleFromRow(existing[0]);
    if (current.phrase() == rule.phrase() && current.weight() == rule.weight() &&
        current.description() == rule.description() && current.active() == rule.active()) {
      out = current;
      return absl::OkStatus();
    }
    auto rows =
        tx.exec_params(absl::StrCat("UPDATE classification_rules SET phrase = $2, weight = $3, "
                                    "description = $4, active = $5, version = version + 1, "
                                    "update_time = $6::timestamptz WHERE id = $1::uuid RETURNING ",
                                    kRuleColumns),
                       current.id(), rule.phrase(), rule.weight(), rule.description(),
                       rule.active(), SqlTime(now));
    out = RuleFromRow(rows[0]);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::ClassificationRule> IntakeStore::DeleteRule(const std::string& id,
                                                               int64_t version) {
  v1::ClassificationRule out;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    auto rows =
        tx.exec_params(absl::StrCat("DELETE FROM classification_rules WHERE id = $1::uuid "
                                    "AND ($2::bigint = 0 OR version = $2::bigint) RETURNING ",
                                    kRuleColumns),
                       id, version);
    if (rows.empty()) return MissingOrStale(tx, id);
    out = RuleFromRow(rows[0]);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<std::vector<domain::Rule>> IntakeStore::ActiveRules() {
  std::vector<domain::Rule> out;
  absl::Status status = pool_.Read([&](pqxx::work& tx) -> absl::Status {
    out.clear();
    auto rows = tx.exec(
        "SELECT id, kind, phrase, weight FROM classification_rules WHERE active ORDER BY id");
    for (const auto& r : rows) {
      domain::Rule rule;
      rule.id = r[0].as<std::string>();
      const std::string kind = r[1].as<std::string>();
      rule.kind = kind == "SECURITY"               ? domain::RuleKind::kSecurity
                  : kind == "SERVICE_REQUEST_HINT" ? domain::RuleKind::kServiceRequestHint
                                                   : domain::RuleKind::kIncidentHint;
      rule.phrase = r[2].as<std::string>();
      rule.weight = r[3].as<int>();
      out.push_back(std::move(rule));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

}  // namespace tiquete::intake
