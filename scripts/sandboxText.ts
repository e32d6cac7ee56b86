// Text rendering and parsing for the sandbox: a message as a member would read it, and
// a typed slash command line turned into interaction options.

interface OptionDefinition {
  name: string;
  type: number;
  required?: boolean;
  options?: OptionDefinition[];
}

interface CommandDefinition {
  name: string;
  options?: OptionDefinition[];
}

const SUBCOMMAND = 1;
const INTEGER = 4;
const BOOLEAN = 5;
const NUMBER = 10;

/** Parses `/watchparty start film:her smell duration:5` against the registered definitions. */
export function parseSlashLine(line: string, definitions: CommandDefinition[]): { name: string; options: unknown[] } {
  const [name = '', ...words] = line.slice(1).trim().split(/\s+/);
  const command = definitions.find((definition) => definition.name === name);
  if (!command) throw new Error(`No command /${name}. Registered: ${definitions.map((definition) => `/${definition.name}`).join(', ')}`);
  let rest = words.join(' ');
  let level = command.options ?? [];
  const subcommand = level.find((option) => option.type === SUBCOMMAND && (rest === option.name || rest.startsWith(`${option.name} `)));
  if (level.some((option) => option.type === SUBCOMMAND) && !subcommand) {
    throw new Error(`/${name} needs one of: ${level.map((option) => option.name).join(', ')}`);
  }
  if (subcommand) {
    rest = rest.slice(subcommand.name.length).trim();
    level = subcommand.options ?? [];
  }
  const values = parseValues(rest, level);
  return { name, options: subcommand ? [{ name: subcommand.name, type: SUBCOMMAND, options: values }] : values };
}

function parseValues(text: string, definitions: OptionDefinition[]): unknown[] {
  if (text === '') return [];
  const names = definitions.map((definition) => definition.name);
  const pattern = new RegExp(`(?:^|\\s)(${names.join('|')}):`, 'g');
  const marks = [...text.matchAll(pattern)];
  // A bare value (`/film her-smell`) goes to the first option, as Discord's picker would.
  if (marks.length === 0 && definitions[0]) return [typed(definitions[0], text)];
  return marks.map((mark, i) => {
    const start = mark.index! + mark[0].length;
    const end = marks[i + 1]?.index ?? text.length;
    const definition = definitions.find((candidate) => candidate.name === mark[1])!;
    return typed(definition, text.slice(start, end).trim());
  });
}

function typed(definition: OptionDefinition, raw: string): unknown {
  const value = definition.type === INTEGER ? Number.parseInt(raw, 10) : definition.type === NUMBER ? Number(raw) : definition.type === BOOLEAN ? raw === 'true' : raw;
  return { name: definition.name, type: definition.type, value };
}

interface RenderableMessage {
  content?: string;
  embeds: { title?: string; author?: { name: string }; description?: string; fields?: { name: string; value: string }[]; footer?: { text: string } }[];
  components: { components: { type: number; label?: string; placeholder?: string; options?: { label: string }[] }[] }[];
  ephemeral: boolean;
}

/** A message as text: ephemeral marker, content, embeds and their fields, buttons and menus. */
export function renderMessage(message: RenderableMessage): string {
  const lines: string[] = [];
  if (message.ephemeral) lines.push('[only you can see this]');
  if (message.content) lines.push(message.content);
  for (const embed of message.embeds) {
    lines.push('┌──────');
    if (embed.author) lines.push(`│ ${embed.author.name}`);
    if (embed.title) lines.push(`│ ${embed.title}`);
    if (embed.description) lines.push(...embed.description.split('\n').map((line) => `│ ${line}`));
    for (const field of embed.fields ?? []) {
      lines.push(`│ ${field.name}`);
      lines.push(...field.value.split('\n').map((line) => `│   ${line}`));
    }
    if (embed.footer) lines.push(`│ — ${embed.footer.text}`);
    lines.push('└──────');
  }
  for (const row of message.components) {
    for (const component of row.components) {
      if (component.type === 2) lines.push(`[ ${component.label} ]`);
      else lines.push(`<${component.placeholder ?? 'menu'}: ${(component.options ?? []).map((option) => option.label).join(' | ')}>`);
    }
  }
  return lines.join('\n');
}

interface ModalDefinition {
  title: string;
  components: { type: number; label?: string; description?: string; component?: { custom_id: string; required?: boolean; value?: string }; components?: { custom_id: string; required?: boolean; value?: string }[] }[];
}

/** A form the bot opened, as the fields a member would fill in, and how to send it from the prompt. */
export function renderModal(modal: ModalDefinition): string {
  const inputs = modal.components.flatMap((row) => (row.component ? [{ label: row.label ?? row.component.custom_id, input: row.component }] : (row.components ?? []).map((input) => ({ label: input.custom_id, input }))));
  const lines = inputs.map(({ label, input }) => `│ ${label}${input.required ? ' *' : ''} (${input.custom_id})${input.value ? `: ${input.value}` : ''}`);
  return [`┌ form: ${modal.title}`, ...lines, `└ fill it in with .form ${inputs.map(({ input }) => `${input.custom_id}=…`).join('; ')}   (* required)`].join('\n');
}

/**
 * `title=Local Hero; year=1983` into values by input id; inputs left out are sent untouched, as
 * the client sends them. `yes`/`no` tick a checkbox (`spoilers=yes`).
 */
export function parseFormLine(text: string, inputs: string[]): Record<string, string | boolean> {
  const values: Record<string, string | boolean> = {};
  for (const part of text.split(';')) {
    if (part.trim() === '') continue;
    const at = part.indexOf('=');
    const name = (at < 0 ? part : part.slice(0, at)).trim();
    if (at < 0 || !inputs.includes(name)) throw new Error(`The form has ${inputs.join(', ')}: write them as name=value; name=value`);
    const value = part.slice(at + 1).trim();
    values[name] = value === 'yes' ? true : value === 'no' ? false : value;
  }
  return values;
}
