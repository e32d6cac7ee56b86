// Words for the failures a member can be told about; anything not here is a bug, answered generically.
import { TmdbError } from '../data/tmdb/errors';
import { PollClosedError, PollNotFoundError, RecordDamagedError, StorageUnavailableError, UserFacingError } from '../errors';
import { TMDB_UNAVAILABLE } from './film';

export const GENERIC_FAILURE = 'Something went wrong on our side and it has been logged. Please try again.';
export const STORAGE_UNAVAILABLE = 'Storage is unavailable right now, so nothing was saved. Please try again in a moment.';
const STALE_OPTIONS = 'Discord sent options this command does not take (an old command list?). Reload Discord (Ctrl+R) and try again.';

// discord.js throws these when an interaction's options do not match the command's definition:
// an outdated client or a forged payload, not a bug of ours.
const OPTION_MISMATCH = new Set([
  'CommandInteractionOptionNotFound',
  'CommandInteractionOptionType',
  'CommandInteractionOptionEmpty',
  'CommandInteractionOptionNoSubcommand',
]);

/** What to tell the member about `error`, or undefined when it is a bug of ours. */
export function describeFailure(error: unknown): string | undefined {
  if (error instanceof UserFacingError) return error.message;
  if (error instanceof StorageUnavailableError) return STORAGE_UNAVAILABLE;
  if (error instanceof PollNotFoundError) return 'That poll no longer exists.';
  if (error instanceof PollClosedError) return 'This poll has closed, so your vote was not counted.';
  if (error instanceof TmdbError) return TMDB_UNAVAILABLE;
  if (error instanceof RecordDamagedError) return 'That record is damaged and cannot be changed; a moderator can check the logs.';
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && OPTION_MISMATCH.has(code)) return STALE_OPTIONS;
  return undefined;
}
