// Films, ratings, reviews and the watchlist in the reader's language, through the real bot process:
// what everyone reads follows the server's language, what one member reads follows theirs, and a
// language Reelside does not speak falls back to English.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberInput, StandinGuild } from '../../harness/discord/types';
import { FILM_CLUB, member, NUMBER, SCREENING_ROOM, slash, startWorld, str, sub, type World } from '../../harness/world';

/** A French server: its `guild_locale` is `fr`. */
const CINE_CLUB: StandinGuild = { id: '200000000000000031', name: 'Ciné-club', ownerId: '300000000000000031', channels: [{ id: '231000000000000001', name: 'salle' }], preferredLocale: 'fr' };
const SALLE = CINE_CLUB.channels[0]!.id;
const speaking = (n: number, locale: string): MemberInput => ({ ...member(n), locale });

let world: World;

beforeAll(async () => {
  world = await startWorld({ guilds: [FILM_CLUB, CINE_CLUB] });
});
afterAll(async () => world?.close());

const inCineClub = (name: string, options: Parameters<typeof slash>[2], user: MemberInput = member(1)) => slash(world.discord, name, options, { guildId: CINE_CLUB.id, channelId: SALLE, user }).reply();
const fieldNames = (embed: { fields?: { name: string }[] }) => (embed.fields ?? []).map((field) => field.name);

describe('in a French server', () => {
  it('shows the film card in French, for everyone, whatever the member’s own language', async () => {
    for (const user of [member(1), speaking(2, 'ja')]) {
      const card = await inCineClub('film', [str('title', 'her-smell')], user);
      expect(card.ephemeral).toBe(false);
      const embed = card.embeds[0];
      expect(embed.title).toBe('Her Smell (2018)');
      expect(fieldNames(embed)).toEqual(expect.arrayContaining(['Durée', 'Réalisation', 'Scénario', 'Distribution', 'Critiques', 'Ce serveur']));
      expect(embed.fields.find((field: { name: string }) => field.name === 'Durée').value).toBe('135 min');
      expect(embed.fields.find((field: { name: string }) => field.name === 'Distribution').value).toContain('**Elisabeth Moss** dans le rôle de Becky Something');
      expect(embed.fields.find((field: { name: string }) => field.name === 'Ce serveur').value).toContain('Pas encore noté ici');
      // The critics' excerpts are quotations: never translated.
      expect(JSON.stringify(embed)).not.toContain('Runtime');
    }
  });

  it('answers a rating in the member’s language, and the card’s average in the server’s', async () => {
    const rated = await inCineClub('rate', [str('film', 'her-smell'), { name: 'stars', type: NUMBER, value: 4.5 }], speaking(3, 'ja'));
    expect(rated.ephemeral).toBe(true);
    expect(rated.content).toBe('Her Smell を 4½★ と評価しました。');
    const card = await inCineClub('film', [str('title', 'her-smell')]);
    expect(card.embeds[0].fields.find((field: { name: string }) => field.name === 'Ce serveur').value).toContain('**4,5** sur 1 note');
  });

  it('shows the watchlist, the history and the stats in French', async () => {
    const suggested = await inCineClub('suggest', [str('film', 'her-smell')]);
    expect(suggested.content).toContain('a suggéré **Her Smell (2018)** pour la liste à voir : numéro 1.');
    const list = await inCineClub('watchlist', [sub('show')]);
    expect(list.embeds[0].title).toBe('Liste à voir');
    expect(list.embeds[0].description).toContain('suggéré par <@');
    expect((await inCineClub('history', [])).embeds[0].title).toBe('Vus ici');
    expect((await inCineClub('stats', [])).embeds[0].title).toBe('Les films de ce serveur en chiffres');
  });

  it('tells a member of another language about their own mistake in theirs', async () => {
    await expect(inCineClub('rate', [str('film', 'no such film at all')], speaking(4, 'de'))).resolves.toMatchObject({ ephemeral: true, content: expect.stringContaining('Ich kenne keinen Film namens') });
  });
});

describe('in an English server', () => {
  const rate = (user: MemberInput) => slash(world.discord, 'rate', [str('film', 'her-smell'), { name: 'stars', type: NUMBER, value: 4 }], { user, guildId: FILM_CLUB.id, channelId: SCREENING_ROOM }).reply();

  it('answers a member whose Discord is in Japanese in Japanese', async () => {
    const answer = await rate(speaking(5, 'ja'));
    expect(answer.ephemeral).toBe(true);
    expect(answer.content).toBe('Her Smell を 4★ と評価しました。');
  });

  it('answers a member whose language Reelside does not speak (Korean) in English', async () => {
    const answer = await rate(speaking(6, 'ko'));
    expect(answer.ephemeral).toBe(true);
    expect(answer.content).toBe('You rated Her Smell 4★.');
  });

  it('keeps the public card in English for everyone there', async () => {
    const card = await slash(world.discord, 'film', [str('title', 'her-smell')], { user: speaking(7, 'fr') }).reply();
    expect(fieldNames(card.embeds[0])).toEqual(expect.arrayContaining(['Runtime', 'Cast', 'This server']));
  });

  it('shows /help to a member whose Discord is in Japanese in Japanese, command names included, and in English to a Korean one', async () => {
    const help = await slash(world.discord, 'help', [], { user: speaking(8, 'ja') }).reply();
    expect(help.ephemeral).toBe(true);
    expect(help.embeds[0].title).toBe('Reelside のコマンド');
    expect(help.embeds[0].description).toContain('映画クラブ');
    const registered = world.discord.registeredCommands().find((command: { name: string }) => command.name === 'film');
    expect(help.embeds[0].fields.map((field: { name: string }) => field.name)).toContain(`/${registered.name_localizations.ja} ${registered.options[0].name_localizations.ja}:`);
    const english = await slash(world.discord, 'help', [], { user: speaking(9, 'ko') }).reply();
    expect(english.embeds[0].title).toBe('Reelside commands');
  });

  it('registered every command, subcommand and option with a name and description in every language, which the stand-in checked as Discord does', () => {
    const LANGUAGES = ['fr', 'de', 'es-ES', 'pt-BR', 'ja'];
    const lacking: string[] = [];
    const check = (item: { name: string; name_localizations?: Record<string, string>; description_localizations?: Record<string, string>; options?: unknown[] }, path: string) => {
      for (const locale of LANGUAGES) {
        if (!item.name_localizations?.[locale]) lacking.push(`${path} name ${locale}`);
        if (!item.description_localizations?.[locale]) lacking.push(`${path} description ${locale}`);
      }
      for (const option of (item.options ?? []) as (typeof item)[]) check(option, `${path} ${option.name}`);
    };
    const registered = world.discord.registeredCommands();
    expect(registered.length).toBe(14);
    for (const command of registered) check(command, `/${command.name}`);
    expect(lacking).toEqual([]);
  });
});
