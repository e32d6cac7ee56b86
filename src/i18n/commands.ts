// Slash command names and descriptions in every language: Discord shows each member the words of
// their client's language. English stays in the definitions; the others come from each language's
// `commands` messages, laid out as the definitions nest: commands.<command>.options.<option>…
import type { APIApplicationCommandOption, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { FALLBACK_LOCALE, LOCALES, type Locale, readResources, type Translator } from './index';

/** One command's or option's words in one language. */
interface Words {
  name?: string;
  description?: string;
  choices?: Record<string, string>;
  options?: Record<string, Words>;
}

type Definition = RESTPostAPIChatInputApplicationCommandsJSONBody;
type Localizable = Definition | APIApplicationCommandOption;

const TRANSLATED = LOCALES.filter((locale) => locale !== FALLBACK_LOCALE);

/** Each translated language's `commands` messages, read afresh: registration needs them once a start, not kept. */
export function readCommandWords(): Map<Locale, Record<string, Words>> {
  return new Map(TRANSLATED.map((locale) => [locale, (readResources(locale).commands ?? {}) as Record<string, Words>]));
}

/**
 * The definitions with `name_localizations` and `description_localizations` (and those of every
 * option and choice) filled in. `missing` lists what a language lacks, as paths, for the tests;
 * Discord shows English there.
 */
export function localizeDefinitions(definitions: readonly Definition[], words = readCommandWords()): { definitions: Definition[]; missing: string[] } {
  const missing: string[] = [];
  const localize = <T extends Localizable>(item: T, path: string, byLocale: Map<Locale, Words | undefined>): T => {
    const names: Partial<Record<Locale, string>> = {};
    const descriptions: Partial<Record<Locale, string>> = {};
    for (const [locale, found] of byLocale) {
      if (found?.name) names[locale] = found.name;
      else missing.push(`${locale}:${path}.name`);
      if (found?.description) descriptions[locale] = found.description;
      else missing.push(`${locale}:${path}.description`);
    }
    const localized = { ...item, name_localizations: names, description_localizations: descriptions } as T;
    if ('choices' in item && item.choices) {
      (localized as { choices?: unknown }).choices = item.choices.map((choice) => {
        const choiceNames: Partial<Record<Locale, string>> = {};
        for (const [locale, found] of byLocale) {
          const name = found?.choices?.[String(choice.value)];
          if (name) choiceNames[locale] = name;
          else missing.push(`${locale}:${path}.choices.${choice.value}`);
        }
        return { ...choice, name_localizations: choiceNames };
      });
    }
    if ('options' in item && item.options) {
      (localized as { options?: unknown }).options = item.options.map((option) =>
        localize(option, `${path}.options.${option.name}`, new Map([...byLocale].map(([locale, found]) => [locale, found?.options?.[option.name]]))),
      );
    }
    return localized;
  };
  const localized = definitions.map((definition) =>
    localize(definition, `commands.${definition.name}`, new Map(TRANSLATED.map((locale) => [locale, words.get(locale)?.[definition.name]]))),
  );
  return { definitions: localized, missing };
}

/**
 * A command's (or option's) word as members of `t`'s language see it in their client: its
 * localized name or description, or the English one from the definition.
 */
export function commandWord(t: Translator, path: string, english: string): string {
  return t.locale === FALLBACK_LOCALE ? english : t(path, { defaultValue: english });
}
