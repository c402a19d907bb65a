// i18next with the two UI languages: es-CO (default, Spanish first) and en. The choice is kept
// in localStorage and sent to the gateway as Accept-Language, so server messages match.
import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import es from "./locales/es-CO.json";
import en from "./locales/en.json";

export const LANGUAGES = ["es-CO", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
const KEY = "tiquete.lang";

function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === "en" || saved === "es-CO") return saved;
  } catch {
    // storage disabled
  }
  return "es-CO";
}

void i18next.use(initReactI18next).init({
  resources: { "es-CO": { translation: es }, en: { translation: en } },
  lng: initialLanguage(),
  fallbackLng: "es-CO",
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});

function applyLang(lng: string) {
  if (typeof document !== "undefined") document.documentElement.lang = lng;
}
applyLang(i18next.language);
i18next.on("languageChanged", applyLang);

export function setLanguage(lng: Language): void {
  try {
    localStorage.setItem(KEY, lng);
  } catch {
    // ignore
  }
  void i18next.changeLanguage(lng);
}

export default i18next;
