// The server film store's refusals, in words for the member who ran into them.
import { filmLabel } from '../data/catalog';
import { UserFacingError } from '../errors';
import type { Translator } from '../i18n';
import { MAX_SERVER_FILMS, ServerFilmExistsError, ServerFilmLimitError, ServerFilmMissingError } from '../storage/serverFilms';

/** For `.catch(asUserError(t))`: the store's refusals worded in `t`'s language; anything else is passed on. */
export function asUserError(t: Translator): (error: unknown) => never {
  return (error) => {
    if (error instanceof ServerFilmMissingError) throw new UserFacingError(t('films.gone'));
    if (error instanceof ServerFilmExistsError) throw new UserFacingError(t('films.exists', { label: filmLabel(error.existing) }));
    if (error instanceof ServerFilmLimitError) throw new UserFacingError(t('films.limit', { max: MAX_SERVER_FILMS }));
    throw error;
  };
}
