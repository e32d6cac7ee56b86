// Answers interactions inside Discord's 3-second deadline however slow the work behind them is:
// an answer that is not ready in time is deferred, and then fills in the deferral.
import { memberTranslator } from '../i18n';
import {
  type APIMessage,
  type APIModalInteractionResponseCallbackData,
  type ChatInputCommandInteraction,
  type Client,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  type InteractionUpdateOptions,
  type MessageComponentInteraction,
  MessageFlags,
  MessagePayload,
  type RepliableInteraction,
  type REST,
  Routes,
} from 'discord.js';
import { UserFacingError } from '../errors';
import { NO_MENTIONS } from './payload';

/** How an interaction is acknowledged when its answer is late: as a reply anyone or only the member sees, or as an edit of the component's message. */
export type Deferral = 'public' | 'ephemeral' | 'update';

/** Discord shows "This interaction failed" when the first response comes later than this after its dispatch. */
export const DISCORD_DEADLINE_MS = 3_000;

// Discord's 3 s count from its dispatch; the bot sees the interaction a little later and the
// deferral is one more round trip, so it goes out well before.
export const DEFER_AFTER_MS = 1_500;

/**
 * Discord does not count interaction webhooks against a bot's global rate limit, but discord.js's
 * REST client counts every request it sends against its 50 a second. Filled in through it, a burst
 * of deferred answers took up to 44 s (measured by the bench). So everything sent to an
 * interaction's webhook after its first response (a deferral filled in, a follow-up) goes through
 * a REST client of its own, without that cap (see `sendWebhooksThrough`).
 */
const webhookRests = new WeakMap<Client, REST>();

export function sendWebhooksThrough(client: Client, rest: REST): void {
  webhookRests.set(client, rest);
}

/** Edits the deferred reply (or the component's message, for a deferred update) with the answer. */
async function fillDeferral(interaction: RepliableInteraction | MessageComponentInteraction, payload: InteractionEditReplyOptions): Promise<string> {
  const rest = webhookRests.get(interaction.client);
  if (!rest) return (await interaction.editReply(payload)).id;
  const { body, files } = await MessagePayload.create(interaction.webhook, payload).resolveBody().resolveFiles();
  const message = (await rest.patch(Routes.webhookMessage(interaction.applicationId, interaction.token, '@original'), { body, files: files ?? undefined, auth: false })) as APIMessage;
  return message.id;
}

/** Sends a follow-up message, as `interaction.followUp` does. */
export async function sendFollowUp(interaction: RepliableInteraction | MessageComponentInteraction, payload: InteractionReplyOptions): Promise<void> {
  const rest = webhookRests.get(interaction.client);
  if (!rest) {
    await interaction.followUp(payload);
    return;
  }
  const { body, files } = await MessagePayload.create(interaction.webhook, payload).resolveBody().resolveFiles();
  await rest.post(Routes.webhook(interaction.applicationId, interaction.token), { body, files: files ?? undefined, auth: false, query: new URLSearchParams({ wait: 'true' }) });
}

const deferrals = new WeakMap<object, { how: Deferral; sent: Promise<unknown> }>();
// Set synchronously when an answer starts, so the deferral timer never races a reply in flight
// (discord.js marks an interaction replied only once its request has returned).
const answering = new WeakSet<object>();
// When Discord accepted each interaction's first response (performance.now()), so that answers
// after its 3 s deadline can be counted: the router reports them as late.
const acknowledged = new WeakMap<object, number>();

/** When the interaction's first response (a deferral or the answer) was accepted, if one went through this module. */
export function acknowledgedAt(interaction: object): number | undefined {
  return acknowledged.get(interaction);
}

function noteAcknowledged(interaction: object): void {
  if (!acknowledged.has(interaction)) acknowledged.set(interaction, performance.now());
}

/** Defers the interaction unless an answer has started within `afterMs`; returns a cancel function. */
export function deferIfSlow(interaction: RepliableInteraction, how: Deferral, afterMs = DEFER_AFTER_MS): () => void {
  const timer = setTimeout(() => {
    if (answering.has(interaction) || interaction.deferred || interaction.replied) return;
    const sent = how === 'update' && interaction.isMessageComponent() ? interaction.deferUpdate() : interaction.deferReply(how === 'ephemeral' ? { flags: MessageFlags.Ephemeral } : {});
    deferrals.set(interaction, { how, sent: sent.then(() => noteAcknowledged(interaction)).catch(() => undefined) });
  }, afterMs);
  return () => clearTimeout(timer);
}

/**
 * Defers at once, for a command known to take longer than the deadline (a file to download and
 * read): `answer` and errors then fill in the deferral, as after `deferIfSlow`.
 */
export async function deferNow(interaction: RepliableInteraction, how: 'public' | 'ephemeral'): Promise<void> {
  if (deferrals.has(interaction) || answering.has(interaction)) return;
  answering.add(interaction);
  const sent = interaction.deferReply(how === 'ephemeral' ? { flags: MessageFlags.Ephemeral } : {}).then(() => noteAcknowledged(interaction));
  deferrals.set(interaction, { how, sent: sent.catch(() => undefined) });
  await sent;
}

/** Sends the answer, as the reply or into the deferral; resolves with the message id when known. */
export async function answer(interaction: RepliableInteraction, payload: InteractionReplyOptions): Promise<string | undefined> {
  const deferral = deferrals.get(interaction);
  if (deferral) {
    await deferral.sent;
    // Visibility was fixed by the deferral, so the answer's own flags are left out.
    const { flags: _flags, ...edit } = payload;
    return fillDeferral(interaction, edit as InteractionEditReplyOptions);
  }
  answering.add(interaction);
  const response = await interaction.reply({ ...payload, withResponse: true });
  noteAcknowledged(interaction);
  return response.resource?.message?.id;
}

/**
 * Opens a form. It must be the interaction's first response, so once a slow handler was deferred
 * the member is asked to try again (the form opens at once then: storage answers from memory).
 */
export async function answerWithModal(interaction: ChatInputCommandInteraction | MessageComponentInteraction, modal: APIModalInteractionResponseCallbackData): Promise<void> {
  if (deferrals.has(interaction)) throw new UserFacingError(memberTranslator(interaction)('common.formTooSlow'));
  answering.add(interaction);
  await interaction.showModal(modal);
  noteAcknowledged(interaction);
}

/** Edits the message a button or menu is on, directly or through a deferred update. */
export async function answerWithUpdate(interaction: MessageComponentInteraction, payload: InteractionUpdateOptions): Promise<void> {
  const deferral = deferrals.get(interaction);
  if (deferral) {
    await deferral.sent;
    await fillDeferral(interaction, payload as InteractionEditReplyOptions);
    return;
  }
  answering.add(interaction);
  await interaction.update(payload);
  noteAcknowledged(interaction);
}

/** Tells the member what went wrong, only them when Discord still allows it. */
export async function answerWithError(interaction: RepliableInteraction, content: string): Promise<void> {
  const deferral = deferrals.get(interaction);
  if (deferral) await deferral.sent;
  const payload = { content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS } as const;
  if (interaction.replied || deferral?.how === 'update') {
    await sendFollowUp(interaction, payload);
  } else if (interaction.deferred) {
    // A deferred reply can only be filled in with the visibility it was deferred with (the first
    // follow-up does the same); deleting it would end the interaction. So a command that was slow
    // and then failed shows its error where its answer would have been.
    await fillDeferral(interaction, { content, allowedMentions: NO_MENTIONS });
  } else {
    answering.add(interaction);
    await interaction.reply(payload);
    noteAcknowledged(interaction);
  }
}
