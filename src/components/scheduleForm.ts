// "Schedule it" under a chosen film: the button opens a form for the time, whose submission runs
// the same flow as `/watchparty schedule`, announced in the channel the button is in.
import type { MessageComponentInteraction, ModalSubmitInteraction } from 'discord.js';
import { requireGuild } from '../commands/guildOnly';
import { assertMayHost, scheduleAndAnnounce } from '../commands/partyScheduling';
import type { Deps } from '../commands/types';
import { answerWithModal } from '../discord/respond';
import { UserFacingError } from '../errors';
import { memberTranslator } from '../i18n';
import { buildScheduleModal, SCHEDULE_FIELDS } from '../replies/pick';
import type { ComponentId } from './customId';

export async function handleScheduleButton(interaction: MessageComponentInteraction, id: Extract<ComponentId, { kind: 'schedule-film' }>): Promise<void> {
  requireGuild(interaction);
  const t = memberTranslator(interaction);
  // Told now rather than after filling in the form; the submission checks again.
  assertMayHost(interaction, t('party.onlyHosts'));
  await answerWithModal(interaction, buildScheduleModal(t, id.filmId));
}

export async function handleScheduleForm(interaction: ModalSubmitInteraction, id: Extract<ComponentId, { kind: 'schedule-form' }>, deps: Deps): Promise<void> {
  const guildId = requireGuild(interaction);
  const t = memberTranslator(interaction);
  const when = field(interaction, SCHEDULE_FIELDS.when).trim();
  if (when === '') throw new UserFacingError(t('party.form.sayWhen'));
  const lengthText = field(interaction, SCHEDULE_FIELDS.length).trim();
  if (lengthText !== '' && !/^\d{1,3}$/.test(lengthText)) throw new UserFacingError(t('party.form.wholeMinutes'));
  await scheduleAndAnnounce(interaction, guildId, deps, { film: id.filmId, when, length: lengthText === '' ? null : Number(lengthText) });
}

/** A missing input (a forged or outdated form) reads as empty, and the checks say what is wrong. */
function field(interaction: ModalSubmitInteraction, customId: string): string {
  const input = interaction.fields.fields.get(customId);
  return input && 'value' in input && typeof input.value === 'string' ? input.value : '';
}
