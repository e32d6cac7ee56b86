// Pure builders for scheduled watch parties, the daily quote and /settings.
import { type APIEmbed, escapeMarkdown, type InteractionReplyOptions, MessageFlags } from 'discord.js';
import { filmLabel, type Titled } from '../data/catalog';
import type { ChannelMessage } from '../discord/channels';
import { NO_MENTIONS, safeEmbed, truncate } from '../discord/payload';
import { FILM_COLOUR } from './film';

const unix = (ms: number) => Math.floor(ms / 1000);
export const eventLink = (guildId: string, eventId: string) => `https://discord.com/events/${guildId}/${eventId}`;

/** Discord caps an event's name at 100 characters and its description at 1,000. */
export function eventName(film: Pick<Titled, 'title' | 'year'>): string {
  return truncate(`Watch party: ${filmLabel(film)}`, 100);
}

export function eventDescription(facts: { synopsis?: string | undefined; runtimeMinutes?: number | undefined }): string {
  const runtime = facts.runtimeMinutes ? `Runtime: ${facts.runtimeMinutes} min. ` : '';
  const after = 'When it ends, Reelside opens a rating poll in the channel.';
  const tail = `\n\n${runtime}${after}`;
  return facts.synopsis ? `${truncate(facts.synopsis, 1000 - tail.length)}${tail}` : `${runtime}${after}`;
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

/** The public announcement where the party was scheduled: everyone reads the time in their own zone. */
export function buildAnnouncement(party: PartyView): InteractionReplyOptions & ChannelMessage {
  return { embeds: [announcementEmbed(party, false)], allowedMentions: NO_MENTIONS };
}

export function buildCancelledAnnouncement(party: PartyView, why: string): ChannelMessage {
  return { embeds: [announcementEmbed(party, why)], allowedMentions: NO_MENTIONS };
}

function announcementEmbed(party: PartyView, cancelled: string | false): APIEmbed {
  const title = `${cancelled ? 'Cancelled: ' : ''}Watch party: ${filmLabel(party.film)}`;
  const lines = cancelled
    ? [`~~<t:${unix(party.startAt)}:F>~~`, cancelled]
    : [
        `Starts <t:${unix(party.startAt)}:F> (<t:${unix(party.startAt)}:R>) ${party.where}.`,
        `The rating poll opens here when the film ends, <t:${unix(party.pollAt)}:t>.`,
        `[Event in the server’s calendar](${eventLink(party.guildId, party.eventId)}): mark yourself Interested for a reminder.`,
      ];
  return safeEmbed({ title, description: lines.join('\n'), color: FILM_COLOUR });
}

export function buildStarting(film: Pick<Titled, 'title'>, pollAt: number): ChannelMessage {
  return { content: `🎬 **${film.title}** is starting. The rating poll opens here <t:${unix(pollAt)}:R>.`, allowedMentions: NO_MENTIONS };
}

export const WHEN_EXAMPLES = '`2026-12-05 20:30`, `20:30`, `tomorrow 8pm`, `friday 20:30`, `in 90 minutes`, `in 2h`';

export function whenProblem(problem: 'unreadable' | 'no-time' | 'past' | 'too-far', typed: string, zone: string): string {
  const shown = escapeMarkdown(truncate(typed.replace(/\s+/g, ' ').trim(), 60));
  const lead = {
    unreadable: `I can't read “${shown}” as a time.`,
    'no-time': `“${shown}” needs a time of day.`,
    past: `“${shown}” is in the past.`,
    'too-far': `“${shown}” is more than a year ahead.`,
  }[problem];
  return `${lead} Try ${WHEN_EXAMPLES} (times are in this server's time zone, ${zone}; \`/settings timezone\` changes it). Nothing was scheduled.`;
}

export interface SettingsView {
  timezone: string;
  dailyQuote?: { channelId: string; time: string; paused?: string | undefined } | undefined;
  memberQuotes: boolean;
  /** The role members need to suggest films, if the server set one. */
  suggestRoleId?: string | undefined;
}

export function buildSettings(settings: SettingsView): InteractionReplyOptions {
  const quote = settings.dailyQuote
    ? `<#${settings.dailyQuote.channelId}> at ${settings.dailyQuote.time}${settings.dailyQuote.paused ? ` — **paused**: ${settings.dailyQuote.paused}. Set it again with \`/settings daily-quote\`.` : ''}`
    : 'off (`/settings daily-quote` turns it on)';
  return {
    embeds: [safeEmbed({ title: 'Reelside settings', color: FILM_COLOUR, fields: [
          { name: 'Time zone', value: settings.timezone },
          { name: 'Daily quote', value: quote },
          { name: 'Member quotes', value: settings.memberQuotes ? 'on: quotes also come from members’ reviews' : 'off (`/settings member-quotes enabled:True` turns them on)' },
          { name: 'Who may suggest films', value: settings.suggestRoleId ? `members with <@&${settings.suggestRoleId}>, and moderators (\`/settings suggest-role-off\` lets everyone)` : 'everyone (`/settings suggest-role` limits it to a role)' },
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
export function buildStatus(polls: InteractionReplyOptions, parties: PartyView[]): InteractionReplyOptions {
  if (parties.length === 0) return polls;
  // Both embeds share Discord's 6,000 characters: the parties get a fixed share, whole lines only.
  const lines: string[] = [];
  let used = 0;
  for (const [i, party] of parties.entries()) {
    const line = `**${filmLabel(party.film)}** · <t:${unix(party.startAt)}:F> (<t:${unix(party.startAt)}:R>) ${party.where} · [event](${eventLink(party.guildId, party.eventId)})`;
    if (used + line.length + 30 > PARTIES_BUDGET) {
      lines.push(`… and ${parties.length - i} more`);
      break;
    }
    lines.push(line);
    used += line.length + 1;
  }
  const upcoming = safeEmbed({ title: 'Upcoming watch parties', description: lines.join('\n'), color: FILM_COLOUR });
  // With no poll open, the polls' answer is a line of text: it stays, under the parties.
  return { ...polls, embeds: [upcoming, ...((polls.embeds ?? []) as APIEmbed[])] };
}
