// The console's home: queues (mine, my group, unassigned, at risk of SLA breach, major
// incidents), filters and search, SLA on every row, j/k to move, "/" to search, background
// refresh that announces new cases.
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import { api } from "../../api";
import { ApiError } from "../../api/errors";
import {
  INCIDENT_STATES,
  OPEN_STATES,
  PRIORITIES,
  type Incident,
  type IncidentFilter,
  type IncidentState,
  type Priority,
} from "../../api/types";
import { useAnnounce } from "../../components/Announcer";
import { PriorityBadge, RowSla, StateBadge } from "../../components/Badges";
import { useShortcuts } from "../../components/Shortcuts";
import { ErrorBox, Loading } from "../../components/Status";
import { useAsync, useNow, usePolling } from "../../lib/hooks";
import { decorate } from "../../lib/directory";
import { listIncidents, newNumbers } from "../../lib/incidents";
import { useSession, useSignedIn } from "../../lib/session";
import { urgencyRank } from "../../lib/sla";
import { formatRelative } from "../../lib/time";

export const QUEUES = ["mine", "group", "unassigned", "at_risk", "major", "all"] as const;
const LEVEL_FILTERS = ["L1", "L2", "L3"];
const RISK_FILTERS = ["", "at_risk", "breached"] as const;
type RiskFilter = (typeof RISK_FILTERS)[number];
export type Queue = (typeof QUEUES)[number];
type Sort = "sla" | "recent" | "priority";

const REFRESH_MS = 30_000;

function rowClock(i: Incident) {
  return i.clocks.find((c) => c.kind === "resolution") ?? i.clocks[0];
}

