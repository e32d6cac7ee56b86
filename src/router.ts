// The one place interactions are dispatched and failures are turned into replies.
import type { Interaction, RepliableInteraction } from 'discord.js';
import { findCommand } from './commands';
import { parseCustomId } from './components/customId';
import { handleFilmForm } from './components/filmForm';
import { handlePollComponent } from './components/pollComponents';
import { handleReviewForm } from './components/reviewForm';
import { handleReviewPage } from './components/reviewPages';
import { handleScheduleButton, handleScheduleForm } from './components/scheduleForm';
import { handleListPage } from './components/listPages';
import { onlyInServersMessage, worksHere } from './commands/installs';
import type { Deps } from './commands/types';
import { acknowledgedAt, answerWithError, type Deferral, DISCORD_DEADLINE_MS, deferIfSlow } from './discord/respond';
import { RecordDamagedError, StorageUnavailableError, UserFacingError } from './errors';
import { TmdbError } from './data/tmdb/errors';
import { describeFailure } from './replies/failures';
import { memberTranslator } from './i18n';

/** How an interaction went, for the metrics: `late` wins over the rest, since the member saw it fail. */
export type InteractionOutcome = 'ok' | 'user_error' | 'failure' | 'late';

export interface InteractionReport {
  kind: 'command' | 'autocomplete' | 'component' | 'modal' | 'other';
  /**
   * A known command's name or a component kind from parseCustomId, else "unknown": never the
   * raw customId nor an option value, which a member (or a forged payload) chooses.
   */
  name: string;
  outcome: InteractionOutcome;
  /** From receipt until the handler (answer included) finished. */
  seconds: number;
}

export async function routeInteraction(interaction: Interaction, deps: Deps): Promise<InteractionReport> {
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
  let outcome: InteractionOutcome = 'ok';
  try {
    if (interaction.isChatInputCommand()) {
      const command = findCommand(interaction.commandName);
      if (!command) throw new UserFacingError(memberTranslator(interaction)('common.unknownCommand'));
      if (!worksHere(command.data, interaction)) throw new UserFacingError(onlyInServersMessage(memberTranslator(interaction), command.data.name));
      await command.execute(interaction, scoped);
    } else if (interaction.isAutocomplete()) {
      const command = findCommand(interaction.commandName);
      if (command?.autocomplete && worksHere(command.data, interaction)) await command.autocomplete(interaction, scoped);
      else await interaction.respond([]);
    } else if (interaction.isMessageComponent()) {
      const id = parseCustomId(interaction.customId);
      if (id?.kind === 'reviews-page') await handleReviewPage(interaction, id, scoped);
      else if (id?.kind === 'watchlist-page' || id?.kind === 'history-page') await handleListPage(interaction, id, scoped);
      else if (id?.kind === 'poll-vote' || id?.kind === 'poll-end') await handlePollComponent(interaction, id, scoped);
      else if (id?.kind === 'schedule-film') await handleScheduleButton(interaction, id);
      else throw new UserFacingError(memberTranslator(interaction)('common.oldComponent'));
    } else if (interaction.isModalSubmit()) {
      const id = parseCustomId(interaction.customId);
      if (id?.kind === 'review-form') await handleReviewForm(interaction, id, scoped);
      else if (id?.kind === 'film-add' || id?.kind === 'film-edit') await handleFilmForm(interaction, id, scoped);
      else if (id?.kind === 'schedule-form') await handleScheduleForm(interaction, id, scoped);
      else throw new UserFacingError(memberTranslator(interaction)('common.oldForm'));
    } else if (interaction.isRepliable()) {
      throw new UserFacingError(memberTranslator(interaction)('common.unknownInteraction'));
    }
    log.debug({ ms: Math.round(performance.now() - startedAt) }, 'interaction handled');
  } catch (error) {
    const t = memberTranslator(interaction);
    const told = describeFailure(error, t);
    outcome = outcomeOf(error, told);
    if (interaction.isAutocomplete()) {
      // Suggestions are best effort: an empty list beats an error the member cannot see.
      log.warn({ err: error }, 'autocomplete failed');
      if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
      return report(interaction, outcome, startedAt);
    }
    // Storage outages are logged once by the storage layer, not once per member told about them.
    if (told === undefined) log.error({ err: error }, 'interaction failed');
    else log.debug({ reason: told, error: (error as Error | null)?.name }, 'member told why it failed');
    if (interaction.isRepliable()) {
      const message = told ?? t('common.failure');
      await answerWithError(interaction, message).catch((replyError) => log.warn({ err: replyError }, 'could not report the failure to the member'));
    }
  } finally {
    cancelDeferral();
  }
  return report(interaction, outcome, startedAt);
}

/** A member's mistake (or a stale message) is theirs to fix; an outage, a damaged record or a bug is ours. */
function outcomeOf(error: unknown, told: string | undefined): InteractionOutcome {
  if (error instanceof StorageUnavailableError || error instanceof RecordDamagedError || error instanceof TmdbError) return 'failure';
  return told === undefined ? 'failure' : 'user_error';
}

function report(interaction: Interaction, handled: InteractionOutcome, startedAt: number): InteractionReport {
  const finishedAt = performance.now();
  // Counted from receipt, not from the interaction's snowflake time: that is Discord's clock,
  // and a skewed machine clock would make every answer look late (or none).
  // Answers that went around src/discord/respond (autocomplete) are as late as the handler.
  const late = (acknowledgedAt(interaction) ?? finishedAt) - startedAt > DISCORD_DEADLINE_MS;
  return { ...labelsOf(interaction), outcome: late ? 'late' : handled, seconds: (finishedAt - startedAt) / 1000 };
}

/** Metric labels from what the bot itself defines, so a forged interaction cannot mint new series. */
function labelsOf(interaction: Interaction): Pick<InteractionReport, 'kind' | 'name'> {
  if (interaction.isChatInputCommand() || interaction.isAutocomplete()) {
    const name = findCommand(interaction.commandName) ? interaction.commandName : 'unknown';
    return { kind: interaction.isAutocomplete() ? 'autocomplete' : 'command', name };
  }
  if (interaction.isMessageComponent()) return { kind: 'component', name: parseCustomId(interaction.customId)?.kind ?? 'unknown' };
  if (interaction.isModalSubmit()) return { kind: 'modal', name: parseCustomId(interaction.customId)?.kind ?? 'unknown' };
  return { kind: 'other', name: 'unknown' };
}

/** Who would see the answer, so that a late one is deferred the same way. */
function deferralFor(interaction: RepliableInteraction): Deferral {
  if (interaction.isChatInputCommand()) {
    const visibility = findCommand(interaction.commandName)?.visibility;
    return (typeof visibility === 'function' ? visibility(interaction) : visibility) ?? 'ephemeral';
  }
  if (interaction.isMessageComponent() && ['poll-end', 'reviews-page', 'watchlist-page', 'history-page'].includes(parseCustomId(interaction.customId)?.kind ?? '')) return 'update';
  // The party's announcement is for everyone, as `/watchparty schedule`'s is.
  if (interaction.isModalSubmit() && parseCustomId(interaction.customId)?.kind === 'schedule-form') return 'public';
  return 'ephemeral';
}

