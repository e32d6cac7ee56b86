// One codec for component customIds: readable, versioned by shape, at most 100 characters.
// Everything a component needs after a restart is in its id or in storage, never in memory.

export type ComponentId = { kind: 'poll-vote'; pollId: string } | { kind: 'poll-end'; pollId: string };

const POLL_ID = /^[a-z0-9]{6,32}$/;

export function buildCustomId(id: ComponentId): string {
  switch (id.kind) {
    case 'poll-vote':
      return `poll:vote:${id.pollId}`;
    case 'poll-end':
      return `poll:end:${id.pollId}`;
  }
}

/** Parses a customId, or returns undefined for one this version does not know (an older message). */
export function parseCustomId(customId: string): ComponentId | undefined {
  const [scope, action, pollId, ...rest] = customId.split(':');
  if (scope !== 'poll' || rest.length > 0 || !pollId || !POLL_ID.test(pollId)) return undefined;
  if (action === 'vote') return { kind: 'poll-vote', pollId };
  if (action === 'end') return { kind: 'poll-end', pollId };
  return undefined;
}
