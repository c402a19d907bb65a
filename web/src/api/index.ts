// Every call the UI makes to the gateway, typed. Paths come from the `(tiquete.api.v1.http)`
// options in proto/tiquete/*/v1/*.proto and live only in PATHS below.
import { http, request, setCsrfToken, type Query } from "./client";
import type {
  AuditEntry,
  CalendarClosure,
  Category,
  ClockExplanation,
  ConfigurationItem,
  Escalation,
  EscalationKind,
  Group,
  GroupMember,
  Holiday,
  Incident,
  IncidentFilter,
  IncidentState,
  ItService,
  Level,
  NewTicket,
  Page,
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
} from "./types";
import { INCIDENT_STATES } from "./types";
import { normalizeWeek } from "../lib/sla";
import {
  ENUM_PREFIX,
  fromWireEnum,
  isTicketClock,
  toEscalation,
  toPerson,
  toAuditEntry,
  toCategory,
  toCi,
  toClock,
  toClockExplanation,
  toCalendar,
  policyBody,
  toPolicy,
  toGroup,
  toGroupMember,
  toIncident,
  toItService,
  toSession,
  toSubmitResult,
  toWireEnum,
  toWorkLogEntry,
  type Raw,
} from "./wire";

const enc = encodeURIComponent;

export const PATHS = {
  login: "/v1/auth/login",
  me: "/v1/auth/me",
  logout: "/v1/auth/logout",
  submitTicket: "/v1/tickets",
  incidents: "/v1/incidents",
  incident: (n: string) => `/v1/incidents/${enc(n)}`,
  incidentAction: (n: string, verb: string) => `/v1/incidents/${enc(n)}:${verb}`,
  workLog: (n: string) => `/v1/incidents/${enc(n)}/work-log`,
  auditTrail: (n: string) => `/v1/incidents/${enc(n)}/audit-trail`,
  escalations: (n: string) => `/v1/incidents/${enc(n)}/escalations`,
  countByState: "/v1/incidents:count-by-state",
  categoryTree: "/v1/directory/categories:tree",
  services: "/v1/directory/services",
  cis: "/v1/directory/cis",
  groups: "/v1/directory/groups",
  groupMembers: (id: string) => `/v1/directory/groups/${enc(id)}/members`,
  people: "/v1/directory/people",
  person: (id: string) => `/v1/directory/people/${enc(id)}`,
  slaClocks: "/v1/sla/clocks",
  slaBatchClocks: "/v1/sla/clocks:batchGet",
  slaTicketClocks: (n: string) => `/v1/sla/tickets/${enc(n)}/clocks`,
  slaExplain: (id: string) => `/v1/sla/clocks/${enc(id)}:explain`,
  slaPolicies: "/v1/sla/policies",
  slaPolicy: (id: string) => `/v1/sla/policies/${enc(id)}`,
  slaPolicyUpdate: (id: string) => `/v1/sla/policies/${enc(id)}:update`,
  slaCalendars: "/v1/sla/calendars",
  slaCalendar: (id: string) => `/v1/sla/calendars/${enc(id)}`,
  slaCalendarUpdate: (id: string) => `/v1/sla/calendars/${enc(id)}:update`,
  slaHolidays: (id: string) => `/v1/sla/calendars/${enc(id)}/holidays`,
  slaClosures: (id: string) => `/v1/sla/calendars/${enc(id)}/closures`,
  slaClosure: (id: string, closureId: string) => `/v1/sla/calendars/${enc(id)}/closures/${enc(closureId)}`,
} as const;

const arrOf = (r: Raw | undefined, key: string): Raw[] => (Array.isArray(r?.[key]) ? (r[key] as Raw[]) : []);

function page<T>(r: Raw, key: string, map: (x: Raw) => T): Page<T> {
  const items = Array.isArray(r?.[key]) ? (r[key] as Raw[]).map(map) : [];
  const total = r?.total_size;
  return {
    items,
    nextPageToken: String(r?.next_page_token ?? ""),
    totalSize: total === undefined || total === null ? null : Number(total),
  };
}

