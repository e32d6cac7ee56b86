/**
 * The stand-in against a real, unmodified discord.js Client (and @discordjs/rest), in-process.
 */
import { once } from 'node:events';
import {
  ActionRowBuilder,
  type APIModalInteractionResponseCallbackData,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  Client,
  type ClientOptions,
  ComponentType,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  GuildScheduledEventEntityType,
  GuildScheduledEventPrivacyLevel,
  GuildScheduledEventStatus,
  type Interaction,
  MessageFlags,
  type ModalSubmitInteraction,
  Options,
  Partials,
  PermissionFlagsBits,
  REST,
  Routes,
  SlashCommandBuilder,
  TextInputStyle,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type DiscordStandin, type ModalFieldValue, type StandinGuild, type StandinOptions, startStandin } from '../../harness/discord/standin';

const GUILD_ID = '200000000000000001';
const CHANNEL_ID = '210000000000000001';

let standin: DiscordStandin | undefined;
const clients: Client[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.destroy();
  await standin?.close();
  standin = undefined;
});

async function start(options?: StandinOptions): Promise<DiscordStandin> {
  standin = await startStandin(options);
  return standin;
}

/** Logs a real client in against the stand-in and waits for clientReady. */
async function connect(target: DiscordStandin, options: Partial<ClientOptions> = {}): Promise<Client> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: target.apiUrl }, ...options });
  clients.push(client);
  const ready = once(client, Events.ClientReady);
  await client.login(target.token);
  await ready;
  return client;
}

type Outcome = { value?: unknown; error?: unknown };

/** Runs `handler` on the client's next interaction and reports how it ended. */
function nextInteraction(client: Client, handler: (interaction: Interaction) => Promise<unknown>): Promise<Outcome> {
  return new Promise((resolve) => {
    client.once(Events.InteractionCreate, (interaction) => {
      handler(interaction).then(
        (value) => resolve({ value }),
        (error: unknown) => resolve({ error }),
      );
    });
  });
}

function apiError(error: unknown): DiscordAPIError {
  expect(error).toBeInstanceOf(DiscordAPIError);
  return error as DiscordAPIError;
}

async function restError(request: Promise<unknown>): Promise<DiscordAPIError> {
  return apiError(await request.then(() => undefined, (error: unknown) => error));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('gateway', () => {
  it('brings a client to clientReady with the guild, channel, roles and bot member cached', async () => {
    const s = await start();
    const client = await connect(s);
    await s.waitForReady();

    expect(s.isConnected()).toBe(true);
    expect(client.user?.id).toBe(s.applicationId);
    expect(client.application?.id).toBe(s.applicationId);
    const guild = client.guilds.cache.get(GUILD_ID);
    expect(guild?.available).toBe(true);
    expect(guild?.name).toBe('Film Club');
    expect(guild?.roles.everyone.id).toBe(GUILD_ID);
    const channel = guild?.channels.cache.get(CHANNEL_ID);
    expect(channel?.name).toBe('screening-room');
    const me = guild?.members.me;
    expect(me).toBeTruthy();
    expect(channel?.permissionsFor(me!)?.has(PermissionFlagsBits.SendMessages)).toBe(true);
  });

  it('splits guilds across two shards and routes interactions to the right one', async () => {
    const otherGuild = '200000000004194305'; // (id >> 22) % 2 === 1
    const s = await start({
      guilds: [
        { id: GUILD_ID, name: 'Shard Zero', ownerId: '300000000000000001', channels: [{ id: CHANNEL_ID, name: 'zero' }] },
        { id: otherGuild, name: 'Shard One', ownerId: '300000000000000001', channels: [{ id: '210000000000000002', name: 'one' }] },
      ],
    });
    const [zero, one] = await Promise.all([connect(s, { shards: 0, shardCount: 2 }), connect(s, { shards: 1, shardCount: 2 })]);
    expect([...zero.guilds.cache.keys()]).toEqual([GUILD_ID]);
    expect([...one.guilds.cache.keys()]).toEqual([otherGuild]);

    const seenBy: string[] = [];
    zero.on(Events.InteractionCreate, () => seenBy.push('zero'));
    const handled = nextInteraction(one, async (i) => {
      seenBy.push('one');
      if (i.isChatInputCommand()) await i.reply(`shard ${i.guild?.shardId}`);
    });
    const reply = await s.slash({ name: 'ping', guildId: otherGuild }).reply();
    await handled;
    expect(reply.content).toBe('shard 1');
    expect(seenBy).toEqual(['one']);
  });

  it('lets a dropped client identify again', async () => {
    const s = await start();
    // @discordjs/ws waits up to 5 s between identifies of one shard; skip that here to keep the test fast.
    const client = await connect(s, { ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => undefined }) } });
    s.disconnectGateway();
    expect(s.isConnected()).toBe(false);
    expect(() => s.slash({ name: 'ping' })).toThrow(/No ready gateway connection/);
    await s.waitForReady(5_000);
    // The new session carries interactions again.
    const handled = nextInteraction(client, async (i) => (i.isChatInputCommand() ? i.reply('back') : undefined));
    expect((await s.slash({ name: 'ping' }).reply()).content).toBe('back');
    await handled;
  });

  it('closes the gateway with 4004 on a wrong token in IDENTIFY', async () => {
    const s = await start();
    const socket = new WebSocket(`${s.apiUrl.replace('http', 'ws').replace('/api', '')}?v=10&encoding=json`);
    socket.on('message', () => socket.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 1, properties: {} } })));
    const [code] = (await once(socket, 'close')) as [number];
    expect(code).toBe(4004);
  });
});

