// Wire format ↔ UI models. The gateway writes proto field names, enums as their names
// (e.g. "INCIDENT_STATE_IN_PROGRESS"), int64 as strings and Timestamps as RFC 3339; the
// directory uses lower-case codes. Enum names are decoded by suffix so either style reads, and
// encoded through ENUM_PREFIX below: when a proto names its enums differently, edit it there.
import type {
  AuditEntry,
  Category,
  ClockExplanation,
  ClockKind,
  ClockSegment,
  ClockStatus,
  ConfigurationItem,
  Group,
  GroupMember,
  GroupRef,
  Incident,
  IncidentState,
  Level,
  PendingReason,
  Person,
  Priority,
  Session,
  SlaCalendar,
  SlaClock,
  SlaPolicy,
  SubmitResult,
  Visibility,
  WorkLogEntry,
  ItService,
  AttachmentRef,
  Escalation,
} from "./types";
import {
  INCIDENT_STATES,
  LEVELS,
  PENDING_REASONS,
  PRIORITIES,
} from "./types";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Raw = Record<string, any>;

/**
 * Proto enum type prefixes used when sending enum values. Tiquete's protos name enum values
 * bare (tiquete.incident.v1.State NEW, Level HIGH, Priority P1, Visibility PUBLIC …), so every
 * prefix is empty; a proto that prefixes its values gets its prefix here.
 */
export const ENUM_PREFIX = {
  state: "",
  level: "",
  priority: "",
  pendingReason: "",
  escalation: "",
  visibility: "",
  channel: "",
} as const;

export function toWireEnum(prefix: string, code: string): string {
  return prefix + code.toUpperCase();
}

/** Decodes an enum name or code into one of `known` (matching by suffix), or "". */
export function fromWireEnum<T extends string>(value: unknown, known: readonly T[]): T | "" {
  if (value === undefined || value === null || value === "") return "";
  const v = String(value).toLowerCase();
  // Longest first, so "in_progress" wins over a shorter code that is also a suffix.
  const sorted = [...known].sort((a, b) => b.length - a.length);
  for (const k of sorted) {
    const kk = k.toLowerCase();
    if (v === kk || v.endsWith("_" + kk)) return k;
  }
  return "";
}

const str = (v: unknown): string => (v === undefined || v === null ? "" : String(v));
const num = (v: unknown): number | null => {
  if (v === undefined || v === null || v === "") return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};
const first = (o: Raw | undefined, ...keys: string[]): unknown => {
  if (!o) return undefined;
  for (const k of keys) if (o[k] !== undefined && o[k] !== null && o[k] !== "") return o[k];
  return undefined;
};
const arr = (v: unknown): Raw[] => (Array.isArray(v) ? (v as Raw[]) : []);

export function toGroupRef(r: Raw): GroupRef {
  return { id: str(r.id), code: str(r.code), name: str(r.name) };
}

export function toPerson(r: Raw | undefined): Person {
  const p = r ?? {};
  const given = str(p.given_name);
  const family = str(p.family_name);
  return {
    id: str(p.id),
    email: str(p.email),
    givenName: given,
    familyName: family,
    displayName: str(p.display_name) || [given, family].filter(Boolean).join(" ") || str(p.email),
    jobTitle: str(p.job_title),
    orgUnitCode: str(p.org_unit_code),
    roles: arr(p.roles).map(String),
    groups: arr(p.groups).map(toGroupRef),
  };
}

/**
 * tiquete.gateway.v1.SessionInfo: {person_id, email, display_name, roles, group_ids,
 * csrf_token, auth_method, expire_time}. Group names are filled in later from the directory.
 */
export function toSession(r: Raw): Session {
  const person = r.person
    ? toPerson(r.person as Raw)
    : toPerson({ id: r.person_id, email: r.email, display_name: r.display_name });
  const roles = Array.isArray(r.roles) ? r.roles.map(String) : person.roles;
  const groups = Array.isArray(r.groups)
    ? arr(r.groups).map(toGroupRef)
    : Array.isArray(r.group_ids)
      ? (r.group_ids as unknown[]).map((id) => ({ id: String(id), code: "", name: "" }))
      : person.groups;
  return {
    person: { ...person, roles, groups },
    roles,
    groups,
    csrfToken: str(r.csrf_token),
    expireTime: str(r.expire_time),
  };
}

