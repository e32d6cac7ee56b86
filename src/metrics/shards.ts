// Shard processes hand their figures to the shard manager over IPC, which serves them as one scrape target.
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { MetricsJson } from './instruments';
import { notReady, type Readiness } from './readiness';
import { STORAGE_TIMEOUT_MS } from '../storage/timeouts';

// Messages carry a key of their own, so discord.js's own shard messages (_ready, _eval…) are never taken for ours.
interface FiguresRequest {
  reelsideFigures: { id: number; want: 'metrics' | 'readiness' };
}
interface FiguresReply {
  reelsideFiguresReply: { id: number; metrics?: MetricsJson; readiness?: Readiness; failed?: true };
}

/** What a shard process answers with. */
export interface ShardFigureSource {
  metrics(): Promise<MetricsJson>;
  readiness(): Promise<Readiness>;
}

/** The IPC channel of a shard process to its manager: `process` under discord.js's ShardingManager. */
export interface ManagerChannel {
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
  send?(message: unknown, callback: (error: Error | null) => void): unknown;
}

/** In a shard process: answers the manager's requests for figures. Returns a function that stops answering. */
export function answerShardManager(channel: ManagerChannel, source: ShardFigureSource): () => void {
  const listener = (message: unknown) => {
    if (!isRequest(message)) return;
    const { id, want } = message.reelsideFigures;
    const answer = want === 'metrics' ? source.metrics().then((metrics) => ({ metrics })) : source.readiness().then((readiness) => ({ readiness }));
    void answer
      // Only a marker goes back on failure: an error message could quote a secret.
      .catch(() => ({ failed: true as const }))
      .then((body) => {
        const reply: FiguresReply = { reelsideFiguresReply: { id, ...body } };
        try {
          // With a callback, a closed channel is reported to it instead of as an 'error' event on the process.
          channel.send?.(reply, () => undefined);
        } catch {
          // The manager is gone; this process is about to be stopped too.
        }
      });
  };
  channel.on('message', listener);
  return () => channel.off('message', listener);
}

/** A shard as the manager sees it: something to send a message to, when its process runs. */
export interface ShardChannel {
  send(message: unknown): Promise<unknown>;
}

export interface ShardFiguresOptions {
  /** How long a shard has to answer; a readiness check includes a storage probe of up to STORAGE_TIMEOUT_MS. */
  timeoutMs?: number;
}

/**
 * In the shard manager: asks every shard for its figures and merges them into one scrape. Feed
 * every message from a shard to `receive`.
 */
export class ShardFigures {
  private nextId = 0;
  private readonly pending = new Map<number, (reply: FiguresReply['reelsideFiguresReply']) => void>();
  private readonly timeoutMs: number;

  constructor(
    /** The shard ids this manager runs. */
    private readonly shardIds: readonly number[],
    /** The shard's channel while its process runs, else undefined. */
    private readonly channelOf: (shardId: number) => ShardChannel | undefined,
    options: ShardFiguresOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? STORAGE_TIMEOUT_MS + 1_000;
  }

  receive(message: unknown): void {
    if (!isReply(message)) return;
    const resolve = this.pending.get(message.reelsideFiguresReply.id);
    this.pending.delete(message.reelsideFiguresReply.id);
    resolve?.(message.reelsideFiguresReply);
  }

  /** Ready only when every shard says it is; otherwise the first shard's reason, naming it. */
  async readiness(): Promise<Readiness> {
    const answers = await Promise.all(this.shardIds.map(async (shardId) => ({ shardId, answer: await this.ask(shardId, 'readiness') })));
    for (const { shardId, answer } of answers) {
      if (answer === 'not running') return notReady(`shard ${shardId} is not running`);
      if (answer === 'no answer' || answer.failed || !answer.readiness) return notReady(`shard ${shardId} is not answering`);
      if (!answer.readiness.ready) return notReady(`shard ${shardId}: ${answer.readiness.reason}`);
    }
    return { ready: true };
  }

  /**
   * Every shard's metrics and the manager's own (`own`), merged: counters and histograms summed,
   * series that differ by a label (a gauge's `shard`) kept apart. A shard that does not answer
   * is left out of this scrape; its counters come back with the next one.
   */
  async metrics(own?: Registry): Promise<{ contentType: string; body: string }> {
    const answers = await Promise.all(this.shardIds.map((shardId) => this.ask(shardId, 'metrics')));
    const figures = answers.flatMap((answer) => (typeof answer === 'object' && answer.metrics ? [answer.metrics] : []));
    if (own) figures.push(await own.getMetricsAsJSON());
    return aggregate(figures);
  }

  private async ask(shardId: number, want: 'metrics' | 'readiness'): Promise<FiguresReply['reelsideFiguresReply'] | 'not running' | 'no answer'> {
    const channel = this.channelOf(shardId);
    if (!channel) return 'not running';
    const id = this.nextId++;
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<FiguresReply['reelsideFiguresReply'] | 'no answer'>((resolve) => {
      this.pending.set(id, resolve);
      timer = setTimeout(() => resolve('no answer'), this.timeoutMs);
    });
    try {
      const request: FiguresRequest = { reelsideFigures: { id, want } };
      await channel.send(request);
      return await answered;
    } catch {
      return 'no answer';
    } finally {
      clearTimeout(timer);
      this.pending.delete(id);
    }
  }
}

/** Merges several registries' JSON into Prometheus text, with prom-client's aggregation rules. */
async function aggregate(figures: MetricsJson[]): Promise<{ contentType: string; body: string }> {
  const merged = AggregatorRegistry.aggregate(figures);
  return { contentType: merged.contentType, body: await merged.metrics() };
}

function isRequest(message: unknown): message is FiguresRequest {
  const body = (message as Partial<FiguresRequest> | null)?.reelsideFigures;
  return typeof body === 'object' && body !== null && typeof body.id === 'number' && (body.want === 'metrics' || body.want === 'readiness');
}

function isReply(message: unknown): message is FiguresReply {
  const body = (message as Partial<FiguresReply> | null)?.reelsideFiguresReply;
  return typeof body === 'object' && body !== null && typeof body.id === 'number';
}
