// Messages posted later, outside an interaction, keep the language they were set up in; records
// from before languages (no `locale`) read as English.
import type { APIEmbed } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelMessage } from '../../src/discord/channels';
import { ChannelUnavailableError } from '../../src/discord/channels';
import type { DrawnQuote } from '../../src/films/quotes';
import { translator } from '../../src/i18n';
import { buildPickMessage } from '../../src/replies/pickPoll';
import { buildPollMessage } from '../../src/replies/poll';
import { buildDrawnQuote } from '../../src/replies/quote';
import { buildAnnouncement, buildCancelledAnnouncement, buildSettings, buildStarting, whereText } from '../../src/replies/schedule';
import { DailyQuotes } from '../../src/schedule/dailyQuotes';
import type { PickPoll } from '../../src/storage/pickPolls';
import type { Poll } from '../../src/storage/polls';
import { SettingsStore } from '../../src/storage/settings';
import { emptyTally } from '../../src/storage/tally';
import { openTestStorage, silentLog } from '../../harness/storage';

const poll: Poll = { id: 'abc', guildId: 'g', channelId: 'c', filmId: 'her-smell', hostId: '1', blind: false, createdAt: 0, closesAt: 60_000, status: 'open', tally: emptyTally(), unrated: {} };
const film = { title: 'Her Smell', year: 2018 };
const party = { guildId: 'g', eventId: 'e', film, startAt: 3_600_000, pollAt: 7_200_000, where: 'in <#42>' };

describe('message builders', () => {
  it('draw a poll in the language they are given, its menu and button too', () => {
    const fr = buildPollMessage(translator('fr'), poll, film);
    expect(fr.embeds[0]!.title).toBe('Notez Her Smell');
    expect(JSON.stringify(fr.components)).toContain('Terminer le sondage');
    const ja = buildPollMessage(translator('ja'), { ...poll, status: 'closed', closedAt: 60_000 }, film);
    expect(ja.embeds[0]!.title).toBe('結果：Her Smell');
    expect(ja.embeds[0]!.description).toContain('投票はありませんでした。');
    expect(buildPollMessage(translator('en'), poll, film).embeds[0]!.title).toBe('Rate Her Smell');
  });

  it('draw a pick vote and its result in the language they are given', () => {
    const pick: PickPoll = { kind: 'pick', id: 'pickabc', guildId: 'g', channelId: 'c', hostId: '1', candidates: [{ filmId: 'a', film: { title: 'A' } }, { filmId: 'b', film: { title: 'B' } }], createdAt: 0, closesAt: 60_000, status: 'closed', tally: [2, 1] };
    const de = buildPickMessage(translator('de'), pick);
    expect(de.embeds[0]!.title).toBe('Nächster Film: A');
    expect(de.embeds[0]!.description).toContain('**A** gewinnt.');
    expect(JSON.stringify(de.components)).toContain('Einplanen');
  });

  it('say where a party is in the reader’s words, and show any other kept text as it is', () => {
    expect(whereText(translator('es-ES'), 'in <#42>')).toBe('en <#42>');
    expect(whereText(translator('ja'), 'at the pub')).toBe('at the pub');
    expect(buildAnnouncement(translator('pt-BR'), party).embeds![0]!.description).toContain('Começa <t:3600:F> (<t:3600:R>) em <#42>.');
    expect(buildCancelledAnnouncement(translator('fr'), party, { kind: 'by-member', userId: '7' }).embeds![0]!.description).toContain('Annulée par <@7>.');
    expect(buildStarting(translator('de'), film, 7_200_000).content).toBe('🎬 **Her Smell** beginnt. Die Bewertungsumfrage öffnet hier <t:7200:R>.');
  });

  it('show why a daily quote is paused in the reader’s language, and a reason kept in English before as it was', () => {
    const show = (paused: string, locale: 'fr' | 'en') => (buildSettings(translator(locale), { timezone: 'UTC', dailyQuote: { channelId: '5', time: '09:00', paused }, memberQuotes: false }).embeds as APIEmbed[])[0]!.fields![1]!.value;
    expect(show('deleted', 'fr')).toBe('<#5> à 09:00 — **en pause** : son salon a été supprimé. Réglez-la à nouveau avec `/paramètres citation-du-jour`.');
    expect(show('deleted', 'en')).toContain('**paused**: its channel was deleted.');
    expect(show('its channel was deleted', 'fr')).toContain('**en pause** : its channel was deleted.');
  });
});

describe('the daily quote', () => {
  let store: Awaited<ReturnType<typeof openTestStorage>>;
  beforeEach(async () => {
    store = await openTestStorage();
  });
  afterEach(async () => store.close());

  const drawn: DrawnQuote = {
    kind: 'member',
    film,
    review: { userId: '9', displayName: 'Ana', stars: 4, text: 'Loud and tender.', spoilers: false, createdAt: 0, updatedAt: 0 } as never,
    excerpt: 'Loud and tender.',
  };

  it('is posted in the language it was set in, kept with the setting; pausing keeps a reason code', async () => {
    const settings = new SettingsStore(store.records);
    const posted: ChannelMessage[] = [];
    let fail = false;
    const channels = {
      post: async (_channel: string, message: ChannelMessage) => {
        if (fail) throw new ChannelUnavailableError('deleted', new Error('gone'));
        posted.push(message);
        return String(posted.length);
      },
      edit: async () => undefined,
    };
    let now = Date.parse('2026-12-01T08:00:00Z');
    const quotes = new DailyQuotes(settings, async () => drawn, channels, silentLog, () => now);
    await quotes.set('g', 'c', '09:00', 'ja');
    expect((await settings.get('g')).dailyQuote?.locale).toBe('ja');
    await quotes.stop();

    now = Date.parse('2026-12-01T09:30:00Z');
    const later = new DailyQuotes(settings, async () => drawn, channels, silentLog, () => now);
    await later.resume(['g']);
    await expect.poll(() => posted.length).toBe(1);
    expect(posted[0]).toEqual(buildDrawnQuote(translator('ja'), drawn));
    await later.stop();

    fail = true;
    now = Date.parse('2026-12-02T09:30:00Z');
    const third = new DailyQuotes(settings, async () => drawn, channels, silentLog, () => now);
    await third.resume(['g']);
    await expect.poll(async () => (await settings.get('g')).dailyQuote?.paused?.reason).toBe('deleted');
    await third.stop();
  });
});
