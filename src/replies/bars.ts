// Text bars for counts, as histograms and vote tallies draw them.

/** A bar of up to `width` blocks for `count` out of the largest `most`; any count above zero shows one. */
export function countBar(count: number, most: number, width = 10): string {
  return count === 0 || most === 0 ? '' : '█'.repeat(Math.max(1, Math.round((count / most) * width)));
}
