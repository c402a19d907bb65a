// Idempotency keys intake derives for the calls it makes, so that retrying a hand-over (after
// a timeout, a crash or an outage of the incident service) can never open a second incident
// or add a second comment: every key depends only on the message id and the purpose.
#pragma once

#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "tiquete/api/v1/caller.pb.h"

namespace tiquete::intake::domain {

// CreateIncident for the message's first hand-over.
std::string IncidentKeyFor(std::string_view message_id);
// AddComment when the message is a duplicate of an open incident.
std::string CommentKeyFor(std::string_view message_id);
// CreateIncident when an agent splits the duplicate out.
std::string SplitIncidentKeyFor(std::string_view message_id);

// Scopes of the client keys intake receives: per caller, so two people can never collide on
// (or probe) each other's keys.
std::string CallerKeyOwner(const api::v1::Caller& caller);
std::string SubmitKeyScope(const api::v1::Caller& caller);
std::string SplitKeyScope(const api::v1::Caller& caller);

// Back-off before the next automatic hand-over attempt: base doubled per failed attempt,
// capped at `max` (attempts counts the failures so far, from 1).
absl::Duration HandoffRetryDelay(int attempts, absl::Duration base, absl::Duration max);

}  // namespace tiquete::intake::domain
