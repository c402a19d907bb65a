import { beforeEach, describe, expect, it, vi } from "vitest";
import { buildQuery, configureClient, getCsrfToken, http, request, setCsrfToken } from "./client";
import { ApiError } from "./errors";

/** The ApiError a call fails with (the test fails if it succeeds). */
function failure(p: Promise<unknown>): Promise<ApiError> {
  return p.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => e as ApiError,
  );
}

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(body === undefined ? "" : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

describe("request", () => {
  let fetchMock: ReturnType<typeof vi.fn>;
  let expired: ReturnType<typeof vi.fn>;

  beforeEach(() => {
    sessionStorage.clear();
    setCsrfToken(null);
    fetchMock = vi.fn();
    expired = vi.fn();
    configureClient({
      fetch: fetchMock as unknown as typeof fetch,
      language: () => "es-CO",
      fallbackMessage: (code) => `msg:${code}`,
      onSessionExpired: expired as unknown as () => void,
    });
  });

  it("sends Accept-Language and no CSRF header on GET", async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { ok: true }));
    setCsrfToken("tok");
    await http.get("/v1/incidents", { state: ["NEW", "ASSIGNED"], query: "" });
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe("/v1/incidents?state=NEW&state=ASSIGNED");
    expect(init.headers["Accept-Language"]).toBe("es-CO");
    expect(init.headers["X-CSRF-Token"]).toBeUndefined();
    expect(init.credentials).toBe("same-origin");
  });

  it("sends the CSRF token and JSON body on POST", async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { incident_number: "INC-2026-000001" }));
    setCsrfToken("tok-1");
    const r = await http.post<{ incident_number: string }>("/v1/tickets", { subject: "x" });
    const [, init] = fetchMock.mock.calls[0];
    expect(init.method).toBe("POST");
    expect(init.headers["X-CSRF-Token"]).toBe("tok-1");
    expect(init.headers["Content-Type"]).toBe("application/json");
    expect(JSON.parse(init.body)).toEqual({ subject: "x" });
    expect(r.incident_number).toBe("INC-2026-000001");
  });

  it("keeps the CSRF token across reloads in sessionStorage", () => {
    setCsrfToken("persisted");
    expect(sessionStorage.getItem("tiquete.csrf")).toBe("persisted");
  });

  it("throws an ApiError with the server's message and field", async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(400, { code: "INVALID_ARGUMENT", message: "Elija una categoría", details: { field: "category_id" } }),
    );
    const err = await failure(request("POST", "/v1/tickets", { body: {} }));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe("Elija una categoría");
    expect(err.field).toBe("category_id");
    expect(expired).not.toHaveBeenCalled();
  });

  it("treats a 401 as an expired session, clearing the CSRF token", async () => {
    setCsrfToken("old");
    fetchMock.mockResolvedValue(jsonResponse(401, { code: "UNAUTHENTICATED", message: "Sesión expirada" }));
    const err = await failure(http.get("/v1/incidents"));
    expect(err.unauthenticated).toBe(true);
    expect(expired).toHaveBeenCalledTimes(1);
    expect(getCsrfToken()).toBeNull();
  });

  it("does not treat a 401 from sign-in as an expired session", async () => {
    fetchMock.mockResolvedValue(jsonResponse(401, { code: "UNAUTHENTICATED", message: "Credenciales inválidas" }));
    await request("POST", "/v1/auth/login", { body: {}, authCall: true }).catch(() => {});
    expect(expired).not.toHaveBeenCalled();
  });

  it("turns a network failure into a status-0 ApiError with a local message", async () => {
    fetchMock.mockRejectedValue(new TypeError("Failed to fetch"));
    const err = await failure(http.get("/v1/incidents"));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.network).toBe(true);
    expect(err.message).toBe("msg:NETWORK");
  });

  it("returns undefined for an empty 2xx body", async () => {
    fetchMock.mockResolvedValue(new Response("", { status: 200 }));
    expect(await http.post("/v1/auth/logout")).toBeUndefined();
  });
});

describe("buildQuery", () => {
  it("drops empty values and repeats arrays", () => {
    expect(buildQuery({ a: "1", b: "", c: undefined, d: null, e: ["x", "y"], f: true, g: 0 })).toBe(
      "?a=1&e=x&e=y&f=true&g=0",
    );
  });
  it("is empty for nothing", () => expect(buildQuery({})).toBe(""));
});
