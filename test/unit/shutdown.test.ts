// How the entry points end: signals, a stop that fails or hangs, a second signal, crashes.
import { EventEmitter } from 'node:events';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { handleShutdown, type ShutdownOptions } from '../../src/shutdown';

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

const FATAL = 60;
const ERROR = 50;
const INFO = 30;

/** A stand-in process: signals and crashes are emitted on it, and its exits are recorded. */
function fakeProcess(options: Partial<Pick<ShutdownOptions, 'deadlineMs' | 'onForcedExit' | 'repeatWindowMs'>> = {}) {
  const emitter = new EventEmitter();
  const lines: LogLine[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  const exits: number[] = [];
  let exited: (code: number) => void = () => undefined;
  const firstExit = new Promise<number>((resolve) => (exited = resolve));
  const shutdown = handleShutdown(emitter, {
    log,
    deadlineMs: options.deadlineMs ?? 60_000,
    onForcedExit: options.onForcedExit,
    // No window unless a test is about it: a second signal then forces however soon it comes.
    repeatWindowMs: options.repeatWindowMs ?? 0,
    exit: (code) => {
      exits.push(code);
      exited(code);
    },
  });
  return { emitter, lines, exits, firstExit, shutdown };
}

/** A stop that runs until the test settles it. */
function controlledStop() {
  let calls = 0;
  let settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
  const stop = () => {
    calls += 1;
    return new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  };
  return {
    stop,
    get calls() {
      return calls;
    },
    resolve: () => settle!.resolve(),
    reject: (error: Error) => settle!.reject(error),
  };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe.each(['SIGTERM', 'SIGINT'] as const)('on %s', (signal) => {
  it('stops the bot, then exits 0', async () => {
    const proc = fakeProcess();
    const stop = controlledStop();
    proc.shutdown.running(stop.stop);
    proc.emitter.emit(signal, signal);
    expect(stop.calls).toBe(1);
    await settled();
    expect(proc.exits).toEqual([]);
    stop.resolve();
    expect(await proc.firstExit).toBe(0);
    expect(proc.lines).toMatchObject([{ level: INFO, msg: 'shutting down', signal }]);
  });

  it('exits 1, with the reason at error, when the stop fails', async () => {
    const proc = fakeProcess();
    const stop = controlledStop();
    proc.shutdown.running(stop.stop);
    proc.emitter.emit(signal, signal);
    stop.reject(new Error('storage close failed'));
    expect(await proc.firstExit).toBe(1);
    const failure = proc.lines.find((line) => line.level === ERROR);
    expect(failure).toMatchObject({ msg: 'could not stop cleanly', err: { message: 'storage close failed' } });
  });

  it('exits 1 when the stop throws before it returns a promise', async () => {
    const proc = fakeProcess();
    proc.shutdown.running(() => {
      throw new Error('broken stop');
    });
    proc.emitter.emit(signal, signal);
    expect(await proc.firstExit).toBe(1);
    expect(proc.lines.find((line) => line.level === ERROR)).toMatchObject({ msg: 'could not stop cleanly', err: { message: 'broken stop' } });
  });

  it('exits 1 at the deadline, with an error line, when the stop hangs', async () => {
    const proc = fakeProcess({ deadlineMs: 50 });
    proc.shutdown.running(() => new Promise<void>(() => undefined));
    proc.emitter.emit(signal, signal);
    await settled();
    expect(proc.exits).toEqual([]);
    expect(await proc.firstExit).toBe(1);
    expect(proc.lines.find((line) => line.level === ERROR)).toMatchObject({ msg: 'shutdown did not finish in time; exiting anyway', deadlineMs: 50 });
  });

  it('exits 1 at once on a second signal, saying the shutdown was forced, and only once', async () => {
    let forced = 0;
    const proc = fakeProcess({ onForcedExit: () => (forced += 1) });
    const stop = controlledStop();
    proc.shutdown.running(stop.stop);
    proc.emitter.emit(signal, signal);
    proc.emitter.emit('SIGTERM', 'SIGTERM');
    expect(proc.exits).toEqual([1]);
    expect(forced).toBe(1);
    expect(stop.calls).toBe(1);
    expect(proc.lines.at(-1)).toMatchObject({ level: ERROR, msg: 'shutdown forced by a second signal', signal: 'SIGTERM' });
    // The first stop finishing later changes nothing.
    stop.resolve();
    await settled();
    expect(proc.exits).toEqual([1]);
  });

  it('takes the same signal delivered twice at once (Ctrl+C through npm) as one request', async () => {
    const proc = fakeProcess({ repeatWindowMs: 60_000 });
    const stop = controlledStop();
    proc.shutdown.running(stop.stop);
    proc.emitter.emit(signal, signal);
    proc.emitter.emit(signal, signal);
    proc.emitter.emit('SIGTERM', 'SIGTERM');
    expect(proc.exits).toEqual([]);
    expect(stop.calls).toBe(1);
    stop.resolve();
    expect(await proc.firstExit).toBe(0);
    expect(proc.lines.filter((line) => line.msg === 'signal repeated at once; taken as the same request')).toHaveLength(2);
  });

  it('forces the exit with a signal that comes once the repeat window has passed', async () => {
    const proc = fakeProcess({ repeatWindowMs: 30 });
    proc.shutdown.running(controlledStop().stop);
    proc.emitter.emit(signal, signal);
    await new Promise((resolve) => setTimeout(resolve, 60));
    proc.emitter.emit(signal, signal);
    expect(proc.exits).toEqual([1]);
  });

  it('during start-up, stops the bot as soon as it is running, and a second signal still forces', async () => {
    const proc = fakeProcess();
    proc.emitter.emit(signal, signal);
    expect(proc.exits).toEqual([]);
    const stop = controlledStop();
    proc.shutdown.running(stop.stop);
    expect(stop.calls).toBe(1);
    expect(proc.shutdown.stopping).toBe(true);
    stop.resolve();
    expect(await proc.firstExit).toBe(0);

    const again = fakeProcess();
    again.emitter.emit(signal, signal);
    again.emitter.emit(signal, signal);
    expect(again.exits).toEqual([1]);
  });

  it('during a start-up that never ends, exits 1 at the deadline counted from the signal', async () => {
    const proc = fakeProcess({ deadlineMs: 50 });
    proc.emitter.emit(signal, signal);
    expect(await proc.firstExit).toBe(1);
    expect(proc.lines.find((line) => line.level === ERROR)?.msg).toBe('shutdown did not finish in time; exiting anyway');
  });
});

describe('an uncaught exception', () => {
  it('is logged at fatal, and the running bot is stopped before the process exits 1', async () => {
    const proc = fakeProcess();
    const stop = controlledStop();
    proc.shutdown.running(stop.stop);
    proc.emitter.emit('uncaughtException', new Error('state is broken'));
    expect(proc.lines[0]).toMatchObject({ level: FATAL, msg: 'uncaught exception; exiting', err: { message: 'state is broken' } });
    expect(stop.calls).toBe(1);
    await settled();
    expect(proc.exits).toEqual([]);
    stop.resolve();
    expect(await proc.firstExit).toBe(1);
  });

  it('exits 1 at the deadline when that stop hangs', async () => {
    const proc = fakeProcess({ deadlineMs: 50 });
    proc.shutdown.running(() => new Promise<void>(() => undefined));
    proc.emitter.emit('uncaughtException', new Error('state is broken'));
    expect(await proc.firstExit).toBe(1);
    expect(proc.lines.map((line) => line.level)).toEqual([FATAL, ERROR]);
  });

  it('during start-up exits 1 at once: there is nothing to stop yet', () => {
    const proc = fakeProcess();
    proc.emitter.emit('uncaughtException', new Error('bad start'));
    expect(proc.exits).toEqual([1]);
    expect(proc.lines).toMatchObject([{ level: FATAL, msg: 'uncaught exception; exiting' }]);
  });

  it('during a stop makes the exit 1 even if the stop then succeeds, without stopping twice', async () => {
    const proc = fakeProcess();
    const stop = controlledStop();
    proc.shutdown.running(stop.stop);
    proc.emitter.emit('SIGTERM', 'SIGTERM');
    proc.emitter.emit('uncaughtException', new Error('during stop'));
    expect(stop.calls).toBe(1);
    stop.resolve();
    expect(await proc.firstExit).toBe(1);
  });

  it('then a signal forces the exit at once', () => {
    const proc = fakeProcess();
    proc.shutdown.running(controlledStop().stop);
    proc.emitter.emit('uncaughtException', new Error('state is broken'));
    proc.emitter.emit('SIGTERM', 'SIGTERM');
    expect(proc.exits).toEqual([1]);
  });
});

describe('an unhandled rejection', () => {
  it('is logged at error, and the bot keeps running', async () => {
    const proc = fakeProcess({ deadlineMs: 50 });
    const stop = controlledStop();
    proc.shutdown.running(stop.stop);
    proc.emitter.emit('unhandledRejection', new Error('stray'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(proc.exits).toEqual([]);
    expect(stop.calls).toBe(0);
    expect(proc.lines).toMatchObject([{ level: ERROR, msg: 'unhandled rejection', err: { message: 'stray' } }]);
  });
});

describe('start-up that waits, and a bot that must give up', () => {
  it('aborts waiting start-up steps at the first signal', () => {
    const { emitter, shutdown } = fakeProcess();
    expect(shutdown.requested.aborted).toBe(false);
    emitter.emit('SIGTERM', 'SIGTERM');
    expect(shutdown.requested.aborted).toBe(true);
  });

  it('stops a running bot and exits 1 when it is abandoned (its shard was taken)', async () => {
    const { shutdown, firstExit, exits } = fakeProcess();
    const stop = controlledStop();
    shutdown.running(stop.stop);
    shutdown.abandon();
    expect(stop.calls).toBe(1);
    expect(exits).toEqual([]);
    stop.resolve();
    expect(await firstExit).toBe(1);
  });
});
