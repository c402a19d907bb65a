import { describe, expect, it } from "vitest";
import type { Incident } from "../api/types";
import { toIncident } from "../api/wire";
import { computeKpis } from "./kpis";
import { slaLevel } from "./sla";

const now = new Date("2026-11-26T15:00:00Z");
let n = 0;
const inc = (o: Record<string, unknown>, extra: Partial<Incident> = {}): Incident => ({
  ...toIncident({ number: `INC-2026-${String(++n).padStart(6, "0")}`, ...o }),
  ...extra,
});

describe("computeKpis", () => {
  it("counts states, priorities, groups and resolution figures", () => {
    const k = computeKpis(
      [
        inc({ state: "NEW", priority: "P1", created_at: "2026-11-26T13:00:00Z", major: true }, { groupName: "Mesa" }),
        inc({ state: "PENDING", priority: "P3", created_at: "2026-11-25T13:00:00Z" }, { groupName: "Mesa" }),
        inc({ state: "IN_PROGRESS", priority: "P3", created_at: "2026-11-20T13:00:00Z" }, { groupName: "Especialistas" }),
        inc(
          { state: "CLOSED", priority: "P4", level: "L1", created_at: "2026-11-24T13:00:00Z", resolved_at: "2026-11-24T15:00:00Z" },
          { resolutionDueTime: "2026-11-24T20:00:00Z" },
        ),
        inc(
          { state: "RESOLVED", priority: "P2", level: "L2", created_at: "2026-11-24T13:00:00Z", resolved_at: "2026-11-25T13:00:00Z" },
          { resolutionDueTime: "2026-11-24T21:00:00Z" },
        ),
      ],
      now,
    );
    expect(k.open).toBe(3);
    expect(k.pending).toBe(1);
    expect(k.awaitingConfirmation).toBe(1);
    expect(k.major).toBe(1);
    expect(k.openByPriority).toMatchObject({ P1: 1, P3: 2, P2: 0 });
    expect(k.openByGroup[0]).toEqual({ name: "Mesa", count: 2 });
    expect(k.meanResolutionHours).toBe(13);
    expect(k.slaCompliance).toBe(50);
    expect(k.resolvedAtL1).toBe(50);
    expect(k.openedPerDay).toHaveLength(14);
    expect(k.openedPerDay[13]).toEqual({ day: "2026-11-26", count: 1 });
  });

  it("has no ratios without resolved cases", () => {
    const k = computeKpis([], now);
    expect(k.meanResolutionHours).toBeNull();
    expect(k.slaCompliance).toBeNull();
  });
});

describe("slaLevel", () => {
  const base = { id: "", ticketNumber: "X", kind: "resolution" as const, breached: false, dueTime: "", remainingSeconds: null, percentUsed: null, paused: false };
  it("reads the state of a clock", () => {
    expect(slaLevel({ ...base, status: "running", percentUsed: 40 }, now)).toBe("ok");
    expect(slaLevel({ ...base, status: "running", percentUsed: 80 }, now)).toBe("warning");
    expect(slaLevel({ ...base, status: "running", remainingSeconds: -5 }, now)).toBe("breached");
    expect(slaLevel({ ...base, status: "running", dueTime: "2026-11-26T14:00:00Z" }, now)).toBe("breached");
    expect(slaLevel({ ...base, status: "paused" }, now)).toBe("paused");
    expect(slaLevel({ ...base, status: "met" }, now)).toBe("done");
    expect(slaLevel(undefined, now)).toBe("none");
  });
});
