/**
 * Application command registration: validation of a bulk overwrite (PUT …/commands) against
 * Discord's limits, and the registered command sets (global and per guild).
 */
import { checkList, checkString } from './limits';
import { type FieldPath, FormErrors, isRecord, snowflake } from './util';
import type { JsonObject } from './types';

const CommandType = { ChatInput: 1, User: 2, Message: 3 } as const;
const OptionType = { Subcommand: 1, SubcommandGroup: 2, String: 3, Integer: 4, Number: 10 } as const;
const CHOICE_TYPES = new Set<unknown>([OptionType.String, OptionType.Integer, OptionType.Number]);
/** Per-type limits on the number of commands in one scope. */
const MAX_COMMANDS: Record<number, number> = { 1: 100, 2: 15, 3: 15 };
/** Discord's pattern for chat input command and option names (lowercase where the script has case). */
const NAME_PATTERN = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const MAX_COMMAND_CHARACTERS = 4000;
/** Install types (0 guild install, 1 user install) and contexts (0 guild, 1 bot DM, 2 private channel) Discord knows. */
const INTEGRATION_TYPES: readonly unknown[] = [0, 1];
const CONTEXTS: readonly unknown[] = [0, 1, 2];

/** `integration_types` and `contexts`: absent (Discord's defaults) or a list of known values. */
function checkEnumList(value: unknown, errors: FormErrors, path: FieldPath, allowed: readonly unknown[]): void {
  checkList(value, errors, path, { max: allowed.length }).forEach((item, j) => {
    if (!allowed.includes(item)) errors.add([...path, j], 'BASE_TYPE_CHOICES', `Value must be one of {${allowed.join(', ')}}.`);
  });
}

/** The locale codes Discord accepts as keys of `name_localizations` and `description_localizations`. */
const DISCORD_LOCALES = new Set(['id', 'da', 'de', 'en-GB', 'en-US', 'es-ES', 'es-419', 'fr', 'hr', 'it', 'lt', 'hu', 'nl', 'no', 'pl', 'pt-BR', 'ro', 'fi', 'sv-SE', 'vi', 'tr', 'cs', 'el', 'bg', 'ru', 'uk', 'hi', 'th', 'zh-CN', 'ja', 'zh-TW', 'ko']);

/**
 * A node's localized names (each a valid name: the same rule as the name itself, or choice text
 * when `names` is 'choice') and descriptions. Returns the localized names by locale, for the
 * siblings' uniqueness check.
 */
