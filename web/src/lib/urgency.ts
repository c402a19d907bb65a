// Requesters describe urgency and impact in plain words; agents see ITIL levels and priority.
// "No puedo trabajar" / "Me afecta parcialmente" / "Puedo esperar" set the urgency; who else is
// affected ("Solo a mí" / "A varias personas" / "A toda la sede o más") sets the impact.
import type { Level, Priority } from "../api/types";

export type Effect = "blocked" | "partial" | "can_wait";
export const EFFECTS: readonly Effect[] = ["blocked", "partial", "can_wait"];
export type Reach = "me" | "several" | "site";
export const REACHES: readonly Reach[] = ["me", "several", "site"];

const URGENCY: Record<Effect, Level> = { blocked: "high", partial: "medium", can_wait: "low" };
const IMPACT: Record<Reach, Level> = { me: "low", several: "medium", site: "high" };

export function toUrgencyImpact(effect: Effect, reach: Reach = "me"): { urgency: Level; impact: Level } {
  return { urgency: URGENCY[effect], impact: IMPACT[reach] };
}

export function effectFromUrgency(urgency: Level | ""): Effect | "" {
  const found = EFFECTS.find((e) => URGENCY[e] === urgency);
  return found ?? "";
}

// The ITIL default matrix (DESIGN.md): impact × urgency → P1..P5.
const MATRIX: Record<Level, Record<Level, Priority>> = {
  high: { high: "P1", medium: "P2", low: "P3" },
  medium: { high: "P2", medium: "P3", low: "P4" },
  low: { high: "P3", medium: "P4", low: "P5" },
};

export function priorityOf(impact: Level, urgency: Level): Priority {
  return MATRIX[impact][urgency];
}
