// Previous and Next under a paged list (the watchlist, the history): their customIds carry the page.
import { type APIActionRowComponent, type APIButtonComponent, type APIEmbed, ButtonStyle, ComponentType } from 'discord.js';
import type { NO_MENTIONS } from '../discord/payload';
import type { Translator } from '../i18n';

/** A page of a list: an embed and its buttons, fit to reply with or to update a message with. */
export interface ListPage {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  allowedMentions: typeof NO_MENTIONS;
}

export interface PageLinks {
  /** The page buttons' customIds, or undefined where there is no such page. */
  previous?: string | undefined;
  next?: string | undefined;
}

/** No row when the list has one page; a button with no page to go to is shown disabled. */
export function pageButtons(t: Translator, links: PageLinks, list: string): APIActionRowComponent<APIButtonComponent>[] {
  if (!links.previous && !links.next) return [];
  // A disabled button still needs a customId of its own, unlike the other's: one no handler reads.
  // Its words are the reviews' page buttons', in the list's language; the customId never changes with them.
  const button = (which: 'previous' | 'next', customId: string | undefined): APIButtonComponent => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label: t(`reviews.${which}`),
    custom_id: customId ?? `${list}:none:${which}`,
    disabled: customId === undefined,
  });
  return [{ type: ComponentType.ActionRow, components: [button('previous', links.previous), button('next', links.next)] }];
}
