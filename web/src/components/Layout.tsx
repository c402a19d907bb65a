// The page frame: skip link, GOV.CO-style top bar, the Tiquete header with navigation by role,
// language switch and sign-out, the main landmark and a footer.
import { useEffect, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { NavLink, useLocation } from "react-router";
import { setLanguage } from "../i18n";
import { useSession } from "../lib/session";
import { useShortcutSettings } from "./Shortcuts";

export function Layout({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const { session, staff, dashboard, logout } = useSession();
  const { openHelp } = useShortcutSettings();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const first = useRef(true);

  // After client-side navigation, move focus to the new page's main heading region so screen
  // readers announce it (a full page load does this by itself).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const h1 = mainRef.current?.querySelector<HTMLElement>("h1");
    if (h1) {
      h1.tabIndex = -1;
      h1.focus({ preventScroll: false });
    }
  }, [location.pathname]);

  const other = i18n.language === "en" ? "es-CO" : "en";
  return (
    <>
      <a className="skip-link" href="#contenido">
        {t("layout.skip")}
      </a>
      <div className="govbar">
        <div className="container govbar__inner">
          <span className="govbar__brand">GOV.CO</span>
          <span className="govbar__entity">{t("layout.entity")}</span>
        </div>
      </div>
      <header className="header">
        <div className="container header__inner">
          <a href="/" className="brand">
            <svg className="brand__logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
              <rect width="32" height="32" rx="6" fill="#fff" />
              <path d="M7 9h18v4a3 3 0 0 0 0 6v4H7v-4a3 3 0 0 0 0-6z" fill="#004884" />
            </svg>
            <span className="brand__name">Tiquete</span>
            <span className="brand__tag">{t("layout.tagline")}</span>
            <span className="visually-hidden"> ({t("layout.homeShort")})</span>
          </a>
          <div className="header__tools">
            <button
              type="button"
              className="linklike"
              lang={other}
              onClick={() => setLanguage(other)}
            >
              {other === "en" ? "English" : "Español"}
            </button>
            {session ? (
              <>
                <span className="header__user">
                  <span className="visually-hidden">{t("layout.signedInAs")} </span>
                  {session.person.displayName}
                </span>
                <button type="button" className="button button--light" onClick={() => void logout()}>
                  {t("layout.logout")}
                </button>
              </>
            ) : null}
          </div>
        </div>
        {session ? (
          <nav className="nav" aria-label={t("layout.navLabel")}>
            <ul className="container nav__list">
              <li>
                <NavLink to="/casos/nuevo">{t("nav.newCase")}</NavLink>
              </li>
              <li>
                <NavLink to="/casos" end>
                  {t("nav.myCases")}
                </NavLink>
              </li>
              {staff ? (
                <li>
                  <NavLink to="/consola" end>
                    {t("nav.console")}
                  </NavLink>
                </li>
              ) : null}
              {dashboard ? (
                <li>
                  <NavLink to="/consola/tablero">{t("nav.dashboard")}</NavLink>
                </li>
              ) : null}
              {staff ? (
                <li>
                  <NavLink to="/consola/acuerdos">{t("nav.agreements")}</NavLink>
                </li>
              ) : null}
              {staff ? (
                <li className="nav__right">
                  <button type="button" className="linklike" onClick={openHelp}>
                    {t("nav.shortcuts")}
                  </button>
                </li>
              ) : null}
            </ul>
          </nav>
        ) : null}
      </header>
      <main id="contenido" ref={mainRef} className="container main" tabIndex={-1}>
        {children}
      </main>
      <footer className="footer">
        <div className="container">
          <p>{t("layout.footer")}</p>
          <p>{t("layout.accessibility")}</p>
        </div>
      </footer>
    </>
  );
}
