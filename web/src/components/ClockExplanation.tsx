// How an SLA clock got its figures, for support staff: its target, the business time counted so
// far and each segment (counting or paused, from–to, business time, why it began), as the SLA
// engine explains it (GET /v1/sla/clocks/{id}:explain). Loaded when first opened.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../api";
import type { ClockExplanation as Explanation, ClockSegment, SlaClock } from "../api/types";
import { loadReference } from "../lib/directory";
import { noteReasons } from "../lib/sla";
import { formatDateTime, formatDuration } from "../lib/time";
import { ErrorBox, Loading } from "./Status";

export function ClockExplanation({ clock }: { clock: SlaClock }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const [data, setData] = useState<Explanation>();
  const [groups, setGroups] = useState<Map<string, string>>(new Map());
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  // Loaded on opening, and again whenever the clock moves while open.
  useEffect(() => {
    if (!open || !clock.id) return;
    const ctrl = new AbortController();
    setError(null);
    Promise.all([api.sla.explain(clock.id, ctrl.signal), loadReference().catch(() => null)])
      .then(([explanation, ref]) => {
        setData(explanation);
        if (ref) setGroups(new Map([...ref.groupById].map(([id, g]) => [id, g.name])));
      })
      .catch((e: unknown) => {
        if (!ctrl.signal.aborted) setError(e);
      });
    return () => ctrl.abort();
  }, [open, clock.id, clock.status, clock.dueTime, attempt]);

  if (!clock.id) return null;
  const lang = i18n.language;
  const duration = (seconds: number) => (seconds === 0 ? "0 min" : formatDuration(seconds, lang));
  const kind = t(`sla.kindInline.${clock.kind}`);

  const reasons = (s: ClockSegment) =>
    noteReasons(s.note)
      .map(({ key, values }) => {
        const v = { ...values };
        if (v.reason) v.reason = t(`pendingReason.${v.reason}`);
        if (v.state) v.state = t(`state.${v.state}`, { defaultValue: v.state }).toLocaleLowerCase(lang);
        if (v.group) v.group = groups.get(v.group) ?? v.group;
        return t(`sla.note.${key}`, v);
      })
      .join("; ");

  const rows = (e: Explanation) =>
    e.segments.map((s, i) => {
      const last = i === e.segments.length - 1;
      // A finished clock ends with the instant it stopped: that row only says why.
      const stop = last && !s.open && ["met", "stopped"].includes(e.clock.status);
      const state = stop ? t("sla.explain.stopped") : s.running ? t("sla.explain.counting") : t("sla.explain.paused");
      return (
        <tr key={s.seq} className={s.running && !stop ? undefined : "muted"}>
          <td>{s.seq}</td>
          <td>{formatDateTime(s.startTime, lang)}</td>
          <td>{stop ? "—" : s.open ? t("sla.explain.now") : formatDateTime(s.endTime, lang)}</td>
          <td>{state}</td>
          <td>{stop ? "—" : s.running ? duration(s.businessSeconds) : t("sla.explain.notCounted")}</td>
          <td>{reasons(s)}</td>
        </tr>
      );
    });

  return (
    <details
      className="clock-explanation"
      data-testid={`sla-explain-${clock.kind}`}
      onToggle={(ev) => setOpen((ev.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>{t("sla.explain.show", { kind })}</summary>
      {error ? (
        <ErrorBox error={error} onRetry={() => setAttempt((a) => a + 1)} />
      ) : !data ? (
        <Loading />
      ) : (
        <>
          <p>
            {t("sla.explain.summary", {
              priority: `P${data.priority}`,
              target: duration(data.targetSeconds),
              elapsed: duration(data.elapsedSeconds),
            })}{" "}
            {data.clock.dueTime && !["met", "stopped"].includes(data.clock.status)
              ? t("sla.explain.due", { when: formatDateTime(data.clock.dueTime, lang) })
              : null}
          </p>
          <div className="table-wrap">
          <table className="table table--compact">
            <caption className="visually-hidden">{t("sla.explain.caption", { kind })}</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t("sla.explain.from")}</th>
                <th scope="col">{t("sla.explain.to")}</th>
                <th scope="col">{t("sla.explain.clock")}</th>
                <th scope="col">{t("sla.explain.business")}</th>
                <th scope="col">{t("sla.explain.reason")}</th>
              </tr>
            </thead>
            <tbody>{rows(data)}</tbody>
          </table>
          </div>
        </>
      )}
    </details>
  );
}
