// A stand-in for the Tiquete gateway, for developing and checking the web UI while the real
// backend is not built. In-memory, one process, Node's standard library only. It speaks the
// gateway's HTTP/JSON contract as the protos declare it (proto field names, bare enum names,
// int64 as strings, the {code, message, details, request_id} error model, cookie session +
// X-CSRF-Token) and loads the Tolima demo directory from deploy/demo/*.csv.
//
// NOT a test oracle: CI runs tests/e2e against the real suite. Usage:
//   node tests/e2e/mock/gateway.mjs [--port 8490] [--web web/dist]
// Every demo person signs in with the password in MOCK_PASSWORD (default "Tiquete2026!"), and the
// demo sign-ins of docs/demo.md also with their own passwords.
import { createServer } from "node:http";
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync, existsSync, statSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(import.meta.url), "../../../..");
const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : def;
};
const PORT = Number(arg("--port", process.env.PORT ?? 8490));
const WEB = resolve(root, arg("--web", "web/dist"));
const PASSWORD = process.env.MOCK_PASSWORD ?? "Tiquete2026!";
const DEMO_PASSWORDS = new Map([
  ["yeni.bonilla@sedtolima.gov.co", "Demo-Solicitante-2026"],
  ["laura.ospina@sedtolima.gov.co", "Demo-Mesa-N1-2026"],
  ["oscar.guzman@sedtolima.gov.co", "Demo-Especialista-2026"],
  ["wilson.castano@conectatolima.com.co", "Demo-Proveedor-2026"],
  ["angela.barragan@sedtolima.gov.co", "Demo-Coordinacion-2026"],
  ["mauricio.yara@sedtolima.gov.co", "Demo-Seguridad-2026"],
  ["jorge.oviedo@sedtolima.gov.co", "Demo-Administrador-2026"],
]);

// ---- demo directory ------------------------------------------------------------------------
function csv(file) {
  const text = readFileSync(join(root, "deploy/demo", file), "utf8");
  const rows = [];
  let row = [], field = "", q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') q = false;
      else field += c;
    } else if (c === '"') q = true;
    else if (c === ",") { row.push(field); field = ""; }
    else if (c === "\n") { row.push(field); rows.push(row); row = []; field = ""; }
    else if (c !== "\r") field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  const [head, ...rest] = rows;
  return rest.filter((r) => r.length > 1).map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ""])));
}
const id = () => randomUUID();
const groups = csv("groups.csv").map((g) => ({ id: id(), code: g.code, name: g.name, level: g.level, kind: g.kind, active: true }));
const groupByCode = new Map(groups.map((g) => [g.code, g]));
const people = csv("people.csv").map((p) => ({
  id: id(),
  email: p.email,
  given_name: p.given_name,
  family_name: p.family_name,
  display_name: `${p.given_name} ${p.family_name}`,
  job_title: p.job_title,
  org_unit_code: p.org_unit_code,
  roles: p.roles ? p.roles.split(";") : ["requester"],
  groups: (p.groups ? p.groups.split(";") : []).map((c) => groupByCode.get(c)).filter(Boolean).map(({ id, code, name }) => ({ id, code, name })),
  active: true,
}));
const personById = new Map(people.map((p) => [p.id, p]));
const personByEmail = new Map(people.map((p) => [p.email, p]));
const categories = [];
const catByPath = new Map();
for (const c of csv("categories.csv")) {
  const parts = c.path.split(" > ");
  const parent = parts.length > 1 ? catByPath.get(parts.slice(0, -1).join(" > ")) : null;
  const cat = {
    id: id(), parent_id: parent?.id ?? "", name: parts.at(-1), full_path: c.path, depth: parts.length - 1,
    default_group_id: groupByCode.get(c.default_group_code)?.id ?? "", security: c.security === "true",
    description: c.description, active: true,
  };
  categories.push(cat);
  catByPath.set(c.path, cat);
}
const services = csv("services.csv").map((s) => ({ id: id(), code: s.code, name: s.name, description: s.description, owner_group_id: groupByCode.get(s.owner_group_code)?.id ?? "", criticality: s.criticality, active: true }));
const serviceByCode = new Map(services.map((s) => [s.code, s]));
const cis = csv("cis.csv").map((c) => ({ id: id(), code: c.code, name: c.name, type: c.type, service_id: serviceByCode.get(c.service_code)?.id ?? "", active: true }));

