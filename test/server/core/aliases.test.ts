import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chooseCanonical,
  documentClaims,
  familyOf,
  initialsOf,
  lettersOf,
  normaliseName,
  organisationKey,
  resolveLookup,
  slugOf,
  transpositionsOf,
} from '../../../server/src/core/aliases';
import type { DocAnalysis, Mention } from '../../../server/src/core/model';
import { fakeAnalyzer, LEXICON } from './fake-analyzer';

describe('aliases: normalisation', () => {
  const cases: Array<[string, string]> = [
    ['Jeremy Corbyn', 'jeremy corbyn'],
    ['  Zoë   Castellan ', 'zoe castellan'],
    ['José Ferreira', 'jose ferreira'],
    ['O’Brien', "o'brien"],
    ['Corbyn’s', 'corbyn'],
    ['Brighton & Hove', 'brighton and hove'],
    ['Rebecca Long-Bailey', 'rebecca long-bailey'],
  ];
  for (const [input, want] of cases) it(`normaliseName(${JSON.stringify(input)})`, () => assert.equal(normaliseName(input), want));

  const families: Array<[string, string]> = [
    ['jeremy corbyn', 'corbyn'],
    ['marie van der zyl', 'van der zyl'],
    ['falconer of thoroton', 'falconer'],
    ['rebecca long-bailey', 'long-bailey'],
    ['martin luther king jr', 'king'],
    ['ben r d perkins', 'perkins'],
  ];
  for (const [input, want] of families) it(`familyOf(${JSON.stringify(input)})`, () => assert.equal(familyOf(input), want));

  it('organisation keys ignore "the", a trailing "Party", "&" vs "and" and word order', () => {
    assert.equal(organisationKey('The Labour Party'), organisationKey('Labour'));
    assert.equal(organisationKey('Brighton & Hove CLP'), organisationKey('Brighton and Hove CLP'));
    assert.equal(organisationKey('Southwark Momentum'), organisationKey('Momentum Southwark'));
    assert.notEqual(organisationKey('Leeds Momentum'), organisationKey('Momentum'));
  });

  it('initials: of every word, and of the main words', () => {
    assert.deepEqual(initialsOf('Jewish Labour Movement'), ['JLM']);
    assert.deepEqual(initialsOf('Board of Deputies of British Jews'), ['BODOBJ', 'BDBJ']);
    assert.deepEqual(initialsOf('The Labour Party'), ['LP']);
    assert.deepEqual(initialsOf('Momentum'), []);
  });

  it('transpositions of acronyms of four letters or more', () => {
    assert.deepEqual(transpositionsOf('EHRC').sort(), ['EHCR', 'ERHC', 'HERC']);
    assert.deepEqual(transpositionsOf('JLM'), []);
    assert.deepEqual(transpositionsOf('AABB').sort(), ['ABAB']);
  });

  it('letters and slugs', () => {
    assert.equal(lettersOf('@Jeremy_Corbyn'), 'jeremycorbyn');
    assert.equal(slugOf('Zoë Castellan'), 'zoe-castellan');
    assert.equal(slugOf('Brighton & Hove CLP'), 'brighton-hove-clp');
    assert.equal(slugOf('Владимир Ленин'), 'владимир-ленин');
    assert.equal(slugOf('!!!'), 'unnamed');
  });
});