describe('interactions', () => {
  it('delivers a slash command with nested options and records the reply', async () => {
    const s = await start();
    const client = await connect(s);
    const handled = nextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      const critic = i.options.getUser('critic', true);
      await i.reply({ content: `${i.options.getSubcommand()}: ${i.options.getString('title')} for ${critic.id}`, allowedMentions: { parse: [] } });
    });
    const handle = s.slash({
      name: 'film',
      options: [{ name: 'card', type: 1, options: [{ name: 'title', type: 3, value: 'Alien' }, { name: 'critic', type: 6, value: '400000000000000009' }] }],
    });
    const reply = await handle.reply();
    expect((await handled).error).toBeUndefined();
    expect(reply.content).toBe('card: Alien for 400000000000000009');
    expect(reply.ephemeral).toBe(false);
    expect(reply.interactionId).toBe(handle.id);
    expect(reply.allowedMentions).toEqual({ parse: [] });
    expect((await handle.response()).type).toBe(4);
    expect(s.channelMessages(CHANNEL_ID).map((m) => m.content)).toEqual([reply.content]);
  });

  it('returns the created message for withResponse replies and keeps ephemeral ones out of the channel', async () => {
    const s = await start();
    const client = await connect(s);
    const handled = nextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return undefined;
      const response = await i.reply({ content: 'just for you', flags: MessageFlags.Ephemeral, withResponse: true });
      return response.resource?.message?.content;
    });
    const reply = await s.slash({ name: 'secret' }).reply();
    expect((await handled).value).toBe('just for you');
    expect(reply.ephemeral).toBe(true);
    expect(s.channelMessages(CHANNEL_ID)).toEqual([]);
  });

  it('fills in a deferred reply on editReply', async () => {
    const s = await start();
    const client = await connect(s);
    void nextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      await sleep(50);
      await i.editReply({ embeds: [{ title: 'Alien (1979)' }] });
    });
    const handle = s.slash({ name: 'film' });
    expect((await handle.response()).type).toBe(5);
    const reply = await handle.reply();
    expect(reply.embeds[0].title).toBe('Alien (1979)');
    expect(reply.flags & MessageFlags.Loading).toBe(0);
    expect(reply.editCount).toBe(1);
  });

  it('turns the first follow-up after a deferred reply into that reply', async () => {
    const s = await start();
    const client = await connect(s);
    void nextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply({ flags: MessageFlags.Ephemeral });
      await i.followUp('filled in');
      await i.followUp('a real follow-up');
    });
    const handle = s.slash({ name: 'film' });
    const reply = await handle.reply();
    expect(reply.content).toBe('filled in');
    expect(reply.ephemeral).toBe(true);
    await handle.waitForFollowUp();
    expect((await handle.waitForFollowUp()).content).toBe('a real follow-up');
    expect(handle.followUps()[0]?.id).toBe(reply.id);
  });

  it('records follow-ups, ephemeral or not', async () => {
    const s = await start();
    const client = await connect(s);
    void nextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply('first');
      await i.followUp({ content: 'second', flags: MessageFlags.Ephemeral });
      await i.followUp('third');
    });
    const handle = s.slash({ name: 'film' });
    expect((await handle.waitForFollowUp()).content).toBe('second');
    expect((await handle.waitForFollowUp()).ephemeral).toBe(false);
    expect(handle.followUps().map((m) => m.content)).toEqual(['second', 'third']);
    expect(s.channelMessages(CHANNEL_ID).map((m) => m.content)).toEqual(['first', 'third']);
  });

  it('answers autocomplete with the choices the bot responds', async () => {
    const s = await start();
    const client = await connect(s);
    void nextInteraction(client, async (i) => {
      if (!i.isAutocomplete()) return;
      const typed = i.options.getFocused();
      await i.respond(['Alien', 'Aliens', 'Arrival'].filter((t) => t.startsWith(typed)).map((t) => ({ name: t, value: t.toLowerCase() })));
    });
    const choices = await s.autocomplete({ name: 'film', options: [{ name: 'title', type: 3, value: 'Ali', focused: true }] }).choices();
    expect(choices).toEqual([
      { name: 'Alien', value: 'alien' },
      { name: 'Aliens', value: 'aliens' },
    ]);
  });

  it('delivers a button press on a posted message and records the update', async () => {
    const s = await start();
    const client = await connect(s);
    const channel = client.channels.cache.get(CHANNEL_ID);
    if (!channel?.isSendable()) throw new Error('channel not sendable');
    const button = new ButtonBuilder().setCustomId('vote:up').setLabel('Up').setStyle(ButtonStyle.Primary);
    const sent = await channel.send({ content: 'Vote!', components: [new ActionRowBuilder<ButtonBuilder>().addComponents(button)] });
    const posted = s.message(CHANNEL_ID, sent.id);
    expect(posted?.components[0].components[0].custom_id).toBe('vote:up');

    const handled = nextInteraction(client, async (i) => {
      if (!i.isButton()) return undefined;
      await i.update({ content: 'Voted: 1', components: [] });
      return [i.customId, i.message.id];
    });
    const reply = await s.component({ customId: 'vote:up', componentType: 2, message: posted! }).reply();
    expect((await handled).value).toEqual(['vote:up', sent.id]);
    expect(reply.id).toBe(sent.id);
    expect(reply.content).toBe('Voted: 1');
    expect(reply.components).toEqual([]);
    expect(s.message(CHANNEL_ID, sent.id)?.editCount).toBe(1);
  });

  it('edits the component message after deferUpdate, and takes modal submits', async () => {
    const s = await start();
    const client = await connect(s);
    const rest = new REST({ api: s.apiUrl }).setToken(s.token);
    const poll = (await rest.post(Routes.channelMessages(CHANNEL_ID), {
      body: { content: 'Rate it', components: [{ type: 1, components: [{ type: 2, style: 1, custom_id: 'rate', label: 'Rate' }] }] },
    })) as { id: string };

    void nextInteraction(client, async (i) => {
      if (!i.isButton()) return;
      await i.deferUpdate();
      await i.editReply({ content: 'Rating closed', components: [] });
    });
    const updated = await s.component({ customId: 'rate', componentType: 2, message: { id: poll.id, channelId: CHANNEL_ID } }).reply();
    expect([updated.id, updated.content, updated.editCount]).toEqual([poll.id, 'Rating closed', 1]);

    const handled = nextInteraction(client, async (i) => {
      if (!i.isModalSubmit()) return undefined;
      await i.reply({ content: `Rated ${i.fields.getTextInputValue('score')}`, flags: MessageFlags.Ephemeral });
      return (await i.guild?.members.fetch(i.user.id))?.user.username;
    });
    const modal = await s.modalSubmit({ customId: 'rating', fields: { score: '9' }, user: { id: '400000000000000002', username: 'critic' } }).reply();
    expect(modal.content).toBe('Rated 9');
    expect((await handled).value).toBe('critic');
  });

  it('refuses a reply after the deadline with 10062', async () => {
    const s = await start({ interactionDeadlineMs: 200 });
    const client = await connect(s);
    const handled = nextInteraction(client, async (i) => {
      await sleep(300);
      if (i.isChatInputCommand()) await i.reply('too late');
    });
    const handle = s.slash({ name: 'slow' });
    await expect(handle.response()).rejects.toThrow(/not acknowledged within 200 ms/);
    const error = apiError((await handled).error);
    expect(error.code).toBe(10062);
    expect(error.status).toBe(404);
  });

  it('refuses a second initial response with 40060', async () => {
    const s = await start();
    const client = await connect(s);
    const handled = nextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply('one');
      // discord.js itself refuses a second reply(), so go to the API directly, as a buggy bot could.
      await client.rest.post(Routes.interactionCallback(i.id, i.token), { body: { type: 4, data: { content: 'two' } }, auth: false });
    });
    await s.slash({ name: 'twice' }).reply();
    const error = apiError((await handled).error);
    expect(error.code).toBe(40060);
    expect(error.status).toBe(400);
  });

  it('refuses over-long content with 50035 and leaves the interaction open', async () => {
    const s = await start();
    const client = await connect(s);
    const handled = nextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return undefined;
      const failure = await i.reply('x'.repeat(2001)).then(() => undefined, (error: unknown) => error);
      await i.reply('short enough');
      return failure;
    });
    const reply = await s.slash({ name: 'long' }).reply();
    const error = apiError((await handled).value);
    expect(error.code).toBe(50035);
    expect(error.message).toContain('data.content[BASE_TYPE_MAX_LENGTH]');
    expect(reply.content).toBe('short enough');
  });
});

/** A review form with every modal input discord.js reads: radio group, checkbox, paragraph text input, string select, checkbox group. */
const REVIEW: APIModalInteractionResponseCallbackData = {
  custom_id: 'review',
  title: 'Review the film',
  components: [
    {
      type: ComponentType.Label,
      label: 'Verdict',
      component: {
        type: ComponentType.RadioGroup,
        custom_id: 'verdict',
        options: [
          { value: 'loved', label: 'Loved it' },
          { value: 'fine', label: 'It was fine', description: 'Neither here nor there', default: true },
          { value: 'no', label: 'Not for me' },
        ],
      },
    },
    { type: ComponentType.Label, label: 'Spoilers', description: 'Does the review give the ending away?', component: { type: ComponentType.Checkbox, custom_id: 'spoilers', default: true } },
    {
      type: ComponentType.Label,
      id: 7,
      label: 'Review',
      component: { type: ComponentType.TextInput, custom_id: 'text', style: TextInputStyle.Paragraph, min_length: 10, max_length: 200, value: 'Prefilled review' },
    },
    {
      type: ComponentType.Label,
      label: 'Tags',
      component: {
        type: ComponentType.StringSelect,
        custom_id: 'tags',
        required: false,
        max_values: 2,
        options: [
          { value: 'noir', label: 'Noir', default: true },
          { value: 'heist', label: 'Heist' },
          { value: 'musical', label: 'Musical' },
        ],
      },
    },
    {
      type: ComponentType.Label,
      label: 'Seen at',
      component: {
        type: ComponentType.CheckboxGroup,
        custom_id: 'seen',
        required: false,
        options: [
          { value: 'cinema', label: 'A cinema' },
          { value: 'home', label: 'Home', default: true },
          { value: 'festival', label: 'A festival' },
        ],
      },
    },
  ],
};