// ---- state -----------------------------------------------------------------------------------
const sessions = new Map(); // sid → {person, csrf}
const incidents = new Map(); // number → incident
const worklog = new Map(); // number → entries
const audit = new Map(); // number → entries
const escalations = new Map(); // number → entries
const idem = new Map(); // key → response
let seq = 0;
const MATRIX = { HIGH: { HIGH: "P1", MEDIUM: "P2", LOW: "P3" }, MEDIUM: { HIGH: "P2", MEDIUM: "P3", LOW: "P4" }, LOW: { HIGH: "P3", MEDIUM: "P4", LOW: "P5" } };
const TARGET_H = { P1: 4, P2: 8, P3: 24, P4: 48, P5: 120 };
const RESPONSE_H = { P1: 0.25, P2: 0.5, P3: 1, P4: 4, P5: 8 };
const now = () => new Date().toISOString();

class HttpError extends Error {
  constructor(status, code, es, en, field = "", grpc = "") {
    super(en);
    Object.assign(this, { status, code, es, en, field, grpc });
  }
}
const invalid = (field, es, en) => new HttpError(400, "INVALID_ARGUMENT", es, en, field, "INVALID_ARGUMENT");
const illegal = (es, en) => new HttpError(409, "ILLEGAL_TRANSITION", es, en, "", "FAILED_PRECONDITION");

function record(inc, actor, field, oldValue, newValue, reason = "") {
  if (String(oldValue) === String(newValue)) return;
  audit.get(inc.number).push({ id: id(), number: inc.number, actor_id: actor.id, at: now(), field, old_value: String(oldValue ?? ""), new_value: String(newValue ?? ""), reason });
}
function set(inc, actor, changes, reason = "") {
  for (const [k, v] of Object.entries(changes)) {
    record(inc, actor, k, inc[k], v, reason);
    inc[k] = v;
  }
  inc.updated_at = now();
  inc.version = String(Number(inc.version) + 1);
}
function addComment(inc, actor, body, visibility = "PUBLIC", kind = "COMMENT") {
  const e = { id: id(), number: inc.number, author_id: actor.id, visibility, body, created_at: now(), kind };
  worklog.get(inc.number).push(e);
  if (!inc.first_response_at && actor.id !== inc.requester_id && visibility === "PUBLIC") inc.first_response_at = e.created_at;
  inc.updated_at = e.created_at;
  return e;
}
// tiquete.sla.v1.Clock, simplified: wall-clock hours instead of business time.
function clocks(inc) {
  const created = Date.parse(inc.created_at);
  const done = ["RESOLVED", "CLOSED", "CANCELLED"].includes(inc.state);
  return [["response", RESPONSE_H], ["resolution", TARGET_H]].map(([kind, hours]) => {
    const target = hours[inc.priority] * 3600;
    const due = created + target * 1000;
    const stopped = kind === "response" ? Boolean(inc.first_response_at) || inc.state !== "NEW" : done;
    const end = stopped ? Date.parse(kind === "response" ? inc.first_response_at || inc.updated_at : inc.resolved_at || inc.updated_at) : Date.now();
    const elapsed = Math.round((end - created) / 1000);
    const paused = !stopped && inc.state === "PENDING" && inc.pending_reason === "REQUESTER";
    const percent = Math.round((elapsed / target) * 1000) / 10;
    return {
      id: `${inc.number}-${kind}`, ticket: inc.number, kind, priority: Number(inc.priority.slice(1)),
      state: inc.state === "CANCELLED" ? "cancelled" : stopped ? "stopped" : paused ? "paused" : "running",
      target_minutes: String(target / 60), elapsed_minutes: String(Math.floor(elapsed / 60)),
      remaining_minutes: String(Math.floor((target - elapsed) / 60)), percent,
      due_time: new Date(due).toISOString(), breached: elapsed > target, at_risk: elapsed <= target && percent >= 75,
      target_seconds: String(target), elapsed_seconds: String(elapsed),
    };
  });
}
function visible(inc, who) {
  const staff = who.roles.some((r) => r !== "requester");
  if (!staff) return inc.requester_id === who.id;
  if (who.roles.includes("provider") && !who.roles.some((r) => ["coordinator", "agent_l1", "specialist_l2", "admin"].includes(r)))
    return who.groups.some((g) => g.id === inc.assignment_group_id);
  return true;
}
function getVisible(number, who) {
  const inc = incidents.get(number);
  if (!inc || !visible(inc, who)) throw new HttpError(404, "NOT_FOUND", `No encontramos el caso ${number}.`, `Incident ${number} not found.`, "number", "NOT_FOUND");
  return inc;
}
function checkVersion(inc, body) {
  if (body.version !== undefined && String(body.version) !== inc.version)
    throw new HttpError(409, "STALE_VERSION", "Alguien más modificó este caso mientras tanto. Recárguelo e intente de nuevo.", "The incident changed meanwhile.", "version", "ABORTED");
}
const isStaff = (p) => p.roles.some((r) => r !== "requester");
const open = (s) => ["NEW", "ASSIGNED", "IN_PROGRESS", "PENDING"].includes(s);

