// The Tiquete web UI, end to end, in Debian's headless Chromium driven by playwright-core (no
// browser download): a requester registers a case; an analyst takes it and escalates it to L2;
// the specialist resolves it; the requester confirms and answers the survey; the coordinator
// sees it in the queues. Every step is asserted on screen, every page is checked with axe-core
// (0 serious or critical WCAG 2.1 A/AA violations) and for console errors, and screenshots are
// kept in tests/e2e/artifacts/.
//
//   TIQUETE_URL=http://127.0.0.1:8480 node tests/e2e/scenario.mjs
//
// Settings (environment): TIQUETE_URL (required); the demo sign-ins of docs/demo.md by default,
// else TIQUETE_E2E_PASSWORD (all) or TIQUETE_E2E_PASSWORD_<ROLE> (REQUESTER, ANALYST, SPECIALIST,
// COORDINATOR),
// TIQUETE_E2E_<ROLE>_EMAIL to use other people, CHROMIUM (default /usr/bin/chromium),
// TIQUETE_E2E_TIMEOUT_MS (default 15000, per wait).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const ARTIFACTS = join(here, "artifacts");

const BASE = (process.env.TIQUETE_URL ?? "").replace(/\/+$/, "");
if (!BASE) {
  console.error("TIQUETE_URL is not set: start the suite (./deploy/up.sh) and point TIQUETE_URL at the gateway");
  process.exit(2);
}
const TIMEOUT = Number(process.env.TIQUETE_E2E_TIMEOUT_MS ?? 15000);
// The demo sign-ins ./deploy/up.sh creates (docs/demo.md), one per role.
const person = (role, email, password, name) => ({
  email: process.env[`TIQUETE_E2E_${role}_EMAIL`] ?? email,
  password: process.env[`TIQUETE_E2E_PASSWORD_${role}`] ?? process.env.TIQUETE_E2E_PASSWORD ?? password,
  name,
});
const USERS = {
  requester: person("REQUESTER", "yeni.bonilla@sedtolima.gov.co", "Demo-Solicitante-2026", "Yeni Paola Bonilla Patiño"),
  analyst: person("ANALYST", "laura.ospina@sedtolima.gov.co", "Demo-Mesa-N1-2026", "Laura Marcela Ospina Varón"),
  specialist: person("SPECIALIST", "oscar.guzman@sedtolima.gov.co", "Demo-Especialista-2026", "Óscar Mauricio Guzmán Álvarez"),
  coordinator: person("COORDINATOR", "angela.barragan@sedtolima.gov.co", "Demo-Coordinacion-2026", "Ángela María Barragán Ortiz"),
};
const L2_GROUP = "Especialistas TIC";
// Seeded by services/sla/migrations/0001_sla.sql.
const STANDARD_POLICY = "00000000-0000-4000-8000-000000000101";
const OFFICE_CALENDAR = "00000000-0000-4000-8000-000000000001";

// ---- tiny test harness -----------------------------------------------------------------------
const results = [];
const axeReport = [];
const consoleProblems = [];
// Set while a step provokes a 401 on purpose (the expired session): the browser logs the failed
// request as a console error, which is expected there and nowhere else.
let expectingUnauthorized = false;
let shot = 0;

async function step(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`PASS  ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    results.push({ name, ok: false, error: e });
    console.log(`FAIL  ${name}\n      ${String(e?.stack ?? e).split("\n").slice(0, 6).join("\n      ")}`);
    throw e; // later steps depend on this one
  }
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

async function screenshot(page, name) {
  shot++;
  const file = join(ARTIFACTS, `${String(shot).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** axe-core on the current page: WCAG 2.0/2.1 A and AA rules; serious or critical fail. */
async function axe(page, label) {
  await page.evaluate(AXE_SOURCE);
  const r = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const res = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      resultTypes: ["violations"],
    });
    return res.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
    }));
  });
  axeReport.push({ page: label, url: page.url(), violations: r });
  const bad = r.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert(
    bad.length === 0,
    `axe on ${label}: ${bad.length} serious/critical violation(s): ` +
      bad.map((v) => `${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target).join(", ")}`).join("; "),
  );
}

/** Waits until `text` is visible somewhere in `scope` (a page or locator). */
async function see(scope, text, timeout = TIMEOUT) {
  const loc = scope.getByText(text, { exact: false }).first();
  await loc.waitFor({ state: "visible", timeout });
  return loc;
}

