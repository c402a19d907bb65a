import { describe, expect, it } from "vitest";
import { noteReasons } from "./sla";

describe("noteReasons", () => {
  it("reads every reason the SLA engine writes", () => {
    expect(noteReasons("created")).toEqual([{ key: "created", values: {} }]);
    expect(noteReasons("accepted by the assignee")).toEqual([{ key: "accepted", values: {} }]);
    expect(noteReasons("first response")).toEqual([{ key: "firstResponse", values: {} }]);
    expect(noteReasons("pending:requester")).toEqual([{ key: "pendingOn", values: { reason: "requester" } }]);
    expect(noteReasons("pending")).toEqual([{ key: "pending", values: {} }]);
    expect(noteReasons("resumed (in_progress)")).toEqual([{ key: "resumed", values: { state: "in_progress" } }]);
    expect(noteReasons("priority P3 → P1")).toEqual([{ key: "priority", values: { from: "P3", to: "P1" } }]);
    expect(noteReasons("assigned to group g-mesa")).toEqual([{ key: "assigned", values: { group: "g-mesa" } }]);
    expect(noteReasons("reassigned to group g-l2")).toEqual([{ key: "reassigned", values: { group: "g-l2" } }]);
    expect(noteReasons("policy 1a → 2b (service or category changed)")).toEqual([{ key: "policyChanged", values: {} }]);
    expect(noteReasons("reopened")).toEqual([{ key: "reopened", values: {} }]);
  });
  it("splits changes made at one instant and keeps unknown reasons as written", () => {
    expect(noteReasons("created; priority P3 → P2; calendar moved").map((r) => r.key)).toEqual(["created", "priority", "other"]);
    expect(noteReasons("calendar moved")).toEqual([{ key: "other", values: { text: "calendar moved" } }]);
    expect(noteReasons("")).toEqual([]);
  });
});
