import { describe, expect, it } from "vitest";
import { commandBody, incidentQuery, submitBody } from "./index";
import { fromWireEnum, isTicketClock, policyBody, toAuditEntry, toCalendar, toClock, toClockExplanation, toIncident, toPolicy, toSession, toSubmitResult, toWorkLogEntry } from "./wire";
import { INCIDENT_STATES } from "./types";

describe("fromWireEnum", () => {
  it("reads bare and prefixed enum names", () => {
    expect(fromWireEnum("IN_PROGRESS", INCIDENT_STATES)).toBe("in_progress");
    expect(fromWireEnum("INCIDENT_STATE_IN_PROGRESS", INCIDENT_STATES)).toBe("in_progress");
    expect(fromWireEnum("resolved", INCIDENT_STATES)).toBe("resolved");
    expect(fromWireEnum("STATE_UNSPECIFIED", INCIDENT_STATES)).toBe("");
    expect(fromWireEnum(undefined, INCIDENT_STATES)).toBe("");
  });
});

describe("toSession", () => {
  it("reads the gateway's flat SessionInfo", () => {
    const s = toSession({
      person_id: "p1",
      email: "laura.ospina@sedtolima.gov.co",
      display_name: "Laura Ospina",
      roles: ["agent_l1"],
      group_ids: ["g1"],
      csrf_token: "c",
      expire_time: "2026-11-26T22:00:00Z",
    });
    expect(s.person.id).toBe("p1");
    expect(s.person.displayName).toBe("Laura Ospina");
    expect(s.roles).toEqual(["agent_l1"]);
    expect(s.groups).toEqual([{ id: "g1", code: "", name: "" }]);
    expect(s.csrfToken).toBe("c");
  });
});

describe("toIncident", () => {
  it("maps tiquete.incident.v1.Incident JSON into the UI model", () => {
    const i = toIncident({
      number: "INC-2026-000123",
      type: "INCIDENT",
      title: "No puedo ingresar al SIMAT",
      description: "Sale usuario bloqueado",
      state: "PENDING",
      pending_reason: "REQUESTER",
      priority: "P2",
      impact: "LOW",
      urgency: "HIGH",
      level: "L1",
      assignment_group_id: "g1",
      assignee_id: "p9",
      requester_id: "p1",
      major: true,
      possible_security: false,
      survey: { rating: 0, comment: "" },
      version: "7",
      created_at: "2026-11-26T13:00:00Z",
      updated_at: "2026-11-26T14:00:00Z",
    });
    expect(i.subject).toBe("No puedo ingresar al SIMAT");
    expect(i.state).toBe("pending");
    expect(i.pendingReason).toBe("requester");
    expect(i.priority).toBe("P2");
    expect(i.urgency).toBe("high");
    expect(i.supportLevel).toBe("L1");
    expect(i.groupId).toBe("g1");
    expect(i.assigneeId).toBe("p9");
    expect(i.major).toBe(true);
    expect(i.surveyAnswered).toBe(false);
    expect(i.version).toBe("7");
    expect(i.createTime).toBe("2026-11-26T13:00:00Z");
  });

  it("knows a survey was answered and reads clocks when embedded", () => {
    const i = toIncident({
      number: "X",
      state: "CLOSED",
      survey: { rating: 5 },
      sla_clocks: [{ kind: "RESOLUTION", status: "RUNNING", due_time: "2026-11-26T22:00:00Z", remaining_seconds: "3600" }],
    });
    expect(i.surveyAnswered).toBe(true);
    expect(i.clocks[0]).toMatchObject({ kind: "resolution", status: "running", remainingSeconds: 3600, ticketNumber: "X" });
    expect(i.resolutionDueTime).toBe("2026-11-26T22:00:00Z");
  });
});

describe("toAuditEntry", () => {
  it("reads a state change", () => {
    const a = toAuditEntry({ field: "state", old_value: "ASSIGNED", new_value: "IN_PROGRESS", actor_id: "p", at: "t", reason: "" });
    expect(a).toMatchObject({ action: "state", fromState: "assigned", toState: "in_progress", actorId: "p", createTime: "t" });
  });
  it("keeps other fields' raw values", () => {
    const a = toAuditEntry({ field: "priority", old_value: "P3", new_value: "P2", reason: "Afecta a toda la sede" });
    expect(a).toMatchObject({ fromState: "", oldValue: "P3", newValue: "P2", reason: "Afecta a toda la sede" });
  });
});

describe("toWorkLogEntry", () => {
  it("reads visibility and kind", () => {
    expect(toWorkLogEntry({ visibility: "INTERNAL", body: "x" }).visibility).toBe("internal");
    expect(toWorkLogEntry({ visibility: "PUBLIC", kind: "COMMUNICATION", created_at: "t" })).toMatchObject({
      visibility: "public",
      kind: "communication",
      createTime: "t",
    });
  });
});

