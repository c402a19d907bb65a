// "Registrar un caso": title, description, category over the tree, affected system, urgency in
// plain words, attachments. The draft lives in sessionStorage until the case is registered, with
// its idempotency key, so a retry after an expired session never registers it twice.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api } from "../../api";
import { formErrorsFrom, type FormErrors } from "../../api/errors";
import type { Attachment, SubmitResult } from "../../api/types";
import { CategoryPicker } from "../../components/CategoryPicker";
import { ErrorSummary, Field, RadioGroup } from "../../components/Field";
import { ErrorBox, Loading } from "../../components/Status";
import { checkFiles, formatBytes, MAX_FILES, newIdempotencyKey, readAsAttachment } from "../../lib/files";
import { useAsync } from "../../lib/hooks";
import { useSignedIn } from "../../lib/session";
import { EFFECTS, REACHES, toUrgencyImpact, type Effect, type Reach } from "../../lib/urgency";
import { useDraft } from "../../lib/useDraft";

interface Draft {
  idempotencyKey: string;
  subject: string;
  body: string;
  categoryId: string;
  serviceId: string;
  ciId: string;
  effect: Effect | "";
  reach: Reach;
  attachments: Attachment[];
}

const FIELDS = ["subject", "body", "category_id", "service_id", "ci_ids", "urgency", "impact", "attachments"] as const;
const SUBJECT_MAX = 200;
const BODY_MAX = 20000;
const DRAFT_ATTACHMENT_LIMIT = 1_500_000; // base64 characters kept in the draft