function checkLocalizations(node: Record<string, unknown>, errors: FormErrors, path: FieldPath, names: 'name' | 'choice'): Map<string, string> {
  const found = new Map<string, string>();
  for (const field of ['name_localizations', 'description_localizations'] as const) {
    const value = node[field];
    if (value === undefined || value === null) continue;
    if (!isRecord(value)) {
      errors.add([...path, field], 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
      continue;
    }
    for (const [locale, text] of Object.entries(value)) {
      const at = [...path, field, locale];
      if (!DISCORD_LOCALES.has(locale)) errors.add(at, 'LOCALE_INVALID', `Invalid locale "${locale}"`);
      if (field === 'description_localizations') checkString(text, errors, at, { min: 1, max: 100, required: true });
      else if (names === 'choice') checkString(text, errors, at, { min: 1, max: 100, required: true });
      else {
        checkChatInputName(text, errors, at);
        if (typeof text === 'string') found.set(locale, text);
      }
    }
  }
  return found;
}

function checkChatInputName(name: unknown, errors: FormErrors, path: FieldPath): void {
  checkString(name, errors, path, { min: 1, max: 32, required: true });
  if (typeof name === 'string' && (!NAME_PATTERN.test(name) || name !== name.toLowerCase())) {
    errors.add(path, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  }
}

/** Counts name + description + choice names/values, recursively (Discord's per-command size limit). */
function commandCharacters(node: JsonObject): number {
  const text = (value: unknown): number => (typeof value === 'string' ? [...value].length : value === undefined ? 0 : String(value).length);
  let total = text(node.name) + text(node.description);
  for (const choice of Array.isArray(node.choices) ? node.choices : []) {
    if (isRecord(choice)) total += text(choice.name) + text(choice.value);
  }
  for (const option of Array.isArray(node.options) ? node.options : []) {
    if (isRecord(option)) total += commandCharacters(option);
  }
  return total;
}

function checkOptions(value: unknown, errors: FormErrors, path: FieldPath, parentType: number | 'command'): void {
  const options = checkList(value, errors, path, { max: 25 });
  const names = new Set<string>();
  // Localized names must be unique among siblings too, in each locale.
  const localizedNames = new Map<string, Set<string>>();
  let seenOptional = false;
  let subcommands = 0;
  options.forEach((option, i) => {
    const o = isRecord(option) ? option : {};
    const at = [...path, i];
    checkChatInputName(o.name, errors, [...at, 'name']);
    checkString(o.description, errors, [...at, 'description'], { min: 1, max: 100, required: true });
    if (typeof o.name === 'string') {
      if (names.has(o.name)) errors.add([...at, 'name'], 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', 'Option names must be unique');
      names.add(o.name);
    }
    for (const [locale, name] of checkLocalizations(o, errors, at, 'name')) {
      const taken = localizedNames.get(locale) ?? new Set<string>();
      if (taken.has(name)) errors.add([...at, 'name_localizations', locale], 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', 'Option names must be unique');
      localizedNames.set(locale, taken.add(name));
    }
    if (typeof o.type !== 'number' || o.type < 1 || o.type > 11) {
      errors.add([...at, 'type'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.');
      return;
    }
    const isSub = o.type === OptionType.Subcommand || o.type === OptionType.SubcommandGroup;
    if (isSub) subcommands++;
    // A group holds only subcommands; a subcommand holds no subcommands or groups.
    if ((parentType === OptionType.SubcommandGroup && o.type !== OptionType.Subcommand) || (parentType === OptionType.Subcommand && isSub)) {
      errors.add([...at, 'type'], 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Sub-command and sub-command group option types are mutually exclusive to all other types');
    }
    if (o.required === true && seenOptional) {
      errors.add([...at, 'required'], 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
    }
    if (o.required !== true && !isSub) seenOptional = true;
    if (o.choices !== undefined) {
      if (!CHOICE_TYPES.has(o.type)) errors.add([...at, 'choices'], 'APPLICATION_COMMAND_OPTION_CHOICES_INVALID', 'Choices are only allowed for string, integer and number options');
      if (o.autocomplete === true) errors.add([...at, 'autocomplete'], 'APPLICATION_COMMAND_AUTOCOMPLETE_INVALID', 'Autocomplete cannot be set with choices');
      checkList(o.choices, errors, [...at, 'choices'], { max: 25 }).forEach((choice, j) => {
        const c = isRecord(choice) ? choice : {};
        checkString(c.name, errors, [...at, 'choices', j, 'name'], { min: 1, max: 100, required: true });
        checkLocalizations(c, errors, [...at, 'choices', j], 'choice');
        if (o.type === OptionType.String) checkString(c.value, errors, [...at, 'choices', j, 'value'], { min: 1, max: 100, required: true });
        else if (typeof c.value !== 'number') errors.add([...at, 'choices', j, 'value'], 'NUMBER_TYPE_COERCE', `Value "${String(c.value)}" is not a number.`);
      });
    }
    // Members type into string, integer and number options only: an attachment (11), a user or a boolean has nothing to complete.
    if (o.autocomplete === true && !CHOICE_TYPES.has(o.type)) {
      errors.add([...at, 'autocomplete'], 'APPLICATION_COMMAND_AUTOCOMPLETE_INVALID', 'Autocomplete is only allowed for string, integer and number options');
    }
    if (isSub) checkOptions(o.options, errors, [...at, 'options'], o.type);
  });
  if (parentType === 'command' && subcommands > 0 && subcommands < options.length) {
    errors.add(path, 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Sub-command and sub-command group option types are mutually exclusive to all other types');
  }
}

/** Validates a bulk-overwrite body; throws ApiError 50035 with Discord's error paths on violation. */
export function validateCommands(body: unknown): JsonObject[] {
  const errors = new FormErrors();
  if (!Array.isArray(body)) {
    errors.add([], 'BASE_TYPE_ARRAY', 'Must be an array.');
    errors.throwIfAny();
    return [];
  }
  const seen = new Set<string>();
  const perType = new Map<number, number>();
  body.forEach((command, i) => {
    if (!isRecord(command)) {
      errors.add([i], 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
      return;
    }
    const type = typeof command.type === 'number' ? command.type : CommandType.ChatInput;
    perType.set(type, (perType.get(type) ?? 0) + 1);
    checkEnumList(command.integration_types, errors, [i, 'integration_types'], INTEGRATION_TYPES);
    checkEnumList(command.contexts, errors, [i, 'contexts'], CONTEXTS);
    if (type === CommandType.ChatInput) {
      checkChatInputName(command.name, errors, [i, 'name']);
      checkString(command.description, errors, [i, 'description'], { min: 1, max: 100, required: true });
      checkLocalizations(command, errors, [i], 'name');
      checkOptions(command.options, errors, [i, 'options'], 'command');
      if (commandCharacters(command) > MAX_COMMAND_CHARACTERS) {
        errors.add([i], 'APPLICATION_COMMAND_TOO_LARGE', `Command exceeds maximum size (${MAX_COMMAND_CHARACTERS})`);
      }
    } else if (type === CommandType.User || type === CommandType.Message) {
      checkString(command.name, errors, [i, 'name'], { min: 1, max: 32, required: true });
      if (typeof command.description === 'string' && command.description !== '') {
        errors.add([i, 'description'], 'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION_INVALID', 'Context menu commands cannot have description');
      }
    } else {
      errors.add([i, 'type'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3, 4}.');
    }
    const key = `${type}:${String(command.name)}`;
    if (seen.has(key)) errors.add([], 'APPLICATION_COMMANDS_DUPLICATE_NAME', `Application command names must be unique`);
    seen.add(key);
  });
  for (const [type, count] of perType) {
    const max = MAX_COMMANDS[type];
    if (max !== undefined && count > max) errors.add([], 'APPLICATION_COMMANDS_TOO_MANY', `Maximum number of application commands of type ${type} reached (${max})`);
  }
  errors.throwIfAny();
  return body.filter(isRecord);
}

/** The registered command sets, keyed by guild id ('' for global). */
export class CommandRegistry {
  private readonly scopes = new Map<string, JsonObject[]>();
  /** Command id → the JSON it was last registered with, to decide whether its version changes. */
  private readonly definitions = new Map<unknown, string>();
  /** Every PUT bulk overwrite received, valid or not. */
  registrations = 0;

  constructor(private readonly applicationId: string) {}

  list(guildId?: string): JsonObject[] {
    return structuredClone(this.scopes.get(guildId ?? '') ?? []);
  }

  /** Finds a command by name the way a client would see it: guild commands first, then global. */
  find(name: string, guildId?: string): JsonObject | undefined {
    const inScope = (scope: string): JsonObject | undefined => this.scopes.get(scope)?.find((c) => c.name === name && c.type === CommandType.ChatInput);
    return (guildId ? inScope(guildId) : undefined) ?? inScope('');
  }

  /**
   * Bulk overwrite: like Discord, a command that keeps its name and type keeps its id; its version
   * changes only if its definition changed.
   */
  overwrite(input: JsonObject[], guildId?: string): JsonObject[] {
    const previous = this.scopes.get(guildId ?? '') ?? [];
    const result = input.map((raw) => {
      const type = typeof raw.type === 'number' ? raw.type : CommandType.ChatInput;
      const existing = previous.find((c) => c.name === raw.name && c.type === type);
      const definition = JSON.stringify(raw);
      const command: JsonObject = {
        id: existing?.id ?? snowflake(),
        application_id: this.applicationId,
        version: existing && this.definitions.get(existing.id) === definition ? existing.version : snowflake(),
        default_member_permissions: raw.default_member_permissions ?? null,
        type,
        name: raw.name,
        name_localizations: raw.name_localizations ?? null,
        description: raw.description ?? '',
        description_localizations: raw.description_localizations ?? null,
        ...(guildId ? { guild_id: guildId } : { dm_permission: raw.dm_permission ?? true }),
        contexts: raw.contexts ?? null,
        integration_types: raw.integration_types ?? [0],
        nsfw: raw.nsfw ?? false,
        ...(Array.isArray(raw.options) ? { options: raw.options } : {}),
      };
      this.definitions.set(command.id, definition);
      return command;
    });
    this.scopes.set(guildId ?? '', result);
    return structuredClone(result);
  }
}
