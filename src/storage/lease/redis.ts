// A shard's lease in Redis: a key holding this process's token, with an expiry that the holder keeps renewing.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { connectRedis, type RedisClient } from '../redisClient';
import { STORAGE_TIMEOUT_MS } from '../timeouts';
import type { ShardLease } from './shardLease';

/** How long a lease outlives its last renewal: a holder killed with -9 is replaced within this. */
export const REDIS_LEASE_TTL_MS = 6_000;

// A write let through just before the deadline may take up to the storage timeout to land, so
// writes stop that long (and a little more) before the lease can expire.
const WRITE_MARGIN_MS = STORAGE_TIMEOUT_MS + 500;

export const redisLeaseKey = (shardId: number) => `reelside:lease:shard:${shardId}`;

/** 1: renewed; 0: the key is gone (expired or deleted); -1: another process's token is in it. */
const RENEW_IF_OURS = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if holder == false then return 0 end
return -1`;

const DELETE_IF_OURS = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export async function openRedisLease(url: string, shardId: number): Promise<RedisShardLease> {
  // A connection of the lease's own, so that renewals never queue behind a burst of votes. It logs
  // nothing: the storage's own client reports connection trouble.
  return new RedisShardLease(await connectRedis(url, { maxReconnectDelayMs: 1_000 }), shardId);
}

export class RedisShardLease implements ShardLease {
  private readonly token = `${hostname()}:${process.pid}:${randomUUID()}`;
  private readonly key: string;
  private readonly commands: RedisClient;
  /** When the lease may expire in Redis, measured from when the command that set its expiry was sent. */
  private expiresBy = 0;

  constructor(
    private readonly client: RedisClient,
    readonly shardId: number,
  ) {
    this.key = redisLeaseKey(shardId);
    this.commands = client.withCommandOptions({ timeout: STORAGE_TIMEOUT_MS });
  }

  async take(): Promise<boolean> {
    const sentAt = performance.now();
    const reply = await this.commands.set(this.key, this.token, { condition: 'NX', expiration: { type: 'PX', value: REDIS_LEASE_TTL_MS } });
    if (reply !== 'OK') return false;
    this.expiresBy = sentAt + REDIS_LEASE_TTL_MS;
    return true;
  }

  async keep(): Promise<boolean> {
    const sentAt = performance.now();
    const renewed = await this.commands.eval(RENEW_IF_OURS, { keys: [this.key], arguments: [this.token, String(REDIS_LEASE_TTL_MS)] });
    if (renewed === 1) {
      this.expiresBy = sentAt + REDIS_LEASE_TTL_MS;
      return true;
    }
    // Expired (a long pause, an outage) or deleted: ours again only if nobody took it meanwhile.
    return renewed === 0 ? this.take() : false;
  }

  writableUntil(): number {
    return this.expiresBy - WRITE_MARGIN_MS;
  }

  async release(): Promise<void> {
    const held = this.expiresBy > 0;
    this.expiresBy = 0;
    // Deleting the key at once lets a waiting process take over without waiting for the expiry.
    if (held) await this.commands.eval(DELETE_IF_OURS, { keys: [this.key], arguments: [this.token] }).catch(() => undefined);
    await this.client.close().catch(() => this.client.destroy());
  }
}