function createIncident(who, b) {
  const impact = b.impact || "MEDIUM", urgency = b.urgency || "MEDIUM";
  const cat = categories.find((c) => c.id === b.category_id);
  const group = groups.find((g) => g.id === cat?.default_group_id) ?? groupByCode.get("MESA");
  const number = `INC-2026-${String(++seq).padStart(6, "0")}`;
  const t = now();
  const inc = {
    number, type: "INCIDENT", state: "NEW", title: b.subject, description: b.body, requester_id: b.requester_id || who.id, channel: b.channel || "PORTAL",
    category_id: b.category_id || "", service_id: b.service_id || "", ci_ids: b.ci_ids ?? [], impact, urgency, priority: MATRIX[impact][urgency],
    matrix_priority: MATRIX[impact][urgency], priority_overridden: false, priority_justification: "", pending_reason: "PENDING_REASON_UNSPECIFIED",
    level: group.level, assignment_group_id: group.id, assignee_id: "", coordinator_id: "", major: false, major_owner_id: "", resolution_code: "",
    resolution_notes: "", resolved_level: "SUPPORT_LEVEL_UNSPECIFIED", closure_code: "", cancel_reason: "", reopen_count: 0, survey: { rating: 0, comment: "" },
    possible_security: Boolean(cat?.security), attachments: (b.attachments ?? []).map((a) => ({ id: id(), filename: a.filename, content_type: a.content_type, size_bytes: String(Buffer.from(a.content ?? "", "base64").length) })),
    created_at: t, updated_at: t, version: "1",
  };
  incidents.set(number, inc);
  worklog.set(number, []);
  audit.set(number, [{ id: id(), number, actor_id: who.id, at: t, field: "state", old_value: "", new_value: "NEW", reason: "" }]);
  escalations.set(number, []);
  return inc;
}

// ---- routes ----------------------------------------------------------------------------------
const routes = [];
const route = (method, pattern, handler, opts = {}) => routes.push({ method, re: new RegExp("^" + pattern + "$"), handler, ...opts });
const page = (items, key, q) => {
  const size = Math.min(Number(q.get("page.page_size") ?? 50) || 50, 500);
  const start = Number(q.get("page.page_token") || 0);
  return { [key]: items.slice(start, start + size), next_page_token: start + size < items.length ? String(start + size) : "" };
};

route("POST", "/v1/auth/login", (req, b) => {
  const p = personByEmail.get(String(b.email ?? "").toLowerCase());
  if (!b.email) throw invalid("email", "Escriba su correo.", "Email is required.");
  if (!p || (b.password !== PASSWORD && b.password !== DEMO_PASSWORDS.get(p.email))) throw new HttpError(401, "INVALID_CREDENTIALS", "El correo o la contraseña no son correctos.", "Wrong email or password.", "", "UNAUTHENTICATED");
  const sid = randomBytes(24).toString("hex");
  const s = { person: p, csrf: randomBytes(16).toString("hex") };
  sessions.set(sid, s);
  req.setCookie = `tiquete_session=${sid}; Path=/; HttpOnly; SameSite=Lax`;
  return sessionInfo(s);
}, { public: true });
const sessionInfo = (s) => ({ person_id: s.person.id, email: s.person.email, display_name: s.person.display_name, roles: s.person.roles, group_ids: s.person.groups.map((g) => g.id), csrf_token: s.csrf, auth_method: "session", expire_time: new Date(Date.now() + 8 * 3600e3).toISOString() });
route("GET", "/v1/auth/me", (req) => sessionInfo(req.session));
route("POST", "/v1/auth/logout", (req) => { sessions.delete(req.sid); req.setCookie = "tiquete_session=; Path=/; Max-Age=0"; return {}; });

