import { describe, expect, it } from "vitest";
import { trendSeries } from "./trend";

const m = (month: string, count: number, partial = false, projected = false) => ({ month, count, partial, projected });

describe("trendSeries", () => {
  it("merges the running month's observation and projection into one axis point", () => {
    const s = trendSeries([m("2026-09", 40), m("2026-10", 50), m("2026-11", 20, true), m("2026-11", 55, false, true), m("2026-12", 60, false, true)]);
    expect(s.labels).toEqual(["2026-09", "2026-10", "2026-11", "2026-12"]);
    expect(s.observed).toEqual([40, 50, 20, null]);
    expect(s.forecast).toEqual([null, 50, 55, 60]); // joins the last complete month
    expect(s.partial).toEqual([false, false, true, false]);
  });

  it("does not join the projection to a running month", () => {
    const s = trendSeries([m("2026-11", 3, true), m("2026-11", 9, false, true), m("2026-12", 9, false, true)]);
    expect(s.labels).toEqual(["2026-11", "2026-12"]);
    expect(s.observed).toEqual([3, null]);
    expect(s.forecast).toEqual([9, 9]);
  });

  it("sorts months that arrive out of order", () => {
    expect(trendSeries([m("2026-02", 1), m("2026-01", 2)]).labels).toEqual(["2026-01", "2026-02"]);
  });
});
