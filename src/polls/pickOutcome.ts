// How a closed pick poll ended, and the runoff a tie opens: read by the poll service and the poll's message.
import type { Candidate, PickPoll } from '../storage/pickPolls';

/** The runoff that breaks a tie in pick poll `pollId`: fixed, so a close retried after a crash finds the same one. */
export const runoffIdOf = (pollId: string): string => `${pollId}r`;

export type PickOutcome =
  | { kind: 'winner'; candidate: Candidate; votes: number; byRunoffRule: boolean }
  | { kind: 'tie'; tied: Candidate[] }
  | { kind: 'none' };

/**
 * How a closed pick poll ended. The most votes wins. A tie goes to a runoff among the tied films;
 * a runoff that ties again (or that nobody votes in) goes to the tied film suggested first.
 */
export function pickOutcome(poll: PickPoll): PickOutcome {
  const most = Math.max(...poll.tally);
  const leaders = poll.candidates.filter((_, index) => poll.tally[index] === most);
  if (most === 0 && !poll.runoffOf) return { kind: 'none' };
  if (leaders.length === 1) return { kind: 'winner', candidate: leaders[0]!, votes: most, byRunoffRule: false };
  if (!poll.runoffOf) return { kind: 'tie', tied: leaders };
  return { kind: 'winner', candidate: leaders[0]!, votes: most, byRunoffRule: true };
}
