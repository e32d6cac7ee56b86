// Who may change a server's own films: members who may manage events or the server.
import { PermissionFlagsBits, type PermissionsBitField } from 'discord.js';
import { UserFacingError } from '../errors';

export function assertMayManageFilms(permissions: Readonly<PermissionsBitField> | null): void {
  if (permissions?.any([PermissionFlagsBits.ManageEvents, PermissionFlagsBits.ManageGuild])) return;
  throw new UserFacingError('Only members with Manage Events or Manage Server can add, edit, hide or remove this server’s films. Anyone can see them with `/films list`.');
}
