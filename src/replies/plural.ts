// "1 vote", "2 votes": counts in words, in one place.
export function countOf(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
