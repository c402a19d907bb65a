// The desk's service agreements and business calendars (GET /v1/sla/policies, /v1/sla/calendars):
// targets per priority, what pauses the clocks, office hours, the Colombian holidays of a year
// and ad-hoc closures. Coordinators and administrators edit the targets and the closures here;
// everyone on the desk reads them, so "why is this due on Tuesday?" has an answer.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api";
import { formErrorsFrom, type FormErrors } from "../../api/errors";
import type { Holiday, PriorityTargets, SlaCalendar, SlaPolicy } from "../../api/types";
import { useAnnounce } from "../../components/Announcer";
import { Field } from "../../components/Field";
import { ErrorBox, Loading } from "../../components/Status";
import { loadReference, type Reference } from "../../lib/directory";
import { newIdempotencyKey } from "../../lib/files";
import { useAsync } from "../../lib/hooks";
import { useSession } from "../../lib/session";
import { bogotaLocalToIso, formatBusinessMinutes, formatHoliday } from "../../lib/sla";
import { formatDateTime } from "../../lib/time";

/** The SLA engine lets these roles change policies and calendars (services/sla/service.cc). */
const SLA_MANAGERS = ["admin", "coordinator"];
const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

export function AgreementsPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  const canManage = (session?.roles ?? []).some((r) => SLA_MANAGERS.includes(r));
  const state = useAsync(async (signal) => {
    const [policies, calendars, ref] = await Promise.all([
      api.sla.policies(signal),
      api.sla.calendars(signal),
      loadReference().catch(() => null),
    ]);
    return { policies, calendars, ref };
  }, []);

  if (state.loading && !state.data) return <Loading />;
  if (!state.data) return <ErrorBox error={state.error} onRetry={() => void state.reload()} />;
  const { policies, calendars, ref } = state.data;
  const calendarName = new Map(calendars.map((c) => [c.id, c.name]));
  const replaceCalendar = (c: SlaCalendar) =>
    state.setData({ ...state.data!, calendars: calendars.map((x) => (x.id === c.id ? c : x)) });
  const replacePolicy = (p: SlaPolicy) =>
    state.setData({ ...state.data!, policies: policies.map((x) => (x.id === p.id ? p : x)) });

  return (
    <div className="agreements">
      <h1>{t("agreements.title")}</h1>
      <p className="lead">{t("agreements.intro")}</p>
      <section aria-labelledby="policies-title">
        <h2 id="policies-title">{t("agreements.policies")}</h2>
        {policies.length === 0 ? <p>{t("agreements.noPolicies")}</p> : null}
        {policies.map((p) => (
          <PolicyCard key={p.id} policy={p} calendarName={calendarName.get(p.calendarId) ?? p.calendarId} reference={ref} canManage={canManage} onSaved={replacePolicy} />
        ))}
      </section>
      <section aria-labelledby="calendars-title">
        <h2 id="calendars-title">{t("agreements.calendars")}</h2>
        {calendars.map((c) => (
          <CalendarCard key={c.id} calendar={c} canManage={canManage} onChanged={replaceCalendar} />
        ))}
      </section>
    </div>
  );
}

function scopeOf(p: SlaPolicy, ref: Reference | null, t: (k: string, v?: Record<string, string>) => string): string {
  if (p.kind === "sla") {
    const parts: string[] = [];
    if (p.serviceId) parts.push(t("agreements.scope.service", { name: ref?.serviceById.get(p.serviceId)?.name ?? p.serviceId }));
    if (p.categoryId) parts.push(t("agreements.scope.category", { name: ref?.categoryById.get(p.categoryId)?.name ?? p.categoryId }));
    return parts.length ? parts.join(" · ") : t("agreements.scope.default");
  }
  if (p.groupId) return t("agreements.scope.group", { name: ref?.groupById.get(p.groupId)?.name ?? p.groupId });
  return t("agreements.scope.level", { level: p.groupLevel || "?" });
}

