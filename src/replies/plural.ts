// "1 vote", "2 votes", "2 votos", "2票": counts in words, in the reader's language (see i18n `count`).
import type { Translator } from '../i18n';

export type CountedNoun = 'film' | 'film rating' | 'member' | 'member review' | 'more film' | 'poll' | 'rating' | 'review' | 'row' | 'stored film' | 'suggestion' | 'vote' | 'voter';

export function countOf(t: Translator, n: number, noun: CountedNoun): string {
  return t(`count.${noun.replaceAll(' ', '_')}`, { count: n });
}
