/**
 * Discord's documented payload limits for messages, components, autocomplete results and modals.
 * Violations are collected into a FormErrors (→ 400 `{code: 50035, message: 'Invalid Form Body'}`),
 * with the paths and error codes Discord uses, so the bot sees the same DiscordAPIError it would in
 * production.
 */
import { type FieldPath, type FormErrors, asArray, isRecord } from './util';
import type { JsonObject } from './types';

export const MessageFlags = {
  SuppressEmbeds: 1 << 2,
  Ephemeral: 1 << 6,
  Loading: 1 << 7,
  SuppressNotifications: 1 << 12,
  IsComponentsV2: 1 << 15,
} as const;

/** Discord's component types, as numbers in the JSON (the stand-in's own copy: it does not import discord.js). */
export const ComponentType = {
  ActionRow: 1,
  Button: 2,
  StringSelect: 3,
  TextInput: 4,
  UserSelect: 5,
  RoleSelect: 6,
  MentionableSelect: 7,
  ChannelSelect: 8,
  Section: 9,
  TextDisplay: 10,
  Label: 18,
  FileUpload: 19,
  RadioGroup: 21,
  CheckboxGroup: 22,
  Checkbox: 23,
} as const;
const AUTO_SELECTS = new Set([5, 6, 7, 8]); // user, role, mentionable, channel selects
const BUTTON_LINK = 5;
const BUTTON_PREMIUM = 6;

/** Discord counts Unicode code points, not UTF-16 units. */
const length = (text: string): number => [...text].length;

interface LengthRule {
  max: number;
  min?: number;
  required?: boolean;
}

function lengthMessage(rule: LengthRule): [string, string] {
  return rule.min !== undefined
    ? ['BASE_TYPE_BAD_LENGTH', `Must be between ${rule.min} and ${rule.max} in length.`]
    : ['BASE_TYPE_MAX_LENGTH', `Must be ${rule.max} or fewer in length.`];
}

/** Checks an optional-or-required string field. */
export function checkString(value: unknown, errors: FormErrors, path: FieldPath, rule: LengthRule): void {
  if (value === undefined || value === null) {
    if (rule.required) errors.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    return;
  }
  if (typeof value !== 'string') {
    errors.add(path, 'BASE_TYPE_STRING', `Could not interpret "${String(value)}" as string.`);
    return;
  }
  const n = length(value);
  if (n > rule.max || (rule.min !== undefined && n < rule.min)) errors.add(path, ...lengthMessage(rule));
}

/** Checks an optional-or-required array field; returns its items (or [] if absent/invalid). */
export function checkList(value: unknown, errors: FormErrors, path: FieldPath, rule: LengthRule): unknown[] {
  if (value === undefined || value === null) {
    if (rule.required) errors.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    return [];
  }
  if (!Array.isArray(value)) {
    errors.add(path, 'BASE_TYPE_ARRAY', 'Must be an array.');
    return [];
  }
  if (value.length > rule.max || (rule.min !== undefined && value.length < rule.min)) errors.add(path, ...lengthMessage(rule));
  return value;
}

function checkBoolean(value: unknown, errors: FormErrors, path: FieldPath): void {
  if (value !== undefined && value !== null && typeof value !== 'boolean') errors.add(path, 'BASE_TYPE_BOOLEAN', 'Must be either true or false.');
}

function checkIntRange(value: unknown, errors: FormErrors, path: FieldPath, min: number, max: number): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isInteger(value)) errors.add(path, 'NUMBER_TYPE_COERCE', `Value "${String(value)}" is not int.`);
  else if (value < min) errors.add(path, 'NUMBER_TYPE_MIN', `int value should be greater than or equal to ${min}.`);
  else if (value > max) errors.add(path, 'NUMBER_TYPE_MAX', `int value should be less than or equal to ${max}.`);
}

// ---------------------------------------------------------------------------------------------
// Messages

/**
 * Validates a message create/edit body (channel messages, webhook messages, callback types 4 and 7).
 * `path` prefixes error paths (callbacks report `data.content`, REST routes report `content`).
 */
