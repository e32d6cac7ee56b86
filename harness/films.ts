// What a moderator does with a server's own films: open the form, fill it in, send it.
import type { DiscordStandin } from './discord/standin';
import type { MemberInput, StoredMessage } from './discord/types';
import { FILM_CLUB, MANAGE_GUILD, member, SCREENING_ROOM, str, sub } from './world';

const MODAL = 9;

export const MODERATOR = member(800, MANAGE_GUILD);

export interface FilmForm {
  title: string;
  year: string;
  directors?: string;
  runtime?: string;
  synopsis?: string;
}

/** `/films add`, then the form as shown, filled in and submitted; resolves with the bot's answer. */
export async function addServerFilm(discord: DiscordStandin, form: FilmForm, options: { user?: MemberInput; guildId?: string } = {}): Promise<StoredMessage> {
  const user = options.user ?? MODERATOR;
  const guildId = options.guildId ?? FILM_CLUB.id;
  const opened = discord.slash({ name: 'films', options: [sub('add')], guildId, user });
  const response = await opened.response();
  if (response.type !== MODAL) return opened.reply();
  return discord.modalSubmit({ customId: response.data.custom_id, fields: { directors: '', runtime: '', synopsis: '', ...form }, guildId, user }).reply();
}

/** `/films <action> film:<film>` in the film club. */
export function manageFilm(discord: DiscordStandin, action: 'edit' | 'hide' | 'remove', film: string, user: MemberInput = MODERATOR) {
  return discord.slash({ name: 'films', options: [sub(action, [str('film', film)])], guildId: FILM_CLUB.id, channelId: SCREENING_ROOM, user });
}
