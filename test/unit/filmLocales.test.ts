// The films, reviews, quotes, watchlist, history, stats and import builders in other languages:
// each language's words, plural forms and number format, and critics' excerpts never translated.
import type { APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { loadFilmCatalog } from '../../src/data/catalog';
import { translator } from '../../src/i18n';
import { describeImportRefusal } from '../../src/replies/imports';
import { buildHistoryPage } from '../../src/replies/history';
import { buildQuoteReply } from '../../src/replies/quote';
import { buildReviewPage } from '../../src/replies/reviews';
import { buildRemovalRefused, buildServerFilmList } from '../../src/replies/serverFilms';
import { buildStats } from '../../src/replies/stats';
import { buildSuggested, buildWatchlistPage } from '../../src/replies/watchlist';
import type { ServerFilm } from '../../src/films/model';
import { historyFigures } from '../../src/watchStats';

const herSmell = loadFilmCatalog().get('her-smell')!;
const fr = translator('fr');
const de = translator('de');
const ja = translator('ja');
const serverFilm = { slug: 'local-hero-1983', title: 'Local Hero', year: 1983, directors: [], addedBy: { id: '1', name: 'Ana' }, addedAt: 0 } as unknown as ServerFilm;

describe('quotes', () => {
  it('credits and names the film in the server’s language, and quotes the critic as written', () => {
    const review = herSmell.reviews.find((candidate) => candidate.unsigned)!;
    const embed = buildQuoteReply(ja, herSmell, review, review.excerpts[0]!).embeds[0] as APIEmbed;
    expect(embed.author?.name).toBe('署名なしの批評 · 4½★');
    expect(embed.footer?.text).toBe('Her Smell (2018) について');
    expect(embed.description).toBe(`> ${review.excerpts[0]}`);
  });
});

describe('lists', () => {
  it('labels pages and buttons in the language, keeping the buttons’ customIds', () => {
    const page = buildWatchlistPage(de, { page: 0, total: 11, suggestions: [{ filmId: 'her-smell', film: { title: 'Her Smell', year: 2018 }, suggestedBy: 'ana', suggestedAt: 0 }], watched: new Map(), next: 'watchlist:page:1' });
    expect(page.embeds[0]!.title).toBe('Merkliste');
    expect(page.embeds[0]!.footer!.text).toBe('Seite 1 von 2 · 11 Vorschläge, älteste zuerst');
    expect(page.components[0]!.components.map((button) => ['label' in button && button.label, 'custom_id' in button && button.custom_id])).toEqual([
      ['Zurück', 'watchlist:none:previous'],
      ['Weiter', 'watchlist:page:1'],
    ]);
    expect(buildSuggested(fr, { title: 'Her Smell', year: 2018 }, 'ana', 3).content).toBe('<@ana> a suggéré **Her Smell (2018)** pour la liste à voir : numéro 3. Consultez-la avec `/watchlist show`.');
  });

  it('agrees with the count: one film watched, and averages with a decimal comma', () => {
    const history = buildHistoryPage(fr, { page: 0, total: 1, watched: [{ pollId: 'p', filmId: 'her-smell', film: { title: 'Her Smell', year: 2018 }, watchedAt: 0, voters: 3, average: 4.25 }] });
    expect(history.embeds[0]!.footer!.text).toBe('Page 1 sur 1 · 1 film vu, du plus récent au plus ancien');
    expect(history.embeds[0]!.description).toContain('4,3 · 3 votants');
  });

  it('counts reviews on a page in Japanese', () => {
    const page = buildReviewPage(ja, { film: { title: 'Her Smell', year: 2018 }, page: 0, total: 0, reviews: [] });
    expect(page.embeds[0]!.title).toBe('メンバーレビュー：Her Smell (2018)');
    expect(page.embeds[0]!.description).toContain('`/review film:Her Smell`');
  });
});

describe('server films', () => {
  it('explains a refused removal and a damaged entry in the member’s language', () => {
    expect(buildRemovalRefused(de, serverFilm, { ratings: 2, polls: 1 })).toContain('**Local Hero (1983)** hat 2 Bewertungen und 1 Umfrage auf diesem Server');
    const list = buildServerFilmList(fr, [{ ...serverFilm, hidden: true }], 1);
    expect((list.embeds![0] as APIEmbed).description).toBe('**Local Hero (1983)** (masqué) · ajouté par Ana\n1 film enregistré n’a pas pu être lu et n’est pas affiché.');
  });
});

describe('stats', () => {
  it('words the figures in the server’s language', () => {
    const reply = buildStats(fr, {
      figures: historyFigures([{ pollId: 'a', filmId: 'a', film: { title: 'A' }, watchedAt: 2, voters: 3, average: 4 }, { pollId: 'b', filmId: 'a', film: { title: 'A' }, watchedAt: 1, voters: 3, average: 3 }]),
      raters: [{ member: { name: 'Ana' }, films: 2 }],
      ratedBy: { members: 1, ratings: 2 },
      closest: undefined,
    });
    const fields = Object.fromEntries((reply.embeds![0] as APIEmbed).fields!.map((field) => [field.name, field.value]));
    expect(fields['Films vus']).toBe('1 film en 2 séances');
    expect(fields['Note moyenne']).toContain('3,5 sur 2 séances notées');
    expect(fields['Au plus près de la moyenne du serveur']).toMatch(/^Personne pour l’instant\./);
  });
});

describe('imports', () => {
  it('refuses a file in the member’s language, with its numbers as the language writes them', () => {
    expect(describeImportRefusal(de, { reason: 'too-many-rows' })).toContain('mehr als 20.000 Zeilen');
    expect(describeImportRefusal(fr, { reason: 'wrong-headers', fileName: 'x.csv', missing: ['Name', 'Year'] })).toContain('pas de colonne Name ou Year');
  });
});
