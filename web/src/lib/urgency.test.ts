import { describe, expect, it } from "vitest";
import { effectFromUrgency, priorityOf, toUrgencyImpact } from "./urgency";

describe("plain-words urgency and impact", () => {
  it('"No puedo trabajar" is high urgency', () => {
    expect(toUrgencyImpact("blocked")).toEqual({ urgency: "high", impact: "low" });
  });
  it('"Me afecta parcialmente" is medium urgency', () => {
    expect(toUrgencyImpact("partial").urgency).toBe("medium");
  });
  it('"Puedo esperar" is low urgency', () => {
    expect(toUrgencyImpact("can_wait").urgency).toBe("low");
  });
  it("who is affected sets the impact", () => {
    expect(toUrgencyImpact("blocked", "me").impact).toBe("low");
    expect(toUrgencyImpact("blocked", "several").impact).toBe("medium");
    expect(toUrgencyImpact("blocked", "site").impact).toBe("high");
  });
  it("a whole school unable to work is P1; one person who can wait is P5", () => {
    const a = toUrgencyImpact("blocked", "site");
    expect(priorityOf(a.impact, a.urgency)).toBe("P1");
    const b = toUrgencyImpact("can_wait", "me");
    expect(priorityOf(b.impact, b.urgency)).toBe("P5");
  });
  it("follows the ITIL default matrix", () => {
    expect(priorityOf("high", "medium")).toBe("P2");
    expect(priorityOf("medium", "high")).toBe("P2");
    expect(priorityOf("low", "high")).toBe("P3");
    expect(priorityOf("medium", "medium")).toBe("P3");
    expect(priorityOf("medium", "low")).toBe("P4");
  });
  it("maps urgency back to the plain words", () => {
    expect(effectFromUrgency("high")).toBe("blocked");
    expect(effectFromUrgency("")).toBe("");
  });
});
