// One-shot timers by key, for steps stored elsewhere: a timer only says when to look at storage.
// setTimeout cannot wait longer than 2^31-1 ms (about 24 days); longer waits re-arm when they fire.
const MAX_TIMER_MS = 2_147_483_647;

export class Timers {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly now: () => number = Date.now) {}

  get size(): number {
    return this.timers.size;
  }

  /** Runs `run` at `at` (at once if it is past), replacing any timer under `key`. */
  set(key: string, at: number, run: () => void): void {
    if (this.stopped) return;
    this.clear(key);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      if (at > this.now()) this.set(key, at, run);
      else run();
    }, Math.min(Math.max(0, at - this.now()), MAX_TIMER_MS));
    this.timers.set(key, timer);
  }

  clear(key: string): void {
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}

/** Waits of a step that keeps failing (storage down): 1 s, 2 s, 4 s … up to a minute. */
export function retryDelay(attempt: number): number {
  return Math.min(1_000 * 2 ** Math.max(0, attempt - 1), 60_000);
}
