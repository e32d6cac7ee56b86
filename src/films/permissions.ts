// Who may change a server's own films: members who may manage events or the server.
import type { PermissionsBitField } from 'discord.js';
import { isClubModerator } from '../discord/clubModerators';
import { UserFacingError } from '../errors';
import type { Translator } from '../i18n';

/** `t`: the member's language, for the refusal. */
export function assertMayManageFilms(permissions: Readonly<PermissionsBitField> | null, t: Translator): void {
  if (isClubModerator(permissions)) return;
  throw new UserFacingError(t('films.moderatorsOnly'));
}
