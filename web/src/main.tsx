import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import i18n from "./i18n";
import { configureClient } from "./api/client";
import { App } from "./App";
import { AnnouncerProvider } from "./components/Announcer";
import { ShortcutProvider } from "./components/Shortcuts";
import { SessionProvider } from "./lib/session";
import "./styles/app.css";

configureClient({
  language: () => i18n.language,
  fallbackMessage: (code, status) =>
    i18n.t(`errors.${code}`, { defaultValue: i18n.t("errors.generic", { status }) }),
});

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <BrowserRouter>
      <AnnouncerProvider>
        <SessionProvider>
          <ShortcutProvider>
            <App />
          </ShortcutProvider>
        </SessionProvider>
      </AnnouncerProvider>
    </BrowserRouter>
  </StrictMode>,
);
