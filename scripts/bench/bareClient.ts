// The bench's memory and start-up floor: a bare discord.js 14 client with default options that answers nothing.
// Compiled by scripts/bench/startup.ts and started exactly as the bot is (plain node on compiled JS).
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { memoryLimits } from '../../src/discord/memory';

// Only what reaching the stand-in needs, from the same variables as the bot; caches and sweepers
// stay at discord.js's defaults unless BENCH_CACHES=bot asks for the bot's (src/discord/memory.ts),
// which tells how much of the bot's memory its cache options account for.
const api = process.env.DISCORD_API_URL;
const client = new Client({
  intents: [GatewayIntentBits.Guilds],
  ...(api ? { rest: { api } } : {}),
  ...(process.env.BENCH_CACHES === 'bot' ? memoryLimits : {}),
});
client.on(Events.InteractionCreate, () => undefined);
// The same JSON line the bot logs at READY (msg "ready" with its guild count), which the bench waits for.
client.once(Events.ClientReady, (ready) => console.log(JSON.stringify({ level: 30, time: Date.now(), msg: 'ready', guilds: ready.guilds.cache.size })));
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void client.destroy().finally(() => process.exit(0)));
}
await client.login(process.env.DISCORD_TOKEN);
