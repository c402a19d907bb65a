// Routes: sign-in, the requester portal (/casos…) and the agent console (/consola…).
import { lazy, Suspense, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, Route, Routes, useLocation } from "react-router";
import { Layout } from "./components/Layout";
import { Loading } from "./components/Status";
import { homePath } from "./lib/roles";
import { useSession } from "./lib/session";
import { LoginPage } from "./pages/LoginPage";
import { NewCasePage } from "./pages/portal/NewCasePage";
import { MyCasesPage } from "./pages/portal/MyCasesPage";
import { CaseDetailPage } from "./pages/portal/CaseDetailPage";
import { QueuesPage } from "./pages/console/QueuesPage";
import { IncidentPage } from "./pages/console/IncidentPage";
import { AgreementsPage } from "./pages/console/AgreementsPage";
// Chart.js only loads for the dashboard, so the portal stays light on a phone.
const DashboardPage = lazy(() => import("./pages/console/DashboardPage").then((m) => ({ default: m.DashboardPage })));

type SessionCtx = ReturnType<typeof useSession>;

function RequireSession({ children, when }: { children: ReactNode; when?: (s: SessionCtx) => boolean }) {
  const s = useSession();
  const location = useLocation();
  const { t } = useTranslation();
  if (s.status === "loading") return <Loading />;
  if (s.status === "anonymous") {
    const back = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/ingresar?volver=${back}`} replace />;
  }
  if (when && !when(s)) {
    return (
      <div className="notice notice--error" role="alert">
        <h1>{t("common.forbiddenTitle")}</h1>
        <p>{t("common.forbidden")}</p>
      </div>
    );
  }
  return <>{children}</>;
}

function Home() {
  const { status, session } = useSession();
  if (status === "loading") return <Loading />;
  if (!session) return <Navigate to="/ingresar" replace />;
  return <Navigate to={homePath(session.roles)} replace />;
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("common.notFoundTitle")}</h1>
      <p>{t("common.notFound")}</p>
      <a href="/">{t("layout.home")}</a>
    </>
  );
}

const staffOnly = (s: SessionCtx) => s.staff;
const dashboardOnly = (s: SessionCtx) => s.dashboard;

export function App() {
  return (
    <Layout>
      <Routes>
        <Route path="/" element={<Home />} />
        <Route path="/ingresar" element={<LoginPage />} />
        <Route path="/casos" element={<RequireSession><MyCasesPage /></RequireSession>} />
        <Route path="/casos/nuevo" element={<RequireSession><NewCasePage /></RequireSession>} />
        <Route path="/casos/:number" element={<RequireSession><CaseDetailPage /></RequireSession>} />
        <Route path="/consola" element={<RequireSession when={staffOnly}><QueuesPage /></RequireSession>} />
        <Route
          path="/consola/incidentes/:number"
          element={<RequireSession when={staffOnly}><IncidentPage /></RequireSession>}
        />
        <Route path="/consola/acuerdos" element={<RequireSession when={staffOnly}><AgreementsPage /></RequireSession>} />
        <Route
          path="/consola/tablero"
          element={<RequireSession when={dashboardOnly}><Suspense fallback={<Loading />}><DashboardPage /></Suspense></RequireSession>}
        />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Layout>
  );
}
