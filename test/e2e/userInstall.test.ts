// Reelside installed to a member's own account: /film, /quote and /help in DMs and in servers
// without the bot, the server commands refused there, and nothing that needs the bot in the channel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILM_CLUB, member, slash, startWorld, str, type World } from '../../harness/world';
import { BOTLESS_SERVER, IN_BOTLESS_SERVER, IN_DM, requestsOutsideInteractions, userInstallSlash } from '../../harness/userInstall';
import type { UserInstallPlace } from '../../harness/discord/types';
import { commandDefinitions } from '../../src/commands';
import { hashDefinitions } from '../../src/storage/registration';

const EXCERPT_COUNT = 17;
const ANYWHERE = ['film', 'help', 'quote'];
const PLACES: [string, UserInstallPlace][] = [
  ['in a DM with the bot', IN_DM],
  ['in a group DM', { context: 2 }],
  ['in a server without the bot', IN_BOTLESS_SERVER],
];

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.close());

/** Runs `act` and returns the REST requests made meanwhile that were not the interactions' own. */
async function channelAccessDuring(act: () => Promise<unknown>): Promise<unknown[]> {
  const before = world.discord.requests.length;
  await act();
  // Give a stray follow-up post or edit time to arrive.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return requestsOutsideInteractions(world.discord.requests.slice(before));
}

const fieldNames = (embed: { fields?: { name: string }[] }) => (embed.fields ?? []).map((field) => field.name);

describe('registration', () => {
  it('offers /film, /quote and /help to user installs everywhere, and the rest to servers that added Reelside only', () => {
    const registered = world.discord.registeredCommands();
    expect(registered).toHaveLength(14);
    for (const command of registered) {
      const anywhere = ANYWHERE.includes(command.name);
      expect({ name: command.name, integration_types: command.integration_types, contexts: command.contexts }).toEqual({
        name: command.name,
        integration_types: anywhere ? [0, 1] : [0],
        contexts: anywhere ? [0, 1, 2] : [0],
      });
    }
  });

  it('counts a change of install types or contexts as a change, so the commands are registered again', () => {
    // What the bot hashes to decide whether to register on start (src/bot.ts): the full definitions.
    const definitions = commandDefinitions();
    const serverOnly = definitions.map((definition) => ({ ...definition, integration_types: [0], contexts: [0] }));
    expect(hashDefinitions({ applicationId: '1', scope: 'global', definitions })).not.toBe(hashDefinitions({ applicationId: '1', scope: 'global', definitions: serverOnly }));
  });
});

