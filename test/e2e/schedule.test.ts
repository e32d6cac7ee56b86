// Watch parties on the server's calendar and the daily quote, driven through the real bot process:
// moderators' changes in Discord, restarts and downtime, and the refusals. (A party's whole
// course in real time is in partyLifecycle.test.ts, so the two long waits run side by side.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelType } from '../../harness/discord/standin';
import type { StandinGuild } from '../../harness/discord/types';
import { MODERATOR } from '../../harness/films';
import { FILM_CLUB, member, OTHER_CLUB, startWorld, str, sub, type World } from '../../harness/world';
import { type ScheduleOptions, scheduleParty, unixOf } from '../../harness/parties';
import { keys } from '../../src/storage/keys';
import { rewriteRecord } from '../support/storedRecord';

const CLUB: StandinGuild = {
  ...FILM_CLUB,
  channels: [...FILM_CLUB.channels, { id: '210000000000000009', name: 'cinema', type: ChannelType.Voice }, { id: '210000000000000008', name: 'films' }],
};
const ROOM = CLUB.channels[0]!.id;
const LOBBY = CLUB.channels[1]!.id;
const VOICE = '210000000000000009';
const FILMS = '210000000000000008';
const MINUTE = 60_000;

let world: World;
beforeAll(async () => {
  world = await startWorld({ guilds: [CLUB, OTHER_CLUB] });
});
afterAll(async () => world?.close());

const schedule = (options: Omit<ScheduleOptions, 'guildId' | 'channelId'> & { channelId?: string }) => scheduleParty(world.discord, { guildId: CLUB.id, ...options, channelId: options.channelId ?? ROOM });

const events = () => world.discord.scheduledEvents(CLUB.id);
type StoredParties = { parties: Record<string, { startAt: number; pollAt: number; status: string; [field: string]: unknown }> };

describe('following Discord', () => {
  it('moves the party when a moderator moves the event, and cancels it when the event is deleted', async () => {
    const announcement = await schedule({ when: 'in 2h', channel: VOICE, channelId: LOBBY }).reply();
    const event = events().find((candidate) => candidate.channel_id === VOICE);
    expect(event).toMatchObject({ entity_type: 2, channel_id: VOICE });
    const later = Date.now() + 5 * 60 * MINUTE;
    world.discord.moderatorEditScheduledEvent(CLUB.id, event.id, { scheduled_start_time: new Date(later).toISOString(), scheduled_end_time: new Date(later + 135 * MINUTE).toISOString() });
    await expect.poll(() => unixOf(world.discord.message(LOBBY, announcement.id)!.embeds[0].description), { timeout: 5_000 }).toBe(Math.floor(later / 1000) * 1000);
    const status = await world.discord.slash({ name: 'watchparty', options: [sub('status')], guildId: CLUB.id, channelId: LOBBY, user: member(3) }).reply();
    expect(status.embeds[0].title).toBe('Upcoming watch parties');
    expect(status.embeds[0].description).toContain(`<t:${Math.floor(later / 1000)}:F>`);

    world.discord.moderatorDeleteScheduledEvent(CLUB.id, event.id);
    await expect.poll(() => world.discord.message(LOBBY, announcement.id)!.embeds[0].title, { timeout: 5_000 }).toBe('Cancelled: Watch party: Her Smell (2018)');
    expect(world.discord.message(LOBBY, announcement.id)!.embeds[0].description).toContain('deleted in Discord');
    const after = await world.discord.slash({ name: 'watchparty', options: [sub('status')], guildId: CLUB.id, channelId: LOBBY, user: member(3) }).reply();
    expect(JSON.stringify(after.embeds ?? [])).not.toContain(`<t:${Math.floor(later / 1000)}:F>`);
  });

  it('cancels from /watchparty cancel, which cancels the event too', async () => {
    const announcement = await schedule({ when: 'tomorrow 8pm', channelId: LOBBY }).reply();
    const eventId = /events\/\d+\/(\d+)/.exec(announcement.embeds[0].description)![1]!;
    const choices = await world.discord.autocomplete({ name: 'watchparty', options: [sub('cancel', [{ name: 'party', type: 3, value: '', focused: true }])], guildId: CLUB.id, channelId: LOBBY, user: MODERATOR }).choices();
    expect(choices[0]!.name).toMatch(/^Her Smell \(2018\) · \d{4}-\d{2}-\d{2} 20:00 UTC · party /);
    const refused = await world.discord.slash({ name: 'watchparty', options: [sub('cancel', [str('party', String(choices[0]!.value))])], guildId: CLUB.id, channelId: LOBBY, user: member(4) }).reply();
    expect(refused.content).toContain('Only the host');
    const reply = await world.discord.slash({ name: 'watchparty', options: [sub('cancel', [str('party', String(choices[0]!.value))])], guildId: CLUB.id, channelId: LOBBY, user: MODERATOR }).reply();
    expect(reply.content).toBe('The watch party for Her Smell (2018) is cancelled, and so is its event.');
    expect(world.discord.scheduledEvent(CLUB.id, eventId).status).toBe(4);
    expect(world.discord.message(LOBBY, announcement.id)!.embeds[0].title).toBe('Cancelled: Watch party: Her Smell (2018)');
  });
});