describe('aliases: one document', () => {
  const analyse = fakeAnalyzer(LEXICON);

  it('a family name and a titled form resolve to the full name in the same document', () => {
    const c = documentClaims(analyse('Jeremy Corbyn spoke. Mr Corbyn said more. Corbyn left.'));
    assert.deepEqual(c.local, ['person|n:jeremy corbyn', 'person|n:jeremy corbyn', 'person|n:jeremy corbyn']);
    assert.deepEqual(c.lookup, [undefined, undefined, undefined]);
  });

  it('a short form with no full name in the document asks the corpus', () => {
    const c = documentClaims(analyse('Corbyn said. Jeremy smiled.'));
    assert.deepEqual(c.local, [undefined, undefined]);
    assert.deepEqual(c.lookup, ['fam|person|corbyn', 'giv|person|jeremy']);
  });

  it('two full names with one family name: the nearest one before wins; none before is ambiguous', () => {
    const c = documentClaims(analyse('Grahl spoke first. Frances Grahl and Josephine Grahl arrived. Grahl said.'));
    assert.equal(c.local[0], 'person|s:grahl');
    assert.equal(c.local[3], 'person|n:josephine grahl');
  });

  it('an acronym defined in brackets groups with its long form; the definition is contributed', () => {
    const c = documentClaims(analyse('The Jewish Labour Movement (JLM) met. JLM said.'));
    // The long form could itself be the short name of a longer one ("... of ..."): the corpus says.
    assert.deepEqual(c.local, [undefined, 'organisation|n:jewish labour movement', 'organisation|n:jewish labour movement']);
    assert.deepEqual(c.lookup, ['pre|organisation|jewish labour movement', undefined, undefined]);
    assert.ok(c.contributions.some(([lk, v]) => lk === 'acr|organisation|JLM' && v === 'd:organisation|n:jewish labour movement'));
  });

  it('handles always ask the corpus', () => {
    const c = documentClaims(analyse('Jeremy Corbyn (@jeremycorbyn) tweeted.'));
    assert.equal(c.lookup[1], 'hdl|person|jeremycorbyn');
    assert.ok(c.contributions.some(([lk, v]) => lk === 'hdl|person|jeremycorbyn' && v === 'person|n:jeremy corbyn'));
  });

  it('never throws on an empty or odd analysis', () => {
    assert.deepEqual(documentClaims({ mentions: [], quotes: [], roles: [], problems: [] }), { local: [], lookup: [], contributions: [], ranks: new Uint8Array(0) });
    const odd = documentClaims({
      mentions: [{ start: 0, end: 1, text: '?', type: 'person', form: 'family', name: '', rule: 'x', confidence: 0 }],
      quotes: [],
      roles: [],
      problems: [],
    });
    assert.equal(odd.local.length + odd.lookup.length, 2);
  });

  // A hand-made mention: the tests below need names in forms and with titles of their choosing.
  const mention = (name: string, form: Mention['form'], type: Mention['type'] = 'person', extra: Partial<Mention> = {}): Mention => ({
    start: 0, end: name.length, text: name, type, form, name, rule: 'test', confidence: 1, ...extra,
  });
  const analysis = (mentions: Mention[]): DocAnalysis => ({ mentions: mentions.map((m, i) => ({ ...m, start: i * 100, end: i * 100 + m.text.length })), quotes: [], roles: [], problems: [] });

  it('counts each contribution once per mention, in the order keys and then values are first seen, afresh per document', () => {
    const doc = analysis([mention('Jeremy Corbyn', 'full'), mention('Piers Corbyn', 'full'), mention('Jeremy Corbyn', 'titled', 'person', { title: 'Mr' }), mention('Jeremy Corbyn', 'full')]);
    const want = [
      ['fam|person|corbyn', 'person|n:jeremy corbyn', 3],
      ['fam|person|corbyn', 'person|n:piers corbyn', 1],
      ['giv|person|jeremy', 'person|n:jeremy corbyn', 3],
      ['hdl|person|jeremycorbyn', 'person|n:jeremy corbyn', 3],
      ['hdl|organisation|jeremycorbyn', 'person|n:jeremy corbyn', 3],
      ['giv|person|piers', 'person|n:piers corbyn', 1],
      ['hdl|person|pierscorbyn', 'person|n:piers corbyn', 1],
      ['hdl|organisation|pierscorbyn', 'person|n:piers corbyn', 1],
    ];
    assert.deepEqual(documentClaims(doc).contributions, want);
    // Another document in between, then the first again: counts start from zero for each document.
    assert.deepEqual(documentClaims(analysis([mention('Piers Corbyn', 'full')])).contributions.map(([, , n]) => n), [1, 1, 1, 1]);
    assert.deepEqual(documentClaims(doc).contributions, want);
  });

  it('tells apart one name in different forms, types, titles and expansions', () => {
    const c = documentClaims(
      analysis([
        mention('Corbyn', 'family'),
        mention('Corbyn', 'name', 'organisation'),
        mention('Keir', 'titled', 'person', { title: 'Sir' }),
        mention('Keir', 'titled', 'person', { title: 'Mr' }),
        mention('JLM', 'acronym', 'organisation', { expansion: 'Jewish Labour Movement' }),
        mention('JLM', 'acronym', 'organisation'),
      ]),
    );
    assert.deepEqual(c.local, [undefined, 'organisation|n:corbyn', undefined, undefined, 'organisation|n:jewish labour movement', 'organisation|n:jewish labour movement']);
    assert.deepEqual(c.lookup, ['fam|person|corbyn', undefined, 'giv|person|keir', 'fam|person|keir', undefined, undefined]);
  });

  it('gives the same claims for a name whatever other names were claimed before it', () => {
    const doc = analysis([mention('Labour Party', 'full', 'organisation'), mention('Labour', 'name', 'organisation'), mention('Smith', 'family')]);
    const first = documentClaims(doc);
    for (let i = 0; i < 50; i++) documentClaims(analysis([mention(`Name${i} Smith`, 'full'), mention(`Org${i} Party`, 'full', 'organisation')]));
    assert.deepEqual(documentClaims(doc), first);
  });
});

