// Interaction → initial-response latency of four interactions, sampled with a few in flight.
import type { DiscordStandin } from '../../harness/discord/standin';
import type { InteractionHandle, InteractionResponse, StandinGuild, StoredMessage } from '../../harness/discord/types';
import { member } from '../../harness/world';
import { castVote, isVoteConfirmation } from './harness';

export const KINDS = ['help', 'film', 'autocomplete', 'vote'] as const;
export type Kind = (typeof KINDS)[number];

export interface LatencySamples {
  samples: number[];
  failures: string[];
}

export interface LatencyOptions {
  samples: number;
  warmup: number;
  concurrency: number;
  /** Samples are taken in this many rounds of every kind in turn, so drift in machine load hits all kinds alike. */
  rounds: number;
}

/** Runs `count` tasks with at most `width` in flight. */
async function inFlight(count: number, width: number, task: () => Promise<void>): Promise<void> {
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started++;
      await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, worker));
}

export async function measureLatency(discord: DiscordStandin, guild: StandinGuild, poll: StoredMessage, options: LatencyOptions): Promise<Record<Kind, LatencySamples>> {
  const where = { guildId: guild.id, channelId: guild.channels[0]!.id, user: member(2) };
  let nextVoter = 10_000; // every vote by a member who has not voted yet
  const interactions: Record<Kind, { start: () => InteractionHandle; ok: (response: InteractionResponse) => boolean }> = {
    help: { start: () => discord.slash({ name: 'help', ...where }), ok: (r) => r.type === 4 && r.data?.embeds?.[0]?.title === 'Reelside commands' },
    film: {
      start: () => discord.slash({ name: 'film', options: [{ name: 'title', type: 3, value: 'her-smell' }], ...where }),
      ok: (r) => r.type === 4 && String(r.data?.embeds?.[0]?.title).includes('Her Smell'),
    },
    autocomplete: {
      start: () => discord.autocomplete({ name: 'film', options: [{ name: 'title', type: 3, value: 'her', focused: true }], ...where }),
      ok: (r) => r.type === 8 && r.data?.choices?.[0]?.value === 'her-smell',
    },
    vote: { start: () => castVote(discord, poll, nextVoter++), ok: isVoteConfirmation },
  };
  const results = Object.fromEntries(KINDS.map((kind): [Kind, LatencySamples] => [kind, { samples: [], failures: [] }])) as Record<Kind, LatencySamples>;

  const run = (kind: Kind, count: number, record: boolean) =>
    inFlight(count, options.concurrency, async () => {
      const { start, ok } = interactions[kind];
      try {
        const response = await start().response();
        if (!ok(response)) throw new Error(`unexpected answer (type ${response.type}): ${JSON.stringify(response.data).slice(0, 160)}`);
        if (record) results[kind].samples.push(response.latencyMs);
      } catch (error) {
        results[kind].failures.push(error instanceof Error ? error.message : String(error));
      }
    });

  for (const kind of KINDS) await run(kind, options.warmup, false);
  for (let round = 0; round < options.rounds; round++) {
    const share = Math.floor(options.samples / options.rounds) + (round < options.samples % options.rounds ? 1 : 0);
    for (const kind of KINDS) await run(kind, share, true);
  }
  return results;
}
