// A poll is drawn in its server's language (Discord's `guild_locale`) when it is posted, and keeps
// it through every edit and a restart; what only one member sees is in that member's language.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandinGuild } from '../../harness/discord/types';
import { MODERATOR } from '../../harness/films';
import { scheduleParty } from '../../harness/parties';
import { currentPoll, endButtonOf, POLL_HOST, pressEnd, selectOf, startPoll, vote } from '../../harness/polls';
import { FILM_CLUB, member, OTHER_CLUB, SCREENING_ROOM, slash, startWorld, str, sub, type World } from '../../harness/world';

/** Film Club, set to French in its server settings. */
const FRENCH_CLUB: StandinGuild = { ...FILM_CLUB, preferredLocale: 'fr' };
const inJapanese = (n: number) => ({ ...member(n), locale: 'ja' });

describe('a poll in a French server', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ guilds: [FRENCH_CLUB, OTHER_CLUB] });
  }, 60_000);
  afterAll(async () => world?.close());

  it('is posted in French, stays French after votes and a restart, and answers each member in theirs', async () => {
    // The host's own client is in English: the poll is for the whole server, so it is in the server's language.
    const poll = await startPoll(world.discord);
    expect(poll.embeds[0].title).toBe('Notez Her Smell');
    expect(poll.embeds[0].description).toContain('Qu’avez-vous pensé de **Her Smell (2018)** ?');
    expect(poll.embeds[0].description).toContain('Aucun vote pour l’instant');
    expect(selectOf(poll).placeholder).toBe('Votre note');
    expect(endButtonOf(poll).label).toBe('Terminer le sondage');

    // A Japanese member's answer is theirs alone: in Japanese. The poll's edit stays French.
    const japanese = await vote(world.discord, poll, inJapanese(1), '4').reply();
    expect(japanese.ephemeral).toBe(true);
    expect(japanese.content).toBe('Her Smellを4★と評価しました。投票が締め切られるまで変更できます。');
    await expect.poll(() => currentPoll(world.discord, poll).embeds[0].description, { timeout: 10_000 }).toContain('1 vote pour l’instant');
    expect(currentPoll(world.discord, poll).embeds[0].description).toContain('moyenne **4,0**');
    expect(currentPoll(world.discord, poll).embeds[0].title).toBe('Notez Her Smell');

    const status = await slash(world.discord, 'watchparty', [sub('status')], { user: inJapanese(2) }).reply();
    expect(status.ephemeral).toBe(true);
    expect(status.embeds[0].title).toBe('開いている投票');
    expect(status.embeds[0].description).toContain('**Her Smell (2018)** · 1票');

    await world.restartBot();

    // After the restart the poll is still drawn in French: the language is kept with it.
    const english = await vote(world.discord, poll, member(3), '5').reply();
    expect(english.content).toBe('You rated Her Smell 5★. You can change your rating until the poll closes.');
    await expect.poll(() => currentPoll(world.discord, poll).embeds[0].description, { timeout: 10_000 }).toContain('2 votes pour l’instant');
    expect(currentPoll(world.discord, poll).embeds[0].description).toContain('moyenne **4,5**');

    await pressEnd(world.discord, poll, POLL_HOST).reply();
    await expect.poll(() => currentPoll(world.discord, poll).embeds[0].title, { timeout: 10_000 }).toBe('Résultats : Her Smell');
    expect(currentPoll(world.discord, poll).embeds[0].description).toContain('moyenne **4,5** sur 2 votes');
  }, 90_000);

  it('announces a party in French, and edits the announcement in French when a German moderator cancels it after a restart', async () => {
    const announcement = await scheduleParty(world.discord, { guildId: FRENCH_CLUB.id, channelId: SCREENING_ROOM, when: 'tomorrow 8pm', user: { ...MODERATOR, locale: 'de' } }).reply();
    expect(announcement.ephemeral).toBe(false);
    expect(announcement.embeds[0].title).toBe('Séance : Her Smell (2018)');
    expect(announcement.embeds[0].description).toContain(`dans <#${SCREENING_ROOM}>.`);
    expect(world.discord.scheduledEvents(FRENCH_CLUB.id).some((event) => event.name === 'Séance : Her Smell (2018)')).toBe(true);

    await world.restartBot();

    const choices = await world.discord
      .autocomplete({ name: 'watchparty', options: [sub('cancel', [{ name: 'party', type: 3, value: '', focused: true }])], guildId: FRENCH_CLUB.id, channelId: SCREENING_ROOM, user: { ...MODERATOR, locale: 'de' } })
      .choices();
    expect(choices[0]!.name).toMatch(/^Her Smell \(2018\) · .* UTC · Filmabend /);
    const reply = await slash(world.discord, 'watchparty', [sub('cancel', [str('party', String(choices[0]!.value))])], { user: { ...MODERATOR, locale: 'de' } }).reply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toBe('Der Filmabend mit Her Smell (2018) ist abgesagt, ebenso sein Event.');
    await expect.poll(() => world.discord.message(SCREENING_ROOM, announcement.id)!.embeds[0].title, { timeout: 10_000 }).toBe('Annulée : séance : Her Smell (2018)');
    expect(world.discord.message(SCREENING_ROOM, announcement.id)!.embeds[0].description).toContain(`Annulée par <@${MODERATOR.id}>.`);
  }, 90_000);
});
