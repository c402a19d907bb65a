// Form drafts kept in sessionStorage while the user types, so an expired session (or a reload)
// never loses what they wrote: the sign-in page sends them back and the form restores it. Each
// draft remembers whose it is; another person signing in on the same tab does not see it.
const PREFIX = "tiquete.draft.";
const MAX_AGE_MS = 12 * 3600 * 1000;

interface Stored<T> {
  owner: string;
  savedAt: number;
  value: T;
}

function storage(): Storage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

export function saveDraft<T>(key: string, owner: string, value: T, now = Date.now()): void {
  const s = storage();
  if (!s) return;
  try {
    s.setItem(PREFIX + key, JSON.stringify({ owner, savedAt: now, value } satisfies Stored<T>));
  } catch {
    // Quota exceeded (large attachments): keep going without a draft rather than failing the form.
  }
}

/**
 * The draft saved under `key` for `owner`, or null. A draft of another person, an unreadable
 * one or one older than 12 hours is deleted instead. An empty owner on either side matches
 * (the draft was saved while the session was unknown).
 */
export function loadDraft<T>(key: string, owner: string, now = Date.now()): T | null {
  const s = storage();
  if (!s) return null;
  const raw = s.getItem(PREFIX + key);
  if (!raw) return null;
  try {
    const d = JSON.parse(raw) as Stored<T>;
    const ownerOk = !d.owner || !owner || d.owner === owner;
    if (ownerOk && now - d.savedAt <= MAX_AGE_MS && d.value !== undefined) return d.value;
  } catch {
    // fall through: drop it
  }
  s.removeItem(PREFIX + key);
  return null;
}

export function clearDraft(key: string): void {
  storage()?.removeItem(PREFIX + key);
}

/** Removes every draft (explicit sign-out on a shared computer). */
export function clearAllDrafts(): void {
  const s = storage();
  if (!s) return;
  const keys: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const k = s.key(i);
    if (k?.startsWith(PREFIX)) keys.push(k);
  }
  keys.forEach((k) => s.removeItem(k));
}

// Where to go back after signing in again. Only same-site paths are accepted, so a crafted
// ?next= cannot send the user to another site.
const RETURN_KEY = "tiquete.returnTo";

export function safeReturnPath(path: string | null | undefined): string {
  if (!path || !path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return "/";
  if (path.startsWith("/ingresar")) return "/";
  return path;
}

export function rememberReturnPath(path: string): void {
  storage()?.setItem(RETURN_KEY, safeReturnPath(path));
}

export function takeReturnPath(): string | null {
  const s = storage();
  const p = s?.getItem(RETURN_KEY) ?? null;
  s?.removeItem(RETURN_KEY);
  return p ? safeReturnPath(p) : null;
}
