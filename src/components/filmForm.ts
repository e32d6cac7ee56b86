// The add/edit film form's submission: checked, saved, and shown back to the member as a card.
import type { ModalSubmitInteraction } from 'discord.js';
import type { Deps } from '../commands/types';
import { missingAsUserError } from '../commands/films';
import { requireGuild } from '../commands/guildOnly';
import { filmLabel } from '../data/catalog';
import { answer } from '../discord/respond';
import { UserFacingError } from '../errors';
import { assertMayManageFilms } from '../films/permissions';
import { type FormValues, FORM_FIELDS, readFilmForm } from '../films/serverFilmForm';
import { buildFilmSaved, buildFormProblems } from '../replies/serverFilms';
import { MAX_SERVER_FILMS, ServerFilmExistsError, ServerFilmLimitError } from '../storage/serverFilms';
import type { ComponentId } from './customId';

export async function handleFilmForm(interaction: ModalSubmitInteraction, id: Extract<ComponentId, { kind: 'film-add' | 'film-edit' }>, deps: Deps): Promise<void> {
  const guildId = requireGuild(interaction);
  // Checked again: the form can be submitted by anyone who can forge a payload, and permissions change.
  assertMayManageFilms(interaction.memberPermissions);
  const form = readFilmForm(valuesOf(interaction), new Date(deps.now()));
  if (!form.ok) throw new UserFacingError(buildFormProblems(form.problems));
  const { fields } = form;
  const bundledTwin = deps.films.catalog.find(`${fields.title} (${fields.year})`);
  if (bundledTwin) throw new UserFacingError(`**${filmLabel(bundledTwin)}** comes with Reelside already: \`/film\` suggests it. Nothing was added.`);
  const author = { id: interaction.user.id, name: interaction.member && 'displayName' in interaction.member ? interaction.member.displayName : interaction.user.displayName };
  try {
    const film =
      id.kind === 'film-add'
        ? await deps.serverFilms.add(guildId, fields, author, deps.now())
        : await deps.serverFilms.edit(guildId, id.slug, fields, deps.now()).catch(missingAsUserError);
    await answer(interaction, buildFilmSaved(film, id.kind === 'film-add' ? 'added' : 'updated'));
  } catch (error) {
    if (error instanceof ServerFilmExistsError) throw new UserFacingError(`This server already has **${filmLabel(error.existing)}**. Nothing was saved.`);
    if (error instanceof ServerFilmLimitError) throw new UserFacingError(`A server can keep ${MAX_SERVER_FILMS} films of its own. Remove one nobody rated with \`/films remove\` first.`);
    throw error;
  }
}

function valuesOf(interaction: ModalSubmitInteraction): FormValues {
  const values: FormValues = {};
  for (const [name, customId] of Object.entries(FORM_FIELDS) as [keyof FormValues, string][]) {
    // A missing input (a forged or outdated form) reads as empty, and the checks say what is wrong.
    const field = interaction.fields.fields.get(customId);
    values[name] = field && 'value' in field && typeof field.value === 'string' ? field.value : '';
  }
  return values;
}
