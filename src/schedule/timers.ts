// One-shot timers by key, for steps stored elsewhere: a timer only says when to look at storage.
// setTimeout cannot wait longer than 2^31-1 ms (about 24 days); longer waits re-arm when they fire.
// The work a timer starts is kept until it settles, so `stop` can wait for it.
const MAX_TIMER_MS = 2_147_483_647;

export class Timers {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(private readonly now: () => number = Date.now) {}

  get size(): number {
    return this.timers.size;
  }

  /** Runs `run` at `at` (at once if it is past), replacing any timer under `key`. */
  set(key: string, at: number, run: () => Promise<unknown> | void): void {
    if (this.stopped) return;
    this.clear(key);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      if (at > this.now()) return this.set(key, at, run);
      const work = run();
      if (!work) return;
      this.running.add(work);
      void work.catch(() => undefined).finally(() => this.running.delete(work));
    }, Math.min(Math.max(0, at - this.now()), MAX_TIMER_MS));
    this.timers.set(key, timer);
  }

  clear(key: string): void {
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  /** No timer fires from now on; resolves once the work timers started has settled. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    // Work under way may start one more step before it sees `stopped`: wait for that too.
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}

/** Waits of a step that keeps failing (storage down): 1 s, 2 s, 4 s … up to a minute. */
export function retryDelay(attempt: number): number {
  return Math.min(1_000 * 2 ** Math.max(0, attempt - 1), 60_000);
}