/** Reads every page of a list (reference data and one incident's history are small). */
async function all<T>(
  path: string,
  key: string,
  map: (x: Raw) => T,
  query: Query = {},
  signal?: AbortSignal,
): Promise<T[]> {
  const out: T[] = [];
  let token = "";
  for (let i = 0; i < 20; i++) {
    const r = await http.get<Raw>(path, { ...query, "page.page_size": 500, "page.page_token": token }, signal);
    const p = page(r, key, map);
    out.push(...p.items);
    if (!p.nextPageToken) break;
    token = p.nextPageToken;
  }
  return out;
}

const SORT = {
  priority_age: "SORT_PRIORITY_AGE",
  created_desc: "SORT_CREATED_DESC",
  updated_desc: "SORT_UPDATED_DESC",
} as const;

/** ListIncidentsRequest as query parameters: filter.* fields, sort, page.*. */
export function incidentQuery(f: IncidentFilter): Query {
  return {
    "filter.query": f.query?.trim(),
    "filter.states": f.states?.map((s) => toWireEnum(ENUM_PREFIX.state, s)),
    "filter.priorities": f.priorities?.map((p) => toWireEnum(ENUM_PREFIX.priority, p)),
    "filter.assignee_id": f.assigneeId,
    "filter.group_id": f.groupId,
    "filter.requester_id": f.requesterId,
    "filter.major": f.major || undefined,
    "filter.my_queue": f.myQueue || undefined,
    "filter.my_groups_queue": f.myGroupsQueue || undefined,
    "filter.unassigned": f.unassigned || undefined,
    sort: f.sort ? SORT[f.sort] : undefined,
    "page.page_size": f.pageSize ?? 50,
    "page.page_token": f.pageToken,
  };
}

// Commands on one incident. Each carries the version last read, so a change made meanwhile by
// someone else is refused (STALE_VERSION) instead of silently overwritten.
export type IncidentCommand =
  | { verb: "assign"; groupId: string; assigneeId?: string; note?: string }
  | {
      verb: "escalate";
      kind: EscalationKind;
      groupId?: string;
      assigneeId?: string;
      coordinatorId?: string;
      reason: string;
    }
  | { verb: "start" }
  | { verb: "pend"; reason: PendingReason; note: string }
  | { verb: "resume"; note?: string }
  | { verb: "resolve"; code: string; notes: string }
  | { verb: "close"; closureCode?: string; note?: string }
  | { verb: "cancel"; reason: string }
  | { verb: "reopen"; reason: string }
  | { verb: "comment"; body: string; visibility: Visibility; idempotencyKey: string }
  | { verb: "survey"; rating: number; comment: string; idempotencyKey: string }
  | { verb: "set-priority"; priority: Priority; justification: string }
  | { verb: "set-major"; major: boolean; ownerId: string; reason: string };

// tiquete.incident.v1 request bodies (number comes from the path, version is added by act()).
export function commandBody(cmd: IncidentCommand): Raw {
  switch (cmd.verb) {
    case "assign":
      return { group_id: cmd.groupId, assignee_id: cmd.assigneeId ?? "", note: cmd.note ?? "" };
    case "escalate":
      return {
        kind: toWireEnum(ENUM_PREFIX.escalation, cmd.kind),
        reason: cmd.reason,
        group_id: cmd.kind === "functional" ? (cmd.groupId ?? "") : "",
        assignee_id: cmd.kind === "functional" ? (cmd.assigneeId ?? "") : "",
        coordinator_id: cmd.kind === "hierarchical" ? (cmd.coordinatorId ?? "") : "",
      };
    case "start":
      return {};
    case "pend":
      return { reason: toWireEnum(ENUM_PREFIX.pendingReason, cmd.reason), note: cmd.note };
    case "resume":
      return { note: cmd.note ?? "" };
    case "resolve":
      return { resolution_code: cmd.code, resolution_notes: cmd.notes };
    case "close":
      return { closure_code: cmd.closureCode ?? "confirmed", note: cmd.note ?? "" };
    case "cancel":
      return { reason: cmd.reason };
    case "reopen":
      return { reason: cmd.reason };
    case "comment":
      return {
        body: cmd.body,
        visibility: toWireEnum(ENUM_PREFIX.visibility, cmd.visibility),
        idempotency_key: cmd.idempotencyKey,
      };
    case "survey":
      return { rating: cmd.rating, comment: cmd.comment, idempotency_key: cmd.idempotencyKey };
    case "set-priority":
      return { priority: toWireEnum(ENUM_PREFIX.priority, cmd.priority), justification: cmd.justification };
    case "set-major":
      return { major: cmd.major, owner_id: cmd.ownerId, reason: cmd.reason };
  }
}

