// Reviews as shown: text exactly as written, spoilers that hold, pages inside Discord's limits,
// and member quotes cut at sentences.
import { describe, expect, it } from 'vitest';
import { characterCount } from '../../src/data/reviewLimits';
import { memberExcerpt } from '../../src/films/quotes';
import { asWritten, buildReviewPage, escapedWithin, type ShownReview } from '../../src/replies/reviews';
import { translator } from '../../src/i18n';

const EN = translator('en');

/** Discord's spoiler rule as its markdown parser applies it: the first `||` after the opening one closes it. */
const spoilerContent = (value: string) => /\|\|([\s\S]+?)\|\|/.exec(value.replace(/\\\|/g, '\u0000'))?.[1]?.replace(/\u0000/g, '\\|');

const review = (text: string, extra: Partial<ShownReview> = {}): ShownReview => ({ userId: '1', displayName: 'Ana', stars: 4.5, text, spoiler: true, at: 1_700_000_000_000, ...extra });

describe('a review as written', () => {
  it.each(['Fine film|||the killer is the mother', 'a || b ||| c |||| d', 'ends with a bar |', '|||||||'])('keeps all of “%s” inside its spoiler bars', (text) => {
    const page = buildReviewPage(EN, { film: { title: 'Her Smell', year: 2018 }, page: 0, total: 1, reviews: [review(text)] });
    const value = page.embeds[0]!.fields![0]!.value;
    const hidden = value.slice(value.indexOf('\n') + 1);
    expect(hidden.startsWith('||') && hidden.endsWith('||')).toBe(true);
    expect(spoilerContent(hidden)).toBe(hidden.slice(2, -2));
  });

  it('shows headings, lists, quotes, masked links, mentions and timestamps as plain text', () => {
    const shown = asWritten('# Big\n- item\n1. one\n> quoted\n-# small\n[click](https://example.com) <@123> <t:1:R> **bold**');
    expect(shown).toBe('\\# Big\n\\- item\n1\\. one\n\\> quoted\n\\-\\# small\n\\[click\\]\\(https://example.com\\) \\<@123\\> \\<t:1:R\\> \\*\\*bold\\*\\*');
  });

  it('escapes a numbered list’s dot only where a line starts with the number, and a backslash as itself', () => {
    expect(asWritten('1. one\n  12. twelve\nnot 3. this\n4.5 stars\n1.2. both')).toBe('1\\. one\n  12\\. twelve\nnot 3. this\n4\\.5 stars\n1\\.2. both');
    // Only "\n" starts a line: a carriage return does not.
    expect(asWritten('a\r1. b')).toBe('a\r1. b');
    expect(asWritten('C:\\films\\*')).toBe('C:\\\\films\\\\\\*');
  });

  it('counts characters as Discord does: an emoji is one', () => {
    expect(characterCount('Her Smell')).toBe(9);
    expect(characterCount('🎬🎸 é')).toBe(4);
    // A lone half of a pair is still one character.
    expect(characterCount('a\ud800b\udc00')).toBe(4);
    expect(characterCount('')).toBe(0);
  });

  it('cuts between whole characters and never leaves an escape split', () => {
    const cut = escapedWithin(`${'🎬'.repeat(20)}*`, 21);
    expect(cut).toBe(`${'🎬'.repeat(10)}…`);
    expect(escapedWithin('a'.repeat(10) + '*'.repeat(10), 16)).toMatch(/^a{10}(\\\*)*…$/);
    expect(escapedWithin('a'.repeat(10) + '*'.repeat(10), 16).endsWith('\\…')).toBe(false);
  });

  it('keeps a page of five 1,000-character reviews full of markdown inside Discord’s limits, all five shown', () => {
    const long = '*_|~`>'.repeat(167).slice(0, 1000);
    const page = buildReviewPage(EN, { film: { title: 'T'.repeat(199), year: 2018 }, page: 0, total: 5, reviews: [1, 2, 3, 4, 5].map((n) => review(long, { userId: String(n), displayName: 'N'.repeat(32) })) });
    const embed = page.embeds[0]!;
    const total = (embed.title?.length ?? 0) + (embed.footer?.text.length ?? 0) + embed.fields!.reduce((sum, field) => sum + field.name.length + field.value.length, 0);
    expect(embed.fields).toHaveLength(5);
    expect(total).toBeLessThanOrEqual(6000);
    for (const field of embed.fields!) expect(field.value.length).toBeLessThanOrEqual(1024);
  });
});

describe('a member quote', () => {
  it('is the opening sentences, at most 300 characters', () => {
    const text = `${'First sentence is short. '}${'Second one runs on and on. '.repeat(20)}`;
    const quote = memberExcerpt(text);
    expect(quote.startsWith('First sentence is short.')).toBe(true);
    expect([...quote].length).toBeLessThanOrEqual(300);
    expect(quote.endsWith('.')).toBe(true);
  });

  it('cuts a first sentence too long at a word, between whole characters', () => {
    const quote = memberExcerpt(`${'word 🎬 '.repeat(80)}end.`);
    expect([...quote].length).toBeLessThanOrEqual(300);
    expect(quote.endsWith('…')).toBe(true);
    expect(quote).not.toMatch(/[\ud800-\udbff]…$/);
  });
});
