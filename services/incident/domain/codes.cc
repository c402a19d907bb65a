#include "services/incident/domain/codes.h"

#include <array>
#include <utility>

namespace tiquete::incident {
namespace {

template <typename Enum, size_t N>
std::string_view CodeOf(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum v) {
  for (const auto& [value, code] : table) {
    if (value == v) return code;
  }
  return "";
}

template <typename Enum, size_t N>
Enum ValueOf(const std::array<std::pair<Enum, std::string_view>, N>& table, std::string_view code,
             Enum unspecified) {
  for (const auto& [value, c] : table) {
    if (c == code) return value;
  }
  return unspecified;
}

constexpr std::array<std::pair<v1::State, std::string_view>, 7> kStates{{
    {v1::NEW, "new"},
    {v1::ASSIGNED, "assigned"},
    {v1::IN_PROGRESS, "in_progress"},
    {v1::PENDING, "pending"},
    {v1::RESOLVED, "resolved"},
    {v1::CLOSED, "closed"},
    {v1::CANCELLED, "cancelled"},
}};
constexpr std::array<std::pair<v1::TicketType, std::string_view>, 2> kTypes{{
    {v1::INCIDENT, "incident"},
    {v1::SERVICE_REQUEST, "service_request"},
}};
constexpr std::array<std::pair<v1::Channel, std::string_view>, 7> kChannels{{
    {v1::PORTAL, "portal"},
    {v1::API, "api"},
    {v1::EMAIL, "email"},
    {v1::MONITORING, "monitoring"},
    {v1::PHONE, "phone"},
    {v1::WALK_IN, "walk_in"},
    {v1::CHAT, "chat"},
}};
constexpr std::array<std::pair<v1::PendingReason, std::string_view>, 3> kPendingReasons{{
    {v1::REQUESTER, "requester"},
    {v1::PROVIDER, "provider"},
    {v1::CHANGE, "change"},
}};
constexpr std::array<std::pair<v1::Visibility, std::string_view>, 2> kVisibilities{{
    {v1::PUBLIC, "public"},
    {v1::INTERNAL, "internal"},
}};
constexpr std::array<std::pair<v1::WorkLogKind, std::string_view>, 2> kWorkLogKinds{{
    {v1::COMMENT, "comment"},
    {v1::COMMUNICATION, "communication"},
}};
constexpr std::array<std::pair<v1::EscalationKind, std::string_view>, 2> kEscalationKinds{{
    {v1::FUNCTIONAL, "functional"},
    {v1::HIERARCHICAL, "hierarchical"},
}};
constexpr std::array<std::pair<v1::SupportLevel, std::string_view>, 3> kLevels{{
    {v1::L1, "L1"},
    {v1::L2, "L2"},
    {v1::L3, "L3"},
}};

}  // namespace

std::string_view StateCode(v1::State v) { return CodeOf(kStates, v); }
std::string_view TypeCode(v1::TicketType v) { return CodeOf(kTypes, v); }
std::string_view ChannelCode(v1::Channel v) { return CodeOf(kChannels, v); }
std::string_view PendingReasonCode(v1::PendingReason v) { return CodeOf(kPendingReasons, v); }
std::string_view VisibilityCode(v1::Visibility v) { return CodeOf(kVisibilities, v); }
std::string_view WorkLogKindCode(v1::WorkLogKind v) { return CodeOf(kWorkLogKinds, v); }
std::string_view EscalationKindCode(v1::EscalationKind v) { return CodeOf(kEscalationKinds, v); }
std::string_view LevelName(v1::SupportLevel v) { return CodeOf(kLevels, v); }

v1::State ParseStateCode(std::string_view c) { return ValueOf(kStates, c, v1::STATE_UNSPECIFIED); }
v1::TicketType ParseTypeCode(std::string_view c) {
  return ValueOf(kTypes, c, v1::TICKET_TYPE_UNSPECIFIED);
}
v1::Channel ParseChannelCode(std::string_view c) {
  return ValueOf(kChannels, c, v1::CHANNEL_UNSPECIFIED);
}
v1::PendingReason ParsePendingReasonCode(std::string_view c) {
  return ValueOf(kPendingReasons, c, v1::PENDING_REASON_UNSPECIFIED);
}
v1::Visibility ParseVisibilityCode(std::string_view c) {
  return ValueOf(kVisibilities, c, v1::VISIBILITY_UNSPECIFIED);
}
v1::WorkLogKind ParseWorkLogKindCode(std::string_view c) {
  return ValueOf(kWorkLogKinds, c, v1::WORK_LOG_KIND_UNSPECIFIED);
}
v1::EscalationKind ParseEscalationKindCode(std::string_view c) {
  return ValueOf(kEscalationKinds, c, v1::ESCALATION_KIND_UNSPECIFIED);
}
v1::SupportLevel ParseLevelName(std::string_view c) {
  return ValueOf(kLevels, c, v1::SUPPORT_LEVEL_UNSPECIFIED);
}

}  // namespace tiquete::incident
