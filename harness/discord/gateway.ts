/**
 * The gateway: a WebSocket endpoint on the same HTTP server, speaking Discord's JSON gateway
 * protocol as @discordjs/ws (WebSocketShard) expects it: HELLO → IDENTIFY → READY → GUILD_CREATE…,
 * heartbeats, RESUME refused with op 9, and one connection per shard.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { GuildDirectory } from './directory';
import { apiReady } from './payloads';
import { type ChangeFeed, isRecord } from './util';
import type { GatewaySessionRecord, JsonObject } from './types';

const Op = { Dispatch: 0, Heartbeat: 1, Identify: 2, Resume: 6, InvalidSession: 9, Hello: 10, HeartbeatAck: 11 } as const;
/** Client → gateway opcodes Discord knows (presence, voice state, request members, soundboard…). */
const KNOWN_CLIENT_OPS = new Set([1, 2, 3, 4, 6, 8, 31]);
const Close = { UnknownOpcode: 4001, DecodeError: 4002, NotAuthenticated: 4003, AuthenticationFailed: 4004, AlreadyAuthenticated: 4005, InvalidShard: 4010 } as const;
/** Gateway intents (GatewayIntentBits): which guild events a session asked for. */
export const Intent = { Guilds: 1 << 0, GuildScheduledEvents: 1 << 16 } as const;
const HEARTBEAT_INTERVAL_MS = 41_250;

/** The shard a guild's events go to (Discord's sharding formula). */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

class GatewaySession {
  private sequence = 0;
  sessionId = '';
  shard: [number, number] = [0, 1];
  identified = false;
  intents = 0;
  /** READY and every GUILD_CREATE have been sent, and the socket is still open. */
  ready = false;
  record: GatewaySessionRecord | undefined;

  constructor(readonly socket: WebSocket) {}

  send(payload: JsonObject): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(payload));
  }

  /** Dispatches carry an increasing `s`; WebSocketShard stores it for heartbeats and RESUME. */
  dispatch(event: string, data: JsonObject): void {
    this.sequence++;
    this.send({ op: Op.Dispatch, t: event, s: this.sequence, d: data });
  }

  close(code: number, reason: string): void {
    this.ready = false;
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close(code, reason);
  }
}

export interface GatewayOptions {
  server: Server;
  url: string;
  token: string;
  botUser: JsonObject;
  directory: GuildDirectory;
  /** A guild's GUILD_CREATE as it is at that moment (channels, roles, members, scheduled events). */
  guildCreate: (guildId: string) => JsonObject;
  feed: ChangeFeed;
  heartbeatIntervalMs?: number;
}

export class Gateway {
  private readonly wss: WebSocketServer;
  private readonly sessions = new Set<GatewaySession>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** IDENTIFYs that led to READY, over the stand-in's lifetime. */
  identifies = 0;
  /** Every session that identified, in order, closed ones included. */
  readonly history: GatewaySessionRecord[] = [];
  /** For each guild, the most identified sessions its shard had at the same moment. */
  readonly peakSessions = new Map<string, number>();

  constructor(private readonly options: GatewayOptions) {
    // Any upgrade path is accepted: clients connect to `${url}?v=10&encoding=json`.
    this.wss = new WebSocketServer({ server: options.server });
    this.wss.on('connection', (socket) => this.accept(socket));
  }

  private accept(socket: WebSocket): void {
    const session = new GatewaySession(socket);
    this.sessions.add(session);
    socket.on('message', (raw) => this.onMessage(session, raw));
    socket.on('close', () => {
      session.ready = false;
      if (session.record) session.record.closedAt = Date.now();
      this.sessions.delete(session);
      this.options.feed.notify();
    });
    socket.on('error', () => undefined); // a client vanishing mid-frame is not the stand-in's failure
    session.send({ op: Op.Hello, d: { heartbeat_interval: this.options.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS } });
  }

