// The desk's service agreements and business calendars (GET /v1/sla/policies, /v1/sla/calendars):
// targets per priority, what pauses the clocks, office hours, the Colombian holidays of a year
// and ad-hoc closures. Coordinators and administrators edit the targets and the closures here;
// everyone on the desk reads them, so "why is this due on Tuesday?" has an answer.
import { useEffect, useRef, useState, type Dispatch, type FormEvent, type SetStateAction } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api";
import { ApiError, formErrorsFrom } from "../../api/errors";
import type { Holiday, PriorityTargets, SlaCalendar, SlaPolicy } from "../../api/types";
import { useAnnounce } from "../../components/Announcer";
import { Field } from "../../components/Field";
import { ErrorBox, Loading } from "../../components/Status";
import { loadReference, type Reference } from "../../lib/directory";
import { newIdempotencyKey } from "../../lib/files";
import { useAsync, useFocusAfterRender } from "../../lib/hooks";
import { useSession } from "../../lib/session";
import { bogotaLocalToIso, checkWeek, formatBusinessMinutes, formatHoliday } from "../../lib/sla";
import { formatDateTime, TIME_ZONE } from "../../lib/time";

/** The SLA engine lets these roles change policies and calendars (services/sla/service.cc). */
const SLA_MANAGERS = ["admin", "coordinator"];
const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
/** The engine's limit on a target (services/sla/domain/policy.cc): a year of minutes. */
const MAX_TARGET_MINUTES = 366 * 24 * 60;
/** Years the holiday list offers (the engine computes 1900–9999). */
const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;

/** "07:00–12:00, 14:00–18:00" */
const shiftsText = (shifts: readonly { start: string; end: string }[]) => shifts.map((s) => `${s.start}–${s.end}`).join(", ");

const currentBogotaYear = () => Number(new Intl.DateTimeFormat("en", { year: "numeric", timeZone: TIME_ZONE }).format(new Date()));

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

  useEffect(() => {
    document.title = `${t("agreements.title")} · Tiquete`;
  }, [t]);

  if (state.loading && !state.data) return <Loading />;
  if (!state.data) return <ErrorBox error={state.error} onRetry={() => void state.reload()} />;
  const { policies, calendars, ref } = state.data;
  const calendarName = new Map(calendars.map((c) => [c.id, c.name]));
  // From the latest state, not this render's: two cards may answer in any order.
  const replaceCalendar = (c: SlaCalendar) =>
    state.setData((d) => (d ? { ...d, calendars: d.calendars.map((x) => (x.id === c.id ? c : x)) } : d));
  const replacePolicy = (p: SlaPolicy) =>
    state.setData((d) => (d ? { ...d, policies: d.policies.map((x) => (x.id === p.id ? p : x)) } : d));

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

type Which = "response" | "resolution";
type TargetErrors = Record<string, string>;

