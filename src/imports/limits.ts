// How much one Letterboxd import may ask of the bot: each bound keeps a hostile or huge file
// inside the interaction's time and a few tens of megabytes of memory.

/** The attachment, as downloaded (a real export of thousands of films zips to well under 1 MB). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
/** The whole download, from asking Discord's CDN to the last byte. */
export const DOWNLOAD_TIMEOUT_MS = 15_000;
/** What the wanted CSVs of a zip may inflate to, in all: counted while inflating, never taken from the zip's headers. */
export const MAX_UNZIPPED_BYTES = 20 * 1024 * 1024;
/** Entries in a zip (a real export has a few dozen, more with many lists). */
export const MAX_ZIP_ENTRIES = 5_000;
/**
 * Compressed bytes handed to the inflater at a time: deflate expands at most about 1,032 to 1, so
 * one step can overshoot MAX_UNZIPPED_BYTES by at most about 4 MB before it is refused.
 */
export const INFLATE_STEP_BYTES = 4 * 1024;
/** Data rows across the files of one import (a diary of 20 years of daily films is under 8,000). */
export const MAX_ROWS = 20_000;
/** One CSV record, review text included. */
export const MAX_RECORD_CHARACTERS = 100_000;
/**
 * Films not found in the bundled dataset or the server's films that are looked up on TMDB per
 * import. Answers TMDB gave in the last hour are cached and do not count, so importing the same
 * file again looks up the next ones.
 */
export const MAX_TMDB_LOOKUPS = 50;
/** TMDB lookups at once, and the time all of an import's lookups may take. */
export const TMDB_LOOKUPS_AT_ONCE = 4;
export const TMDB_LOOKUP_BUDGET_MS = 30_000;
/** Imports one process runs at once; each holds its file and its rows in memory. */
export const MAX_IMPORTS_AT_ONCE = 3;
