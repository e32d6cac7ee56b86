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
}

/**
 * Each kind is warmed up on its own, then every kind is sampled at once: the interactions in
 * flight take the kinds in turn (a /help, a /film, a /help, …), so a pause of the machine, a
 * garbage collection of the bot or of the stand-in, lands on every kind alike. Taken a kind at a
 * time, a pause fell on whichever kind was running and moved its p99 alone, by half at times.
 */
export async function measureLatency<K extends string>(kinds: Record<K, Kind>, options: LatencyOptions): Promise<Record<K, LatencySamples>> {
  const names = Object.keys(kinds) as K[];
  const answers = Object.fromEntries(names.map((name) => [name, [] as Answer[]])) as Record<K, Answer[]>;
  const sent = Object.fromEntries(names.map((name) => [name, 0])) as Record<K, number>;
  const one = async (name: K, record: boolean) => {
    const i = sent[name]++;
    const answer = await answerOf(kinds[name].send(i), (shown) => kinds[name].expect(shown, i));
    if (record || !answer.ok) answers[name].push(answer);
  };

  for (const name of names) await inFlight(options.warmup, options.concurrency, () => one(name, false));
  let next = 0;
  await inFlight(options.samples * names.length, options.concurrency, () => one(names[next++ % names.length]!, true));
  return Object.fromEntries(
    names.map((name) => [name, { samples: answers[name].filter((a) => a.ok).map((a) => a.latencyMs), problems: problemsOf(answers[name]) }]),
  ) as Record<K, LatencySamples>;
}
