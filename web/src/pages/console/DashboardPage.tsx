// The coordinator's dashboard: KPI tiles and charts (Chart.js), each chart with its data as a
// table for screen readers. Figures come from the reporting service (GET /v1/reports/dashboard);
// while it is not deployed, a preliminary view is computed here from the incident list.
import { useEffect, useMemo } from "react";
import { useTranslation } from "react-i18next";
import {
  ArcElement,
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  Legend,
  LinearScale,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";
import { Bar, Doughnut, Line } from "react-chartjs-2";
import { api } from "../../api";
import { ApiError } from "../../api/errors";
import { getReportDashboard, type CountRow, type ReportDashboard } from "../../api/reports";
import { INCIDENT_STATES, PRIORITIES, type Incident } from "../../api/types";
import { ErrorBox, Loading } from "../../components/Status";
import { decorate, loadReference, peopleNames } from "../../lib/directory";
import { useAsync, useNow, usePolling } from "../../lib/hooks";
import { computeKpis } from "../../lib/kpis";
import { formatDuration } from "../../lib/time";
import { trendSeries } from "../../lib/trend";

ChartJS.register(ArcElement, BarElement, CategoryScale, LinearScale, LineElement, PointElement, Tooltip, Legend);

// Colour-blind-safe palette (Okabe–Ito), dark enough against white.
const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];
const PRIORITY_COLORS = ["#A50026", "#D73027", "#F46D43", "#4575B4", "#313695"];

type Loaded =
  | { source: "report"; report: ReportDashboard; names: Map<string, string> }
  | { source: "local"; items: Incident[]; atRisk: number | null };

/** The reporting service is simply not there (not deployed yet): use the preliminary view. */
const reportingMissing = (e: unknown) =>
  e instanceof ApiError && (e.notFound || e.status === 501 || e.status === 502 || e.status === 503 || e.grpcCode === "UNIMPLEMENTED" || e.grpcCode === "UNAVAILABLE");

async function load(signal: AbortSignal): Promise<Loaded> {
  try {
    const report = await getReportDashboard(signal);
    const ref = await loadReference();
    const names = new Map<string, string>();
    for (const g of ref.groups) names.set(g.id, g.name);
    for (const s of ref.services) names.set(s.id, s.name);
    const people = await peopleNames(report.handledByAnalyst.map((r) => r.key));
    for (const [id, p] of people) names.set(id, p.displayName);
    return { source: "report", report, names };
  } catch (e) {
    if (!reportingMissing(e)) throw e;
  }
  const items: Incident[] = [];
  let token = "";
  for (let i = 0; i < 4; i++) {
    const page = await api.incidents.list({ pageSize: 500, pageToken: token }, signal);
    items.push(...(await decorate(page.items, false)));
    if (!page.nextPageToken) break;
    token = page.nextPageToken;
  }
  const atRisk = await api.sla
    .atRisk({}, signal)
    .then((c) => new Set(c.map((x) => x.ticketNumber)).size)
    .catch(() => null);
  return { source: "local", items, atRisk };
}

interface Tile {
  key: string;
  value: string;
  hint?: string;
}
interface ChartSpec {
  id: string;
  title: string;
  kind: "bar" | "hbar" | "doughnut" | "line";
  labels: string[];
  values: number[];
  colors?: string[];
  /** Line charts: which points are forecasts (listed as such in the table). */
  projected?: boolean[];
  /** Line charts: a second, dashed line of forecasts over the same labels. */
  forecast?: (number | null)[];
  /** Line charts: the first line's name and the second's, for the legend. */
  seriesNames?: [string, string];
}

