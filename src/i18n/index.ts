// The bot's languages: i18next with one resource file per language (src/i18n/locales/<locale>.json),
// each read the first time a member or server of that language needs it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { i18n } from 'i18next';
import { onFirstUse } from '../onFirstUse';

/** English first: what every other language falls back to, key by key. */
export const LOCALES = ['en', 'fr', 'de', 'es-ES', 'pt-BR', 'ja'] as const;
export type Locale = (typeof LOCALES)[number];
export const FALLBACK_LOCALE: Locale = 'en';

/** Values a message fills in: `{{name}}` in the text; `count` also picks the plural form. */
export type Vars = Record<string, string | number | undefined>;

/** Words in one language: `t(key, vars)`, and the language, for `Intl` formatting. */
export interface Translator {
  (key: string, vars?: Vars): string;
  readonly locale: Locale;
}

// Beside the code: src/i18n/locales/ here, dist/locales/ once bundled (scripts/build.ts copies them).
const LOCALES_DIR = fileURLToPath(new URL('./locales/', import.meta.url));

// i18next loads with the first message drawn, not at start.
const i18next = onFirstUse<typeof import('i18next')>('i18next');
let engine: i18n | undefined;

function theEngine(): i18n {
  if (engine) return engine;
  engine = i18next().createInstance();
  void engine.init({
    lng: FALLBACK_LOCALE,
    fallbackLng: FALLBACK_LOCALE,
    supportedLngs: [...LOCALES],
    // Discord codes (pt-BR, es-ES) are kept whole; a missing key falls back to English.
    load: 'currentOnly',
    resources: {},
    // Replies are Discord markdown, not HTML; values are escaped by the builders that need it.
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  return engine;
}

const translators = new Map<Locale, Translator>();
/** Messages kept per language once drawn; a few hundred kilobytes at most. */
const DRAWN_PER_LANGUAGE = 2_000;

/** The translator for a supported locale, its resource file loaded on first use. */
export function translator(locale: Locale): Translator {
  let t = translators.get(locale);
  if (!t) {
    const engine = theEngine();
    if (!engine.hasResourceBundle(locale, 'translation')) engine.addResourceBundle(locale, 'translation', readResources(locale));
    if (locale !== FALLBACK_LOCALE && !engine.hasResourceBundle(FALLBACK_LOCALE, 'translation')) engine.addResourceBundle(FALLBACK_LOCALE, 'translation', readResources(FALLBACK_LOCALE));
    const fixed = engine.getFixedT(locale);
    // i18next takes 10–30 µs a message (key lookup, plural rules, interpolation), and a film card
    // draws some forty: the same key with the same values always gives the same text, so it is
    // kept, up to a bound (titles and names members type make the values unbounded).
    const drawn = new Map<string, string>();
    t = Object.assign(
      (key: string, vars?: Vars) => {
        const id = vars === undefined ? key : `${key}\u0000${JSON.stringify(vars)}`;
        let text = drawn.get(id);
        if (text === undefined) {
          text = fixed(key, vars as Record<string, unknown>) as string;
          if (drawn.size >= DRAWN_PER_LANGUAGE) drawn.clear();
          drawn.set(id, text);
        }
        return text;
      },
      { locale },
    );
    translators.set(locale, t);
  }
  return t;
}

/** A language's messages as stored: nested objects of strings. */
export function readResources(locale: Locale): Record<string, unknown> {
  return JSON.parse(readFileSync(`${LOCALES_DIR}${locale}.json`, 'utf8')) as Record<string, unknown>;
}

/** Discord's locale code (`en-US`, `fr`, `es-419`, …) as one of ours; anything else is English. */
export function supportedLocale(discordLocale: string | null | undefined): Locale {
  if (!discordLocale) return FALLBACK_LOCALE;
  if ((LOCALES as readonly string[]).includes(discordLocale)) return discordLocale as Locale;
  // Latin American Spanish reads Spanish better than English.
  if (discordLocale === 'es-419') return 'es-ES';
  return FALLBACK_LOCALE;
}

/** For a reply only the member sees: their client's language. */
export function memberTranslator(interaction: { locale: string }): Translator {
  return translator(supportedLocale(interaction.locale));
}

/** For a message everyone in the server reads: the server's language (the member's own outside a server). */
export function serverTranslator(interaction: { locale: string; guildLocale: string | null }): Translator {
  return translator(supportedLocale(interaction.guildLocale ?? interaction.locale));
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** A number as the language writes it (`4.5`, `4,5`), with `digits` decimals. */
export function formatNumber(t: Pick<Translator, 'locale'>, value: number, digits = 0): string {
  const id = `${t.locale}/${digits}`;
  let format = numberFormats.get(id);
  if (!format) numberFormats.set(id, (format = new Intl.NumberFormat(t.locale, { minimumFractionDigits: digits, maximumFractionDigits: digits })));
  return format.format(value);
}