export function toCategory(r: Raw): Category {
  return {
    id: str(r.id),
    parentId: str(r.parent_id),
    name: str(r.name),
    fullPath: str(r.full_path) || str(r.name),
    depth: num(r.depth) ?? 0,
    description: str(r.description),
    security: Boolean(r.security),
  };
}

export function toItService(r: Raw): ItService {
  return { id: str(r.id), code: str(r.code), name: str(r.name), description: str(r.description) };
}

export function toCi(r: Raw): ConfigurationItem {
  return {
    id: str(r.id),
    code: str(r.code),
    name: str(r.name),
    type: str(r.type),
    serviceId: str(r.service_id),
  };
}

export function toGroup(r: Raw): Group {
  return {
    id: str(r.id),
    code: str(r.code),
    name: str(r.name),
    level: str(r.level),
    kind: str(r.kind),
  };
}

export function toGroupMember(r: Raw): GroupMember {
  return {
    personId: str(r.person_id),
    displayName: str(r.display_name) || str(r.email),
    email: str(r.email),
  };
}

const CLOCK_KINDS: readonly ClockKind[] = ["response", "resolution"];
const CLOCK_STATUSES: readonly ClockStatus[] = [
  "running",
  "paused",
  "warning",
  "met",
  "breached",
  "stopped",
];

/**
 * tiquete.sla.v1.Clock: {ticket, kind: response|resolution|ola|uc, state: running|paused|
 * stopped|cancelled, remaining_minutes, percent, due_time, breached, at_risk, ...}. The UI's
 * status folds state and flags together: a stopped clock is "met" (breached tells if late).
 */
export function toClock(r: Raw, ticketNumber = ""): SlaClock {
  const state = str(first(r, "state", "status")).toLowerCase();
  const breached = Boolean(r.breached);
  let status: ClockStatus;
  if (state === "stopped" || state === "met") status = "met";
  else if (state === "cancelled") status = "stopped";
  else if (state === "paused") status = "paused";
  else if (breached || state === "breached") status = "breached";
  else if (r.at_risk || state === "warning") status = "warning";
  else status = fromWireEnum(state, CLOCK_STATUSES) || "running";
  const remainingMinutes = num(r.remaining_minutes);
  const targetSeconds = num(r.target_seconds);
  const elapsedSeconds = num(r.elapsed_seconds);
  return {
    id: str(r.id),
    ticketNumber: str(first(r, "ticket", "ticket_number", "number")) || ticketNumber,
    kind: (fromWireEnum(r.kind, CLOCK_KINDS) || str(r.kind).toLowerCase() || "resolution") as ClockKind,
    status,
    breached: breached || status === "breached",
    dueTime: str(first(r, "due_time", "target_time")),
    remainingSeconds:
      targetSeconds !== null && elapsedSeconds !== null
        ? targetSeconds - elapsedSeconds
        : remainingMinutes !== null
          ? remainingMinutes * 60
          : num(r.remaining_seconds),
    percentUsed: num(first(r, "percent", "percent_used")),
    paused: status === "paused",
  };
}

/** tiquete.sla.v1.ClockExplanation: the clock, its segments in order (the open one last). */
export function toClockExplanation(r: Raw): ClockExplanation {
  const c = (r?.clock ?? {}) as Raw;
  return {
    clock: toClock(c),
    priority: num(c.priority) ?? 0,
    targetSeconds: num(c.target_seconds) ?? 0,
    elapsedSeconds: num(c.elapsed_seconds) ?? 0,
    startTime: str(c.start_time),
    stopTime: str(c.stop_time),
    segments: arr(r?.segments)
      .map(
        (g): ClockSegment => ({
          seq: num(g.seq) ?? 0,
          running: Boolean(g.running),
          startTime: str(g.start_time),
          endTime: str(g.end_time),
          open: Boolean(g.open),
          businessSeconds: num(g.business_seconds) ?? 0,
          note: str(g.note),
        }),
      )
      .sort((a, b) => a.seq - b.seq),
  };
}

