// Makes every outgoing payload safe: nobody pinged, nothing over Discord's documented limits.
import type { APIEmbed, APIEmbedField } from 'discord.js';

export const LIMITS = {
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  embedTotal: 6000,
  choiceName: 100,
  choices: 25,
} as const;

/** Mentions in any text we send are rendered but never notify (no @everyone, roles or users). */
export const NO_MENTIONS = { parse: [] as never[] };

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max - 1).trimEnd()}…`;
}

export function safeField(field: APIEmbedField): APIEmbedField {
  return {
    name: truncate(field.name || '\u200b', LIMITS.fieldName),
    value: truncate(field.value || '\u200b', LIMITS.fieldValue),
    ...(field.inline ? { inline: true } : {}),
  };
}

/** Trims an embed to Discord's limits, dropping trailing fields if the total would exceed 6,000. */
export function safeEmbed(embed: APIEmbed): APIEmbed {
  const out: APIEmbed = { ...embed };
  if (out.title) out.title = truncate(out.title, LIMITS.embedTitle);
  if (out.description) out.description = truncate(out.description, LIMITS.embedDescription);
  if (out.footer) out.footer = { ...out.footer, text: truncate(out.footer.text, LIMITS.footer) };
  if (out.author) out.author = { ...out.author, name: truncate(out.author.name, LIMITS.authorName) };
  const fields = (out.fields ?? []).slice(0, LIMITS.embedFields).map(safeField);
  let total = (out.title?.length ?? 0) + (out.description?.length ?? 0) + (out.footer?.text.length ?? 0) + (out.author?.name.length ?? 0);
  out.fields = [];
  for (const field of fields) {
    total += field.name.length + field.value.length;
    if (total > LIMITS.embedTotal) break;
    out.fields.push(field);
  }
  return out;
}

/** Neutralises text a member typed before we echo it: no mentions, no markdown surprises, bounded. */
export function quoteUserText(text: string, max = 100): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return truncate(flat, max).replace(/[`*_~|>\\]/g, '\\$&').replace(/@/g, '@\u200b');
}
