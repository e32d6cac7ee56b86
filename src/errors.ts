// Failures the bot expects. Lower layers throw typed errors that say what happened; only the
// interaction layer (src/replies/failures.ts) turns them into words for a member.

/** A member's own mistake, worded for them by the command or component that found it. */
export class UserFacingError extends Error {
  override readonly name = 'UserFacingError';
}

/** Storage could not be reached or did not answer in time: nothing was saved. */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';
  constructor(cause?: unknown) {
    super('storage is unavailable', { cause });
  }
}

/** A stored record fails its schema: it is never overwritten, so it cannot be changed either. */
export class RecordDamagedError extends Error {
  override readonly name = 'RecordDamagedError';
  constructor(readonly key: string) {
    super(`record ${key} is damaged`);
  }
}

/** A change would have left a record that fails its schema: a bug, so nothing was saved. */
export class InvalidRecordError extends Error {
  override readonly name = 'InvalidRecordError';
  constructor(
    readonly key: string,
    cause: unknown,
  ) {
    super(`a change to ${key} would make it invalid`, { cause });
  }
}

/** The poll named by a button, menu or option has no record in this server. */
export class PollNotFoundError extends Error {
  override readonly name = 'PollNotFoundError';
  constructor(readonly pollId: string) {
    super(`poll ${pollId} does not exist`);
  }
}

/** A vote reached a poll that has closed (or whose time is up). */
export class PollClosedError extends Error {
  override readonly name = 'PollClosedError';
  constructor(readonly pollId: string) {
    super(`poll ${pollId} is closed`);
  }
}
