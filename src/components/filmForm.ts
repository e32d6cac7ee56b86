// The add/edit film form's submission: checked, saved, and shown back to the member as a card.
import type { ModalSubmitInteraction } from 'discord.js';
import type { Deps } from '../commands/types';
import { requireGuild } from '../commands/guildOnly';
import { filmLabel } from '../data/catalog';
import { answer } from '../discord/respond';
import { UserFacingError } from '../errors';
import { memberTranslator } from '../i18n';
import { assertMayManageFilms } from '../films/permissions';
import { asUserError } from '../films/serverFilmErrors';
import { type FormValues, FORM_FIELDS, readFilmForm } from '../films/serverFilmForm';
import { buildFilmSaved, buildFormProblems } from '../replies/serverFilms';
import type { ComponentId } from './customId';

export async function handleFilmForm(interaction: ModalSubmitInteraction, id: Extract<ComponentId, { kind: 'film-add' | 'film-edit' }>, deps: Deps): Promise<void> {
  const guildId = requireGuild(interaction);
  const t = memberTranslator(interaction);
  // Checked again: the form can be submitted by anyone who can forge a payload, and permissions change.
  assertMayManageFilms(interaction.memberPermissions, t);
  const form = readFilmForm(t, valuesOf(interaction), new Date(deps.now()));
  if (!form.ok) throw new UserFacingError(buildFormProblems(t, form.problems));
  const { fields } = form;
  // A film another source already has would split its ratings between two ids.
  const twin = deps.films.catalog.find(`${fields.title} (${fields.year})`) ?? (id.kind === 'film-add' ? await deps.films.tmdbTwin(fields.title, fields.year) : undefined);
  if (twin) throw new UserFacingError(t('films.knownAlready', { label: filmLabel(twin) }));
  const author = { id: interaction.user.id, name: interaction.member && 'displayName' in interaction.member ? interaction.member.displayName : interaction.user.displayName };
  const film =
    id.kind === 'film-add'
      ? await deps.serverFilms.add(guildId, fields, author, deps.now()).catch(asUserError(t))
      : await deps.serverFilms.edit(guildId, id.slug, fields, deps.now()).catch(asUserError(t));
  await answer(interaction, buildFilmSaved(t, film, id.kind === 'film-add' ? 'added' : 'updated'));
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