describe('aliases: corpus questions', () => {
  const table = (entries: Record<string, number>) => new Map(Object.entries(entries));
  const cases: Array<{ lk: string; table?: Record<string, number>; want: string }> = [
    { lk: 'fam|person|corbyn', table: { 'person|n:jeremy corbyn': 3 }, want: 'person|n:jeremy corbyn' },
    { lk: 'fam|person|corbyn', table: { 'person|n:jeremy corbyn': 3, 'person|n:piers corbyn': 1 }, want: 'person|s:corbyn' },
    { lk: 'fam|person|corbyn', want: 'person|s:corbyn' },
    { lk: 'giv|person|jeremy', table: { 'person|n:jeremy corbyn': 1 }, want: 'person|n:jeremy corbyn' },
    { lk: 'acr|organisation|JLM', table: { 'd:organisation|n:a': 1, 'd:organisation|n:b': 2 }, want: 'organisation|n:b' },
    { lk: 'acr|organisation|JLM', table: { 'd:organisation|n:b': 1, 'd:organisation|n:a': 1 }, want: 'organisation|n:a' },
    { lk: 'acr|organisation|JLM', table: { 'i:organisation|n:x': 1 }, want: 'organisation|n:x' },
    { lk: 'acr|organisation|JLM', table: { 'i:organisation|n:x': 1, 'i:organisation|n:y': 1 }, want: 'organisation|n:jlm' },
    { lk: 'hdl|organisation|foo', table: {}, want: 'organisation|h:foo' },
    { lk: 'acr|organisation|ERHC', table: { 't:organisation|n:x': 2 }, want: 'organisation|n:x' },
    { lk: 'acr|organisation|ERHC', table: { 't:organisation|n:x': 1, 'i:organisation|n:y': 1 }, want: 'organisation|n:y' },
    { lk: 'acr|organisation|ERHC', table: { 't:organisation|n:x': 1, 't:organisation|n:y': 1 }, want: 'organisation|n:erhc' },
    { lk: 'pre|organisation|board deputies of', table: { 'organisation|n:board british deputies jews of of': 1 }, want: 'organisation|n:board british deputies jews of of' },
    { lk: 'pre|organisation|board deputies of', table: { 'organisation|n:a': 1, 'organisation|n:b': 1 }, want: 'organisation|n:board deputies of' },
  ];
  for (const c of cases) {
    it(`${c.lk} with ${JSON.stringify(c.table ?? {})}`, () => assert.equal(resolveLookup(c.lk, c.table && table(c.table)), c.want));
  }

  it('canonical: fullest form, then most frequent, then first seen', () => {
    const t = (rank: number, count: number, firstDoc: string, firstAt = 0) => ({ rank, count, firstDoc, firstAt });
    assert.equal(chooseCanonical(new Map([['Corbyn', t(3, 9, 'a')], ['Jeremy Corbyn', t(0, 1, 'b')]])), 'Jeremy Corbyn');
    assert.equal(chooseCanonical(new Map([['Zoe Castellan', t(0, 1, 'a')], ['Zoë Castellan', t(0, 2, 'b')]])), 'Zoë Castellan');
    assert.equal(chooseCanonical(new Map([['Zoe Castellan', t(0, 1, 'b')], ['Zoë Castellan', t(0, 1, 'a', 5)]])), 'Zoë Castellan');
  });
});
