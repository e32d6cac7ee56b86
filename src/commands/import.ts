// /import letterboxd file: — a member's Letterboxd ratings and reviews become theirs in this server.
import { ApplicationCommandOptionType } from 'discord.js';
import { answer, deferNow } from '../discord/respond';
import { UserFacingError } from '../errors';
import { memberTranslator } from '../i18n';
import { importFileKind } from '../imports/attachment';
import { ImportRefusedError } from '../imports/errors';
import { buildImportSummary, describeImportRefusal } from '../replies/imports';
import { requireGuild } from './guildOnly';
import type { Command } from './types';

export const importCommand = {
  data: {
    name: 'import',
    description: 'Bring your ratings and reviews from another site into this server',
    options: [
      {
        name: 'letterboxd',
        description: 'Import from Letterboxd’s export: ratings.csv, reviews.csv, diary.csv or the whole .zip',
        type: ApplicationCommandOptionType.Subcommand,
        options: [{ name: 'file', description: 'Your Letterboxd export (.zip) or one of its CSVs, at most 5 MB', type: ApplicationCommandOptionType.Attachment, required: true }],
      },
    ],
  },
  async execute(interaction, { films, ratings, reviews, log, now, attachmentHosts }) {
    const guildId = requireGuild(interaction);
    const file = interaction.options.getAttachment('file', true);
    try {
      // Refused before deferring when the name or declared size already tells.
      const kind = importFileKind(file);
      await deferNow(interaction, 'ephemeral');
      const { importLetterboxd } = await import('../imports/letterboxdImport');
      const member = interaction.member && 'displayName' in interaction.member ? interaction.member.displayName : interaction.user.displayName;
      const result = await importLetterboxd(
        { url: file.url, hosts: attachmentHosts, fileName: file.name, kind, target: { guildId, userId: interaction.user.id, displayName: member.slice(0, 100) } },
        { films, ratings, reviews, log, now },
      );
      log.info({ rows: result.plan.rows, films: result.plan.films.length, saved: result.outcome.ratings.saved.length, stopped: result.outcome.stopped }, 'letterboxd import');
      await answer(interaction, buildImportSummary(memberTranslator(interaction), result));
    } catch (error) {
      if (error instanceof ImportRefusedError) throw new UserFacingError(describeImportRefusal(memberTranslator(interaction), error.refusal));
      throw error;
    }
  },
} satisfies Command;