describe.each(PLACES)('a user install %s', (_where, place) => {
  it('shows the film card, without a server’s rating, using only the interaction', async () => {
    const outside = await channelAccessDuring(async () => {
      const card = await userInstallSlash(world.discord, place, 'film', [str('title', 'her-smell')]).reply();
      expect(card.ephemeral).toBe(false);
      expect(card.embeds[0].title).toBe('Her Smell (2018)');
      expect(fieldNames(card.embeds[0])).toContain('Critics');
      expect(fieldNames(card.embeds[0])).not.toContain('This server');
      expect(card.allowedMentions).toEqual({ parse: [] });
    });
    expect(outside).toEqual([]);
  });

  it('suggests films as the member types', async () => {
    const choices = await world.discord.autocomplete({ name: 'film', options: [{ name: 'title', type: 3, value: 'her', focused: true }], user: member(1), userInstall: place }).choices();
    expect(choices).toEqual([{ name: 'Her Smell (2018)', value: 'her-smell' }]);
  });

  it('posts a critic’s quote', async () => {
    const outside = await channelAccessDuring(async () => {
      const post = await userInstallSlash(world.discord, place, 'quote', [str('film', 'her-smell')], member(2)).reply();
      expect(post.ephemeral).toBe(false);
      expect(post.embeds[0].footer.text).toBe('on Her Smell (2018)');
    });
    expect(outside).toEqual([]);
  });

  it('lists only the commands that work there in /help', async () => {
    const reply = await userInstallSlash(world.discord, place, 'help').reply();
    expect(reply.ephemeral).toBe(true);
    const names = fieldNames(reply.embeds[0]).join('\n');
    for (const usage of ['/film title:', '/quote [film:]', '/help']) expect(names).toContain(usage);
    for (const serverOnly of ['/rate', '/watchparty', '/settings', '/review']) expect(names).not.toContain(serverOnly);
  });

  it('answers /rate (a stale or forged command) privately with where it works, saving nothing', async () => {
    const outside = await channelAccessDuring(async () => {
      const reply = await userInstallSlash(world.discord, place, 'rate', [str('film', 'her-smell'), { name: 'stars', type: 10, value: 4 }]).reply();
      expect(reply.ephemeral).toBe(true);
      expect(reply.content).toMatch(/^\/rate works only in servers that added Reelside: /);
    });
    expect(outside).toEqual([]);
  });

  it('offers no suggestions to a server command', async () => {
    const choices = await world.discord.autocomplete({ name: 'rate', options: [{ name: 'film', type: 3, value: 'her', focused: true }], user: member(1), userInstall: place }).choices();
    expect(choices).toEqual([]);
  });

  it('answers a server command’s button privately with where it works', async () => {
    const outside = await channelAccessDuring(async () => {
      const message = { id: `29000000000000000${place.context}`, channelId: place.channelId ?? `28000000000000000${place.context}` };
      const reply = await world.discord.component({ customId: 'reviews:2:her-smell', componentType: 2, message, user: member(1), userInstall: place }).reply();
      expect(reply.ephemeral).toBe(true);
      expect(reply.content).toMatch(/works only in servers that added Reelside/);
    });
    expect(outside).toEqual([]);
  });
});

describe('the stand-in', () => {
  it('refuses the bot’s own channel and server calls where it was only user-installed', async () => {
    const call = (method: string, path: string) => fetch(`${world.discord.apiUrl}/v10${path}`, { method, headers: { Authorization: `Bot ${world.discord.token}`, 'Content-Type': 'application/json' }, body: method === 'GET' ? undefined : JSON.stringify({ content: 'hello' }) });
    for (const [method, path] of [
      ['POST', `/channels/${BOTLESS_SERVER.channelId}/messages`],
      ['GET', `/guilds/${BOTLESS_SERVER.id}`],
    ] as const) {
      const response = await call(method, path);
      expect({ path, status: response.status, body: await response.json() }).toMatchObject({ path, status: 403, body: { code: 50001 } });
    }
  });
});

describe('quote rotation per member', () => {
  it('deals one member every excerpt once, across DMs and servers without the bot, before any repeats', async () => {
    const quoter = member(30);
    const seen: string[] = [];
    for (let i = 0; i < EXCERPT_COUNT; i++) {
      const place = i % 2 === 0 ? IN_DM : IN_BOTLESS_SERVER;
      const post = await userInstallSlash(world.discord, place, 'quote', [str('film', 'her-smell')], quoter).reply();
      seen.push(post.embeds[0].description);
    }
    expect(new Set(seen).size).toBe(EXCERPT_COUNT);
    // The next one starts a fresh round: a repeat of one already seen.
    const again = await userInstallSlash(world.discord, IN_DM, 'quote', [str('film', 'her-smell')], quoter).reply();
    expect(seen).toContain(again.embeds[0].description);
  });

  it('keeps the member’s deck apart from the server’s', async () => {
    const quoter = member(31);
    const seen: string[] = [];
    // Alternating with the film club's draws: were the decks one, the member's 17 would repeat.
    for (let i = 0; i < 2 * EXCERPT_COUNT; i++) {
      const post = await (i % 2 === 0
        ? userInstallSlash(world.discord, IN_DM, 'quote', [str('film', 'her-smell')], quoter)
        : slash(world.discord, 'quote', [str('film', 'her-smell')], { user: quoter, guildId: FILM_CLUB.id })
      ).reply();
      if (i % 2 === 0) seen.push(post.embeds[0].description);
    }
    expect(new Set(seen).size).toBe(seen.length);
  });
});
