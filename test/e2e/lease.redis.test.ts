// Shard leases on redis: see test/support/shardLeases.ts.
import { describe } from 'vitest';
import { BACKENDS } from '../../harness/storage';
import { describeShardLeases } from '../support/shardLeases';

describe.runIf(BACKENDS.includes('redis'))('redis', () => describeShardLeases('redis'));
