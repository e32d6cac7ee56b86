// How long a member's review may be, in characters (as Discord counts a form's limits): shared by
// its stored schema, its form and the form's checks.
export const MIN_REVIEW_LENGTH = 10;
export const MAX_REVIEW_LENGTH = 1_000;

/**
 * A text's length in characters as Discord counts them (an emoji is one, not two): code points,
 * counted without building an array of them, since every stored review is checked on each read.
 */
export function characterCount(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      count -= 1;
      i += 1;
    }
  }
  return count;
}