route("GET", "/v1/directory/categories:tree", () => ({ categories }));
route("GET", "/v1/directory/services", (req, b, q) => page(services, "services", q));
route("GET", "/v1/directory/cis", (req, b, q) => page(cis.filter((c) => !q.get("service_id") || c.service_id === q.get("service_id")), "configuration_items", q));
route("GET", "/v1/directory/groups", (req, b, q) => page(groups, "groups", q));
route("GET", "/v1/directory/groups/([^/]+)/members", (req, b, q, [gid]) => {
  if (!isStaff(req.session.person)) throw new HttpError(403, "PERMISSION_DENIED", "Su perfil no permite esta acción.", "Forbidden.", "", "PERMISSION_DENIED");
  return page(people.filter((p) => p.groups.some((g) => g.id === gid)).map((p) => ({ group_id: gid, person_id: p.id, email: p.email, display_name: p.display_name, person_active: true })), "members", q);
});
route("GET", "/v1/directory/people/([^/:]+)", (req, b, q, [pid]) => {
  if (!isStaff(req.session.person)) throw new HttpError(403, "PERMISSION_DENIED", "Su perfil no permite esta acción.", "Forbidden.", "", "PERMISSION_DENIED");
  const p = personById.get(pid);
  if (!p) throw new HttpError(404, "NOT_FOUND", "No encontramos a esa persona.", "Not found.", "id", "NOT_FOUND");
  return p;
});
route("GET", "/v1/directory/people", (req, b, q) => page(people.filter((p) => !q.get("role") || p.roles.includes(q.get("role"))), "people", q));

route("POST", "/v1/tickets", (req, b) => {
  const who = req.session.person;
  if (b.idempotency_key && idem.has(b.idempotency_key)) return idem.get(b.idempotency_key);
  if (!String(b.subject ?? "").trim()) throw invalid("subject", "Escriba un título para su caso.", "subject is required");
  if (String(b.subject).length > 200) throw invalid("subject", "El título puede tener máximo 200 caracteres.", "subject too long");
  if (!String(b.body ?? "").trim()) throw invalid("body", "Describa qué está pasando.", "body is required");
  if (b.category_id && !categories.some((c) => c.id === b.category_id)) throw invalid("category_id", "Esa categoría no existe.", "unknown category");
  const requester = b.requester_id || who.id;
  const dup = [...incidents.values()].find((i) => open(i.state) && i.requester_id === requester && i.title.trim().toLowerCase() === String(b.subject).trim().toLowerCase());
  let res;
  const cat = categories.find((c) => c.id === b.category_id);
  const classification = { type: cat?.full_path.startsWith("Solicitudes") ? "SERVICE_REQUEST" : "INCIDENT", possible_security: Boolean(cat?.security), matched_rules: [], reason: "" };
  if (dup) {
    const e = addComment(dup, who, `${b.subject}\n\n${b.body}`);
    res = { message_id: id(), incident_number: dup.number, created: false, duplicate_of: dup.number, classification, comment_id: e.id };
  } else {
    const inc = createIncident(who, b);
    res = { message_id: id(), incident_number: inc.number, created: true, duplicate_of: "", classification, comment_id: "" };
  }
  if (b.idempotency_key) idem.set(b.idempotency_key, res);
  return res;
});

