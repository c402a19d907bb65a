// The SLA calls the console makes: the paths, query and bodies the gateway routes expect.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "./index";
import { configureClient, setCsrfToken } from "./client";
import { toPolicy } from "./wire";

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });

describe("api.sla", () => {
  let fetchMock: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    fetchMock = vi.fn();
    setCsrfToken("tok");
    configureClient({
      fetch: fetchMock as unknown as typeof fetch,
      language: () => "es-CO",
      fallbackMessage: (code) => code,
      onSessionExpired: () => {},
    });
  });

  it("asks for at-risk clocks of one group and level, and keeps only the ticket clocks", async () => {
    fetchMock.mockResolvedValue(
      json({
        clocks: [
          { id: "1", ticket: "INC-2026-000001", kind: "resolution", state: "running", breached: true },
          { id: "2", ticket: "INC-2026-000001", kind: "ola", state: "running", breached: true },
        ],
      }),
    );
    const clocks = await api.sla.atRisk({ status: "breached", groupId: "g-2", level: "L2" });
    const url = new URL(String(fetchMock.mock.calls[0][0]), "http://x");
    expect(url.pathname).toBe("/v1/sla/clocks");
    expect(url.searchParams.get("status")).toBe("breached");
    expect(url.searchParams.get("group_id")).toBe("g-2");
    expect(url.searchParams.get("group_level")).toBe("L2");
    expect(clocks.map((c) => [c.id, c.kind])).toEqual([["1", "resolution"]]);
  });

  it("sends no filter it was not given (the engine's default: at risk and breached)", async () => {
    fetchMock.mockResolvedValue(json({ clocks: [] }));
    await api.sla.atRisk();
    const url = new URL(String(fetchMock.mock.calls[0][0]), "http://x");
    expect(["status", "group_id", "group_level"].filter((k) => url.searchParams.has(k))).toEqual([]);
  });

  it("updates a policy with the version read and its writable fields", async () => {
    const p = toPolicy({ id: "p 1", name: "SLA", kind: "sla", version: "7", targets: [{ priority: 1, response_minutes: "30", resolution_minutes: "240" }] });
    fetchMock.mockResolvedValue(json({ id: "p 1", version: "8" }));
    const saved = await api.sla.updatePolicy(p);
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe("/v1/sla/policies/p%201:update");
    expect(init.method).toBe("POST");
    const body = JSON.parse(init.body);
    expect(body.version).toBe("7");
    expect(body.policy.targets).toEqual([{ priority: 1, response_minutes: "30", resolution_minutes: "240" }]);
    expect(body.policy.id).toBeUndefined();
    expect(saved.version).toBe(8);
  });

  it("adds a closure with its idempotency key and removes one with DELETE and the CSRF token", async () => {
    fetchMock.mockImplementation(() => Promise.resolve(json({ id: "c1", closures: [] })));
    await api.sla.addClosure("c1", { startTime: "2026-12-01T12:00:00.000Z", endTime: "2026-12-01T17:00:00.000Z", reason: "Simulacro" }, "key-1");
    let [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe("/v1/sla/calendars/c1/closures");
    expect(JSON.parse(init.body)).toEqual({
      closure: { start_time: "2026-12-01T12:00:00.000Z", end_time: "2026-12-01T17:00:00.000Z", reason: "Simulacro" },
      idempotency_key: "key-1",
    });
    await api.sla.removeClosure("c1", "x/1");
    [url, init] = fetchMock.mock.calls[1];
    expect(url).toBe("/v1/sla/calendars/c1/closures/x%2F1");
    expect(init.method).toBe("DELETE");
    expect(init.headers["X-CSRF-Token"]).toBe("tok");
  });
});
