// Who may call a route: the (tiquete.api.v1.access) option checked against the signed-in
// caller's roles before any backend is called, and the CSRF rule for cookie sessions.
#pragma once

#include <string_view>

#include "common/caller.h"
#include "gateway/route_table.h"

namespace tiquete::gateway {

enum class AccessDecision {
  kAllow,
  kNotSignedIn,  // 401: the route needs a signed-in caller
  kRoleMissing,  // 403: signed in, but none of the caller's roles is allowed
};

// `caller` is nullptr for an anonymous request. Routes without an access option are closed
// to everyone, except the gateway's own sign-in route (local and public by design).
AccessDecision Authorize(const Route& route, const Caller* caller);

// Methods that change state; with cookie authentication they need the CSRF header.
bool IsUnsafeMethod(std::string_view method);

// Constant-time comparison of the session's CSRF token with the X-CSRF-Token header.
bool CsrfTokenMatches(std::string_view expected, std::string_view presented);

}  // namespace tiquete::gateway
