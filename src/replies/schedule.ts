// Pure builders for scheduled watch parties, the daily quote and /settings.
import { type APIEmbed, escapeMarkdown, type InteractionReplyOptions, MessageFlags } from 'discord.js';
import { filmLabel, type Titled } from '../data/catalog';
import type { ChannelMessage } from '../discord/channels';
import { NO_MENTIONS, safeEmbed, truncate } from '../discord/payload';
import type { Translator } from '../i18n';
import { FILM_COLOUR } from './film';

const unix = (ms: number) => Math.floor(ms / 1000);
export const eventLink = (guildId: string, eventId: string) => `https://discord.com/events/${guildId}/${eventId}`;

/** Discord caps an event's name at 100 characters and its description at 1,000. */
export function eventName(t: Translator, film: Pick<Titled, 'title' | 'year'>): string {
  return truncate(t('party.title', { film: filmLabel(film) }), 100);
}

export function eventDescription(t: Translator, facts: { synopsis?: string | undefined; runtimeMinutes?: number | undefined }): string {
  const after = t('party.eventPollAfter');
  const text = facts.runtimeMinutes ? `${t('party.eventRuntime', { minutes: facts.runtimeMinutes })} ${after}` : after;
  const tail = `\n\n${text}`;
  return facts.synopsis ? `${truncate(facts.synopsis, 1000 - tail.length)}${tail}` : text;
}

/**
 * Where a party happens, in the reader's words. Parties keep it as the English announcement said
 * it ("in <#channel>"), so records from before translations read the same; any other text is shown as kept.
 */
export function whereText(t: Translator, where: string): string {
  const channel = /^in (<#\d+>)$/.exec(where)?.[1];
  return channel ? t('party.inChannel', { channel }) : where;
}

export interface PartyView {
  guildId: string;
  eventId: string;
  film: Pick<Titled, 'title' | 'year'>;
  startAt: number;
  pollAt: number;
  /** Where it happens, in words or as a channel mention. */
  where: string;
}

/** Why a party was called off, said on its announcement in the party's language. */
export type CancelReason =
  | { kind: 'by-member'; userId: string }
  | { kind: 'event-cancelled' }
  | { kind: 'event-deleted' }
  | { kind: 'event-gone' }
  | { kind: 'channel-gone' };

export function cancelReasonText(t: Translator, why: CancelReason): string {
  if (why.kind === 'by-member') return t('party.cancelledBy', { member: why.userId });
  return t({ 'event-cancelled': 'party.eventCancelled', 'event-deleted': 'party.eventDeleted', 'event-gone': 'party.eventGone', 'channel-gone': 'party.channelGone' }[why.kind]);
}

/** The public announcement where the party was scheduled: everyone reads the time in their own zone. */
export function buildAnnouncement(t: Translator, party: PartyView): InteractionReplyOptions & ChannelMessage {
  return { embeds: [announcementEmbed(t, party, false)], allowedMentions: NO_MENTIONS };
}

export function buildCancelledAnnouncement(t: Translator, party: PartyView, why: CancelReason): ChannelMessage {
  return { embeds: [announcementEmbed(t, party, cancelReasonText(t, why))], allowedMentions: NO_MENTIONS };
}

function announcementEmbed(t: Translator, party: PartyView, cancelled: string | false): APIEmbed {
  const film = filmLabel(party.film);
  const title = cancelled ? t('party.cancelledTitle', { film }) : t('party.title', { film });
  const lines = cancelled
    ? [`~~<t:${unix(party.startAt)}:F>~~`, cancelled]
    : [
        t('party.starts', { at: unix(party.startAt), where: whereText(t, party.where) }),
        t('party.pollOpensHere', { at: unix(party.pollAt) }),
        t('party.eventInCalendar', { link: eventLink(party.guildId, party.eventId) }),
      ];
  return safeEmbed({ title, description: lines.join('\n'), color: FILM_COLOUR });
}

export function buildStarting(t: Translator, film: Pick<Titled, 'title'>, pollAt: number): ChannelMessage {
  return { content: t('party.starting', { title: film.title, at: unix(pollAt) }), allowedMentions: NO_MENTIONS };
}

export function whenProblem(t: Translator, problem: 'unreadable' | 'no-time' | 'past' | 'too-far', typed: string, zone: string): string {
  const shown = escapeMarkdown(truncate(typed.replace(/\s+/g, ' ').trim(), 60));
  const lead = t({ unreadable: 'party.when.unreadable', 'no-time': 'party.when.noTime', past: 'party.when.past', 'too-far': 'party.when.tooFar' }[problem], { typed: shown });
  return `${lead} ${t('party.when.try', { examples: t('party.when.examples'), zone })}`;
}

export interface SettingsView {
  timezone: string;
  /** `paused`: why it stopped, as kept (a reason code, or a sentence from before translations). */
  dailyQuote?: { channelId: string; time: string; paused?: string | undefined } | undefined;
  memberQuotes: boolean;
  /** The role members need to suggest films, if the server set one. */
  suggestRoleId?: string | undefined;
}

/** Why a daily quote stopped, kept as a code so each reader sees it in their language. */
export const PAUSE_REASONS = ['deleted', 'no-access', 'no-permission'] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];
const pauseKey = { deleted: 'settings.paused.deleted', 'no-access': 'settings.paused.noAccess', 'no-permission': 'settings.paused.noPermission' } as const;

