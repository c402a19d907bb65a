// Small data hooks: load once with reload, and refresh on an interval while the tab is visible.
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type Dispatch, type RefObject, type SetStateAction } from "react";

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again; `quiet` keeps the current data on screen (background refresh). */
  reload: (quiet?: boolean) => Promise<void>;
  /** Replaces the data, or derives it from the latest (an updater, as React's setState). */
  setData: Dispatch<SetStateAction<T | undefined>>;
}

export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): AsyncState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const ctrl = useRef<AbortController | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(async (quiet = false) => {
    ctrl.current?.abort();
    const c = new AbortController();
    ctrl.current = c;
    if (!quiet) setLoading(true);
    try {
      const d = await loadRef.current(c.signal);
      if (!c.signal.aborted) {
        setData(d);
        setError(null);
      }
    } catch (e) {
      if (!c.signal.aborted && !(e instanceof DOMException && e.name === "AbortError")) setError(e);
    } finally {
      if (!c.signal.aborted) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void reload();
    return () => ctrl.current?.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  return { data, error, loading, reload, setData };
}

/** Calls `tick` every `ms` while the page is visible, and once when it becomes visible again. */
export function usePolling(tick: () => void, ms: number, enabled = true): void {
  const ref = useRef(tick);
  ref.current = tick;
  useEffect(() => {
    if (!enabled) return;
    const id = window.setInterval(() => {
      if (!document.hidden) ref.current();
    }, ms);
    const onVisible = () => {
      if (!document.hidden) ref.current();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      window.clearInterval(id);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [ms, enabled]);
}

/** A clock that re-renders every `ms`, for "hace 2 minutos" and SLA countdowns. */
export function useNow(ms = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = window.setInterval(() => setNow(new Date()), ms);
    return () => window.clearInterval(id);
  }, [ms]);
  return now;
}

/**
 * Moves focus to an element (by id, or a ref's element) once React has rendered the change
 * that shows it: in a layout effect, so before the browser takes the next input, never a frame
 * later (a delayed focus would steal keystrokes already aimed at another field).
 */
export function useFocusAfterRender(): (target: string | RefObject<HTMLElement | null>) => void {
  const [pending, setPending] = useState<{ target: string | RefObject<HTMLElement | null> } | null>(null);
  useLayoutEffect(() => {
    if (!pending) return;
    const el = typeof pending.target === "string" ? document.getElementById(pending.target) : pending.target.current;
    el?.focus();
    setPending(null);
  }, [pending]);
  return useCallback((target) => setPending({ target }), []);
}
