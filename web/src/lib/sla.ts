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

/** One reason of a segment, as an i18n key under "sla.note." and its values. */
export interface NoteReason {
  key: string;
  values: Record<string, string>;
}

const PLAIN_NOTES: Record<string, string> = {
  created: "created",
  reopened: "reopened",
  "first response": "firstResponse",
  "accepted by the assignee": "accepted",
  resolved: "resolved",
  closed: "closed",
  cancelled: "cancelled",
  unassigned: "unassigned",
  pending: "pending",
};

/**
 * Reads the engine's segment note (services/sla/domain/ticket_clocks.cc writes it; several
 * changes at one instant are joined with "; ") into reasons the UI words in its language.
 * A reason it does not know is kept as written ("other").
 */
export function noteReasons(note: string): NoteReason[] {
  return note
    .split("; ")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part): NoteReason => {
      const plain = PLAIN_NOTES[part];
      if (plain) return { key: plain, values: {} };
      let m = /^pending:(requester|provider|change)$/.exec(part);
      if (m) return { key: "pendingOn", values: { reason: m[1] } };
      m = /^resumed \((\w+)\)$/.exec(part);
      if (m) return { key: "resumed", values: { state: m[1] } };
      m = /^priority (P[1-5]) → (P[1-5])$/.exec(part);
      if (m) return { key: "priority", values: { from: m[1], to: m[2] } };
      m = /^(re)?assigned to group (.+)$/.exec(part);
      if (m) return { key: m[1] ? "reassigned" : "assigned", values: { group: m[2] } };
      if (/^policy \S+ → \S+ \(service or category changed\)$/.test(part)) return { key: "policyChanged", values: {} };
      return { key: "other", values: { text: part } };
    });
}
