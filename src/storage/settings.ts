// Each server's settings (`/settings`): its time zone, its daily quote and who may suggest films. One small record per server.
import * as z from 'zod';
import { keys } from './keys';
import type { RecordStore, RecordType } from './records';

const dailyQuoteSchema = z.object({
  channelId: z.string(),
  /** "09:00", in the server's time zone. */
  time: z.string().regex(/^\d{2}:\d{2}$/),
  /** When it was set: a day whose time came before that gets no post. */
  since: z.number(),
  /** The local day ("2026-12-03") of the last post: never two on one day, also across restarts. */
  lastPostedDay: z.string().optional(),
  /**
   * Why it stopped posting (its channel went away, or the bot may no longer post there): a code
   * (`deleted`, `no-access`, `no-permission`), shown in the reader's language, or an English sentence from before.
   */
  paused: z.object({ reason: z.string(), at: z.number() }).optional(),
  /** The language it was set in (a Discord locale code), which its posts use; absent: English. */
  locale: z.string().optional(),
});
export type DailyQuoteSetting = z.infer<typeof dailyQuoteSchema>;

const settingsSchema = z.object({
  /** IANA zone; UTC when absent. */
  timezone: z.string().optional(),
  dailyQuote: dailyQuoteSchema.optional(),
  /** `/quote` and the daily quote also draw from members' reviews. */
  memberQuotes: z.boolean().optional(),
  /** Only members with this role (and moderators) may suggest films for the watchlist. */
  suggestRoleId: z.string().regex(/^\d{1,20}$/).optional(),
});
export type ServerSettings = z.infer<typeof settingsSchema>;

export class SettingsStore {
  private readonly settings: RecordType<ServerSettings>;

  constructor(records: RecordStore) {
    this.settings = records.type(settingsSchema);
  }

  async get(guildId: string): Promise<ServerSettings> {
    return (await this.settings.read(keys.settings(guildId))) ?? {};
  }

  getMany(guildIds: string[]): Promise<(ServerSettings | undefined)[]> {
    return this.settings.readMany(guildIds.map(keys.settings), { remember: false });
  }

  update(guildId: string, change: (current: ServerSettings) => ServerSettings): Promise<ServerSettings> {
    return this.settings.update(keys.settings(guildId), (current) => change(current ?? {}));
  }
}
