// Text folding and fuzzy similarity used to match what users type against film titles.

/**
 * Longest query we bother comparing. Titles are < 200 chars (labels a few more), so anything past
 * this cannot improve a match; capping keeps a 6,000-character paste as cheap as a short query.
 */
export const MAX_QUERY_LENGTH = 256;

/** Cut user input to MAX_QUERY_LENGTH before any other work. */
export function capQuery(input: string): string {
  return input.length > MAX_QUERY_LENGTH ? input.slice(0, MAX_QUERY_LENGTH) : input;
}

/**
 * Fold a title for comparison: "Déjà Vu: The CLUB!" -> "deja vu the club".
 * Lowercases first so characters like "İ" decompose into a base letter plus a strippable mark.
 * Apostrophes are dropped rather than spaced so "Don't" and "dont" fold the same.
 * Letters and digits of any script survive (\p{L}\p{N}), so non-Latin titles stay searchable.
 */
export function normalizeTitle(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/['\u2018\u2019\u02bc]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Trigrams of an already-normalized string, per word, padded like PostgreSQL's pg_trgm
 * ("  her ", "  smell ") so word order does not matter and word starts weigh more.
 */
export function trigrams(normalized: string): Set<string> {
  const grams = new Set<string>();
  for (const word of normalized.split(' ')) {
    if (word === '') continue;
    const padded = `  ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
  }
  return grams;
}

/** Dice coefficient of two trigram sets: 0 (nothing shared) to 1 (same set). */
export function trigramSimilarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const gram of small) if (large.has(gram)) shared++;
  return (2 * shared) / (a.size + b.size);
}
