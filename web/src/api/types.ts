// The UI's own models. api/wire.ts converts the gateway's JSON (proto field names, enum names,
// int64 as strings) into these, so a change in a proto is absorbed in one file.

export type IncidentState =
  | "new"
  | "assigned"
  | "in_progress"
  | "pending"
  | "resolved"
  | "closed"
  | "cancelled";
export const INCIDENT_STATES: readonly IncidentState[] = [
  "new",
  "assigned",
  "in_progress",
  "pending",
  "resolved",
  "closed",
  "cancelled",
];
export const OPEN_STATES: readonly IncidentState[] = ["new", "assigned", "in_progress", "pending"];

export type Level = "high" | "medium" | "low";
export const LEVELS: readonly Level[] = ["high", "medium", "low"];
export type Priority = "P1" | "P2" | "P3" | "P4" | "P5";
export const PRIORITIES: readonly Priority[] = ["P1", "P2", "P3", "P4", "P5"];
export type PendingReason = "requester" | "provider" | "change";
export const PENDING_REASONS: readonly PendingReason[] = ["requester", "provider", "change"];
export type EscalationKind = "functional" | "hierarchical";
export type Visibility = "public" | "internal";
export type ClockKind = "response" | "resolution" | "ola" | "uc";
export type ClockStatus = "running" | "paused" | "warning" | "met" | "breached" | "stopped";
export const RESOLUTION_CODES = [
  "solved_permanently",
  "solved_workaround",
  "user_instructed",
  "not_reproducible",
  "duplicate",
  "third_party",
] as const;
export type ResolutionCode = (typeof RESOLUTION_CODES)[number];

export interface GroupRef {
  id: string;
  code: string;
  name: string;
}

export interface Person {
  id: string;
  email: string;
  displayName: string;
  givenName: string;
  familyName: string;
  jobTitle: string;
  orgUnitCode: string;
  roles: string[];
  groups: GroupRef[];
}

export interface Session {
  person: Person;
  roles: string[];
  groups: GroupRef[];
  csrfToken: string;
  expireTime: string;
}

export interface Category {
  id: string;
  parentId: string;
  name: string;
  fullPath: string;
  depth: number;
  description: string;
  security: boolean;
}

export interface ItService {
  id: string;
  code: string;
  name: string;
  description: string;
}

export interface ConfigurationItem {
  id: string;
  code: string;
  name: string;
  type: string;
  serviceId: string;
}

export interface Group {
  id: string;
  code: string;
  name: string;
  level: string; // L1 | L2 | L3
  kind: string; // support | provider | management | security
}

export interface GroupMember {
  personId: string;
  displayName: string;
  email: string;
}

export interface SlaClock {
  /** The engine's clock id, for its explanation; "" where the caller may not read it (requesters). */
  id: string;
  ticketNumber: string;
  kind: ClockKind;
  status: ClockStatus;
  /** Past its target (also for a clock stopped late). */
  breached: boolean;
  /** RFC 3339 instant the clock is due (unset while paused). */
  dueTime: string;
  /** Business seconds left (negative once breached); null when unknown. */
  remainingSeconds: number | null;
  /** 0..100+ share of the target used. */
  percentUsed: number | null;
  paused: boolean;
}

/** Targets of one priority, in minutes of business time (GET /v1/sla/policies). */
export interface PriorityTargets {
  priority: number;
  responseMinutes: number;
  resolutionMinutes: number;
}

/** tiquete.sla.v1.Policy: an SLA, or an OLA / underpinning contract of a group. */
export interface SlaPolicy {
  id: string;
  name: string;
  description: string;
  kind: "sla" | "ola" | "uc";
  calendarId: string;
  serviceId: string;
  categoryId: string;
  groupId: string;
  groupLevel: string;
  /** P1..P5 in order. */
  targets: PriorityTargets[];
  warningPercents: number[];
  pauseOn: string[];
  escalations: { thresholdPercent: number; clocks: string; action: string }[];
  escalationPath: { fromLevel: string; toGroupId: string }[];
  active: boolean;
  version: number;
}

export interface CalendarClosure {
  id: string;
  startTime: string;
  endTime: string;
  reason: string;
}

