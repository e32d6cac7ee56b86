// /settings timezone|show|daily-quote|daily-quote-off|member-quotes|suggest-role|suggest-role-off — a server's settings, for members with Manage Server.
import { ApplicationCommandOptionType, ChannelType, type ChatInputCommandInteraction, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { NO_MENTIONS, quoteUserText } from '../discord/payload';
import { answer } from '../discord/respond';
import { UserFacingError } from '../errors';
import { memberTranslator, serverTranslator } from '../i18n';
import { buildSettings } from '../replies/schedule';
import { allZones, DEFAULT_ZONE, isZone, localDay, nextDailyPost, parseClock } from '../schedule/time';
import { requireGuild } from './guildOnly';
import type { Command, Deps } from './types';

const POSTABLE_CHANNELS: (ChannelType.GuildText | ChannelType.GuildAnnouncement)[] = [ChannelType.GuildText, ChannelType.GuildAnnouncement];

export const settingsCommand = {
  data: {
    name: 'settings',
    description: 'This server’s Reelside settings (Manage Server)',
    // Shown to members with Manage Server; checked again when used, since servers can change who sees it.
    default_member_permissions: String(PermissionFlagsBits.ManageGuild),
    options: [
      {
        name: 'timezone',
        description: 'The server’s time zone, for scheduled parties and the daily quote',
        type: ApplicationCommandOptionType.Subcommand,
        options: [{ name: 'zone', description: 'e.g. Europe/Paris or America/New_York', type: ApplicationCommandOptionType.String, required: true, autocomplete: true, max_length: 64 }],
      },
      { name: 'show', description: 'Show this server’s settings', type: ApplicationCommandOptionType.Subcommand },
      {
        name: 'daily-quote',
        description: 'Post a critic’s quote every day at a set time',
        type: ApplicationCommandOptionType.Subcommand,
        options: [
          { name: 'channel', description: 'Where to post it', type: ApplicationCommandOptionType.Channel, channel_types: POSTABLE_CHANNELS, required: true },
          { name: 'time', description: 'HH:MM, 24-hour, in the server’s time zone, e.g. 09:00', type: ApplicationCommandOptionType.String, required: true, max_length: 5 },
        ],
      },
      { name: 'daily-quote-off', description: 'Stop the daily quote', type: ApplicationCommandOptionType.Subcommand },
      {
        name: 'suggest-role',
        description: 'Let only members with this role (and moderators) suggest films for the watchlist',
        type: ApplicationCommandOptionType.Subcommand,
        options: [{ name: 'role', description: 'The role that may suggest films', type: ApplicationCommandOptionType.Role, required: true }],
      },
      { name: 'suggest-role-off', description: 'Let every member suggest films again', type: ApplicationCommandOptionType.Subcommand },
      {
        name: 'member-quotes',
        description: 'Let /quote and the daily quote also quote members’ reviews (never spoilers)',
        type: ApplicationCommandOptionType.Subcommand,
        options: [{ name: 'enabled', description: 'On or off (off by default)', type: ApplicationCommandOptionType.Boolean, required: true }],
      },
    ],
  },
  async execute(interaction, deps) {
    const guildId = requireGuild(interaction);
    const t = memberTranslator(interaction);
    if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) throw new UserFacingError(t('settings.onlyManageServer'));
    const sub = interaction.options.getSubcommand();
    if (sub === 'timezone') return setZone(interaction, guildId, deps);
    if (sub === 'daily-quote') return setDailyQuote(interaction, guildId, deps);
    if (sub === 'member-quotes') {
      const enabled = interaction.options.getBoolean('enabled', true);
      if (typeof enabled !== 'boolean') throw new UserFacingError(t('settings.enabledChoice'));
      await deps.settings.update(guildId, (current) => ({ ...current, memberQuotes: enabled }));
      const content = enabled ? t('settings.memberQuotesOn') : t('settings.memberQuotesOff');
      return void (await answer(interaction, { content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS }));
    }
    if (sub === 'suggest-role' || sub === 'suggest-role-off') return setSuggestRole(interaction, guildId, deps);
    if (sub === 'daily-quote-off') {
      await deps.dailyQuotes.off(guildId);
      return void (await answer(interaction, { content: t('settings.dailyQuoteOff'), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS }));
    }
    const settings = await deps.settings.get(guildId);
    const quote = settings.dailyQuote;
    await answer(interaction, buildSettings(t, { timezone: settings.timezone ?? DEFAULT_ZONE, dailyQuote: quote && { channelId: quote.channelId, time: quote.time, paused: quote.paused?.reason }, memberQuotes: settings.memberQuotes ?? false, suggestRoleId: settings.suggestRoleId }));
  },
  async autocomplete(interaction) {
    const typed = String(interaction.options.getFocused()).toLowerCase().replace(/\s+/g, '_');
    const zones = allZones().filter((zone) => zone.toLowerCase().includes(typed));
    await interaction.respond(zones.slice(0, 25).map((zone) => ({ name: zone, value: zone })));
  },
} satisfies Command;

