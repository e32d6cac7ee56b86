// How long a member's review may be, in characters (as Discord counts a form's limits): shared by
// its stored schema, its form and the form's checks.
export const MIN_REVIEW_LENGTH = 10;
export const MAX_REVIEW_LENGTH = 1_000;
