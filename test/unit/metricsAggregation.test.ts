// The shard manager's one scrape: every shard's figures merged, per-shard gauges kept apart, readiness of all.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { metricValue } from '../../harness/metrics';
import { type BotMetrics, createBotMetrics, createProcessRegistry } from '../../src/metrics/instruments';
import { notReady, type Readiness } from '../../src/metrics/readiness';
import { answerShardManager, ShardFigures, type ShardChannel } from '../../src/metrics/shards';

/** A shard process: its own registry, answering the manager over a fake IPC channel (as `process` would). */
function fakeShard(id: number, options: { pingMs?: number; readiness?: Readiness; openPolls?: number; scheduledSteps?: number } = {}) {
  const metrics = createBotMetrics();
  metrics.watch({ shards: () => [{ id, pingMs: options.pingMs ?? 40 }], openPolls: () => options.openPolls ?? 0, scheduledSteps: () => options.scheduledSteps ?? 0 }, 'redis');
  const channel = new EventEmitter() as EventEmitter & { send(message: unknown, callback: (error: Error | null) => void): void };
  return { id, metrics, channel, readiness: options.readiness ?? ({ ready: true } as Readiness) };
}

type FakeShard = ReturnType<typeof fakeShard>;

/** The manager side wired to the shards: messages go both ways asynchronously, like IPC. */
function manager(shards: FakeShard[], options: { running?: number[]; silent?: number[] } = {}) {
  let figures: ShardFigures;
  for (const shard of shards) {
    shard.channel.send = (message, callback) => setImmediate(() => (figures.receive(structuredClone(message)), callback(null)));
    if (!options.silent?.includes(shard.id)) answerShardManager(shard.channel, { metrics: () => shard.metrics.registry.getMetricsAsJSON(), readiness: async () => shard.readiness });
  }
  const channelOf = (shardId: number): ShardChannel | undefined => {
    const shard = shards.find((candidate) => candidate.id === shardId);
    if (!shard || (options.running && !options.running.includes(shardId))) return undefined;
    return { send: async (message) => void setImmediate(() => shard.channel.emit('message', structuredClone(message))) };
  };
  figures = new ShardFigures(
    shards.map((shard) => shard.id),
    channelOf,
    { timeoutMs: 200 },
  );
  return figures;
}

const handle = (metrics: BotMetrics, name: string, times: number, outcome: 'ok' | 'user_error' | 'failure' | 'late' = 'ok') => {
  for (let i = 0; i < times; i++) metrics.interactionHandled({ kind: 'command', name, outcome, seconds: 0.02 });
};

/** The value of one series in Prometheus text, by its exact name and labels as printed. */

describe('figures of several shards, merged by the manager', () => {
  it('sums counters and histograms over the shards', async () => {
    const [zero, one] = [fakeShard(0), fakeShard(1)];
    handle(zero.metrics, 'help', 3);
    handle(one.metrics, 'help', 2);
    handle(one.metrics, 'film', 1, 'user_error');
    zero.metrics.storageOperation('redis', 'ok');
    one.metrics.storageOperation('redis', 'timeout');
    one.metrics.messageEditFailed('retried');

    const { body, contentType } = await manager([zero, one]).metrics();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(metricValue(body, 'reelside_interactions_total{kind="command",name="help",outcome="ok"}')).toBe(5);
    expect(metricValue(body, 'reelside_interactions_total{kind="command",name="film",outcome="user_error"}')).toBe(1);
    expect(metricValue(body, 'reelside_interaction_duration_seconds_count{kind="command",name="help"}')).toBe(5);
    expect(metricValue(body, 'reelside_interaction_duration_seconds_bucket{le="0.025",kind="command",name="help"}')).toBe(5);
    expect(metricValue(body, 'reelside_storage_operations_total{backend="redis",outcome="ok"}')).toBe(1);
    expect(metricValue(body, 'reelside_storage_operations_total{backend="redis",outcome="timeout"}')).toBe(1);
    expect(metricValue(body, 'reelside_storage_operations_total{backend="redis",outcome="failure"}')).toBe(0);
    expect(metricValue(body, 'reelside_message_edit_failures_total{outcome="retried"}')).toBe(1);
  });

  it('keeps each shard’s gateway ping apart, by its shard label', async () => {
    const { body } = await manager([fakeShard(0, { pingMs: 40 }), fakeShard(1, { pingMs: 75 })]).metrics();
    expect(metricValue(body, 'reelside_gateway_ping_seconds{shard="0"}')).toBe(0.04);
    expect(metricValue(body, 'reelside_gateway_ping_seconds{shard="1"}')).toBe(0.075);
  });

  it('adds up the open polls and scheduled steps of every shard, each from its own source', async () => {
    const { body } = await manager([fakeShard(0, { openPolls: 2, scheduledSteps: 4 }), fakeShard(1, { openPolls: 3, scheduledSteps: 2 })]).metrics();
    expect(metricValue(body, 'reelside_open_polls')).toBe(5);
    expect(metricValue(body, 'reelside_scheduled_steps')).toBe(6);
  });

  it('includes the process metrics, the manager’s own among them, with one TYPE line per metric', async () => {
    const { body } = await manager([fakeShard(0), fakeShard(1)]).metrics(createProcessRegistry());
    expect(body).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(body).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
    expect(body.match(/^# TYPE reelside_interactions_total /gm)).toHaveLength(1);
  });

  it('leaves out a shard that does not answer, and still serves the others', async () => {
    const [zero, one] = [fakeShard(0), fakeShard(1)];
    handle(zero.metrics, 'help', 3);
    handle(one.metrics, 'help', 2);
    const { body } = await manager([zero, one], { silent: [1] }).metrics();
    expect(metricValue(body, 'reelside_interactions_total{kind="command",name="help",outcome="ok"}')).toBe(3);
    expect(metricValue(body, 'reelside_gateway_ping_seconds{shard="1"}')).toBeUndefined();
  });
});

describe('readiness of several shards', () => {
  it('is ready only when every shard says so', async () => {
    expect(await manager([fakeShard(0), fakeShard(1)]).readiness()).toEqual({ ready: true });
  });

  it('passes on the reason of a shard that is not ready, naming the shard', async () => {
    const figures = manager([fakeShard(0), fakeShard(1, { readiness: notReady('storage is not answering') })]);
    expect(await figures.readiness()).toEqual({ ready: false, reason: 'shard 1: storage is not answering' });
  });

  it('is not ready while a shard’s process is down or silent', async () => {
    expect(await manager([fakeShard(0), fakeShard(1)], { running: [0] }).readiness()).toEqual({ ready: false, reason: 'shard 1 is not running' });
    expect(await manager([fakeShard(0), fakeShard(1)], { silent: [0] }).readiness()).toEqual({ ready: false, reason: 'shard 0 is not answering' });
  });

  it('ignores messages that are not its own, such as discord.js’s', async () => {
    const zero = fakeShard(0);
    const figures = manager([zero]);
    figures.receive({ _ready: true });
    figures.receive(null);
    figures.receive({ reelsideFiguresReply: { id: 'x' } });
    zero.channel.emit('message', { _eval: '1 + 1' });
    expect(await figures.readiness()).toEqual({ ready: true });
  });
});
