import { describe, expect, it } from "vitest";
import { dayKey, expectedResolution, formatDateTime, formatDuration, formatRelative } from "./time";

// 2026-11-26 is a Thursday. 15:00Z is 10:00 a. m. in Bogotá (UTC-5).
const now = new Date("2026-11-26T15:00:00Z");

describe("es-CO dates", () => {
  it("formats a date and time in Colombian time", () => {
    expect(formatDateTime("2026-11-26T22:00:00Z", "es-CO")).toBe("26 de nov de 2026, 5:00 p. m.");
  });
  it("returns empty for missing or invalid dates", () => {
    expect(formatDateTime("", "es-CO")).toBe("");
    expect(formatDateTime("not a date", "es-CO")).toBe("");
  });
  it("uses the calendar day in Bogotá, not UTC", () => {
    // 02:00Z on the 27th is still the 26th in Colombia.
    expect(dayKey(new Date("2026-11-27T02:00:00Z"))).toBe("2026-11-26");
  });
  it("says relative times in Spanish", () => {
    expect(formatRelative("2026-11-26T14:55:00Z", now, "es-CO")).toBe("hace 5 minutos");
    expect(formatRelative("2026-11-26T14:59:50Z", now, "es-CO")).toBe("hace un momento");
    expect(formatRelative("2026-11-25T15:00:00Z", now, "es-CO")).toBe("ayer");
  });
});

describe("durations", () => {
  it("is compact", () => {
    expect(formatDuration(30, "es-CO")).toBe("menos de 1 min");
    expect(formatDuration(45 * 60, "es-CO")).toBe("45 min");
    expect(formatDuration(2 * 3600 + 15 * 60, "es-CO")).toBe("2 h 15 min");
    expect(formatDuration(3 * 86400 + 4 * 3600, "es-CO")).toBe("3 d 4 h");
    expect(formatDuration(-7200, "es-CO")).toBe("2 h");
  });
});

describe("tiempo estimado de solución", () => {
  it("today", () => {
    expect(expectedResolution("2026-11-26T22:00:00Z", now, "es-CO")).toEqual({
      kind: "today",
      text: "hoy antes de las 5:00 p. m.",
    });
  });
  it("tomorrow", () => {
    expect(expectedResolution("2026-11-27T14:30:00Z", now, "es-CO").text).toBe("mañana antes de las 9:30 a. m.");
  });
  it("later this week names the weekday", () => {
    expect(expectedResolution("2026-11-30T20:00:00Z", now, "es-CO").text).toBe("el lunes antes de las 3:00 p. m.");
  });
  it("further away names the date", () => {
    expect(expectedResolution("2026-12-15T20:00:00Z", now, "es-CO").text).toBe("el 15 de diciembre antes de las 3:00 p. m.");
  });
  it("overdue", () => {
    expect(expectedResolution("2026-11-26T13:00:00Z", now, "es-CO")).toEqual({
      kind: "overdue",
      text: "debía estar solucionado hace 2 h",
    });
  });
  it("unknown", () => {
    expect(expectedResolution("", now, "es-CO").kind).toBe("unknown");
  });
  it("speaks English too", () => {
    expect(expectedResolution("2026-11-26T22:00:00Z", now, "en").text).toBe("today by 5:00 PM");
  });
});
