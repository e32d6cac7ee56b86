// A watch party's whole course in real time, through the real bot process: scheduled `in 1 minute`
// with `length:1`, its Discord event, the starting message about a minute later, and the rating
// poll about a minute after that.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleParty, unixOf } from '../../harness/parties';
import { FILM_CLUB, SCREENING_ROOM, startWorld, type World } from '../../harness/world';

const MINUTE = 60_000;
const CLUB = FILM_CLUB;
const ROOM = SCREENING_ROOM;
let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.close());

const schedule = (options: { when: string; length?: number }) => scheduleParty(world.discord, { guildId: CLUB.id, channelId: ROOM, ...options });
const events = () => world.discord.scheduledEvents(CLUB.id);

describe('a party scheduled in 1 minute, 1 minute long', () => {
  it('creates the event, announces it, starts on time, then opens the rating poll and completes the event', async () => {
    const asked = Date.now();
    const announcement = await schedule({ when: 'in 1 minute', length: 1 }).reply();
    expect(announcement.ephemeral).toBe(false);
    const text = announcement.embeds[0].description as string;
    expect(announcement.embeds[0].title).toBe('Watch party: Her Smell (2018)');
    const startAt = unixOf(text);
    expect(Math.abs(startAt - (asked + MINUTE))).toBeLessThan(5_000);
    const [event] = events();
    expect(event).toMatchObject({ name: 'Watch party: Her Smell (2018)', entity_type: 3, privacy_level: 2, status: 1, entity_metadata: { location: '#screening-room' } });
    expect(Date.parse(event.scheduled_start_time)).toBe(Math.floor(startAt / 1000) * 1000 + (Date.parse(event.scheduled_start_time) % 1000));
    expect(Date.parse(event.scheduled_end_time) - Date.parse(event.scheduled_start_time)).toBe(MINUTE);
    expect(event.description).toContain('Runtime: 135 min.');
    expect(text).toContain(`https://discord.com/events/${CLUB.id}/${event.id}`);

    const starting = await world.discord.waitForChannelMessage(ROOM, (message) => /is starting/.test(message.content ?? ''), 90_000);
    expect(starting.content).toMatch(/^🎬 \*\*Her Smell\*\* is starting/);
    expect(starting.allowedMentions).toEqual({ parse: [] });
    expect(Math.abs(Date.parse(starting.timestamp) - (asked + MINUTE))).toBeLessThan(10_000);
    await expect.poll(() => world.discord.scheduledEvent(CLUB.id, event.id)?.status, { timeout: 5_000 }).toBe(2);

    const poll = await world.discord.waitForChannelMessage(ROOM, (message) => message.embeds[0]?.title === 'Rate Her Smell', 90_000);
    expect(Math.abs(Date.parse(poll.timestamp) - (asked + 2 * MINUTE))).toBeLessThan(10_000);
    await expect.poll(() => world.discord.scheduledEvent(CLUB.id, event.id)?.status, { timeout: 5_000 }).toBe(3);
  }, 180_000);
});
