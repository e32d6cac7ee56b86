// The one place interactions are dispatched and failures are turned into replies.
import type { Interaction, RepliableInteraction } from 'discord.js';
import { findCommand } from './commands';
import { parseCustomId } from './components/customId';
import { handlePollComponent } from './components/pollComponents';
import type { Deps } from './commands/types';
import { answerWithError, type Deferral, deferIfSlow } from './discord/respond';
import { UserFacingError } from './errors';

const GENERIC_FAILURE = 'Something went wrong on our side and it has been logged. Please try again.';
const STALE_OPTIONS = 'Discord sent options this command does not take (an old command list?). Reload Discord (Ctrl+R) and try again.';

// discord.js throws these when an interaction's options do not match the command's definition:
// an outdated client or a forged payload, not a bug of ours.
const OPTION_MISMATCH = new Set([
  'CommandInteractionOptionNotFound',
  'CommandInteractionOptionType',
  'CommandInteractionOptionEmpty',
  'CommandInteractionOptionNoSubcommand',
]);

function asUserFacing(error: unknown): UserFacingError | undefined {
  if (error instanceof UserFacingError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && OPTION_MISMATCH.has(code)) return new UserFacingError(STALE_OPTIONS);
  return undefined;
}

export async function routeInteraction(interaction: Interaction, deps: Deps): Promise<void> {
  const log = deps.log.child({
    interactionId: interaction.id,
    guildId: interaction.guildId,
    userId: interaction.user.id,
    ...(interaction.isCommand() || interaction.isAutocomplete() ? { command: interaction.commandName } : {}),
    ...(interaction.isMessageComponent() ? { customId: interaction.customId } : {}),
  });
  const scoped = { ...deps, log };
  const startedAt = performance.now();
  const cancelDeferral = interaction.isRepliable() ? deferIfSlow(interaction, deferralFor(interaction)) : () => undefined;
  try {
    if (interaction.isChatInputCommand()) {
      const command = findCommand(interaction.commandName);
      if (!command) throw new UserFacingError('That command is no longer available: Discord may still be showing an old list. Try again in a minute.');
      await command.execute(interaction, scoped);
    } else if (interaction.isAutocomplete()) {
      const command = findCommand(interaction.commandName);
      if (command?.autocomplete) await command.autocomplete(interaction, scoped);
      else await interaction.respond([]);
    } else if (interaction.isMessageComponent()) {
      const id = parseCustomId(interaction.customId);
      if (!id) throw new UserFacingError('That button or menu is from an older version of Reelside and no longer works.');
      await handlePollComponent(interaction, id, scoped);
    } else if (interaction.isRepliable()) {
      throw new UserFacingError('Reelside does not handle that kind of interaction.');
    }
    log.debug({ ms: Math.round(performance.now() - startedAt) }, 'interaction handled');
  } catch (error) {
    if (interaction.isAutocomplete()) {
      // Suggestions are best effort: an empty list beats an error the member cannot see.
      log.warn({ err: error }, 'autocomplete failed');
      if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
      return;
    }
    const userFacing = asUserFacing(error);
    if (!userFacing) log.error({ err: error }, 'interaction failed');
    else log.debug({ reason: userFacing.message }, 'user-facing error');
    if (interaction.isRepliable()) {
      const message = userFacing ? userFacing.message : GENERIC_FAILURE;
      await answerWithError(interaction, message).catch((replyError) => log.warn({ err: replyError }, 'could not report the failure to the member'));
    }
  } finally {
    cancelDeferral();
  }
}

/** Who would see the answer, so that a late one is deferred the same way. */
function deferralFor(interaction: RepliableInteraction): Deferral {
  if (interaction.isChatInputCommand()) {
    const visibility = findCommand(interaction.commandName)?.visibility;
    return (typeof visibility === 'function' ? visibility(interaction) : visibility) ?? 'ephemeral';
  }
  if (interaction.isMessageComponent() && parseCustomId(interaction.customId)?.kind === 'poll-end') return 'update';
  return 'ephemeral';
}