export function NewCasePage() {
  const { t, i18n } = useTranslation();
  const session = useSignedIn();
  const draft = useDraft<Draft>("new-case", session.person.id, () => ({
    idempotencyKey: newIdempotencyKey(),
    subject: "",
    body: "",
    categoryId: "",
    serviceId: "",
    ciId: "",
    effect: "",
    reach: "me",
    attachments: [],
  }), (d) => {
    // sessionStorage holds ~5 MB: big attachments stay in memory only.
    const size = d.attachments.reduce((n, a) => n + a.content.length, 0);
    return size > DRAFT_ATTACHMENT_LIMIT ? { ...d, attachments: [] } : d;
  });
  const form = draft.value;
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => draft.set((d) => ({ ...d, [k]: v }));

  const ref = useAsync(async () => {
    const [categories, services] = await Promise.all([api.directory.categoryTree(), api.directory.services()]);
    return { categories, services };
  }, []);
  const cis = useAsync(async () => (form.serviceId ? api.directory.cis(form.serviceId) : []), [form.serviceId]);

  const [errors, setErrors] = useState<FormErrors>({ fields: {}, general: "" });
  const [fileNote, setFileNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<SubmitResult | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const resultRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = `${t("newCase.title")} · Tiquete`;
  }, [t]);
  useEffect(() => {
    if (result) resultRef.current?.focus();
  }, [result]);

  const labels: Record<string, string> = {
    subject: t("newCase.subject"),
    body: t("newCase.body"),
    category_id: t("newCase.category"),
    service_id: t("newCase.service"),
    ci_ids: t("newCase.ci"),
    urgency: t("newCase.effect"),
    impact: t("newCase.reach"),
    attachments: t("newCase.attachments"),
  };

  function validate(): Record<string, string> {
    const f: Record<string, string> = {};
    if (!form.subject.trim()) f.subject = t("newCase.subjectRequired");
    else if (form.subject.length > SUBJECT_MAX) f.subject = t("newCase.subjectTooLong", { max: SUBJECT_MAX });
    if (!form.body.trim()) f.body = t("newCase.bodyRequired");
    else if (form.body.length > BODY_MAX) f.body = t("newCase.bodyTooLong", { max: BODY_MAX });
    if (!form.categoryId) f.category_id = t("newCase.categoryRequired");
    if (!form.effect) f.urgency = t("newCase.effectRequired");
    return f;
  }

  async function onFiles(list: FileList | null) {
    if (!list || list.length === 0) return;
    const files = Array.from(list);
    const problems = checkFiles(form.attachments, files);
    const bad = new Set(problems.map((p) => p.file));
    const notes = problems.map((p) => t(`newCase.file_${p.problem}`, { file: p.file, max: MAX_FILES }));
    const read: Attachment[] = [];
    for (const f of files) {
      if (bad.has(f.name)) continue;
      try {
        read.push(await readAsAttachment(f));
      } catch {
        notes.push(t("newCase.file_unreadable", { file: f.name }));
      }
    }
    if (read.length) {
      draft.set((d) => ({ ...d, attachments: [...d.attachments, ...read] }));
    }
    setErrors((e) => ({ ...e, fields: { ...e.fields, attachments: notes.join(" ") } }));
    setFileNote(
      read.length ? t("newCase.filesAdded", { count: read.length }) : "",
    );
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const fields = validate();
    if (Object.keys(fields).length) {
      setErrors({ fields, general: "" });
      requestAnimationFrame(() => summaryRef.current?.focus());
      return;
    }
    setErrors({ fields: {}, general: "" });
    setBusy(true);
    try {
      const { urgency, impact } = toUrgencyImpact(form.effect as Effect, form.reach);
      const r = await api.tickets.submit({
        idempotencyKey: form.idempotencyKey,
        requesterId: session.person.id,
        subject: form.subject.trim(),
        body: form.body.trim(),
        categoryId: form.categoryId,
        serviceId: form.serviceId,
        ciIds: form.ciId ? [form.ciId] : [],
        urgency,
        impact,
        attachments: form.attachments,
      });
      draft.clear();
      setResult(r);
    } catch (err) {
      setErrors(formErrorsFrom(err, FIELDS));
      requestAnimationFrame(() => summaryRef.current?.focus());
    } finally {
      setBusy(false);
    }
  }

  function startOver() {
    draft.clear();
    draft.set(() => ({
      idempotencyKey: newIdempotencyKey(),
      subject: "",
      body: "",
      categoryId: "",
      serviceId: "",
      ciId: "",
      effect: "",
      reach: "me",
      attachments: [],
    }));
    draft.clear();
    setResult(null);
    setErrors({ fields: {}, general: "" });
  }

  if (result) {
    const number = result.duplicateOf || result.incidentNumber;
    return (
      <div className="narrow">
        <div className={"panel " + (result.duplicateOf ? "panel--info" : "panel--success")} data-testid="submit-result">
          <h1 ref={resultRef} tabIndex={-1}>
            {result.duplicateOf ? t("newCase.duplicateTitle") : t("newCase.createdTitle")}
          </h1>
          {result.duplicateOf ? (
            <p>{t("newCase.duplicateBody", { number })}</p>
          ) : (
            <p className="panel__number">
              {t("newCase.yourNumber")} <strong data-testid="case-number">{number}</strong>
            </p>
          )}
          {result.classification === "service_request" ? <p>{t("newCase.asRequest")}</p> : null}
          {result.possibleSecurity ? <p>{t("newCase.asSecurity")}</p> : null}
          <p>{t("newCase.nextSteps")}</p>
          <p className="actions">
            <Link className="button" to={`/casos/${encodeURIComponent(number)}`}>
              {t("newCase.viewCase", { number })}
            </Link>
            <button type="button" className="button button--secondary" onClick={startOver}>
              {t("newCase.another")}
            </button>
          </p>
        </div>
      </div>
    );
  }

  return (
    <div className="narrow">
      <h1>{t("newCase.title")}</h1>
      <p className="lead">{t("newCase.lead")}</p>
      {draft.restored ? (
        <div className="notice notice--info" role="status">
          <p>{t("newCase.draftRestored")}</p>
        </div>
      ) : null}
      <ErrorSummary
        title={t("form.problemTitle")}
        general={errors.general}
        fields={errors.fields}
        labels={labels}
        summaryRef={summaryRef}
      />
      {ref.loading && !ref.data ? <Loading /> : null}
      {ref.error ? <ErrorBox error={ref.error} onRetry={() => void ref.reload()} /> : null}
      <form onSubmit={submit} noValidate className="card form" aria-busy={busy}>
        <Field id="subject" label={labels.subject} hint={t("newCase.subjectHint")} error={errors.fields.subject} required>
          {(p) => (
            <input
              {...p}
              type="text"
              maxLength={SUBJECT_MAX + 50}
              autoComplete="off"
              value={form.subject}
              onChange={(e) => set("subject", e.target.value)}
            />
          )}
        </Field>
        <Field id="body" label={labels.body} hint={t("newCase.bodyHint")} error={errors.fields.body} required>
          {(p) => (
            <textarea {...p} rows={7} value={form.body} onChange={(e) => set("body", e.target.value)} />
          )}
        </Field>
        <Field id="category_id" label={labels.category_id} hint={t("newCase.categoryHint")} error={errors.fields.category_id} required>
          {(p) => (
            <CategoryPicker
              id={p.id}
              categories={ref.data?.categories ?? []}
              value={form.categoryId}
              onChange={(id) => set("categoryId", id)}
              describedBy={p["aria-describedby"]}
              invalid={Boolean(p["aria-invalid"])}
            />
          )}
        </Field>
        <Field
          id="service_id"
          label={labels.service_id}
          hint={t("newCase.serviceHint")}
          error={errors.fields.service_id}
          optionalText={t("form.optional")}
        >
          {(p) => (
            <select
              {...p}
              value={form.serviceId}
              onChange={(e) => draft.set((d) => ({ ...d, serviceId: e.target.value, ciId: "" }))}
            >
              <option value="">{t("newCase.serviceUnknown")}</option>
              {(ref.data?.services ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        {form.serviceId && (cis.data?.length ?? 0) > 0 ? (
          <Field id="ci_ids" label={labels.ci_ids} hint={t("newCase.ciHint")} error={errors.fields.ci_ids} optionalText={t("form.optional")}>
            {(p) => (
              <select {...p} value={form.ciId} onChange={(e) => set("ciId", e.target.value)}>
                <option value="">{t("newCase.ciUnknown")}</option>
                {(cis.data ?? []).map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
        <RadioGroup<Effect>
          name="urgency"
          legend={labels.urgency}
          error={errors.fields.urgency}
          value={form.effect}
          required
          onChange={(v) => set("effect", v)}
          options={EFFECTS.map((e) => ({ value: e, label: t(`effect.${e}`), hint: t(`effect.${e}_hint`) }))}
        />
        <RadioGroup<Reach>
          name="impact"
          legend={labels.impact}
          error={errors.fields.impact}
          value={form.reach}
          onChange={(v) => set("reach", v)}
          options={REACHES.map((r) => ({ value: r, label: t(`reach.${r}`) }))}
        />
        <Field
          id="attachments"
          label={labels.attachments}
          hint={t("newCase.attachmentsHint", { max: MAX_FILES })}
          error={errors.fields.attachments}
          optionalText={t("form.optional")}
        >
          {(p) => (
            // The native input stays (keyboard, screen readers, drag and drop) but is drawn as
            // our own Spanish button, whatever language the browser itself speaks.
            <div className="file-picker">
              <input
                {...p}
                type="file"
                multiple
                className="file-picker__input"
                onChange={(e) => {
                  void onFiles(e.target.files);
                  e.target.value = "";
                }}
              />
              <label htmlFor={p.id} className="button button--secondary file-picker__button" aria-hidden="true">
                {t("newCase.chooseFiles")}
              </label>
              <span className="muted">
                {form.attachments.length === 0
                  ? t("newCase.noFiles")
                  : t("newCase.filesCount", { count: form.attachments.length })}
              </span>
            </div>
          )}
        </Field>
        {fileNote ? <p className="visually-hidden" role="status">{fileNote}</p> : null}
        {form.attachments.length > 0 ? (
          <ul className="file-list" aria-label={t("newCase.attachedFiles")}>
            {form.attachments.map((a, i) => (
              <li key={a.filename + i}>
                <span>
                  {a.filename} <span className="muted">({formatBytes(a.size, i18n.language)})</span>
                </span>
                <button
                  type="button"
                  className="linklike"
                  onClick={() => draft.set((d) => ({ ...d, attachments: d.attachments.filter((_, j) => j !== i) }))}
                >
                  {t("newCase.removeFile")}
                  <span className="visually-hidden"> {a.filename}</span>
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <div className="actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? t("newCase.submitting") : t("newCase.submit")}
          </button>
        </div>
      </form>
    </div>
  );
}
