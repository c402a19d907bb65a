// The lower-case codes enum values are stored and shown as ("in_progress", "requester", "L2"),
// shared by the state machine's messages, the audit trail and the store's columns.
#pragma once

#include <string>
#include <string_view>

#include "tiquete/incident/v1/incident.pb.h"

namespace tiquete::incident {

std::string_view StateCode(v1::State state);
std::string_view TypeCode(v1::TicketType type);
std::string_view ChannelCode(v1::Channel channel);
std::string_view PendingReasonCode(v1::PendingReason reason);
std::string_view VisibilityCode(v1::Visibility visibility);
std::string_view WorkLogKindCode(v1::WorkLogKind kind);
std::string_view EscalationKindCode(v1::EscalationKind kind);
std::string_view LevelName(v1::SupportLevel level);  // "L1", "L2", "L3", ""

// Each Parse* returns the *_UNSPECIFIED value for an unknown code.
v1::State ParseStateCode(std::string_view code);
v1::TicketType ParseTypeCode(std::string_view code);
v1::Channel ParseChannelCode(std::string_view code);
v1::PendingReason ParsePendingReasonCode(std::string_view code);
v1::Visibility ParseVisibilityCode(std::string_view code);
v1::WorkLogKind ParseWorkLogKindCode(std::string_view code);
v1::EscalationKind ParseEscalationKindCode(std::string_view code);
v1::SupportLevel ParseLevelName(std::string_view name);  // the directory's "L1".."L3"

}  // namespace tiquete::incident
