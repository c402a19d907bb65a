// One incident in the console: SLA clocks, facts, description, the full work log with public
// and internal notes, the audit trail, and every action of the lifecycle, each on a key.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { api, type IncidentCommand } from "../../api";
import { ApiError, formErrorsFrom, type FormErrors } from "../../api/errors";
import { OPEN_STATES, type Incident, type Visibility } from "../../api/types";
import { useAnnounce } from "../../components/Announcer";
import { PriorityBadge, SlaBadge, StateBadge } from "../../components/Badges";
import { ClockExplanation } from "../../components/ClockExplanation";
import { Conversation } from "../../components/Conversation";
import { Field, RadioGroup } from "../../components/Field";
import { useShortcuts } from "../../components/Shortcuts";
import { ErrorBox, Loading } from "../../components/Status";
import { useAsync, useNow, usePolling } from "../../lib/hooks";
import { decorate, peopleNames } from "../../lib/directory";
import { newIdempotencyKey } from "../../lib/files";
import { useSession, useSignedIn } from "../../lib/session";
import { formatDateTime } from "../../lib/time";
import { useDraft } from "../../lib/useDraft";
import { ActionDialog, type ActionKind } from "./IncidentActions";

type Tab = "history" | "audit";

export function IncidentPage() {
  const { number = "" } = useParams();
  const { t, i18n } = useTranslation();
  const session = useSignedIn();
  const { groups, manager } = useSession();
  // SetPriority is not open to providers; SetMajorIncident only to coordinators and managers.
  const canPrioritise = session.roles.some((r) => r !== "provider" && r !== "requester");
  const announce = useAnnounce();
  const navigate = useNavigate();
  const now = useNow(15_000);

  const data = useAsync(
    async (signal) => {
      const incident = await api.incidents.get(number, signal);
      const denied = <T,>(e: unknown, fallback: T): T => {
        if (e instanceof ApiError && (e.forbidden || e.notFound)) return fallback;
        throw e;
      };
      const [log, audit, escalations, clocks] = await Promise.all([
        api.incidents.workLog(number, signal),
        api.incidents.auditTrail(number, signal).catch((e) => denied(e, null)),
        api.incidents.escalations(number, signal).catch((e) => denied(e, [])),
        incident.clocks.length ? Promise.resolve(incident.clocks) : api.sla.clocks(number, signal).catch(() => []),
      ]);
      const [decorated] = await decorate([{ ...incident, clocks }], true);
      const names = await peopleNames([
        ...log.map((e) => e.authorId),
        ...(audit ?? []).map((a) => a.actorId),
        ...escalations.flatMap((x) => [x.actorId, x.toPersonId]),
      ]);
      const name = (id: string) => names.get(id)?.displayName ?? "";
      return {
        incident: decorated,
        log: log.map((e) => ({ ...e, authorName: name(e.authorId) })),
        audit: audit?.map((a) => ({ ...a, actorName: name(a.actorId) })) ?? null,
        escalations,
        name,
      };
    },
    [number],
  );
  usePolling(() => void data.reload(true), 20_000);

  const [dialog, setDialog] = useState<ActionKind | null>(null);
  const [tab, setTab] = useState<Tab>("history");
  const [actionErr, setActionErr] = useState<unknown>(null);
  const [busy, setBusy] = useState("");
  const note = useDraft(`note-${number}`, session.person.id, () => ({
    body: "",
    visibility: "public" as Visibility,
    key: newIdempotencyKey(),
  }));
  const [noteErr, setNoteErr] = useState<FormErrors>({ fields: {}, general: "" });
  const noteRef = useRef<HTMLTextAreaElement>(null);

  const inc = data.data?.incident;
  useEffect(() => {
    document.title = `${number}${inc ? " · " + inc.subject : ""} · Tiquete`;
  }, [number, inc]);

  async function run(cmd: IncidentCommand): Promise<void> {
    if (!inc) return;
    try {
      await api.incidents.act(inc.number, inc.version, cmd);
    } catch (e) {
      if (e instanceof ApiError && e.stale) {
        await data.reload(true);
        throw new ApiError({ status: 409, code: "ABORTED", message: t("errors.staleRetry") });
      }
      throw e;
    }
    await data.reload(true);
    announce(t(`actions.${cmd.verb}.done`, { number: inc.number }));
  }

  async function quick(cmd: IncidentCommand) {
    setBusy(cmd.verb);
    setActionErr(null);
    try {
      await run(cmd);
    } catch (e) {
      setActionErr(e);
    } finally {
      setBusy("");
    }
  }

  function take() {
    if (!inc) return;
    const mine = session.groups.map((g) => g.id);
    const groupId = mine.includes(inc.groupId) ? inc.groupId : mine[0] || inc.groupId;
    void quick({ verb: "assign", groupId, assigneeId: session.person.id, note: "" });
  }

  async function sendNote(e: FormEvent) {
    e.preventDefault();
    const body = note.value.body.trim();
    if (!body) {
      setNoteErr({ fields: { body: t("incident.noteRequired") }, general: "" });
      noteRef.current?.focus();
      return;
    }
    setBusy("comment");
    try {
      await run({ verb: "comment", body, visibility: note.value.visibility, idempotencyKey: note.value.key });
      note.set((n) => ({ ...n, body: "", key: newIdempotencyKey() }));
      note.clear();
      setNoteErr({ fields: {}, general: "" });
    } catch (err) {
      setNoteErr(formErrorsFrom(err, ["body", "visibility"]));
    } finally {
      setBusy("");
    }
  }

  const open = inc ? OPEN_STATES.includes(inc.state) : false;
  const can = {
    take: open && inc?.assigneeId !== session.person.id,
    assign: open,
    escalate: open,
    start: inc ? ["new", "assigned"].includes(inc.state) : false,
    pend: inc ? ["assigned", "in_progress"].includes(inc.state) : false,
    resume: inc?.state === "pending",
    resolve: inc ? ["assigned", "in_progress"].includes(inc.state) : false,
    priority: open && canPrioritise,
    major: open && manager,
    cancel: open,
    reopen: inc?.state === "resolved",
  };

  const focusNote = (visibility: Visibility) => {
    note.set((n) => ({ ...n, visibility }));
    setTab("history");
    requestAnimationFrame(() => noteRef.current?.focus());
  };
  const when = (ok: boolean, f: () => void) => () => {
    if (ok && !dialog) f();
  };
  useShortcuts("incident", [
    { keys: "t", label: "incident.take", run: when(can.take, take) },
    { keys: "a", label: "incident.assign", run: when(can.assign, () => setDialog("assign")) },
    { keys: "e", label: "incident.escalate", run: when(can.escalate, () => setDialog("escalate")) },
    { keys: "i", label: "incident.start", run: when(can.start, () => void quick({ verb: "start" })) },
    { keys: "p", label: "incident.pend", run: when(can.pend, () => setDialog("pend")) },
    { keys: "u", label: "incident.resume", run: when(can.resume, () => void quick({ verb: "resume" })) },
    { keys: "s", label: "incident.resolve", run: when(can.resolve, () => setDialog("resolve")) },
    { keys: "shift+p", label: "incident.setPriority", run: when(can.priority, () => setDialog("set-priority")) },
    { keys: "m", label: "incident.setMajor", run: when(can.major, () => setDialog("set-major")) },
    { keys: "c", label: "incident.publicComment", run: () => focusNote("public") },
    { keys: "n", label: "incident.internalNote", run: () => focusNote("internal") },
    { keys: "h", label: "incident.tabAudit", run: () => setTab((x) => (x === "audit" ? "history" : "audit")) },
    { keys: "g", label: "incident.backToQueues", run: () => navigate("/consola") },
  ]);

  if (data.loading && !data.data) return <Loading />;
  if (data.error && !data.data) {
    return (
      <>
        <h1>{number}</h1>
        <ErrorBox error={data.error} onRetry={() => void data.reload()} />
        <Link to="/consola">{t("incident.backToQueues")}</Link>
      </>
    );
  }
  if (!inc) return null;

  // Audit values are raw (ids, enum names): show names where we know them.
  const auditValue = (field: string, value: string): string => {
    if (!value) return "—";
    if (field === "assignment_group_id") return groups.find((g) => g.id === value)?.name || value;
    if (["assignee_id", "coordinator_id", "major_owner_id", "requester_id"].includes(field))
      return data.data?.name(value) || value;
    if (field === "priority" || field === "matrix_priority") return value;
    if (field === "pending_reason") return t(`pendingReason.${value.toLowerCase()}`, { defaultValue: value });
    if (field === "impact" || field === "urgency") return t(`level.${value.toLowerCase()}`, { defaultValue: value });
    if (value === "true") return t("common.yes");
    if (value === "false") return t("common.no");
    return value;
  };

  const btn = (ok: boolean, label: string, key: string, onClick: () => void, testid: string, primary = false) =>
    ok ? (
      <button
        type="button"
        className={"button" + (primary ? "" : " button--secondary")}
        onClick={onClick}
        disabled={!!busy}
        aria-keyshortcuts={key.replace("shift+", "Shift+")}
        data-testid={testid}
      >
        {label} <kbd aria-hidden="true">{key.replace("shift+", "⇧").toUpperCase()}</kbd>
      </button>
    ) : null;

  return (
    <>
      <p className="breadcrumb">
        <Link to="/consola">{t("incident.backToQueues")}</Link>
      </p>
      <div className="page-head">
        <h1>
          <span className="muted">{inc.number}</span> {inc.subject}
        </h1>
        <div className="badges" data-testid="incident-badges">
          <StateBadge state={inc.state} pendingReason={inc.pendingReason} />
          <PriorityBadge priority={inc.priority} />
          {inc.major ? <span className="badge badge--major">{t("incident.major")}</span> : null}
          {inc.security ? <span className="badge badge--security">{t("incident.security")}</span> : null}
        </div>
      </div>

      <section className="sla-panel" aria-labelledby="sla-title" data-testid="sla-panel">
        <h2 id="sla-title" className="visually-hidden">
          {t("incident.sla")}
        </h2>
        {inc.clocks.length === 0 ? <SlaBadge clock={undefined} now={now} /> : null}
        {inc.clocks.map((c) => (
          <div key={c.kind} className="sla-panel__clock">
            <SlaBadge clock={c} now={now} />
            {c.dueTime ? <span className="muted"> · {t("sla.dueAt", { when: formatDateTime(c.dueTime, i18n.language) })}</span> : null}
          </div>
        ))}
        {inc.clocks.map((c) => (
          <ClockExplanation key={`explain-${c.id || c.kind}`} clock={c} refresh={now.getTime()} />
        ))}
      </section>

      <div className="toolbar" role="toolbar" aria-label={t("incident.actions")}>
        {btn(can.take, t("incident.take"), "t", take, "action-take", true)}
        {btn(can.assign, t("incident.assign"), "a", () => setDialog("assign"), "action-assign")}
        {btn(can.escalate, t("incident.escalate"), "e", () => setDialog("escalate"), "action-escalate")}
        {btn(can.start, t("incident.start"), "i", () => void quick({ verb: "start" }), "action-start", true)}
        {btn(can.pend, t("incident.pend"), "p", () => setDialog("pend"), "action-pend")}
        {btn(can.resume, t("incident.resume"), "u", () => void quick({ verb: "resume" }), "action-resume", true)}
        {btn(can.resolve, t("incident.resolve"), "s", () => setDialog("resolve"), "action-resolve", true)}
        {btn(can.priority, t("incident.setPriority"), "shift+p", () => setDialog("set-priority"), "action-priority")}
        {btn(can.major, inc.major ? t("incident.unsetMajor") : t("incident.setMajor"), "m", () => setDialog("set-major"), "action-major")}
        {can.reopen ? (
          <button type="button" className="button button--secondary" onClick={() => setDialog("reopen")} data-testid="action-reopen">
            {t("incident.reopen")}
          </button>
        ) : null}
        {can.cancel ? (
          <button type="button" className="button button--danger" onClick={() => setDialog("cancel")} data-testid="action-cancel">
            {t("incident.cancel")}
          </button>
        ) : null}
      </div>
      <ErrorBox error={actionErr} />

      <div className="grid grid--2-1">
        <div>
          <section aria-labelledby="desc-title">
            <h2 id="desc-title">{t("caseDetail.description")}</h2>
            <p className="prewrap">{inc.description}</p>
            {inc.resolutionNotes ? (
              <div className="panel panel--success">
                <h3>{t("incident.resolution")}</h3>
                <p>
                  <strong>{t(`resolutionCode.${inc.resolutionCode}`, { defaultValue: inc.resolutionCode })}</strong>
                </p>
                <p className="prewrap">{inc.resolutionNotes}</p>
              </div>
            ) : null}
          </section>

          <div className="tabs tabs--local" role="tablist" aria-label={t("incident.record")}>
            {(["history", "audit"] as Tab[]).map((x) => (
              <button
                key={x}
                type="button"
                role="tab"
                id={`tab-${x}`}
                aria-selected={tab === x}
                aria-controls={`panel-${x}`}
                tabIndex={tab === x ? 0 : -1}
                className={"tabs__item" + (tab === x ? " is-active" : "")}
                onClick={() => setTab(x)}
                onKeyDown={(e) => {
                  if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
                    const next = x === "history" ? "audit" : "history";
                    setTab(next);
                    document.getElementById(`tab-${next}`)?.focus();
                  }
                }}
              >
                {t(x === "history" ? "incident.tabHistory" : "incident.tabAudit")}
              </button>
            ))}
          </div>

          <div role="tabpanel" id="panel-history" aria-labelledby="tab-history" hidden={tab !== "history"}>
            <Conversation entries={data.data?.log ?? []} selfId={session.person.id} audience="agent" />
            <form onSubmit={sendNote} noValidate className="form note-form" data-testid="note-form">
              {noteErr.general ? <p className="field__error" role="alert">{noteErr.general}</p> : null}
              <RadioGroup<Visibility>
                name="visibility"
                legend={t("incident.noteVisibility")}
                inline
                value={note.value.visibility}
                onChange={(vis) => note.set((n) => ({ ...n, visibility: vis }))}
                options={[
                  { value: "public", label: t("incident.visibilityPublic") },
                  { value: "internal", label: t("incident.visibilityInternal") },
                ]}
              />
              <Field
                id="note-body"
                name="body"
                label={note.value.visibility === "public" ? t("incident.publicComment") : t("incident.internalNote")}
                hint={note.value.visibility === "public" ? t("incident.publicHint") : t("incident.internalHint")}
                error={noteErr.fields.body}
                required
              >
                {(p) => (
                  <textarea
                    {...p}
                    ref={noteRef}
                    rows={4}
                    className={note.value.visibility === "internal" ? "is-internal" : undefined}
                    value={note.value.body}
                    onChange={(e) => note.set((n) => ({ ...n, body: e.target.value }))}
                  />
                )}
              </Field>
              <button type="submit" className="button" disabled={!!busy}>
                {busy === "comment"
                  ? t("common.sending")
                  : note.value.visibility === "public"
                    ? t("incident.sendPublic")
                    : t("incident.sendInternal")}
              </button>
            </form>
          </div>

          <div role="tabpanel" id="panel-audit" aria-labelledby="tab-audit" hidden={tab !== "audit"}>
            {(data.data?.escalations ?? []).length > 0 ? (
              <>
                <h3>{t("incident.escalations")}</h3>
                <div className="table-wrap">
                  <table className="table table--compact" data-testid="escalations-table">
                    <caption className="visually-hidden">{t("incident.escalations")}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t("incident.auditWhen")}</th>
                        <th scope="col">{t("incident.auditWho")}</th>
                        <th scope="col">{t("actions.escalationKind")}</th>
                        <th scope="col">{t("incident.auditChange")}</th>
                        <th scope="col">{t("incident.auditReason")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {(data.data?.escalations ?? []).map((x) => (
                        <tr key={x.id}>
                          <td>
                            <time dateTime={x.at}>{formatDateTime(x.at, i18n.language)}</time>
                          </td>
                          <td>{data.data?.name(x.actorId) || t("conversation.system")}</td>
                          <td>{t(`actions.${x.kind}`)}</td>
                          <td>
                            {`${x.fromLevel || "—"} → ${x.toLevel || "—"}`}
                            {x.toGroupId ? ` · ${groups.find((g) => g.id === x.toGroupId)?.name ?? ""}` : ""}
                            {x.toPersonId && data.data?.name(x.toPersonId) ? ` · ${data.data.name(x.toPersonId)}` : ""}
                          </td>
                          <td>{x.reason}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                <h3>{t("incident.auditChanges")}</h3>
              </>
            ) : null}
            {data.data?.audit === null ? (
              <p className="muted">{t("incident.auditForbidden")}</p>
            ) : (data.data?.audit ?? []).length === 0 ? (
              <p className="muted">{t("incident.auditEmpty")}</p>
            ) : (
              <div className="table-wrap">
                <table className="table table--compact" data-testid="audit-table">
                  <caption className="visually-hidden">{t("incident.tabAudit")}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("incident.auditWhen")}</th>
                      <th scope="col">{t("incident.auditWho")}</th>
                      <th scope="col">{t("incident.auditAction")}</th>
                      <th scope="col">{t("incident.auditChange")}</th>
                      <th scope="col">{t("incident.auditReason")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {(data.data?.audit ?? []).map((a, idx) => (
                      <tr key={a.id || idx}>
                        <td>
                          <time dateTime={a.createTime}>{formatDateTime(a.createTime, i18n.language)}</time>
                        </td>
                        <td>{a.actorName || a.actorId || t("conversation.system")}</td>
                        <td>{t(`auditField.${a.action.replace(/\./g, "_")}`, { defaultValue: a.action })}</td>
                        <td>
                          {a.fromState || a.toState
                            ? `${a.fromState ? t(`state.${a.fromState}`) : "—"} → ${a.toState ? t(`state.${a.toState}`) : "—"}`
                            : `${auditValue(a.action, a.oldValue)} → ${auditValue(a.action, a.newValue)}`}
                        </td>
                        <td>{a.reason}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        </div>

        <aside className="facts" aria-labelledby="facts-title">
          <h2 id="facts-title">{t("caseDetail.facts")}</h2>
          <Facts incident={inc} />
        </aside>
      </div>

      <ActionDialog
        kind={dialog}
        incident={inc}
        groups={groups}
        selfId={session.person.id}
        onClose={() => setDialog(null)}
        onRun={run}
      />
    </>
  );
}

function Facts({ incident: i }: { incident: Incident }) {
  const { t, i18n } = useTranslation();
  const row = (label: string, value: string | undefined, testid?: string) =>
    value ? (
      <>
        <dt>{label}</dt>
        <dd data-testid={testid}>{value}</dd>
      </>
    ) : null;
  return (
    <dl>
      {row(t("incident.requester"), [i.requesterName, i.requesterEmail].filter(Boolean).join(" · "))}
      {row(t("incident.group"), i.groupName || t("queues.nobody"), "fact-group")}
      {row(t("incident.assignee"), i.assigneeName || t("queues.nobody"), "fact-assignee")}
      {row(t("incident.level"), i.supportLevel)}
      {row(t("newCase.category"), i.categoryPath)}
      {row(t("newCase.service"), i.serviceName)}
      {row(t("incident.impactUrgency"), i.impact || i.urgency ? `${t(`level.${i.impact || "medium"}`)} / ${t(`level.${i.urgency || "medium"}`)}` : "")}
      {row(t("caseDetail.opened"), formatDateTime(i.createTime, i18n.language))}
      {row(t("incident.updated"), formatDateTime(i.updateTime, i18n.language))}
      {row(t("caseDetail.resolvedAt"), formatDateTime(i.resolveTime, i18n.language))}
    </dl>
  );
}