describe("toSubmitResult", () => {
  it("reads intake's SubmitTicketResponse with a duplicate", () => {
    const r = toSubmitResult({
      message_id: "m1",
      incident_number: "INC-2026-000010",
      created: false,
      duplicate_of: "INC-2026-000010",
      classification: { type: "INCIDENT", possible_security: false },
    });
    expect(r.created).toBe(false);
    expect(r.duplicateOf).toBe("INC-2026-000010");
    expect(r.classification).toBe("incident");
  });
});

describe("request bodies", () => {
  it("encodes a portal submission with intake's enum names", () => {
    const b = submitBody({
      idempotencyKey: "k",
      requesterId: "p1",
      subject: "s",
      body: "b",
      categoryId: "c",
      serviceId: "",
      ciIds: [],
      urgency: "high",
      impact: "low",
      attachments: [{ filename: "a.png", contentType: "image/png", content: "AAAA", size: 3 }],
    });
    expect(b).toMatchObject({
      idempotency_key: "k",
      requester_id: "p1",
      channel: "PORTAL",
      urgency: "HIGH",
      impact: "LOW",
      attachments: [{ filename: "a.png", content_type: "image/png", content: "AAAA" }],
    });
  });

  it("encodes a functional escalation with its target group and reason", () => {
    expect(commandBody({ verb: "escalate", kind: "functional", groupId: "g2", reason: "Requiere L2" })).toEqual({
      kind: "FUNCTIONAL",
      group_id: "g2",
      assignee_id: "",
      coordinator_id: "",
      reason: "Requiere L2",
    });
  });

  it("encodes a hierarchical escalation without a group", () => {
    expect(commandBody({ verb: "escalate", kind: "hierarchical", groupId: "g2", reason: "r" })).toMatchObject({
      kind: "HIERARCHICAL",
      group_id: "",
    });
  });

  it("encodes pend, resolve, priority, comment and survey as the protos name them", () => {
    expect(commandBody({ verb: "pend", reason: "requester", note: "¿Puede enviar una captura?" })).toEqual({
      reason: "REQUESTER",
      note: "¿Puede enviar una captura?",
    });
    expect(commandBody({ verb: "resolve", code: "solved_permanently", notes: "n" })).toEqual({
      resolution_code: "solved_permanently",
      resolution_notes: "n",
    });
    expect(commandBody({ verb: "set-priority", priority: "P1", justification: "j" })).toEqual({
      priority: "P1",
      justification: "j",
    });
    expect(commandBody({ verb: "comment", body: "b", visibility: "internal", idempotencyKey: "k" })).toEqual({
      body: "b",
      visibility: "INTERNAL",
      idempotency_key: "k",
    });
    expect(commandBody({ verb: "survey", rating: 5, comment: "", idempotencyKey: "k" })).toEqual({
      rating: 5,
      comment: "",
      idempotency_key: "k",
    });
    expect(commandBody({ verb: "close" })).toEqual({ closure_code: "confirmed", note: "" });
  });

  it("builds ListIncidentsRequest query parameters", () => {
    const q = incidentQuery({ states: ["new", "pending"], groupId: "g", major: true, sort: "updated_desc", pageSize: 20 });
    expect(q["filter.states"]).toEqual(["NEW", "PENDING"]);
    expect(q["filter.group_id"]).toBe("g");
    expect(q["filter.major"]).toBe(true);
    expect(q.sort).toBe("SORT_UPDATED_DESC");
    expect(q["page.page_size"]).toBe(20);
  });
});

describe("toClock", () => {
  it("reads tiquete.sla.v1.Clock", () => {
    const c = toClock({
      ticket: "INC-2026-000123",
      kind: "resolution",
      state: "running",
      target_minutes: "480",
      remaining_minutes: "-10",
      percent: 102.1,
      due_time: "2026-11-26T22:00:00Z",
      breached: true,
      at_risk: false,
    });
    expect(c).toMatchObject({ ticketNumber: "INC-2026-000123", kind: "resolution", status: "breached", breached: true, remainingSeconds: -600, percentUsed: 102.1 });
  });
  it("folds state and flags into one status", () => {
    expect(toClock({ state: "running", at_risk: true }).status).toBe("warning");
    expect(toClock({ state: "paused" })).toMatchObject({ status: "paused", paused: true });
    expect(toClock({ state: "stopped", breached: false })).toMatchObject({ status: "met", breached: false });
    expect(toClock({ state: "stopped", breached: true })).toMatchObject({ status: "met", breached: true });
    expect(toClock({ state: "cancelled" }).status).toBe("stopped");
  });
  it("prefers exact seconds when given", () => {
    expect(toClock({ target_seconds: "3600", elapsed_seconds: "600", remaining_minutes: "50" }).remainingSeconds).toBe(3000);
  });
  it("keeps OLA clocks out of the ticket view", () => {
    expect(isTicketClock(toClock({ kind: "ola" }))).toBe(false);
    expect(isTicketClock(toClock({ kind: "response" }))).toBe(true);
  });
});