async function setZone(interaction: ChatInputCommandInteraction, guildId: string, deps: Deps): Promise<void> {
  const t = memberTranslator(interaction);
  const zone = interaction.options.getString('zone', true).trim();
  if (!isZone(zone)) throw new UserFacingError(t('settings.unknownZone', { zone: quoteUserText(zone, 64) }));
  await deps.settings.update(guildId, (current) => ({ ...current, timezone: zone }));
  await deps.dailyQuotes.replan(guildId);
  // A 24-hour clock in every language (English included): the same HH:MM that `/settings daily-quote` takes.
  const localNow = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit' }).format(deps.now());
  await answer(interaction, { content: t('settings.zoneSet', { zone, time: localNow }), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}

async function setDailyQuote(interaction: ChatInputCommandInteraction, guildId: string, deps: Deps): Promise<void> {
  const t = memberTranslator(interaction);
  const channel = interaction.options.getChannel('channel', true, POSTABLE_CHANNELS);
  const time = interaction.options.getString('time', true);
  const clock = parseClock(time);
  if (!clock) throw new UserFacingError(t('settings.badClock', { time: quoteUserText(time, 20) }));
  const hhmm = `${String(clock.hour).padStart(2, '0')}:${String(clock.minute).padStart(2, '0')}`;
  // Posted for the whole server: in its language, kept with the setting.
  await deps.dailyQuotes.set(guildId, channel.id, hhmm, serverTranslator(interaction).locale);
  const zone = (await deps.settings.get(guildId)).timezone ?? DEFAULT_ZONE;
  const now = deps.now();
  const first = nextDailyPost(clock, zone, now, { since: now, lastPostedDay: undefined });
  const today = first.day === localDay(now, zone);
  await answer(interaction, {
    content: t(today ? 'settings.dailyQuoteSetToday' : 'settings.dailyQuoteSetTomorrow', { channel: channel.id, time: hhmm, zone, at: Math.floor(first.at / 1000) }),
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  });
}

async function setSuggestRole(interaction: ChatInputCommandInteraction, guildId: string, deps: Deps): Promise<void> {
  const role = interaction.options.getSubcommand() === 'suggest-role' ? interaction.options.getRole('role', true) : undefined;
  // @everyone's id is the server's: limiting to it limits nothing, so it clears the limit.
  const roleId = role && role.id !== guildId ? role.id : undefined;
  await deps.settings.update(guildId, ({ suggestRoleId: _previous, ...current }) => ({ ...current, ...(roleId ? { suggestRoleId: roleId } : {}) }));
  const t = memberTranslator(interaction);
  const content = roleId ? t('settings.suggestRoleSet', { role: roleId }) : t('settings.suggestRoleOff');
  await answer(interaction, { content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}