export function checkMessageBody(body: JsonObject, errors: FormErrors, path: FieldPath = []): void {
  const flags = typeof body.flags === 'number' ? body.flags : 0;
  const componentsV2 = (flags & MessageFlags.IsComponentsV2) !== 0;
  if (componentsV2) {
    // With IS_COMPONENTS_V2 the text lives in Text Display components; the legacy fields are refused.
    for (const field of ['content', 'embeds'] as const) {
      const value = body[field];
      if (value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0)) {
        errors.add([...path, field], 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2', `The '${field}' field cannot be used when using MessageFlags.IS_COMPONENTS_V2`);
      }
    }
  }
  checkString(body.content, errors, [...path, 'content'], { max: 2000 });
  // A nonce is a string of at most 25 characters (or an integer).
  if (typeof body.nonce === 'string') checkString(body.nonce, errors, [...path, 'nonce'], { max: 25 });
  checkEmbeds(body.embeds, errors, [...path, 'embeds']);
  if (componentsV2) checkComponentsV2(body.components, errors, [...path, 'components']);
  else checkActionRows(body.components, errors, [...path, 'components'], 'message');
}

function checkEmbeds(value: unknown, errors: FormErrors, path: FieldPath): void {
  const embeds = checkList(value, errors, path, { max: 10 });
  let total = 0;
  const counted = (text: unknown): number => (typeof text === 'string' ? length(text) : 0);
  embeds.forEach((embed, i) => {
    const at = [...path, i];
    if (!isRecord(embed)) {
      errors.add(at, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
      return;
    }
    checkString(embed.title, errors, [...at, 'title'], { max: 256 });
    checkString(embed.description, errors, [...at, 'description'], { max: 4096 });
    checkIntRange(embed.color, errors, [...at, 'color'], 0, 0xffffff);
    total += counted(embed.title) + counted(embed.description);
    checkList(embed.fields, errors, [...at, 'fields'], { max: 25 }).forEach((field, j) => {
      const fieldRecord = isRecord(field) ? field : {};
      checkString(fieldRecord.name, errors, [...at, 'fields', j, 'name'], { max: 256, required: true });
      checkString(fieldRecord.value, errors, [...at, 'fields', j, 'value'], { max: 1024, required: true });
      total += counted(fieldRecord.name) + counted(fieldRecord.value);
    });
    if (isRecord(embed.footer)) {
      checkString(embed.footer.text, errors, [...at, 'footer', 'text'], { max: 2048, required: true });
      total += counted(embed.footer.text);
    }
    if (isRecord(embed.author)) {
      checkString(embed.author.name, errors, [...at, 'author', 'name'], { max: 256, required: true });
      total += counted(embed.author.name);
    }
  });
  if (total > 6000) errors.add(path, 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
}

/** True if the message would show anything; Discord refuses empty ones with 50006. */
export function hasVisibleContent(message: { content?: unknown; embeds?: unknown; components?: unknown; attachments?: unknown; sticker_ids?: unknown; poll?: unknown }): boolean {
  const nonEmpty = (value: unknown): boolean => Array.isArray(value) && value.length > 0;
  return (
    (typeof message.content === 'string' && message.content.length > 0) ||
    nonEmpty(message.embeds) ||
    nonEmpty(message.components) ||
    nonEmpty(message.attachments) ||
    nonEmpty(message.sticker_ids) ||
    isRecord(message.poll)
  );
}

// ---------------------------------------------------------------------------------------------
// Components

type Surface = 'message' | 'modal';

/** Legacy layout: up to 5 action rows, each up to 5 units wide (button = 1, select = 5). */
function checkActionRows(value: unknown, errors: FormErrors, path: FieldPath, surface: Surface): void {
  const rows = checkList(value, errors, path, { max: 5 });
  const customIds = new Set<string>();
  rows.forEach((row, i) => checkActionRow(row, errors, [...path, i], surface, customIds));
}

function checkActionRow(row: unknown, errors: FormErrors, path: FieldPath, surface: Surface, customIds: Set<string>): void {
  if (!isRecord(row) || row.type !== ComponentType.ActionRow) {
    errors.add([...path, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1,).');
    return;
  }
  const children = checkList(row.components, errors, [...path, 'components'], { min: 1, max: 5, required: true });
  let width = 0;
  children.forEach((child, j) => {
    width += checkComponent(child, errors, [...path, 'components', j], surface, customIds);
  });
  if (width > 5) errors.add([...path, 'components'], 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'The specified component exceeds the maximum width');
}

/** A custom_id of 1-100 characters, unique in its message or modal. */
function checkCustomId(c: JsonObject, errors: FormErrors, path: FieldPath, customIds: Set<string>): void {
  checkString(c.custom_id, errors, [...path, 'custom_id'], { min: 1, max: 100, required: true });
  if (typeof c.custom_id === 'string') {
    if (customIds.has(c.custom_id)) errors.add([...path, 'custom_id'], 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
    customIds.add(c.custom_id);
  }
}

/** Checks one interactive component and returns its width in an action row. */
function checkComponent(component: unknown, errors: FormErrors, path: FieldPath, surface: Surface, customIds: Set<string>): number {
  const c = isRecord(component) ? component : {};
  const allowed = surface === 'modal' ? '(3, 4, 5, 6, 7, 8)' : '(2, 3, 5, 6, 7, 8)';
  if (c.type === ComponentType.Button && surface === 'message') {
    const style = c.style;
    if (typeof style !== 'number' || style < 1 || style > 6) errors.add([...path, 'style'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3, 4, 5, 6}.');
    if (style === BUTTON_LINK) checkString(c.url, errors, [...path, 'url'], { max: 512, required: true });
    else if (style === BUTTON_PREMIUM) checkString(c.sku_id, errors, [...path, 'sku_id'], { max: 20, required: true });
    else checkCustomId(c, errors, path, customIds);
    checkString(c.label, errors, [...path, 'label'], { max: 80 });
    return 1;
  }
  if (c.type === ComponentType.StringSelect || (typeof c.type === 'number' && AUTO_SELECTS.has(c.type))) {
    checkCustomId(c, errors, path, customIds);
    checkString(c.placeholder, errors, [...path, 'placeholder'], { max: 150 });
    checkIntRange(c.min_values, errors, [...path, 'min_values'], 0, 25);
    checkIntRange(c.max_values, errors, [...path, 'max_values'], 1, 25);
    if (c.type === ComponentType.StringSelect) checkSelectOptions(c.options, errors, [...path, 'options']);
    return 5;
  }
  if (c.type === ComponentType.TextInput && surface === 'modal') {
    checkCustomId(c, errors, path, customIds);
    if (c.style !== 1 && c.style !== 2) errors.add([...path, 'style'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2}.');
    checkString(c.label, errors, [...path, 'label'], { max: 45 });
    checkIntRange(c.min_length, errors, [...path, 'min_length'], 0, 4000);
    checkIntRange(c.max_length, errors, [...path, 'max_length'], 1, 4000);
    checkString(c.value, errors, [...path, 'value'], { max: 4000 });
    checkString(c.placeholder, errors, [...path, 'placeholder'], { max: 100 });
    return 5;
  }
  errors.add([...path, 'type'], 'UNION_TYPE_CHOICES', `Value of field "type" must be one of ${allowed}.`);
  return 0;
}

function checkSelectOptions(value: unknown, errors: FormErrors, path: FieldPath): void {
  const values = new Set<string>();
  checkList(value, errors, path, { min: 1, max: 25, required: true }).forEach((option, i) => {
    const o = isRecord(option) ? option : {};
    checkString(o.label, errors, [...path, i, 'label'], { min: 1, max: 100, required: true });
    checkString(o.value, errors, [...path, i, 'value'], { min: 1, max: 100, required: true });
    checkString(o.description, errors, [...path, i, 'description'], { max: 100 });
    if (typeof o.value === 'string') {
      if (values.has(o.value)) errors.add([...path, i, 'value'], 'SELECT_COMPONENT_OPTION_VALUE_DUPLICATED', 'Select options values must be unique');
      values.add(o.value);
    }
  });
}

/**
 * Components V2 (flag IS_COMPONENTS_V2): any layout component may be top level, at most 40
 * components in total; action rows inside keep the legacy row rules.
 */
function checkComponentsV2(value: unknown, errors: FormErrors, path: FieldPath): void {
  const customIds = new Set<string>();
  let total = 0;
  const visit = (components: unknown[], at: FieldPath): void => {
    components.forEach((component, i) => {
      total++;
      const c = isRecord(component) ? component : {};
      if (c.type === ComponentType.ActionRow) {
        checkActionRow(c, errors, [...at, i], 'message', customIds);
        total += asArray(c.components).length;
        return;
      }
      if (c.type === ComponentType.TextDisplay) checkString(c.content, errors, [...at, i, 'content'], { min: 1, max: 4000, required: true });
      if (Array.isArray(c.components)) visit(c.components, [...at, i, 'components']);
      if (c.type === ComponentType.Section && isRecord(c.accessory)) {
        total++;
        if (c.accessory.type === ComponentType.Button) checkComponent(c.accessory, errors, [...at, i, 'accessory'], 'message', customIds);
      }
    });
  };
  visit(checkList(value, errors, path, { max: 40 }), path);
  if (total > 40) errors.add(path, 'COMPONENT_MAX_TOTAL_COMPONENTS_EXCEEDED', 'Total number of components cannot exceed 40');
}

// ---------------------------------------------------------------------------------------------
// Autocomplete results and modals

/** Callback type 8: `data.choices`, up to 25, names 1-100, string values up to 100. */
export function checkAutocompleteData(data: JsonObject, errors: FormErrors, path: FieldPath): void {
  checkList(data.choices, errors, [...path, 'choices'], { max: 25, required: true }).forEach((choice, i) => {
    const c = isRecord(choice) ? choice : {};
    checkString(c.name, errors, [...path, 'choices', i, 'name'], { min: 1, max: 100, required: true });
    if (typeof c.value === 'string') checkString(c.value, errors, [...path, 'choices', i, 'value'], { max: 100 });
    else if (typeof c.value !== 'number') errors.add([...path, 'choices', i, 'value'], 'BASE_TYPE_REQUIRED', 'This field is required');
  });
}

/**
 * Callback type 9: title 1-45, custom_id 1-100, 1-5 top-level components: Labels (18) around one
 * input each, Text Displays (10), or the older action rows of text inputs.
 */
export function checkModalData(data: JsonObject, errors: FormErrors, path: FieldPath): void {
  checkString(data.title, errors, [...path, 'title'], { min: 1, max: 45, required: true });
  checkString(data.custom_id, errors, [...path, 'custom_id'], { min: 1, max: 100, required: true });
  const customIds = new Set<string>();
  checkList(data.components, errors, [...path, 'components'], { min: 1, max: 5, required: true }).forEach((component, i) => {
    const c = isRecord(component) ? component : {};
    const at = [...path, 'components', i];
    if (c.type === ComponentType.ActionRow) checkActionRow(c, errors, at, 'modal', customIds);
    else if (c.type === ComponentType.Label) {
      checkString(c.label, errors, [...at, 'label'], { min: 1, max: 45, required: true });
      checkString(c.description, errors, [...at, 'description'], { max: 100 });
      checkLabelChild(c.component, errors, [...at, 'component'], customIds);
    } else if (c.type === ComponentType.TextDisplay) {
      checkString(c.content, errors, [...at, 'content'], { min: 1, max: 4000, required: true });
    } else {
      errors.add([...at, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1, 10, 18).');
    }
  });
}

/*
 * Beyond lengths and types, Discord documents rules for modal inputs without documenting the error
 * codes it answers with; the codes below for those (min/max values, defaults, duplicated option
 * values, `disabled`) are the stand-in's own names, on the field Discord would name.
 */

/** A Label's one component: text input, a select, file upload, radio group, checkbox group or checkbox. */
function checkLabelChild(component: unknown, errors: FormErrors, path: FieldPath, customIds: Set<string>): void {
  if (!isRecord(component)) {
    if (component === undefined || component === null) errors.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    else errors.add(path, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
    return;
  }
  const c = component;
  if (c.type !== ComponentType.Checkbox) checkBoolean(c.required, errors, [...path, 'required']);
  switch (c.type) {
    case ComponentType.TextInput:
      checkComponent(c, errors, path, 'modal', customIds);
      return;
    case ComponentType.FileUpload:
      checkCustomId(c, errors, path, customIds);
      checkIntRange(c.min_values, errors, [...path, 'min_values'], 0, 10);
      checkIntRange(c.max_values, errors, [...path, 'max_values'], 1, 10);
      checkValueCounts(c, errors, path, { defaultMax: 1 });
      return;
    case ComponentType.RadioGroup: {
      checkCustomId(c, errors, path, customIds);
      const { defaults } = checkGroupOptions(c.options, errors, [...path, 'options'], 2);
      if (defaults > 1) errors.add([...path, 'options'], 'RADIO_GROUP_TOO_MANY_DEFAULTS', 'A radio group can have at most one default option');
      return;
    }
    case ComponentType.CheckboxGroup: {
      checkCustomId(c, errors, path, customIds);
      const { count, defaults } = checkGroupOptions(c.options, errors, [...path, 'options'], 1);
      checkIntRange(c.min_values, errors, [...path, 'min_values'], 0, 10);
      checkIntRange(c.max_values, errors, [...path, 'max_values'], 1, 10);
      checkValueCounts(c, errors, path, { options: count, defaults, defaultsField: 'options', defaultMax: count });
      return;
    }
    case ComponentType.Checkbox:
      checkCustomId(c, errors, path, customIds);
      checkBoolean(c.default, errors, [...path, 'default']);
      return;
    default:
      if (c.type === ComponentType.StringSelect || (typeof c.type === 'number' && AUTO_SELECTS.has(c.type))) {
        checkComponent(c, errors, path, 'modal', customIds);
        // Modals can have no disabled components.
        if (c.disabled !== undefined) errors.add([...path, 'disabled'], 'COMPONENT_DISABLED_IN_MODAL', 'Components in a modal cannot be disabled');
        const options = c.type === ComponentType.StringSelect ? asArray(c.options) : undefined;
        const defaults = options ? options.filter((o) => isRecord(o) && o.default === true).length : asArray(c.default_values).length;
        checkValueCounts(c, errors, path, { ...(options ? { options: options.length } : {}), defaults, defaultsField: options ? 'options' : 'default_values', defaultMax: 1 });
        return;
      }
      errors.add([...path, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (3, 4, 5, 6, 7, 8, 19, 21, 22, 23).');
  }
}

/** Radio group (2-10) and checkbox group (1-10) options: value and label 1-100, unique values. */
function checkGroupOptions(value: unknown, errors: FormErrors, path: FieldPath, min: number): { count: number; defaults: number } {
  const values = new Set<string>();
  let defaults = 0;
  const options = checkList(value, errors, path, { min, max: 10, required: true });
  options.forEach((option, i) => {
    const o = isRecord(option) ? option : {};
    checkString(o.value, errors, [...path, i, 'value'], { min: 1, max: 100, required: true });
    checkString(o.label, errors, [...path, i, 'label'], { min: 1, max: 100, required: true });
    checkString(o.description, errors, [...path, i, 'description'], { max: 100 });
    checkBoolean(o.default, errors, [...path, i, 'default']);
    if (o.default === true) defaults++;
    if (typeof o.value === 'string') {
      if (values.has(o.value)) errors.add([...path, i, 'value'], 'COMPONENT_OPTION_VALUE_DUPLICATED', 'Option values must be unique');
      values.add(o.value);
    }
  });
  return { count: options.length, defaults };
}

/**
 * min_values/max_values of a modal input that takes several values: min at most max, neither
 * above the number of options, min at least 1 when the input is required (the default), and no
 * more defaults than max.
 */
function checkValueCounts(c: JsonObject, errors: FormErrors, path: FieldPath, limits: { options?: number; defaults?: number; defaultsField?: string; defaultMax: number }): void {
  const int = (value: unknown): number | undefined => (typeof value === 'number' && Number.isInteger(value) ? value : undefined);
  const min = int(c.min_values);
  const max = int(c.max_values);
  if (min !== undefined && max !== undefined && min > max) {
    errors.add([...path, 'min_values'], 'COMPONENT_MIN_VALUES_ABOVE_MAX_VALUES', 'min_values cannot be greater than max_values');
  }
  if (limits.options !== undefined) {
    if (max !== undefined && max > limits.options) errors.add([...path, 'max_values'], 'COMPONENT_MAX_VALUES_ABOVE_OPTIONS', 'max_values cannot be greater than the number of options');
    if (min !== undefined && min > limits.options) errors.add([...path, 'min_values'], 'COMPONENT_MIN_VALUES_ABOVE_OPTIONS', 'min_values cannot be greater than the number of options');
  }
  if (c.required !== false && min === 0) errors.add([...path, 'min_values'], 'COMPONENT_REQUIRED_MIN_VALUES_ZERO', 'min_values must be at least 1 when the component is required');
  if (limits.defaults !== undefined && limits.defaults > (max ?? limits.defaultMax)) {
    errors.add([...path, limits.defaultsField ?? 'options'], 'COMPONENT_TOO_MANY_DEFAULTS', 'There cannot be more default values than max_values');
  }
}
