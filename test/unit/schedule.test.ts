// Time in a server's zone, with an injected clock: reading `when`, local days, DST, and the daily
// quote's catch-up after downtime.
import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFilmCatalog } from '../../src/data/catalog';
import type { ChannelMessage } from '../../src/discord/channels';
import { drawQuote } from '../../src/films/quotes';
import { DailyQuotes } from '../../src/schedule/dailyQuotes';
import { LOCALES, translator } from '../../src/i18n';
import { atLocalTime, localDay, nextDailyPost, parseWhen } from '../../src/schedule/time';
import { QuoteRotation } from '../../src/storage/quoteRotation';
import { ReviewStore } from '../../src/storage/reviews';
import { SettingsStore } from '../../src/storage/settings';
import { openTestStorage, silentLog } from '../../harness/storage';

const iso = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true });
const at = (text: string) => DateTime.fromISO(text, { setZone: true }).toMillis();

describe('reading `when` in the server’s zone', () => {
  // Thursday 3 December 2026, 15:00 in Paris.
  const now = at('2026-12-03T15:00:00+01:00');
  const read = async (text: string, zone = 'Europe/Paris') => {
    const result = await parseWhen(text, zone, now);
    return result.ok ? iso(result.at, zone) : result.problem;
  };

  it.each([
    ['2026-12-05 20:30', '2026-12-05T20:30:00+01:00'],
    ['20:30', '2026-12-03T20:30:00+01:00'],
    ['10:00', '2026-12-04T10:00:00+01:00'],
    ['tomorrow 8pm', '2026-12-04T20:00:00+01:00'],
    ['friday 20:30', '2026-12-04T20:30:00+01:00'],
    ['in 90 minutes', '2026-12-03T16:30:00+01:00'],
    ['in 2h', '2026-12-03T17:00:00+01:00'],
    ['in 1 minute', '2026-12-03T15:01:00+01:00'],
  ])('reads “%s” as %s', async (text, expected) => {
    expect(await read(text)).toBe(expected);
  });

  it.each([
    ['fr', 'vendredi 20h30', '2026-12-04T20:30:00+01:00'],
    ['fr', 'demain à 20h', '2026-12-04T20:00:00+01:00'],
    ['fr', 'dans 90 minutes', '2026-12-03T16:30:00+01:00'],
    ['de', 'morgen 20 Uhr', '2026-12-04T20:00:00+01:00'],
    ['es-ES', 'viernes 20:30', '2026-12-04T20:30:00+01:00'],
    ['pt-BR', 'sexta-feira 20:30', '2026-12-04T20:30:00+01:00'],
    ['ja', '明日20時', '2026-12-04T20:00:00+01:00'],
    // English is read in every language.
    ['fr', 'friday 20:30', '2026-12-04T20:30:00+01:00'],
    ['ja', 'in 2h', '2026-12-03T17:00:00+01:00'],
  ] as const)('reads %s “%s” as %s', async (locale, text, expected) => {
    const result = await parseWhen(text, 'Europe/Paris', now, locale);
    expect(result.ok ? iso(result.at, 'Europe/Paris') : result.problem).toBe(expected);
  });

  it('reads another language only for members of that language', async () => {
    expect(await read('vendredi 20h30')).toBe('unreadable');
    expect((await parseWhen('vendredi au bar', 'Europe/Paris', now, 'fr')).ok).toBe(false);
  });

  it.each(LOCALES)('reads every example the %s messages give', async (locale) => {
    const t = translator(locale);
    const shown = [t('party.when.examples'), t('party.form.sayWhen'), t('pick.form.whenPlaceholder')].join(' ');
    const examples = [...shown.matchAll(/`([^`]+)`/g)].map((match) => match[1]!).concat(t('pick.form.whenPlaceholder'));
    expect(examples.length).toBeGreaterThanOrEqual(5);
    for (const example of examples) expect([example, (await parseWhen(example, 'Europe/Paris', now, locale)).ok]).toEqual([example, true]);
  });

  it('honours a zone the member typed, whatever the server’s', async () => {
    expect(await read('2026-12-05 20:30 UTC')).toBe('2026-12-05T21:30:00+01:00');
  });

  it('takes the first of a time that happens twice (a fall-back night)', async () => {
    const eve = at('2026-10-24T22:00:00+02:00');
    const result = await parseWhen('02:30', 'Europe/Paris', eve);
    expect(result.ok && iso(result.at, 'Europe/Paris')).toBe('2026-10-25T02:30:00+02:00');
  });

  it('reads the same words in another zone as that zone’s wall time', async () => {
    expect(await read('tomorrow 8pm', 'America/New_York')).toBe('2026-12-04T20:00:00-05:00');
    expect(await read('20:30', 'Asia/Tokyo')).toBe('2026-12-04T20:30:00+09:00');
  });

  it.each([
    ['whenever', 'unreadable'],
    ['friday at the pub', 'unreadable'],
    ['next week', 'no-time'],
    ['2026-12-01 20:00', 'past'],
    ['yesterday 8pm', 'past'],
    ['2028-01-01 20:00', 'too-far'],
  ])('refuses “%s” (%s)', async (text, problem) => {
    expect(await read(text)).toBe(problem);
  });

  it('keeps 20:30 at 20:30 local across a DST change', async () => {
    // Friday 27 March 2026, before Europe's spring-forward on Sunday 29 March.
    const before = at('2026-03-27T12:00:00+01:00');
    const result = await parseWhen('2026-03-30 20:30', 'Europe/Paris', before);
    expect(result.ok && iso(result.at, 'Europe/Paris')).toBe('2026-03-30T20:30:00+02:00');
  });
});

describe('local days and times', () => {
  const nine = { hour: 9, minute: 0 };

  it('places a day boundary where each zone has it', () => {
    const instant = at('2026-12-03T23:30:00Z');
    expect(localDay(instant, 'UTC')).toBe('2026-12-03');
    expect(localDay(instant, 'Europe/Paris')).toBe('2026-12-04');
    expect(localDay(instant, 'America/Los_Angeles')).toBe('2026-12-03');
    expect(localDay(instant, 'Pacific/Kiritimati')).toBe('2026-12-04');
  });

  it('keeps 09:00 Paris at 09:00 across spring-forward and fall-back', () => {
    expect(iso(atLocalTime('2026-03-28', nine, 'Europe/Paris'), 'UTC')).toBe('2026-03-28T08:00:00Z');
    expect(iso(atLocalTime('2026-03-29', nine, 'Europe/Paris'), 'UTC')).toBe('2026-03-29T07:00:00Z');
    expect(iso(atLocalTime('2026-10-25', nine, 'Europe/Paris'), 'UTC')).toBe('2026-10-25T08:00:00Z');
  });

  it('picks one instant for a time that does not exist, or happens twice, that day', () => {
    // 02:30 does not exist in Paris on 29 March 2026; it happens twice on 25 October.
    expect(iso(atLocalTime('2026-03-29', { hour: 2, minute: 30 }, 'Europe/Paris'), 'Europe/Paris')).toBe('2026-03-29T03:30:00+02:00');
    expect(iso(atLocalTime('2026-10-25', { hour: 2, minute: 30 }, 'Europe/Paris'), 'Europe/Paris')).toBe('2026-10-25T02:30:00+02:00');
  });

  it('plans the first post for today only if its time comes after the setting', () => {
    const noon = at('2026-12-03T12:00:00Z');
    expect(nextDailyPost(nine, 'UTC', noon, { since: noon }).day).toBe('2026-12-04');
    expect(nextDailyPost({ hour: 12, minute: 1 }, 'UTC', noon, { since: noon }).day).toBe('2026-12-03');
  });

  it('makes up a day missed while the bot was down once, while that day lasts, and never a day twice', () => {
    const since = at('2026-12-01T08:00:00Z');
    const tenAm = at('2026-12-03T10:00:00Z');
    expect(nextDailyPost(nine, 'UTC', tenAm, { since, lastPostedDay: '2026-12-01' })).toEqual({ day: '2026-12-03', at: at('2026-12-03T09:00:00Z') });
    expect(nextDailyPost(nine, 'UTC', tenAm, { since, lastPostedDay: '2026-12-03' }).day).toBe('2026-12-04');
  });
});

describe('the daily quote after two days down', () => {
  let store: Awaited<ReturnType<typeof openTestStorage>>;
  beforeEach(async () => {
    store = await openTestStorage();
  });
  afterEach(async () => store.close());

  it('posts once, not once per day missed, and not again after another restart', async () => {
    const settings = new SettingsStore(store.records);
    const posted: ChannelMessage[] = [];
    const channels = { post: async (_channel: string, message: ChannelMessage) => (posted.push(message), String(posted.length)), edit: async () => undefined };
    const quotes = new QuoteRotation(store.records);
    const catalog = loadFilmCatalog();
    const draw = (guildId: string) => drawQuote({ quotes, catalog, reviews: new ReviewStore(store.records) }, { deck: { guildId }, guildId, memberQuotes: false, random: () => 0 });
    let now = at('2026-12-01T08:00:00+01:00');
    const start = () => new DailyQuotes(settings, draw, channels, silentLog, () => now);

    const first = start();
    await first.set('g', 'c', '09:00');
    await settings.update('g', (current) => ({ ...current, timezone: 'Europe/Paris' }));
    await first.stop();

    // Down from 1 December 08:00 until 3 December 10:00: the 1st's, 2nd's and 3rd's posts were missed.
    now = at('2026-12-03T10:00:00+01:00');
    const second = start();
    await second.resume(['g']);
    await expect.poll(() => posted.length).toBe(1);
    await second.stop();
    expect((await settings.get('g')).dailyQuote?.lastPostedDay).toBe('2026-12-03');

    // Moving the time to later the same day does not give the day a second post.
    await second.set('g', 'c', '18:00');
    now = at('2026-12-03T18:30:00+01:00');
    const third = start();
    await third.resume(['g']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await third.stop();
    expect(posted).toHaveLength(1);
    expect(posted[0]!.embeds?.[0]?.footer?.text).toBe('on Her Smell (2018)');
  });
});
