// Who is signed in, for the whole app. On start it asks the gateway (GET /v1/auth/me); any 401
// later means the session expired: we remember where the user was and send them to sign-in,
// and forms keep their drafts (lib/useDraft.ts) so nothing typed is lost.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useLocation, useNavigate } from "react-router";
import { api } from "../api";
import { configureClient } from "../api/client";
import type { Group, Session } from "../api/types";
import { loadReference, resetDirectoryCache } from "./directory";
import { clearAllDrafts, rememberReturnPath } from "./drafts";
import { canSeeDashboard, isManager, isStaff } from "./roles";

export type SessionStatus = "loading" | "anonymous" | "signed_in";

interface SessionContextValue {
  status: SessionStatus;
  session: Session | null;
  /** Directory groups (names, levels), loaded once after sign-in. */
  groups: Group[];
  /** True after a 401 sent the user to sign-in (shows the "session expired" notice). */
  expired: boolean;
  login: (email: string, password: string) => Promise<Session>;
  logout: () => Promise<void>;
  staff: boolean;
  manager: boolean;
  dashboard: boolean;
}

const SessionContext = createContext<SessionContextValue | null>(null);

// A non-secret hint that this browser signed in: without it, start-up skips asking the gateway
// (GET /v1/auth/me would answer 401, which browsers log as a console error on every first
// visit). The session itself stays in the HttpOnly cookie.
const HINT = "tiquete.signedIn";
function hint(on: boolean | null): boolean {
  try {
    if (on === true) localStorage.setItem(HINT, "1");
    else if (on === false) localStorage.removeItem(HINT);
    return localStorage.getItem(HINT) === "1";
  } catch {
    return true;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SessionStatus>("loading");
  const [session, setSession] = useState<Session | null>(null);
  const [groups, setGroups] = useState<Group[]>([]);
  const [expired, setExpired] = useState(false);
  const navigate = useNavigate();
  const location = useLocation();
  const here = useRef(location.pathname + location.search);
  here.current = location.pathname + location.search;
  const statusRef = useRef(status);
  statusRef.current = status;

  const loadGroups = useCallback(async (s: Session) => {
    try {
      const all = (await loadReference()).groups;
      setGroups(all);
      const byId = new Map(all.map((g) => [g.id, g]));
      const named = s.groups.map((g) => {
        const full = byId.get(g.id);
        return full ? { id: g.id, code: full.code, name: full.name } : g;
      });
      setSession((cur) => (cur ? { ...cur, groups: named, person: { ...cur.person, groups: named } } : cur));
    } catch {
      // Group names are a nicety; the console still works with ids.
    }
  }, []);

  useEffect(() => {
    configureClient({
      onSessionExpired: () => {
        if (statusRef.current !== "signed_in") return;
        rememberReturnPath(here.current);
        hint(false);
        resetDirectoryCache();
        setSession(null);
        setStatus("anonymous");
        setExpired(true);
        navigate("/ingresar?sesion=expirada", { replace: true });
      },
    });
  }, [navigate]);

  useEffect(() => {
    let alive = true;
    if (!hint(null)) {
      setStatus("anonymous");
      return;
    }
    api.auth
      .me()
      .then((s) => {
        if (!alive) return;
        setSession(s);
        setStatus("signed_in");
        void loadGroups(s);
      })
      .catch(() => {
        if (!alive) return;
        hint(false);
        setStatus("anonymous");
      });
    return () => {
      alive = false;
    };
  }, [loadGroups]);

  const login = useCallback(
    async (email: string, password: string) => {
      const s = await api.auth.login(email, password);
      hint(true);
      setSession(s);
      setStatus("signed_in");
      setExpired(false);
      void loadGroups(s);
      return s;
    },
    [loadGroups],
  );

  const logout = useCallback(async () => {
    try {
      await api.auth.logout();
    } catch {
      // The cookie may already be gone; signing out locally is what matters.
    }
    clearAllDrafts();
    hint(false);
    resetDirectoryCache();
    setSession(null);
    setStatus("anonymous");
    setExpired(false);
    navigate("/ingresar", { replace: true });
  }, [navigate]);

  const value = useMemo<SessionContextValue>(() => {
    const roles = session?.roles ?? [];
    return {
      status,
      session,
      groups,
      expired,
      login,
      logout,
      staff: isStaff(roles),
      manager: isManager(roles),
      dashboard: canSeeDashboard(roles),
    };
  }, [status, session, groups, expired, login, logout]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error("useSession outside SessionProvider");
  return v;
}

/** The signed-in session; only for pages behind RequireSession. */
export function useSignedIn(): Session {
  const { session } = useSession();
  if (!session) throw new Error("useSignedIn without a session");
  return session;
}
