// Who runs a film club's server: members who may manage its events or the server itself. They
// host watch parties, end others' polls, manage the server's films and moderate the watchlist.
import { PermissionFlagsBits, type PermissionsBitField } from 'discord.js';

export function isClubModerator(permissions: Readonly<PermissionsBitField> | null | undefined): boolean {
  return permissions?.any([PermissionFlagsBits.ManageEvents, PermissionFlagsBits.ManageGuild]) ?? false;
}
