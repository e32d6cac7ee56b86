/**
 * Modal submits (interaction type 5) as the Discord client sends them: the submit mirrors the modal
 * the bot showed (callback type 9), each input with its result, and every component carries the
 * `id` Discord gave it (the bot's own, or the next free number in layout order). What a real client
 * would never send (text over `max_length`, a required input left empty, a value that is not one
 * of the options, an input the modal does not have) is refused here, before anything is dispatched.
 */
import { ComponentType } from './limits';
import { apiResolved } from './payloads';
import type { CommandOptionInput, JsonObject, ModalFieldValue, StandinGuild } from './types';
import { asArray, asRecord, isRecord } from './util';


/** The command option type whose `data.resolved` entries match an auto-populated select's values. */
const RESOLVED_AS: Record<number, number> = {
  [ComponentType.UserSelect]: 6,
  [ComponentType.RoleSelect]: 8,
  [ComponentType.MentionableSelect]: 9,
  [ComponentType.ChannelSelect]: 7,
};

const INPUT_NAMES: Record<number, string> = {
  [ComponentType.StringSelect]: 'string select',
  [ComponentType.TextInput]: 'text input',
  [ComponentType.UserSelect]: 'user select',
  [ComponentType.RoleSelect]: 'role select',
  [ComponentType.MentionableSelect]: 'mentionable select',
  [ComponentType.ChannelSelect]: 'channel select',
  [ComponentType.FileUpload]: 'file upload',
  [ComponentType.RadioGroup]: 'radio group',
  [ComponentType.CheckboxGroup]: 'checkbox group',
  [ComponentType.Checkbox]: 'checkbox',
};

/** `data.components` and `data.resolved` of a modal submit. */
export interface ModalSubmission {
  components: JsonObject[];
  resolved?: JsonObject;
}

/** Discord counts Unicode code points, not UTF-16 units. */
const length = (text: string): number => [...text].length;
const int = (value: unknown): number | undefined => (typeof value === 'number' && Number.isInteger(value) ? value : undefined);
const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

/**
 * What the client sends when a member submits the modal `shown` with `fields` (by custom_id; an
 * input left out is sent untouched). Without a shown modal (a forged or out-of-date submit) each
 * field becomes a text input in its own action row. Throws what a real client would not send.
 */
export function modalSubmission(customId: string, shown: JsonObject | undefined, fields: Record<string, ModalFieldValue>, guild: StandinGuild): ModalSubmission {
  const problems: string[] = [];
  const given = Object.entries(fields).filter(([, value]) => value !== undefined);
  let submission: ModalSubmission;
  if (shown) {
    submission = submitShown(shown, new Map(given), guild, problems);
  } else {
    const rows = given.map(([id, value]): JsonObject => {
      if (typeof value !== 'string') problems.push(`no modal "${customId}" was shown, so "${id}" can only be a text input: give a string`);
      return { type: ComponentType.ActionRow, components: [{ type: ComponentType.TextInput, custom_id: id, value: typeof value === 'string' ? value : '' }] };
    });
    submission = { components: withIds(rows) };
  }
  if (problems.length > 0) {
    throw new Error(`modalSubmit: a Discord client would not send this for modal "${customId}" (forgedModalSubmit sends anything):\n- ${problems.join('\n- ')}`);
  }
  return submission;
}

function submitShown(shown: JsonObject, fields: Map<string, ModalFieldValue>, guild: StandinGuild, problems: string[]): ModalSubmission {
  const inputs = new Set<string>();
  const resolvedAs: CommandOptionInput[] = [];
  const result = (c: JsonObject): JsonObject => {
    const customId = String(c.custom_id);
    inputs.add(customId);
    const field = submittedInput(c, fields.get(customId), fields.has(customId), problems);
    const resolvedType = typeof c.type === 'number' ? RESOLVED_AS[c.type] : undefined;
    if (resolvedType !== undefined) for (const value of asArray(field.values)) resolvedAs.push({ name: customId, type: resolvedType, value: String(value) });
    return field;
  };
  const components = withIds(asArray(shown.components).filter(isRecord)).flatMap((c): JsonObject[] => {
    if (c.type === ComponentType.Label) return [{ type: c.type, id: c.id, component: result(asRecord(c.component)) }];
    if (c.type === ComponentType.ActionRow) return [{ type: c.type, id: c.id, components: asArray(c.components).filter(isRecord).map(result) }];
    if (c.type === ComponentType.TextDisplay) return [{ type: c.type, id: c.id }];
    return [];
  });
  for (const id of fields.keys()) if (!inputs.has(id)) problems.push(`the modal has no input "${id}" (its inputs: ${[...inputs].map((i) => `"${i}"`).join(', ') || 'none'})`);
  const resolved = apiResolved(resolvedAs, guild);
  return resolved ? { components, resolved } : { components };
}

