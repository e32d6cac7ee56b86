// Failures a member caused and can fix: their message is shown to them as it is.
export class UserFacingError extends Error {
  override readonly name = 'UserFacingError';
}

/** Storage could not be reached: the member is told to try again, nothing was saved. */
export class StorageUnavailableError extends UserFacingError {
  constructor(cause?: unknown) {
    super('Storage is unavailable right now, so nothing was saved. Please try again in a moment.', { cause });
  }
}
