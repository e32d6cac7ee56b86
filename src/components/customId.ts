// One codec for component and modal customIds: readable, versioned by shape, at most 100 characters.
// Everything a component needs after a restart is in its id or in storage, never in memory.

export type ComponentId =
  | { kind: 'poll-vote'; pollId: string }
  | { kind: 'poll-end'; pollId: string }
  | { kind: 'film-add' }
  | { kind: 'film-edit'; slug: string };

const POLL_ID = /^[a-z0-9]{6,32}$/;
const FILM_SLUG = /^[\p{Ll}\p{Lo}\p{N}]+(-[\p{Ll}\p{Lo}\p{N}]+)*$/u;

export function buildCustomId(id: ComponentId): string {
  switch (id.kind) {
    case 'poll-vote':
      return `poll:vote:${id.pollId}`;
    case 'poll-end':
      return `poll:end:${id.pollId}`;
    case 'film-add':
      return 'films:add';
    case 'film-edit':
      return `films:edit:${id.slug}`;
  }
}

/** Parses a customId, or returns undefined for one this version does not know (an older message). */
export function parseCustomId(customId: string): ComponentId | undefined {
  const [scope, action, subject, ...rest] = customId.split(':');
  if (rest.length > 0) return undefined;
  if (scope === 'poll' && subject && POLL_ID.test(subject)) {
    if (action === 'vote') return { kind: 'poll-vote', pollId: subject };
    if (action === 'end') return { kind: 'poll-end', pollId: subject };
  }
  if (scope === 'films') {
    if (action === 'add' && subject === undefined) return { kind: 'film-add' };
    if (action === 'edit' && subject && FILM_SLUG.test(subject)) return { kind: 'film-edit', slug: subject };
  }
  return undefined;
}
