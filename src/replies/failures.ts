// Words for the failures a member can be told about; anything not here is a bug, answered generically.
import { TmdbError } from '../data/tmdb/errors';
import { PollClosedError, PollNotFoundError, RecordDamagedError, StorageUnavailableError, UserFacingError } from '../errors';
import type { Translator } from '../i18n';

// discord.js throws these when an interaction's options do not match the command's definition:
// an outdated client or a forged payload, not a bug of ours.
const OPTION_MISMATCH = new Set([
  'CommandInteractionOptionNotFound',
  'CommandInteractionOptionType',
  'CommandInteractionOptionEmpty',
  'CommandInteractionOptionNoSubcommand',
]);

/**
 * What to tell the member about `error`, in their language, or undefined when it is a bug of ours.
 * A UserFacingError was worded (and translated) where it was thrown.
 */
export function describeFailure(error: unknown, t: Translator): string | undefined {
  if (error instanceof UserFacingError) return error.message;
  if (error instanceof StorageUnavailableError) return t('common.storageUnavailable');
  if (error instanceof PollNotFoundError) return t('common.pollGone');
  if (error instanceof PollClosedError) return t('common.pollClosed');
  if (error instanceof TmdbError) return t('common.tmdbUnavailable');
  if (error instanceof RecordDamagedError) return t('common.damaged');
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && OPTION_MISMATCH.has(code)) return t('common.staleOptions');
  return undefined;
}