describe("toClockExplanation", () => {
  // As GET /v1/sla/clocks/{id}:explain answers for a resolution clock paused once and reopened.
  const wire = {
    clock: { id: "2", ticket: "INC-2026-000001", kind: "resolution", priority: 1, state: "running", target_seconds: "14400", elapsed_seconds: "5400", due_time: "2026-11-27T16:00:00Z", start_time: "2026-11-27T09:13:48Z" },
    segments: [
      { seq: 3, running: true, business_seconds: "0", note: "reopened", open: true, start_time: "2026-11-27T09:14:18Z", end_time: "2026-11-27T09:14:49Z" },
      { seq: 1, running: true, business_seconds: "5400", note: "created", open: false, start_time: "2026-11-27T09:13:48Z", end_time: "2026-11-27T09:14:13Z" },
      { seq: 2, running: false, business_seconds: "0", note: "pending:requester", start_time: "2026-11-27T09:14:13Z", end_time: "2026-11-27T09:14:18Z" },
    ],
    lines: ["resolution clock of INC-2026-000001 ..."],
  };
  it("keeps the clock's id and figures and orders the segments", () => {
    const e = toClockExplanation(wire);
    expect(e.clock).toMatchObject({ id: "2", ticketNumber: "INC-2026-000001", kind: "resolution", status: "running", remainingSeconds: 9000 });
    expect(e).toMatchObject({ priority: 1, targetSeconds: 14400, elapsedSeconds: 5400, startTime: "2026-11-27T09:13:48Z", stopTime: "" });
    expect(e.segments.map((s) => [s.seq, s.running, s.open, s.businessSeconds, s.note])).toEqual([
      [1, true, false, 5400, "created"],
      [2, false, false, 0, "pending:requester"],
      [3, true, true, 0, "reopened"],
    ]);
  });
  it("reads an empty answer as an empty explanation, not a crash", () => {
    const e = toClockExplanation({});
    expect(e.segments).toEqual([]);
    expect(e.clock.id).toBe("");
  });
});

describe("policies", () => {
  // GET /v1/sla/policies/{id} as the gateway answered it for the seeded policy.
  const wire = {
    id: "00000000-0000-4000-8000-000000000101",
    name: "SLA estándar",
    description: "Nivel de servicio por defecto para todo caso sin un acuerdo más específico",
    kind: "sla",
    calendar_id: "00000000-0000-4000-8000-000000000001",
    service_id: "",
    category_id: "",
    group_id: "",
    group_level: "",
    targets: [
      { priority: 2, response_minutes: "60", resolution_minutes: "480" },
      { priority: 1, response_minutes: "30", resolution_minutes: "240" },
      { priority: 3, response_minutes: "240", resolution_minutes: "1080" },
      { priority: 4, response_minutes: "540", resolution_minutes: "2700" },
      { priority: 5, response_minutes: "1080", resolution_minutes: "5400" },
    ],
    warning_percents: [75],
    pause_on: ["pending:requester"],
    escalations: [
      { threshold_percent: 75, clocks: "any", action: "notify_coordinator" },
      { threshold_percent: 100, clocks: "resolution", action: "escalate_level" },
    ],
    escalation_path: [{ from_level: "L1", to_group_id: "g-l2" }],
    active: true,
    version: "3",
    create_time: "2026-11-27T09:13:38.685572Z",
    update_time: "2026-11-27T09:13:38.685572Z",
  };
  it("reads targets in priority order and the version as a number", () => {
    const p = toPolicy(wire);
    expect(p.targets.map((t) => [t.priority, t.responseMinutes, t.resolutionMinutes])[0]).toEqual([1, 30, 240]);
    expect(p).toMatchObject({ kind: "sla", version: 3, active: true, warningPercents: [75], pauseOn: ["pending:requester"] });
  });
  it("writes back every writable field unchanged, and none of the output-only ones", () => {
    // UpdatePolicy replaces every field and the gateway refuses unknown ones: a save of the
    // targets must carry the rest of the policy exactly as read.
    const { id, active, version, create_time, update_time, ...writable } = wire;
    void [id, active, version, create_time, update_time];
    const body = policyBody(toPolicy(wire));
    expect(body).toEqual({ ...writable, targets: [...wire.targets].sort((a, b) => a.priority - b.priority) });
  });
  it("reads a calendar's week, closures in time order and version", () => {
    const c = toCalendar({
      id: "c1",
      name: "Horario de oficina",
      time_zone: "America/Bogota",
      week: [{ weekday: "MONDAY", shifts: [{ start: "07:00", end: "12:00" }] }],
      colombian_holidays: true,
      closures: [
        { id: "b", start_time: "2026-12-02T12:00:00Z", end_time: "2026-12-02T17:00:00Z", reason: "Simulacro" },
        { id: "a", start_time: "2026-12-01T12:00:00Z", end_time: "2026-12-01T23:00:00Z", reason: "Jornada pedagógica" },
      ],
      version: "4",
    });
    expect(c.week).toEqual([{ weekday: "monday", shifts: [{ start: "07:00", end: "12:00" }] }]);
    expect(c.closures.map((x) => x.id)).toEqual(["a", "b"]);
    expect(c).toMatchObject({ alwaysOpen: false, colombianHolidays: true, version: 4 });
  });
});
