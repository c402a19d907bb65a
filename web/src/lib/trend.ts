// The monthly trend as two lines over one month axis: what was observed, and the projection.
// The reporting service lists the running month twice (observed so far, and its projected
// total), so the months are merged by name rather than concatenated.
import type { MonthCount } from "../api/reports";

export interface TrendSeries {
  labels: string[];
  /** Observed counts (null where there is no observation, e.g. future months). */
  observed: (number | null)[];
  /** Projected counts; starts at the last complete observed month so the lines join. */
  forecast: (number | null)[];
  /** The running month, still being observed. */
  partial: boolean[];
}

export function trendSeries(months: readonly MonthCount[]): TrendSeries {
  const labels: string[] = [];
  const observed: (number | null)[] = [];
  const forecast: (number | null)[] = [];
  const partial: boolean[] = [];
  const index = new Map<string, number>();
  for (const m of [...months].sort((a, b) => a.month.localeCompare(b.month))) {
    let i = index.get(m.month);
    if (i === undefined) {
      i = labels.length;
      index.set(m.month, i);
      labels.push(m.month);
      observed.push(null);
      forecast.push(null);
      partial.push(false);
    }
    if (m.projected) {
      forecast[i] = m.count;
    } else {
      observed[i] = m.count;
      partial[i] = m.partial;
    }
  }
  const first = forecast.findIndex((v) => v !== null);
  if (first > 0 && observed[first - 1] !== null && !partial[first - 1]) {
    forecast[first - 1] = observed[first - 1];
  }
  return { labels, observed, forecast, partial };
}
