// How a process ends: on a signal, after a crash, or when stopping fails or hangs; shared by both entry points.
import type { EventEmitter } from 'node:events';
import type { Logger } from './log';

/** How long `npm start` may take to stop before it exits anyway. */
export const BOT_STOP_DEADLINE_MS = 10_000;
/** The shard manager waits longer than a shard's own deadline, so each shard can report its own failure first. */
export const SHARDS_STOP_DEADLINE_MS = 15_000;
/**
 * One Ctrl+C reaches `npm start` twice (from the terminal, and from npm passing it on), and a shard
 * gets the terminal's SIGINT and its manager's SIGTERM: a repeat this soon is the same request.
 */
export const REPEATED_SIGNAL_WINDOW_MS = 1_000;

export interface ShutdownOptions {
  log: Logger;
  /** process.exit, or a fake in tests. */
  exit: (code: number) => void;
  /** From the first signal (or crash) to the exit, whatever `stop` is doing by then. */
  deadlineMs: number;
  /** Runs, synchronously, just before a forced exit: the shard manager kills its shards there, so none outlives it. */
  onForcedExit?: () => void;
  /** A signal this soon after the first is not a second request; REPEATED_SIGNAL_WINDOW_MS unless given. */
  repeatWindowMs?: number;
}

export interface Shutdown {
  /**
   * The process now has something to stop. A signal that came before this (during start-up)
   * stops it at once; the deadline still counts from that signal.
   */
  running(stop: () => Promise<void>): void;
  /** A stop is under way: a start-up failure from now on is the stop's doing, not news. */
  readonly stopping: boolean;
  /** Aborted at the first signal: start-up steps that wait (for a shard lease, say) give up on it. */
  readonly requested: AbortSignal;
  /** The bot can no longer do its job (another process took its shard): stop it and exit 1. */
  abandon(): void;
}

/**
 * Handles SIGTERM and SIGINT, uncaught exceptions and unhandled rejections on `emitter` (the
 * process). Registered before start-up, so a signal or a crash while starting is handled too.
 *
 * - First signal: `stop`, then exit 0; exit 1 if `stop` fails or the deadline passes first.
 * - Another signal, once REPEATED_SIGNAL_WINDOW_MS have passed: exit 1 at once (an operator who
 *   asks twice wants the process gone). One sooner is the first request delivered twice.
 * - Uncaught exception: the process's state may be corrupt, so it exits 1, after a stop bounded
 *   by the same deadline if the bot was running.
 * - Unhandled rejection: logged; a stray rejection is a bug, not a reason to take every server offline.
 */
export function handleShutdown(emitter: EventEmitter, options: ShutdownOptions): Shutdown {
  const { log, deadlineMs } = options;
  const repeatWindowMs = options.repeatWindowMs ?? REPEATED_SIGNAL_WINDOW_MS;
  let stop: (() => Promise<void>) | undefined;
  let requested = false;
  let requestedAt = 0;
  let stopping = false;
  let failed = false;
  let exited = false;
  let deadline: NodeJS.Timeout | undefined;
  const request = new AbortController();

  const exit = (code: number) => {
    if (exited) return;
    exited = true;
    clearTimeout(deadline);
    options.exit(code);
  };

  const forceExit = () => {
    try {
      options.onForcedExit?.();
    } finally {
      exit(1);
    }
  };

  // Not unref'd: a stop that hangs on nothing would otherwise let the loop drain and exit 0.
  const armDeadline = () => {
    deadline ??= setTimeout(() => {
      log.error({ deadlineMs }, 'shutdown did not finish in time; exiting anyway');
      forceExit();
    }, deadlineMs);
  };

  const beginStop = (run: () => Promise<void>) => {
    stopping = true;
    let stopped: Promise<void>;
    try {
      stopped = run();
    } catch (error) {
      stopped = Promise.reject(error);
    }
    stopped.then(
      () => exit(failed ? 1 : 0),
      (error: unknown) => {
        log.error({ err: error }, 'could not stop cleanly');
        exit(1);
      },
    );
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (requested) {
      if (Date.now() - requestedAt < repeatWindowMs) {
        log.debug({ signal }, 'signal repeated at once; taken as the same request');
        return;
      }
      log.error({ signal }, 'shutdown forced by a second signal');
      forceExit();
      return;
    }
    requested = true;
    requestedAt = Date.now();
    request.abort();
    log.info({ signal }, 'shutting down');
    armDeadline();
    if (stop) beginStop(stop);
  };

  // Exit 1 after a stop bounded by the deadline, or at once when nothing runs yet.
  const stopAndFail = () => {
    failed = true;
    if (stopping) return; // already bounded by the deadline, and will now exit 1
    if (!stop) {
      exit(1);
      return;
    }
    requested = true;
    requestedAt = Date.now();
    request.abort();
    armDeadline();
    beginStop(stop);
  };

  emitter.on('SIGTERM', onSignal);
  emitter.on('SIGINT', onSignal);

  emitter.on('uncaughtException', (error: unknown) => {
    log.fatal({ err: error }, 'uncaught exception; exiting');
    stopAndFail();
  });

  emitter.on('unhandledRejection', (reason: unknown) => log.error({ err: reason }, 'unhandled rejection'));

  return {
    running(run) {
      stop = run;
      if (requested && !stopping) beginStop(run);
    },
    get stopping() {
      return stopping;
    },
    requested: request.signal,
    abandon: stopAndFail,
  };
}
