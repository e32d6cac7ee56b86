// What a member sees after an interaction (the answer, and when it became visible), and the interactions the bench sends.
import type { DiscordStandin } from '../../harness/discord/standin';
import type { InteractionHandle, StandinGuild, StoredMessage } from '../../harness/discord/types';
import { vote } from '../../harness/polls';
import { member } from '../../harness/world';
import { DISCORD_DEADLINE_MS } from '../../src/discord/respond';
import { tmdbFilmId } from '../../src/films/model';
import { type Stats, stats } from './report';
/** How long the bench waits for an answer at all (the stand-ins run with a deadline this long, so late answers are timed). */
export const ANSWER_TIMEOUT_MS = 60_000;

/** What the member is shown: a reply's text and embeds, or autocomplete choices. */
export interface Shown {
  content?: string;
  embeds?: any[];
  choices?: any[];
}

export interface Answer {
  /** The expected answer was shown (not an error, not nothing). */
  ok: boolean;
  /** Dispatch → the answer visible to the member (for a deferred answer: when the deferral was filled in). */
  latencyMs: number;
  /** When it became visible (ms since the epoch). */
  at: number;
  /** Acknowledged with "Reelside is thinking…" first. */
  deferred: boolean;
  problem?: string;
}

/** Waits for the member's answer: the reply itself, or a deferral and then what fills it in. */
export async function answerOf(handle: InteractionHandle, expect: (shown: Shown) => boolean): Promise<Answer> {
  try {
    const response = await handle.response(ANSWER_TIMEOUT_MS);
    let shown: Shown = response.data ?? {};
    let at = response.at;
    const deferred = response.type === 5 || response.type === 6;
    if (deferred) {
      const message: StoredMessage = await handle.reply(ANSWER_TIMEOUT_MS);
      shown = message;
      at = message.editedTimestamp ? Date.parse(message.editedTimestamp) : Date.now();
    }
    const ok = expect(shown);
    return { ok, latencyMs: at - handle.dispatchedAt, at, deferred, ...(ok ? {} : { problem: `unexpected answer (callback type ${response.type}): ${JSON.stringify(shown).slice(0, 200)}` }) };
  } catch (error) {
    return { ok: false, latencyMs: NaN, at: NaN, deferred: false, problem: error instanceof Error ? error.message : String(error) };
  }
}

const text = (shown: Shown) => JSON.stringify(shown.embeds ?? []);

/** The answer each interaction the bench sends must get. */
export const EXPECT = {
  help: (shown: Shown) => shown.embeds?.[0]?.title === 'Reelside commands',
  film: (shown: Shown) => String(shown.embeds?.[0]?.title).includes('Her Smell'),
  filmFr: (shown: Shown) => String(shown.embeds?.[0]?.title).includes('Her Smell') && JSON.stringify(shown.embeds?.[0]?.fields ?? []).includes('Durée'),
  autocomplete: (shown: Shown) => shown.choices?.[0]?.value === 'her-smell',
  status: (shown: Shown) => shown.embeds?.[0]?.title === 'Open polls',
  vote: (shown: Shown) => /^You rated /.test(shown.content ?? ''),
  /** Autocomplete answered at all: choices, possibly none (what a member sees when every source is slow or empty). */
  choices: (shown: Shown) => Array.isArray(shown.choices),
} satisfies Record<string, (shown: Shown) => boolean>;

/** Autocomplete choices that offer this TMDB film (its id as the choice's value, as the bot keeps it). */
export const suggestsTmdbFilm = (tmdbId: number) => (shown: Shown) => shown.choices?.some((choice) => choice.value === tmdbFilmId(tmdbId)) ?? false;

/** A number shown with or without thousands separators ("5000 votes", "5,000 votes"). */
export function countIn(shown: Shown | string, pattern: RegExp): number | undefined {
  const match = pattern.exec(typeof shown === 'string' ? shown : `${shown.content ?? ''} ${text(shown)}`);
  return match ? Number(match[1]!.replace(/[,\s]/g, '')) : undefined;
}