/** Commands that change the record and so carry the version last read. */
const VERSIONED = new Set<IncidentCommand["verb"]>([
  "assign",
  "escalate",
  "start",
  "pend",
  "resume",
  "resolve",
  "close",
  "cancel",
  "reopen",
  "set-priority",
  "set-major",
]);

export function submitBody(t: NewTicket): Raw {
  return {
    idempotency_key: t.idempotencyKey,
    requester_id: t.requesterId,
    channel: toWireEnum(ENUM_PREFIX.channel, "portal"),
    subject: t.subject,
    body: t.body,
    category_id: t.categoryId,
    service_id: t.serviceId,
    ci_ids: t.ciIds,
    urgency: toWireEnum(ENUM_PREFIX.level, t.urgency),
    impact: toWireEnum(ENUM_PREFIX.level, t.impact),
    attachments: t.attachments.map((a) => ({
      filename: a.filename,
      content_type: a.contentType,
      content: a.content,
    })),
  };
}

export const api = {
  auth: {
    async login(email: string, password: string): Promise<Session> {
      const s = toSession(await http.post<Raw>(PATHS.login, { email, password }, { authCall: true }));
      setCsrfToken(s.csrfToken);
      return s;
    },
    async me(): Promise<Session> {
      const r = await request<Raw>("GET", PATHS.me, { authCall: true });
      const s = toSession(r);
      if (s.csrfToken) setCsrfToken(s.csrfToken);
      return s;
    },
    async logout(): Promise<void> {
      try {
        await http.post(PATHS.logout, {}, { authCall: true });
      } finally {
        setCsrfToken(null);
      }
    },
  },

  tickets: {
    async submit(t: NewTicket): Promise<SubmitResult> {
      return toSubmitResult(await http.post<Raw>(PATHS.submitTicket, submitBody(t)));
    },
  },

  incidents: {
    async list(f: IncidentFilter, signal?: AbortSignal): Promise<Page<Incident>> {
      return page(await http.get<Raw>(PATHS.incidents, incidentQuery(f), signal), "incidents", toIncident);
    },
    async get(number: string, signal?: AbortSignal): Promise<Incident> {
      return toIncident(await http.get<Raw>(PATHS.incident(number), undefined, signal));
    },
    workLog: (number: string, signal?: AbortSignal): Promise<WorkLogEntry[]> =>
      all(PATHS.workLog(number), "entries", toWorkLogEntry, {}, signal),
    auditTrail: (number: string, signal?: AbortSignal): Promise<AuditEntry[]> =>
      all(PATHS.auditTrail(number), "entries", toAuditEntry, {}, signal),
    async escalations(number: string, signal?: AbortSignal): Promise<Escalation[]> {
      const r = await http.get<Raw>(PATHS.escalations(number), undefined, signal);
      return (Array.isArray(r?.escalations) ? (r.escalations as Raw[]) : []).map(toEscalation);
    },
    /** Counts per state for a filter (CountIncidentsByState). */
    async countByState(f: IncidentFilter, signal?: AbortSignal): Promise<Partial<Record<IncidentState, number>>> {
      const q = incidentQuery(f);
      delete q["filter.states"];
      delete q["page.page_size"];
      delete q["page.page_token"];
      delete q.sort;
      const r = await http.get<Raw>(PATHS.countByState, q, signal);
      const out: Partial<Record<IncidentState, number>> = {};
      for (const c of Array.isArray(r?.counts) ? (r.counts as Raw[]) : []) {
        const s = fromWireEnum(c.state, INCIDENT_STATES);
        if (s) out[s] = Number(c.count ?? 0);
      }
      return out;
    },
    /**
     * Runs one lifecycle command. Record-changing commands return the updated incident; a
     * comment or a survey returns null (the caller reloads).
     */
    async act(number: string, version: string, cmd: IncidentCommand): Promise<Incident | null> {
      const body = VERSIONED.has(cmd.verb) ? { ...commandBody(cmd), version } : commandBody(cmd);
      const r = await http.post<Raw>(PATHS.incidentAction(number, cmd.verb), body);
      return VERSIONED.has(cmd.verb) && r?.number ? toIncident(r) : null;
    },
  },

  directory: {
    async categoryTree(): Promise<Category[]> {
      const r = await http.get<Raw>(PATHS.categoryTree);
      return page(r, "categories", toCategory).items;
    },
    services: (): Promise<ItService[]> => all(PATHS.services, "services", toItService, { active: true }),
    cis: (serviceId: string): Promise<ConfigurationItem[]> =>
      all(PATHS.cis, "configuration_items", toCi, { active: true, service_id: serviceId }),
    groups: (): Promise<Group[]> => all(PATHS.groups, "groups", toGroup, { active: true }),
    groupMembers: (groupId: string): Promise<GroupMember[]> =>
      all(PATHS.groupMembers(groupId), "members", toGroupMember, { active: true }),
    /** Staff only (GetPerson is not open to requesters). */
    async person(id: string, signal?: AbortSignal): Promise<Person> {
      return toPerson(await http.get<Raw>(PATHS.person(id), undefined, signal));
    },
    /** People holding a role, e.g. the coordinators a hierarchical escalation may name. */
    peopleWithRole: (role: string): Promise<Person[]> =>
      all(PATHS.people, "people", toPerson, { role, active: true }),
  },

  sla: {
    /**
     * Clocks of up to 100 tickets in one call (BatchGetTicketClocks). Staff get every clock;
     * a requester gets the response and resolution clocks of their own cases.
     */
    async batch(numbers: string[], signal?: AbortSignal): Promise<SlaClock[]> {
      if (numbers.length === 0) return [];
      const r = await http.get<Raw>(PATHS.slaBatchClocks, { numbers }, signal);
      return (Array.isArray(r?.clocks) ? (r.clocks as Raw[]) : []).map((c) => toClock(c)).filter(isTicketClock);
    },
    /** Clocks of one ticket (GetTicketClocks; a requester sees their own cases'). */
    async clocks(number: string, signal?: AbortSignal): Promise<SlaClock[]> {
      const r = await http.get<Raw>(PATHS.slaTicketClocks(number), undefined, signal);
      return (Array.isArray(r?.clocks) ? (r.clocks as Raw[]) : []).map((c) => toClock(c, number)).filter(isTicketClock);
    },
    /** A clock's segments and figures (ExplainClock; support staff only). */
    async explain(id: string, signal?: AbortSignal): Promise<ClockExplanation> {
      return toClockExplanation(await http.get<Raw>(PATHS.slaExplain(id), undefined, signal));
    },
    /** Active policies (every signed-in user may read them). */
    async policies(signal?: AbortSignal): Promise<SlaPolicy[]> {
      const r = await http.get<Raw>(PATHS.slaPolicies, undefined, signal);
      return arrOf(r, "policies").map(toPolicy);
    },
    async policy(id: string, signal?: AbortSignal): Promise<SlaPolicy> {
      return toPolicy(await http.get<Raw>(PATHS.slaPolicy(id), undefined, signal));
    },
    /** Replaces a policy's fields (coordinator or admin); `version` is the one read. */
    async updatePolicy(p: SlaPolicy): Promise<SlaPolicy> {
      return toPolicy(await http.post<Raw>(PATHS.slaPolicyUpdate(p.id), { version: String(p.version), policy: policyBody(p) }));
    },
    async calendars(signal?: AbortSignal): Promise<SlaCalendar[]> {
      const r = await http.get<Raw>(PATHS.slaCalendars, undefined, signal);
      return arrOf(r, "calendars").map(toCalendar);
    },
    async calendar(id: string, signal?: AbortSignal): Promise<SlaCalendar> {
      return toCalendar(await http.get<Raw>(PATHS.slaCalendar(id), undefined, signal));
    },
    /**
     * New office hours for a calendar (coordinator or admin): UpdateCalendar replaces its
     * writable fields, so name, zone and flags go back as read (closures are kept by the
     * engine); times trimmed to HH:MM and each day's shifts sorted by start, as it requires.
     */
    async updateCalendarWeek(
      c: SlaCalendar,
      week: readonly { weekday: string; shifts: readonly { start: string; end: string }[] }[],
    ): Promise<SlaCalendar> {
      return toCalendar(
        await http.post<Raw>(PATHS.slaCalendarUpdate(c.id), {
          version: String(c.version),
          calendar: {
            name: c.name,
            time_zone: c.timeZone,
            always_open: c.alwaysOpen,
            colombian_holidays: c.colombianHolidays,
            week: normalizeWeek(week).filter((d) => d.shifts.length > 0),
          },
        }),
      );
    },
    /** The public holidays a calendar observes in `year` (Colombian law: Ley 51 de 1983 moves). */
    async holidays(calendarId: string, year: number, signal?: AbortSignal): Promise<Holiday[]> {
      const r = await http.get<Raw>(PATHS.slaHolidays(calendarId), { year: String(year) }, signal);
      return arrOf(r, "holidays").map((h) => ({ date: String(h.date ?? ""), name: String(h.name ?? "") }));
    },
    /** An ad-hoc closure (no business time counts in it); the key makes a retry harmless. */
    async addClosure(calendarId: string, c: Omit<CalendarClosure, "id">, idempotencyKey: string): Promise<SlaCalendar> {
      return toCalendar(
        await http.post<Raw>(PATHS.slaClosures(calendarId), {
          closure: { start_time: c.startTime, end_time: c.endTime, reason: c.reason },
          idempotency_key: idempotencyKey,
        }),
      );
    },
    async removeClosure(calendarId: string, closureId: string): Promise<SlaCalendar> {
      return toCalendar(await request<Raw>("DELETE", PATHS.slaClosure(calendarId, closureId)));
    },
    /** Every live (running or paused) clock, soonest due first: list rows pick theirs. */
    live: (signal?: AbortSignal): Promise<SlaClock[]> =>
      all(PATHS.slaClocks, "clocks", (c) => toClock(c), { status: "live" }, signal).then((cs) => cs.filter(isTicketClock)),
    /**
     * Clocks past their first warning threshold or breached (ListClocks' default), or only one
     * of the two (`status`), of one group or support level.
     */
    atRisk: (filter: SlaRiskFilter = {}, signal?: AbortSignal): Promise<SlaClock[]> => {
      const q: Record<string, string> = {};
      if (filter.status) q.status = filter.status;
      if (filter.groupId) q.group_id = filter.groupId;
      if (filter.level) q.group_level = filter.level;
      return all(PATHS.slaClocks, "clocks", (c) => toClock(c), q, signal).then((cs) => cs.filter(isTicketClock));
    },
  },
};

export interface SlaRiskFilter {
  /** "" both; "at_risk" warned, not breached; "breached" past the target. */
  status?: "" | "at_risk" | "breached";
  groupId?: string;
  /** L1 | L2 | L3 */
  level?: string;
}

export type Api = typeof api;
export type { Level };