/** Reloads until `text` shows up (lists fed by events may lag a little behind a write). */
async function seeEventually(page, text, timeout = TIMEOUT * 2) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await see(page, text, 3000);
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await page.reload();
    }
  }
}

async function newActor(browser, who, viewport = { width: 1280, height: 900 }, timezoneId = "America/Bogota") {
  const context = await browser.newContext({ viewport, locale: "es-CO", timezoneId });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    if (expectingUnauthorized && /status of 401/.test(m.text())) return;
    consoleProblems.push(`[${who}] console.error: ${m.text()} (${m.location()?.url || page.url()})`);
  });
  page.on("pageerror", (e) => consoleProblems.push(`[${who}] page error: ${e.message} (${page.url()})`));
  return { context, page };
}

async function signIn(page, user) {
  await page.goto(`${BASE}/ingresar`);
  await see(page, "Ingresar a Tiquete");
  await page.getByLabel("Correo institucional").fill(user.email);
  await page.getByLabel("Contraseña").fill(user.password);
  await page.getByRole("button", { name: "Ingresar" }).click();
  await see(page, user.name.split(" ")[0]); // the header shows who is signed in
}

async function signOut(page) {
  await page.getByRole("button", { name: "Cerrar sesión" }).click();
  await see(page, "Ingresar a Tiquete");
}

/** The fact shown next to a label in the incident's "Datos del caso" box. */
async function fact(page, testid) {
  return (await page.getByTestId(testid).textContent())?.trim() ?? "";
}

async function expectFact(page, testid, want) {
  const deadline = Date.now() + TIMEOUT;
  let got = "";
  while (Date.now() < deadline) {
    got = await fact(page, testid);
    if (got.includes(want)) return;
    await page.waitForTimeout(250);
  }
  throw new Error(`${testid}: expected "${want}", got "${got}"`);
}

async function openDialogAction(page, testid, title) {
  await page.getByTestId(testid).click();
  const dialog = page.getByRole("dialog", { name: title });
  await dialog.waitFor({ state: "visible" });
  return dialog;
}

/**
 * Fixture clean-up, not a UI check: a run that failed half-way leaves an open test case, and
 * intake would then (rightly) treat this run's case as its duplicate. Withdraw such leftovers
 * of the requester through the API, as the requester.
 */
