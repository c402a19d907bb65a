// Page keyboard shortcuts (lib/shortcuts.ts) with an on/off switch and a help dialog ("?").
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import {
  createShortcutHandler,
  describeKeys,
  setShortcutsEnabled,
  shortcutsEnabled,
  type Shortcut,
} from "../lib/shortcuts";
import { Dialog } from "./Dialog";

interface Ctx {
  enabled: boolean;
  setEnabled: (on: boolean) => void;
  register: (id: string, list: Shortcut[]) => void;
  unregister: (id: string) => void;
  openHelp: () => void;
}

const ShortcutContext = createContext<Ctx | null>(null);

export function ShortcutProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [enabled, setEnabledState] = useState(shortcutsEnabled);
  const [help, setHelp] = useState(false);
  const [registry, setRegistry] = useState<Record<string, Shortcut[]>>({});
  const enabledRef = useRef(enabled);
  enabledRef.current = enabled;

  const setEnabled = useCallback((on: boolean) => {
    setShortcutsEnabled(on);
    setEnabledState(on);
  }, []);
  const register = useCallback((id: string, list: Shortcut[]) => setRegistry((r) => ({ ...r, [id]: list })), []);
  const unregister = useCallback(
    (id: string) =>
      setRegistry((r) => {
        const { [id]: _gone, ...rest } = r;
        void _gone;
        return rest;
      }),
    [],
  );

  const all = useMemo(() => Object.values(registry).flat(), [registry]);

  useEffect(() => {
    const globalShortcuts: Shortcut[] = [{ keys: "?", label: "shortcuts.help", run: () => setHelp(true) }];
    const handler = createShortcutHandler([...globalShortcuts, ...all], () => enabledRef.current);
    const onKey = (e: KeyboardEvent) => void handler(e);
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [all]);

  const value = useMemo(
    () => ({ enabled, setEnabled, register, unregister, openHelp: () => setHelp(true) }),
    [enabled, setEnabled, register, unregister],
  );

  return (
    <ShortcutContext.Provider value={value}>
      {children}
      <Dialog open={help} title={t("shortcuts.title")} onClose={() => setHelp(false)}>
        <p>{enabled ? t("shortcuts.enabledNote") : t("shortcuts.disabledNote")}</p>
        <label className="checkbox">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />{" "}
          {t("shortcuts.toggle")}
        </label>
        {all.length > 0 ? (
          <table className="table table--compact">
            <caption className="visually-hidden">{t("shortcuts.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("shortcuts.key")}</th>
                <th scope="col">{t("shortcuts.action")}</th>
              </tr>
            </thead>
            <tbody>
              {[{ keys: "?", label: "shortcuts.help" }, ...all].map((s) => (
                <tr key={s.keys + s.label}>
                  <td>
                    <kbd>{describeKeys(s.keys, t("shortcuts.shift"))}</kbd>
                  </td>
                  <td>{t(s.label)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>{t("shortcuts.none")}</p>
        )}
      </Dialog>
    </ShortcutContext.Provider>
  );
}

export function useShortcutSettings(): Ctx {
  const c = useContext(ShortcutContext);
  if (!c) throw new Error("useShortcutSettings outside ShortcutProvider");
  return c;
}

/**
 * Registers a page's shortcuts while it is mounted. The list may be rebuilt on every render:
 * handlers always call the latest closures, and the registry only changes when keys do.
 */
export function useShortcuts(id: string, list: Shortcut[]): void {
  const { register, unregister } = useShortcutSettings();
  const latest = useRef(list);
  latest.current = list;
  const signature = list.map((s) => s.keys + "=" + s.label).join("|");
  useEffect(() => {
    const stable: Shortcut[] = latest.current.map((s, i) => ({
      ...s,
      run: (e: KeyboardEvent) => latest.current[i]?.run(e),
    }));
    register(id, stable);
    return () => unregister(id);
  }, [id, signature, register, unregister]);
}