/** tiquete.sla.v1.Policy. */
export function toPolicy(r: Raw): SlaPolicy {
  const kind = str(r.kind).toLowerCase();
  return {
    id: str(r.id),
    name: str(r.name),
    description: str(r.description),
    kind: kind === "ola" || kind === "uc" ? kind : "sla",
    calendarId: str(r.calendar_id),
    serviceId: str(r.service_id),
    categoryId: str(r.category_id),
    groupId: str(r.group_id),
    groupLevel: str(r.group_level),
    targets: arr(r.targets)
      .map((t) => ({
        priority: num(t.priority) ?? 0,
        responseMinutes: num(t.response_minutes) ?? 0,
        resolutionMinutes: num(t.resolution_minutes) ?? 0,
      }))
      .sort((a, b) => a.priority - b.priority),
    warningPercents: (Array.isArray(r.warning_percents) ? r.warning_percents : []).map((v) => Number(v)),
    pauseOn: (Array.isArray(r.pause_on) ? r.pause_on : []).map((v) => String(v)),
    escalations: arr(r.escalations).map((e) => ({
      thresholdPercent: num(e.threshold_percent) ?? 0,
      clocks: str(e.clocks),
      action: str(e.action),
    })),
    escalationPath: arr(r.escalation_path).map((e) => ({ fromLevel: str(e.from_level), toGroupId: str(e.to_group_id) })),
    active: Boolean(r.active),
    version: num(r.version) ?? 0,
  };
}

/** The writable fields of a policy, as UpdatePolicy takes them (it replaces every field). */
export function policyBody(p: SlaPolicy): Raw {
  return {
    name: p.name,
    description: p.description,
    kind: p.kind,
    calendar_id: p.calendarId,
    service_id: p.serviceId,
    category_id: p.categoryId,
    group_id: p.groupId,
    group_level: p.groupLevel,
    targets: p.targets.map((t) => ({
      priority: t.priority,
      response_minutes: String(t.responseMinutes),
      resolution_minutes: String(t.resolutionMinutes),
    })),
    warning_percents: p.warningPercents,
    pause_on: p.pauseOn,
    escalations: p.escalations.map((e) => ({ threshold_percent: e.thresholdPercent, clocks: e.clocks, action: e.action })),
    escalation_path: p.escalationPath.map((e) => ({ from_level: e.fromLevel, to_group_id: e.toGroupId })),
  };
}

/** tiquete.sla.v1.Calendar. */
export function toCalendar(r: Raw): SlaCalendar {
  return {
    id: str(r.id),
    name: str(r.name),
    timeZone: str(r.time_zone),
    alwaysOpen: Boolean(r.always_open),
    week: arr(r.week).map((d) => ({
      weekday: str(d.weekday).toLowerCase(),
      shifts: arr(d.shifts).map((s) => ({ start: str(s.start), end: str(s.end) })),
    })),
    colombianHolidays: Boolean(r.colombian_holidays),
    closures: arr(r.closures)
      .map((c) => ({ id: str(c.id), startTime: str(c.start_time), endTime: str(c.end_time), reason: str(c.reason) }))
      .sort((a, b) => a.startTime.localeCompare(b.startTime)),
    version: num(r.version) ?? 0,
  };
}

/** Only the requester-facing agreement clocks are shown; OLA / UC clocks are internal. */
export const isTicketClock = (c: SlaClock) => c.kind === "response" || c.kind === "resolution";

function toAttachmentRef(r: Raw): AttachmentRef {
  return {
    id: str(r.id),
    filename: str(r.filename),
    contentType: str(r.content_type),
    size: num(first(r, "size_bytes", "size")) ?? 0,
  };
}

/**
 * tiquete.incident.v1.Incident. People, groups, categories and services travel as ids; the UI
 * fills in their names from the directory (lib/directory.ts). SLA clocks come from the SLA
 * service (lib/incidents.ts).
 */
