// Which parts of the UI a person's directory roles open. The gateway enforces access; this only
// decides what to show.
export const STAFF_ROLES = [
  "agent_l1",
  "specialist_l2",
  "provider",
  "coordinator",
  "incident_manager",
  "problem_manager",
  "request_manager",
  "security_officer",
  "admin",
] as const;
export const DASHBOARD_ROLES = ["coordinator", "incident_manager", "reporting_viewer", "admin"] as const;
/** Roles allowed to escalate hierarchically, change priority and flag major incidents. */
export const MANAGER_ROLES = ["coordinator", "incident_manager", "admin"] as const;

const hasAny = (roles: readonly string[], wanted: readonly string[]) =>
  roles.some((r) => wanted.includes(r));

export const isStaff = (roles: readonly string[]) => hasAny(roles, STAFF_ROLES);
export const canSeeDashboard = (roles: readonly string[]) => hasAny(roles, DASHBOARD_ROLES);
export const isManager = (roles: readonly string[]) => hasAny(roles, MANAGER_ROLES);

/** Where a person lands after signing in. */
export function homePath(roles: readonly string[]): string {
  if (isStaff(roles)) return "/consola";
  if (canSeeDashboard(roles)) return "/consola/tablero";
  return "/casos";
}
