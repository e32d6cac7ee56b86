// The server film store's refusals, in words for the member who ran into them.
import { filmLabel } from '../data/catalog';
import { UserFacingError } from '../errors';
import { MAX_SERVER_FILMS, ServerFilmExistsError, ServerFilmLimitError, ServerFilmMissingError } from '../storage/serverFilms';

export function asUserError(error: unknown): never {
  if (error instanceof ServerFilmMissingError) throw new UserFacingError('That film is no longer one of this server’s films (removed a moment ago?). See `/films list`.');
  if (error instanceof ServerFilmExistsError) throw new UserFacingError(`This server already has **${filmLabel(error.existing)}**. Nothing was saved.`);
  if (error instanceof ServerFilmLimitError) throw new UserFacingError(`A server can keep ${MAX_SERVER_FILMS} films of its own. Remove one nobody rated with \`/films remove\` first.`);
  throw error;
}
