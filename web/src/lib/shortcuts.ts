// Keyboard shortcuts for the console. Single keys ("j", "a", "?") or a modifier combo
// ("shift+e"). They never fire while the user types in a field, never with Ctrl/Alt/Meta unless
// asked for, and the user can switch them all off (WCAG 2.1.4 Character Key Shortcuts).
export interface Shortcut {
  /** "a", "shift+e", "?", "/", "escape". */
  keys: string;
  /** i18n key of what it does, for the help dialog. */
  label: string;
  run: (event: KeyboardEvent) => void;
  /** Also fire when focus is in a text field (only for Escape-like keys). */
  inInputs?: boolean;
}

export interface Combo {
  key: string;
  shift: boolean;
  ctrl: boolean;
  alt: boolean;
  meta: boolean;
}

export function parseCombo(keys: string): Combo {
  const parts = keys.toLowerCase().split("+").map((p) => p.trim());
  const key = parts.pop() ?? "";
  return {
    key: key === "" ? "+" : key,
    shift: parts.includes("shift"),
    ctrl: parts.includes("ctrl"),
    alt: parts.includes("alt"),
    meta: parts.includes("meta"),
  };
}

/** Keys that need Shift on most layouts; their shortcut is written without "shift+". */
const SHIFTED_SYMBOLS = new Set(["?", "!", ":", "*", "#", "@", "+", "_", ">", "<", "|", "{", "}"]);

export function matchesCombo(e: Pick<KeyboardEvent, "key" | "shiftKey" | "ctrlKey" | "altKey" | "metaKey">, combo: Combo): boolean {
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key.toLowerCase();
  if (key !== combo.key) return false;
  if (e.ctrlKey !== combo.ctrl || e.altKey !== combo.alt || e.metaKey !== combo.meta) return false;
  if (SHIFTED_SYMBOLS.has(combo.key)) return true;
  return e.shiftKey === combo.shift;
}

export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== "function") return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") {
    const type = (el as HTMLInputElement).type;
    return !["checkbox", "radio", "button", "submit", "reset", "range", "color", "file"].includes(type);
  }
  // Inside an open modal dialog, page shortcuts stay quiet.
  return Boolean(el.closest("dialog[open]"));
}

/** Builds a keydown handler; returns true when a shortcut ran (and prevented the default). */
export function createShortcutHandler(
  shortcuts: readonly Shortcut[],
  isEnabled: () => boolean,
): (e: KeyboardEvent) => boolean {
  const parsed = shortcuts.map((s) => ({ s, combo: parseCombo(s.keys) }));
  return (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.isComposing || e.repeat) return false;
    if (!isEnabled()) return false;
    const typing = isTypingTarget(e.target);
    for (const { s, combo } of parsed) {
      if (typing && !s.inInputs) continue;
      if (matchesCombo(e, combo)) {
        e.preventDefault();
        s.run(e);
        return true;
      }
    }
    return false;
  };
}

const PREF_KEY = "tiquete.shortcuts";

export function shortcutsEnabled(): boolean {
  try {
    return localStorage.getItem(PREF_KEY) !== "off";
  } catch {
    return true;
  }
}

export function setShortcutsEnabled(on: boolean): void {
  try {
    localStorage.setItem(PREF_KEY, on ? "on" : "off");
  } catch {
    // ignore: the preference just does not persist
  }
}

/** How a shortcut is shown in the help dialog: "Mayús + E", "?". */
export function describeKeys(keys: string, shiftWord: string): string {
  const c = parseCombo(keys);
  const main = c.key.length === 1 ? c.key.toUpperCase() : c.key === "escape" ? "Esc" : c.key;
  return [c.ctrl && "Ctrl", c.alt && "Alt", c.meta && "Meta", c.shift && shiftWord, main]
    .filter(Boolean)
    .join(" + ");
}
