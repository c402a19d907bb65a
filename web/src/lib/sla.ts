// How urgent an SLA clock looks: ok, warning (past the threshold, default 75 %), breached,
// paused (pending on the requester) or done (met or stopped).
import type { SlaClock } from "../api/types";

export type SlaLevel = "ok" | "warning" | "breached" | "paused" | "done" | "none";
export const WARNING_PERCENT = 75;

export function slaLevel(c: SlaClock | undefined, now: Date): SlaLevel {
  if (!c) return "none";
  if (c.status === "met" || c.status === "stopped") return "done";
  if (c.paused || c.status === "paused") return "paused";
  if (c.status === "breached" || c.breached) return "breached";
  const remaining = c.remainingSeconds ?? (c.dueTime ? (Date.parse(c.dueTime) - now.getTime()) / 1000 : null);
  if (remaining !== null && remaining < 0) return "breached";
  if (c.status === "warning") return "warning";
  if (c.percentUsed !== null && c.percentUsed >= WARNING_PERCENT) return "warning";
  return "ok";
}

/** Sort key: most urgent first (breached, then least time left). */
export function urgencyRank(c: SlaClock | undefined, now: Date): number {
  if (!c) return Number.MAX_SAFE_INTEGER;
  const level = slaLevel(c, now);
  if (level === "done") return Number.MAX_SAFE_INTEGER - 1;
  const remaining = c.remainingSeconds ?? (c.dueTime ? (Date.parse(c.dueTime) - now.getTime()) / 1000 : 1e12);
  return level === "paused" ? 1e12 + remaining : remaining;
}