/** One input's result: what the member gave, or what the client sends for it untouched. */
function submittedInput(c: JsonObject, value: ModalFieldValue | undefined, given: boolean, problems: string[]): JsonObject {
  const id = String(c.custom_id);
  const what = (typeof c.type === 'number' && INPUT_NAMES[c.type]) || `component of type ${String(c.type)}`;
  const required = c.required !== false;
  const base = { type: c.type, id: c.id, custom_id: c.custom_id };
  const options = asArray(c.options).filter(isRecord);
  const isOption = (v: string): boolean => options.some((o) => o.value === v);

  switch (c.type) {
    case ComponentType.TextInput: {
      if (given && typeof value !== 'string') problems.push(`"${id}" is a text input: give a string`);
      const text = given && typeof value === 'string' ? value : typeof c.value === 'string' ? c.value : '';
      const n = length(text);
      const max = int(c.max_length) ?? 4000;
      const min = int(c.min_length) ?? 0;
      if (n > max) problems.push(`"${id}" is longer than its max_length of ${max} (${n} characters)`);
      if (n === 0 && required) problems.push(`"${id}" is required but left empty`);
      else if (n > 0 && n < min) problems.push(`"${id}" is shorter than its min_length of ${min} (${n} characters)`);
      return { ...base, value: text };
    }
    case ComponentType.RadioGroup: {
      if (given && typeof value !== 'string' && value !== null) problems.push(`"${id}" is a radio group: give one option's value, or null`);
      const fallback = options.find((o) => o.default === true)?.value;
      const choice = given && (typeof value === 'string' || value === null) ? value : typeof fallback === 'string' ? fallback : null;
      if (choice !== null && !isOption(choice)) problems.push(`"${id}" has no option "${choice}"`);
      if (choice === null && required) problems.push(`"${id}" is required but no option is chosen`);
      return { ...base, value: choice };
    }
    case ComponentType.Checkbox: {
      if (given && typeof value !== 'boolean') problems.push(`"${id}" is a checkbox: give true or false`);
      return { ...base, value: given && typeof value === 'boolean' ? value : c.default === true };
    }
    case ComponentType.StringSelect:
    case ComponentType.CheckboxGroup:
    case ComponentType.UserSelect:
    case ComponentType.RoleSelect:
    case ComponentType.MentionableSelect:
    case ComponentType.ChannelSelect:
    case ComponentType.FileUpload: {
      const withOptions = c.type === ComponentType.StringSelect || c.type === ComponentType.CheckboxGroup;
      if (given && !isStringList(value)) problems.push(`"${id}" is a ${what}: give an array of ${withOptions ? 'option values' : 'ids'}`);
      if (given && c.type === ComponentType.FileUpload) problems.push(`"${id}" is a file upload, which the stand-in does not model (forgedModalSubmit can send one)`);
      const defaults = withOptions
        ? options.filter((o) => o.default === true).map((o) => String(o.value))
        : asArray(c.default_values).filter(isRecord).map((d) => String(d.id));
      const values = given && isStringList(value) ? value : defaults;
      if (withOptions) for (const v of values) if (!isOption(v)) problems.push(`"${id}" has no option "${v}"`);
      for (const v of new Set(values.filter((v, i) => values.indexOf(v) !== i))) problems.push(`"${id}" has "${v}" more than once`);
      const min = int(c.min_values) ?? 1;
      const max = int(c.max_values) ?? (c.type === ComponentType.CheckboxGroup ? options.length : 1);
      if (values.length === 0) {
        if (required) problems.push(`"${id}" is required but nothing is picked`);
      } else if (values.length < min || values.length > max) {
        problems.push(`"${id}" takes ${min === max ? min : `${min} to ${max}`} value${max === 1 ? '' : 's'} (got ${values.length})`);
      }
      return { ...base, values };
    }
    default:
      problems.push(`"${id}" is a ${what}, which a modal submit cannot carry`);
      return base;
  }
}

/** The components' children in a modal: a label's component, a row's components. */
function children(c: JsonObject): JsonObject[] {
  if (isRecord(c.component)) return [c.component];
  return asArray(c.components).filter(isRecord);
}

/**
 * A copy of the layout with every component's `id` as Discord fills it in: the bot's own where it
 * gave one, otherwise the next number (from 1, in layout order) that no other component has.
 */
function withIds(layout: JsonObject[]): JsonObject[] {
  const copy = structuredClone(layout);
  const all: JsonObject[] = [];
  const visit = (c: JsonObject): void => {
    all.push(c);
    children(c).forEach(visit);
  };
  copy.forEach(visit);
  const own = (c: JsonObject): number | undefined => (int(c.id) !== undefined && (c.id as number) > 0 ? (c.id as number) : undefined);
  const taken = new Set(all.map(own).filter((id) => id !== undefined));
  let next = 0;
  for (const c of all) {
    if (own(c) !== undefined) continue;
    do next++;
    while (taken.has(next));
    c.id = next;
  }
  return copy;
}
