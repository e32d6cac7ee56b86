// Wires configuration, storage and the discord.js client into a running bot.
import { Client, Events, GatewayIntentBits, Partials, REST, Status } from 'discord.js';
import { memoryLimits } from './discord/memory';
import { commandDefinitions } from './commands';
import type { Deps } from './commands/types';
import type { Config } from './config';
import { loadFilmCatalog } from './data/catalog';
import { NO_MENTIONS } from './discord/payload';
import { restChannels, restScheduledEvents } from './discord/channels';
import { sendWebhooksThrough } from './discord/respond';
import { putCommands, registrationScope } from './discord/registerCommands';
import type { Logger } from './log';
import type { BotMetrics } from './metrics/instruments';
import { checkReadiness, notReady, type Readiness } from './metrics/readiness';
import { Films } from './films/films';
import { drawQuote } from './films/quotes';
import { openTmdbFilms } from './films/openTmdb';
import { PollService } from './polls/pollService';
import { routeInteraction } from './router';
import { DailyQuotes } from './schedule/dailyQuotes';
import { PartyService } from './schedule/partyService';
import { openStorage, type Storage } from './storage/keyv';
import { acquireShardLeases, type LeaseLoss, type ShardLeases } from './storage/lease';
import { PartyStore } from './storage/parties';
import { PollStore } from './storage/polls';
import { QuoteRotation } from './storage/quoteRotation';
import { RatingStore } from './storage/ratings';
import { HistoryStore } from './storage/history';
import { RaterStore } from './storage/raters';
import { WatchlistStore } from './storage/watchlist';
import { RecordStore } from './storage/records';
import { ReviewStore } from './storage/reviews';
import { ServerFilmStore } from './storage/serverFilms';
import { SettingsStore } from './storage/settings';
import { hashDefinitions, RegistrationStore } from './storage/registration';

export interface RunningBot {
  client: Client;
  storage: Storage;
  /** Stops taking interactions, lets the ones in flight finish, then closes Discord and storage. */
  stop(): Promise<void>;
  /** Settles if another process took one of this process's shards: its writes are refused from then on. */
  leaseLost: Promise<LeaseLoss>;
  /** For /readyz: every gateway shard READY and storage answering in time. */
  readiness(): Promise<Readiness>;
}

const sentAsBuilt = (data: unknown): unknown => data;

/** Servers whose parties and daily quotes are planned in one go at start-up, between yields to members' interactions. */
const SCHEDULE_SLICE = 250;

// Read by the readiness probe; never written, so an absent value is the expected answer.
const READINESS_PROBE_KEY = 'health:readiness-probe';

export interface StartOptions {
  /** Gives up waiting for the shard leases (a stop was asked for before the bot ran). */
  signal?: AbortSignal;
  /** Instruments to feed; without them nothing is measured. */
  metrics?: BotMetrics;
}