async function withdrawLeftovers(page) {
  const left = await page.evaluate(async () => {
    const csrf = sessionStorage.getItem("tiquete.csrf") ?? "";
    const me = await (await fetch("/v1/auth/me")).json();
    const q = new URLSearchParams({ "filter.requester_id": me.person_id, "page.page_size": "200" });
    for (const s of ["NEW", "ASSIGNED", "IN_PROGRESS", "PENDING", "RESOLVED"]) q.append("filter.states", s);
    const list = await (await fetch(`/v1/incidents?${q}`)).json();
    const mine = (list.incidents ?? []).filter((i) => /\(prueba \d+\)$/.test(i.title));
    for (const i of mine) {
      const verb = i.state === "RESOLVED" ? "close" : "cancel";
      await fetch(`/v1/incidents/${encodeURIComponent(i.number)}:${verb}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({ version: i.version, reason: "Prueba automática anterior sin terminar" }),
      });
    }
    return mine.map((i) => i.number);
  });
  if (left.length) console.log(`      (withdrew leftover test cases: ${left.join(", ")})`);
}

// A 1×1 PNG for the attachment.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

// ---- the scenario ------------------------------------------------------------------------------
async function main() {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // No --user-data-dir: playwright-core refuses it in launch() and gives every launch a
      // fresh temporary profile of its own, which is what we want.
    ],
  });
  const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const title = `No puedo ingresar al SIMAT (prueba ${stamp})`; // withdrawLeftovers() matches this
  let number = "";

  try {
    const req = await newActor(browser, "solicitante");

    await step("el solicitante ingresa y ve el portal", async () => {
      await signIn(req.page, USERS.requester);
      await withdrawLeftovers(req.page);
      await see(req.page, "Mis casos");
      await screenshot(req.page, "solicitante-mis-casos-vacio");
      await axe(req.page, "portal: mis casos");
    });

    await step("los errores del formulario salen en español junto al campo", async () => {
      await req.page.getByRole("link", { name: "Registrar un caso" }).first().click();
      await see(req.page, "Cuéntenos qué pasa");
      await req.page.getByRole("button", { name: "Registrar el caso" }).click();
      await see(req.page, "Hay un problema");
      // The message sits inside the field's own block, linked by aria-describedby.
      const subjectError = req.page.locator("#subject-error");
      await subjectError.waitFor();
      assert((await subjectError.textContent()).includes("Escriba un título para su caso."), "no Spanish error next to the title");
      const describedBy = await req.page.locator("#subject").getAttribute("aria-describedby");
      assert(describedBy?.includes("subject-error"), "the title field is not described by its error");
      assert((await req.page.locator("#subject").getAttribute("aria-invalid")) === "true", "aria-invalid missing");
      await screenshot(req.page, "solicitante-errores-formulario");
      await axe(req.page, "portal: formulario con errores");
    });

    await step("una sesión expirada vuelve al ingreso sin perder lo escrito", async () => {
      await req.page.getByLabel("Título").fill(title);
      await req.page.getByLabel("Descripción").fill("Desde esta mañana el SIMAT dice «usuario bloqueado» y no puedo matricular.");
      await req.page.waitForTimeout(400); // the draft is saved 250 ms after typing
      await req.context.clearCookies(); // the server-side session is gone for the browser
      expectingUnauthorized = true;
      await req.page.getByRole("button", { name: "Registrar el caso" }).click();
      // Client-side checks still fail (no category yet): pick one so the request goes out.
      await req.page.locator("#category_id").selectOption({ label: "Software" });
      await req.page.getByLabel("No puedo trabajar").check();
      await req.page.getByRole("button", { name: "Registrar el caso" }).click();
      await see(req.page, "Su sesión expiró");
      expectingUnauthorized = false;
      await screenshot(req.page, "sesion-expirada");
      await req.page.getByLabel("Correo institucional").fill(USERS.requester.email);
      await req.page.getByLabel("Contraseña").fill(USERS.requester.password);
      await req.page.getByRole("button", { name: "Ingresar" }).click();
      await see(req.page, "Recuperamos lo que había escrito");
      assert(new URL(req.page.url()).pathname === "/casos/nuevo", `not back on the form: ${req.page.url()}`);
      assert((await req.page.getByLabel("Título").inputValue()) === title, "the title typed before expiry was lost");
      assert((await req.page.getByLabel("Descripción").inputValue()).includes("usuario bloqueado"), "the description was lost");
    });

    await step("el solicitante registra un caso con categoría del árbol, sistema y adjunto", async () => {
      await req.page.locator("#category_id").selectOption({ label: "Software" });
      await req.page.getByLabel("Subcategoría de Software").selectOption({ label: "SIMAT" });
      await req.page.getByLabel("Subcategoría de SIMAT").selectOption({ label: "Acceso y contraseñas" });
      const service = req.page.getByLabel("Sistema afectado");
      const simat = await service.locator("option", { hasText: "SIMAT" }).first().textContent();
      await service.selectOption({ label: simat.trim() });
      await req.page.getByLabel("No puedo trabajar").check();
      await req.page.getByLabel("Solo a mí").check();
      await req.page.locator("#attachments").setInputFiles({ name: "captura.png", mimeType: "image/png", buffer: PNG });
      await see(req.page, "captura.png");
      await screenshot(req.page, "solicitante-formulario-lleno");
      await axe(req.page, "portal: registrar caso");
      await req.page.getByRole("button", { name: "Registrar el caso" }).click();
      await see(req.page, "Registramos su caso");
      number = (await req.page.getByTestId("case-number").textContent()).trim();
      assert(/^(INC|REQ)-\d{4}-\d+$/.test(number), `unexpected case number "${number}"`);
      await screenshot(req.page, "solicitante-caso-registrado");
      await axe(req.page, "portal: caso registrado");
    });

    await step("«Mis casos» muestra el estado y el tiempo estimado en español", async () => {
      await req.page.getByRole("link", { name: "Mis casos" }).first().click();
      const card = req.page.locator(`[data-testid=case-card][data-number="${number}"]`);
      await card.waitFor();
      await see(card, title);
      await see(card, "Tiempo estimado de solución");
      // The due time from the SLA engine (its clock starts from the incident's event).
      await seeEventually(req.page, "antes de las");
      const state = await card.locator(".badge").first().textContent();
      assert(["Recibido", "Asignado a un analista", "En atención"].includes(state.trim()), `state "${state}"`);
      await screenshot(req.page, "solicitante-mis-casos");
    });

    // ---- L1 analyst ----
    const l1 = await newActor(browser, "analista");
    await step("la analista ve el caso en la cola sin asignar y lo abre", async () => {
      await signIn(l1.page, USERS.analyst);
      await l1.page.goto(`${BASE}/consola?cola=unassigned`);
      await seeEventually(l1.page, number);
      const row = l1.page.locator(`tr[data-number="${number}"]`);
      // The category routes it to the desk's group at once (state «Asignado»), with nobody yet.
      const badge = (await row.locator(".badge").first().textContent()).trim();
      assert(["Nuevo", "Asignado"].includes(badge), `state "${badge}" in the unassigned queue`);
      await row.locator(".sla").first().waitFor(); // the SLA clock is on the row
      await screenshot(l1.page, "analista-cola-sin-asignar");
      await axe(l1.page, "consola: cola sin asignar");
      await row.getByRole("link").first().click();
      await see(l1.page, title);
      await l1.page.getByTestId("sla-panel").waitFor();
    });

    await step("atajos de teclado: «?» abre la ayuda y «c» va al comentario", async () => {
      await l1.page.locator("body").press("?");
      const help = l1.page.getByRole("dialog", { name: "Atajos de teclado" });
      await help.waitFor();
      await see(help, "Tomar");
      await screenshot(l1.page, "atajos-de-teclado");
      await axe(l1.page, "consola: ayuda de atajos");
      await l1.page.keyboard.press("Escape");
      await help.waitFor({ state: "hidden" });
      await l1.page.locator("body").press("c");
      // Focus moves on the next animation frame: wait for it rather than race it.
      const moved = await l1.page
        .waitForFunction(() => document.activeElement?.id === "note-body", null, { timeout: 3000 })
        .then(() => true, () => false);
      const focused = await l1.page.evaluate(() => document.activeElement?.id);
      assert(moved, `"c" focused #${focused}, not the comment box`);
    });

    await step("la analista toma el caso, inicia la atención y responde al solicitante", async () => {
      await l1.page.getByTestId("action-take").click();
      await expectFact(l1.page, "fact-assignee", USERS.analyst.name);
      await l1.page.getByTestId("action-start").click();
      await see(l1.page.getByTestId("incident-badges"), "En curso");
      await l1.page.getByLabel("Pública (la ve el solicitante)").check();
      await l1.page.locator("#note-body").fill("Hola Yeni, estamos revisando el bloqueo de su usuario en el SIMAT.");
      await l1.page.getByRole("button", { name: "Enviar al solicitante" }).click();
      await see(l1.page.getByTestId("conversation"), "estamos revisando el bloqueo");
      await l1.page.getByLabel("Interna (solo el equipo)").check();
      await l1.page.locator("#note-body").fill("El desbloqueo requiere acceso de administrador del SIMAT: pasa a especialistas.");
      await l1.page.getByRole("button", { name: "Guardar nota interna" }).click();
      await see(l1.page.getByTestId("conversation"), "requiere acceso de administrador");
      await screenshot(l1.page, "analista-caso-en-curso");
      await axe(l1.page, "consola: incidente");
    });

    await step("la analista ve cómo se calculó el reloj de respuesta: cumplido al iniciar la atención", async () => {
      const explain = l1.page.getByTestId("sla-explain-response");
      const table = explain.getByRole("table", { name: "Tramos del reloj de respuesta" });
      const read = () =>
        table.locator("tbody tr").evaluateAll((rows) =>
          rows.map((r) => ({ state: r.children[3]?.textContent?.trim(), reason: r.children[5]?.textContent?.trim() })),
        );
      // The SLA engine follows the incident's events a moment later: reopen the panel (which
      // fetches again) until the clock shows its stop.
      let rows = [];
      for (let i = 0; i < 20; i++) {
        await explain.locator("summary").click();
        await table.waitFor();
        rows = await read();
        if (rows.at(-1)?.state === "detenido") break;
        await explain.locator("summary").click(); // closed again
        await l1.page.waitForTimeout(500);
      }
      assert(rows.length >= 2, `the response clock explains ${rows.length} segment(s)`);
      assert(rows[0].state === "contó" && rows[0].reason === "caso registrado", `first segment ${JSON.stringify(rows[0])}`);
      const stop = rows.at(-1);
      assert(stop.state === "detenido", `the last segment is ${JSON.stringify(stop)}, not the stop`);
      assert(
        ["la persona asignada inició la atención", "primera respuesta al solicitante"].includes(stop.reason),
        `the clock stopped for "${stop.reason}"`,
      );
      const priority = (await l1.page.getByTestId("incident-badges").textContent()).match(/P[1-5]/)?.[0];
      await see(explain.getByTestId("sla-explain-summary"), `Meta para ${priority}:`);
      await see(explain.getByTestId("sla-explain-summary"), "Resultado: cumplido.");
      await screenshot(l1.page, "analista-calculo-del-ans");
      await axe(l1.page, "consola: cálculo del ANS");
    });

    await step("la analista escala funcionalmente a segundo nivel con motivo", async () => {
      const dialog = await openDialogAction(l1.page, "action-escalate", `Escalar ${number}`);
      await dialog.getByLabel("Funcional").check();
      const target = dialog.getByLabel("Grupo que lo recibe");
      const option = await target.locator("option", { hasText: L2_GROUP }).first().textContent();
      await target.selectOption({ label: option.trim() });
      await screenshot(l1.page, "analista-dialogo-escalar");
      await axe(l1.page, "consola: diálogo escalar");
      // The reason is required: the error appears in Spanish next to the field.
      await dialog.getByRole("button", { name: "Escalar" }).click();
      await see(dialog, "Escriba el motivo.");
      await dialog.getByLabel("Motivo del escalamiento").fill("Se verificó la identidad; el desbloqueo lo hace un administrador del SIMAT (L2).");
      await dialog.getByRole("button", { name: "Escalar" }).click();
      await dialog.waitFor({ state: "hidden" });
      await expectFact(l1.page, "fact-group", L2_GROUP);
      await l1.page.getByRole("tab", { name: "Auditoría" }).click();
      await see(l1.page, "Escalamientos");
      await see(l1.page, "administrador del SIMAT (L2)");
      await screenshot(l1.page, "analista-auditoria");
      await axe(l1.page, "consola: auditoría");
    });

    // ---- L2 specialist ----
    const l2 = await newActor(browser, "especialista");
    await step("la especialista lo ve en la cola de su grupo, lo toma y lo soluciona", async () => {
      await signIn(l2.page, USERS.specialist);
      await l2.page.goto(`${BASE}/consola?cola=group`);
      await seeEventually(l2.page, number);
      await screenshot(l2.page, "especialista-cola-grupo");
      await l2.page.locator(`tr[data-number="${number}"]`).getByRole("link").first().click();
      await see(l2.page, title);
      await l2.page.getByTestId("action-take").click();
      await expectFact(l2.page, "fact-assignee", USERS.specialist.name);
      if (await l2.page.getByTestId("action-start").isVisible()) {
        await l2.page.getByTestId("action-start").click();
        await see(l2.page.getByTestId("incident-badges"), "En curso");
      }
      const dialog = await openDialogAction(l2.page, "action-resolve", `Solucionar ${number}`);
      await dialog.getByLabel("Código de solución").selectOption({ label: "Solucionado de forma definitiva" });
      await dialog.getByLabel("Solución aplicada").fill("Se desbloqueó el usuario en el SIMAT y se restableció la contraseña. Ya puede ingresar.");
      await axe(l2.page, "consola: diálogo solucionar");
      await dialog.getByRole("button", { name: "Marcar como solucionado" }).click();
      await dialog.waitFor({ state: "hidden" });
      await see(l2.page.getByTestId("incident-badges"), "Resuelto");
      await screenshot(l2.page, "especialista-caso-resuelto");
    });

    // ---- requester confirms and answers the survey ----
    await step("el solicitante ve la respuesta, confirma la solución y responde la encuesta", async () => {
      await req.page.goto(`${BASE}/casos/${encodeURIComponent(number)}`);
      await see(req.page, "estamos revisando el bloqueo");
      const internal = await req.page.getByText("requiere acceso de administrador").count();
      assert(internal === 0, "the requester can see an internal note");
      const panel = req.page.getByTestId("resolved-panel");
      await panel.waitFor();
      await see(panel, "Ya puede ingresar");
      await screenshot(req.page, "solicitante-caso-solucionado");
      await axe(req.page, "portal: caso solucionado");
      await panel.getByRole("button", { name: "Sí, quedó solucionado" }).click();
      const survey = req.page.getByTestId("survey");
      await survey.waitFor();
      await see(req.page, "Cerrado");
      await survey.getByLabel("5 · Muy satisfecho").check();
      await survey.getByLabel("¿Quiere contarnos algo más?").fill("Muy rápida la atención, gracias.");
      await axe(req.page, "portal: encuesta");
      await survey.getByRole("button", { name: "Enviar calificación" }).click();
      await see(survey, "¡Gracias!");
      await screenshot(req.page, "solicitante-encuesta-enviada");
    });

    await step("el portal se puede usar en un teléfono", async () => {
      const phone = await newActor(browser, "solicitante-móvil", { width: 390, height: 844 });
      await signIn(phone.page, USERS.requester);
      await phone.page.goto(`${BASE}/casos?`);
      await phone.page.getByRole("button", { name: "Todos" }).click();
      await see(phone.page, number);
      const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert(overflow <= 1, `the page scrolls sideways on a phone (${overflow}px)`);
      await screenshot(phone.page, "movil-mis-casos");
      await axe(phone.page, "portal móvil: mis casos");
      await phone.page.goto(`${BASE}/casos/nuevo`);
      await see(phone.page, "Cuéntenos qué pasa");
      await screenshot(phone.page, "movil-registrar-caso");
      await phone.context.close();
    });

    // ---- coordinator ----
    const co = await newActor(browser, "coordinadora");
    await step("la coordinadora ve el caso en las colas y el tablero", async () => {
      await signIn(co.page, USERS.coordinator);
      await co.page.goto(`${BASE}/consola?cola=all&estado=all&q=${encodeURIComponent(number)}`);
      await seeEventually(co.page, number);
      const row = co.page.locator(`tr[data-number="${number}"]`);
      await see(row, "Cerrado");
      await see(row, L2_GROUP);
      await screenshot(co.page, "coordinadora-colas");
      await axe(co.page, "consola: todos los casos");
      await row.getByRole("link").first().click();
      await see(co.page, title);
      await co.page.getByRole("tab", { name: "Auditoría" }).click();
      await see(co.page, "Escalamientos");
      await screenshot(co.page, "coordinadora-auditoria");
      await co.page.goto(`${BASE}/consola/tablero`);
      await co.page.getByTestId("kpis").waitFor();
      await see(co.page, "Tablero de la mesa de servicios");
      const source = await co.page.getByTestId("dashboard-source").getAttribute("data-source");
      console.log(`      (dashboard figures from: ${source === "report" ? "the reporting service" : "the incident list (reporting not deployed)"})`);
      await co.page.waitForTimeout(500); // chart animation
      await screenshot(co.page, "coordinadora-tablero");
      await axe(co.page, "consola: tablero");
      await signOut(co.page);
    });

    // In a browser set to UTC: the closure is typed and shown in Colombian time whatever the
    // machine's zone.
    const cu = await newActor(browser, "coordinadora (UTC)", undefined, "UTC");
    const reason = `Jornada pedagógica (prueba ${stamp})`;
    let before = null; // the policy as the step found it, put back whatever happens
    let beforeWeek = null; // the office hours likewise
    await step("la coordinadora consulta acuerdos y festivos, ajusta una meta y el horario, y registra y quita un cierre", async () => {
      const getJson = (path) => cu.page.evaluate((p) => fetch(p, { credentials: "same-origin" }).then((r) => r.json()), path);
      const withoutVersion = ({ version, update_time, ...rest }) => rest; // eslint-disable-line no-unused-vars
      await signIn(cu.page, USERS.coordinator);
      before = await getJson(`/v1/sla/policies/${STANDARD_POLICY}`);
      await cu.page.getByRole("link", { name: "Acuerdos", exact: true }).click();
      await see(cu.page, "Acuerdos de servicio y calendarios");
      const policy = cu.page.getByTestId(`policy-${STANDARD_POLICY}`);
      await see(policy, "Nivel de servicio por defecto");
      await see(policy, "en espera del solicitante");
      // The seeded targets: P1 first response 30 min, solution 4 h of business time.
      const p1 = policy.locator("tbody tr").first();
      await see(p1, "30 min");
      await see(p1, "4 h");
      // A target changed and put back: the page shows what the SLA engine stored.
      const p5 = policy.locator("tbody tr").nth(4);
      await policy.getByRole("button", { name: "Editar metas" }).click();
      await policy.getByLabel("Primera respuesta P5, en minutos hábiles").fill("1200");
      await policy.getByRole("button", { name: "Guardar metas" }).click();
      await see(p5, "20 h");
      // A first response slower than the solution is refused beside the field, in Spanish.
      await policy.getByRole("button", { name: "Editar metas" }).click();
      await policy.getByLabel("Primera respuesta P5, en minutos hábiles").fill("9000");
      await policy.getByRole("button", { name: "Guardar metas" }).click();
      await see(policy, "La primera respuesta no puede tardar más que la solución.");
      await policy.getByLabel("Primera respuesta P5, en minutos hábiles").fill("1080");
      await policy.getByRole("button", { name: "Guardar metas" }).click();
      await see(p5, "18 h");
      // Saving the targets changed nothing else of the policy.
      const after = await getJson(`/v1/sla/policies/${STANDARD_POLICY}`);
      assert(
        JSON.stringify(withoutVersion(after)) === JSON.stringify(withoutVersion(before)),
        `the policy changed: ${JSON.stringify(before)} → ${JSON.stringify(after)}`,
      );
      const office = cu.page.getByTestId(`calendar-${OFFICE_CALENDAR}`);
      await see(office, "07:00–12:00, 14:00–18:00");
      const holidays = office.getByTestId(/^holidays-/);
      await see(holidays, "Viernes Santo");
      await see(holidays, "Navidad");
      // Errors in Spanish beside each field, before anything is sent.
      await office.getByRole("button", { name: "Registrar cierre" }).click();
      await see(office, "Indique desde cuándo.");
      await see(office, "Escriba el motivo del cierre.");
      await office.getByLabel("Desde (hora de Colombia)").fill("2030-12-02T07:00");
      await office.getByLabel("Hasta (hora de Colombia)").fill("2030-12-02T12:00");
      await office.getByLabel("Motivo", { exact: true }).fill(reason);
      await office.getByRole("button", { name: "Registrar cierre" }).click();
      const closures = office.getByTestId(/^closures-/);
      await see(closures, reason);
      // Typed as Colombian time, stored as an instant, shown back as the same Colombian time.
      await see(closures, "2 de dic de 2030, 7:00 a. m. – 2 de dic de 2030, 12:00 p. m.");
      const stored = (await getJson(`/v1/sla/calendars/${OFFICE_CALENDAR}`)).closures.find((c) => c.reason === reason);
      assert(stored?.start_time === "2030-12-02T12:00:00Z", `stored as ${stored?.start_time}, not 07:00 in Bogotá`);
      await screenshot(cu.page, "coordinadora-acuerdos");
      await axe(cu.page, "consola: acuerdos y calendarios");

      // Office hours: a Friday afternoon shortened (a shift ending before it starts is refused
      // first, beside the field; a Saturday shift added and removed again), then put back. The
      // rest of the calendar, its closure included, stays as it was.
      const calBefore = await getJson(`/v1/sla/calendars/${OFFICE_CALENDAR}`);
      beforeWeek = calBefore.week;
      const friday = office.getByRole("row", { name: /^Viernes/ });
      await see(friday, "07:00–12:00, 14:00–18:00");
      await office.getByRole("button", { name: "Editar horario" }).click();
      await office.getByRole("button", { name: "Agregar turno al sábado" }).click();
      await office.getByLabel("Sábado, turno 1: desde").fill("08:00");
      await office.getByLabel("Sábado, turno 1: hasta").fill("12:00");
      await office.getByRole("button", { name: "Eliminar el turno 1 del sábado" }).click();
      await office.getByLabel("Viernes, turno 2: hasta").fill("13:00");
      await office.getByRole("button", { name: "Guardar horario" }).click();
      await see(office, "El turno debe terminar después de empezar.");
      await axe(cu.page, "consola: edición del horario hábil");
      const refused = await getJson(`/v1/sla/calendars/${OFFICE_CALENDAR}`);
      assert(refused.version === calBefore.version, "the refused hours were sent anyway");
      await office.getByLabel("Viernes, turno 2: hasta").fill("17:00");
      await office.getByRole("button", { name: "Guardar horario" }).click();
      await see(friday, "07:00–12:00, 14:00–17:00");
      const shortened = await getJson(`/v1/sla/calendars/${OFFICE_CALENDAR}`);
      assert(!shortened.week.some((d) => d.weekday === "saturday"), "the removed Saturday shift was saved");
      for (const k of ["name", "time_zone", "always_open", "colombian_holidays", "closures"]) {
        assert(JSON.stringify(shortened[k]) === JSON.stringify(calBefore[k]), `saving the hours changed ${k}`);
      }
      await see(closures, reason);
      await office.getByRole("button", { name: "Editar horario" }).click();
      await office.getByLabel("Viernes, turno 2: hasta").fill("18:00");
      await office.getByRole("button", { name: "Guardar horario" }).click();
      await see(friday, "07:00–12:00, 14:00–18:00");
      const restored = await getJson(`/v1/sla/calendars/${OFFICE_CALENDAR}`);
      assert(JSON.stringify(restored.week) === JSON.stringify(calBefore.week), "the hours were not put back");
      cu.page.once("dialog", (d) => void d.accept());
      await closures.getByRole("button", { name: reason }).click(); // «Eliminar el cierre … <reason>»
      await closures.getByText(reason).waitFor({ state: "detached" });
    }).finally(async () => {
      // Whatever happened above, leave the agreements as they were for the next run.
      await cu.page
        .evaluate(
          async ({ reason, calendar, policyId, before, beforeWeek }) => {
            const me = await fetch("/v1/auth/me", { credentials: "same-origin" }).then((r) => r.json());
            const headers = { "X-CSRF-Token": me.csrf_token, "Content-Type": "application/json" };
            const cal = await fetch(`/v1/sla/calendars/${calendar}`, { credentials: "same-origin" }).then((r) => r.json());
            for (const c of cal.closures ?? []) {
              if (c.reason !== reason) continue;
              await fetch(`/v1/sla/calendars/${calendar}/closures/${c.id}`, { method: "DELETE", credentials: "same-origin", headers });
            }
            if (beforeWeek && JSON.stringify(cal.week) !== JSON.stringify(beforeWeek)) {
              const now = await fetch(`/v1/sla/calendars/${calendar}`, { credentials: "same-origin" }).then((r) => r.json());
              const { name, time_zone, always_open, colombian_holidays } = now;
              const r = await fetch(`/v1/sla/calendars/${calendar}:update`, {
                method: "POST",
                credentials: "same-origin",
                headers,
                body: JSON.stringify({ version: now.version, calendar: { name, time_zone, always_open, colombian_holidays, week: beforeWeek } }),
              });
              if (!r.ok) throw new Error(`putting the office hours back failed: ${r.status}`);
            }
            if (!before) return;
            const now = await fetch(`/v1/sla/policies/${policyId}`, { credentials: "same-origin" }).then((r) => r.json());
            if (JSON.stringify(now.targets) === JSON.stringify(before.targets)) return;
            const { id, active, version, create_time, update_time, ...policy } = before; // eslint-disable-line no-unused-vars
            const r = await fetch(`/v1/sla/policies/${policyId}:update`, {
              method: "POST",
              credentials: "same-origin",
              headers,
              body: JSON.stringify({ version: now.version, policy }),
            });
            if (!r.ok) throw new Error(`putting the policy back failed: ${r.status}`);
          },
          { reason, calendar: OFFICE_CALENDAR, policyId: STANDARD_POLICY, before, beforeWeek },
        )
        .catch((e) => console.log(`      cleanup: ${e.message}`));
      await signOut(cu.page).catch(() => {});
    });

    await step("sin errores en la consola del navegador", async () => {
      assert(consoleProblems.length === 0, consoleProblems.join("\n"));
    });
  } catch {
    // already reported by step(); fall through to the summary
  } finally {
    writeFileSync(join(ARTIFACTS, "axe-report.json"), JSON.stringify(axeReport, null, 2));
    if (consoleProblems.length) writeFileSync(join(ARTIFACTS, "console-errors.txt"), consoleProblems.join("\n") + "\n");
    await browser.close().catch(() => {});
  }

  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  const minor = axeReport.flatMap((p) => p.violations.filter((v) => v.impact !== "serious" && v.impact !== "critical").map((v) => `${p.page}: ${v.id} (${v.impact})`));
  if (minor.length) console.log(`axe: ${minor.length} minor/moderate finding(s), see artifacts/axe-report.json`);
  console.log(`screenshots: ${ARTIFACTS}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && results.length > 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  console.log("0 passed, 1 failed");
  process.exit(1);
});
