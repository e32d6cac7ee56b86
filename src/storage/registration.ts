// Remembers which command definitions were last registered, so restarts skip the round trip.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { keys } from './keys';
import type { RecordStore } from './records';

const registrationSchema = z.object({ hash: z.string(), registeredAt: z.number() });

export function hashDefinitions(definitions: unknown): string {
  return createHash('sha256').update(JSON.stringify(definitions)).digest('hex');
}

export class RegistrationStore {
  constructor(private readonly records: RecordStore) {}

  async isCurrent(scope: string, hash: string): Promise<boolean> {
    const stored = await this.records.read(keys.commandRegistration(scope), registrationSchema);
    return stored?.hash === hash;
  }

  async remember(scope: string, hash: string, now: number): Promise<void> {
    await this.records.update(keys.commandRegistration(scope), registrationSchema, () => ({ hash, registeredAt: now }), () => ({ hash, registeredAt: now }));
  }
}
