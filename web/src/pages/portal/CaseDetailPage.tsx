// One case seen by its requester: state, expected resolution, the public conversation, a
// comment box, and — once resolved — confirm or reopen, then the satisfaction survey.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { api, type IncidentCommand } from "../../api";
import { ApiError, formErrorsFrom, type FormErrors } from "../../api/errors";
import type { Incident } from "../../api/types";
import { useAnnounce } from "../../components/Announcer";
import { StateBadge } from "../../components/Badges";
import { Conversation } from "../../components/Conversation";
import { Field, RadioGroup } from "../../components/Field";
import { ErrorBox, Loading } from "../../components/Status";
import { useAsync, useNow, usePolling } from "../../lib/hooks";
import { decorate } from "../../lib/directory";
import { newIdempotencyKey } from "../../lib/files";
import { withClocks } from "../../lib/incidents";
import { useSignedIn } from "../../lib/session";
import { expectedResolution, formatDateTime } from "../../lib/time";
import { useDraft } from "../../lib/useDraft";

const SCORES = ["5", "4", "3", "2", "1"] as const;
type Score = (typeof SCORES)[number];

export function CaseDetailPage() {
  const { number = "" } = useParams();
  const { t, i18n } = useTranslation();
  const session = useSignedIn();
  const announce = useAnnounce();
  const now = useNow();
  const data = useAsync(
    async (signal) => {
      const [incident, log] = await Promise.all([
        api.incidents.get(number, signal),
        api.incidents.workLog(number, signal).catch((e) => {
          if (e instanceof ApiError && !e.unauthenticated) return [];
          throw e;
        }),
      ]);
      const [inc] = await decorate(await withClocks([incident], signal), false);
      return { incident: inc, log };
    },
    [number],
  );
  usePolling(() => void data.reload(true), 30_000);

  const comment = useDraft(`comment-${number}`, session.person.id, () => ({ body: "", key: newIdempotencyKey() }));
  const surveyKey = useRef(newIdempotencyKey());
  const [commentErr, setCommentErr] = useState<FormErrors>({ fields: {}, general: "" });
  const [busy, setBusy] = useState<string>("");
  const [actionErr, setActionErr] = useState<unknown>(null);
  const [reopening, setReopening] = useState(false);
  const [reopenReason, setReopenReason] = useState("");
  const [reopenErr, setReopenErr] = useState("");
  const [score, setScore] = useState<Score | "">("");
  const [surveyComment, setSurveyComment] = useState("");
  const [surveyErr, setSurveyErr] = useState<FormErrors>({ fields: {}, general: "" });
  const [surveyDone, setSurveyDone] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const inc = data.data?.incident;
  useEffect(() => {
    document.title = `${number} · ${t("caseDetail.title")} · Tiquete`;
  }, [number, t]);

  async function act(cmd: IncidentCommand, done: string): Promise<Incident | null | undefined> {
    if (!inc) return null;
    setBusy(cmd.verb);
    setActionErr(null);
    try {
      const updated = await api.incidents.act(inc.number, inc.version, cmd);
      await data.reload(true);
      announce(done);
      return updated;
    } catch (e) {
      if (e instanceof ApiError && e.stale) {
        await data.reload(true);
        setActionErr(new Error(t("errors.staleRetry")));
      } else {
        throw e;
      }
      return null;
    } finally {
      setBusy("");
    }
  }

  async function sendComment(e: FormEvent) {
    e.preventDefault();
    if (!comment.value.body.trim()) {
      setCommentErr({ fields: { body: t("caseDetail.commentRequired") }, general: "" });
      return;
    }
    try {
      await act(
        { verb: "comment", body: comment.value.body.trim(), visibility: "public", idempotencyKey: comment.value.key },
        t("caseDetail.commentSent"),
      );
      comment.set(() => ({ body: "", key: newIdempotencyKey() }));
      comment.clear();
      setCommentErr({ fields: {}, general: "" });
    } catch (err) {
      setCommentErr(formErrorsFrom(err, ["body"]));
    }
  }

  async function confirm() {
    try {
      await act({ verb: "close", note: t("caseDetail.confirmNote") }, t("caseDetail.closed"));
    } catch (err) {
      setActionErr(err);
    }
  }

  async function reopen(e: FormEvent) {
    e.preventDefault();
    if (!reopenReason.trim()) {
      setReopenErr(t("caseDetail.reopenReasonRequired"));
      return;
    }
    try {
      await act({ verb: "reopen", reason: reopenReason.trim() }, t("caseDetail.reopened"));
      setReopening(false);
      setReopenReason("");
      setReopenErr("");
    } catch (err) {
      const fe = formErrorsFrom(err, ["reason"]);
      setReopenErr(fe.fields.reason || fe.general);
    }
  }

  async function sendSurvey(e: FormEvent) {
    e.preventDefault();
    if (!score) {
      setSurveyErr({ fields: { score: t("survey.scoreRequired") }, general: "" });
      return;
    }
    try {
      await act(
        { verb: "survey", rating: Number(score), comment: surveyComment.trim(), idempotencyKey: surveyKey.current },
        t("survey.thanks"),
      );
      setSurveyDone(true);
      setSurveyErr({ fields: {}, general: "" });
    } catch (err) {
      setSurveyErr(formErrorsFrom(err, ["score", "comment"]));
    }
  }

  if (data.loading && !data.data) return <Loading />;
  if (data.error && !data.data) {
    return (
      <>
        <h1>{number}</h1>
        <ErrorBox error={data.error} onRetry={() => void data.reload()} />
        <Link to="/casos">{t("caseDetail.back")}</Link>
      </>
    );
  }
  if (!inc) return null;

  const open = ["new", "assigned", "in_progress", "pending"].includes(inc.state);
  const eta = expectedResolution(inc.resolutionDueTime, now, i18n.language);
  const canComment = inc.state !== "closed" && inc.state !== "cancelled";

  return (
    <>
      <p className="breadcrumb">
        <Link to="/casos">{t("caseDetail.back")}</Link>
      </p>
      <div className="page-head">
        <h1 ref={headingRef}>
          <span className="muted">{inc.number}</span> {inc.subject}
        </h1>
        <StateBadge state={inc.state} pendingReason={inc.pendingReason} audience="requester" />
      </div>
      <div className="grid grid--2-1">
        <div>
          {open ? (
            <div className={"panel eta--" + eta.kind} data-testid="eta">
              <p>
                <strong>{t("myCases.eta")}:</strong> {eta.text}
              </p>
              {inc.state === "pending" && inc.pendingReason === "requester" ? <p>{t("caseDetail.waitingForYou")}</p> : null}
            </div>
          ) : null}

          {inc.state === "resolved" ? (
            <section className="panel panel--success" aria-labelledby="resolved-title" data-testid="resolved-panel">
              <h2 id="resolved-title">{t("caseDetail.resolvedTitle")}</h2>
              {inc.resolutionNotes ? <p className="prewrap">{inc.resolutionNotes}</p> : null}
              <p>{t("caseDetail.resolvedQuestion")}</p>
              {!reopening ? (
                <p className="actions">
                  <button type="button" className="button" disabled={!!busy} onClick={() => void confirm()}>
                    {t("caseDetail.confirm")}
                  </button>
                  <button type="button" className="button button--secondary" disabled={!!busy} onClick={() => setReopening(true)}>
                    {t("caseDetail.notSolved")}
                  </button>
                </p>
              ) : (
                <form onSubmit={reopen} noValidate>
                  <Field id="reopen-reason" name="reason" label={t("caseDetail.reopenReason")} error={reopenErr} required>
                    {(p) => <textarea {...p} rows={3} autoFocus value={reopenReason} onChange={(e) => setReopenReason(e.target.value)} />}
                  </Field>
                  <p className="actions">
                    <button type="submit" className="button" disabled={!!busy}>
                      {t("caseDetail.reopen")}
                    </button>
                    <button type="button" className="button button--secondary" onClick={() => setReopening(false)}>
                      {t("common.cancel")}
                    </button>
                  </p>
                </form>
              )}
            </section>
          ) : null}

          {inc.state === "closed" && (!inc.surveyAnswered || surveyDone) ? (
            <section className="panel" aria-labelledby="survey-title" data-testid="survey">
              <h2 id="survey-title">{t("survey.title")}</h2>
              {surveyDone ? (
                <p role="status">{t("survey.thanks")}</p>
              ) : (
                <form onSubmit={sendSurvey} noValidate>
                  {surveyErr.general ? <p className="field__error" role="alert">{surveyErr.general}</p> : null}
                  <RadioGroup<Score>
                    name="score"
                    legend={t("survey.question")}
                    error={surveyErr.fields.score}
                    value={score}
                    onChange={setScore}
                    required
                    options={SCORES.map((s) => ({ value: s, label: `${s} · ${t(`survey.score_${s}`)}` }))}
                  />
                  <Field id="survey-comment" name="comment" label={t("survey.comment")} error={surveyErr.fields.comment} optionalText={t("form.optional")}>
                    {(p) => <textarea {...p} rows={3} value={surveyComment} onChange={(e) => setSurveyComment(e.target.value)} />}
                  </Field>
                  <button type="submit" className="button" disabled={!!busy}>
                    {t("survey.submit")}
                  </button>
                </form>
              )}
            </section>
          ) : null}
          {inc.state === "closed" && inc.surveyAnswered && !surveyDone ? <p className="muted">{t("survey.already")}</p> : null}

          <ErrorBox error={actionErr} />

          <section aria-labelledby="desc-title">
            <h2 id="desc-title">{t("caseDetail.description")}</h2>
            <p className="prewrap">{inc.description}</p>
          </section>

          <section aria-labelledby="conv-title">
            <h2 id="conv-title">{t("caseDetail.conversation")}</h2>
            <Conversation entries={data.data?.log ?? []} selfId={session.person.id} audience="requester" />
            {canComment ? (
              <form onSubmit={sendComment} noValidate className="form">
                {commentErr.general ? <p className="field__error" role="alert">{commentErr.general}</p> : null}
                <Field id="comment-body" name="body" label={t("caseDetail.addComment")} hint={t("caseDetail.commentHint")} error={commentErr.fields.body} required>
                  {(p) => (
                    <textarea {...p} rows={4} value={comment.value.body} onChange={(e) => comment.set((c) => ({ ...c, body: e.target.value }))} />
                  )}
                </Field>
                <button type="submit" className="button" disabled={!!busy}>
                  {busy === "comment" ? t("common.sending") : t("caseDetail.sendComment")}
                </button>
              </form>
            ) : null}
          </section>
        </div>
        <aside aria-labelledby="facts-title" className="facts">
          <h2 id="facts-title">{t("caseDetail.facts")}</h2>
          <dl>
            <dt>{t("caseDetail.number")}</dt>
            <dd>{inc.number}</dd>
            <dt>{t("caseDetail.opened")}</dt>
            <dd>{formatDateTime(inc.createTime, i18n.language)}</dd>
            {inc.categoryPath ? (
              <>
                <dt>{t("newCase.category")}</dt>
                <dd>{inc.categoryPath}</dd>
              </>
            ) : null}
            {inc.serviceName ? (
              <>
                <dt>{t("newCase.service")}</dt>
                <dd>{inc.serviceName}</dd>
              </>
            ) : null}
            {inc.resolveTime ? (
              <>
                <dt>{t("caseDetail.resolvedAt")}</dt>
                <dd>{formatDateTime(inc.resolveTime, i18n.language)}</dd>
              </>
            ) : null}
          </dl>
        </aside>
      </div>
    </>
  );
}
