// Time in a server's zone: reading what a moderator typed as `when`, and the daily quote's local
// days and times. chrono-node reads the words, luxon owns the zone rules (DST included); nothing
// here adds hours by hand.
import { FALLBACK_LOCALE, type Locale } from '../i18n';
import { onFirstUse } from '../onFirstUse';

// luxon loads when a zone is first needed: a bot whose servers plan no party and no daily quote
// never needs it.
const luxon = onFirstUse<typeof import('luxon')>('luxon');

// chrono-node's parser of each language, loaded the first time a `when` is read in it: the
// package's main entry loads every language it knows (about 4.6 MB of heap at start for a bot that
// may never schedule a party; English alone is under 1 MB).
type Chrono = typeof import('chrono-node/en');
// Spelled out, so that the build sees each module it may load.
const CHRONO: Record<Locale, () => Promise<Chrono>> = {
  en: () => import('chrono-node/en'),
  fr: () => import('chrono-node/fr') as Promise<unknown> as Promise<Chrono>,
  de: () => import('chrono-node/de') as Promise<unknown> as Promise<Chrono>,
  'es-ES': () => import('chrono-node/es') as Promise<unknown> as Promise<Chrono>,
  'pt-BR': () => import('chrono-node/pt') as Promise<unknown> as Promise<Chrono>,
  ja: () => import('chrono-node/ja') as Promise<unknown> as Promise<Chrono>,
};
const parsers = new Map<Locale, Promise<Chrono>>();

function parserOf(locale: Locale): Promise<Chrono> {
  let parser = parsers.get(locale);
  if (!parser) {
    parser = CHRONO[locale]();
    parsers.set(locale, parser);
  }
  return parser;
}

export const DEFAULT_ZONE = 'UTC';
/** Parties can be planned up to a year ahead. */
export const MAX_AHEAD_MS = 366 * 24 * 60 * 60 * 1000;

export function isZone(zone: string): boolean {
  return luxon().IANAZone.isValidZone(zone);
}

let zones: string[] | undefined;

/** Every IANA zone this Node knows, UTC first (listed once: suggestions ask on every keystroke). */
export function allZones(): string[] {
  zones ??= [DEFAULT_ZONE, ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== DEFAULT_ZONE && isZone(zone))];
  return zones;
}

export type WhenResult = { ok: true; at: number } | { ok: false; problem: 'unreadable' | 'no-time' | 'past' | 'too-far' };

/**
 * "friday 20:30", "tomorrow 8pm", "2026-12-05 20:30", "20:30" (its next occurrence), "in 90
 * minutes" … read in `zone`, in the language of whoever typed it ("vendredi 20h30", "morgen 20
 * Uhr", "明日20時") and else in English, which works for everyone. A time of day is placed on its
 * day by the zone's own rules, so a party at 20:30 after a DST change is still at 20:30 there; a
 * time that does not exist that day (a spring-forward gap) moves forward, and a repeated one
 * (fall-back) takes the first.
 */
export async function parseWhen(text: string, zone: string, now: number, locale: Locale = FALLBACK_LOCALE): Promise<WhenResult> {
  const typed = text.trim().replace(/[.!]+$/, '');
  const offsetNow = luxon().DateTime.fromMillis(now, { zone }).offset;
  const readIn = async (language: Locale) => {
    const [result] = (await parserOf(language)).parse(typed, { instant: new Date(now), timezone: offsetNow }, { forwardDate: true });
    // Words chrono skipped ("friday at the pub") would be silently ignored: refuse them instead.
    return result && result.index === 0 && result.text.length === typed.length ? result : undefined;
  };
  const result = (await readIn(locale)) ?? (locale === FALLBACK_LOCALE ? undefined : await readIn(FALLBACK_LOCALE));
  if (!result) return { ok: false, problem: 'unreadable' };
  const start = result.start;
  let at: number;
  if (start.tags().has('result/relativeDateAndTime') || start.isCertain('timezoneOffset')) {
    // "in 90 minutes" is an amount of time from now, and "20:30 UTC" names its own zone: either
    // is an instant whatever the server's zone.
    at = start.date().getTime();
  } else if (start.tags().has('result/relativeDate')) {
    // "next week", "in 2 days": a day, but no time of day.
    return { ok: false, problem: 'no-time' };
  } else {
    if (!start.isCertain('hour')) return { ok: false, problem: 'no-time' };
    // Built as atLocalTime builds it, so a repeated (fall-back) time takes its first instant.
    const local = luxon().DateTime.fromObject({ year: start.get('year')!, month: start.get('month')!, day: start.get('day')! }, { zone }).set({ hour: start.get('hour')!, minute: start.get('minute') ?? 0 });
    if (!local.isValid) return { ok: false, problem: 'unreadable' };
    at = local.toMillis();
  }
  if (at <= now) return { ok: false, problem: 'past' };
  if (at - now > MAX_AHEAD_MS) return { ok: false, problem: 'too-far' };
  return { ok: true, at };
}

/** "09:00" → its hour and minute; undefined for anything but a 24-hour HH:MM. */
export function parseClock(text: string): { hour: number; minute: number } | undefined {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  return match ? { hour: Number(match[1]), minute: Number(match[2]) } : undefined;
}

/** The local date ("2026-12-03") of an instant in `zone`. */
export function localDay(at: number, zone: string): string {
  return luxon().DateTime.fromMillis(at, { zone }).toISODate()!;
}

/** The instant `clock` happens on the local day `day` in `zone` (a DST gap moves it forward, a repeat takes the first). */
export function atLocalTime(day: string, clock: { hour: number; minute: number }, zone: string): number {
  return luxon().DateTime.fromISO(day, { zone }).set({ hour: clock.hour, minute: clock.minute, second: 0, millisecond: 0 }).toMillis();
}

/** The local day after `day`. */
export function nextDay(day: string, zone: string): string {
  return luxon().DateTime.fromISO(day, { zone }).plus({ days: 1 }).toISODate()!;
}

/**
 * When the daily post should happen next: today's time, unless today's post was made or its time
 * came before the setting did (set at 15:00 for 09:00, the first post is tomorrow's); else
 * tomorrow's. A time already past today is due at once, so a post missed while the bot was down is
 * made while its day lasts; days missed entirely are not made up: one post, never a flood.
 */
export function nextDailyPost(clock: { hour: number; minute: number }, zone: string, now: number, state: { lastPostedDay?: string | undefined; since: number }): { day: string; at: number } {
  const today = localDay(now, zone);
  const todayAt = atLocalTime(today, clock, zone);
  if (state.lastPostedDay !== today && todayAt >= state.since) return { day: today, at: todayAt };
  const tomorrow = nextDay(today, zone);
  return { day: tomorrow, at: atLocalTime(tomorrow, clock, zone) };
}