route("GET", "/v1/incidents:count-by-state", (req) => {
  const mine = [...incidents.values()].filter((i) => visible(i, req.session.person));
  const states = ["NEW", "ASSIGNED", "IN_PROGRESS", "PENDING", "RESOLVED", "CLOSED", "CANCELLED"];
  return { counts: states.map((s) => ({ state: s, count: String(mine.filter((i) => i.state === s).length) })), total: String(mine.length) };
});
route("GET", "/v1/incidents", (req, b, q) => {
  const who = req.session.person;
  const states = q.getAll("filter.states"), prios = q.getAll("filter.priorities");
  const text = (q.get("filter.query") ?? "").toLowerCase();
  let list = [...incidents.values()].filter((i) => visible(i, who))
    .filter((i) => !states.length || states.includes(i.state))
    .filter((i) => !prios.length || prios.includes(i.priority))
    .filter((i) => !q.get("filter.assignee_id") || i.assignee_id === q.get("filter.assignee_id"))
    .filter((i) => !q.get("filter.group_id") || i.assignment_group_id === q.get("filter.group_id"))
    .filter((i) => !q.get("filter.requester_id") || i.requester_id === q.get("filter.requester_id"))
    .filter((i) => q.get("filter.major") !== "true" || i.major)
    .filter((i) => q.get("filter.unassigned") !== "true" || !i.assignee_id)
    .filter((i) => !text || (i.number + " " + i.title + " " + i.description).toLowerCase().includes(text));
  const sort = q.get("sort");
  list.sort(sort === "SORT_UPDATED_DESC" ? (a, b) => b.updated_at.localeCompare(a.updated_at) : sort === "SORT_CREATED_DESC" ? (a, b) => b.created_at.localeCompare(a.created_at) : (a, b) => a.priority.localeCompare(b.priority) || a.created_at.localeCompare(b.created_at));
  return page(list, "incidents", q);
});
route("GET", "/v1/incidents/([^/:]+)", (req, b, q, [n]) => getVisible(n, req.session.person));
route("GET", "/v1/incidents/([^/:]+)/work-log", (req, b, q, [n]) => {
  getVisible(n, req.session.person);
  const staff = isStaff(req.session.person);
  return page(worklog.get(n).filter((e) => staff || e.visibility === "PUBLIC"), "entries", q);
});
route("GET", "/v1/incidents/([^/:]+)/audit-trail", (req, b, q, [n]) => {
  if (!isStaff(req.session.person)) throw new HttpError(403, "PERMISSION_DENIED", "Su perfil no permite esta acción.", "Forbidden.", "", "PERMISSION_DENIED");
  getVisible(n, req.session.person);
  return page(audit.get(n), "entries", q);
});
route("GET", "/v1/incidents/([^/:]+)/escalations", (req, b, q, [n]) => {
  if (!isStaff(req.session.person)) throw new HttpError(403, "PERMISSION_DENIED", "Su perfil no permite esta acción.", "Forbidden.", "", "PERMISSION_DENIED");
  getVisible(n, req.session.person);
  return { escalations: escalations.get(n) };
});
const need = (b, field, es) => { if (!String(b[field] ?? "").trim()) throw invalid(field, es, `${field} is required`); };
const staffOnly = (who) => { if (!isStaff(who)) throw new HttpError(403, "PERMISSION_DENIED", "Su perfil no permite esta acción.", "Forbidden.", "", "PERMISSION_DENIED"); };
const actions = {
  assign(inc, who, b) {
    staffOnly(who);
    if (!open(inc.state)) throw illegal("Solo se asignan casos abiertos.", "not open");
    const g = groups.find((x) => x.id === (b.group_id || inc.assignment_group_id));
    if (!g) throw invalid("group_id", "Ese grupo no existe.", "unknown group");
    if (b.assignee_id && !personById.get(b.assignee_id)?.groups.some((x) => x.id === g.id)) throw invalid("assignee_id", "Esa persona no pertenece al grupo.", "not a member");
    set(inc, who, { assignment_group_id: g.id, level: g.level, assignee_id: b.assignee_id || "", state: inc.state === "NEW" ? "ASSIGNED" : inc.state }, b.note || "");
  },
  escalate(inc, who, b) {
    staffOnly(who);
    need(b, "reason", "Escriba el motivo del escalamiento.");
    if (!open(inc.state)) throw illegal("Solo se escalan casos abiertos.", "not open");
    const from = { level: inc.level, group: inc.assignment_group_id };
    if (b.kind === "FUNCTIONAL") {
      const g = groups.find((x) => x.id === b.group_id);
      if (!g) throw invalid("group_id", "Elija el grupo que recibe el caso.", "group required");
      set(inc, who, { assignment_group_id: g.id, level: g.level, assignee_id: b.assignee_id || "", state: "ASSIGNED" }, b.reason);
    } else {
      const coord = b.coordinator_id || people.find((p) => p.roles.includes("coordinator"))?.id || "";
      set(inc, who, { coordinator_id: coord }, b.reason);
    }
    escalations.get(inc.number).push({ id: id(), number: inc.number, kind: b.kind, from_level: from.level, to_level: inc.level, from_group_id: from.group, to_group_id: inc.assignment_group_id, to_person_id: b.kind === "FUNCTIONAL" ? inc.assignee_id : inc.coordinator_id, reason: b.reason, actor_id: who.id, at: now() });
  },
  start(inc, who) {
    staffOnly(who);
    if (!["NEW", "ASSIGNED"].includes(inc.state)) throw illegal("La atención ya había iniciado.", "bad state");
    set(inc, who, { state: "IN_PROGRESS", assignee_id: inc.assignee_id || who.id });
  },
  pend(inc, who, b) {
    staffOnly(who);
    if (!["REQUESTER", "PROVIDER", "CHANGE"].includes(b.reason)) throw invalid("reason", "Elija qué se espera.", "reason required");
    need(b, "note", "Escriba el detalle de la espera.");
    if (!["ASSIGNED", "IN_PROGRESS"].includes(inc.state)) throw illegal("Solo se pone en espera un caso en atención.", "bad state");
    set(inc, who, { state: "PENDING", pending_reason: b.reason }, b.note);
    addComment(inc, who, b.note, b.reason === "REQUESTER" ? "PUBLIC" : "INTERNAL");
  },
  resume(inc, who, b) {
    staffOnly(who);
    if (inc.state !== "PENDING") throw illegal("El caso no está en espera.", "bad state");
    set(inc, who, { state: "IN_PROGRESS", pending_reason: "PENDING_REASON_UNSPECIFIED" }, b.note || "");
  },
  resolve(inc, who, b) {
    staffOnly(who);
    need(b, "resolution_code", "Elija el código de solución.");
    if (!["ASSIGNED", "IN_PROGRESS"].includes(inc.state)) throw illegal("Solo se soluciona un caso en atención.", "bad state");
    set(inc, who, { state: "RESOLVED", resolution_code: b.resolution_code, resolution_notes: b.resolution_notes || "", resolved_level: inc.level, resolved_at: now() });
  },
  close(inc, who, b) {
    if (inc.state !== "RESOLVED") throw illegal("Solo se cierra un caso solucionado.", "bad state");
    set(inc, who, { state: "CLOSED", closure_code: b.closure_code || "confirmed", closed_at: now() }, b.note || "");
  },
  cancel(inc, who, b) {
    need(b, "reason", "Escriba el motivo.");
    if (!open(inc.state)) throw illegal("Solo se cancela un caso abierto.", "bad state");
    set(inc, who, { state: "CANCELLED", cancel_reason: b.reason }, b.reason);
  },
  reopen(inc, who, b) {
    need(b, "reason", "Cuéntenos qué sigue fallando.");
    if (inc.state !== "RESOLVED") throw illegal("Solo se reabre un caso solucionado.", "bad state");
    set(inc, who, { state: "IN_PROGRESS", reopen_count: inc.reopen_count + 1, resolution_code: "", resolution_notes: "" }, b.reason);
    addComment(inc, who, b.reason);
  },
  comment(inc, who, b) {
    need(b, "body", "Escriba el texto.");
    if (!isStaff(who) && b.visibility === "INTERNAL") throw new HttpError(403, "PERMISSION_DENIED", "Su perfil no permite notas internas.", "Forbidden.", "visibility", "PERMISSION_DENIED");
    return addComment(inc, who, b.body, b.visibility || "PUBLIC");
  },
  survey(inc, who, b) {
    if (inc.requester_id !== who.id) throw new HttpError(403, "PERMISSION_DENIED", "Solo el solicitante califica la atención.", "Forbidden.", "", "PERMISSION_DENIED");
    if (inc.state !== "CLOSED") throw illegal("La encuesta se responde con el caso cerrado.", "bad state");
    const r = Number(b.rating);
    if (!(r >= 1 && r <= 5)) throw invalid("rating", "Elija una calificación de 1 a 5.", "rating 1..5");
    inc.survey = { rating: r, comment: b.comment || "", submitted_at: now() };
    record(inc, who, "survey.rating", 0, r);
    return inc.survey;
  },
  "set-priority"(inc, who, b) {
    staffOnly(who);
    if (!/^P[1-5]$/.test(b.priority)) throw invalid("priority", "Elija una prioridad.", "priority");
    if (b.priority !== inc.matrix_priority && !String(b.justification ?? "").trim()) throw invalid("justification", "Escriba la justificación del cambio.", "justification");
    set(inc, who, { priority: b.priority, priority_overridden: b.priority !== inc.matrix_priority, priority_justification: b.justification || "" }, b.justification || "");
  },
  "set-major"(inc, who, b) {
    if (!who.roles.some((r) => ["coordinator", "incident_manager", "admin"].includes(r))) throw new HttpError(403, "PERMISSION_DENIED", "Solo la coordinación marca incidentes mayores.", "Forbidden.", "", "PERMISSION_DENIED");
    if (b.major && !b.owner_id) throw invalid("owner_id", "Elija el responsable del incidente mayor.", "owner");
    set(inc, who, { major: Boolean(b.major), major_owner_id: b.major ? b.owner_id : "" }, b.reason || "");
  },
};
route("POST", "/v1/incidents/([^/:]+):([a-z-]+)", (req, b, q, [n, verb]) => {
  const who = req.session.person;
  const inc = getVisible(n, who);
  const fn = actions[verb];
  if (!fn) throw new HttpError(404, "NOT_FOUND", "Ruta desconocida.", "Unknown route.", "", "NOT_FOUND");
  const key = b.idempotency_key ? `${verb}:${n}:${b.idempotency_key}` : "";
  if (key && idem.has(key)) return idem.get(key);
  if (!["comment", "survey"].includes(verb)) checkVersion(inc, b);
  const out = fn(inc, who, b) ?? inc;
  if (key) idem.set(key, out);
  return out;
});

