// Pick polls: members choose the next film among up to ten. Kept like rating polls (one record that
// counts the votes, one entry per member), under keys of their own, and told apart by their id.
import * as z from 'zod';
import type { Counting } from './tally';

export const MIN_CANDIDATES = 2;
export const MAX_CANDIDATES = 10;

// Rating poll ids are hex (random, or a party's hex id and `p`), so no rating poll id starts
// with `pick`: components, the index and timers route a poll by its id alone.
const PICK_PREFIX = 'pick';
export const isPickPollId = (pollId: string): boolean => pollId.startsWith(PICK_PREFIX);
export const newPickPollId = (hex: string): string => `${PICK_PREFIX}${hex}`;

const filmNameSchema = z.object({ title: z.string(), year: z.number().optional() });
const candidateSchema = z.object({ filmId: z.string(), film: filmNameSchema });
export type Candidate = z.infer<typeof candidateSchema>;

/** One member's pick (the candidate's index) and when they made it. */
export const choiceEntrySchema = z.object({ choice: z.number().int().min(0).max(MAX_CANDIDATES - 1), at: z.number() });
export type ChoiceEntry = z.infer<typeof choiceEntrySchema>;

export const choiceCounting: Counting<ChoiceEntry> = { schema: choiceEntrySchema, valueOf: (entry) => entry.choice, slotOf: (choice) => choice };

export const pickPollSchema = z
  .object({
    kind: z.literal('pick'),
    id: z.string(),
    guildId: z.string(),
    channelId: z.string(),
    messageId: z.string().optional(),
    hostId: z.string(),
    /** In the watchlist's order, oldest suggestion first: a runoff that ties again goes to the first. */
    candidates: z.array(candidateSchema).min(MIN_CANDIDATES).max(MAX_CANDIDATES),
    createdAt: z.number(),
    closesAt: z.number(),
    status: z.enum(['open', 'closed']),
    closedAt: z.number().optional(),
    closedBy: z.string().optional(),
    /** Votes per candidate, in candidate order. */
    tally: z.array(z.number().int().nonnegative()),
    journal: z.record(z.string(), z.number().int()).optional(),
    /** Set on a runoff: the poll whose tie it breaks. */
    runoffOf: z.string().optional(),
    /** The language the vote was posted in (a Discord locale code), which every edit keeps; absent: English. */
    locale: z.string().optional(),
  })
  .refine((poll) => poll.tally.length === poll.candidates.length, { message: 'a pick poll counts one tally slot per candidate' });
export type PickPoll = z.infer<typeof pickPollSchema>;
