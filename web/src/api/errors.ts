// The gateway's error shape (gateway/error_model.h) and how the UI reads it:
//   {code: REASON or gRPC code name, message: es/en text, details: {field, grpc_code},
//    request_id}
// with `message` already in the caller's language (Accept-Language). Forms show it next to the
// field named in details.field; everything else is shown at the top of the form.

export interface ApiErrorBody {
  code?: string;
  message?: string;
  details?: { field?: string; reason?: string; grpc_code?: string; [key: string]: unknown } | null;
  request_id?: string;
}

export class ApiError extends Error {
  /** HTTP status; 0 when the request never got an answer (network down, aborted). */
  readonly status: number;
  /** Machine-readable code from the gateway: the UPPER_SNAKE reason (INVALID_EMAIL,
   *  STALE_VERSION, CSRF_TOKEN_INVALID …) or, when there is none, the gRPC code name. */
  readonly code: string;
  /** The gRPC code name behind it (details.grpc_code), e.g. ABORTED, FAILED_PRECONDITION. */
  readonly grpcCode: string;
  /** Reason (details.reason when given, else the code). */
  readonly reason: string;
  /** The request field at fault, as the server names it ("subject", "ticket.body", …). */
  readonly field: string;
  readonly requestId: string;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    reason?: string;
    grpcCode?: string;
    field?: string;
    requestId?: string;
  }) {
    super(init.message);
    this.name = "ApiError";
    this.status = init.status;
    this.code = init.code;
    this.grpcCode = init.grpcCode ?? "";
    this.reason = init.reason ?? init.code;
    this.field = init.field ?? "";
    this.requestId = init.requestId ?? "";
  }

  get unauthenticated(): boolean {
    return this.status === 401 || this.grpcCode === "UNAUTHENTICATED" || this.code === "UNAUTHENTICATED";
  }
  get forbidden(): boolean {
    return this.status === 403 || this.grpcCode === "PERMISSION_DENIED";
  }
  get notFound(): boolean {
    return this.status === 404 || this.grpcCode === "NOT_FOUND";
  }
  /** Someone else changed the record since we read it (optimistic concurrency). The gateway
   *  answers 409 for FAILED_PRECONDITION too, so the status alone does not tell. */
  get stale(): boolean {
    return this.reason === "STALE_VERSION" || this.code === "STALE_VERSION" || this.grpcCode === "ABORTED" || this.code === "ABORTED";
  }
  /** The CSRF token is missing or stale (e.g. after a gateway restart): reload /v1/auth/me. */
  get csrf(): boolean {
    return this.code === "CSRF_TOKEN_INVALID";
  }
  get network(): boolean {
    return this.status === 0;
  }
}

const FALLBACK_CODES: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "FAILED_PRECONDITION",
  412: "FAILED_PRECONDITION",
  413: "RESOURCE_EXHAUSTED",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  501: "UNIMPLEMENTED",
  502: "UNAVAILABLE",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

/**
 * Builds an ApiError from a non-2xx response body (already read as text). `fallbackMessage` is
 * used when the body is not the gateway's JSON (a proxy's HTML page, an empty body).
 */
export function apiErrorFromBody(
  status: number,
  bodyText: string,
  fallbackMessage: (code: string, status: number) => string,
  headerRequestId = "",
): ApiError {
  let body: ApiErrorBody | null = null;
  if (bodyText) {
    try {
      const parsed: unknown = JSON.parse(bodyText);
      if (parsed && typeof parsed === "object") body = parsed as ApiErrorBody;
    } catch {
      body = null;
    }
  }
  const code = (body?.code && String(body.code)) || FALLBACK_CODES[status] || "UNKNOWN";
  const details = body?.details && typeof body.details === "object" ? body.details : {};
  const message =
    typeof body?.message === "string" && body.message.trim()
      ? body.message
      : fallbackMessage(code, status);
  const grpcCode =
    typeof details.grpc_code === "string" && details.grpc_code ? details.grpc_code : FALLBACK_CODES[status] ?? "";
  return new ApiError({
    status,
    code,
    message,
    grpcCode,
    reason: typeof details.reason === "string" && details.reason ? details.reason : code,
    field: typeof details.field === "string" ? details.field : "",
    requestId: body?.request_id || headerRequestId,
  });
}

/**
 * Which of a form's fields a server field name refers to. The server names request fields
 * ("subject", "ticket.subject", "attachments[1].content", "incident.resolution_code"); a form
 * names its own inputs ("subject", "attachments", "resolution_code"). Returns "" when none fits,
 * so the message goes to the top of the form instead of being lost.
 */
export function matchField(serverField: string, formFields: readonly string[]): string {
  if (!serverField) return "";
  const f = serverField.trim();
  if (formFields.includes(f)) return f;
  // Strip array indices and compare each dotted suffix, longest first.
  const plain = f.replace(/\[\d+\]/g, "");
  const parts = plain.split(".");
  for (let i = 0; i < parts.length; i++) {
    const suffix = parts.slice(i).join(".");
    if (formFields.includes(suffix)) return suffix;
  }
  // "attachments.content" → "attachments": the first segment that is a form field.
  for (const p of parts) {
    if (formFields.includes(p)) return p;
  }
  // camelCase from a gateway that did not preserve proto names.
  const snake = plain.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
  if (snake !== plain) return matchField(snake, formFields);
  return "";
}

export interface FormErrors {
  /** Field name → message, shown next to that field. */
  fields: Record<string, string>;
  /** Message for the whole form (no field, or a field the form does not have). */
  general: string;
}

export function formErrorsFrom(err: unknown, formFields: readonly string[]): FormErrors {
  if (err instanceof ApiError) {
    const name = matchField(err.field, formFields);
    if (name) return { fields: { [name]: err.message }, general: "" };
    return { fields: {}, general: err.message };
  }
  if (err instanceof Error) return { fields: {}, general: err.message };
  return { fields: {}, general: String(err) };
}
