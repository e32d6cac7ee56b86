// Every language says everything English says, with the same placeholders, in the plural forms its
// grammar has; every command, option and choice has a name and description in every language that
// Discord accepts.
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/commands';
import { localizeDefinitions, readCommandWords } from '../../src/i18n/commands';
import { FALLBACK_LOCALE, LOCALES, readResources, supportedLocale, translator } from '../../src/i18n';
import { hashDefinitions } from '../../src/storage/registration';

const PLURAL = /_(zero|one|two|few|many|other)$/;
// Discord's rule for command and option names (and their localizations): lowercase where the script has case.
const NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function flatten(tree: Record<string, unknown>, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else if (value && typeof value === 'object') for (const [inner, text] of flatten(value as Record<string, unknown>, path)) out.set(inner, text);
    else throw new Error(`${path} is neither text nor a group`);
  }
  return out;
}

/** Messages outside `commands` (checked against the definitions below), plural forms grouped under their key. */
function messagesOf(locale: (typeof LOCALES)[number]): Map<string, Map<string, string>> {
  const { commands: _commands, ...messages } = readResources(locale);
  const grouped = new Map<string, Map<string, string>>();
  for (const [path, text] of flatten(messages)) {
    const form = PLURAL.exec(path)?.[1] ?? '';
    const base = form ? path.slice(0, -form.length - 1) : path;
    grouped.set(base, (grouped.get(base) ?? new Map()).set(form, text));
  }
  return grouped;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)/g)].map((match) => match[1]).sort();
const english = messagesOf(FALLBACK_LOCALE);

describe.each(LOCALES.filter((locale) => locale !== FALLBACK_LOCALE))('%s', (locale) => {
  const messages = messagesOf(locale);
  const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;

  it('has every message English has, and none it lacks', () => {
    expect([...messages.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it('has exactly the plural forms of its grammar where English has plural forms', () => {
    for (const [key, forms] of english) {
      const expected = forms.has('') ? [''] : [...categories].sort();
      expect([...(messages.get(key)?.keys() ?? [])].sort(), key).toEqual(expected);
    }
  });

  it('keeps every placeholder, and adds none', () => {
    for (const [key, forms] of english) {
      const wanted = placeholders(forms.get('') ?? forms.get('other')!);
      for (const [form, text] of messages.get(key) ?? []) expect(placeholders(text), `${key}${form ? `_${form}` : ''}`).toEqual(wanted);
    }
  });
});

describe('commands', () => {
  const { definitions, missing } = localizeDefinitions(commands.map((command) => command.data));

  it('gives every command, option and choice a name and description in every language', () => {
    expect(missing).toEqual([]);
  });

  it('keeps no words for commands or options that do not exist', () => {
    const paths = new Set<string>();
    const walk = (item: { name: string; options?: unknown[] }, path: string) => {
      paths.add(path);
      for (const option of (item.options ?? []) as { name: string; options?: unknown[] }[]) walk(option, `${path}.options.${option.name}`);
    };
    for (const definition of definitions) walk(definition, definition.name);
    for (const [locale, words] of readCommandWords()) {
      const stray: string[] = [];
      const visit = (node: Record<string, unknown>, path: string) => {
        if (!paths.has(path)) stray.push(`${locale}:${path}`);
        for (const [name, child] of Object.entries((node.options ?? {}) as Record<string, Record<string, unknown>>)) visit(child, `${path}.options.${name}`);
      };
      for (const [name, node] of Object.entries(words)) visit(node as Record<string, unknown>, name);
      expect(stray).toEqual([]);
    }
  });

  it('counts a changed translation as a change of the commands, so the next start registers them again', () => {
    const words = readCommandWords();
    const changed = structuredClone(words);
    changed.get('fr')!.film!.description = `${changed.get('fr')!.film!.description} !`;
    const hash = (localized: typeof words) => hashDefinitions({ applicationId: '1', scope: 'global', definitions: localizeDefinitions(commands.map((command) => command.data), localized).definitions });
    expect(hash(changed)).not.toBe(hash(words));
    expect(hash(structuredClone(words))).toBe(hash(words));
  });

  it('gives names Discord accepts: lowercase, at most 32 characters, no spaces, unique among their siblings', () => {
    const check = (items: { name: string; name_localizations?: Record<string, string> | null; options?: unknown[] }[], where: string) => {
      for (const locale of LOCALES.filter((l) => l !== FALLBACK_LOCALE)) {
        const names = items.map((item) => item.name_localizations?.[locale] ?? item.name);
        for (const name of names) {
          expect(name, `${where} ${locale}`).toMatch(NAME);
          expect(name, `${where} ${locale}`).toBe(name.toLowerCase());
        }
        expect(new Set(names).size, `${where} ${locale}: ${names.join(', ')}`).toBe(names.length);
      }
      for (const item of items) if (item.options) check(item.options as typeof items, `${where}/${item.name}`);
    };
    check(definitions as never, 'commands');
  });
});

describe('locales', () => {
  it('reads Discord’s codes, falling back to English for a language it does not speak', () => {
    expect(supportedLocale('fr')).toBe('fr');
    expect(supportedLocale('pt-BR')).toBe('pt-BR');
    expect(supportedLocale('es-419')).toBe('es-ES');
    expect(supportedLocale('ko')).toBe('en');
    expect(supportedLocale('en-GB')).toBe('en');
  });

  it('counts with the language’s plural rules and number format', () => {
    expect(translator('fr')('count.vote', { count: 0 })).toBe('0 vote');
    expect(translator('de')('count.vote', { count: 1234 })).toBe('1.234 Stimmen');
    expect(translator('ja')('count.vote', { count: 2 })).toBe('2票');
    expect(translator('en')('count.vote', { count: 1 })).toBe('1 vote');
  });
});
