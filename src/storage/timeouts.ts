// A storage call that has not answered by then is reported as an outage, so the member
// still hears back inside Discord's 3-second deadline.
export const STORAGE_TIMEOUT_MS = 2_000;

// Databases are told to give up a little earlier, so a write the member was told to retry is
// abandoned by the database rather than landing after the bot stopped waiting.
export const DATABASE_GIVE_UP_MS = STORAGE_TIMEOUT_MS - 500;
