// Tells operators once when storage goes down and once when it is back, not once per failed call.
import type { Logger } from '../log';

export class OutageMonitor {
  /** When the current outage began, or undefined while storage answers. */
  private since: number | undefined;

  constructor(
    private readonly log: Logger,
    private readonly backend: string,
    private readonly now: () => number = Date.now,
  ) {}

  get down(): boolean {
    return this.since !== undefined;
  }

  failed(error: unknown): void {
    if (this.since !== undefined) return;
    this.since = this.now();
    this.log.error({ backend: this.backend, reason: reasonOf(error) }, 'storage outage: members are told nothing was saved until it is back');
  }

  /** A call that started before the outage began proves nothing about recovery. */
  succeeded(startedAt: number): void {
    if (this.since === undefined || startedAt < this.since) return;
    this.log.info({ backend: this.backend, downMs: this.now() - this.since }, 'storage is back');
    this.since = undefined;
  }
}

function reasonOf(error: unknown): string {
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  if (cause instanceof Error) return cause.message || cause.name;
  return String(cause);
}
