// Remembers which command definitions were last registered, so restarts skip the round trip.
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { keys } from './keys';
import type { RecordStore, RecordType } from './records';

const registrationSchema = z.object({ hash: z.string(), registeredAt: z.number() });

export function hashDefinitions(definitions: unknown): string {
  return createHash('sha256').update(JSON.stringify(definitions)).digest('hex');
}

export class RegistrationStore {
  private readonly registrations: RecordType<z.infer<typeof registrationSchema>>;

  constructor(records: RecordStore) {
    this.registrations = records.type(registrationSchema);
  }

  async isCurrent(scope: string, hash: string): Promise<boolean> {
    const stored = await this.registrations.read(keys.commandRegistration(scope));
    return stored?.hash === hash;
  }

  async remember(scope: string, hash: string, now: number): Promise<void> {
    await this.registrations.update(keys.commandRegistration(scope), () => ({ hash, registeredAt: now }));
  }
}
