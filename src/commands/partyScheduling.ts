// Putting a watch party on the calendar: shared by `/watchparty schedule` and the "Schedule it"
// form under a chosen film, so both check, read `when` and announce the same way.
import { ChannelType, type ChatInputCommandInteraction, type ModalSubmitInteraction, PermissionFlagsBits } from 'discord.js';
import { BotMissingPermissionError } from '../discord/channels';
import { isClubModerator } from '../discord/clubModerators';
import { truncate } from '../discord/payload';
import { answer } from '../discord/respond';
import { UserFacingError } from '../errors';
import { memberTranslator, serverTranslator, type Translator } from '../i18n';
import { filmFacts } from '../films/model';
import { buildAnnouncement, whenProblem } from '../replies/schedule';
import type { PartyRequest } from '../schedule/partyService';
import { DEFAULT_ZONE, parseWhen } from '../schedule/time';
import { MAX_UPCOMING_PARTIES, PartyLimitError } from '../storage/parties';
import { resolveFilm } from './filmOption';
import type { Deps } from './types';

export const MAX_DURATION_MINUTES = 10_080;
/** From start to poll: ten hours covers any film and a break. */
export const MAX_LENGTH_MINUTES = 600;
/** When the film's runtime is unknown (a server or TMDB film without one). */
const DEFAULT_LENGTH_MINUTES = 120;
const partyLimitReached = (t: Translator) => t('party.limitReached', { max: MAX_UPCOMING_PARTIES });

export const PARTY_CHANNELS: (ChannelType.GuildText | ChannelType.GuildAnnouncement | ChannelType.GuildVoice | ChannelType.GuildStageVoice)[] = [
  ChannelType.GuildText,
  ChannelType.GuildAnnouncement,
  ChannelType.GuildVoice,
  ChannelType.GuildStageVoice,
];

export interface PartyOptions {
  /** A film id or a typed title. */
  film: string;
  when: string;
  /** Where members watch; default: the channel the party is announced in. */
  channel?: { id: string; type: ChannelType; name?: string | null } | null;
  length?: number | null;
  pollMinutes?: number | null;
}

type SchedulingInteraction = ChatInputCommandInteraction | ModalSubmitInteraction;

/** Checks, reads `when` in the server's zone, puts the party on the calendar and announces it where asked. */
export async function scheduleAndAnnounce(interaction: SchedulingInteraction, guildId: string, deps: Deps, options: PartyOptions): Promise<void> {
  // The refusals only the member sees are in their language; the party, its announcement, event,
  // "starting" message and poll, which the whole server reads, are in the server's, kept with it.
  const t = memberTranslator(interaction);
  const server = serverTranslator(interaction);
  assertMayHost(interaction, t('party.onlyHosts'));
  // Checked before anything is created, so a refusal is quick and private and leaves nothing behind.
  if (interaction.appPermissions && !interaction.appPermissions.has(PermissionFlagsBits.ManageEvents)) throw new UserFacingError(t('party.needsManageEvents'));
  if (interaction.appPermissions && !interaction.appPermissions.has([PermissionFlagsBits.SendMessages, PermissionFlagsBits.EmbedLinks])) {
    throw new UserFacingError(t('party.needsSendAndEmbed'));
  }
  const channelId = interaction.channelId;
  if (!channelId) throw new UserFacingError(t('party.fromAChannel'));
  if ((await deps.parties.upcoming(guildId)).length >= MAX_UPCOMING_PARTIES) throw new UserFacingError(partyLimitReached(t));
  const film = await resolveFilm(deps.films, guildId, options.film, t);
  const zone = (await deps.settings.get(guildId)).timezone ?? DEFAULT_ZONE;
  // Read in the language of the member who typed it, or in English.
  const when = await parseWhen(options.when, zone, deps.now(), t.locale);
  if (!when.ok) throw new UserFacingError(whenProblem(t, when.problem, options.when, zone));
  const facts = filmFacts(film);
  const length = options.length ?? facts.runtimeMinutes ?? DEFAULT_LENGTH_MINUTES;
  const pollMinutes = options.pollMinutes ?? 60;
  if (!Number.isInteger(length) || length < 1 || length > MAX_LENGTH_MINUTES) throw new UserFacingError(t('party.lengthRange', { max: MAX_LENGTH_MINUTES }));
  if (!Number.isInteger(pollMinutes) || pollMinutes < 1 || pollMinutes > MAX_DURATION_MINUTES) throw new UserFacingError(t('poll.durationRange', { max: MAX_DURATION_MINUTES }));
  const venue = partyVenue(server, options.channel ?? { id: channelId, type: ChannelType.GuildText, name: channelName(interaction) });
  let party;
  try {
    party = await deps.parties.schedule({
      locale: server.locale,
      guildId,
      channelId,
      hostId: interaction.user.id,
      film: { id: film.id, title: film.title, year: film.year, ...facts },
      venue: venue.venue,
      where: venue.where,
      startAt: when.at,
      lengthMs: length * 60_000,
      pollDurationMs: pollMinutes * 60_000,
    });
  } catch (error) {
    if (error instanceof BotMissingPermissionError) throw new UserFacingError(t('party.needsManageEvents'));
    if (error instanceof PartyLimitError) throw new UserFacingError(partyLimitReached(t));
    throw error;
  }
  const messageId = await answer(interaction, buildAnnouncement(server, deps.parties.view(guildId, party)));
  if (messageId) await deps.parties.attachAnnouncement(guildId, party.id, messageId);
}

/** `message` says what the member may not do, in their language. */
export function assertMayHost(interaction: { memberPermissions: ChatInputCommandInteraction['memberPermissions'] }, message: string): void {
  if (!isClubModerator(interaction.memberPermissions)) throw new UserFacingError(message);
}

/** A voice or stage channel hosts the event itself; a text channel is named as the event's place. */
function partyVenue(t: Translator, channel: { id: string; type: ChannelType; name?: string | null }): { venue: PartyRequest['venue']; where: string } {
  if (channel.type === ChannelType.GuildVoice) return { venue: { kind: 'voice', channelId: channel.id }, where: `in <#${channel.id}>` };
  if (channel.type === ChannelType.GuildStageVoice) return { venue: { kind: 'stage', channelId: channel.id }, where: `in <#${channel.id}>` };
  return { venue: { kind: 'external', location: truncate(channel.name ? `#${channel.name}` : t('party.thisServer'), 100) }, where: `in <#${channel.id}>` };
}

function channelName(interaction: SchedulingInteraction): string | undefined {
  const channel = interaction.channel;
  return channel && 'name' in channel ? (channel.name ?? undefined) : undefined;
}
