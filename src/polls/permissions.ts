// Who may end a poll early: its host, or anyone who may manage events or the server.
import type { PermissionsBitField } from 'discord.js';
import { isClubModerator } from '../discord/clubModerators';
import { UserFacingError } from '../errors';
import type { Translator } from '../i18n';
import type { AnyPoll } from '../storage/polls';

export function assertMayEnd(t: Translator, poll: Pick<AnyPoll, 'hostId'>, userId: string, permissions: Readonly<PermissionsBitField> | null): void {
  if (poll.hostId === userId) return;
  if (isClubModerator(permissions)) return;
  throw new UserFacingError(t('poll.onlyHostEnds', { host: poll.hostId }));
}
