// Edits the bot's own messages through REST, so it works for messages posted before a restart.
import { type REST, Routes } from 'discord.js';
import type { MessageEditor } from '../polls/pollService';

export function restMessageEditor(rest: REST): MessageEditor {
  return {
    async edit(channelId, messageId, message) {
      await rest.patch(Routes.channelMessage(channelId, messageId), {
        body: { embeds: message.embeds, components: message.components, allowed_mentions: message.allowedMentions },
      });
    },
  };
}