/** tiquete.sla.v1.Calendar: office hours per weekday, holidays and ad-hoc closures. */
export interface SlaCalendar {
  id: string;
  name: string;
  timeZone: string;
  alwaysOpen: boolean;
  /** monday..sunday, each with its shifts ("07:00"–"12:00"); days without shifts are closed. */
  week: { weekday: string; shifts: { start: string; end: string }[] }[];
  colombianHolidays: boolean;
  closures: CalendarClosure[];
  version: number;
}

export interface Holiday {
  /** "2026-01-12" */
  date: string;
  name: string;
}

/** One stretch of a clock's life: counting (running) or not (paused), and why it began. */
export interface ClockSegment {
  seq: number;
  running: boolean;
  startTime: string;
  /** The end, or "now" for the open segment. */
  endTime: string;
  /** Still going (the clock's current segment). */
  open: boolean;
  /** Business time counted in this segment (0 while paused). */
  businessSeconds: number;
  /** The engine's reason code: created, pending:requester, priority P3 → P1, … (lib/sla.ts reads it). */
  note: string;
}

/** How a clock reached its elapsed time and due time (ExplainClock). */
export interface ClockExplanation {
  clock: SlaClock;
  priority: number;
  targetSeconds: number;
  elapsedSeconds: number;
  startTime: string;
  stopTime: string;
  segments: ClockSegment[];
}

export interface Incident {
  id: string;
  number: string;
  type: "incident" | "service_request";
  subject: string;
  description: string;
  state: IncidentState;
  pendingReason: PendingReason | "";
  priority: Priority | "";
  priorityOverridden: boolean;
  impact: Level | "";
  urgency: Level | "";
  categoryId: string;
  categoryPath: string;
  serviceId: string;
  serviceName: string;
  ciIds: string[];
  requesterId: string;
  requesterName: string;
  requesterEmail: string;
  assigneeId: string;
  assigneeName: string;
  groupId: string;
  groupName: string;
  supportLevel: string;
  /** Level holding the incident when it was resolved (first-level resolution KPI). */
  resolvedLevel: string;
  major: boolean;
  majorOwnerId: string;
  security: boolean;
  resolutionCode: string;
  resolutionNotes: string;
  reopenCount: number;
  createTime: string;
  updateTime: string;
  resolveTime: string;
  closeTime: string;
  /** The resolution target the requester is told about. */
  resolutionDueTime: string;
  responseDueTime: string;
  surveyAnswered: boolean;
  version: string;
  clocks: SlaClock[];
  attachments: AttachmentRef[];
}

export interface AttachmentRef {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}

export interface WorkLogEntry {
  id: string;
  kind: "comment" | "communication";
  visibility: Visibility;
  authorId: string;
  authorName: string;
  body: string;
  createTime: string;
}

export interface AuditEntry {
  id: string;
  action: string;
  actorId: string;
  actorName: string;
  fromState: string;
  toState: string;
  oldValue: string;
  newValue: string;
  reason: string;
  detail: string;
  createTime: string;
}

export interface Escalation {
  id: string;
  kind: EscalationKind;
  fromLevel: string;
  toLevel: string;
  fromGroupId: string;
  toGroupId: string;
  toPersonId: string;
  reason: string;
  actorId: string;
  at: string;
}

export interface Page<T> {
  items: T[];
  nextPageToken: string;
  totalSize: number | null;
}

export interface Attachment {
  filename: string;
  contentType: string;
  /** Base64 without the data: prefix. */
  content: string;
  size: number;
}

export interface NewTicket {
  idempotencyKey: string;
  requesterId: string;
  subject: string;
  body: string;
  categoryId: string;
  serviceId: string;
  ciIds: string[];
  urgency: Level;
  impact: Level;
  attachments: Attachment[];
}

export interface SubmitResult {
  messageId: string;
  incidentNumber: string;
  created: boolean;
  duplicateOf: string;
  classification: string; // incident | service_request
  possibleSecurity: boolean;
}

export interface IncidentFilter {
  query?: string;
  states?: IncidentState[];
  priorities?: Priority[];
  assigneeId?: string;
  groupId?: string;
  requesterId?: string;
  /** Open incidents with nobody assigned (filtered here: IncidentFilter has no such field). */
  unassigned?: boolean;
  myQueue?: boolean;
  myGroupsQueue?: boolean;
  major?: boolean;
  sort?: "priority_age" | "created_desc" | "updated_desc";
  pageSize?: number;
  pageToken?: string;
}
