import { describe, expect, it } from "vitest";
import { toReportDashboard } from "./reports";

describe("toReportDashboard", () => {
  it("reads tiquete.reporting.v1.Dashboard with int64 strings", () => {
    const d = toReportDashboard({
      kpis: {
        filter: { from_date: "2026-11-01", to_date: "2026-11-26" },
        states: { opened: "12", open: "4", pending: "1", resolved: "2", closed: "5", cancelled: "0" },
        by_priority: [{ key: "P2", count: "3", percent: 25 }],
        resolved: "7",
        resolution_time: { calendar: { count: "7", average_minutes: 90, median_minutes: 60 } },
        sla: { resolution: { met: "6", breached: "1", percent: 85.7 }, response: { met: "0", breached: "0", percent: 0 } },
        satisfaction: { surveys: "3", average: 4.67 },
        first_contact_resolution: { numerator: "4", denominator: "7", percent: 57.1 },
        reopen_rate: { numerator: "0", denominator: "0", percent: 0 },
      },
      trend: { months: [{ month: "2026-11", count: "12", partial: true }, { month: "2026-12", count: "14", projected: true }], method: "mean" },
      backlog: { open: "5", pending: "1", max_wait_hours: "72", over_threshold: "1", at_risk: "2", breached: "0" },
    });
    expect(d.states.opened).toBe(12);
    expect(d.byPriority[0]).toEqual({ key: "P2", count: 3, percent: 25 });
    expect(d.meanResolutionMinutes).toBe(90);
    expect(d.slaResolutionPercent).toBe(85.7);
    // Nothing measured is "—", not 0 %.
    expect(d.slaResponsePercent).toBeNull();
    expect(d.reopenPercent).toBeNull();
    expect(d.satisfactionAverage).toBe(4.67);
    expect(d.months[1]).toEqual({ month: "2026-12", count: 14, partial: false, projected: true });
    expect(d.backlog).toMatchObject({ open: 5, atRisk: 2, maxWaitHours: 72 });
  });

  it("survives an empty report", () => {
    const d = toReportDashboard({});
    expect(d.months).toEqual([]);
    expect(d.meanResolutionMinutes).toBeNull();
    expect(d.satisfactionAverage).toBeNull();
  });
});
