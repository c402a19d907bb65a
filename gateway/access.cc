#include "gateway/access.h"

#include <sodium.h>

namespace tiquete::gateway {

AccessDecision Authorize(const Route& route, const Caller* caller) {
  if (!route.has_access) {
    if (route.local()) return AccessDecision::kAllow;
    return caller == nullptr ? AccessDecision::kNotSignedIn : AccessDecision::kRoleMissing;
  }
  if (caller == nullptr) return AccessDecision::kNotSignedIn;
  if (route.access.any_authenticated()) return AccessDecision::kAllow;
  for (const std::string& role : route.access.roles()) {
    if (HasRole(*caller, role)) return AccessDecision::kAllow;
  }
  return AccessDecision::kRoleMissing;
}

bool IsUnsafeMethod(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

bool CsrfTokenMatches(std::string_view expected, std::string_view presented) {
  if (expected.empty() || expected.size() != presented.size()) return false;
  return sodium_memcmp(expected.data(), presented.data(), expected.size()) == 0;
}

}  // namespace tiquete::gateway
