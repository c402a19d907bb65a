import { describe, expect, it } from "vitest";
import { ApiError, apiErrorFromBody, formErrorsFrom, matchField } from "./errors";

const fallback = (code: string, status: number) => `fallback ${code} ${status}`;

describe("apiErrorFromBody", () => {
  it("reads the gateway's error JSON with the Spanish message and the field", () => {
    const e = apiErrorFromBody(
      400,
      JSON.stringify({
        code: "REQUIRED",
        message: "El título es obligatorio.",
        details: { field: "subject", grpc_code: "INVALID_ARGUMENT" },
        request_id: "req-123",
      }),
      fallback,
    );
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(400);
    expect(e.code).toBe("REQUIRED");
    expect(e.grpcCode).toBe("INVALID_ARGUMENT");
    expect(e.message).toBe("El título es obligatorio.");
    expect(e.field).toBe("subject");
    expect(e.reason).toBe("REQUIRED");
    expect(e.requestId).toBe("req-123");
  });

  it("falls back to a code from the HTTP status and a local message when the body is not JSON", () => {
    const e = apiErrorFromBody(502, "<html>Bad gateway</html>", fallback, "hdr-9");
    expect(e.code).toBe("UNAVAILABLE");
    expect(e.message).toBe("fallback UNAVAILABLE 502");
    expect(e.field).toBe("");
    expect(e.requestId).toBe("hdr-9");
  });

  it("uses the fallback message when the JSON has no message", () => {
    const e = apiErrorFromBody(404, JSON.stringify({ code: "NOT_FOUND" }), fallback);
    expect(e.message).toBe("fallback NOT_FOUND 404");
    expect(e.notFound).toBe(true);
  });

  it("classifies unauthenticated, forbidden and stale-version errors", () => {
    expect(apiErrorFromBody(401, "", fallback).unauthenticated).toBe(true);
    expect(apiErrorFromBody(403, "", fallback).forbidden).toBe(true);
    const stale = apiErrorFromBody(
      409,
      JSON.stringify({ code: "STALE_VERSION", message: "x", details: { grpc_code: "ABORTED" } }),
      fallback,
    );
    expect(stale.stale).toBe(true);
    expect(stale.grpcCode).toBe("ABORTED");
    // The gateway answers 409 for illegal transitions too: those are not "stale".
    const illegal = apiErrorFromBody(
      409,
      JSON.stringify({ code: "ILLEGAL_TRANSITION", message: "y", details: { grpc_code: "FAILED_PRECONDITION" } }),
      fallback,
    );
    expect(illegal.stale).toBe(false);
  });

  it("tolerates details: null", () => {
    const e = apiErrorFromBody(400, JSON.stringify({ code: "X", message: "m", details: null }), fallback);
    expect(e.field).toBe("");
  });
});

describe("matchField", () => {
  const form = ["subject", "body", "category_id", "attachments", "urgency"];
  it("matches exact names", () => expect(matchField("subject", form)).toBe("subject"));
  it("matches a nested request field by its last segment", () => expect(matchField("ticket.body", form)).toBe("body"));
  it("maps an indexed attachment field to the attachments input", () =>
    expect(matchField("attachments[1].content", form)).toBe("attachments"));
  it("understands camelCase names", () => expect(matchField("categoryId", form)).toBe("category_id"));
  it("returns empty for an unknown field", () => expect(matchField("requester_id", form)).toBe(""));
  it("returns empty for no field", () => expect(matchField("", form)).toBe(""));
});

describe("formErrorsFrom", () => {
  it("puts the server message next to the field it names", () => {
    const err = new ApiError({ status: 400, code: "INVALID_ARGUMENT", message: "Máximo 200 caracteres", field: "subject" });
    expect(formErrorsFrom(err, ["subject", "body"])).toEqual({ fields: { subject: "Máximo 200 caracteres" }, general: "" });
  });
  it("shows errors without a known field at the top of the form", () => {
    const err = new ApiError({ status: 412, code: "FAILED_PRECONDITION", message: "El caso ya está cerrado" });
    expect(formErrorsFrom(err, ["body"])).toEqual({ fields: {}, general: "El caso ya está cerrado" });
  });
  it("handles plain errors", () => {
    expect(formErrorsFrom(new Error("boom"), ["body"]).general).toBe("boom");
  });
});