route("GET", "/v1/sla/tickets/([^/]+)/clocks", (req, b, q, [n]) => {
  return { clocks: clocks(getVisible(n, req.session.person)) }; // requesters: their own cases
});
route("GET", "/v1/sla/clocks:batchGet", (req, b, q) => {
  const numbers = q.getAll("numbers");
  if (!numbers.length || numbers.length > 100) throw invalid("numbers", "Entre 1 y 100 casos.", "1 to 100 tickets.");
  const seen = numbers.flatMap((n) => {
    try {
      return [getVisible(n, req.session.person)];
    } catch {
      return [];
    }
  });
  return { clocks: seen.flatMap(clocks) };
});
route("GET", "/v1/sla/clocks", (req, b, q) => {
  staffOnly(req.session.person);
  const status = q.get("status") || "";
  const all = [...incidents.values()].flatMap(clocks).filter((c) => c.state === "running" || c.state === "paused");
  const list = all.filter((c) => (status === "live" ? true : status === "breached" ? c.breached : c.at_risk || c.breached));
  list.sort((a, b) => a.due_time.localeCompare(b.due_time));
  return page(list, "clocks", q);
});

// tiquete.reporting.v1.Dashboard, computed on the fly (the real service keeps a read model).
route("GET", "/v1/reports/dashboard", (req) => {
  const who = req.session.person;
  if (!who.roles.some((r) => ["coordinator", "incident_manager", "reporting_viewer", "admin"].includes(r)))
    throw new HttpError(403, "PERMISSION_DENIED", "Su perfil no permite esta acción.", "Forbidden.", "", "PERMISSION_DENIED");
  const all = [...incidents.values()];
  const count = (items, key) => {
    const m = new Map();
    for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
    return [...m].map(([k, c]) => ({ key: k, count: String(c), percent: items.length ? (c * 100) / items.length : 0 }));
  };
  const resolved = all.filter((i) => i.resolved_at);
  const mins = resolved.map((i) => (Date.parse(i.resolved_at) - Date.parse(i.created_at)) / 60000);
  const surveys = all.filter((i) => i.survey?.rating > 0);
  const liveClocks = all.flatMap(clocks).filter((c) => c.state === "running" || c.state === "paused");
  const today = new Date().toISOString().slice(0, 10);
  const month = today.slice(0, 7);
  const openItems = all.filter((i) => open(i.state));
  return {
    kpis: {
      filter: { from_date: month + "-01", to_date: today },
      states: { opened: String(all.length), open: String(all.filter((i) => ["NEW", "ASSIGNED", "IN_PROGRESS"].includes(i.state)).length), pending: String(all.filter((i) => i.state === "PENDING").length), resolved: String(all.filter((i) => i.state === "RESOLVED").length), closed: String(all.filter((i) => i.state === "CLOSED").length), cancelled: String(all.filter((i) => i.state === "CANCELLED").length) },
      by_service: count(all.filter((i) => i.service_id), (i) => i.service_id),
      by_priority: count(all, (i) => i.priority),
      by_group: count(all, (i) => i.assignment_group_id),
      resolved: String(resolved.length),
      resolved_by_level: count(resolved, (i) => i.resolved_level),
      handled_by_analyst: count(resolved, (i) => i.assignee_id),
      resolution_time: { calendar: { count: String(mins.length), average_minutes: mins.length ? mins.reduce((a, b) => a + b, 0) / mins.length : 0 } },
      sla: { resolution: { met: String(resolved.length), breached: "0", percent: resolved.length ? 100 : 0 }, response: { met: "0", breached: "0", percent: 0 } },
      satisfaction: { surveys: String(surveys.length), average: surveys.length ? surveys.reduce((a, i) => a + i.survey.rating, 0) / surveys.length : 0, closed: String(all.filter((i) => i.state === "CLOSED").length) },
      first_contact_resolution: { numerator: String(resolved.filter((i) => i.resolved_level === "L1").length), denominator: String(resolved.length), percent: resolved.length ? (resolved.filter((i) => i.resolved_level === "L1").length * 100) / resolved.length : 0 },
      reopen_rate: { numerator: "0", denominator: String(resolved.length), percent: 0 },
    },
    trend: { months: [{ month, count: String(all.length), partial: true, projected: false }, { month: "2026-12", count: String(all.length + 2), projected: true }], method: "mean" },
    backlog: { open: String(openItems.length), pending: String(openItems.filter((i) => i.state === "PENDING").length), max_wait_hours: "72", over_threshold: "0", at_risk: String(liveClocks.filter((c) => c.at_risk).length), breached: String(liveClocks.filter((c) => c.breached).length), workload: [] },
  };
});