/** A gateway dispatch as the client received it (discord.js's raw event). */
type RawPacket = { t?: string; d?: { data?: { components?: unknown; resolved?: unknown } } };

/** The `data` of the next INTERACTION_CREATE the client receives, exactly as sent. */
function nextRawInteraction(client: Client): Promise<{ components?: unknown; resolved?: unknown }> {
  return new Promise((resolve) => {
    const listener = (packet: RawPacket): void => {
      if (packet.t !== 'INTERACTION_CREATE') return;
      client.off(Events.Raw, listener);
      resolve(packet.d?.data ?? {});
    };
    client.on(Events.Raw, listener);
  });
}

/** Opens `modal` from a slash command and returns the callback the stand-in recorded. */
async function openModal(s: DiscordStandin, client: Client, modal: APIModalInteractionResponseCallbackData) {
  const shown = nextInteraction(client, async (i) => (i.isChatInputCommand() ? i.showModal(modal) : undefined));
  const response = await s.slash({ name: 'review' }).response();
  expect((await shown).error).toBeUndefined();
  return response;
}

/** Answers the next modal submit and reports what `read` got from its fields. */
function readSubmit(client: Client, read: (fields: ModalSubmitInteraction['fields']) => unknown): Promise<Outcome> {
  return nextInteraction(client, async (i) => {
    if (!i.isModalSubmit()) return undefined;
    await i.reply({ content: 'Thanks', flags: MessageFlags.Ephemeral });
    return read(i.fields);
  });
}

const readReview = (f: ModalSubmitInteraction['fields']) => ({
  verdict: f.getRadioGroup('verdict'),
  spoilers: f.getCheckbox('spoilers'),
  text: f.getTextInputValue('text'),
  tags: f.getStringSelectValues('tags'),
  seen: f.getCheckboxGroup('seen'),
});

/** Two options for radio groups in smaller forms. */
const VERDICTS = [
  { value: 'loved', label: 'Loved it' },
  { value: 'no', label: 'Not for me' },
];

/** A one-label modal around `component` (any shape, for refusals). */
function withLabel(component: unknown): APIModalInteractionResponseCallbackData {
  return { custom_id: 'bad', title: 'Bad form', components: [{ type: ComponentType.Label, label: 'Field', component }] } as unknown as APIModalInteractionResponseCallbackData;
}