function PolicyCard(props: { policy: SlaPolicy; calendarName: string; reference: Reference | null; canManage: boolean; onSaved: (p: SlaPolicy) => void }) {
  const { policy: p, canManage } = props;
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [editing, setEditing] = useState<PriorityTargets[] | null>(null);
  const [saving, setSaving] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<TargetErrors>({});
  const [general, setGeneral] = useState("");
  const editButton = useRef<HTMLButtonElement>(null);
  const pauses = p.pauseOn.map((s) => {
    const reason = s.startsWith("pending:") ? s.slice("pending:".length) : "";
    return reason ? t("sla.note.pendingOn", { reason: t(`pendingReason.${reason}`) }) : t("sla.note.pending");
  });
  const idFor = (priority: number, which: Which) => `target-${p.id}-${priority}-${which}`;
  const focusInput = useFocusAfterRender();

  const startEditing = () => {
    setEditing(p.targets.map((x) => ({ ...x })));
    setFieldErrors({});
    setGeneral("");
    focusInput(idFor(p.targets[0]?.priority ?? 1, "response"));
  };
  const stopEditing = () => {
    setEditing(null);
    setFieldErrors({});
    setGeneral("");
    focusInput(editButton);
  };

  const validate = (targets: PriorityTargets[]): TargetErrors => {
    const errors: TargetErrors = {};
    for (const target of targets) {
      for (const which of ["response", "resolution"] as const) {
        const v = which === "response" ? target.responseMinutes : target.resolutionMinutes;
        if (!Number.isInteger(v) || v < 1) errors[idFor(target.priority, which)] = t("agreements.targetInvalid");
        else if (v > MAX_TARGET_MINUTES) errors[idFor(target.priority, which)] = t("agreements.targetTooLong");
      }
      const r = idFor(target.priority, "response");
      if (!errors[r] && !errors[idFor(target.priority, "resolution")] && target.responseMinutes > target.resolutionMinutes) {
        errors[r] = t("agreements.responseAfterResolution");
      }
    }
    return errors;
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!editing) return;
    const errors = validate(editing);
    if (Object.keys(errors).length) {
      setFieldErrors(errors);
      setGeneral(t("agreements.fixTargets"));
      focusInput(Object.keys(errors)[0]);
      return;
    }
    setSaving(true);
    try {
      const saved = await api.sla.updatePolicy({ ...p, targets: editing });
      props.onSaved(saved);
      stopEditing();
      announce(t("agreements.targetsSaved", { name: p.name }));
    } catch (err) {
      if (err instanceof ApiError && err.stale) {
        // Someone saved this policy meanwhile: load theirs and keep what this user typed.
        const fresh = await api.sla.policy(p.id).catch(() => null);
        if (fresh) props.onSaved(fresh);
        setFieldErrors({});
        setGeneral(t("agreements.staleReloaded"));
      } else {
        const f = formErrorsFrom(err, []);
        // The engine names the row: targets[i] is priority i + 1.
        const row = err instanceof ApiError ? /^targets\[(\d)\]/.exec(err.field ?? "") : null;
        setFieldErrors(row ? { [idFor(Number(row[1]) + 1, "response")]: f.general } : {});
        setGeneral(f.general);
      }
      focusInput(`policy-${p.id}-error`);
    } finally {
      setSaving(false);
    }
  };

  const cell = (target: PriorityTargets, which: Which) => {
    const minutes = which === "response" ? target.responseMinutes : target.resolutionMinutes;
    // Group agreements (OLA / UC) measure only the resolution of each assignment.
    if (!editing) return which === "response" && p.kind !== "sla" ? "—" : formatBusinessMinutes(minutes);
    const id = idFor(target.priority, which);
    const errorId = `${id}-error`;
    const label = t(which === "response" ? "agreements.responseFor" : "agreements.resolutionFor", { priority: `P${target.priority}` });
    return (
      <>
        <input
          id={id}
          type="number"
          min={1}
          max={MAX_TARGET_MINUTES}
          step={1}
          inputMode="numeric"
          className="input--narrow"
          aria-label={label}
          aria-invalid={fieldErrors[id] ? true : undefined}
          aria-describedby={fieldErrors[id] ? errorId : undefined}
          value={Number.isNaN(minutes) ? "" : minutes}
          onChange={(e) => {
            const v = e.target.value === "" ? Number.NaN : Number(e.target.value);
            setEditing(editing.map((x) => (x.priority !== target.priority ? x : which === "response" ? { ...x, responseMinutes: v } : { ...x, resolutionMinutes: v })));
          }}
        />{" "}
        <span className="muted">{t("agreements.minutes")}</span>
        {fieldErrors[id] ? (
          <span id={errorId} className="field__error">
            {" "}
            {fieldErrors[id]}
          </span>
        ) : null}
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
        {general ? (
          <p id={`policy-${p.id}-error`} className="field__error" role="alert" tabIndex={-1}>
            {general}
          </p>
        ) : null}
        {canManage && p.kind === "sla" ? (
          editing ? (
            <div className="actions">
              <button type="submit" className="button" disabled={saving}>
                {t("agreements.saveTargets")}
              </button>
              <button type="button" className="button button--secondary" onClick={stopEditing}>
                {t("agreements.cancel")}
              </button>
              <p className="field__hint">{t("agreements.targetsHint")}</p>
            </div>
          ) : (
            <button ref={editButton} type="button" className="button button--secondary" onClick={startEditing} data-testid={`edit-targets-${p.id}`}>
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
  const [year, setYear] = useState(currentBogotaYear);
  const holidays = useAsync<Holiday[]>(
    (signal) => (c.colombianHolidays && !c.alwaysOpen ? api.sla.holidays(c.id, year, signal) : Promise.resolve([])),
    [c.id, year, c.colombianHolidays, c.alwaysOpen],
  );
  const days = new Map(c.week.map((d) => [d.weekday, d.shifts]));
  const zone = c.timeZone === TIME_ZONE ? t("agreements.colombianTime") : c.timeZone;
  const [editing, setEditing] = useState<Week | null>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const focus = useFocusAfterRender();
  const fullWeek = (): Week => WEEKDAYS.map((d) => ({ weekday: d, shifts: (days.get(d) ?? []).map((s) => newShift(s.start, s.end)) }));
  const hoursTable = (
    <div className="table-wrap">
      <table className="table table--compact">
        <caption>{t("agreements.hours")}</caption>
        <tbody>
          {WEEKDAYS.map((d) => {
            const shifts = days.get(d) ?? [];
            return (
              <tr key={d}>
                <th scope="row">{t(`agreements.weekday.${d}`)}</th>
                <td>{shifts.length ? shiftsText(shifts) : <span className="muted">{t("agreements.closed")}</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {canManage ? (
        <button
          ref={editButton}
          type="button"
          className="button button--secondary"
          onClick={() => {
            const week = fullWeek();
            setEditing(week);
            const firstShift = week.find((d) => d.shifts.length > 0)?.shifts[0];
            focus(firstShift ? `hours-${c.id}-${firstShift.uid}-start` : `hours-${c.id}-monday-add`);
          }}
        >
          {t("agreements.editHours")}
        </button>
      ) : null}
    </div>
  );

  return (
    <article className="card agreement" data-testid={`calendar-${c.id}`} aria-labelledby={`calendar-${c.id}-name`}>
      <h3 id={`calendar-${c.id}-name`}>{c.name}</h3>
      <p className="muted">{t("agreements.timeZone", { zone })}</p>
      {c.alwaysOpen ? (
        <p>{t("agreements.alwaysOpen")}</p>
      ) : (
        <div className="grid grid--2">
          {editing ? (
            <HoursEditor
              calendar={c}
              zone={zone}
              week={editing}
              setWeek={setEditing}
              onDone={(saved) => {
                if (saved) props.onChanged(saved);
                setEditing(null);
                focus(editButton);
              }}
              onStale={props.onChanged}
            />
          ) : (
            hoursTable
          )}
          {c.colombianHolidays ? (
            <div>
              <div className="toolbar toolbar--tight">
                <button type="button" className="button button--secondary" disabled={year <= FIRST_YEAR} onClick={() => setYear(year - 1)} aria-label={t("agreements.previousYear")}>
                  ←
                </button>
                <h4 aria-live="polite">{t("agreements.holidaysOf", { year: String(year) })}</h4>
                <button type="button" className="button button--secondary" disabled={year >= LAST_YEAR} onClick={() => setYear(year + 1)} aria-label={t("agreements.nextYear")}>
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
      {!c.alwaysOpen ? <Closures calendar={c} canManage={canManage && c.timeZone === TIME_ZONE} onChanged={props.onChanged} /> : null}
    </article>
  );
}

type Shift = { uid: number; start: string; end: string };
type Week = { weekday: string; shifts: Shift[] }[];
let nextShiftUid = 1;
const newShift = (start = "", end = ""): Shift => ({ uid: nextShiftUid++, start, end });

/** Office hours as a form: each day's shifts (HH:MM, 24:00 the midnight ending the day). */
function HoursEditor(props: {
  calendar: SlaCalendar;
  zone: string;
  week: Week;
  setWeek: Dispatch<SetStateAction<Week | null>>;
  onDone: (saved: SlaCalendar | null) => void;
  onStale: (fresh: SlaCalendar) => void;
}) {
  const { calendar: c, week, setWeek } = props;
  const { t, i18n } = useTranslation();
  const announce = useAnnounce();
  const focus = useFocusAfterRender();
  const [problems, setProblems] = useState<Record<number, string>>({});
  const [general, setGeneral] = useState("");
  const [current, setCurrent] = useState<SlaCalendar | null>(null);
  const [saving, setSaving] = useState(false);
  const base = `hours-${c.id}`;
  const inputId = (uid: number, part: "start" | "end") => `${base}-${uid}-${part}`;
  const addId = (day: string) => `${base}-${day}-add`;
  const hintId = `${base}-hint`;
  const generalId = `${base}-error`;
  const dayLabel = (day: string) => t(`agreements.weekday.${day}`);
  const dayInline = (day: string) => dayLabel(day).toLocaleLowerCase(i18n.language);
  const clearProblem = (uid: number) =>
    setProblems((p) => {
      if (!(uid in p)) return p;
      const { [uid]: _gone, ...rest } = p; // eslint-disable-line @typescript-eslint/no-unused-vars
      return rest;
    });
  const update = (day: string, change: (shifts: Shift[]) => Shift[]) =>
    setWeek((w) => (w ? w.map((d) => (d.weekday !== day ? d : { ...d, shifts: change(d.shifts) })) : w));

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const check = checkWeek(week);
    const found: Record<number, string> = {};
    let first: string | null = null; // the first wrong input on screen
    for (const day of week) {
      day.shifts.forEach((s, i) => {
        const p = check.shifts[`${day.weekday}-${i}`];
        if (!p) return;
        found[s.uid] = t(`agreements.shift_${p.problem}`);
        first ??= inputId(s.uid, p.part);
      });
    }
    if (first || check.empty) {
      setProblems(found);
      setGeneral(check.empty ? t("agreements.noOfficeHours") : t("agreements.fixShifts"));
      focus(first ?? generalId);
      return;
    }
    setSaving(true);
    try {
      const saved = await api.sla.updateCalendarWeek(c, week);
      announce(t("agreements.hoursSaved", { name: c.name }));
      props.onDone(saved);
    } catch (err) {
      setProblems({});
      if (err instanceof ApiError && err.stale) {
        // Someone saved other hours meanwhile: show theirs beside these edits, never overwrite
        // them blindly (the next save sends the version just read).
        try {
          const fresh = await api.sla.calendar(c.id);
          props.onStale(fresh);
          setCurrent(fresh);
          setGeneral(t("agreements.staleHours"));
        } catch (loadErr) {
          setGeneral(formErrorsFrom(loadErr, []).general);
        }
      } else {
        setGeneral(formErrorsFrom(err, []).general);
      }
      focus(generalId);
    } finally {
      setSaving(false);
    }
  };

  const timeInput = (day: string, s: Shift, i: number, part: "start" | "end") => (
    <input
      id={inputId(s.uid, part)}
      type="text"
      inputMode="numeric"
      className="input--time"
      placeholder={part === "start" ? "07:00" : "12:00"}
      aria-label={t(part === "start" ? "agreements.shiftFrom" : "agreements.shiftTo", { day: dayLabel(day), n: String(i + 1) })}
      aria-invalid={problems[s.uid] ? true : undefined}
      aria-describedby={describedBy(s.uid)}
      value={s[part]}
      onChange={(e) => {
        const v = e.target.value;
        clearProblem(s.uid);
        update(day, (shifts) => shifts.map((x) => (x.uid === s.uid ? { ...x, [part]: v } : x)));
      }}
    />
  );
  const describedBy = (uid: number) => [hintId, problems[uid] ? `${base}-${uid}-error` : ""].filter(Boolean).join(" ");

  return (
    <form className="hours-editor" onSubmit={(e) => void save(e)} noValidate aria-labelledby={`${base}-title`} data-testid={`hours-editor-${c.id}`}>
      <h4 id={`${base}-title`}>{t("agreements.editHoursTitle")}</h4>
      <p id={hintId} className="field__hint">
        {t("agreements.hoursHint", { zone: props.zone })}
      </p>
      {week.map((day) => (
        <fieldset key={day.weekday} className="hours-editor__day">
          <legend>{dayLabel(day.weekday)}</legend>
          {day.shifts.length === 0 ? <span className="muted">{t("agreements.closed")} </span> : null}
          {day.shifts.map((s, i) => (
            <div key={s.uid} className="hours-editor__shift">
              {timeInput(day.weekday, s, i, "start")}
              {" – "}
              {timeInput(day.weekday, s, i, "end")}{" "}
              <button
                type="button"
                className="linklike"
                onClick={() => {
                  clearProblem(s.uid);
                  const next = day.shifts[i + 1] ?? null;
                  update(day.weekday, (shifts) => shifts.filter((x) => x.uid !== s.uid));
                  focus(next ? inputId(next.uid, "start") : addId(day.weekday));
                }}
                aria-label={t("agreements.removeShift", { day: dayInline(day.weekday), n: String(i + 1) })}
              >
                {t("agreements.remove")}
              </button>
              {problems[s.uid] ? (
                <span id={`${base}-${s.uid}-error`} className="field__error">
                  {" "}
                  {problems[s.uid]}
                </span>
              ) : null}
            </div>
          ))}
          <button
            id={addId(day.weekday)}
            type="button"
            className="linklike"
            onClick={() => {
              const shift = newShift();
              update(day.weekday, (shifts) => [...shifts, shift]);
              focus(inputId(shift.uid, "start"));
            }}
            aria-label={t("agreements.addShiftTo", { day: dayInline(day.weekday) })}
          >
            {t("agreements.addShift")}
          </button>
        </fieldset>
      ))}
      {general ? (
        <div id={generalId} className="field__error" role="alert" tabIndex={-1}>
          <p>{general}</p>
          {current ? (
            <ul className="muted" data-testid="hours-current">
              {WEEKDAYS.map((d) => {
                const shifts = current.week.find((x) => x.weekday === d)?.shifts ?? [];
                return (
                  <li key={d}>
                    {dayLabel(d)}: {shifts.length ? shiftsText(shifts) : t("agreements.closed")}
                  </li>
                );
              })}
            </ul>
          ) : null}
        </div>
      ) : null}
      <div className="actions">
        <button type="submit" className="button" disabled={saving}>
          {t("agreements.saveHours")}
        </button>
        <button type="button" className="button button--secondary" disabled={saving} onClick={() => props.onDone(null)}>
          {t("agreements.cancel")}
        </button>
      </div>
    </form>
  );
}

type ClosureField = "start" | "end" | "reason";

function Closures(props: { calendar: SlaCalendar; canManage: boolean; onChanged: (c: SlaCalendar) => void }) {
  const { calendar: c, canManage } = props;
  const { t, i18n } = useTranslation();
  const announce = useAnnounce();
  const lang = i18n.language;
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [reason, setReason] = useState("");
  // One key per closure the user means: a changed form is a different closure.
  const [key, setKey] = useState(newIdempotencyKey);
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<Partial<Record<ClosureField, string>>>({});
  const [general, setGeneral] = useState("");
  const heading = useRef<HTMLHeadingElement>(null);
  const focus = useFocusAfterRender();
  const ids: Record<ClosureField, string> = { start: `closure-${c.id}-start`, end: `closure-${c.id}-end`, reason: `closure-${c.id}-reason` };
  const edit = (set: (v: string) => void) => (v: string) => {
    set(v);
    setKey(newIdempotencyKey());
  };
  const showErrors = (f: Partial<Record<ClosureField, string>>, g = "") => {
    setFields(f);
    setGeneral(g);
    const first = (["start", "end", "reason"] as const).find((k) => f[k]);
    if (first) focus(ids[first]);
  };

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const startIso = bogotaLocalToIso(from);
    const endIso = bogotaLocalToIso(to);
    const f: Partial<Record<ClosureField, string>> = {};
    if (!from) f.start = t("agreements.closureStartRequired");
    else if (!startIso) f.start = t("agreements.closureDateInvalid");
    if (!to) f.end = t("agreements.closureEndRequired");
    else if (!endIso) f.end = t("agreements.closureDateInvalid");
    else if (startIso && endIso <= startIso) f.end = t("agreements.closureEndAfterStart");
    if (!reason.trim()) f.reason = t("agreements.closureReasonRequired");
    if (Object.keys(f).length) {
      showErrors(f);
      return;
    }
    setBusy(true);
    try {
      const updated = await api.sla.addClosure(c.id, { startTime: startIso, endTime: endIso, reason: reason.trim() }, key);
      props.onChanged(updated);
      setFrom("");
      setTo("");
      setReason("");
      setKey(newIdempotencyKey());
      showErrors({});
      announce(t("agreements.closureAdded"));
    } catch (err) {
      const m = formErrorsFrom(err, ["closure.start_time", "closure.end_time", "closure.reason"]);
      showErrors(
        { start: m.fields["closure.start_time"], end: m.fields["closure.end_time"], reason: m.fields["closure.reason"] },
        m.general,
      );
    } finally {
      setBusy(false);
    }
  };

  const remove = async (closureId: string, label: string) => {
    if (!window.confirm(t("agreements.confirmRemove", { closure: label }))) return;
    setBusy(true);
    try {
      props.onChanged(await api.sla.removeClosure(c.id, closureId));
      showErrors({});
      announce(t("agreements.closureRemoved"));
    } catch (err) {
      if (err instanceof ApiError && err.notFound) {
        // Removed by someone else already: show the calendar as it is now.
        const fresh = await api.sla.calendar(c.id).catch(() => null);
        if (fresh) props.onChanged(fresh);
        showErrors({});
      } else {
        showErrors({}, formErrorsFrom(err, []).general);
      }
    } finally {
      setBusy(false);
      focus(heading);
    }
  };

  return (
    <section aria-labelledby={`closures-${c.id}`} className="closures">
      <h4 id={`closures-${c.id}`} ref={heading} tabIndex={-1}>
        {t("agreements.closures")}
      </h4>
      <p className="field__hint">{t("agreements.closuresHint")}</p>
      {c.closures.length === 0 ? (
        <p className="muted">{t("agreements.noClosures")}</p>
      ) : (
        <ul className="closures__list" data-testid={`closures-${c.id}`}>
          {c.closures.map((x) => {
            const label = `${formatDateTime(x.startTime, lang)} – ${formatDateTime(x.endTime, lang)}: ${x.reason}`;
            return (
              <li key={x.id}>
                {label}{" "}
                {canManage ? (
                  <button type="button" className="linklike" disabled={busy} onClick={() => void remove(x.id, label)} aria-label={t("agreements.removeClosure", { closure: label })}>
                    {t("agreements.remove")}
                  </button>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      {general ? (
        <p className="field__error" role="alert">
          {general}
        </p>
      ) : null}
      {canManage ? (
        <form className="closures__form" onSubmit={(e) => void add(e)} noValidate>
          <Field id={ids.start} label={t("agreements.closureStart")} error={fields.start || undefined} required>
            {(p) => <input {...p} type="datetime-local" value={from} onChange={(e) => edit(setFrom)(e.target.value)} />}
          </Field>
          <Field id={ids.end} label={t("agreements.closureEnd")} error={fields.end || undefined} required>
            {(p) => <input {...p} type="datetime-local" value={to} onChange={(e) => edit(setTo)(e.target.value)} />}
          </Field>
          <Field id={ids.reason} label={t("agreements.closureReason")} hint={t("agreements.closureReasonHint")} error={fields.reason || undefined} required>
            {(p) => <input {...p} type="text" maxLength={200} value={reason} onChange={(e) => edit(setReason)(e.target.value)} />}
          </Field>
          <button type="submit" className="button" disabled={busy}>
            {t("agreements.addClosure")}
          </button>
        </form>
      ) : null}
    </section>
  );
}
