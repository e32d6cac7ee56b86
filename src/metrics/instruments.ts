// The bot's Prometheus registry: Node's default process metrics plus Reelside's own instruments.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EditFailure } from '../polls/pollService';
import type { InteractionReport } from '../router';
import type { StorageOutcome } from '../storage/records';

/** What registry.getMetricsAsJSON() gives: what a shard sends its manager to be merged. */
export type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/** What the gauges read when scraped, so they are never stale and cost nothing between scrapes. */
export interface GaugeSources {
  /** The gateway shards this process runs, with their last heartbeat round trip (-1: none yet). */
  shards(): Iterable<{ id: number; pingMs: number }>;
  openPolls(): number;
  scheduledSteps(): number;
}

export interface BotMetrics {
  registry: Registry;
  interactionHandled(report: InteractionReport): void;
  storageOperation(backend: string, outcome: StorageOutcome): void;
  messageEditFailed(outcome: EditFailure): void;
  /** Called once the bot runs: the gauges read from here, and the counters of `backend` start at 0. */
  watch(sources: GaugeSources, backend: string): void;
}

// From a quick autocomplete to a storage call timing out (2 s) and past Discord's 3 s deadline.
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10];

/** A registry with Node's process metrics only: what the shard manager adds of its own. */
export function createProcessRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

export function createBotMetrics(): BotMetrics {
  const registry = createProcessRegistry();
  const registers = [registry];
  let sources: GaugeSources | undefined;

  const interactions = new Counter({
    name: 'reelside_interactions_total',
    help: 'Interactions handled, by kind (command, autocomplete, component, other), command name or component kind, and outcome (ok, user_error, failure, late).',
    labelNames: ['kind', 'name', 'outcome'] as const,
    registers,
  });
  const latency = new Histogram({
    name: 'reelside_interaction_duration_seconds',
    help: 'Time from receiving an interaction until its handler (answer included) finished.',
    labelNames: ['kind', 'name'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const storage = new Counter({
    name: 'reelside_storage_operations_total',
    help: 'Storage calls by backend (sqlite, redis, postgres) and outcome (ok, failure, timeout).',
    labelNames: ['backend', 'outcome'] as const,
    registers,
  });
  const edits = new Counter({
    name: 'reelside_message_edit_failures_total',
    help: 'Poll message updates that failed, by what happens next: retried, or dropped (message gone, or a live tally given up after repeated failures).',
    labelNames: ['outcome'] as const,
    registers,
  });
  new Gauge({
    name: 'reelside_gateway_ping_seconds',
    help: "Last heartbeat round trip to Discord's gateway, per shard; absent until the first heartbeat.",
    labelNames: ['shard'] as const,
    registers,
    collect() {
      // Rebuilt at every scrape, so a shard this process no longer runs disappears.
      this.reset();
      for (const shard of sources?.shards() ?? []) if (shard.pingMs >= 0) this.set({ shard: String(shard.id) }, shard.pingMs / 1000);
    },
  });
  new Gauge({
    name: 'reelside_open_polls',
    help: 'Open watch-party polls this process serves (each has one pending close).',
    registers,
    collect() {
      this.set(sources?.openPolls() ?? 0);
    },
  });
  new Gauge({
    name: 'reelside_scheduled_steps',
    help: 'Upcoming scheduled steps: pending poll close timers (retries of a failed close included).',
    registers,
    collect() {
      this.set(sources?.scheduledSteps() ?? 0);
    },
  });

  return {
    registry,
    interactionHandled({ kind, name, outcome, seconds }) {
      interactions.inc({ kind, name, outcome });
      latency.observe({ kind, name }, seconds);
    },
    storageOperation(backend, outcome) {
      storage.inc({ backend, outcome });
    },
    messageEditFailed(outcome) {
      edits.inc({ outcome });
    },
    watch(watched, backend) {
      sources = watched;
      // Series that exist from the start, so an alert on their increase sees the first failure.
      for (const outcome of ['ok', 'failure', 'timeout'] as const) storage.inc({ backend, outcome }, 0);
      for (const outcome of ['retried', 'dropped'] as const) edits.inc({ outcome }, 0);
    },
  };
}