describe('modals', () => {
  it('shows a modal of labelled inputs, and discord.js reads the submit as the client sends it', async () => {
    const s = await start();
    const client = await connect(s);
    const opened = await openModal(s, client, REVIEW);
    expect(opened.type).toBe(9);
    expect(opened.data.components.map((label: { component: { type: number } }) => label.component.type)).toEqual([21, 23, 4, 3, 22]);

    const raw = nextRawInteraction(client);
    const read = readSubmit(client, readReview);
    const fields = { verdict: 'loved', spoilers: false, text: 'A heist film\nthat sings.', tags: ['heist', 'musical'], seen: ['cinema', 'festival'] };
    expect((await s.modalSubmit({ customId: 'review', fields }).reply()).content).toBe('Thanks');
    expect(await read).toEqual({ value: fields });
    // The modal's layout, each input's result, and ids as Discord fills them in (the label's own 7 kept).
    expect((await raw).components).toEqual([
      { type: 18, id: 1, component: { type: 21, id: 2, custom_id: 'verdict', value: 'loved' } },
      { type: 18, id: 3, component: { type: 23, id: 4, custom_id: 'spoilers', value: false } },
      { type: 18, id: 7, component: { type: 4, id: 5, custom_id: 'text', value: 'A heist film\nthat sings.' } },
      { type: 18, id: 6, component: { type: 3, id: 8, custom_id: 'tags', values: ['heist', 'musical'] } },
      { type: 18, id: 9, component: { type: 22, id: 10, custom_id: 'seen', values: ['cinema', 'festival'] } },
    ]);
  });

  it('sends untouched inputs as the client does: prefilled text, defaults, null and false', async () => {
    const s = await start();
    const client = await connect(s);
    await openModal(s, client, REVIEW);
    const read = readSubmit(client, readReview);
    await s.modalSubmit({ customId: 'review', fields: {} }).reply();
    expect((await read).value).toEqual({ verdict: 'fine', spoilers: true, text: 'Prefilled review', tags: ['noir'], seen: ['home'] });

    // An older action row of text inputs and a text display still work beside labels.
    await openModal(s, client, {
      custom_id: 'quick',
      title: 'Quick vote',
      components: [
        { type: ComponentType.TextDisplay, content: 'Vote quickly' },
        { type: ComponentType.ActionRow, components: [{ type: ComponentType.TextInput, custom_id: 'code', style: TextInputStyle.Short, label: 'Code', max_length: 4 }] },
        { type: ComponentType.Label, label: 'Verdict', component: { type: ComponentType.RadioGroup, custom_id: 'verdict', required: false, options: VERDICTS } },
        { type: ComponentType.Label, label: 'Agree', component: { type: ComponentType.Checkbox, custom_id: 'agree' } },
      ],
    });
    const raw = nextRawInteraction(client);
    const quick = readSubmit(client, (f) => [f.getTextInputValue('code'), f.getRadioGroup('verdict'), f.getCheckbox('agree')]);
    await s.modalSubmit({ customId: 'quick', fields: { code: 'ab12' } }).reply();
    expect((await quick).value).toEqual(['ab12', null, false]);
    expect((await raw).components).toEqual([
      { type: 10, id: 1 },
      { type: 1, id: 2, components: [{ type: 4, id: 3, custom_id: 'code', value: 'ab12' }] },
      { type: 18, id: 4, component: { type: 21, id: 5, custom_id: 'verdict', value: null } },
      { type: 18, id: 6, component: { type: 23, id: 7, custom_id: 'agree', value: false } },
    ]);
  });

  it('refuses to show what Discord refuses, with its form errors', async () => {
    const s = await start();
    const client = await connect(s);
    const radio = (options: unknown[]) => withLabel({ type: ComponentType.RadioGroup, custom_id: 'verdict', options });
    const option = (n: number) => ({ value: `v${n}`, label: `Option ${n}` });
    const bad: [APIModalInteractionResponseCallbackData, string][] = [
      [radio(Array.from({ length: 11 }, (_, n) => option(n))), 'data.components[0].component.options[BASE_TYPE_BAD_LENGTH]: Must be between 2 and 10 in length.'],
      [radio([option(1)]), 'data.components[0].component.options[BASE_TYPE_BAD_LENGTH]'],
      [radio([{ ...option(1), default: true }, { ...option(2), default: true }]), 'data.components[0].component.options[RADIO_GROUP_TOO_MANY_DEFAULTS]'],
      [radio([option(1), { value: 'v2', label: 'x'.repeat(101) }]), 'data.components[0].component.options[1].label[BASE_TYPE_BAD_LENGTH]'],
      [radio([option(1), option(1)]), 'data.components[0].component.options[1].value[COMPONENT_OPTION_VALUE_DUPLICATED]'],
      [withLabel({ type: 99, custom_id: 'mystery' }), 'data.components[0].component.type[UNION_TYPE_CHOICES]'],
      [withLabel({ type: ComponentType.Button, custom_id: 'press', style: 1, label: 'Press' }), 'data.components[0].component.type[UNION_TYPE_CHOICES]'],
      [withLabel({ type: ComponentType.Checkbox, custom_id: 'agree', default: 'yes' }), 'data.components[0].component.default[BASE_TYPE_BOOLEAN]'],
      [withLabel({ type: ComponentType.CheckboxGroup, custom_id: 'seen', options: [], min_values: 0 }), 'data.components[0].component.options[BASE_TYPE_BAD_LENGTH]'],
      [withLabel({ type: ComponentType.CheckboxGroup, custom_id: 'seen', options: [option(1), option(2)], max_values: 3 }), 'data.components[0].component.max_values[COMPONENT_MAX_VALUES_ABOVE_OPTIONS]'],
      [withLabel({ type: ComponentType.CheckboxGroup, custom_id: 'seen', options: [option(1), option(2)], min_values: 0 }), 'data.components[0].component.min_values[COMPONENT_REQUIRED_MIN_VALUES_ZERO]'],
      [withLabel({ type: ComponentType.StringSelect, custom_id: 'tags', options: [{ ...option(1), default: true }, { ...option(2), default: true }] }), 'data.components[0].component.options[COMPONENT_TOO_MANY_DEFAULTS]'],
      [withLabel({ type: ComponentType.TextInput, custom_id: 'text', style: 3 }), 'data.components[0].component.style[BASE_TYPE_CHOICES]'],
      [{ custom_id: 'bad', title: 'Bad form', components: [{ type: ComponentType.Label, label: '', component: { type: ComponentType.Checkbox, custom_id: 'agree' } }] }, 'data.components[0].label[BASE_TYPE_BAD_LENGTH]'],
      [withLabel(undefined), 'data.components[0].component[BASE_TYPE_REQUIRED]'],
    ];
    const handled = nextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return undefined;
      const refusals: unknown[] = [];
      for (const [modal] of bad) refusals.push(await i.showModal(modal).then(() => 'shown', (error: unknown) => error));
      await i.reply('none of them');
      return refusals;
    });
    expect((await s.slash({ name: 'review' }).reply()).content).toBe('none of them');
    const refusals = (await handled).value as unknown[];
    refusals.forEach((refusal, n) => {
      const error = apiError(refusal);
      expect([error.status, error.code]).toEqual([400, 50035]);
      expect(error.message).toContain(bad[n]![1]);
    });
  });

  it('refuses, before dispatching anything, a submit no Discord client would send', async () => {
    const s = await start();
    const client = await connect(s);
    await openModal(s, client, REVIEW);
    let dispatched = 0;
    client.on(Events.InteractionCreate, () => dispatched++);
    const submit = (fields: Record<string, ModalFieldValue>) => () => s.modalSubmit({ customId: 'review', fields });

    expect(submit({ text: 'x'.repeat(201) })).toThrow('"text" is longer than its max_length of 200 (201 characters)');
    expect(submit({ text: 'Too short' })).toThrow('"text" is shorter than its min_length of 10 (9 characters)');
    expect(submit({ text: '' })).toThrow('"text" is required but left empty');
    expect(submit({ verdict: null })).toThrow('"verdict" is required but no option is chosen');
    expect(submit({ verdict: 'maybe' })).toThrow('"verdict" has no option "maybe"');
    expect(submit({ tags: ['western'] })).toThrow('"tags" has no option "western"');
    expect(submit({ tags: ['noir', 'heist', 'musical'] })).toThrow('"tags" takes 1 to 2 values (got 3)');
    expect(submit({ seen: ['home', 'home'] })).toThrow('"seen" has "home" more than once');
    expect(submit({ spoilers: 'yes' })).toThrow('"spoilers" is a checkbox: give true or false');
    expect(submit({ verdict: 'loved', rating: '5' })).toThrow(/the modal has no input "rating"/);
    // All the problems at once, and each error says where to go for a forged payload.
    expect(submit({ text: '', verdict: 'maybe' })).toThrow(/forgedModalSubmit[\s\S]*"verdict" has no option "maybe"[\s\S]*"text" is required/);
    // No modal "other" was shown: fields go as text inputs in rows, so only strings make sense.
    expect(() => s.modalSubmit({ customId: 'other', fields: { agree: true } })).toThrow('no modal "other" was shown');

    await sleep(50);
    expect(dispatched).toBe(0);
    const read = readSubmit(client, readReview);
    await s.modalSubmit({ customId: 'review', fields: { text: 'Just right, really.', tags: [], seen: [] } }).reply();
    expect((await read).value).toMatchObject({ text: 'Just right, really.', tags: [], seen: [] });
    expect(dispatched).toBe(1);
  });

  it('delivers forged submits exactly as given', async () => {
    const s = await start();
    const client = await connect(s);
    await openModal(s, client, REVIEW);
    const components = [
      { type: 18, id: 1, component: { type: 21, id: 2, custom_id: 'verdict', value: 'not-an-option' } },
      { type: 1, components: [{ type: 4, custom_id: 'text', value: 'x'.repeat(5000) }] },
      { type: 18, component: { type: 23, custom_id: 'spoilers', value: 'yes' } },
      { type: 18, component: { type: 3, custom_id: 'tags', values: ['a', 'a', 'a'] } },
      { type: 18, component: { type: 22, custom_id: 'unknown-group', values: [] } },
    ];
    const raw = nextRawInteraction(client);
    const read = readSubmit(client, (f) => [f.getRadioGroup('verdict'), f.getTextInputValue('text').length, f.getCheckbox('spoilers'), f.getStringSelectValues('tags'), f.getCheckboxGroup('unknown-group')]);
    await s.forgedModalSubmit({ customId: 'review', components }).reply();
    expect((await raw).components).toEqual(components);
    expect((await read).value).toEqual(['not-an-option', 5000, 'yes', ['a', 'a', 'a'], []]);

    // For a modal never shown, with types and values no client sends, and made-up resolved data.
    const odd = [{ type: 18, component: { type: 4, custom_id: 'bare', value: 42 } }, { type: 10 }, { type: 1, components: [] }];
    const rawOdd = nextRawInteraction(client);
    const readOdd = readSubmit(client, (f) => [f.fields.size, f.getTextInputValue('bare')]);
    await s.forgedModalSubmit({ customId: 'never-shown', components: odd, resolved: { users: {} } }).reply();
    expect(await rawOdd).toEqual({ custom_id: 'never-shown', components: odd, resolved: { users: {} } });
    expect((await readOdd).value).toEqual([1, 42]);
  });

  it('resolves the users and channels picked in selects', async () => {
    const s = await start();
    const client = await connect(s);
    await openModal(s, client, {
      custom_id: 'invite',
      title: 'Invite',
      components: [
        { type: ComponentType.Label, label: 'Who', component: { type: ComponentType.UserSelect, custom_id: 'who', max_values: 2 } },
        { type: ComponentType.Label, label: 'Where', component: { type: ComponentType.ChannelSelect, custom_id: 'where', required: false } },
      ],
    });
    const read = readSubmit(client, (f) => [[...(f.getSelectedUsers('who', true)?.keys() ?? [])], f.getSelectedChannels('where')]);
    await s.modalSubmit({ customId: 'invite', fields: { who: ['400000000000000002', '400000000000000003'] } }).reply();
    expect((await read).value).toEqual([['400000000000000002', '400000000000000003'], null]);
    expect(() => s.modalSubmit({ customId: 'invite', fields: {} })).toThrow('"who" is required but nothing is picked');
  });
});

