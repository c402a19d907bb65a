// Every key the code uses exists in Spanish, and English has exactly the same keys.
import { describe, expect, it } from "vitest";
import es from "./locales/es-CO.json";
import en from "./locales/en.json";

type Tree = { [k: string]: string | Tree };
function flat(t: Tree, prefix = ""): string[] {
  return Object.entries(t).flatMap(([k, v]) => (typeof v === "string" ? [prefix + k] : flat(v, prefix + k + ".")));
}
const base = (k: string) => k.replace(/_(one|many|other)$/, "");

// Every source file's text, through Vite's glob import (no Node APIs needed).
const sources = import.meta.glob<string>(["../**/*.ts", "../**/*.tsx", "!../**/*.test.ts"], {
  query: "?raw",
  import: "default",
  eager: true,
});

describe("locales", () => {
  const esKeys = new Set(flat(es as Tree).map(base));
  const enKeys = new Set(flat(en as Tree).map(base));

  it("English and Spanish have the same keys", () => {
    expect([...esKeys].filter((k) => !enKeys.has(k))).toEqual([]);
    expect([...enKeys].filter((k) => !esKeys.has(k))).toEqual([]);
  });

  it("every literal key used in the code exists", () => {
    const used = new Set<string>();
    for (const text of Object.values(sources)) {
      for (const m of text.matchAll(/\bt\(\s*"([a-zA-Z0-9_.-]+)"/g)) used.add(m[1]);
      for (const m of text.matchAll(/label: "([a-zA-Z0-9_.-]+\.[a-zA-Z0-9_.-]+)"/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((k) => !esKeys.has(k))).toEqual([]);
  });

  it("has every state, priority and queue label the UI builds dynamically", () => {
    for (const s of ["new", "assigned", "in_progress", "pending", "resolved", "closed", "cancelled"]) {
      expect(esKeys.has(`state.${s}`)).toBe(true);
      expect(esKeys.has(`requesterState.${s}`)).toBe(true);
    }
    for (const q of ["mine", "group", "unassigned", "at_risk", "major"]) {
      expect(esKeys.has(`queues.${q}`)).toBe(true);
      expect(esKeys.has(`queues.empty_${q}`)).toBe(true);
    }
    for (const v of ["assign", "escalate", "start", "pend", "resume", "resolve", "close", "cancel", "reopen", "comment", "survey", "set-priority", "set-major"]) {
      expect(esKeys.has(`actions.${v}.done`)).toBe(true);
    }
  });
});
