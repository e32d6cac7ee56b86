// The one place interactions are dispatched and failures are turned into replies.
import type { Interaction, RepliableInteraction } from 'discord.js';
import { findCommand } from './commands';
import { parseCustomId } from './components/customId';
import { handlePollComponent } from './components/pollComponents';
import type { Deps } from './commands/types';
import { answerWithError, type Deferral, deferIfSlow } from './discord/respond';
import { UserFacingError } from './errors';
import { describeFailure, GENERIC_FAILURE } from './replies/failures';

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
    const told = describeFailure(error);
    // Storage outages are logged once by the storage layer, not once per member told about them.
    if (told === undefined) log.error({ err: error }, 'interaction failed');
    else log.debug({ reason: told, error: (error as Error | null)?.name }, 'member told why it failed');
    if (interaction.isRepliable()) {
      const message = told ?? GENERIC_FAILURE;
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

