// The one place that talks HTTP to the gateway: same-origin fetch with the session cookie,
// Accept-Language from the UI language, X-CSRF-Token on writes, JSON in and out, and every
// failure turned into an ApiError. A 401 on anything but the auth calls means the session
// expired: the registered handler sends the user to sign-in (forms keep their drafts).
import { ApiError, apiErrorFromBody } from "./errors";

export type Query = Record<string, string | number | boolean | readonly string[] | undefined | null>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Do not treat a 401 as an expired session (sign-in, "who am I"). */
  authCall?: boolean;
}

interface ClientConfig {
  language: () => string;
  fallbackMessage: (code: string, status: number) => string;
  onSessionExpired: () => void;
  fetch: typeof fetch;
  baseUrl: string;
}

const CSRF_KEY = "tiquete.csrf";

const config: ClientConfig = {
  language: () => "es-CO",
  fallbackMessage: (code) => `Error ${code}`,
  onSessionExpired: () => {},
  fetch: (...args) => globalThis.fetch(...args),
  baseUrl: "",
};

let csrfToken: string | null = null;

export function configureClient(partial: Partial<ClientConfig>): void {
  Object.assign(config, partial);
}

export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token || null;
  try {
    if (csrfToken) sessionStorage.setItem(CSRF_KEY, csrfToken);
    else sessionStorage.removeItem(CSRF_KEY);
  } catch {
    // Storage can be disabled (private mode); the in-memory token still works for this page.
  }
}

export function getCsrfToken(): string | null {
  if (csrfToken) return csrfToken;
  try {
    csrfToken = sessionStorage.getItem(CSRF_KEY);
  } catch {
    csrfToken = null;
  }
  return csrfToken;
}

/** Serialises a query: arrays repeat the key (?state=A&state=B), empty values are dropped. */
export function buildQuery(query: Query | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) {
      for (const v of value) if (v !== "") params.append(key, String(v));
    } else {
      params.append(key, String(value));
    }
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: "application/json",
    "Accept-Language": config.language(),
  };
  const init: RequestInit = { method, headers, credentials: "same-origin", signal: opts.signal };
  if (opts.body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(opts.body);
  }
  if (method !== "GET" && method !== "HEAD") {
    const token = getCsrfToken();
    if (token) headers["X-CSRF-Token"] = token;
  }

  let res: Response;
  try {
    res = await config.fetch(config.baseUrl + path + buildQuery(opts.query), init);
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError({
      status: 0,
      code: "UNAVAILABLE",
      message: config.fallbackMessage("NETWORK", 0),
    });
  }

  const text = await res.text();
  if (!res.ok) {
    const err = apiErrorFromBody(
      res.status,
      text,
      config.fallbackMessage,
      res.headers.get("X-Request-Id") ?? "",
    );
    if (err.unauthenticated && !opts.authCall) {
      setCsrfToken(null);
      config.onSessionExpired();
    }
    throw err;
  }
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError({
      status: res.status,
      code: "INTERNAL",
      message: config.fallbackMessage("BAD_RESPONSE", res.status),
    });
  }
}

export const http = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) =>
    request<T>("GET", path, { query, signal }),
  post: <T>(path: string, body: unknown = {}, opts: Omit<RequestOptions, "body"> = {}) =>
    request<T>("POST", path, { ...opts, body }),
};
