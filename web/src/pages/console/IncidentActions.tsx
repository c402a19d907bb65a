// The forms behind each console action, shown in a modal dialog: assign, escalate (functional
// or hierarchical, with reason), pend (with reason), resolve (with code), priority change (with
// justification), major-incident flag, cancel, reopen. Server errors land next to the field
// named in details.field.
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, type IncidentCommand } from "../../api";
import { formErrorsFrom, type FormErrors } from "../../api/errors";
import {
  PENDING_REASONS,
  PRIORITIES,
  RESOLUTION_CODES,
  type EscalationKind,
  type Group,
  type Incident,
  type PendingReason,
  type Priority,
} from "../../api/types";
import { Dialog } from "../../components/Dialog";
import { Field, RadioGroup } from "../../components/Field";
import { useAsync } from "../../lib/hooks";

export type ActionKind =
  | "assign"
  | "escalate"
  | "pend"
  | "resolve"
  | "set-priority"
  | "set-major"
  | "cancel"
  | "reopen";

const LEVEL_ORDER: Record<string, number> = { L1: 1, L2: 2, L3: 3 };

/** Groups a functional escalation can go to: support/provider groups above the current level. */
export function escalationTargets(groups: readonly Group[], currentLevel: string): Group[] {
  const cur = LEVEL_ORDER[currentLevel] ?? 1;
  return groups
    .filter((g) => (g.kind === "support" || g.kind === "provider") && (LEVEL_ORDER[g.level] ?? 0) > cur)
    .sort((a, b) => (LEVEL_ORDER[a.level] ?? 9) - (LEVEL_ORDER[b.level] ?? 9) || a.name.localeCompare(b.name, "es"));
}

