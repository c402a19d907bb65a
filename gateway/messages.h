// User-facing error messages: one table mapping each reason code the services and the gateway
// use to Spanish (es-CO, the default) and English, with a generic fallback per gRPC code.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <grpcpp/support/status.h>

namespace tiquete::gateway {

enum class Language { kEs, kEn };

// "es" unless the Accept-Language header prefers English over Spanish (q-values honoured).
Language PickLanguage(std::string_view accept_language);

struct Translation {
  std::string_view reason;
  std::string_view es;
  std::string_view en;
};

// The table entry for a reason code, or nullptr.
const Translation* FindTranslation(std::string_view reason);
const std::vector<Translation>& AllTranslations();

// Whether an error with this reason carries the service's own message as details.detail.
bool ShowsServiceDetail(std::string_view reason);

// The message shown to the user: the reason's translation when the table has it, else the
// generic sentence for the gRPC code, followed by the service's own (English) message when the
// code says the caller was at fault (never for internal or availability failures).
std::string LocalizedMessage(std::string_view reason, grpc::StatusCode code,
                             std::string_view service_message, Language language);

}  // namespace tiquete::gateway