describe('downtime', () => {
  it('opens a poll that came due while the bot was down once at start-up, and not again after a second restart', async () => {
    const announcement = await schedule({ when: 'in 3h', channelId: LOBBY }).reply();
    const before = world.discord.channelMessages(LOBBY).length;
    await world.restartBot(async () => {
      await rewriteRecord<StoredParties>(world.storageUrl, keys.parties(CLUB.id), (record) => ({
        parties: Object.fromEntries(Object.entries(record.parties).map(([id, party]) => [id, { ...party, startAt: Date.now() - 2 * MINUTE, pollAt: Date.now() - MINUTE, status: 'started' }])),
      }));
    });
    const opened = await world.discord.waitForChannelMessage(LOBBY, (message) => message.embeds[0]?.title === 'Rate Her Smell', 10_000);
    // Its full hour, counted from when it opened late.
    const closesAt = Number(/Closes <t:(\d+):R>/.exec(opened.embeds[0].description)![1]) * 1000;
    expect(Math.abs(closesAt - (Date.parse(opened.timestamp) + 60 * MINUTE))).toBeLessThan(5_000);
    await world.restartBot();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const polls = world.discord.channelMessages(LOBBY).slice(before).filter((message) => message.embeds[0]?.title === 'Rate Her Smell' || message.embeds[0]?.title === 'Results: Her Smell');
    expect(polls).toHaveLength(1);
    expect(world.discord.channelMessages(LOBBY).filter((message) => /is starting/.test(message.content ?? ''))).toHaveLength(0);
    expect(world.discord.message(LOBBY, announcement.id)!.embeds[0].title).toBe('Watch party: Her Smell (2018)');
  }, 60_000);
});

