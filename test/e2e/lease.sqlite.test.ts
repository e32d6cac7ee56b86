// Shard leases on sqlite: see test/support/shardLeases.ts.
import { describe } from 'vitest';
import { BACKENDS } from '../../harness/storage';
import { describeShardLeases } from '../support/shardLeases';

describe.runIf(BACKENDS.includes('sqlite'))('sqlite', () => describeShardLeases('sqlite'));
