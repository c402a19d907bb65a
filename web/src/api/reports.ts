// tiquete.reporting.v1: the coordinator's dashboard (GET /v1/reports/dashboard), read from the
// reporting service's own read model. Numbers arrive as int64 strings; keys of CountRow are ids
// (group, service, analyst) or enum names (P1, L2).
import { http } from "./client";
import type { Raw } from "./wire";

export interface CountRow {
  key: string;
  count: number;
  percent: number;
}
export interface MonthCount {
  month: string;
  count: number;
  partial: boolean;
  projected: boolean;
}
export interface ReportDashboard {
  fromDate: string;
  toDate: string;
  states: { opened: number; open: number; pending: number; resolved: number; closed: number; cancelled: number };
  byPriority: CountRow[];
  byGroup: CountRow[];
  byService: CountRow[];
  resolved: number;
  resolvedByLevel: CountRow[];
  handledByAnalyst: CountRow[];
  meanResolutionMinutes: number | null;
  medianResolutionMinutes: number | null;
  slaResolutionPercent: number | null;
  slaResponsePercent: number | null;
  satisfactionAverage: number | null;
  surveys: number;
  firstContactPercent: number | null;
  reopenPercent: number | null;
  months: MonthCount[];
  trendMethod: string;
  backlog: { open: number; pending: number; maxWaitHours: number; overThreshold: number; atRisk: number; breached: number };
}

const n = (v: unknown): number => (v === undefined || v === null || v === "" ? 0 : Number(v));
const rows = (v: unknown): CountRow[] =>
  (Array.isArray(v) ? (v as Raw[]) : []).map((r) => ({ key: String(r.key ?? ""), count: n(r.count), percent: n(r.percent) }));
/** A percentage that means nothing when its denominator is 0. */
const pct = (value: unknown, measured: number): number | null => (measured > 0 ? n(value) : null);

export function toReportDashboard(r: Raw): ReportDashboard {
  const k = (r.kpis ?? {}) as Raw;
  const s = (k.states ?? {}) as Raw;
  const rt = ((k.resolution_time ?? {}) as Raw).calendar as Raw | undefined;
  const sla = (k.sla ?? {}) as Raw;
  const res = (sla.resolution ?? {}) as Raw;
  const resp = (sla.response ?? {}) as Raw;
  const sat = (k.satisfaction ?? {}) as Raw;
  const fcr = (k.first_contact_resolution ?? {}) as Raw;
  const reopen = (k.reopen_rate ?? {}) as Raw;
  const trend = (r.trend ?? {}) as Raw;
  const b = (r.backlog ?? {}) as Raw;
  const filter = (k.filter ?? {}) as Raw;
  return {
    fromDate: String(filter.from_date ?? ""),
    toDate: String(filter.to_date ?? ""),
    states: { opened: n(s.opened), open: n(s.open), pending: n(s.pending), resolved: n(s.resolved), closed: n(s.closed), cancelled: n(s.cancelled) },
    byPriority: rows(k.by_priority),
    byGroup: rows(k.by_group),
    byService: rows(k.by_service),
    resolved: n(k.resolved),
    resolvedByLevel: rows(k.resolved_by_level),
    handledByAnalyst: rows(k.handled_by_analyst),
    meanResolutionMinutes: rt && n(rt.count) > 0 ? n(rt.average_minutes) : null,
    medianResolutionMinutes: rt && n(rt.count) > 0 ? n(rt.median_minutes) : null,
    slaResolutionPercent: pct(res.percent, n(res.met) + n(res.breached)),
    slaResponsePercent: pct(resp.percent, n(resp.met) + n(resp.breached)),
    satisfactionAverage: n(sat.surveys) > 0 ? n(sat.average) : null,
    surveys: n(sat.surveys),
    firstContactPercent: pct(fcr.percent, n(fcr.denominator)),
    reopenPercent: pct(reopen.percent, n(reopen.denominator)),
    months: (Array.isArray(trend.months) ? (trend.months as Raw[]) : []).map((m) => ({
      month: String(m.month ?? ""),
      count: n(m.count),
      partial: Boolean(m.partial),
      projected: Boolean(m.projected),
    })),
    trendMethod: String(trend.method ?? ""),
    backlog: {
      open: n(b.open),
      pending: n(b.pending),
      maxWaitHours: n(b.max_wait_hours),
      overThreshold: n(b.over_threshold),
      atRisk: n(b.at_risk),
      breached: n(b.breached),
    },
  };
}

export async function getReportDashboard(signal?: AbortSignal): Promise<ReportDashboard> {
  return toReportDashboard(await http.get<Raw>("/v1/reports/dashboard", undefined, signal));
}
