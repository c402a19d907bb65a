// Loading incident lists with their SLA clocks. The incident service may embed the clocks; when
// it does not, one batched call to the SLA service per page fills them in (requesters get their
// own cases' due times). SLA being down never hides the list: rows then show "sin reloj".
import { api } from "../api";
import { OPEN_STATES, type Incident, type IncidentFilter, type Page, type SlaClock } from "../api/types";
import { decorate } from "./directory";

const BATCH = 100; // BatchGetTicketClocks' limit

export async function withClocks(items: Incident[], signal?: AbortSignal): Promise<Incident[]> {
  const missing = [...new Set(items.filter((i) => i.clocks.length === 0 && i.number).map((i) => i.number))];
  if (missing.length === 0) return items;
  let clocks: SlaClock[] = [];
  try {
    for (let i = 0; i < missing.length; i += BATCH) {
      clocks = clocks.concat(await api.sla.batch(missing.slice(i, i + BATCH), signal));
    }
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    return items;
  }
  const byNumber = new Map<string, SlaClock[]>();
  for (const c of clocks) {
    if (!byNumber.has(c.ticketNumber)) byNumber.set(c.ticketNumber, []);
    byNumber.get(c.ticketNumber)!.push(c);
  }
  return items.map((i) => {
    const cs = byNumber.get(i.number);
    if (!cs || i.clocks.length) return i;
    const resolution = cs.find((c) => c.kind === "resolution");
    return {
      ...i,
      clocks: cs,
      resolutionDueTime: i.resolutionDueTime || resolution?.dueTime || "",
    };
  });
}

/**
 * One page of incidents with SLA clocks and names. `staff` also resolves people's names.
 * "Unassigned" is open incidents nobody has taken (the incident service's `unassigned` filter,
 * so pages stay full and cursors stay exact).
 */
export async function listIncidents(
  filter: IncidentFilter,
  staff: boolean,
  signal?: AbortSignal,
): Promise<Page<Incident>> {
  const f = filter.unassigned ? { ...filter, states: filter.states ?? [...OPEN_STATES] } : filter;
  const page = await api.incidents.list(f, signal);
  let items = await withClocks(page.items, signal);
  items = await decorate(items, staff);
  return { ...page, items };
}

/** Numbers present in `next` but not in `prev` (for "2 casos nuevos" announcements). */
export function newNumbers(prev: readonly Incident[] | undefined, next: readonly Incident[]): string[] {
  if (!prev) return [];
  const seen = new Set(prev.map((i) => i.number));
  return next.filter((i) => !seen.has(i.number)).map((i) => i.number);
}
