import { describe, expect, it } from "vitest";
import es from "../i18n/locales/es-CO.json";
import en from "../i18n/locales/en.json";
import { bogotaLocalToIso, checkWeek, formatBusinessMinutes, formatBusinessSeconds, formatHoliday, normalizeWeek, noteReasons, parseShiftTime } from "./sla";

// Every note services/sla/domain/ticket_clocks.cc and clock.cc write (segments begun by several
// changes at one instant join theirs with "; ").
const ENGINE_NOTES = [
  "created",
  "reopened",
  "first response",
  "accepted by the assignee",
  "resolved",
  "closed",
  "cancelled",
  "unassigned",
  "pending",
  "pending:requester",
  "pending:provider",
  "pending:change",
  "resumed (in_progress)",
  "priority P3 → P1",
  "assigned to group 7f1c",
  "reassigned to group 9a2b",
  "policy 00000000-0000-4000-8000-000000000101 → 5d1e (service or category changed)",
];

describe("noteReasons", () => {
  it("reads every reason the SLA engine writes", () => {
    expect(noteReasons("created")).toEqual([{ key: "created", values: {} }]);
    expect(noteReasons("accepted by the assignee")).toEqual([{ key: "accepted", values: {} }]);
    expect(noteReasons("first response")).toEqual([{ key: "firstResponse", values: {} }]);
    expect(noteReasons("pending:requester")).toEqual([{ key: "pendingOn", values: { reason: "requester" } }]);
    expect(noteReasons("pending")).toEqual([{ key: "pending", values: {} }]);
    expect(noteReasons("resumed (in_progress)")).toEqual([{ key: "resumed", values: { state: "in_progress" } }]);
    expect(noteReasons("priority P3 → P1")).toEqual([{ key: "priority", values: { from: "P3", to: "P1" } }]);
    expect(noteReasons("assigned to group g-mesa")).toEqual([{ key: "assigned", values: { group: "g-mesa" } }]);
    expect(noteReasons("reassigned to group g-l2")).toEqual([{ key: "reassigned", values: { group: "g-l2" } }]);
    expect(noteReasons("policy 1a → 2b (service or category changed)")).toEqual([{ key: "policyChanged", values: {} }]);
    expect(noteReasons("reopened")).toEqual([{ key: "reopened", values: {} }]);
    for (const note of ENGINE_NOTES) expect(noteReasons(note).map((r) => r.key)).not.toContain("other");
  });
  it("splits the changes of one instant", () => {
    expect(noteReasons("created; accepted by the assignee").map((r) => r.key)).toEqual(["created", "accepted"]);
    expect(noteReasons("resolved; priority P2 → P4").map((r) => r.key)).toEqual(["resolved", "priority"]);
  });
  it("keeps what it does not know as written, and nothing from Object's prototype", () => {
    expect(noteReasons("priority P0 → P2")).toEqual([{ key: "priority", values: { from: "P0", to: "P2" } }]);
    expect(noteReasons("constructor")).toEqual([{ key: "other", values: { text: "constructor" } }]);
    expect(noteReasons("")).toEqual([]);
  });
  it("has words for every reason in both languages", () => {
    const keys = new Set(ENGINE_NOTES.flatMap((n) => noteReasons(n).map((r) => r.key)).concat("other"));
    for (const key of keys) {
      expect((es.sla.note as Record<string, string>)[key], `es sla.note.${key}`).toBeTruthy();
      expect((en.sla.note as Record<string, string>)[key], `en sla.note.${key}`).toBeTruthy();
    }
  });
});

describe("business time", () => {
  it("is said in hours and minutes, never in 24-hour days", () => {
    expect(formatBusinessMinutes(30)).toBe("30 min");
    expect(formatBusinessMinutes(240)).toBe("4 h");
    expect(formatBusinessMinutes(2700)).toBe("45 h");
    expect(formatBusinessMinutes(125)).toBe("2 h 5 min");
    expect(formatBusinessSeconds(5400 * 60)).toBe("90 h");
    expect(formatBusinessSeconds(59)).toBe("0 min");
    expect(formatBusinessSeconds(-10)).toBe("0 min");
  });
});

describe("calendar dates", () => {
  it("names a holiday's weekday and day without shifting it by the time zone", () => {
    expect(formatHoliday("2026-01-12", "es-CO")).toBe("lunes, 12 de enero");
    expect(formatHoliday("2026-12-25", "en")).toBe("Friday, December 25");
    expect(formatHoliday("not a date", "es-CO")).toBe("not a date");
  });
  it("reads a datetime-local value as Colombian time (UTC−5)", () => {
    expect(bogotaLocalToIso("2026-12-01T07:00")).toBe("2026-12-01T12:00:00.000Z");
    expect(bogotaLocalToIso("2026-12-31T22:30:15")).toBe("2027-01-01T03:30:15.000Z");
    expect(bogotaLocalToIso("")).toBe("");
    expect(bogotaLocalToIso("01/12/2026 7:00")).toBe("");
  });
});

describe("office hours", () => {
  it("reads HH:MM from 00:00 to 24:00", () => {
    expect(parseShiftTime("07:00")).toBe(420);
    expect(parseShiftTime("24:00")).toBe(1440);
    expect(parseShiftTime("24:30")).toBeNull();
    expect(parseShiftTime("7:00")).toBeNull();
    expect(parseShiftTime("07:60")).toBeNull();
  });
  it("finds what the engine would refuse, shift by shift, and which time is wrong", () => {
    const week = [
      { weekday: "monday", shifts: [{ start: "07:00", end: "12:00" }, { start: "11:00", end: "18:00" }] },
      { weekday: "tuesday", shifts: [{ start: "14:00", end: "12:00" }, { start: "7", end: "12:00" }, { start: "13:00", end: "" }] },
      { weekday: "wednesday", shifts: [{ start: "00:00", end: "24:00" }] },
      { weekday: "thursday", shifts: [{ start: "24:00", end: "24:00" }] },
      // 07–18 holds the day: both later shifts start before its end.
      { weekday: "friday", shifts: [{ start: "07:00", end: "18:00" }, { start: "08:00", end: "09:00" }, { start: "10:00", end: "11:00" }] },
    ];
    expect(checkWeek(week)).toEqual({
      shifts: {
        "monday-1": { problem: "overlap", part: "start" },
        "tuesday-0": { problem: "order", part: "end" },
        "tuesday-1": { problem: "time", part: "start" },
        "tuesday-2": { problem: "time", part: "end" },
        "thursday-0": { problem: "order", part: "end" },
        "friday-1": { problem: "overlap", part: "start" },
        "friday-2": { problem: "overlap", part: "start" },
      },
      empty: false,
    });
    expect(checkWeek([{ weekday: "monday", shifts: [{ start: " 07:00 ", end: "12:00" }, { start: "12:00", end: "18:00" }] }]).shifts).toEqual({});
    expect(checkWeek([{ weekday: "monday", shifts: [] }]).empty).toBe(true);
  });
  it("sends times trimmed, HH:MM, each day by start (the engine refuses anything else)", () => {
    expect(normalizeWeek([{ weekday: "monday", shifts: [{ start: " 14:00", end: "18:00 " }, { start: "07:00", end: "12:00" }] }])).toEqual([
      { weekday: "monday", shifts: [{ start: "07:00", end: "12:00" }, { start: "14:00", end: "18:00" }] },
    ]);
  });
});
