// The daily quote: one critic's excerpt a day in a server's channel, at a local time, through the
// same no-repeat decks as /quote. Its last local day is stored before it posts, so a day never
// gets two, also across restarts; a day missed while the bot was down is posted late, once.
import { ChannelUnavailableError, type Channels } from '../discord/channels';
import type { DrawnQuote } from '../films/quotes';
import { supportedLocale, translator } from '../i18n';
import type { Logger } from '../log';
import { buildDrawnQuote } from '../replies/quote';
import type { PauseReason } from '../replies/schedule';
import type { DailyQuoteSetting, ServerSettings, SettingsStore } from '../storage/settings';
import { DEFAULT_ZONE, localDay, nextDailyPost, parseClock } from './time';
import { retryDelay, Timers } from './timers';

/** Kept as codes: `/settings show` says them in the reader's language (see replies/schedule). */
const PAUSE_REASONS: Record<ChannelUnavailableError['reason'], PauseReason> = { deleted: 'deleted', 'no-access': 'no-access', 'no-permission': 'no-permission' };

export class DailyQuotes {
  private readonly timers: Timers;

  constructor(
    private readonly settings: SettingsStore,
    private readonly draw: (guildId: string, settings: ServerSettings) => Promise<DrawnQuote | undefined>,
    private readonly channels: Channels,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.timers = new Timers(now);
  }

  get scheduledCount(): number {
    return this.timers.size;
  }

  /** Turns the daily quote on (or moves it); the first post is the next `time` from now. Its posts are in `locale` (English without). */
  async set(guildId: string, channelId: string, time: string, locale?: string): Promise<void> {
    // The day's post, if made, stays made: moving the time or channel must not give the day a second.
    const saved = await this.settings.update(guildId, (current) => ({
      ...current,
      dailyQuote: {
        channelId,
        time,
        since: this.now(),
        ...(current.dailyQuote?.lastPostedDay ? { lastPostedDay: current.dailyQuote.lastPostedDay } : {}),
        ...(locale ? { locale } : {}),
      },
    }));
    this.plan(guildId, saved.dailyQuote, saved.timezone);
  }

  async off(guildId: string): Promise<void> {
    await this.settings.update(guildId, ({ dailyQuote: _off, ...rest }) => rest);
    this.timers.clear(guildId);
  }

  /** After a time zone change: the same local time, in the new zone. */
  async replan(guildId: string): Promise<void> {
    const current = await this.settings.get(guildId);
    this.plan(guildId, current.dailyQuote, current.timezone);
  }

  /** At start-up, for this process's servers: a post whose time passed today while the bot was down is made now. */
  async resume(guildIds: string[]): Promise<void> {
    const all = await this.settings.getMany(guildIds);
    all.forEach((settings, i) => this.plan(guildIds[i]!, settings?.dailyQuote, settings?.timezone));
  }

  async stop(): Promise<void> {
    await this.timers.stop();
  }

  private plan(guildId: string, setting: DailyQuoteSetting | undefined, zone = DEFAULT_ZONE): void {
    const clock = setting && !setting.paused ? parseClock(setting.time) : undefined;
    if (!setting || !clock) return this.timers.clear(guildId);
    const next = nextDailyPost(clock, zone, this.now(), setting);
    this.timers.set(guildId, next.at, () => this.post(guildId, 0));
  }

  private async post(guildId: string, attempt: number): Promise<void> {
    let day: string | undefined;
    let saved: ServerSettings;
    try {
      // Claimed first: a post that fails after this is lost for the day, but none is ever doubled.
      saved = await this.settings.update(guildId, (current) => {
        const quote = current.dailyQuote;
        const clock = quote && !quote.paused ? parseClock(quote.time) : undefined;
        if (!quote || !clock) return current;
        const due = nextDailyPost(clock, current.timezone ?? DEFAULT_ZONE, this.now(), quote);
        if (due.at > this.now() || due.day !== localDay(this.now(), current.timezone ?? DEFAULT_ZONE)) return current;
        day = due.day;
        return { ...current, dailyQuote: { ...quote, lastPostedDay: due.day } };
      });
    } catch (error) {
      // Tried again later with no read first: the read would fail the same way while storage is down.
      this.log.warn({ err: error, guildId }, 'daily quote not posted yet: storage did not answer; trying again');
      this.timers.set(guildId, this.now() + retryDelay(attempt + 1), () => this.post(guildId, attempt + 1));
      return;
    }
    if (day && saved.dailyQuote) await this.send(guildId, saved);
    this.plan(guildId, saved.dailyQuote, saved.timezone);
  }

  private async send(guildId: string, settings: ServerSettings): Promise<void> {
    const setting = settings.dailyQuote!;
    try {
      const drawn = await this.draw(guildId, settings);
      if (!drawn) return;
      await this.channels.post(setting.channelId, buildDrawnQuote(translator(supportedLocale(setting.locale)), drawn));
      this.log.info({ guildId, channelId: setting.channelId }, 'daily quote posted');
    } catch (error) {
      if (!(error instanceof ChannelUnavailableError)) {
        this.log.error({ err: error, guildId }, 'daily quote not posted today');
        return;
      }
      // Posting again tomorrow would fail the same way: pause, say why in /settings show, log once.
      const reason = PAUSE_REASONS[error.reason];
      await this.settings
        .update(guildId, (current) => (current.dailyQuote ? { ...current, dailyQuote: { ...current.dailyQuote, paused: { reason, at: this.now() } } } : current))
        .catch(() => undefined);
      this.log.warn({ guildId, channelId: setting.channelId, reason: error.reason }, 'daily quote paused: its channel cannot be posted in');
    }
  }
}