describe('REST', () => {
  it('answers 401 to a wrong bot token', async () => {
    const s = await start();
    const error = await restError(new REST({ api: s.apiUrl }).setToken('not-the-token').get(Routes.user()));
    expect(error.status).toBe(401);
    expect(error.code).toBe(0);
    expect(error.message).toBe('401: Unauthorized');
  });

  it('validates channel messages and counts edits', async () => {
    const s = await start();
    const rest = new REST({ api: s.apiUrl }).setToken(s.token);
    const route = Routes.channelMessages(CHANNEL_ID);
    expect((await restError(rest.post(route, { body: {} }))).code).toBe(50006);
    const tooBig = await restError(rest.post(route, { body: { embeds: [{ title: 't'.repeat(257), fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }] } }));
    expect(tooBig.code).toBe(50035);
    expect(tooBig.message).toContain('embeds[0].title[BASE_TYPE_MAX_LENGTH]');
    expect(tooBig.message).toContain('embeds[0].fields[BASE_TYPE_MAX_LENGTH]');
    const selectAndButton = [{ type: 1, components: [{ type: 3, custom_id: 's', options: [{ label: 'a', value: 'a' }] }, { type: 2, style: 1, custom_id: 'b', label: 'b' }] }];
    expect((await restError(rest.post(route, { body: { components: selectAndButton } }))).message).toContain('COMPONENT_LAYOUT_WIDTH_EXCEEDED');
    expect((await restError(rest.post(Routes.channelMessages('1'), { body: { content: 'hi' } }))).code).toBe(10003);
    expect((await restError(rest.post(route, { body: { content: 'x'.repeat(2001) } }))).message).toContain('content[BASE_TYPE_MAX_LENGTH]');

    const created = (await rest.post(route, { body: { content: 'Screening at 8' } })) as { id: string };
    await rest.patch(Routes.channelMessage(CHANNEL_ID, created.id), { body: { content: 'Screening at 9' } });
    const edited = await s.waitForChannelMessage(CHANNEL_ID, (m) => m.content === 'Screening at 9');
    expect(edited.editCount).toBe(1);
    expect(s.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith(`/messages/${created.id}`))).toHaveLength(1);
    expect((await restError(rest.get(Routes.channelMessage(CHANNEL_ID, '1')))).code).toBe(10008);
  });

  it('returns the message already posted with the same nonce when enforce_nonce is set, and posts again without it', async () => {
    const s = await start();
    const rest = new REST({ api: s.apiUrl }).setToken(s.token);
    const route = Routes.channelMessages(CHANNEL_ID);
    const first = (await rest.post(route, { body: { content: 'Runoff', nonce: 'pick1234r', enforce_nonce: true } })) as { id: string };
    const again = (await rest.post(route, { body: { content: 'Runoff', nonce: 'pick1234r', enforce_nonce: true } })) as { id: string };
    expect(again.id).toBe(first.id);
    const unenforced = (await rest.post(route, { body: { content: 'Runoff', nonce: 'pick1234r' } })) as { id: string };
    expect(unenforced.id).not.toBe(first.id);
    expect(s.channelMessages(CHANNEL_ID).filter((message) => message.content === 'Runoff')).toHaveLength(2);
    expect((await restError(rest.post(route, { body: { content: 'x', nonce: 'n'.repeat(26), enforce_nonce: true } }))).message).toContain('nonce[BASE_TYPE_MAX_LENGTH]');
  });

  it('records bulk command overwrites, keeps ids, and refuses invalid commands or missing scope', async () => {
    const s = await start({ missingCommandsScope: ['200000000000000009'] });
    const rest = new REST({ api: s.apiUrl }).setToken(s.token);
    const film = new SlashCommandBuilder()
      .setName('film')
      .setDescription('Show a film card')
      .addStringOption((o) => o.setName('title').setDescription('Film title').setRequired(true).setAutocomplete(true));
    const [first] = (await rest.put(Routes.applicationCommands(s.applicationId), { body: [film.toJSON()] })) as { id: string }[];
    const [second] = (await rest.put(Routes.applicationCommands(s.applicationId), { body: [film.toJSON()] })) as { id: string }[];
    expect(second?.id).toBe(first?.id);
    expect(s.commandRegistrations()).toBe(2);
    expect(s.registeredCommands()).toMatchObject([{ id: first?.id, name: 'film', application_id: s.applicationId }]);
    expect(s.registeredCommands(GUILD_ID)).toEqual([]);

    const invalid = await restError(rest.put(Routes.applicationCommands(s.applicationId), { body: [{ name: 'Bad Name', description: '' }] }));
    expect(invalid.code).toBe(50035);
    expect(invalid.message).toContain('0.name[APPLICATION_COMMAND_INVALID_NAME]');
    // Localized names follow the same rule, per locale, and stay unique among siblings.
    const localized = await restError(
      rest.put(Routes.applicationCommands(s.applicationId), {
        body: [
          {
            name: 'film',
            description: 'Show a film card',
            name_localizations: { fr: 'Fiche Film', xx: 'film' },
            description_localizations: { ja: '' },
            options: [
              { type: 3, name: 'title', description: 'Film title', name_localizations: { de: 'titel' } },
              { type: 3, name: 'year', description: 'Year', name_localizations: { de: 'titel' } },
            ],
          },
        ],
      }),
    );
    expect(localized.code).toBe(50035);
    expect(localized.message).toContain('0.name_localizations.fr[APPLICATION_COMMAND_INVALID_NAME]');
    expect(localized.message).toContain('0.name_localizations.xx[LOCALE_INVALID]');
    expect(localized.message).toContain('0.description_localizations.ja[');
    expect(localized.message).toContain('0.options[1].name_localizations.de[APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS]');
    const denied = await restError(rest.put(Routes.applicationGuildCommands(s.applicationId, '200000000000000009'), { body: [] }));
    expect([denied.status, denied.code]).toEqual([403, 50001]);

    // Interactions carry the registered command's id.
    const client = await connect(s);
    const handled = nextInteraction(client, async (i) => (i.isChatInputCommand() ? i.commandId : undefined));
    s.slash({ name: 'film', options: [{ name: 'title', type: 3, value: 'Alien' }] });
    expect((await handled).value).toBe(first?.id);
  });
});

const VOICE_ID = '210000000000000002';
const STAGE_ID = '210000000000000003';
/** The default guild plus a voice and a stage channel, for scheduled events that need one. */
const CINEMA: StandinGuild = {
  id: GUILD_ID,
  name: 'Film Club',
  ownerId: '300000000000000001',
  channels: [
    { id: CHANNEL_ID, name: '#screening-room' },
    { id: VOICE_ID, name: 'watch-along', type: 2 },
    { id: STAGE_ID, name: 'premiere', type: 13 },
  ],
};

const inHours = (hours: number): string => new Date(Date.now() + hours * 3_600_000).toISOString();
const external = (overrides: Record<string, unknown> = {}) => ({
  name: 'Alien (1979)',
  privacy_level: 2,
  entity_type: 3,
  scheduled_start_time: inHours(24),
  scheduled_end_time: inHours(26),
  entity_metadata: { location: 'Odeon, screen 2' },
  ...overrides,
});

