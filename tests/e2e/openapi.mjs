// The running gateway's /v1/openapi.json is a valid OpenAPI 3.0 document (swagger-parser:
// schema validation plus $ref resolution), every operation names the roles allowed on it, and
// the routes the web UI and integrations rely on are there.
//
//   TIQUETE_URL=http://127.0.0.1:8480 node tests/e2e/openapi.mjs
import SwaggerParser from "@apidevtools/swagger-parser";

const BASE = (process.env.TIQUETE_URL ?? "").replace(/\/+$/, "");
if (!BASE) {
  console.error("TIQUETE_URL is not set");
  process.exit(2);
}
const res = await fetch(`${BASE}/v1/openapi.json`);
if (!res.ok) {
  console.log(`FAIL  /v1/openapi.json answered ${res.status}`);
  process.exit(1);
}
const doc = await res.json();
const problems = [];
try {
  await SwaggerParser.validate(structuredClone(doc));
} catch (e) {
  problems.push(`not a valid OpenAPI document: ${e.message}`);
}
if (!String(doc.openapi ?? "").startsWith("3.0")) problems.push(`openapi is "${doc.openapi}", not 3.0.x`);
let operations = 0;
for (const [path, item] of Object.entries(doc.paths ?? {})) {
  for (const [method, op] of Object.entries(item)) {
    if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
    operations++;
    // Every {template} of the path is declared as a required path parameter.
    for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
      const declared = (op.parameters ?? []).some((p) => p.in === "path" && p.name === name && p.required);
      if (!declared) problems.push(`${method.toUpperCase()} ${path} does not declare path parameter "${name}"`);
    }
    // x-roles lists the roles allowed; an empty list goes with x-any-authenticated, or with
    // `security: []` (public: signing in).
    const roles = op["x-roles"];
    const open = op["x-any-authenticated"] === true || (Array.isArray(op.security) && op.security.length === 0);
    if (!Array.isArray(roles) || (roles.length === 0 && !open)) {
      problems.push(`${method.toUpperCase()} ${path} does not say who may call it`);
    }
  }
}
const want = [
  ["get", "/v1/incidents/{number}"],
  ["post", "/v1/incidents"],
  ["post", "/v1/incidents/{number}:escalate"],
  ["get", "/v1/sla/tickets/{number}/clocks"],
];
for (const [method, path] of want) {
  if (!doc.paths?.[path]?.[method]) problems.push(`missing ${method.toUpperCase()} ${path}`);
}
if (problems.length) {
  console.log(`FAIL  OpenAPI document (${operations} operations)\n      ${problems.slice(0, 20).join("\n      ")}`);
  process.exit(1);
}
console.log(`PASS  /v1/openapi.json is valid OpenAPI ${doc.openapi} with ${operations} operations, each naming its roles`);
