// The bench's goals: each figure against a floor measured in the same run, judged PASS or FAIL (or n/a when the floor itself failed).
import { table } from './report';

export interface Goal {
  /** Which goal (Memory, Start-up, …) and what exactly is compared. */
  name: string;
  value: number;
  floor: number;
  unit: string;
  /** `value ÷ floor` must be at most (or at least) `factor`. */
  direction: 'at most' | 'at least';
  factor: number;
  /** Undefined when the goal does not apply (its condition was not met), with why in `note`. */
  pass: boolean | undefined;
  note?: string;
}

/** value ≤ factor × floor (lower is better: memory, time, latency). */
export function atMost(name: string, value: number, floor: number, factor: number, unit: string, note?: string): Goal {
  return judge({ name, value, floor, unit, direction: 'at most', factor, ...(note ? { note } : {}) });
}

/** value ≥ factor × floor (higher is better: throughput). */
export function atLeast(name: string, value: number, floor: number, factor: number, unit: string, note?: string): Goal {
  return judge({ name, value, floor, unit, direction: 'at least', factor, ...(note ? { note } : {}) });
}

/** Fails the goal, whatever its ratio, when `ok` is false (e.g. votes lost or answered late), saying why. */
export function unless(goal: Goal, ok: boolean, why: string): Goal {
  return ok || goal.pass === undefined ? goal : { ...goal, pass: false, note: [goal.note, why].filter(Boolean).join('; ') };
}

/** A goal whose condition was not met (e.g. the floor itself missed the deadline): shown, not judged. */
export function notApplicable(goal: Goal, why: string): Goal {
  return { ...goal, pass: undefined, note: why };
}

function judge(goal: Omit<Goal, 'pass'>): Goal {
  const ratio = goal.value / goal.floor;
  // A figure that could not be measured fails: a goal is never passed by default.
  const pass = Number.isFinite(ratio) ? (goal.direction === 'at most' ? ratio <= goal.factor : ratio >= goal.factor) : false;
  return { ...goal, pass };
}

export const verdict = (goal: Goal) => (goal.pass === undefined ? 'n/a' : goal.pass ? 'PASS' : 'FAIL');

const figure = (x: number, unit: string) => (Number.isFinite(x) ? `${x >= 100 ? x.toFixed(0) : x.toFixed(1)} ${unit}` : '–');

export function goalsTable(goals: Goal[]): string {
  const rows = goals.map((goal) => [
    goal.name,
    figure(goal.value, goal.unit),
    figure(goal.floor, goal.unit),
    Number.isFinite(goal.value / goal.floor) ? `${(goal.value / goal.floor).toFixed(2)}×` : '–',
    `${goal.direction === 'at most' ? '≤' : '≥'} ${goal.factor}×`,
    verdict(goal) + (goal.note ? ` (${goal.note})` : ''),
  ]);
  return table('Goals (each figure ÷ a floor from this run)', ['goal', 'figure', 'floor', 'ratio', 'goal', 'verdict'], rows);
}