describe('guild channels', () => {
  it('sends voice and stage channels with their types', async () => {
    const s = await start({ guilds: [CINEMA] });
    const rest = new REST({ api: s.apiUrl }).setToken(s.token);
    const channels = (await rest.get(Routes.guildChannels(GUILD_ID))) as { id: string; type: number; bitrate?: number }[];
    expect(channels.map((c) => [c.id, c.type])).toEqual([
      [CHANNEL_ID, 0],
      [VOICE_ID, 2],
      [STAGE_ID, 13],
    ]);
    expect(channels[1]?.bitrate).toBe(64_000);

    const client = await connect(s);
    const guild = client.guilds.cache.get(GUILD_ID);
    expect(guild?.channels.cache.get(VOICE_ID)?.type).toBe(ChannelType.GuildVoice);
    expect(guild?.channels.cache.get(STAGE_ID)?.type).toBe(ChannelType.GuildStageVoice);
    expect(guild?.members.me?.permissions.has(PermissionFlagsBits.ManageEvents)).toBe(true);
  });

  it('deletes a channel: CHANNEL_DELETE, then 10003 on REST', async () => {
    const s = await start();
    const client = await connect(s);
    const rest = new REST({ api: s.apiUrl }).setToken(s.token);
    const deleted = once(client, Events.ChannelDelete);
    s.deleteChannel(CHANNEL_ID);
    const [channel] = (await deleted) as [{ id: string }];
    expect(channel.id).toBe(CHANNEL_ID);
    expect(client.channels.cache.has(CHANNEL_ID)).toBe(false);
    for (const request of [rest.post(Routes.channelMessages(CHANNEL_ID), { body: { content: 'Starting' } }), rest.get(Routes.channel(CHANNEL_ID))]) {
      const error = await restError(request);
      expect([error.status, error.code, error.message]).toEqual([404, 10003, 'Unknown Channel']);
    }
    expect(() => s.deleteChannel(CHANNEL_ID)).toThrow(/Unknown channel/);
  });

  it('denies the bot Send Messages: CHANNEL_UPDATE, then 50013 on posts and edits, while interaction replies still work', async () => {
    const s = await start();
    const client = await connect(s);
    const rest = new REST({ api: s.apiUrl }).setToken(s.token);
    const before = (await rest.post(Routes.channelMessages(CHANNEL_ID), { body: { content: 'Quote of the day' } })) as { id: string };

    const updated = once(client, Events.ChannelUpdate);
    s.denyBotSendMessages(CHANNEL_ID);
    await updated;
    const channel = client.guilds.cache.get(GUILD_ID)?.channels.cache.get(CHANNEL_ID);
    expect(channel?.permissionsFor(client.guilds.cache.get(GUILD_ID)!.members.me!)?.has(PermissionFlagsBits.SendMessages)).toBe(false);

    for (const request of [
      rest.post(Routes.channelMessages(CHANNEL_ID), { body: { content: 'Starting' } }),
      rest.patch(Routes.channelMessage(CHANNEL_ID, before.id), { body: { content: 'Edited quote' } }),
    ]) {
      const error = await restError(request);
      expect([error.status, error.code, error.message]).toEqual([403, 50013, 'Missing Permissions']);
    }
    expect(s.channelMessages(CHANNEL_ID).map((m) => m.content)).toEqual(['Quote of the day']);

    const handled = nextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return undefined;
      await i.reply('still here');
      return i.appPermissions.has(PermissionFlagsBits.SendMessages);
    });
    expect((await s.slash({ name: 'film' }).reply()).content).toBe('still here');
    expect((await handled).value).toBe(false);
  });
});