/** The interactions members send in one server; `n` picks the member, so distinct n are distinct members. */
export function actions(discord: DiscordStandin, guild: StandinGuild) {
  const where = (n: number) => ({ guildId: guild.id, channelId: guild.channels[0]!.id, user: member(n) });
  return {
    help: (n: number) => discord.slash({ name: 'help', ...where(n) }),
    film: (n: number) => discord.slash({ name: 'film', options: [{ name: 'title', type: 3, value: 'her-smell' }], ...where(n) }),
    autocomplete: (n: number, typed = 'her') => discord.autocomplete({ name: 'film', options: [{ name: 'title', type: 3, value: typed, focused: true }], ...where(n) }),
    status: (n: number) => discord.slash({ name: 'watchparty', options: [{ name: 'status', type: 1 }], ...where(n) }),
    vote: (poll: StoredMessage, n: number) => vote(discord, poll, member(n), '4.5', where(n)),
  };
}

/** Runs `count` tasks with at most `width` in flight. */
export async function inFlight(count: number, width: number, task: () => Promise<void>): Promise<void> {
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started++;
      await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, worker));
}

/**
 * Sends `count` interactions, 20 at a time, and returns the problems seen. A bot fresh from its
 * start runs cold code (V8 optimises what runs often): warmed up, its first measured answers
 * are as fast as its last, and no figure gains or loses from the order of the sections.
 */
export async function warmUp(count: number, send: (i: number) => InteractionHandle, expect: (shown: Shown) => boolean): Promise<string[]> {
  const answers: Answer[] = [];
  let next = 0;
  await inFlight(count, 20, async () => void answers.push(await answerOf(send(next++), expect)));
  return problemsOf(answers);
}

export interface AtOnce {
  sent: number;
  /** Expected answers shown, however late. */
  answered: number;
  withinDeadline: number;
  /** Answered after Discord's 3 s (with a deferral in time, the member still sees the answer). */
  late: number;
  deferred: number;
  latency: Stats;
  /** First dispatch → last answer shown. */
  elapsedMs: number;
  /** Answers shown per second over `elapsedMs`. */
  perSec: number;
  /** How long the stand-in took to send every INTERACTION_CREATE (part of `elapsedMs`). */
  dispatchMs: number;
  /** Distinct problems (no answer, wrong answer), with how often each came. */
  problems: string[];
}

// Sent in slices with a turn of the event loop between them, so that the stand-in takes in the
// first answers while it still sends (each answer is timed from its own dispatch, and answers
// left waiting behind a long send loop would count the loop as the bot's time).
const SLICE = 250;

/** Sends `count` interactions as fast as the stand-in can (well inside a second) and waits for every answer. */
export async function atOnce(count: number, send: (i: number) => InteractionHandle, expect: (shown: Shown) => boolean): Promise<AtOnce> {
  const started = Date.now();
  const pending: Promise<Answer>[] = [];
  for (let i = 0; i < count; i++) {
    if (i > 0 && i % SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    pending.push(answerOf(send(i), expect));
  }
  const dispatchMs = Date.now() - started;
  const answers = await Promise.all(pending);
  const shown = answers.filter((a) => a.ok);
  const elapsedMs = Math.max(...shown.map((a) => a.at)) - started;
  return {
    sent: count,
    ...answerCounts(answers),
    latency: stats(shown.map((a) => a.latencyMs)),
    elapsedMs,
    perSec: (shown.length / elapsedMs) * 1000,
    dispatchMs,
    problems: problemsOf(answers),
  };
}

/** How many answers members saw, within Discord's deadline or after it, and how many came as a deferral first. */
export function answerCounts(answers: Answer[]): { answered: number; withinDeadline: number; late: number; deferred: number } {
  const shown = answers.filter((a) => a.ok);
  const late = shown.filter((a) => a.latencyMs > DISCORD_DEADLINE_MS).length;
  return { answered: shown.length, withinDeadline: shown.length - late, late, deferred: answers.filter((a) => a.deferred).length };
}

/** Problems grouped by their text (digits folded, so ids do not split them). */
export function problemsOf(answers: Answer[]): string[] {
  const counts = new Map<string, { n: number; example: string }>();
  for (const answer of answers) {
    if (!answer.problem) continue;
    const key = answer.problem.replace(/\d+/g, '#');
    const entry = counts.get(key) ?? { n: 0, example: answer.problem };
    entry.n++;
    counts.set(key, entry);
  }
  return [...counts.values()].map(({ n, example }) => `${n}× ${example}`);
}
