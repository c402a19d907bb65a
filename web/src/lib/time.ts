// Dates and durations as people in Tolima read them: es-CO (or English), Colombian time
// (America/Bogota, UTC-5 all year), and the expected resolution time in plain words
// ("hoy antes de las 5:00 p. m.").
export const TIME_ZONE = "America/Bogota";

type Lang = "es" | "en";
const langOf = (locale: string): Lang => (locale.toLowerCase().startsWith("en") ? "en" : "es");
/** ICU separates "p. m." with narrow/no-break spaces; tests and screen readers prefer plain ones. */
const clean = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

function parse(iso: string | Date | null | undefined): Date | null {
  if (!iso) return null;
  const d = iso instanceof Date ? iso : new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function formatDateTime(iso: string | Date | null | undefined, locale: string): string {
  const d = parse(iso);
  if (!d) return "";
  return clean(
    new Intl.DateTimeFormat(locale, {
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "numeric",
      minute: "2-digit",
      timeZone: TIME_ZONE,
    }).format(d),
  );
}

export function formatTime(d: Date, locale: string): string {
  return clean(
    new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit", timeZone: TIME_ZONE }).format(d),
  );
}

/** The calendar day of an instant in Colombia, as YYYY-MM-DD. */
export function dayKey(d: Date): string {
  return new Intl.DateTimeFormat("en-CA", {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    timeZone: TIME_ZONE,
  }).format(d);
}

function daysBetween(a: Date, b: Date): number {
  const ka = Date.parse(dayKey(a) + "T00:00:00Z");
  const kb = Date.parse(dayKey(b) + "T00:00:00Z");
  return Math.round((kb - ka) / 86_400_000);
}

/** "hace 5 minutos", "en 2 horas", "ayer". */
export function formatRelative(iso: string | Date | null | undefined, now: Date, locale: string): string {
  const d = parse(iso);
  if (!d) return "";
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  const secs = Math.round((d.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(secs);
  if (abs < 45) return langOf(locale) === "es" ? "hace un momento" : "just now";
  if (abs < 3600) return clean(rtf.format(Math.round(secs / 60), "minute"));
  if (abs < 86_400) return clean(rtf.format(Math.round(secs / 3600), "hour"));
  return clean(rtf.format(daysBetween(now, d), "day"));
}

const UNITS: Record<Lang, { d: string; h: string; min: string; lessThanMinute: string }> = {
  es: { d: "d", h: "h", min: "min", lessThanMinute: "menos de 1 min" },
  en: { d: "d", h: "h", min: "min", lessThanMinute: "under 1 min" },
};

/** A compact duration: "2 h 15 min", "3 d 4 h", "menos de 1 min". Sign is ignored. */
export function formatDuration(seconds: number, locale: string): string {
  const u = UNITS[langOf(locale)];
  let s = Math.abs(Math.round(seconds));
  if (s < 60) return u.lessThanMinute;
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  if (d > 0) return h > 0 ? `${d} ${u.d} ${h} ${u.h}` : `${d} ${u.d}`;
  if (h > 0) return m > 0 ? `${h} ${u.h} ${m} ${u.min}` : `${h} ${u.h}`;
  return `${m} ${u.min}`;
}

export type ExpectedKind = "today" | "tomorrow" | "this_week" | "later" | "overdue" | "unknown";

/**
 * The requester's "tiempo estimado de solución" in plain words, from the SLA resolution target.
 * Spanish: "hoy antes de las 5:00 p. m.", "mañana antes de las 10:00 a. m.",
 * "el jueves antes de las 3:00 p. m.", "el 4 de diciembre antes de las 9:00 a. m.",
 * "debía estar solucionado hace 2 h". English likewise.
 */
export function expectedResolution(
  dueIso: string | null | undefined,
  now: Date,
  locale: string,
): { kind: ExpectedKind; text: string } {
  const lang = langOf(locale);
  const due = parse(dueIso);
  if (!due) {
    return {
      kind: "unknown",
      text: lang === "es" ? "le avisaremos apenas lo sepamos" : "we will let you know as soon as we can",
    };
  }
  if (due.getTime() < now.getTime()) {
    const ago = formatDuration((now.getTime() - due.getTime()) / 1000, locale);
    return {
      kind: "overdue",
      text: lang === "es" ? `debía estar solucionado hace ${ago}` : `was due ${ago} ago`,
    };
  }
  const time = formatTime(due, locale);
  const days = daysBetween(now, due);
  const before = lang === "es" ? `antes de las ${time}` : `by ${time}`;
  if (days === 0) return { kind: "today", text: lang === "es" ? `hoy ${before}` : `today ${before}` };
  if (days === 1) return { kind: "tomorrow", text: lang === "es" ? `mañana ${before}` : `tomorrow ${before}` };
  if (days < 7) {
    const weekday = new Intl.DateTimeFormat(locale, { weekday: "long", timeZone: TIME_ZONE }).format(due);
    return { kind: "this_week", text: lang === "es" ? `el ${weekday} ${before}` : `on ${weekday} ${before}` };
  }
  const date = clean(
    new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", timeZone: TIME_ZONE }).format(due),
  );
  return { kind: "later", text: lang === "es" ? `el ${date} ${before}` : `on ${date} ${before}` };
}
