import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createShortcutHandler,
  describeKeys,
  isTypingTarget,
  matchesCombo,
  parseCombo,
  setShortcutsEnabled,
  shortcutsEnabled,
} from "./shortcuts";

function key(k: string, init: KeyboardEventInit = {}, target?: EventTarget) {
  const e = new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true, ...init });
  if (target) Object.defineProperty(e, "target", { value: target });
  return e;
}

describe("combos", () => {
  it("parses modifiers", () => {
    expect(parseCombo("shift+p")).toEqual({ key: "p", shift: true, ctrl: false, alt: false, meta: false });
    expect(parseCombo("?").key).toBe("?");
  });
  it("matches letters case-insensitively but respects Shift", () => {
    expect(matchesCombo(key("a"), parseCombo("a"))).toBe(true);
    expect(matchesCombo(key("P", { shiftKey: true }), parseCombo("shift+p"))).toBe(true);
    expect(matchesCombo(key("P", { shiftKey: true }), parseCombo("p"))).toBe(false);
    expect(matchesCombo(key("p"), parseCombo("shift+p"))).toBe(false);
  });
  it("matches ? whatever Shift says (it needs Shift on most layouts)", () => {
    expect(matchesCombo(key("?", { shiftKey: true }), parseCombo("?"))).toBe(true);
  });
  it("never fires on browser shortcuts like Ctrl+A", () => {
    expect(matchesCombo(key("a", { ctrlKey: true }), parseCombo("a"))).toBe(false);
    expect(matchesCombo(key("a", { metaKey: true }), parseCombo("a"))).toBe(false);
  });
  it("describes keys for the help dialog", () => {
    expect(describeKeys("shift+p", "Mayús")).toBe("Mayús + P");
    expect(describeKeys("escape", "Mayús")).toBe("Esc");
  });
});

describe("typing targets", () => {
  afterEach(() => {
    document.body.innerHTML = "";
  });
  it("ignores keys typed into fields", () => {
    document.body.innerHTML = `<input id="t" type="text"><input id="c" type="checkbox"><textarea id="a"></textarea><select id="s"></select><div id="d"></div>`;
    expect(isTypingTarget(document.getElementById("t"))).toBe(true);
    expect(isTypingTarget(document.getElementById("a"))).toBe(true);
    expect(isTypingTarget(document.getElementById("s"))).toBe(true);
    expect(isTypingTarget(document.getElementById("c"))).toBe(false);
    expect(isTypingTarget(document.getElementById("d"))).toBe(false);
  });
  it("stays quiet inside an open dialog", () => {
    document.body.innerHTML = `<dialog open><button id="b">x</button></dialog>`;
    expect(isTypingTarget(document.getElementById("b"))).toBe(true);
  });
});

describe("createShortcutHandler", () => {
  afterEach(() => {
    document.body.innerHTML = "";
    localStorage.clear();
  });

  it("runs the matching shortcut and prevents the default", () => {
    const assign = vi.fn();
    const escalate = vi.fn();
    const h = createShortcutHandler(
      [
        { keys: "a", label: "assign", run: assign },
        { keys: "e", label: "escalate", run: escalate },
      ],
      () => true,
    );
    const e = key("e", {}, document.body);
    expect(h(e)).toBe(true);
    expect(escalate).toHaveBeenCalledOnce();
    expect(assign).not.toHaveBeenCalled();
    expect(e.defaultPrevented).toBe(true);
  });

  it("does nothing while typing a note", () => {
    document.body.innerHTML = `<textarea id="n"></textarea>`;
    const run = vi.fn();
    const h = createShortcutHandler([{ keys: "a", label: "x", run }], () => true);
    expect(h(key("a", {}, document.getElementById("n")!))).toBe(false);
    expect(run).not.toHaveBeenCalled();
  });

  it("lets Escape-like shortcuts work in fields when asked", () => {
    document.body.innerHTML = `<input id="q" type="search">`;
    const run = vi.fn();
    const h = createShortcutHandler([{ keys: "escape", label: "x", run, inInputs: true }], () => true);
    expect(h(key("Escape", {}, document.getElementById("q")!))).toBe(true);
  });

  it("does nothing when the user switched shortcuts off (WCAG 2.1.4)", () => {
    setShortcutsEnabled(false);
    expect(shortcutsEnabled()).toBe(false);
    const run = vi.fn();
    const h = createShortcutHandler([{ keys: "a", label: "x", run }], shortcutsEnabled);
    expect(h(key("a", {}, document.body))).toBe(false);
    setShortcutsEnabled(true);
    expect(h(key("a", {}, document.body))).toBe(true);
  });

  it("ignores auto-repeat and IME composition", () => {
    const run = vi.fn();
    const h = createShortcutHandler([{ keys: "a", label: "x", run }], () => true);
    expect(h(key("a", { repeat: true }, document.body))).toBe(false);
    expect(h(key("a", { isComposing: true }, document.body))).toBe(false);
    expect(run).not.toHaveBeenCalled();
  });
});