  private onMessage(session: GatewaySession, raw: RawData): void {
    let payload: unknown;
    try {
      payload = JSON.parse(raw.toString());
    } catch {
      session.close(Close.DecodeError, 'Error while decoding payload.');
      return;
    }
    if (!isRecord(payload) || typeof payload.op !== 'number' || !KNOWN_CLIENT_OPS.has(payload.op)) {
      session.close(Close.UnknownOpcode, 'Unknown opcode.');
      return;
    }
    switch (payload.op) {
      case Op.Heartbeat:
        session.send({ op: Op.HeartbeatAck });
        return;
      case Op.Identify:
        this.identify(session, isRecord(payload.d) ? payload.d : {});
        return;
      case Op.Resume:
        // Sessions are not resumable here: the client is told to identify again (WebSocketShard does so).
        session.send({ op: Op.InvalidSession, d: false });
        return;
      default:
        if (!session.identified) session.close(Close.NotAuthenticated, 'Not authenticated.');
    }
  }

  private identify(session: GatewaySession, d: JsonObject): void {
    if (session.identified) return session.close(Close.AlreadyAuthenticated, 'Already authenticated.');
    const token = typeof d.token === 'string' ? d.token.replace(/^Bot /, '') : '';
    if (token !== this.options.token) return session.close(Close.AuthenticationFailed, 'Authentication failed.');
    const [shardId, shardCount]: unknown[] = Array.isArray(d.shard) ? d.shard : [0, 1];
    if (typeof shardId !== 'number' || typeof shardCount !== 'number' || !Number.isInteger(shardId) || !Number.isInteger(shardCount) || shardCount < 1 || shardId < 0 || shardId >= shardCount) {
      return session.close(Close.InvalidShard, 'Invalid shard.');
    }
    session.identified = true;
    session.intents = typeof d.intents === 'number' ? d.intents : 0;
    session.sessionId = randomBytes(16).toString('hex');
    session.shard = [shardId, shardCount];
    session.record = { sessionId: session.sessionId, shard: [shardId, shardCount], identifiedAt: Date.now(), closedAt: undefined };
    this.history.push(session.record);
    const { directory } = this.options;
    const guilds = directory.guilds.filter((guild) => shardOf(guild.id, shardCount) === shardId);
    // Discord would deliver a guild's events to either session: two processes serving one server.
    for (const guild of guilds) {
      const serving = [...this.sessions].filter((s) => s.identified && shardOf(guild.id, s.shard[1]) === s.shard[0]).length;
      this.peakSessions.set(guild.id, Math.max(serving, this.peakSessions.get(guild.id) ?? 0));
    }
    session.dispatch(
      'READY',
      apiReady({ botUser: this.options.botUser, guildIds: guilds.map((g) => g.id), sessionId: session.sessionId, resumeUrl: this.options.url, shard: session.shard }),
    );
    // Guilds stream in after READY, as on Discord. Sending them in a later tick also keeps
    // WebSocketShard's async message handling from overtaking READY with a GUILD_CREATE.
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (session.socket.readyState !== WebSocket.OPEN) return;
      // Without the Guilds intent Discord sends no GUILD_CREATE (discord.js then stops waiting at once).
      // Built here, in the same tick as `ready`, so no guild change falls between the snapshot and the
      // first event dispatched to this session.
      if (session.intents & Intent.Guilds) {
        for (const guild of guilds) session.dispatch('GUILD_CREATE', this.options.guildCreate(guild.id));
      }
      session.ready = true;
      this.identifies++;
      this.options.feed.notify();
    }, 5);
    this.timers.add(timer);
  }

  /** The ready connection that receives events for this guild, if any (the newest, should an old one linger). */
  sessionFor(guildId: string): GatewaySession | undefined {
    return [...this.sessions].reverse().find((s) => s.ready && shardOf(guildId, s.shard[1]) === s.shard[0]);
  }

  /**
   * Sends a guild event to every ready session of the guild's shard that asked for it with `intent`:
   * unlike an interaction, which goes to one session, Discord sends guild events to each of them.
   */
  dispatchToGuild(guildId: string, event: string, data: JsonObject, intent: number): void {
    for (const session of this.sessions) {
      if (session.ready && session.intents & intent && shardOf(guildId, session.shard[1]) === session.shard[0]) session.dispatch(event, data);
    }
  }

  isConnected(): boolean {
    return [...this.sessions].some((s) => s.ready);
  }

  /** Drops every connection; the client will reconnect (and, after op 9, identify again). */
  disconnect(code: number): void {
    for (const session of this.sessions) session.close(code, 'Disconnected by the test');
    this.options.feed.notify();
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    for (const session of this.sessions) session.socket.terminate();
    this.sessions.clear();
    this.wss.close();
  }
}
