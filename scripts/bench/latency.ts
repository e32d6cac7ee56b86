// Interaction → answer latency of several kinds of interaction, sampled with a few in flight and the kinds interleaved.
import type { InteractionHandle } from '../../harness/discord/types';
import { type Answer, answerOf, inFlight, problemsOf, type Shown } from './answers';

export interface Kind {
  /** Sends the i-th interaction of this kind (i counts from 0 over warm-up and samples). */
  send: (i: number) => InteractionHandle;
  /** Gets the same i as `send`, for kinds whose right answer depends on what was sent (the title typed). */
  expect: (shown: Shown, i: number) => boolean;
}

export interface LatencySamples {
  samples: number[];
  problems: string[];
}

export interface LatencyOptions {
  samples: number;
  warmup: number;
  concurrency: number;
  /** Samples are taken in this many rounds of every kind in turn, so drift in machine load hits all kinds alike. */
  rounds: number;
}

export async function measureLatency<K extends string>(kinds: Record<K, Kind>, options: LatencyOptions): Promise<Record<K, LatencySamples>> {
  const names = Object.keys(kinds) as K[];
  const answers = Object.fromEntries(names.map((name) => [name, [] as Answer[]])) as Record<K, Answer[]>;
  const sent = Object.fromEntries(names.map((name) => [name, 0])) as Record<K, number>;
  const run = (name: K, count: number, record: boolean) =>
    inFlight(count, options.concurrency, async () => {
      const i = sent[name]++;
      const answer = await answerOf(kinds[name].send(i), (shown) => kinds[name].expect(shown, i));
      if (record || !answer.ok) answers[name].push(answer);
    });

  for (const name of names) await run(name, options.warmup, false);
  for (let round = 0; round < options.rounds; round++) {
    const share = Math.floor(options.samples / options.rounds) + (round < options.samples % options.rounds ? 1 : 0);
    for (const name of names) await run(name, share, true);
  }
  return Object.fromEntries(
    names.map((name) => [name, { samples: answers[name].filter((a) => a.ok).map((a) => a.latencyMs), problems: problemsOf(answers[name]) }]),
  ) as Record<K, LatencySamples>;
}