// ---- server ------------------------------------------------------------------------------------
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json", ".map": "application/json", ".png": "image/png" };
function sendJson(res, status, body, extra = {}) {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...extra });
  res.end(JSON.stringify(body));
}
createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  const requestId = randomBytes(6).toString("hex");
  const lang = /^\s*en/i.test(req.headers["accept-language"] ?? "") ? "en" : "es";
  if (!url.pathname.startsWith("/v1/")) {
    let file = join(WEB, decodeURIComponent(url.pathname));
    if (!file.startsWith(WEB) || !existsSync(file) || statSync(file).isDirectory()) file = join(WEB, "index.html");
    if (!existsSync(file)) { res.writeHead(503).end("web/dist is not built: cd web && npm run build"); return; }
    res.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
    return;
  }
  let raw = "";
  req.on("data", (c) => (raw += c));
  req.on("end", () => {
    try {
      const r = routes.find((x) => x.method === req.method && x.re.test(url.pathname));
      if (!r) throw new HttpError(404, "NOT_FOUND", "Ruta desconocida.", "Unknown route.", "", "NOT_FOUND");
      const sid = /(?:^|;\s*)tiquete_session=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
      const session = sid ? sessions.get(sid) : undefined;
      if (!r.public && !session) throw new HttpError(401, "NOT_SIGNED_IN", "Su sesión terminó. Ingrese de nuevo.", "Please sign in.", "", "UNAUTHENTICATED");
      if (!r.public && req.method !== "GET" && req.headers["x-csrf-token"] !== session.csrf)
        throw new HttpError(403, "CSRF_TOKEN_INVALID", "Falta el token de seguridad (CSRF) o no es válido. Recargue la página.", "CSRF token invalid.", "", "PERMISSION_DENIED");
      let body = {};
      if (raw) {
        try { body = JSON.parse(raw); } catch { throw new HttpError(400, "MALFORMED_JSON", "La solicitud no es JSON válido.", "Malformed JSON.", "", "INVALID_ARGUMENT"); }
      }
      const ctx = { session, sid };
      const out = r.handler(ctx, body, url.searchParams, url.pathname.match(r.re).slice(1).map(decodeURIComponent));
      sendJson(res, 200, out, ctx.setCookie ? { "Set-Cookie": ctx.setCookie } : {});
    } catch (e) {
      if (!(e instanceof HttpError)) console.error(e);
      const err = e instanceof HttpError ? e : new HttpError(500, "INTERNAL", "Error interno.", "Internal error.", "", "INTERNAL");
      sendJson(res, err.status, { code: err.code, message: lang === "en" ? err.en : err.es, details: { field: err.field, grpc_code: err.grpc || err.code }, request_id: requestId }, { "X-Request-Id": requestId });
    }
  });
}).listen(PORT, "127.0.0.1", () => console.log(`mock gateway on http://127.0.0.1:${PORT}/ (web ${WEB})`));