function DataTable({ spec }: { spec: ChartSpec }) {
  const { t } = useTranslation();
  const { labels, values, forecast, seriesNames } = spec;
  const cell = (v: number | null | undefined) => (v === null || v === undefined ? "—" : v);
  return (
    <details className="chart__data">
      <summary>{t("dashboard.showData")}</summary>
      <table className="table table--compact">
        <caption className="visually-hidden">{spec.title}</caption>
        {forecast && seriesNames ? (
          <thead>
            <tr>
              <td />
              <th scope="col">{seriesNames[0]}</th>
              <th scope="col">{seriesNames[1]}</th>
            </tr>
          </thead>
        ) : null}
        <tbody>
          {labels.map((l, i) => (
            <tr key={l + i}>
              <th scope="row">
                {l}
                {spec.projected?.[i] ? ` (${t("dashboard.projected")})` : ""}
              </th>
              <td>{cell(values[i])}</td>
              {forecast ? <td>{cell(forecast[i])}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function ChartFigure({ spec, label }: { spec: ChartSpec; label: string }) {
  const twoLines = spec.kind === "line" && spec.forecast !== undefined;
  const common = {
    maintainAspectRatio: false,
    plugins: { legend: { display: spec.kind === "doughnut" || twoLines, position: "bottom" as const } },
  };
  const datasets = [
    {
      label: twoLines && spec.seriesNames ? spec.seriesNames[0] : label,
      data: spec.values as (number | null)[],
      backgroundColor: spec.colors ?? (spec.kind === "doughnut" ? PALETTE : "#0072B2"),
      borderColor: spec.kind === "line" ? "#004884" : undefined,
      borderDash: undefined as number[] | undefined,
    },
  ];
  if (twoLines) {
    datasets.push({
      label: spec.seriesNames?.[1] ?? label,
      data: spec.forecast!,
      backgroundColor: "#D55E00",
      borderColor: "#D55E00",
      borderDash: [6, 4],
    });
  }
  const data = { labels: spec.labels, datasets };
  const scale = { beginAtZero: true, ticks: { precision: 0 } };
  return (
    <figure className="chart">
      <figcaption>{spec.title}</figcaption>
      <div className="chart__canvas">
        {spec.kind === "doughnut" ? (
          <Doughnut aria-label={spec.title} role="img" data={data} options={common} />
        ) : spec.kind === "line" ? (
          <Line aria-label={spec.title} role="img" data={data} options={{ ...common, scales: { y: scale } }} />
        ) : (
          <Bar
            aria-label={spec.title}
            role="img"
            data={data}
            options={{ ...common, indexAxis: spec.kind === "hbar" ? "y" : "x", scales: spec.kind === "hbar" ? { x: scale } : { y: scale } }}
          />
        )}
      </div>
      <DataTable spec={spec} />
    </figure>
  );
}

export function DashboardPage() {
  const { t, i18n } = useTranslation();
  const now = useNow(60_000);
  const data = useAsync((signal) => load(signal), []);
  usePolling(() => void data.reload(true), 60_000);
  useEffect(() => {
    document.title = `${t("dashboard.title")} · Tiquete`;
  }, [t]);

  const nf = useMemo(() => new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 }), [i18n.language]);
  const view = useMemo(() => {
    const d = data.data;
    if (!d) return null;
    const dash = (v: number | null, unit = "") => (v === null ? "—" : `${nf.format(v)}${unit}`);
    const prioLabel = (p: string) => `${p} · ${t(`priority.${p}`, { defaultValue: p })}`;
    if (d.source === "report") {
      const r = d.report;
      const name = (k: string) => d.names.get(k) || (k ? k : t("queues.nobody"));
      const byPrio = PRIORITIES.map((p) => r.byPriority.find((x) => x.key.endsWith(p))?.count ?? 0);
      const top = (rs: CountRow[]) => [...rs].sort((a, b) => b.count - a.count).slice(0, 10);
      const trend = trendSeries(r.months);
      const tiles: Tile[] = [
        { key: "open", value: dash(r.backlog.open) },
        { key: "pending", value: dash(r.backlog.pending) },
        { key: "atRisk", value: dash(r.backlog.atRisk) },
        { key: "breached", value: dash(r.backlog.breached) },
        { key: "overThreshold", value: dash(r.backlog.overThreshold), hint: t("dashboard.maxWait", { hours: r.backlog.maxWaitHours }) },
        { key: "resolved", value: dash(r.resolved) },
        {
          key: "meanResolution",
          value: r.meanResolutionMinutes === null ? "—" : formatDuration(r.meanResolutionMinutes * 60, i18n.language),
        },
        { key: "slaCompliance", value: dash(r.slaResolutionPercent, " %") },
        { key: "firstContact", value: dash(r.firstContactPercent, " %") },
        { key: "reopenRate", value: dash(r.reopenPercent, " %") },
        { key: "satisfaction", value: r.satisfactionAverage === null ? "—" : `${nf.format(r.satisfactionAverage)} / 5`, hint: t("dashboard.surveys", { count: r.surveys }) },
      ];
      const charts: ChartSpec[] = [
        { id: "prio", title: t("dashboard.byPriorityPeriod"), kind: "bar", labels: PRIORITIES.map(prioLabel), values: byPrio, colors: PRIORITY_COLORS },
        {
          id: "trend",
          title: t("dashboard.perMonth"),
          kind: "line",
          labels: trend.labels.map((m, i) => (trend.partial[i] ? `${m} (${t("dashboard.running")})` : m)),
          values: trend.observed as number[],
          forecast: trend.forecast,
          seriesNames: [t("dashboard.observed"), t("dashboard.projected")],
        },
        { id: "group", title: t("dashboard.byGroupPeriod"), kind: "hbar", labels: top(r.byGroup).map((x) => name(x.key)), values: top(r.byGroup).map((x) => x.count) },
        { id: "level", title: t("dashboard.resolvedByLevel"), kind: "doughnut", labels: r.resolvedByLevel.map((x) => x.key.replace(/^.*_/, "")), values: r.resolvedByLevel.map((x) => x.count) },
        { id: "service", title: t("dashboard.byService"), kind: "hbar", labels: top(r.byService).map((x) => name(x.key)), values: top(r.byService).map((x) => x.count) },
        { id: "analyst", title: t("dashboard.byAnalyst"), kind: "hbar", labels: top(r.handledByAnalyst).map((x) => name(x.key)), values: top(r.handledByAnalyst).map((x) => x.count) },
      ];
      return { note: t("dashboard.period", { from: r.fromDate, to: r.toDate }), tiles, charts };
    }
    const k = computeKpis(d.items, now);
    const dayLabel = (day: string) =>
      new Intl.DateTimeFormat(i18n.language, { day: "numeric", month: "short", timeZone: "UTC" }).format(new Date(day + "T12:00:00Z"));
    const tiles: Tile[] = [
      { key: "open", value: dash(k.open) },
      { key: "pending", value: dash(k.pending) },
      { key: "awaiting", value: dash(k.awaitingConfirmation) },
      { key: "atRisk", value: dash(d.atRisk) },
      { key: "major", value: dash(k.major) },
      { key: "meanResolution", value: dash(k.meanResolutionHours, " h") },
      { key: "slaCompliance", value: dash(k.slaCompliance, " %") },
      { key: "resolvedAtL1", value: dash(k.resolvedAtL1, " %") },
    ];
    const charts: ChartSpec[] = [
      { id: "prio", title: t("dashboard.byPriority"), kind: "bar", labels: PRIORITIES.map(prioLabel), values: PRIORITIES.map((p) => k.openByPriority[p]), colors: PRIORITY_COLORS },
      { id: "state", title: t("dashboard.byState"), kind: "doughnut", labels: INCIDENT_STATES.map((s) => t(`state.${s}`)), values: INCIDENT_STATES.map((s) => k.byState[s]) },
      { id: "group", title: t("dashboard.byGroup"), kind: "hbar", labels: k.openByGroup.map((g) => g.name), values: k.openByGroup.map((g) => g.count) },
      { id: "day", title: t("dashboard.perDay"), kind: "line", labels: k.openedPerDay.map((x) => dayLabel(x.day)), values: k.openedPerDay.map((x) => x.count) },
    ];
    return { note: t("dashboard.interim"), tiles, charts };
  }, [data.data, now, nf, t, i18n.language]);

  if (data.loading && !data.data) return <Loading />;
  return (
    <>
      <h1>{t("dashboard.title")}</h1>
      {view ? <p className="muted" data-testid="dashboard-source" data-source={data.data?.source}>{view.note}</p> : null}
      <ErrorBox error={data.error} onRetry={() => void data.reload()} />
      {view ? (
        <>
          <ul className="kpis" data-testid="kpis">
            {view.tiles.map((tile) => (
              <li key={tile.key} className="kpi">
                <span className="kpi__value">{tile.value}</span>
                <span className="kpi__label">{t(`dashboard.kpi.${tile.key}`)}</span>
                {tile.hint ? <span className="kpi__hint">{tile.hint}</span> : null}
              </li>
            ))}
          </ul>
          <div className="charts">
            {view.charts.map((c) => (
              <ChartFigure key={c.id} spec={c} label={t("dashboard.cases")} />
            ))}
          </div>
        </>
      ) : null}
    </>
  );
}
