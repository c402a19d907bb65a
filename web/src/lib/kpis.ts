// KPIs computed in the browser from the incident list, for the coordinator's dashboard until the
// reporting service (its own read model) answers them. Pure functions, unit-tested.
import type { Incident, IncidentState, Priority } from "../api/types";
import { OPEN_STATES, PRIORITIES } from "../api/types";
import { dayKey } from "./time";

export interface Kpis {
  total: number;
  open: number;
  pending: number;
  awaitingConfirmation: number;
  closed: number;
  major: number;
  byState: Record<IncidentState, number>;
  openByPriority: Record<Priority, number>;
  openByGroup: { name: string; count: number }[];
  openedPerDay: { day: string; count: number }[];
  /** Mean hours from opening to resolution, over resolved and closed incidents. */
  meanResolutionHours: number | null;
  /** Share (0..100) of resolved/closed incidents resolved by their resolution target. */
  slaCompliance: number | null;
  /** Share (0..100) of resolved/closed incidents resolved at L1. */
  resolvedAtL1: number | null;
}

export function computeKpis(items: readonly Incident[], now: Date, days = 14): Kpis {
  const byState = { new: 0, assigned: 0, in_progress: 0, pending: 0, resolved: 0, closed: 0, cancelled: 0 } as Record<IncidentState, number>;
  const openByPriority = Object.fromEntries(PRIORITIES.map((p) => [p, 0])) as Record<Priority, number>;
  const groups = new Map<string, number>();
  const perDay = new Map<string, number>();
  for (let d = days - 1; d >= 0; d--) perDay.set(dayKey(new Date(now.getTime() - d * 86_400_000)), 0);

  let resolvedCount = 0;
  let resolutionHours = 0;
  let withTarget = 0;
  let onTime = 0;
  let atL1 = 0;
  let major = 0;
  for (const i of items) {
    byState[i.state] = (byState[i.state] ?? 0) + 1;
    const open = OPEN_STATES.includes(i.state);
    if (open) {
      if (i.priority) openByPriority[i.priority]++;
      const g = i.groupName || "—";
      groups.set(g, (groups.get(g) ?? 0) + 1);
      if (i.major) major++;
    }
    if (i.createTime) {
      const k = dayKey(new Date(i.createTime));
      if (perDay.has(k)) perDay.set(k, (perDay.get(k) ?? 0) + 1);
    }
    if ((i.state === "resolved" || i.state === "closed") && i.resolveTime && i.createTime) {
      resolvedCount++;
      resolutionHours += (Date.parse(i.resolveTime) - Date.parse(i.createTime)) / 3_600_000;
      if (i.resolutionDueTime) {
        withTarget++;
        if (Date.parse(i.resolveTime) <= Date.parse(i.resolutionDueTime)) onTime++;
      }
      if ((i.resolvedLevel || i.supportLevel) === "L1") atL1++;
    }
  }
  const pct = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 10 : null);
  return {
    total: items.length,
    open: OPEN_STATES.reduce((n, s) => n + byState[s], 0),
    pending: byState.pending,
    awaitingConfirmation: byState.resolved,
    closed: byState.closed,
    major,
    byState,
    openByPriority,
    openByGroup: [...groups.entries()].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count),
    openedPerDay: [...perDay.entries()].map(([day, count]) => ({ day, count })),
    meanResolutionHours: resolvedCount ? Math.round((resolutionHours / resolvedCount) * 10) / 10 : null,
    slaCompliance: pct(onTime, withTarget),
    resolvedAtL1: pct(atL1, resolvedCount),
  };
}