export function QueuesPage() {
  const { t, i18n } = useTranslation();
  const session = useSignedIn();
  const { groups: allGroups } = useSession();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const now = useNow(15_000);
  const [params, setParams] = useSearchParams();
  const queue = (QUEUES.includes(params.get("cola") as Queue) ? params.get("cola") : "mine") as Queue;
  const query = params.get("q") ?? "";
  const stateParam = params.get("estado") ?? "open";
  const priority = (params.get("prioridad") ?? "") as Priority | "";
  const sort = (params.get("orden") ?? "sla") as Sort;
  const myGroups = session.groups;
  const groupId = params.get("grupo") || myGroups[0]?.id || "";
  // The at-risk queue: every group unless one is chosen, either SLA state, any level.
  const riskGroup = params.get("grupo") ?? "";
  const riskLevel = LEVEL_FILTERS.includes(params.get("nivel") ?? "") ? (params.get("nivel") as string) : "";
  const riskStatus = (RISK_FILTERS.includes((params.get("ans") ?? "") as RiskFilter) ? params.get("ans") ?? "" : "") as RiskFilter;

  const [search, setSearch] = useState(query);
  useEffect(() => setSearch(query), [query]);
  const searchRef = useRef<HTMLInputElement>(null);
  const tableRef = useRef<HTMLTableSectionElement>(null);
  const [lastRefresh, setLastRefresh] = useState<Date | null>(null);

  const states: IncidentState[] | undefined =
    stateParam === "open" ? [...OPEN_STATES] : stateParam === "all" ? undefined : [stateParam as IncidentState];

  const list = useAsync(
    async (signal) => {
      let items: Incident[];
      if (queue === "at_risk") {
        const clocks = await api.sla.atRisk({ status: riskStatus, groupId: riskGroup, level: riskLevel }, signal);
        const numbers = [...new Set(clocks.map((c) => c.ticketNumber))].slice(0, 50);
        const got = await Promise.all(
          numbers.map((n) =>
            api.incidents.get(n, signal).catch((e) => {
              if (e instanceof ApiError && (e.notFound || e.forbidden)) return null;
              throw e;
            }),
          ),
        );
        items = await decorate(
          got
            .filter((x): x is Incident => x !== null)
            .map((i) => (i.clocks.length ? i : { ...i, clocks: clocks.filter((c) => c.ticketNumber === i.number) })),
          true,
        );
        if (query) {
          const q = query.toLowerCase();
          items = items.filter((i) => (i.number + " " + i.subject).toLowerCase().includes(q));
        }
        if (priority) items = items.filter((i) => i.priority === priority);
        if (states) items = items.filter((i) => states.includes(i.state));
      } else {
        const f: IncidentFilter = { query, states, priorities: priority ? [priority] : undefined, pageSize: 100 };
        if (queue === "mine") f.assigneeId = session.person.id;
        if (queue === "group") f.groupId = groupId;
        if (queue === "unassigned") f.unassigned = true;
        if (queue === "major") f.major = true;
        if (queue === "group" && !groupId) return [];
        items = (await listIncidents(f, true, signal)).items;
      }
      setLastRefresh(new Date());
      return items;
    },
    [queue, query, stateParam, priority, groupId, riskGroup, riskLevel, riskStatus, session.person.id],
  );

  const prevItems = useRef<Incident[] | undefined>(undefined);
  useEffect(() => {
    if (!list.data) return;
    const fresh = newNumbers(prevItems.current, list.data);
    if (fresh.length > 0) announce(t("queues.newCases", { count: fresh.length }));
    prevItems.current = list.data;
  }, [list.data, announce, t]);
  useEffect(() => {
    prevItems.current = undefined;
  }, [queue, query, stateParam, priority, groupId]);

  usePolling(() => void list.reload(true), REFRESH_MS);

  useEffect(() => {
    document.title = `${t(`queues.${queue}`)} · ${t("queues.title")} · Tiquete`;
  }, [queue, t]);

  const sorted = useMemo(() => {
    const items = [...(list.data ?? [])];
    if (sort === "sla") items.sort((a, b) => urgencyRank(rowClock(a), now) - urgencyRank(rowClock(b), now));
    else if (sort === "priority") items.sort((a, b) => (a.priority || "P9").localeCompare(b.priority || "P9"));
    else items.sort((a, b) => (b.updateTime || b.createTime).localeCompare(a.updateTime || a.createTime));
    return items;
  }, [list.data, sort, now]);

  function setParam(updates: Record<string, string>) {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(updates)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next);
  }

  function onSearch(e: FormEvent) {
    e.preventDefault();
    setParam({ q: search.trim() });
  }

  function moveFocus(delta: number) {
    const links = Array.from(tableRef.current?.querySelectorAll<HTMLAnchorElement>("a[data-row-link]") ?? []);
    if (links.length === 0) return;
    const idx = links.findIndex((a) => a === document.activeElement);
    const next = idx < 0 ? (delta > 0 ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, idx + delta));
    links[next].focus();
  }

  useShortcuts("queues", [
    { keys: "j", label: "shortcuts.nextRow", run: () => moveFocus(1) },
    { keys: "k", label: "shortcuts.prevRow", run: () => moveFocus(-1) },
    { keys: "/", label: "shortcuts.search", run: () => searchRef.current?.focus() },
    { keys: "r", label: "shortcuts.refresh", run: () => void list.reload(true) },
    ...QUEUES.map((q, i) => ({
      keys: String(i + 1),
      label: `queues.${q}`,
      run: () => setParam({ cola: q }),
    })),
    { keys: "n", label: "shortcuts.newCase", run: () => navigate("/casos/nuevo") },
  ]);

  const groupsForSelect = myGroups.map((g) => allGroups.find((x) => x.id === g.id) ?? { ...g, level: "", kind: "" });

  return (
    <>
      <div className="page-head">
        <h1>
          {t("queues.title")}: {t(`queues.${queue}`)}
        </h1>
        <p className="muted" aria-live="off">
          {lastRefresh ? t("queues.refreshed", { when: formatRelative(lastRefresh, now, i18n.language) }) : null}{" "}
          <button type="button" className="linklike" onClick={() => void list.reload(true)}>
            {t("queues.refresh")}
          </button>
        </p>
      </div>

      <nav aria-label={t("queues.tabsLabel")}>
        <ul className="tabs">
          {QUEUES.map((q, i) => (
            <li key={q}>
              <Link
                to={`/consola?cola=${q}`}
                className={"tabs__item" + (q === queue ? " is-active" : "")}
                aria-current={q === queue ? "page" : undefined}
              >
                {t(`queues.${q}`)} <kbd className="tabs__kbd" aria-hidden="true">{i + 1}</kbd>
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      <form className="filters" onSubmit={onSearch} role="search" aria-label={t("queues.filtersLabel")}>
        <div className="filters__item filters__item--grow">
          <label htmlFor="q">{t("queues.search")}</label>
          <input
            id="q"
            ref={searchRef}
            type="search"
            value={search}
            placeholder={t("queues.searchPlaceholder")}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
        {queue === "group" && groupsForSelect.length > 1 ? (
          <div className="filters__item">
            <label htmlFor="grupo">{t("queues.group")}</label>
            <select id="grupo" value={groupId} onChange={(e) => setParam({ grupo: e.target.value })}>
              {groupsForSelect.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name || g.code || g.id}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {queue === "at_risk" ? (
          <>
            <div className="filters__item">
              <label htmlFor="ans">{t("queues.slaState")}</label>
              <select id="ans" value={riskStatus} onChange={(e) => setParam({ ans: e.target.value })}>
                <option value="">{t("queues.slaStateBoth")}</option>
                <option value="at_risk">{t("queues.slaStateAtRisk")}</option>
                <option value="breached">{t("queues.slaStateBreached")}</option>
              </select>
            </div>
            <div className="filters__item">
              <label htmlFor="grupo">{t("queues.group")}</label>
              <select id="grupo" value={riskGroup} onChange={(e) => setParam({ grupo: e.target.value })}>
                <option value="">{t("queues.groupAll")}</option>
                {allGroups.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name || g.code || g.id}
                  </option>
                ))}
              </select>
            </div>
            <div className="filters__item">
              <label htmlFor="nivel">{t("queues.level")}</label>
              <select id="nivel" value={riskLevel} onChange={(e) => setParam({ nivel: e.target.value })}>
                <option value="">{t("queues.levelAll")}</option>
                {LEVEL_FILTERS.map((l) => (
                  <option key={l} value={l}>
                    {l}
                  </option>
                ))}
              </select>
            </div>
          </>
        ) : null}
        <div className="filters__item">
          <label htmlFor="estado">{t("queues.state")}</label>
          <select id="estado" value={stateParam} onChange={(e) => setParam({ estado: e.target.value === "open" ? "" : e.target.value })}>
            <option value="open">{t("queues.stateOpen")}</option>
            <option value="all">{t("queues.stateAll")}</option>
            {INCIDENT_STATES.map((s) => (
              <option key={s} value={s}>
                {t(`state.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="filters__item">
          <label htmlFor="prioridad">{t("queues.priority")}</label>
          <select id="prioridad" value={priority} onChange={(e) => setParam({ prioridad: e.target.value })}>
            <option value="">{t("queues.priorityAll")}</option>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {p} · {t(`priority.${p}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="filters__item">
          <label htmlFor="orden">{t("queues.sort")}</label>
          <select id="orden" value={sort} onChange={(e) => setParam({ orden: e.target.value === "sla" ? "" : e.target.value })}>
            <option value="sla">{t("queues.sort_sla")}</option>
            <option value="priority">{t("queues.sort_priority")}</option>
            <option value="recent">{t("queues.sort_recent")}</option>
          </select>
        </div>
        <div className="filters__item filters__item--button">
          <button type="submit" className="button">
            {t("queues.apply")}
          </button>
        </div>
      </form>

      {queue === "group" && myGroups.length === 0 ? <p className="notice notice--info">{t("queues.noGroup")}</p> : null}
      {list.loading && !list.data ? <Loading /> : null}
      <ErrorBox error={list.error} onRetry={() => void list.reload()} />

      {list.data ? (
        <>
          <p className="muted" role="status" data-testid="queue-count">
            {t("queues.count", { count: sorted.length })}
          </p>
          {sorted.length === 0 ? (
            <div className="empty">
              <p>{t(`queues.empty_${queue}`)}</p>
            </div>
          ) : (
            <div className="table-wrap">
              <table className="table table--queue" data-testid="queue-table">
                <caption className="visually-hidden">
                  {t("queues.caption", { queue: t(`queues.${queue}`) })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t("queues.col.case")}</th>
                    <th scope="col">{t("queues.col.state")}</th>
                    <th scope="col">{t("queues.col.priority")}</th>
                    <th scope="col">{t("queues.col.sla")}</th>
                    <th scope="col">{t("queues.col.assigned")}</th>
                    <th scope="col">{t("queues.col.requester")}</th>
                    <th scope="col">{t("queues.col.updated")}</th>
                  </tr>
                </thead>
                <tbody ref={tableRef}>
                  {sorted.map((i) => (
                    <tr key={i.number} data-number={i.number} className={i.major ? "is-major" : undefined}>
                      <td data-label={t("queues.col.case")}>
                        <Link to={`/consola/incidentes/${encodeURIComponent(i.number)}`} data-row-link className="row-link">
                          <span className="row-link__number">{i.number}</span>
                          <span className="row-link__subject">{i.subject}</span>
                        </Link>
                        {i.major ? <span className="badge badge--major">{t("incident.major")}</span> : null}
                        {i.security ? <span className="badge badge--security">{t("incident.security")}</span> : null}
                      </td>
                      <td data-label={t("queues.col.state")}>
                        <StateBadge state={i.state} pendingReason={i.pendingReason} />
                      </td>
                      <td data-label={t("queues.col.priority")}>
                        <PriorityBadge priority={i.priority} />
                      </td>
                      <td data-label={t("queues.col.sla")}>
                        <RowSla incident={i} now={now} />
                      </td>
                      <td data-label={t("queues.col.assigned")}>
                        {i.groupName || "—"}
                        {i.assigneeName ? <div className="muted">{i.assigneeName}</div> : <div className="muted">{t("queues.nobody")}</div>}
                      </td>
                      <td data-label={t("queues.col.requester")}>{i.requesterName || "—"}</td>
                      <td data-label={t("queues.col.updated")}>
                        <time dateTime={i.updateTime || i.createTime}>
                          {formatRelative(i.updateTime || i.createTime, now, i18n.language)}
                        </time>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      ) : null}
    </>
  );
}