function PolicyCard(props: { policy: SlaPolicy; calendarName: string; reference: Reference | null; canManage: boolean; onSaved: (p: SlaPolicy) => void }) {
  const { policy: p, canManage } = props;
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [editing, setEditing] = useState<PriorityTargets[] | null>(null);
  const [saving, setSaving] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({ fields: {}, general: "" });
  const pauses = p.pauseOn.map((s) => {
    const reason = s.startsWith("pending:") ? s.slice("pending:".length) : "";
    return reason ? t("sla.note.pendingOn", { reason: t(`pendingReason.${reason}`) }) : t("sla.note.pending");
  });
  const idFor = (priority: number, which: "response" | "resolution") => `target-${p.id}-${priority}-${which}`;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!editing) return;
    const fields: Record<string, string> = {};
    for (const target of editing) {
      for (const which of ["response", "resolution"] as const) {
        const v = which === "response" ? target.responseMinutes : target.resolutionMinutes;
        if (!Number.isInteger(v) || v < 1) fields[idFor(target.priority, which)] = t("agreements.targetInvalid");
      }
    }
    if (Object.keys(fields).length) {
      setErrors({ fields, general: t("agreements.fixTargets") });
      return;
    }
    setSaving(true);
    try {
      const saved = await api.sla.updatePolicy({ ...p, targets: editing });
      props.onSaved(saved);
      setEditing(null);
      setErrors({ fields: {}, general: "" });
      announce(t("agreements.targetsSaved", { name: p.name }));
    } catch (err) {
      setErrors(formErrorsFrom(err, []));
    } finally {
      setSaving(false);
    }
  };

  const cell = (target: PriorityTargets, which: "response" | "resolution") => {
    const minutes = which === "response" ? target.responseMinutes : target.resolutionMinutes;
    if (!editing) return formatBusinessMinutes(minutes);
    const id = idFor(target.priority, which);
    const label = t(which === "response" ? "agreements.responseFor" : "agreements.resolutionFor", { priority: `P${target.priority}` });
    return (
      <>
        <input
          id={id}
          type="number"
          min={1}
          step={1}
          inputMode="numeric"
          className="input--narrow"
          aria-label={label}
          aria-invalid={errors.fields[id] ? true : undefined}
          value={Number.isNaN(minutes) ? "" : minutes}
          onChange={(e) => {
            const v = e.target.value === "" ? Number.NaN : Number(e.target.value);
            setEditing(editing.map((x) => (x.priority !== target.priority ? x : which === "response" ? { ...x, responseMinutes: v } : { ...x, resolutionMinutes: v })));
          }}
        />{" "}
        <span className="muted">{t("agreements.minutes")}</span>
        {errors.fields[id] ? <span className="field__error"> {errors.fields[id]}</span> : null}
      </>
    );
  };

  return (
    <article className="card agreement" data-testid={`policy-${p.id}`} aria-labelledby={`policy-${p.id}-name`}>
      <h3 id={`policy-${p.id}-name`}>
        {p.name} <span className="badge badge--neutral">{t(`agreements.kind.${p.kind}`)}</span>
      </h3>
      {p.description ? <p>{p.description}</p> : null}
      <dl className="facts facts--inline">
        <dt>{t("agreements.appliesTo")}</dt>
        <dd>{scopeOf(p, props.reference, t)}</dd>
        <dt>{t("agreements.calendar")}</dt>
        <dd>{props.calendarName}</dd>
        <dt>{t("agreements.pausesWhen")}</dt>
        <dd>{pauses.length ? pauses.join(", ") : t("agreements.neverPauses")}</dd>
        <dt>{t("agreements.warnings")}</dt>
        <dd>{p.warningPercents.length ? p.warningPercents.map((w) => `${w} %`).join(", ") : "—"}</dd>
      </dl>
      <form onSubmit={(e) => void save(e)} noValidate>
        <div className="table-wrap">
          <table className="table table--compact">
            <caption>{t("agreements.targetsCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("agreements.priority")}</th>
                <th scope="col">{t("agreements.response")}</th>
                <th scope="col">{t("agreements.resolution")}</th>
              </tr>
            </thead>
            <tbody>
              {(editing ?? p.targets).map((target) => (
                <tr key={target.priority}>
                  <th scope="row">
                    P{target.priority} <span className="muted">{t(`priority.P${target.priority}`)}</span>
                  </th>
                  <td>{cell(target, "response")}</td>
                  <td>{cell(target, "resolution")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {errors.general ? <p className="field__error" role="alert">{errors.general}</p> : null}
        {canManage && p.kind === "sla" ? (
          editing ? (
            <div className="actions">
              <button type="submit" className="button" disabled={saving}>
                {t("agreements.saveTargets")}
              </button>
              <button
                type="button"
                className="button button--secondary"
                onClick={() => {
                  setEditing(null);
                  setErrors({ fields: {}, general: "" });
                }}
              >
                {t("agreements.cancel")}
              </button>
              <p className="field__hint">{t("agreements.targetsHint")}</p>
            </div>
          ) : (
            <button type="button" className="button button--secondary" onClick={() => setEditing(p.targets.map((x) => ({ ...x })))} data-testid={`edit-targets-${p.id}`}>
              {t("agreements.editTargets")}
            </button>
          )
        ) : null}
      </form>
    </article>
  );
}

function CalendarCard(props: { calendar: SlaCalendar; canManage: boolean; onChanged: (c: SlaCalendar) => void }) {
  const { calendar: c, canManage } = props;
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [year, setYear] = useState(() => new Date().getFullYear());
  const holidays = useAsync<Holiday[]>(
    (signal) => (c.colombianHolidays && !c.alwaysOpen ? api.sla.holidays(c.id, year, signal) : Promise.resolve([])),
    [c.id, year, c.colombianHolidays, c.alwaysOpen],
  );
  const days = new Map(c.week.map((d) => [d.weekday, d.shifts]));

  return (
    <article className="card agreement" data-testid={`calendar-${c.id}`} aria-labelledby={`calendar-${c.id}-name`}>
      <h3 id={`calendar-${c.id}-name`}>{c.name}</h3>
      <p className="muted">{t("agreements.timeZone", { zone: c.timeZone })}</p>
      {c.alwaysOpen ? (
        <p>{t("agreements.alwaysOpen")}</p>
      ) : (
        <div className="grid grid--2">
          <div className="table-wrap">
            <table className="table table--compact">
              <caption>{t("agreements.hours")}</caption>
              <tbody>
                {WEEKDAYS.map((d) => {
                  const shifts = days.get(d) ?? [];
                  return (
                    <tr key={d}>
                      <th scope="row">{t(`agreements.weekday.${d}`)}</th>
                      <td>{shifts.length ? shifts.map((s) => `${s.start}–${s.end}`).join(", ") : <span className="muted">{t("agreements.closed")}</span>}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {c.colombianHolidays ? (
            <div>
              <div className="toolbar toolbar--tight">
                <button type="button" className="button button--secondary" onClick={() => setYear(year - 1)} aria-label={t("agreements.previousYear")}>
                  ←
                </button>
                <h4 aria-live="polite">{t("agreements.holidaysOf", { year: String(year) })}</h4>
                <button type="button" className="button button--secondary" onClick={() => setYear(year + 1)} aria-label={t("agreements.nextYear")}>
                  →
                </button>
              </div>
              {holidays.error ? <ErrorBox error={holidays.error} onRetry={() => void holidays.reload()} /> : null}
              {holidays.loading ? (
                <Loading />
              ) : (
                <ul className="holidays" data-testid={`holidays-${c.id}`}>
                  {(holidays.data ?? []).map((h) => (
                    <li key={h.date}>
                      <span className="holidays__date">{formatHoliday(h.date, lang)}</span> {h.name}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          ) : null}
        </div>
      )}
      {!c.alwaysOpen ? <Closures calendar={c} canManage={canManage} onChanged={props.onChanged} /> : null}
    </article>
  );
}

function Closures(props: { calendar: SlaCalendar; canManage: boolean; onChanged: (c: SlaCalendar) => void }) {
  const { calendar: c, canManage } = props;
  const { t, i18n } = useTranslation();
  const announce = useAnnounce();
  const lang = i18n.language;
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [reason, setReason] = useState("");
  const [key, setKey] = useState(newIdempotencyKey);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({ fields: {}, general: "" });
  const fieldIds = { start: `closure-${c.id}-start`, end: `closure-${c.id}-end`, reason: `closure-${c.id}-reason` };

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const fields: Record<string, string> = {};
    if (!from) fields.start = t("agreements.closureStartRequired");
    if (!to) fields.end = t("agreements.closureEndRequired");
    if (from && to && to <= from) fields.end = t("agreements.closureEndAfterStart");
    if (!reason.trim()) fields.reason = t("agreements.closureReasonRequired");
    if (Object.keys(fields).length) {
      setErrors({ fields, general: "" });
      return;
    }
    setBusy(true);
    try {
      const updated = await api.sla.addClosure(c.id, { startTime: bogotaLocalToIso(from), endTime: bogotaLocalToIso(to), reason: reason.trim() }, key);
      props.onChanged(updated);
      setFrom("");
      setTo("");
      setReason("");
      setKey(newIdempotencyKey());
      setErrors({ fields: {}, general: "" });
      announce(t("agreements.closureAdded"));
    } catch (err) {
      const f = formErrorsFrom(err, ["closure.start_time", "closure.end_time", "closure.reason"]);
      setErrors({
        fields: {
          start: f.fields["closure.start_time"] ?? "",
          end: f.fields["closure.end_time"] ?? "",
          reason: f.fields["closure.reason"] ?? "",
        },
        general: f.general,
      });
    } finally {
      setBusy(false);
    }
  };

  const remove = async (closureId: string) => {
    setBusy(true);
    try {
      props.onChanged(await api.sla.removeClosure(c.id, closureId));
      announce(t("agreements.closureRemoved"));
    } catch (err) {
      setErrors(formErrorsFrom(err, []));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby={`closures-${c.id}`} className="closures">
      <h4 id={`closures-${c.id}`}>{t("agreements.closures")}</h4>
      <p className="field__hint">{t("agreements.closuresHint")}</p>
      {c.closures.length === 0 ? (
        <p className="muted">{t("agreements.noClosures")}</p>
      ) : (
        <ul className="closures__list" data-testid={`closures-${c.id}`}>
          {c.closures.map((x) => (
            <li key={x.id}>
              {formatDateTime(x.startTime, lang)} – {formatDateTime(x.endTime, lang)}: {x.reason}{" "}
              {canManage ? (
                <button type="button" className="linklike" disabled={busy} onClick={() => void remove(x.id)} aria-label={t("agreements.removeClosure", { reason: x.reason })}>
                  {t("agreements.remove")}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {errors.general ? <p className="field__error" role="alert">{errors.general}</p> : null}
      {canManage ? (
        <form className="closures__form" onSubmit={(e) => void add(e)} noValidate>
          <Field id={fieldIds.start} label={t("agreements.closureStart")} error={errors.fields.start || undefined} required>
            {(p) => <input {...p} type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />}
          </Field>
          <Field id={fieldIds.end} label={t("agreements.closureEnd")} error={errors.fields.end || undefined} required>
            {(p) => <input {...p} type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />}
          </Field>
          <Field id={fieldIds.reason} label={t("agreements.closureReason")} hint={t("agreements.closureReasonHint")} error={errors.fields.reason || undefined} required>
            {(p) => <input {...p} type="text" maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
          <button type="submit" className="button" disabled={busy}>
            {t("agreements.addClosure")}
          </button>
        </form>
      ) : null}
    </section>
  );
}
