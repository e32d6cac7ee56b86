// A storage call that has not answered by then is reported as an outage, so the member
// still hears back inside Discord's 3-second deadline.
export const STORAGE_TIMEOUT_MS = 2_000;
