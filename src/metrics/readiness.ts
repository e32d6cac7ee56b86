// Whether a bot process can serve members now: every gateway shard READY and storage answering.
import { STORAGE_TIMEOUT_MS } from '../storage/timeouts';

/** What /readyz answers. A reason is a fixed phrase: never an error message, which may quote a URL or a token. */
export type Readiness = { ready: true } | { ready: false; reason: string };

export const notReady = (reason: string): Readiness => ({ ready: false, reason });

export interface ReadinessSources {
  /** The gateway shards this process runs. */
  shards(): Iterable<{ id: number; ready: boolean }>;
  /** A cheap storage call (a read of a fixed key); its value does not matter, only that it answers. */
  probeStorage(): Promise<unknown>;
}

export async function checkReadiness(sources: ReadinessSources, timeoutMs = STORAGE_TIMEOUT_MS): Promise<Readiness> {
  const shards = [...sources.shards()];
  if (shards.length === 0) return notReady('not connected to Discord yet');
  const down = shards.filter((shard) => !shard.ready).map((shard) => shard.id);
  if (down.length > 0) return notReady(down.length === 1 ? `gateway shard ${down[0]} is not ready` : `gateway shards ${down.join(', ')} are not ready`);
  // The same limit a member's storage call gets: slower than that, members are told it is unavailable.
  return (await answersWithin(sources.probeStorage, timeoutMs)) ? { ready: true } : notReady('storage is not answering');
}

async function answersWithin(probe: () => Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([probe().then(() => true as const), timedOut]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