describe('the daily quote', () => {
  it('posts once at the next minute, and not again after a restart that day', async () => {
    const at = new Date(Date.now() + MINUTE);
    const hhmm = `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}`;
    const set = await world.discord.slash({ name: 'settings', options: [sub('daily-quote', [{ name: 'channel', type: 7, value: LOBBY }, str('time', hhmm)])], guildId: CLUB.id, channelId: ROOM, user: MODERATOR }).reply();
    expect(set.ephemeral).toBe(true);
    expect(set.content).toContain(`every day at ${hhmm} (UTC)`);
    const quotes = () => world.discord.channelMessages(LOBBY).filter((message) => message.embeds[0]?.footer?.text === 'on Her Smell (2018)');
    await expect.poll(() => quotes().length, { timeout: 90_000, interval: 500 }).toBe(1);
    await world.restartBot();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(quotes()).toHaveLength(1);
    const show = await world.discord.slash({ name: 'settings', options: [sub('show')], guildId: CLUB.id, channelId: ROOM, user: MODERATOR }).reply();
    expect(show.embeds[0].fields[1].value).toBe(`<#${LOBBY}> at ${hhmm}`);
  }, 150_000);

  it('pauses when its channel is deleted, logs it, and /settings show says why', async () => {
    const hhmm = (at: Date) => `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}`;
    await world.discord.slash({ name: 'settings', options: [sub('daily-quote', [{ name: 'channel', type: 7, value: FILMS }, str('time', hhmm(new Date(Date.now() + 30 * MINUTE)))])], guildId: CLUB.id, channelId: ROOM, user: MODERATOR }).reply();
    world.discord.deleteChannel(FILMS);
    // Due at the restart: today's time passed while the bot was down.
    await world.restartBot(async () => {
      await rewriteRecord<{ dailyQuote: Record<string, unknown> }>(world.storageUrl, keys.settings(CLUB.id), ({ dailyQuote: { lastPostedDay: _day, ...quote }, ...settings }) => ({
        ...settings,
        // 00:00 today has always passed (and is today's), whenever the test runs.
        dailyQuote: { ...quote, time: '00:00', since: 0 },
      }));
    });
    await world.bot.waitForLog((line) => line.msg === 'daily quote paused: its channel cannot be posted in', 10_000);
    const show = await world.discord.slash({ name: 'settings', options: [sub('show')], guildId: CLUB.id, channelId: ROOM, user: MODERATOR }).reply();
    expect(show.embeds[0].fields[1].value).toContain('**paused**: its channel was deleted');
  });
});

describe('refusals', () => {
  it('refuses a plain member, an unreadable or past time, and a bot without Manage Events, storing nothing', async () => {
    const count = events().length;
    const upcoming = async () => (await world.discord.slash({ name: 'watchparty', options: [sub('status')], guildId: CLUB.id, channelId: ROOM, user: member(3) }).reply()).embeds ?? [];
    const before = await upcoming();
    expect((await schedule({ when: 'in 2h', user: member(5) }).reply()).content).toContain('Only members with Manage Events or Manage Server');
    const unreadable = await schedule({ when: 'whenever suits' }).reply();
    expect(unreadable.ephemeral).toBe(true);
    expect(unreadable.content).toContain("I can't read “whenever suits” as a time. Try `2026-12-05 20:30`");
    expect((await schedule({ when: '2020-01-01 20:00' }).reply()).content).toContain('is in the past');
    world.discord.setBotPermission(CLUB.id, 'ManageEvents', false);
    try {
      const refused = await schedule({ when: 'in 2h' }).reply();
      expect(refused.ephemeral).toBe(true);
      expect(refused.content).toContain('Reelside needs the **Manage Events** permission');
    } finally {
      world.discord.setBotPermission(CLUB.id, 'ManageEvents', true);
    }
    expect(events()).toHaveLength(count);
    // No party stored either: the server's upcoming parties read as they did before.
    expect(await upcoming()).toEqual(before);
  });

  it('reads a French moderator’s time in French or in English, and answers them in French', async () => {
    const french = { ...MODERATOR, locale: 'fr' };
    const refused = await schedule({ when: 'quand tu veux', user: french }).reply();
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toContain('Je ne comprends pas « quand tu veux » comme une heure. Essayez `vendredi 20h30`, `demain 20h`');
    const before = new Set(events().map((event) => event.id));
    await schedule({ when: 'vendredi 20h30', user: french }).reply();
    await schedule({ when: 'friday 21:30', user: french }).reply();
    const added = events().filter((event) => !before.has(event.id)).map((event) => new Date(event.scheduled_start_time));
    // The server's zone is UTC: both on the coming Friday, at the times typed.
    expect(added.map((start) => [start.getUTCDay(), start.getUTCHours(), start.getUTCMinutes()])).toEqual([[5, 20, 30], [5, 21, 30]]);
  });

  it('keeps /settings to Manage Server', async () => {
    const reply = await world.discord.slash({ name: 'settings', options: [sub('timezone', [str('zone', 'Europe/Paris')])], guildId: CLUB.id, channelId: ROOM, user: member(6) }).reply();
    expect(reply.content).toBe('Only members with Manage Server can change Reelside’s settings.');
  });
});