export function toIncident(r: Raw): Incident {
  const clocks = arr(first(r, "sla_clocks", "clocks"))
    .map((c) => toClock(c, str(r.number)))
    .filter(isTicketClock);
  const prio = str(r.priority).toUpperCase().match(/P[1-5]$/)?.[0] as Priority | undefined;
  const survey = r.survey as Raw | undefined;
  return {
    id: str(r.id),
    number: str(r.number),
    type: str(r.type).toLowerCase() === "service_request" ? "service_request" : "incident",
    subject: str(first(r, "title", "subject")),
    description: str(r.description),
    state: (fromWireEnum(r.state, INCIDENT_STATES) || "new") as IncidentState,
    pendingReason: fromWireEnum(r.pending_reason, PENDING_REASONS) as PendingReason | "",
    priority: prio && PRIORITIES.includes(prio) ? prio : "",
    priorityOverridden: Boolean(r.priority_overridden),
    impact: fromWireEnum(r.impact, LEVELS) as Level | "",
    urgency: fromWireEnum(r.urgency, LEVELS) as Level | "",
    categoryId: str(r.category_id),
    categoryPath: "",
    serviceId: str(r.service_id),
    serviceName: "",
    ciIds: arr(r.ci_ids).map(String),
    requesterId: str(r.requester_id),
    requesterName: "",
    requesterEmail: "",
    assigneeId: str(r.assignee_id),
    assigneeName: "",
    groupId: str(first(r, "assignment_group_id", "group_id")),
    groupName: "",
    supportLevel: str(r.level).toUpperCase().match(/L[1-3]$/)?.[0] ?? "",
    resolvedLevel: str(r.resolved_level).toUpperCase().match(/L[1-3]$/)?.[0] ?? "",
    major: Boolean(r.major),
    majorOwnerId: str(r.major_owner_id),
    security: Boolean(r.possible_security),
    resolutionCode: str(r.resolution_code),
    resolutionNotes: str(r.resolution_notes),
    reopenCount: num(r.reopen_count) ?? 0,
    createTime: str(first(r, "created_at", "create_time")),
    updateTime: str(first(r, "updated_at", "update_time")),
    resolveTime: str(first(r, "resolved_at", "resolve_time")),
    closeTime: str(first(r, "closed_at", "close_time")),
    resolutionDueTime: str(first(r, "resolution_due_time") ?? clocks.find((c) => c.kind === "resolution")?.dueTime),
    responseDueTime: str(first(r, "response_due_time") ?? clocks.find((c) => c.kind === "response")?.dueTime),
    surveyAnswered: Boolean(survey && (num(survey.rating) ?? 0) > 0),
    version: str(r.version),
    clocks,
    attachments: arr(r.attachments).map(toAttachmentRef),
  };
}

/** tiquete.incident.v1.WorkLogEntry: comments (public or internal) and major-incident
 *  communications. State changes live in the audit trail, not here. */
export function toWorkLogEntry(r: Raw): WorkLogEntry {
  const vis = fromWireEnum(r.visibility, ["public", "internal"] as const);
  return {
    id: str(r.id),
    kind: str(r.kind).toLowerCase() === "communication" ? "communication" : "comment",
    visibility: (vis || "public") as Visibility,
    authorId: str(r.author_id),
    authorName: "",
    body: str(r.body),
    createTime: str(first(r, "created_at", "create_time")),
  };
}

/** tiquete.incident.v1.AuditEntry: one changed field with old and new value and the reason. */
export function toAuditEntry(r: Raw): AuditEntry {
  const field = str(r.field);
  const isState = field === "state";
  return {
    id: str(r.id),
    action: field,
    actorId: str(r.actor_id),
    actorName: "",
    fromState: isState ? fromWireEnum(r.old_value, INCIDENT_STATES) : "",
    toState: isState ? fromWireEnum(r.new_value, INCIDENT_STATES) : "",
    oldValue: str(r.old_value),
    newValue: str(r.new_value),
    reason: str(r.reason),
    detail: "",
    createTime: str(first(r, "at", "created_at")),
  };
}

/** tiquete.incident.v1.Escalation. */
export function toEscalation(r: Raw): Escalation {
  return {
    id: str(r.id),
    kind: str(r.kind).toLowerCase() === "hierarchical" ? "hierarchical" : "functional",
    fromLevel: str(r.from_level),
    toLevel: str(r.to_level),
    fromGroupId: str(r.from_group_id),
    toGroupId: str(r.to_group_id),
    toPersonId: str(r.to_person_id),
    reason: str(r.reason),
    actorId: str(r.actor_id),
    at: str(r.at),
  };
}

/** tiquete.intake.v1.Classification.type: INCIDENT | SERVICE_REQUEST. */
function classificationType(c: unknown): string {
  const t = c && typeof c === "object" ? (c as Raw).type : c;
  return str(t).toLowerCase().replace(/^ticket_type_/, "");
}

export function toSubmitResult(r: Raw): SubmitResult {
  return {
    messageId: str(r.message_id),
    incidentNumber: str(r.incident_number),
    created: Boolean(r.created),
    duplicateOf: str(r.duplicate_of),
    classification: classificationType(r.classification),
    possibleSecurity: Boolean((r.classification as Raw | undefined)?.possible_security),
  };
}
