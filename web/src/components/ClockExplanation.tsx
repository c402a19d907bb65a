// How an SLA clock got its figures, for support staff: its target, the business time counted so
// far and each segment (counting, paused or stopped, from–to, business time, why it began), as
// the SLA engine explains it (GET /v1/sla/clocks/{id}:explain). Fetched when opened, and again
// while open whenever the clock changes or `refresh` ticks (the open segment keeps growing).
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../api";
import type { ClockExplanation as Explanation, ClockSegment, SlaClock } from "../api/types";
import { formatBusinessSeconds, noteReasons } from "../lib/sla";
import { formatDateTime } from "../lib/time";
import { ErrorBox, Loading } from "./Status";

/** Reasons that end a clock's counting for good (until a reopen restarts it). */
const STOPPING = new Set(["resolved", "closed", "cancelled", "firstResponse", "accepted"]);

export function ClockExplanation({ clock, refresh }: { clock: SlaClock; refresh?: number }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const [data, setData] = useState<Explanation>();
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!open || !clock.id) return;
    const ctrl = new AbortController();
    api.sla
      .explain(clock.id, ctrl.signal)
      .then((explanation) => {
        if (ctrl.signal.aborted) return;
        setData(explanation);
        setError(null);
      })
      .catch((e: unknown) => {
        if (!ctrl.signal.aborted) setError(e);
      });
    return () => ctrl.abort();
  }, [open, clock.id, clock.status, clock.dueTime, refresh, attempt]);

  if (!clock.id) return null;
  const lang = i18n.language;
  const kind = t(`sla.kindInline.${clock.kind}`);
  // Another clock's explanation (the page moved to another incident) is never shown.
  const shown = data && data.clock.id === clock.id ? data : undefined;

  const reasonsOf = (s: ClockSegment) => noteReasons(s.note);
  const words = (s: ClockSegment) =>
    reasonsOf(s)
      .map(({ key, values }) => {
        const v = { ...values };
        if (v.reason) v.reason = t(`pendingReason.${v.reason}`);
        if (v.state) v.state = t(`state.${v.state}`, { defaultValue: v.state }).toLocaleLowerCase(lang);
        return t(`sla.note.${key}`, v);
      })
      .join("; ");

  const rows = (e: Explanation) =>
    e.segments.map((s, i) => {
      const last = i === e.segments.length - 1;
      const finished = ["met", "stopped"].includes(e.clock.status);
      // A finished clock ends with the instant it stopped (that row only says why); a stretch
      // between a resolution and a reopen did not count because the case was solved.
      const tail = last && !s.open && finished;
      const stopped = tail || (!s.running && reasonsOf(s).some((r) => STOPPING.has(r.key)));
      const state = tail && e.clock.status === "stopped"
        ? t("sla.explain.cancelled")
        : stopped
          ? t("sla.explain.stopped")
          : s.running
            ? t(s.open ? "sla.explain.counting" : "sla.explain.counted")
            : t("sla.explain.paused");
      return (
        <tr key={s.seq} className={s.running && !stopped ? undefined : "muted"}>
          <th scope="row">{s.seq}</th>
          <td>{formatDateTime(s.startTime, lang)}</td>
          <td>{tail ? "—" : s.open ? t("sla.explain.now") : formatDateTime(s.endTime, lang)}</td>
          <td>{state}</td>
          <td>{tail ? "—" : s.running ? formatBusinessSeconds(s.businessSeconds) : t("sla.explain.notCounted")}</td>
          <td>{words(s)}</td>
        </tr>
      );
    });

  const outcome = (e: Explanation) => {
    const c = e.clock;
    if (c.status === "met") return t(c.breached ? "sla.explain.outcomeLate" : "sla.explain.outcomeMet");
    if (c.status === "stopped") return t("sla.explain.outcomeCancelled");
    if (!c.dueTime) return null;
    const key = Date.parse(c.dueTime) < Date.now() ? "sla.explain.wasDue" : "sla.explain.due";
    return t(key, { when: formatDateTime(c.dueTime, lang) });
  };

  return (
    <details
      className="clock-explanation"
      data-testid={`sla-explain-${clock.kind}`}
      onToggle={(ev) => setOpen((ev.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>{t("sla.explain.show", { kind })}</summary>
      {error ? <ErrorBox error={error} onRetry={() => setAttempt((a) => a + 1)} /> : null}
      {!shown ? (
        error ? null : <Loading />
      ) : (
        <>
          <p data-testid="sla-explain-summary">
            {t("sla.explain.summary", {
              priority: `P${shown.priority}`,
              target: formatBusinessSeconds(shown.targetSeconds),
              elapsed: formatBusinessSeconds(shown.elapsedSeconds),
            })}{" "}
            {outcome(shown)}
          </p>
          <div className="table-wrap">
            <table className="table table--compact">
              <caption className="visually-hidden">{t("sla.explain.caption", { kind })}</caption>
              <thead>
                <tr>
                  <th scope="col">
                    <span aria-hidden="true">#</span>
                    <span className="visually-hidden">{t("sla.explain.segment")}</span>
                  </th>
                  <th scope="col">{t("sla.explain.from")}</th>
                  <th scope="col">{t("sla.explain.to")}</th>
                  <th scope="col">{t("sla.explain.clock")}</th>
                  <th scope="col">{t("sla.explain.business")}</th>
                  <th scope="col">{t("sla.explain.reason")}</th>
                </tr>
              </thead>
              <tbody>{rows(shown)}</tbody>
            </table>
          </div>
        </>
      )}
    </details>
  );
}