export async function startBot(config: Config & { token: string }, rootLog: Logger, options: StartOptions = {}): Promise<RunningBot> {
  const client = new Client({
    // Slash commands and components arrive without any privileged intent; Guilds is what
    // discord.js needs to know its servers and channels, GuildScheduledEvents (not privileged
    // either) tells of moderators moving or cancelling a party's event in Discord.
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildScheduledEvents],
    // Scheduled events are not cached (see memory.ts); without this partial discord.js would drop
    // the updates and deletions of events it does not hold.
    partials: [Partials.GuildScheduledEvent],
    rest: { api: config.apiUrl },
    allowedMentions: NO_MENTIONS,
    // Every embed, component, modal and choice the bot sends is built in Discord's own API shape
    // (the API* types of discord-api-types). discord.js's default transformer walks each one and
    // snake-cases every key with lodash, about 40 µs for a page of reviews, and would turn a map
    // keyed by locale ("es-ES") into "es_es": sent as built instead.
    jsonTransformer: sentAsBuilt,
    ...memoryLimits,
  });
  // Under ShardingManager, discord.js reads this process's shard ids from the environment.
  const shardIds = Array.isArray(client.options.shards) ? client.options.shards : [0];
  const log = rootLog.child({ shards: shardIds });

  // No token: interaction webhooks are authorised by the interaction's own token.
  sendWebhooksThrough(client, new REST({ api: config.apiUrl, globalRequestsPerSecond: Number.POSITIVE_INFINITY }));

  const storage = await openStorage(config.storageUrl, log);
  // Before connecting to the gateway: until then another process may still be serving these shards.
  let leases: ShardLeases;
  try {
    leases = await acquireShardLeases(storage, shardIds, { log, signal: options.signal });
  } catch (error) {
    await storage.close();
    throw error;
  }
  const { metrics } = options;
  const records = new RecordStore(storage.kv, log, { backend: storage.backend, onOperation: metrics && ((outcome) => metrics.storageOperation(storage.backend, outcome)) });
  const catalog = loadFilmCatalog();
  const serverFilms = new ServerFilmStore(records);
  const films = new Films(catalog, serverFilms, config.tmdb && (await openTmdbFilms(config.tmdb, records, log)));
  const raters = new RaterStore(records);
  const ratings = new RatingStore(records, { raters, log });
  const watchlist = new WatchlistStore(records);
  const history = new HistoryStore(records);
  const polls = new PollStore(records);
  const registrations = new RegistrationStore(records);

  const channels = restChannels(client.rest);
  const pollService = new PollService(polls, ratings, catalog, channels, log);
  // A closed rating poll marks its film watched: repeatable, as the history is kept by poll id.
  pollService.onFinished = (poll) => history.recordPoll(poll, pollService.filmOf(poll));
  const quotes = new QuoteRotation(records);
  const settings = new SettingsStore(records);
  const parties = new PartyService(new PartyStore(records), pollService, restScheduledEvents(client.rest), channels, log);
  const reviews = new ReviewStore(records);
  const dailyQuotes = new DailyQuotes(
    settings,
    (guildId, saved) => drawQuote({ quotes, catalog, reviews }, { deck: { guildId }, guildId, memberQuotes: saved.memberQuotes ?? false, random: Math.random }),
    channels,
    log,
  );
  if (metrics) {
    pollService.onEditFailure = (outcome) => metrics.messageEditFailed(outcome);
    metrics.watch(
      {
        shards: () => client.ws.shards.map((shard) => ({ id: shard.id, pingMs: shard.ping })),
        openPolls: () => pollService.scheduledCount,
        scheduledSteps: () => pollService.scheduledCount + parties.scheduledCount + dailyQuotes.scheduledCount,
      },
      storage.backend,
    );
  }
  const deps: Deps = { films, serverFilms, reviews, settings, parties, dailyQuotes, quotes, ratings, watchlist, history, raters, polls, pollService, log, now: Date.now, random: Math.random, attachmentHosts: ['cdn.discordapp.com', 'media.discordapp.net', new URL(config.apiUrl).host] };

  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  client.on(Events.InteractionCreate, (interaction) => {
    if (stopping) return;
    const handled = routeInteraction(interaction, deps)
      .then((report) => metrics?.interactionHandled(report))
      .finally(() => inFlight.delete(handled));
    inFlight.add(handled);
  });
  // A moderator moved, cancelled or deleted a party's event in Discord (the bot's own changes come
  // back here too, and change nothing).
  client.on(Events.GuildScheduledEventUpdate, (_before, event) => {
    if (stopping || !event.guildId) return;
    void parties.eventChanged(event.guildId, event.id, { status: event.status, startAt: event.scheduledStartTimestamp ?? 0 }).catch((error: unknown) => log.warn({ err: error, eventId: event.id }, 'scheduled event change not applied'));
  });
  client.on(Events.GuildScheduledEventDelete, (event) => {
    if (stopping || !event.guildId) return;
    void parties.eventDeleted(event.guildId, event.id).catch((error: unknown) => log.warn({ err: error, eventId: event.id }, 'scheduled event deletion not applied'));
  });
  client.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));
  client.on(Events.ShardDisconnect, (event, shardId) => log.warn({ code: event.code, shardId }, 'gateway disconnected'));
  client.on(Events.ShardReconnecting, (shardId) => log.info({ shardId }, 'gateway reconnecting'));
  client.on(Events.ShardResume, (shardId) => log.info({ shardId }, 'gateway resumed'));

  const ready = new Promise<void>((resolve) => {
    client.once(Events.ClientReady, async (readyClient) => {
      log.info({ user: readyClient.user.tag, guilds: readyClient.guilds.cache.size }, 'ready');
      // Neither step may keep the bot from answering: commands registered earlier still work,
      // and poll timers are set again once storage answers.
      // Commands are registered once per application, by whichever process runs shard 0.
      if (shardIds.includes(0)) {
        await registerIfChanged(readyClient.application.id).catch((error: unknown) => log.error({ err: error }, 'slash commands not registered'));
      }
      const guildIds = [...readyClient.guilds.cache.keys()];
      await resumePolls(guildIds);
      log.info('serving');
      resolve();
      // Parties and daily quotes are planned after, a slice of servers at a time, so thousands of
      // them neither hold up the start nor the answers to members in the meantime. A step due
      // meanwhile is only late by that long, and runs once all the same.
      void planSchedules(guildIds);
    });
  });

  async function resumePolls(guildIds: string[]): Promise<void> {
    try {
      await pollService.resume(guildIds);
    } catch (error) {
      log.error({ err: error }, 'poll timers not set; trying again in a minute');
      setTimeout(() => void (stopping ? undefined : resumePolls(guildIds)), 60_000).unref();
    }
  }

  /** Party steps and daily quotes of this process's servers: each timer set again, each missed step run once. */
  async function planSchedules(guildIds: string[], attempt: 'start' | 'retry' = 'start'): Promise<void> {
    const startedAt = performance.now();
    for (let i = 0; i < guildIds.length && !stopping; i += SCHEDULE_SLICE) {
      const slice = guildIds.slice(i, i + SCHEDULE_SLICE);
      try {
        await Promise.all([parties.resume(slice), dailyQuotes.resume(slice)]);
      } catch (error) {
        // Setting a timer twice replaces it, so planning the slice again is harmless.
        log.error({ err: error, servers: slice.length }, 'parties and daily quotes of some servers not planned; trying again in a minute');
        setTimeout(() => void (stopping ? undefined : planSchedules(slice, 'retry')), 60_000).unref();
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    const planned = { parties: parties.scheduledCount, dailyQuotes: dailyQuotes.scheduledCount, ms: Math.round(performance.now() - startedAt) };
    log.info(planned, attempt === 'start' ? 'schedules planned' : 'schedules of some servers planned again');
  }

  async function registerIfChanged(applicationId: string): Promise<void> {
    const definitions = commandDefinitions();
    const scope = registrationScope(config.guildId);
    const hash = hashDefinitions({ applicationId, scope, definitions });
    if (await registrations.isCurrent(scope, hash)) {
      log.info({ scope }, 'slash commands unchanged since last registration');
      return;
    }
    const registered = await putCommands(client.rest, applicationId, config.guildId, definitions);
    await registrations.remember(scope, hash, Date.now());
    log.info({ scope, commands: registered.map((command) => command.name) }, 'slash commands registered');
  }

  try {
    await client.login(config.token);
    await ready;
  } catch (error) {
    await client.destroy();
    await storage.close();
    await leases.release();
    throw error;
  }

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      stopping = true;
      const pollsStopped = Promise.all([pollService.stop(), parties.stop(), dailyQuotes.stop()]);
      await Promise.allSettled(inFlight);
      await pollsStopped;
      try {
        await client.destroy();
      } finally {
        // Storage first: closing waits for writes still in flight, which must land before another
        // process can take the shard over.
        try {
          await storage.close();
        } finally {
          await leases.release();
        }
      }
      log.info('stopped');
    })());
  const readiness = async (): Promise<Readiness> => {
    if (stopping) return notReady('stopping');
    return checkReadiness({
      shards: () => client.ws.shards.map((shard) => ({ id: shard.id, ready: shard.status === Status.Ready })),
      probeStorage: () => storage.kv.get(READINESS_PROBE_KEY),
    });
  };
  return { client, storage, stop, leaseLost: leases.lost, readiness };
}
