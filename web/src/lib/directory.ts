// Names for the ids incidents carry: categories, services and groups (loaded once and cached),
// and people (looked up on demand, staff only: requesters may not read the directory's people).
import { api } from "../api";
import type { Category, Group, Incident, ItService, Person } from "../api/types";

export interface Reference {
  categories: Category[];
  services: ItService[];
  groups: Group[];
  categoryById: Map<string, Category>;
  serviceById: Map<string, ItService>;
  groupById: Map<string, Group>;
}

let reference: Promise<Reference> | null = null;
const people = new Map<string, Promise<Person | null>>();

export function loadReference(): Promise<Reference> {
  if (!reference) {
    reference = Promise.all([
      api.directory.categoryTree().catch(() => [] as Category[]),
      api.directory.services().catch(() => [] as ItService[]),
      api.directory.groups().catch(() => [] as Group[]),
    ]).then(([categories, services, groups]) => ({
      categories,
      services,
      groups,
      categoryById: new Map(categories.map((c) => [c.id, c])),
      serviceById: new Map(services.map((s) => [s.id, s])),
      groupById: new Map(groups.map((g) => [g.id, g])),
    }));
    // A failure is not cached: the next page tries again.
    reference.catch(() => {
      reference = null;
    });
  }
  return reference;
}

export function lookupPerson(id: string): Promise<Person | null> {
  if (!id) return Promise.resolve(null);
  let p = people.get(id);
  if (!p) {
    p = api.directory.person(id).catch(() => null);
    people.set(id, p);
  }
  return p;
}

/** Display names of the given person ids (staff only); unknown ids are left out. */
export async function peopleNames(ids: Iterable<string>): Promise<Map<string, Person>> {
  const unique = [...new Set([...ids].filter(Boolean))];
  const found = await Promise.all(unique.map((id) => lookupPerson(id)));
  const out = new Map<string, Person>();
  found.forEach((p, i) => {
    if (p) out.set(unique[i], p);
  });
  return out;
}

/** Forget everything (sign-out: the next person may see other names). */
export function resetDirectoryCache(): void {
  reference = null;
  people.clear();
}

/** Fills in category path, service and group names, and (for staff) people's names. */
export async function decorate(items: Incident[], withPeople: boolean): Promise<Incident[]> {
  const ref = await loadReference();
  const names = withPeople
    ? await peopleNames(items.flatMap((i) => [i.requesterId, i.assigneeId]))
    : new Map<string, Person>();
  return items.map((i) => {
    const requester = names.get(i.requesterId);
    return {
      ...i,
      categoryPath: i.categoryPath || ref.categoryById.get(i.categoryId)?.fullPath || "",
      serviceName: i.serviceName || ref.serviceById.get(i.serviceId)?.name || "",
      groupName: i.groupName || ref.groupById.get(i.groupId)?.name || "",
      requesterName: i.requesterName || requester?.displayName || "",
      requesterEmail: i.requesterEmail || requester?.email || "",
      assigneeName: i.assigneeName || names.get(i.assigneeId)?.displayName || "",
    };
  });
}
