/** Message catalogs per language are data (messages/<lang>.json), fetched when the language is chosen. */
export const LANGUAGES = ['nl', 'fr', 'de', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export type Translations = Partial<Record<Language, string>> & { nl?: string };

let current: Language = 'en';
let messages: Record<string, string> = {};

export const language = () => current;

/** The stored choice, else the browser's first supported language, else Dutch (the platform's default). */
export function initialLanguage(): Language {
  const stored = localStorage.getItem('levensloop.lang');
  if (stored && (LANGUAGES as readonly string[]).includes(stored)) return stored as Language;
  for (const l of navigator.languages ?? [navigator.language]) {
    const base = l.slice(0, 2).toLowerCase();
    if ((LANGUAGES as readonly string[]).includes(base)) return base as Language;
  }
  return 'nl';
}

export async function loadLanguage(lang: Language): Promise<void> {
  const res = await fetch(`/messages/${lang}.json`);
  if (!res.ok) throw new Error(`messages/${lang}.json: ${res.status}`);
  messages = await res.json();
  current = lang;
  localStorage.setItem('levensloop.lang', lang);
  document.documentElement.lang = lang;
}

/** A message by key with {placeholders}; the key itself when missing (caught by the catalog test). */
export function t(key: string, params: Record<string, string | number> = {}): string {
  const text = messages[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => (name in params ? String(params[name]) : `{${name}}`));
}

/** A title the API gives per language: the reader's, else Dutch, else any. */
export function tr(titles: Translations | string | undefined | null, fallback = ''): string {
  if (!titles) return fallback;
  if (typeof titles === 'string') return titles;
  return titles[current] ?? titles.nl ?? Object.values(titles)[0] ?? fallback;
}

const locale = () => `${current}-BE`;

export function formatDate(value: string | Date | undefined | null, withTime = true): string {
  if (!value) return '';
  const d = new Date(value);
  return new Intl.DateTimeFormat(locale(), withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' }).format(d);
}

/** "in 3 days", "2 hours ago". */
export function formatRelative(value: string | Date | undefined | null, now = Date.now()): string {
  if (!value) return '';
  const diff = new Date(value).getTime() - now;
  const abs = Math.abs(diff);
  const rtf = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
  const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000]];
  for (const [unit, ms] of units) if (abs >= ms) return rtf.format(Math.round(diff / ms), unit);
  return rtf.format(Math.round(diff / 1000), 'second');
}

/** Milliseconds as "3 d 4 h", "12 min", "40 s". */
export function formatDuration(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return '–';
  const s = ms / 1000;
  const nf = new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 });
  if (s < 60) return `${nf.format(s)} s`;
  if (s < 3600) return `${nf.format(s / 60)} min`;
  if (s < 86_400) return `${nf.format(s / 3600)} h`;
  return `${nf.format(s / 86_400)} d`;
}

export function formatPercent(rate: number | undefined | null): string {
  if (rate === undefined || rate === null) return '–';
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 0 }).format(rate);
}

export function formatNumber(n: number): string {
  return new Intl.NumberFormat(locale()).format(n);
}
