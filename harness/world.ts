// A loopback Discord with two servers, and the real bot process connected to it.
import { type DiscordStandin, type StandinGuild, startStandin } from './discord/standin';
import type { CommandOptionInput, InteractionHandle, MemberInput } from './discord/types';
import { type BotProcess, startBotProcess, TEST_TOKEN } from './botProcess';
import { type Backend, freshStorageUrl } from './storage';

export const FILM_CLUB: StandinGuild = { id: '200000000000000001', name: 'Film Club', ownerId: '300000000000000001', channels: [{ id: '210000000000000001', name: 'screening-room' }, { id: '210000000000000002', name: 'lobby' }] };
export const OTHER_CLUB: StandinGuild = { id: '200000000000000002', name: 'Other Club', ownerId: '300000000000000002', channels: [{ id: '220000000000000001', name: 'general' }] };
export const SCREENING_ROOM = FILM_CLUB.channels[0]!.id;

export const STRING = 3;
export const INTEGER = 4;
export const BOOLEAN = 5;
export const NUMBER = 10;
export const SUBCOMMAND = 1;

export const member = (n: number, permissions?: string): MemberInput => ({ id: String(400000000000000000n + BigInt(n)), username: `member${n}`, ...(permissions ? { permissions } : {}) });
export const MANAGE_GUILD = String(1n << 5n | 1n << 10n | 1n << 11n);

export interface World {
  discord: DiscordStandin;
  bot: BotProcess;
  storageUrl: string;
  /** Stops the bot with SIGTERM (it must exit 0), runs `whileStopped`, and starts it again. */
  restartBot(whileStopped?: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export async function startWorld(options: { guilds?: StandinGuild[]; env?: Record<string, string>; backend?: Backend } = {}): Promise<World> {
  const discord = await startStandin({ token: TEST_TOKEN, guilds: options.guilds ?? [FILM_CLUB, OTHER_CLUB] });
  const dir = await freshStorageUrl(options.backend ?? 'sqlite');
  const storageUrl = dir.url;
  const launch = async () => {
    const bot = startBotProcess({ apiUrl: discord.apiUrl, storageUrl, env: options.env });
    await bot.ready();
    return bot;
  };
  const world: World = {
    discord,
    bot: await launch(),
    storageUrl,
    async restartBot(whileStopped) {
      expect0(await world.bot.stop('SIGTERM'));
      await whileStopped?.();
      world.bot = await launch();
    },
    async close() {
      await world.bot.stop('SIGTERM');
      await discord.close();
      dir.remove();
    },
  };
  return world;
}

function expect0(code: number | null): void {
  if (code !== 0) throw new Error(`the bot exited with ${code} on SIGTERM`);
}

/** `/name sub? option:value …` as a member types it. */
export function slash(discord: DiscordStandin, name: string, options: CommandOptionInput[] = [], extra: { user?: MemberInput; guildId?: string; channelId?: string } = {}): InteractionHandle {
  return discord.slash({ name, options, guildId: extra.guildId ?? FILM_CLUB.id, channelId: extra.channelId ?? SCREENING_ROOM, user: extra.user ?? member(1) });
}

export const str = (name: string, value: string): CommandOptionInput => ({ name, type: STRING, value });
export const sub = (name: string, options: CommandOptionInput[] = []): CommandOptionInput => ({ name, type: SUBCOMMAND, options });
