// Who may change a server's own films: members who may manage events or the server.
import { PermissionFlagsBits, type PermissionsBitField } from 'discord.js';
import { UserFacingError } from '../errors';
import type { Translator } from '../i18n';

/** `t`: the member's language, for the refusal. */
export function assertMayManageFilms(permissions: Readonly<PermissionsBitField> | null, t: Translator): void {
  if (permissions?.any([PermissionFlagsBits.ManageEvents, PermissionFlagsBits.ManageGuild])) return;
  throw new UserFacingError(t('films.moderatorsOnly'));
}