export function ActionDialog(props: {
  kind: ActionKind | null;
  incident: Incident;
  groups: Group[];
  onClose: () => void;
  onRun: (cmd: IncidentCommand) => Promise<void>;
  selfId: string;
}) {
  const { t } = useTranslation();
  const { kind, incident, groups, onClose, onRun, selfId } = props;
  const [errors, setErrors] = useState<FormErrors>({ fields: {}, general: "" });
  const [busy, setBusy] = useState(false);
  // One state object for every form; each reads what it needs.
  const [v, setV] = useState({
    groupId: "",
    assigneeId: "",
    note: "",
    escalation: "functional" as EscalationKind,
    reason: "",
    pendReason: "" as PendingReason | "",
    code: "",
    priority: "" as Priority | "",
    major: true,
    ownerId: "",
    coordinatorId: "",
  });
  useEffect(() => {
    if (!kind) return;
    const currentGroup = groups.find((g) => g.id === incident.groupId);
    const targets = escalationTargets(groups, incident.supportLevel || currentGroup?.level || "L1");
    setErrors({ fields: {}, general: "" });
    setV({
      groupId: kind === "escalate" ? (targets[0]?.id ?? "") : incident.groupId,
      assigneeId: kind === "assign" ? incident.assigneeId : "",
      note: "",
      escalation: "functional",
      reason: "",
      pendReason: "",
      code: "",
      priority: (incident.priority || "") as Priority | "",
      major: !incident.major,
      ownerId: selfId,
      coordinatorId: "",
    });
  }, [kind, incident, groups, selfId]);

  const members = useAsync(
    async () =>
      (kind === "assign" || kind === "escalate") && v.groupId ? api.directory.groupMembers(v.groupId) : [],
    [kind, v.groupId],
  );
  const coordinators = useAsync(
    async () => {
      if (kind !== "escalate" || v.escalation !== "hierarchical") return [];
      const [c, m] = await Promise.all([
        api.directory.peopleWithRole("coordinator").catch(() => []),
        api.directory.peopleWithRole("incident_manager").catch(() => []),
      ]);
      const seen = new Set<string>();
      return [...c, ...m].filter((p) => !seen.has(p.id) && seen.add(p.id));
    },
    [kind, v.escalation],
  );

  if (!kind) return null;
  const set = <K extends keyof typeof v>(k: K, value: (typeof v)[K]) => setV((cur) => ({ ...cur, [k]: value }));
  const currentGroup = groups.find((g) => g.id === incident.groupId);
  const targets = escalationTargets(groups, incident.supportLevel || currentGroup?.level || "L1");
  const supportGroups = groups.filter((g) => g.kind === "support" || g.kind === "provider" || g.kind === "security");

  function validate(): Record<string, string> {
    const f: Record<string, string> = {};
    const need = (name: string, value: string, msg: string) => {
      if (!value.trim()) f[name] = msg;
    };
    switch (kind) {
      case "assign":
        need("group_id", v.groupId, t("actions.groupRequired"));
        break;
      case "escalate":
        if (v.escalation === "functional") need("group_id", v.groupId, t("actions.groupRequired"));
        need("reason", v.reason, t("actions.reasonRequired"));
        break;
      case "pend":
        need("pend_reason", v.pendReason, t("actions.pendReasonRequired"));
        need("note", v.note, t("actions.noteRequired"));
        break;
      case "resolve":
        need("resolution_code", v.code, t("actions.codeRequired"));
        need("resolution_notes", v.note, t("actions.resolutionNotesRequired"));
        break;
      case "set-priority":
        need("priority", v.priority, t("actions.priorityRequired"));
        need("justification", v.reason, t("actions.justificationRequired"));
        if (v.priority && v.priority === incident.priority) f.priority = t("actions.prioritySame");
        break;
      case "set-major":
        if (v.major) need("owner_id", v.ownerId, t("actions.ownerRequired"));
        need("reason", v.reason, t("actions.reasonRequired"));
        break;
      case "cancel":
      case "reopen":
        need("reason", v.reason, t("actions.reasonRequired"));
        break;
    }
    return f;
  }

  function command(): IncidentCommand {
    switch (kind!) {
      case "assign":
        return { verb: "assign", groupId: v.groupId, assigneeId: v.assigneeId, note: v.note.trim() };
      case "escalate":
        return {
          verb: "escalate",
          kind: v.escalation,
          groupId: v.escalation === "functional" ? v.groupId : "",
          assigneeId: v.escalation === "functional" ? v.assigneeId : "",
          coordinatorId: v.escalation === "hierarchical" ? v.coordinatorId : "",
          reason: v.reason.trim(),
        };
      case "pend":
        return { verb: "pend", reason: v.pendReason as PendingReason, note: v.note.trim() };
      case "resolve":
        return { verb: "resolve", code: v.code, notes: v.note.trim() };
      case "set-priority":
        return { verb: "set-priority", priority: v.priority as Priority, justification: v.reason.trim() };
      case "set-major":
        return { verb: "set-major", major: v.major, ownerId: v.major ? v.ownerId : "", reason: v.reason.trim() };
      case "cancel":
        return { verb: "cancel", reason: v.reason.trim() };
      case "reopen":
        return { verb: "reopen", reason: v.reason.trim() };
    }
  }

  const FIELDS = [
    "group_id",
    "assignee_id",
    "coordinator_id",
    "owner_id",
    "reason",
    "note",
    "pend_reason",
    "resolution_code",
    "resolution_notes",
    "priority",
    "justification",
    "major",
  ];

  async function submit(e: FormEvent) {
    e.preventDefault();
    const f = validate();
    if (Object.keys(f).length) {
      setErrors({ fields: f, general: "" });
      const first = Object.keys(f)[0];
      document.getElementById(`act-${first}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      await onRun(command());
      onClose();
    } catch (err) {
      // SetPendingRequest calls the pending reason "reason": point it at the radios.
      const fe = formErrorsFrom(err, FIELDS);
      if (kind === "pend" && fe.fields.reason) {
        fe.fields.pend_reason = fe.fields.reason;
        delete fe.fields.reason;
      }
      setErrors(fe);
    } finally {
      setBusy(false);
    }
  }

  const title = t(`actions.${kind}.title`, { number: incident.number });
  const err = errors.fields;
  const textArea = (name: string, label: string, value: string, onChange: (s: string) => void, hint?: string) => (
    <Field id={`act-${name}`} name={name} label={label} hint={hint} error={err[name]} required>
      {(p) => <textarea {...p} rows={4} value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );

  return (
    <Dialog open title={title} onClose={onClose}>
      <form onSubmit={submit} noValidate className="form" data-testid={`dialog-${kind}`}>
        {errors.general ? (
          <p className="field__error" role="alert">
            {errors.general}
          </p>
        ) : null}

        {kind === "assign" ? (
          <>
            <Field id="act-group_id" name="group_id" label={t("actions.group")} error={err.group_id} required>
              {(p) => (
                <select {...p} value={v.groupId} onChange={(e) => setV((c) => ({ ...c, groupId: e.target.value, assigneeId: "" }))}>
                  <option value="">{t("actions.chooseGroup")}</option>
                  {supportGroups.map((g) => (
                    <option key={g.id} value={g.id}>
                      {g.name} ({g.level})
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id="act-assignee_id" name="assignee_id" label={t("actions.assignee")} hint={t("actions.assigneeHint")} error={err.assignee_id} optionalText={t("form.optional")}>
              {(p) => (
                <select {...p} value={v.assigneeId} onChange={(e) => set("assigneeId", e.target.value)}>
                  <option value="">{t("actions.wholeGroup")}</option>
                  {(members.data ?? []).map((m) => (
                    <option key={m.personId} value={m.personId}>
                      {m.displayName}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id="act-note" name="note" label={t("actions.note")} error={err.note} optionalText={t("form.optional")}>
              {(p) => <textarea {...p} rows={3} value={v.note} onChange={(e) => set("note", e.target.value)} />}
            </Field>
          </>
        ) : null}

        {kind === "escalate" ? (
          <>
            <RadioGroup<EscalationKind>
              name="act-escalation"
              legend={t("actions.escalationKind")}
              value={v.escalation}
              onChange={(k) => set("escalation", k)}
              options={[
                { value: "functional", label: t("actions.functional"), hint: t("actions.functionalHint") },
                { value: "hierarchical", label: t("actions.hierarchical"), hint: t("actions.hierarchicalHint") },
              ]}
            />
            {v.escalation === "functional" ? (
              <>
                <Field id="act-group_id" name="group_id" label={t("actions.targetGroup")} error={err.group_id} required>
                  {(p) => (
                    <select {...p} value={v.groupId} onChange={(e) => setV((c) => ({ ...c, groupId: e.target.value, assigneeId: "" }))}>
                      <option value="">{t("actions.chooseGroup")}</option>
                      {targets.map((g) => (
                        <option key={g.id} value={g.id}>
                          {g.name} ({g.level})
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field id="act-assignee_id" name="assignee_id" label={t("actions.assignee")} hint={t("actions.assigneeHint")} error={err.assignee_id} optionalText={t("form.optional")}>
                  {(p) => (
                    <select {...p} value={v.assigneeId} onChange={(e) => set("assigneeId", e.target.value)}>
                      <option value="">{t("actions.wholeGroup")}</option>
                      {(members.data ?? []).map((m) => (
                        <option key={m.personId} value={m.personId}>
                          {m.displayName}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              </>
            ) : (
              <Field id="act-coordinator_id" name="coordinator_id" label={t("actions.coordinator")} error={err.coordinator_id} optionalText={t("form.optional")}>
                {(p) => (
                  <select {...p} value={v.coordinatorId} onChange={(e) => set("coordinatorId", e.target.value)}>
                    <option value="">{t("actions.anyCoordinator")}</option>
                    {(coordinators.data ?? []).map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.displayName}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
            {textArea("reason", t("actions.escalationReason"), v.reason, (s) => set("reason", s), t("actions.escalationReasonHint"))}
          </>
        ) : null}

        {kind === "pend" ? (
          <>
            <RadioGroup<PendingReason>
              name="act-pend_reason"
              legend={t("actions.pendReason")}
              error={err.pend_reason}
              value={v.pendReason}
              required
              onChange={(r) => set("pendReason", r)}
              options={PENDING_REASONS.map((r) => ({ value: r, label: t(`pendingReason.${r}`), hint: t(`pendingReason.${r}_hint`) }))}
            />
            {textArea("note", t("actions.pendNote"), v.note, (s) => set("note", s), t("actions.pendNoteHint"))}
          </>
        ) : null}

        {kind === "resolve" ? (
          <>
            <Field id="act-resolution_code" name="resolution_code" label={t("actions.code")} error={err.resolution_code} required>
              {(p) => (
                <select {...p} value={v.code} onChange={(e) => set("code", e.target.value)}>
                  <option value="">{t("actions.chooseCode")}</option>
                  {RESOLUTION_CODES.map((c) => (
                    <option key={c} value={c}>
                      {t(`resolutionCode.${c}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {textArea("resolution_notes", t("actions.resolutionNotes"), v.note, (s) => set("note", s), t("actions.resolutionNotesHint"))}
          </>
        ) : null}

        {kind === "set-priority" ? (
          <>
            <p>{t("actions.priorityNow", { priority: incident.priority || t("priority.none") })}</p>
            <Field id="act-priority" name="priority" label={t("actions.newPriority")} error={err.priority} required>
              {(p) => (
                <select {...p} value={v.priority} onChange={(e) => set("priority", e.target.value as Priority)}>
                  <option value="">{t("actions.choosePriority")}</option>
                  {PRIORITIES.map((pr) => (
                    <option key={pr} value={pr}>
                      {pr} · {t(`priority.${pr}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {textArea("justification", t("actions.justification"), v.reason, (s) => set("reason", s), t("actions.justificationHint"))}
          </>
        ) : null}

        {kind === "set-major" ? (
          <>
            <p>{incident.major ? t("actions.majorUnsetExplain") : t("actions.majorSetExplain")}</p>
            {v.major ? (
              <Field id="act-owner_id" name="owner_id" label={t("actions.majorOwner")} error={err.owner_id} required>
                {(p) => (
                  <select {...p} value={v.ownerId} onChange={(e) => set("ownerId", e.target.value)}>
                    <option value={selfId}>{t("actions.me")}</option>
                    {incident.assigneeId && incident.assigneeId !== selfId ? (
                      <option value={incident.assigneeId}>{incident.assigneeName || t("incident.assignee")}</option>
                    ) : null}
                  </select>
                )}
              </Field>
            ) : null}
            {textArea("reason", t("actions.reason"), v.reason, (s) => set("reason", s))}
          </>
        ) : null}

        {kind === "cancel" || kind === "reopen" ? textArea("reason", t("actions.reason"), v.reason, (s) => set("reason", s)) : null}

        <div className="actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? t("common.sending") : t(`actions.${kind}.submit`)}
          </button>
          <button type="button" className="button button--secondary" onClick={onClose}>
            {t("common.cancel")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
