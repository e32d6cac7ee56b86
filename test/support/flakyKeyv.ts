// A keyv that fails on cue, for the tests of counted records that must mend themselves.
import Keyv, { type KeyvEntry } from 'keyv';

/**
 * In-memory keyv whose next writes of many keys (`setMany`) can be made to fail after the first
 * key landed: the worst a batch's write can do (a poll record written, its votes not), as when a
 * batch too large for one atomic write loses its connection between the two.
 */
export class FlakyKeyv extends Keyv<unknown> {
  failEntryWrites = 0;

  override async setMany<Value = unknown>(entries: KeyvEntry[]): Promise<boolean[]> {
    if (this.failEntryWrites > 0) {
      this.failEntryWrites -= 1;
      await super.set(entries[0]!.key, entries[0]!.value);
      throw new Error('connection reset');
    }
    return super.setMany<Value>(entries);
  }
}
