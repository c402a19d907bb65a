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
      const plain = Object.hasOwn(PLAIN_NOTES, part) ? PLAIN_NOTES[part] : undefined;
      if (plain) return { key: plain, values: {} };
      let m = /^pending:(requester|provider|change)$/.exec(part);
      if (m) return { key: "pendingOn", values: { reason: m[1] } };
      m = /^resumed \((\w+)\)$/.exec(part);
      if (m) return { key: "resumed", values: { state: m[1] } };
      m = /^priority (P\d) → (P\d)$/.exec(part);
      if (m) return { key: "priority", values: { from: m[1], to: m[2] } };
      m = /^(re)?assigned to group (.+)$/.exec(part);
      if (m) return { key: m[1] ? "reassigned" : "assigned", values: { group: m[2] } };
      if (/^policy \S+ → \S+ \(service or category changed\)$/.test(part)) return { key: "policyChanged", values: {} };
      return { key: "other", values: { text: part } };
    });
}

/** A target in business minutes as the desk says it: "30 min", "4 h", "7 h 30 min". */
export function formatBusinessMinutes(minutes: number): string {
  if (!Number.isFinite(minutes)) return "—";
  const m = Math.round(minutes);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return rest ? `${h} h ${rest} min` : `${h} h`;
}

/** Business time counted in seconds, in hours and minutes (never 24-hour days). */
export function formatBusinessSeconds(seconds: number): string {
  return formatBusinessMinutes(Math.floor(Math.max(0, seconds) / 60));
}

/** "lunes, 12 de enero" for a holiday's "2026-01-12" (a calendar date: no time zone shift). */
export function formatHoliday(date: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  const noonUtc = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12));
  return new Intl.DateTimeFormat(locale, { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" }).format(noonUtc);
}

/**
 * A datetime-local value ("2026-12-01T07:00"), read as Bogotá time, to an RFC 3339 instant.
 * Colombia keeps UTC−5 all year (no daylight saving since 1993).
 */
export function bogotaLocalToIso(local: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?$/.exec(local);
  if (!m) return "";
  return new Date(`${m[1]}T${m[2]}${m[3] ?? ":00"}-05:00`).toISOString();
}

/** "07:30" → 450; "24:00" (the end of a day) → 1440; anything else → null. */
export function parseShiftTime(s: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(s.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return null;
  return h * 60 + min;
}

export type WeekProblem = "time" | "order" | "overlap";
/** Which time of a shift is wrong, for focus and marking. */
export interface ShiftProblem {
  problem: WeekProblem;
  part: "start" | "end";
}
export interface WeekCheck {
  /** Per shift ("monday-0", its index in the day as given): what is wrong with it. */
  shifts: Record<string, ShiftProblem>;
  /** No shift anywhere in the week: a calendar with no business time. */
  empty: boolean;
}

/**
 * The rules the SLA engine applies to office hours (services/sla/domain/calendar.cc): times
 * HH:MM from 00:00 to 24:00, each shift ending after it starts, and the shifts of a day, in
 * order of start, each starting at or after the latest end before it; some business time in
 * the week.
 */
export function checkWeek(week: readonly { weekday: string; shifts: readonly { start: string; end: string }[] }[]): WeekCheck {
  const shifts: Record<string, ShiftProblem> = {};
  let any = false;
  for (const day of week) {
    const parsed: { key: string; start: number; end: number }[] = [];
    day.shifts.forEach((s, i) => {
      const key = `${day.weekday}-${i}`;
      const start = parseShiftTime(s.start);
      const end = parseShiftTime(s.end);
      if (start === null) shifts[key] = { problem: "time", part: "start" };
      else if (end === null) shifts[key] = { problem: "time", part: "end" };
      else if (end <= start) shifts[key] = { problem: "order", part: "end" };
      else parsed.push({ key, start, end });
    });
    parsed.sort((a, b) => a.start - b.start);
    let latestEnd = -1;
    for (const p of parsed) {
      if (p.start < latestEnd) shifts[p.key] = { problem: "overlap", part: "start" };
      latestEnd = Math.max(latestEnd, p.end);
    }
    if (day.shifts.length > 0) any = true;
  }
  return { shifts, empty: !any };
}

/** A week as the engine takes it: times trimmed and written HH:MM, each day's shifts by start. */
export function normalizeWeek(
  week: readonly { weekday: string; shifts: readonly { start: string; end: string }[] }[],
): { weekday: string; shifts: { start: string; end: string }[] }[] {
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
  return week.map((d) => ({
    weekday: d.weekday,
    shifts: d.shifts
      .map((s) => ({ start: parseShiftTime(s.start), end: parseShiftTime(s.end), raw: s }))
      .sort((a, b) => (a.start ?? 0) - (b.start ?? 0))
      .map(({ start, end, raw }) => ({
        start: start === null ? raw.start.trim() : hhmm(start),
        end: end === null ? raw.end.trim() : hhmm(end),
      })),
  }));
}