describe('scheduled events', () => {
  it('creates, lists, modifies and deletes events over REST, and audits each change', async () => {
    const s = await start({ guilds: [CINEMA] });
    const rest = new REST({ api: s.apiUrl }).setToken(s.token);
    const body = external();
    const created = (await rest.post(Routes.guildScheduledEvents(GUILD_ID), { body, reason: 'Film night' })) as Record<string, any>;
    expect(created).toMatchObject({
      guild_id: GUILD_ID,
      channel_id: null,
      creator_id: s.applicationId,
      creator: { id: s.applicationId, bot: true },
      name: 'Alien (1979)',
      description: null,
      privacy_level: 2,
      status: 1,
      entity_type: 3,
      entity_id: null,
      entity_metadata: { location: 'Odeon, screen 2' },
      user_count: 0,
      image: null,
      recurrence_rule: null,
    });
    expect(created.id).toMatch(/^\d{17,20}$/);
    // Discord's timestamp form, for the instant the bot sent.
    expect(created.scheduled_start_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
    expect(Date.parse(created.scheduled_start_time)).toBe(Date.parse(body.scheduled_start_time));

    const voice = (await rest.post(Routes.guildScheduledEvents(GUILD_ID), {
      body: { name: 'Watch-along', privacy_level: 2, entity_type: 2, channel_id: VOICE_ID, scheduled_start_time: inHours(1), description: 'Bring snacks' },
    })) as { id: string; channel_id: string; entity_metadata: unknown; scheduled_end_time: unknown };
    expect([voice.channel_id, voice.entity_metadata, voice.scheduled_end_time]).toEqual([VOICE_ID, null, null]);

    const listed = (await rest.get(Routes.guildScheduledEvents(GUILD_ID))) as { id: string; user_count?: number }[];
    expect(listed.map((e) => e.id)).toEqual([created.id, voice.id]);
    expect(listed[0]?.user_count).toBeUndefined();
    const counted = (await rest.get(Routes.guildScheduledEvents(GUILD_ID), { query: new URLSearchParams({ with_user_count: 'true' }) })) as { user_count?: number }[];
    expect(counted.map((e) => e.user_count)).toEqual([0, 0]);
    expect(((await rest.get(Routes.guildScheduledEvent(GUILD_ID, voice.id))) as { name: string }).name).toBe('Watch-along');

    const started = (await rest.patch(Routes.guildScheduledEvent(GUILD_ID, voice.id), { body: { status: 2 } })) as { status: number };
    expect(started.status).toBe(2);
    await rest.patch(Routes.guildScheduledEvent(GUILD_ID, voice.id), { body: { status: 3 } });
    await rest.patch(Routes.guildScheduledEvent(GUILD_ID, created.id), { body: { name: 'Aliens (1986)', entity_metadata: { location: 'Odeon, screen 1' } } });
    expect(s.scheduledEvent(GUILD_ID, created.id)).toMatchObject({ name: 'Aliens (1986)', entity_metadata: { location: 'Odeon, screen 1' }, user_count: 0 });
    await rest.delete(Routes.guildScheduledEvent(GUILD_ID, voice.id));
    expect(s.scheduledEvents(GUILD_ID).map((e) => e.id)).toEqual([created.id]);

    const audit = s.scheduledEventAudit(GUILD_ID);
    expect(audit.map((entry) => [entry.actionType, entry.eventId])).toEqual([
      [100, created.id],
      [100, voice.id],
      [101, voice.id],
      [101, voice.id],
      [101, created.id],
      [102, voice.id],
    ]);
    expect(audit[0]).toMatchObject({ userId: s.applicationId, reason: 'Film night' });
    expect(audit[2]?.changes).toEqual([{ key: 'status', old_value: 1, new_value: 2 }]);
    expect(audit[4]?.changes).toEqual([
      { key: 'name', old_value: 'Alien (1979)', new_value: 'Aliens (1986)' },
      { key: 'location', old_value: 'Odeon, screen 2', new_value: 'Odeon, screen 1' },
    ]);
  });

  it('refuses what Discord refuses', async () => {
    const s = await start({ guilds: [CINEMA] });
    const rest = new REST({ api: s.apiUrl }).setToken(s.token);
    const route = Routes.guildScheduledEvents(GUILD_ID);
    const formError = async (body: unknown, patchId?: string): Promise<string> => {
      const error = await restError(patchId ? rest.patch(Routes.guildScheduledEvent(GUILD_ID, patchId), { body }) : rest.post(route, { body }));
      expect([error.status, error.code]).toEqual([400, 50035]);
      return error.message;
    };

    expect(await formError(external({ scheduled_start_time: new Date(Date.now() - 60_000).toISOString() }))).toContain('scheduled_start_time[GUILD_SCHEDULED_EVENT_SCHEDULE_PAST]');
    expect(await formError(external({ entity_metadata: {} }))).toContain('entity_metadata.location[BASE_TYPE_REQUIRED]');
    expect(await formError(external({ entity_metadata: { location: 'x'.repeat(101) } }))).toContain('entity_metadata.location[BASE_TYPE_BAD_LENGTH]');
    expect(await formError(external({ scheduled_end_time: undefined }))).toContain('scheduled_end_time[BASE_TYPE_REQUIRED]');
    expect(await formError(external({ scheduled_end_time: inHours(23) }))).toContain('scheduled_end_time[GUILD_SCHEDULED_EVENT_END_BEFORE_START]');
    expect(await formError(external({ channel_id: VOICE_ID }))).toContain('channel_id[');
    expect(await formError(external({ privacy_level: 1 }))).toContain('privacy_level[BASE_TYPE_CHOICES]');
    expect(await formError(external({ name: '' }))).toContain('name[BASE_TYPE_BAD_LENGTH]');
    expect(await formError(external({ description: 'd'.repeat(1001) }))).toContain('description[BASE_TYPE_MAX_LENGTH]');
    expect(await formError(external({ scheduled_start_time: 'next Tuesday' }))).toContain('scheduled_start_time[DATE_TIME_TYPE_PARSE]');
    expect(await formError(external({ entity_type: 2, channel_id: CHANNEL_ID }))).toContain('channel_id[GUILD_SCHEDULED_EVENT_INVALID_CHANNEL_TYPE]');
    expect(await formError(external({ entity_type: 1, channel_id: VOICE_ID }))).toContain('channel_id[GUILD_SCHEDULED_EVENT_INVALID_CHANNEL_TYPE]');
    expect(await formError(external({ entity_type: 2, channel_id: null }))).toContain('channel_id[BASE_TYPE_REQUIRED]');

    const event = (await rest.post(route, { body: external() })) as { id: string };
    expect(await formError({ status: 3 }, event.id)).toContain('status[GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION]');
    expect(await formError({ scheduled_start_time: new Date(Date.now() - 60_000).toISOString() }, event.id)).toContain('GUILD_SCHEDULED_EVENT_SCHEDULE_PAST');
    await rest.patch(Routes.guildScheduledEvent(GUILD_ID, event.id), { body: { status: 2 } });
    expect(await formError({ scheduled_start_time: inHours(2) }, event.id)).toContain('GUILD_SCHEDULED_EVENT_SCHEDULE_INVALID_START_BY_STATUS');
    expect(await formError({ status: 1 }, event.id)).toContain('status[GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION]');
    expect(await formError({ status: 4 }, event.id)).toContain('status[GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION]');
    await rest.patch(Routes.guildScheduledEvent(GUILD_ID, event.id), { body: { status: 3 } });
    const finished = await restError(rest.patch(Routes.guildScheduledEvent(GUILD_ID, event.id), { body: { name: 'Encore' } }));
    expect([finished.status, finished.code, finished.message]).toEqual([400, 180000, 'Cannot update a finished event']);

    for (const request of [
      rest.get(Routes.guildScheduledEvent(GUILD_ID, '1')),
      rest.patch(Routes.guildScheduledEvent(GUILD_ID, '1'), { body: { name: 'x' } }),
      rest.delete(Routes.guildScheduledEvent(GUILD_ID, '1')),
    ]) {
      const error = await restError(request);
      expect([error.status, error.code, error.message]).toEqual([404, 10070, 'Unknown Guild Scheduled Event']);
    }
    expect((await restError(rest.post(Routes.guildScheduledEvents('200000000000000009'), { body: external() }))).code).toBe(10004);
    // Only the one successful create and its changes were audited.
    expect(s.scheduledEventAudit().map((entry) => entry.actionType)).toEqual([100, 101, 101]);
  });

  it('answers 50013 without Manage Events, from the start or after a moderator takes it away', async () => {
    const otherGuild = '200000000000000002';
    const s = await start({
      guilds: [CINEMA, { id: otherGuild, name: 'Horror Club', ownerId: '300000000000000001', channels: [{ id: '220000000000000001', name: 'crypt' }] }],
      withoutManageEvents: [otherGuild],
    });
    const rest = new REST({ api: s.apiUrl }).setToken(s.token);
    const missing = async (request: Promise<unknown>): Promise<void> => {
      const error = await restError(request);
      expect([error.status, error.code, error.message]).toEqual([403, 50013, 'Missing Permissions']);
    };
    await missing(rest.post(Routes.guildScheduledEvents(otherGuild), { body: external() }));
    expect(await rest.get(Routes.guildScheduledEvents(otherGuild))).toEqual([]);

    const client = await connect(s);
    expect(client.guilds.cache.get(otherGuild)?.members.me?.permissions.has(PermissionFlagsBits.ManageEvents)).toBe(false);
    const event = (await rest.post(Routes.guildScheduledEvents(GUILD_ID), { body: external() })) as { id: string };
    const roleUpdated = once(client, Events.GuildRoleUpdate);
    s.setBotPermission(GUILD_ID, 'ManageEvents', false);
    await roleUpdated;
    expect(client.guilds.cache.get(GUILD_ID)?.members.me?.permissions.has(PermissionFlagsBits.ManageEvents)).toBe(false);
    await missing(rest.post(Routes.guildScheduledEvents(GUILD_ID), { body: external() }));
    await missing(rest.patch(Routes.guildScheduledEvent(GUILD_ID, event.id), { body: { status: 4 } }));
    await missing(rest.delete(Routes.guildScheduledEvent(GUILD_ID, event.id)));

    s.setBotPermission(GUILD_ID, 'ManageEvents', true);
    expect(((await rest.patch(Routes.guildScheduledEvent(GUILD_ID, event.id), { body: { status: 4 } })) as { status: number }).status).toBe(4);
  });

  it('sends GUILD_CREATE with the current events, and events only to clients with the GuildScheduledEvents intent', async () => {
    const s = await start({ guilds: [CINEMA] });
    const rest = new REST({ api: s.apiUrl }).setToken(s.token);
    const existing = (await rest.post(Routes.guildScheduledEvents(GUILD_ID), { body: external() })) as { id: string };
    const withIntent = await connect(s, { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildScheduledEvents] });
    const without = await connect(s);
    expect(withIntent.guilds.cache.get(GUILD_ID)?.scheduledEvents.cache.get(existing.id)?.entityMetadata?.location).toBe('Odeon, screen 2');

    const seenWithout: string[] = [];
    without.on(Events.Raw, (packet: { t?: string }) => {
      if (packet.t?.startsWith('GUILD_SCHEDULED_EVENT')) seenWithout.push(packet.t);
    });
    // The bot creates one through discord.js itself, which parses the answer into a GuildScheduledEvent.
    const seen = once(withIntent, Events.GuildScheduledEventCreate);
    const created = await withIntent.guilds.cache.get(GUILD_ID)!.scheduledEvents.create({
      name: 'Premiere Q&A',
      privacyLevel: GuildScheduledEventPrivacyLevel.GuildOnly,
      entityType: GuildScheduledEventEntityType.StageInstance,
      channel: STAGE_ID,
      scheduledStartTime: new Date(Date.now() + 3_600_000),
    });
    expect([created.channelId, created.creatorId, created.status]).toEqual([STAGE_ID, s.applicationId, GuildScheduledEventStatus.Scheduled]);
    const [announced] = (await seen) as [{ id: string }];
    expect(announced.id).toBe(created.id);
    await s.waitForScheduledEvent(GUILD_ID, (e) => e.id === created.id);
    expect(seenWithout).toEqual([]);
  });

  it("delivers a moderator's edit and delete to a client that caches no events, through the partial", async () => {
    const s = await start({ guilds: [CINEMA] });
    const rest = new REST({ api: s.apiUrl }).setToken(s.token);
    const [screening, watchAlong] = (await Promise.all([
      rest.post(Routes.guildScheduledEvents(GUILD_ID), { body: external() }),
      rest.post(Routes.guildScheduledEvents(GUILD_ID), { body: { name: 'Watch-along', privacy_level: 2, entity_type: 2, channel_id: VOICE_ID, scheduled_start_time: inHours(1) } }),
    ])) as { id: string }[];
    const client = await connect(s, {
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildScheduledEvents],
      partials: [Partials.GuildScheduledEvent],
      makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, GuildScheduledEventManager: 0 }),
    });
    expect(client.guilds.cache.get(GUILD_ID)?.scheduledEvents.cache.size).toBe(0);

    const later = inHours(48);
    const updated = once(client, Events.GuildScheduledEventUpdate);
    s.moderatorEditScheduledEvent(GUILD_ID, screening!.id, { name: 'Alien: Director’s Cut', scheduled_start_time: later, scheduled_end_time: inHours(50) });
    const [oldEvent, newEvent] = (await updated) as [unknown, { id: string; name: string; scheduledStartTimestamp: number }];
    expect(oldEvent).toBeNull();
    expect([newEvent.id, newEvent.name, newEvent.scheduledStartTimestamp]).toEqual([screening!.id, 'Alien: Director’s Cut', Date.parse(later)]);

    const cancelled = once(client, Events.GuildScheduledEventUpdate);
    s.moderatorEditScheduledEvent(GUILD_ID, screening!.id, { status: 4 });
    expect(((await cancelled) as [unknown, { status: number }])[1].status).toBe(GuildScheduledEventStatus.Canceled);
    expect(() => s.moderatorEditScheduledEvent(GUILD_ID, screening!.id, { status: 2 })).toThrow(/180000/);
    expect(() => s.moderatorEditScheduledEvent(GUILD_ID, watchAlong!.id, { status: 3 })).toThrow(/GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION/);

    const deleted = once(client, Events.GuildScheduledEventDelete);
    s.moderatorDeleteScheduledEvent(GUILD_ID, watchAlong!.id);
    // Not cached, so discord.js hands the listener a partial built from the id alone.
    const [gone] = (await deleted) as [{ id: string; partial: boolean }];
    expect([gone.id, gone.partial]).toEqual([watchAlong!.id, true]);
    expect(s.scheduledEvents(GUILD_ID).map((e) => [e.id, e.status])).toEqual([[screening!.id, 4]]);
    expect(() => s.moderatorDeleteScheduledEvent(GUILD_ID, watchAlong!.id)).toThrow(/10070/);
    const audit = s.scheduledEventAudit(GUILD_ID).slice(2);
    expect(audit.map((entry) => [entry.actionType, entry.userId])).toEqual([
      [101, CINEMA.ownerId],
      [101, CINEMA.ownerId],
      [102, CINEMA.ownerId],
    ]);
  });
});

