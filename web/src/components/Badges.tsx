// State, priority and SLA shown as text with a shape/colour cue (never colour alone).
import { useTranslation } from "react-i18next";
import type { Incident, IncidentState, Priority, SlaClock } from "../api/types";
import { formatDateTime, formatDuration } from "../lib/time";
import { slaLevel, type SlaLevel } from "../lib/sla";

export function StateBadge({ state, pendingReason, audience = "agent" }: {
  state: IncidentState;
  pendingReason?: string;
  audience?: "agent" | "requester";
}) {
  const { t } = useTranslation();
  const label =
    audience === "requester"
      ? t(`requesterState.${state}${state === "pending" && pendingReason ? "_" + pendingReason : ""}`)
      : t(`state.${state}`) + (state === "pending" && pendingReason ? ` · ${t(`pendingReason.${pendingReason}`)}` : "");
  return <span className={`badge badge--state badge--${state}`}>{label}</span>;
}

export function PriorityBadge({ priority }: { priority: Priority | "" }) {
  const { t } = useTranslation();
  if (!priority) return <span className="badge badge--muted">{t("priority.none")}</span>;
  return (
    <span className={`badge badge--prio badge--${priority.toLowerCase()}`} title={t(`priority.${priority}`)}>
      {priority}
      <span className="visually-hidden"> · {t(`priority.${priority}`)}</span>
    </span>
  );
}

const ICON: Record<SlaLevel, string> = { ok: "●", warning: "▲", breached: "■", paused: "❚❚", done: "✓", none: "–" };

/** One clock, e.g. "Solución · quedan 2 h 15 min" or "Respuesta · vencido hace 10 min". */
export function SlaBadge({ clock, now, compact = false }: { clock: SlaClock | undefined; now: Date; compact?: boolean }) {
  const { t, i18n } = useTranslation();
  if (!clock) {
    return <span className="sla sla--none">{t("sla.noClock")}</span>;
  }
  const level = slaLevel(clock, now);
  const remaining =
    clock.remainingSeconds ?? (clock.dueTime ? (Date.parse(clock.dueTime) - now.getTime()) / 1000 : null);
  let text: string;
  if (level === "done") text = clock.breached ? t("sla.metLate") : clock.status === "stopped" ? t("sla.stopped") : t("sla.met");
  else if (level === "paused") text = t("sla.paused");
  else if (remaining === null) text = t("sla.running");
  else if (remaining < 0) text = t("sla.overdue", { duration: formatDuration(remaining, i18n.language) });
  else text = t("sla.remaining", { duration: formatDuration(remaining, i18n.language) });
  const kind = t(`sla.kind.${clock.kind}`);
  const title = clock.dueTime ? t("sla.dueAt", { when: formatDateTime(clock.dueTime, i18n.language) }) : undefined;
  return (
    <span className={`sla sla--${level}`} title={title}>
      <span aria-hidden="true" className="sla__icon">
        {ICON[level]}
      </span>{" "}
      {compact ? null : <span className="sla__kind">{kind}: </span>}
      {compact ? <span className="visually-hidden">{kind}: </span> : null}
      {text}
    </span>
  );
}

/** The clock to show on a list row: the running resolution clock, else the response one. */
export function RowSla({ incident, now }: { incident: Incident; now: Date }) {
  const { t } = useTranslation();
  if (incident.clocks.length === 0 && ["resolved", "closed", "cancelled"].includes(incident.state)) {
    // Finished tickets' clocks are stopped and not listed with the live ones.
    return <span className="sla sla--none">{t("sla.notApplicable")}</span>;
  }
  const c =
    incident.clocks.find((k) => k.kind === "response" && !["met", "stopped"].includes(k.status) && incident.state === "new") ??
    incident.clocks.find((k) => k.kind === "resolution") ??
    incident.clocks[0] ??
    (incident.resolutionDueTime
      ? { id: "", ticketNumber: incident.number, kind: "resolution" as const, status: "running" as const, breached: false, dueTime: incident.resolutionDueTime, remainingSeconds: null, percentUsed: null, paused: incident.state === "pending" }
      : undefined);
  return <SlaBadge clock={c} now={now} compact={false} />;
}