export function pauseReasonText(t: Translator, reason: string): string {
  return (PAUSE_REASONS as readonly string[]).includes(reason) ? t(pauseKey[reason as PauseReason]) : reason;
}

export function buildSettings(t: Translator, settings: SettingsView): InteractionReplyOptions {
  const daily = settings.dailyQuote;
  const quote = daily
    ? daily.paused
      ? t('settings.show.dailyQuotePaused', { channel: daily.channelId, time: daily.time, reason: pauseReasonText(t, daily.paused) })
      : t('settings.show.dailyQuoteAt', { channel: daily.channelId, time: daily.time })
    : t('settings.show.dailyQuoteOff');
  return {
    embeds: [safeEmbed({ title: t('settings.show.title'), color: FILM_COLOUR, fields: [
          { name: t('settings.show.timeZone'), value: settings.timezone },
          { name: t('settings.show.dailyQuote'), value: quote },
          { name: t('settings.show.memberQuotes'), value: settings.memberQuotes ? t('settings.show.memberQuotesOn') : t('settings.show.memberQuotesOff') },
          { name: t('settings.show.whoSuggests'), value: settings.suggestRoleId ? t('settings.show.suggestRole', { role: settings.suggestRoleId }) : t('settings.show.suggestEveryone') },
        ],
      }),
    ],
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  };
}

/** The open polls' embed may take 4,096 of the 6,000 characters two embeds share; the parties get the rest. */
const PARTIES_BUDGET = 1_700;

/** `/watchparty status`: the upcoming parties beside the open polls. */
export function buildStatus(t: Translator, polls: InteractionReplyOptions, parties: PartyView[]): InteractionReplyOptions {
  if (parties.length === 0) return polls;
  // Both embeds share Discord's 6,000 characters: the parties get a fixed share, whole lines only.
  const lines: string[] = [];
  let used = 0;
  for (const [i, party] of parties.entries()) {
    const line = t('party.statusLine', { film: filmLabel(party.film), at: unix(party.startAt), where: whereText(t, party.where), link: eventLink(party.guildId, party.eventId) });
    if (used + line.length + 30 > PARTIES_BUDGET) {
      lines.push(t('party.andMore', { more: parties.length - i }));
      break;
    }
    lines.push(line);
    used += line.length + 1;
  }
  const upcoming = safeEmbed({ title: t('party.upcomingTitle'), description: lines.join('\n'), color: FILM_COLOUR });
  // With no poll open, the polls' answer is a line of text: it stays, under the parties.
  return { ...polls, embeds: [upcoming, ...((polls.embeds ?? []) as APIEmbed[])] };
}