describe('user installs', () => {
  it('delivers a DM interaction: user, no member nor guild, authorised by the user; channel calls there answer 50001', async () => {
    const s = await start();
    const client = await connect(s);
    const rest = new REST({ api: s.apiUrl }).setToken(s.token);
    const handled = nextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return undefined;
      await i.reply('from a DM');
      await i.followUp('and a follow-up');
      return { guildId: i.guildId, member: i.member, context: i.context, owners: [i.authorizingIntegrationOwners.guildId, i.authorizingIntegrationOwners.userId], user: i.user.id, channelId: i.channelId };
    });
    const handle = s.slash({ name: 'film', user: { id: '400000000000000005' }, userInstall: { context: 1 } });
    const reply = await handle.reply();
    expect(reply.content).toBe('from a DM');
    expect(reply.guildId).toBeUndefined();
    const seen = (await handled).value as { channelId: string };
    expect(seen).toMatchObject({ guildId: null, member: null, context: 1, owners: [null, '400000000000000005'], user: '400000000000000005' });
    expect((await handle.waitForFollowUp()).content).toBe('and a follow-up');

    for (const request of [rest.post(Routes.channelMessages(seen.channelId), { body: { content: 'hi' } }), rest.get(Routes.channel(seen.channelId))]) {
      const error = await restError(request);
      expect([error.status, error.code]).toEqual([403, 50001]);
    }
    // The same member's DM stays the same channel.
    const again = nextInteraction(client, async (i) => (i.isChatInputCommand() ? (await i.reply('again'), i.channelId) : undefined));
    await s.slash({ name: 'film', user: { id: '400000000000000005' }, userInstall: { context: 1 } }).reply();
    expect((await again).value).toBe(seen.channelId);
  });

  it('delivers an interaction from a server without the bot: guildId but no cached guild, and 50001 on its channels, messages and guild', async () => {
    const s = await start();
    const client = await connect(s);
    const rest = new REST({ api: s.apiUrl }).setToken(s.token);
    const elsewhere = { guildId: '200000000000000077', channelId: '270000000000000001' };
    const handled = nextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return undefined;
      const deferred = await i.deferReply();
      await i.editReply('filled in');
      return { deferred: Boolean(deferred), guildId: i.guildId, guild: i.guild, member: (i.member as { user?: { id: string } } | null)?.user?.id, context: i.context, owners: [i.authorizingIntegrationOwners.guildId, i.authorizingIntegrationOwners.userId] };
    });
    const reply = await s.slash({ name: 'quote', user: { id: '400000000000000006' }, userInstall: { context: 0, ...elsewhere } }).reply();
    expect(reply.content).toBe('filled in');
    expect((await handled).value).toEqual({ deferred: true, guildId: elsewhere.guildId, guild: null, member: '400000000000000006', context: 0, owners: [null, '400000000000000006'] });
    expect(client.guilds.cache.has(elsewhere.guildId)).toBe(false);

    for (const request of [
      rest.post(Routes.channelMessages(elsewhere.channelId), { body: { content: 'hi' } }),
      rest.patch(Routes.channelMessage(elsewhere.channelId, reply.id), { body: { content: 'edited' } }),
      rest.get(Routes.guild(elsewhere.guildId)),
    ]) {
      const error = await restError(request);
      expect([error.status, error.code, error.message]).toEqual([403, 50001, 'Missing Access']);
    }
    // A server nobody used stays unknown.
    expect((await restError(rest.get(Routes.guild('200000000000000078')))).code).toBe(10004);
  });

  it('validates integration_types and contexts on registration, and keeps them', async () => {
    const s = await start();
    const rest = new REST({ api: s.apiUrl }).setToken(s.token);
    const film = new SlashCommandBuilder().setName('film').setDescription('Show a film card').setIntegrationTypes(0, 1).setContexts(0, 1, 2).toJSON();
    const rate = new SlashCommandBuilder().setName('rate').setDescription('Rate a film').setIntegrationTypes(0).setContexts(0).toJSON();
    await rest.put(Routes.applicationCommands(s.applicationId), { body: [film, rate] });
    expect(s.registeredCommands().map(({ name, integration_types, contexts }) => ({ name, integration_types, contexts }))).toEqual([
      { name: 'film', integration_types: [0, 1], contexts: [0, 1, 2] },
      { name: 'rate', integration_types: [0], contexts: [0] },
    ]);
    const invalid = await restError(rest.put(Routes.applicationCommands(s.applicationId), { body: [{ ...film, integration_types: [0, 2] }, { ...rate, contexts: [3] }, { ...rate, name: 'stats', contexts: 0 }] }));
    expect(invalid.code).toBe(50035);
    expect(invalid.message).toContain('0.integration_types[1][BASE_TYPE_CHOICES]');
    expect(invalid.message).toContain('1.contexts[0][BASE_TYPE_CHOICES]');
    expect(invalid.message).toContain('2.contexts[BASE_TYPE_ARRAY]');
  });
});
