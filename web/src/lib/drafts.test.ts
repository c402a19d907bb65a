import { beforeEach, describe, expect, it } from "vitest";
import {
  clearAllDrafts,
  clearDraft,
  loadDraft,
  rememberReturnPath,
  safeReturnPath,
  saveDraft,
  takeReturnPath,
} from "./drafts";

describe("form drafts", () => {
  beforeEach(() => sessionStorage.clear());

  it("keeps what the user typed across an expired session", () => {
    saveDraft("new-case", "p1", { subject: "No abre el SIMAT", body: "Desde esta mañana" });
    // …401, sign-in page, same person signs in again, the form mounts:
    expect(loadDraft("new-case", "p1")).toEqual({ subject: "No abre el SIMAT", body: "Desde esta mañana" });
  });

  it("does not show one person's draft to another, and deletes it", () => {
    saveDraft("new-case", "p1", { subject: "privado" });
    expect(loadDraft("new-case", "p2")).toBeNull();
    expect(loadDraft("new-case", "p1")).toBeNull();
  });

  it("accepts a draft saved before the owner was known", () => {
    saveDraft("new-case", "", { subject: "x" });
    expect(loadDraft("new-case", "p1")).toEqual({ subject: "x" });
  });

  it("forgets drafts older than 12 hours", () => {
    const t0 = Date.parse("2026-11-26T08:00:00Z");
    saveDraft("k", "p1", { a: 1 }, t0);
    expect(loadDraft("k", "p1", t0 + 11 * 3600_000)).toEqual({ a: 1 });
    expect(loadDraft("k", "p1", t0 + 13 * 3600_000)).toBeNull();
  });

  it("drops unreadable drafts", () => {
    sessionStorage.setItem("tiquete.draft.k", "{not json");
    expect(loadDraft("k", "p1")).toBeNull();
    expect(sessionStorage.getItem("tiquete.draft.k")).toBeNull();
  });

  it("clears one or all drafts (sign-out)", () => {
    saveDraft("a", "p", 1);
    saveDraft("b", "p", 2);
    sessionStorage.setItem("tiquete.csrf", "keep");
    clearDraft("a");
    expect(loadDraft("a", "p")).toBeNull();
    clearAllDrafts();
    expect(loadDraft("b", "p")).toBeNull();
    expect(sessionStorage.getItem("tiquete.csrf")).toBe("keep");
  });
});

describe("return path after sign-in", () => {
  beforeEach(() => sessionStorage.clear());

  it("returns to the page the user was on", () => {
    rememberReturnPath("/casos/nuevo");
    expect(takeReturnPath()).toBe("/casos/nuevo");
    expect(takeReturnPath()).toBeNull();
  });

  it("never leaves the site", () => {
    expect(safeReturnPath("https://evil.example/")).toBe("/");
    expect(safeReturnPath("//evil.example/")).toBe("/");
    expect(safeReturnPath("/\\evil.example")).toBe("/");
    expect(safeReturnPath("/ingresar?x=1")).toBe("/");
    expect(safeReturnPath("/consola?cola=mine")).toBe("/consola?cola=mine");
    expect(safeReturnPath(null)).toBe("/");
  });
});
