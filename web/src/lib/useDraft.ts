// React state backed by a sessionStorage draft (lib/drafts.ts): restored on mount, saved shortly
// after each change and on unmount (an expired session navigates away), cleared on success.
import { useCallback, useEffect, useRef, useState } from "react";
import { clearDraft, loadDraft, saveDraft } from "./drafts";

export function useDraft<T>(
  key: string,
  owner: string,
  initial: () => T,
  /** What is stored (e.g. without large attachments); the full value stays in memory. */
  toStored: (v: T) => T = (v) => v,
): { value: T; set: (update: (prev: T) => T) => void; clear: () => void; restored: boolean } {
  const restoredRef = useRef(false);
  const [value, setValue] = useState<T>(() => {
    const d = loadDraft<T>(key, owner);
    if (d !== null) {
      restoredRef.current = true;
      return { ...initial(), ...d };
    }
    return initial();
  });
  const latest = useRef(value);
  const toStoredRef = useRef(toStored);
  toStoredRef.current = toStored;
  const dirty = useRef(false);
  const timer = useRef<number | undefined>(undefined);

  const flush = useCallback(() => {
    window.clearTimeout(timer.current);
    if (dirty.current) {
      saveDraft(key, owner, toStoredRef.current(latest.current));
      dirty.current = false;
    }
  }, [key, owner]);

  const set = useCallback(
    (update: (prev: T) => T) => {
      setValue((prev) => {
        const next = update(prev);
        latest.current = next;
        dirty.current = true;
        window.clearTimeout(timer.current);
        timer.current = window.setTimeout(flush, 250);
        return next;
      });
    },
    [flush],
  );

  const clear = useCallback(() => {
    window.clearTimeout(timer.current);
    dirty.current = false;
    clearDraft(key);
  }, [key]);

  useEffect(() => {
    window.addEventListener("pagehide", flush);
    return () => {
      window.removeEventListener("pagehide", flush);
      flush();
    };
  }, [flush]);

  return { value, set, clear, restored: restoredRef.current };
}
