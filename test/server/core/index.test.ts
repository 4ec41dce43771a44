import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CorpusIndex } from '../../../server/src/core/index';
import type { DocAnalysis } from '../../../server/src/core/model';
import { fakeAnalyzer, LEXICON } from './fake-analyzer';

const analyze = fakeAnalyzer(LEXICON, ['a spokesperson']);

function indexOf(docs: Record<string, string>): CorpusIndex {
  const ix = new CorpusIndex({ analyze });
  for (const [doc, text] of Object.entries(docs)) ix.setDocument(doc, text);
  return ix;
}

/** Everything a user can observe of the grouping, in a comparable form. */
function snapshot(ix: CorpusIndex) {
  return {
    entities: ix.entities().map((e) => ({
      ...e,
      mentions: ix.mentionsOf(e.id).map((r) => `${r.doc}@${r.mention.start}-${r.mention.end}`),
      roles: ix.roles(e.id),
      introduction: ix.introduction(e.id) && `${ix.introduction(e.id)!.doc}@${ix.introduction(e.id)!.mention.start}`,
    })),
    quotes: ix.quotes().map((q) => `${q.doc}@${q.quote.start}:${q.speakerId ?? q.quote.speaker?.descriptor ?? '-'}`),
    stats: ix.stats(),
    documents: ix.documents(),
    search: ['', 'co', 'jlm', 'sm', 'mnt', 'grahl', 'ehrc'].map((q) => ix.search(q).map((e) => `${e.id}:${e.mentionCount}`)),
  };
}

const idOf = (ix: CorpusIndex, doc: string, phrase: string) => {
  const text = ix.text(doc)!;
  const at = text.indexOf(phrase);
  assert.ok(at >= 0, `anchor ${phrase} in ${doc}`);
  return ix.entityIdOf(doc, ix.mentionAt(doc, at)!.index);
};

describe('CorpusIndex: grouping across documents', () => {
  it('"Mr Corbyn", "Corbyn" and "Jeremy Corbyn" in different files are one person', () => {
    const ix = indexOf({
      'a.txt': 'Jeremy Corbyn spoke. Mr Corbyn said more.',
      'b.txt': 'Later, Corbyn left the room.',
      'c.txt': 'Sources close to Mr Corbyn’s office said so.',
    });
    const e = ix.entity('person:jeremy-corbyn')!;
    assert.equal(e.name, 'Jeremy Corbyn');
    assert.deepEqual(e.aliases, ['Jeremy Corbyn', 'Corbyn']);
    assert.equal(e.mentionCount, 4);
    assert.equal(e.fileCount, 3);
    assert.equal(idOf(ix, 'b.txt', 'Corbyn'), 'person:jeremy-corbyn');
    assert.equal(ix.introduction(e.id)!.doc, 'a.txt');
    assert.deepEqual(
      ix.mentionsOf(e.id).map((r) => r.doc),
      ['a.txt', 'a.txt', 'b.txt', 'c.txt'],
    );
  });

  it('a family name shared by two people in the corpus stays its own entity outside their documents', () => {
    const ix = indexOf({
      'a.txt': 'Jeremy Corbyn spoke.',
      'b.txt': 'Corbyn left.',
      'c.txt': 'Piers Corbyn protested. Corbyn shouted.',
    });
    assert.equal(idOf(ix, 'b.txt', 'Corbyn'), 'person:corbyn');
    assert.equal(idOf(ix, 'c.txt', 'Corbyn shouted'), 'person:piers-corbyn');
    assert.equal(ix.entity('person:jeremy-corbyn')!.mentionCount, 1);
  });

  it('a mention\'s group follows its lookup key\'s answer as other documents come and go (the entry lists no groups)', () => {
    const ix = indexOf({ 'a.txt': 'Jeremy Corbyn spoke.', 'b.txt': 'Corbyn left.' });
    const ids = () => [idOf(ix, 'b.txt', 'Corbyn'), ix.entitiesIn('b.txt').map((e) => e.id).sort().join(' ')];
    assert.deepEqual(ids(), ['person:jeremy-corbyn', 'person:jeremy-corbyn']);
    // Its rows say where each mention's group comes from: nothing per mention besides them.
    for (const d of ix.documents()) assert.equal(ix.snapshotState().docs.get(d)!.group, undefined, d);
    ix.setDocument('c.txt', 'Piers Corbyn protested.');
    assert.deepEqual(ids(), ['person:corbyn', 'person:corbyn']);
    assert.equal(ix.entity('person:jeremy-corbyn')!.mentionCount, 1);
    ix.deleteDocument('c.txt');
    assert.deepEqual(ids(), ['person:jeremy-corbyn', 'person:jeremy-corbyn']);
    assert.deepEqual(ix.mentionsOf('person:jeremy-corbyn').map((r) => r.doc), ['a.txt', 'b.txt']);
    // Taking the document out leaves its groups as they were before it came.
    ix.deleteDocument('b.txt');
    assert.deepEqual(snapshot(ix), snapshot(indexOf({ 'a.txt': 'Jeremy Corbyn spoke.' })));
  });

  it('different given names with one family name are different people', () => {
    const ix = indexOf({ 'a.txt': 'Frances Grahl and Josephine Grahl signed.' });
    assert.deepEqual(ix.entities('person').map((e) => e.id).sort(), ['person:frances-grahl', 'person:josephine-grahl']);
  });

  it('a given name alone finds the one full name with it', () => {
    const ix = indexOf({ 'a.txt': 'Jeremy Corbyn spoke.', 'b.txt': 'Jeremy waved.' });
    assert.equal(idOf(ix, 'b.txt', 'Jeremy'), 'person:jeremy-corbyn');
  });

  it('particles and titles: "Ms van der Zyl" is Marie van der Zyl, also in another file', () => {
    const ix = indexOf({ 'a.txt': 'Marie van der Zyl wrote.', 'b.txt': 'Ms van der Zyl replied.' });
    assert.equal(idOf(ix, 'b.txt', 'Ms van der Zyl'), 'person:marie-van-der-zyl');
    assert.deepEqual(ix.roles('person:marie-van-der-zyl'), ['president of the Board']);
  });

  it('"Sir Keir Starmer" is a full name; "Starmer" elsewhere joins it', () => {
    const ix = indexOf({ 'a.txt': 'Sir Keir Starmer spoke.', 'b.txt': 'Starmer agreed.' });
    const e = ix.entity('person:keir-starmer')!;
    assert.deepEqual(e.aliases, ['Keir Starmer', 'Starmer']);
    assert.equal(ix.introduction(e.id)!.mention.text, 'Sir Keir Starmer');
  });

  it('"Sir Malcolm" is a given name after a title: it finds Malcolm Ardley, in its document or in the corpus', () => {
    const ix = indexOf({ 'a.txt': 'Malcolm Ardley spoke. Sir Malcolm said.', 'b.txt': 'Sir Malcolm agreed.' });
    assert.equal(idOf(ix, 'a.txt', 'Sir Malcolm'), 'person:malcolm-ardley');
    assert.equal(idOf(ix, 'b.txt', 'Sir Malcolm'), 'person:malcolm-ardley');
  });

  it('a peer\'s title name: "Lord Falconer" is Lord Falconer of Thoroton', () => {
    const ix = indexOf({ 'a.txt': 'Lord Falconer of Thoroton wrote.', 'b.txt': 'Lord Falconer replied.' });
    assert.equal(idOf(ix, 'b.txt', 'Lord Falconer'), 'person:lord-falconer-of-thoroton');
    assert.equal(ix.entity('person:lord-falconer-of-thoroton')!.name, 'Lord Falconer of Thoroton');
  });

  it('an acronym whose expansion never occurs as a mention is still named by it', () => {
    const ix = new CorpusIndex({
      analyze: (t) => ({
        mentions: [{ start: t.indexOf('NCC'), end: t.indexOf('NCC') + 3, text: 'NCC', type: 'organisation', form: 'acronym', name: 'NCC', expansion: 'National Constitutional Committee', rule: 't', confidence: 1 }],
        quotes: [],
        roles: [],
        problems: [],
      }),
    });
    ix.setDocument('a', 'the NCC (which decides)');
    assert.deepEqual(ix.entities().map((e) => [e.id, e.name, e.aliases]), [['organisation:national-constitutional-committee', 'National Constitutional Committee', ['NCC']]]);
  });

  it('an acronym defined in one file groups with its long form and with the bare acronym elsewhere', () => {
    const ix = indexOf({ 'a.txt': 'The Jewish Labour Movement (JLM) met.', 'b.txt': 'JLM said no.' });
    const e = ix.entity('organisation:jewish-labour-movement')!;
    assert.deepEqual(e.aliases, ['Jewish Labour Movement', 'JLM']);
    assert.equal(e.mentionCount, 3);
    assert.equal(idOf(ix, 'b.txt', 'JLM'), e.id);
  });

  it('an acronym alone takes its name from initials when one organisation fits', () => {
    const ix = indexOf({ 'a.txt': 'The National Union of Rail Workers voted.', 'b.txt': 'The NURW struck.' });
    assert.equal(idOf(ix, 'b.txt', 'NURW'), 'organisation:national-union-of-rail-workers');
  });

  it('an acronym nobody defines is its own organisation, named by the acronym', () => {
    const ix = indexOf({ 'b.txt': 'JLM said no. JLM again.' });
    assert.deepEqual(ix.entities().map((e) => [e.id, e.name, e.mentionCount]), [['organisation:jlm', 'JLM', 2]]);
  });

  it('"Board of Deputies" is the Board of Deputies of British Jews, in its document and elsewhere', () => {
    const ix = indexOf({ 'a.txt': 'The Board of Deputies of British Jews wrote. The Board of Deputies said.', 'b.txt': 'The Board of Deputies agreed.' });
    assert.deepEqual(ix.entities('organisation').map((e) => [e.id, e.mentionCount]), [['organisation:board-of-deputies-of-british-jews', 3]]);
  });

  it('"Gorton CLP" beside "Manchester Gorton CLP" in one document is the same; alone elsewhere it is not', () => {
    const ix = indexOf({ 'a.txt': 'Gorton CLP met. Manchester Gorton CLP voted.', 'b.txt': 'Gorton CLP again.' });
    assert.equal(idOf(ix, 'a.txt', 'Gorton CLP'), 'organisation:manchester-gorton-clp');
    assert.equal(idOf(ix, 'b.txt', 'Gorton CLP'), 'organisation:gorton-clp');
  });

  it('an acronym with two letters swapped is the one known acronym it misspells', () => {
    const ix = indexOf({ 'a.txt': 'The Equality and Human Rights Commission (EHRC) ruled.', 'b.txt': 'The ERHC said.', 'c.txt': 'EHRC again.' });
    assert.equal(idOf(ix, 'b.txt', 'ERHC'), 'organisation:equality-and-human-rights-commission');
    assert.equal(idOf(ix, 'c.txt', 'EHRC'), 'organisation:equality-and-human-rights-commission');
  });

  it('handles join the person or organisation whose name they spell', () => {
    const ix = indexOf({
      'a.txt': 'Jeremy Corbyn posted.',
      'b.txt': 'As @jeremycorbyn put it.',
      'c.txt': 'The Jewish Labour Movement said. @jewishlabourmovement agreed. @JLMovement too.',
    });
    assert.equal(idOf(ix, 'b.txt', '@jeremycorbyn'), 'person:jeremy-corbyn');
    assert.equal(idOf(ix, 'c.txt', '@jewishlabourmovement'), 'organisation:jewish-labour-movement');
    assert.equal(idOf(ix, 'c.txt', '@JLMovement'), 'organisation:jlmovement');
  });

  it('"&"/"and", "the", "Party" and word order variants of an organisation are one', () => {
    const ix = indexOf({
      'a.txt': 'Brighton and Hove CLP met. Southwark Momentum too. The Labour Party agreed.',
      'b.txt': 'Brighton & Hove CLP voted. Momentum Southwark and Labour did not. Momentum said.',
    });
    const orgs = ix.entities('organisation').map((e) => [e.name, e.mentionCount]);
    assert.deepEqual(orgs, [
      ['Brighton and Hove CLP', 2],
      ['Labour Party', 2],
      ['Southwark Momentum', 2],
      ['Momentum', 1],
    ]);
  });

  it('canonical name: most frequent full form, ties to the first seen (by document, then offset)', () => {
    const ix = indexOf({ 'b.txt': 'Zoë Castellan said. Zoë Castellan again.', 'a.txt': 'Zoe Castellan spoke. Ms Castellan too.' });
    const people = ix.entities('person');
    assert.equal(people.length, 1);
    assert.equal(people[0].name, 'Zoë Castellan');
    assert.equal(people[0].id, 'person:zoe-castellan');
    assert.deepEqual(people[0].aliases, ['Zoe Castellan', 'Castellan', 'Zoë Castellan']);
  });

  it('ids are unique even when two entities want the same one', () => {
    const ix = new CorpusIndex({
      analyze: (text) => ({
        mentions: [
          { start: 0, end: 3, text: text.slice(0, 3), type: 'organisation', form: 'acronym', name: 'A-B', rule: 't', confidence: 1 },
          { start: 4, end: 7, text: text.slice(4, 7), type: 'organisation', form: 'name', name: 'A B C', rule: 't', confidence: 1 },
          { start: 8, end: 11, text: text.slice(8, 11), type: 'organisation', form: 'name', name: 'a.b', rule: 't', confidence: 1 },
        ],
        quotes: [],
        roles: [],
        problems: [],
      }),
    });
    ix.setDocument('x', 'A-B ABC a.b');
    const ids = ix.entities().map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, ids.join(' '));
    for (const id of ids) assert.equal(ix.entity(id)!.id, id);
  });
});

describe('CorpusIndex: queries', () => {
  const text = 'Jeremy Corbyn said: "We will win."\nA spokesperson said: "No comment."\nHe said "outer "inner" end".';
  const ix = indexOf({ 'q.txt': text });

  it('mentionAt finds a mention at its start, inside and at its end, and nothing between mentions', () => {
    const at = text.indexOf('Jeremy Corbyn');
    for (const o of [at, at + 3, at + 'Jeremy Corbyn'.length]) assert.equal(ix.mentionAt('q.txt', o)?.mention.text, 'Jeremy Corbyn');
    assert.equal(ix.mentionAt('q.txt', text.indexOf('said')), undefined);
    assert.equal(ix.mentionAt('missing', 0), undefined);
  });

  it('quotes carry their speaker entity or descriptor; quoteAt finds the quotation', () => {
    const q = ix.quoteAt('q.txt', text.indexOf('will win'))!;
    assert.equal(q.quote.text, 'We will win.');
    assert.equal(q.speakerId, 'person:jeremy-corbyn');
    assert.equal(ix.quoteAt('q.txt', text.indexOf('No comment'))!.quote.speaker?.descriptor, 'a spokesperson');
    assert.equal(ix.quoteAt('q.txt', text.indexOf(' A spokesperson')), undefined);
    assert.deepEqual(
      ix.quotesBy('person:jeremy-corbyn').map((r) => r.quote.text),
      ['We will win.'],
    );
  });

  it('quoteAt picks the innermost of nested quotations', () => {
    const nested = new CorpusIndex({
      analyze: (t) => {
        const outer = t.indexOf('outer');
        const inner = t.indexOf('inner');
        return {
          mentions: [],
          quotes: [
            { start: outer, end: t.indexOf(' end') + 4, text: t.slice(outer, t.indexOf(' end') + 4) },
            { start: inner, end: inner + 5, text: 'inner' },
          ],
          roles: [],
          problems: [],
        };
      },
    });
    nested.setDocument('n', text);
    assert.equal(nested.quoteAt('n', text.indexOf('inner') + 1)!.quote.text, 'inner');
    assert.equal(nested.quoteAt('n', text.indexOf('outer') + 1)!.quote.text.startsWith('outer'), true);
    assert.equal(nested.quoteAt('n', text.indexOf(' end') + 2)!.quote.text.startsWith('outer'), true);
  });

  it('stats, documents, lines and search', () => {
    assert.deepEqual(ix.stats(), { documents: 1, skipped: 0, people: 1, organisations: 0, quotes: 4, mentions: 1 });
    assert.deepEqual(ix.documents(), ['q.txt']);
    assert.equal(ix.lines('q.txt')!.lineCount, 3);
    assert.deepEqual(ix.search('corb').map((e) => e.id), ['person:jeremy-corbyn']);
    assert.deepEqual(ix.search('zzz'), []);
  });
});

describe('CorpusIndex: robustness', () => {
  it('an analysis that throws skips the document with the reason; others are indexed', () => {
    const ix = new CorpusIndex({
      analyze: (t) => {
        if (t.includes('boom')) throw new Error('boom');
        return analyze(t);
      },
    });
    ix.setDocument('ok.txt', 'Jeremy Corbyn spoke.');
    ix.setDocument('bad.txt', 'boom');
    assert.deepEqual(ix.skipped(), [{ doc: 'bad.txt', reason: 'analysis failed: boom' }]);
    assert.deepEqual(ix.documents(), ['ok.txt']);
  });

  it('an analysis with bad spans is repaired, not trusted', () => {
    const ix = new CorpusIndex();
    const text = 'Jeremy Corbyn spoke to Corbyn.';
    const bad: DocAnalysis = {
      mentions: [
        { start: 23, end: 29, text: 'Corbyn', type: 'person', form: 'family', name: 'Corbyn', rule: 't', confidence: 1 },
        { start: 0, end: 13, text: 'Jeremy Corbyn', type: 'person', form: 'full', name: 'Jeremy Corbyn', rule: 't', confidence: 1 },
        { start: 5, end: 9, text: 'nope', type: 'person', form: 'full', name: 'x', rule: 't', confidence: 1 },
        { start: 25, end: 999, text: 'x', type: 'person', form: 'full', name: 'x', rule: 't', confidence: 1 },
      ],
      quotes: [{ start: 0, end: 6, text: 'Jeremy', speaker: { mention: 0, rule: 't' } }],
      roles: [{ mention: 3, text: 'gone', rule: 't' }],
      problems: [],
    };
    ix.setAnalysed('d', text, bad);
    const a = ix.analysis('d')!;
    assert.deepEqual(a.mentions.map((m) => m.text), ['Jeremy Corbyn', 'Corbyn']);
    assert.equal(a.quotes[0].speaker?.mention, 1);
    assert.deepEqual(a.roles, []);
    assert.equal(ix.entity('person:jeremy-corbyn')!.mentionCount, 2);
    assert.equal(ix.quotes('d')[0].speakerId, 'person:jeremy-corbyn');
  });

  it('skipping and deleting documents', () => {
    const ix = indexOf({ 'a.txt': 'Jeremy Corbyn spoke.', 'b.txt': 'Corbyn left.' });
    ix.setSkipped('a.txt', 'too large');
    assert.equal(idOf(ix, 'b.txt', 'Corbyn'), 'person:corbyn');
    assert.deepEqual(ix.skipped(), [{ doc: 'a.txt', reason: 'too large' }]);
    ix.deleteDocument('a.txt');
    assert.deepEqual(ix.skipped(), []);
    ix.deleteDocument('b.txt');
    assert.deepEqual(ix.entities(), []);
    assert.deepEqual(ix.stats(), { documents: 0, skipped: 0, people: 0, organisations: 0, quotes: 0, mentions: 0 });
  });

  it('version bumps on every change', () => {
    const ix = new CorpusIndex({ analyze });
    const v0 = ix.version;
    ix.setDocument('a', 'Corbyn');
    ix.setSkipped('b', 'x');
    ix.deleteDocument('a');
    assert.ok(ix.version >= v0 + 3);
  });
});

describe('CorpusIndex: incremental equals fresh', () => {
  const pool = [
    'Jeremy Corbyn spoke. Mr Corbyn said "We will win." Corbyn left.',
    'Corbyn replied. Jeremy nodded. @jeremycorbyn posted.',
    'Piers Corbyn protested. Corbyn shouted.',
    'The Jewish Labour Movement (JLM) met. JLM said.',
    'JLM wrote to the Labour Party. Labour replied.',
    'The National Union of Rail Workers voted. NURW struck. A spokesperson said: "Fine."',
    'NURW again. Sir Keir Starmer spoke. Starmer left.',
    'Marie van der Zyl said. Ms van der Zyl added.',
    'Ms van der Zyl and Starmer and Grahl.',
    'Frances Grahl and Josephine Grahl. Grahl said "ok".',
    'Zoe Castellan, Zoë Castellan, Ms Castellan. Brighton & Hove CLP.',
    'Brighton and Hove CLP, Momentum Southwark, Southwark Momentum, Momentum.',
    'Sir Malcolm agreed. Lord Falconer replied. @jewishlabourmovement posted.',
    'The Board of Deputies said. The ERHC replied. Gorton CLP too.',
    'Gorton CLP met. Manchester Gorton CLP voted.',
    'The Board of Deputies of British Jews and the Equality and Human Rights Commission (EHRC).',
    'Malcolm Ardley spoke. Sir Malcolm said. Lord Falconer of Thoroton wrote.',
    '',
  ];
  const docs = ['a.txt', 'b.txt', 'c.txt', 'd/e.txt', 'f.md'];

  it('after any sequence of edits, renames and deletions (property)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), doc: fc.constantFrom(...docs), text: fc.constantFrom(...pool) }),
      fc.record({ kind: fc.constant('delete' as const), doc: fc.constantFrom(...docs) }),
      fc.record({ kind: fc.constant('skip' as const), doc: fc.constantFrom(...docs) }),
      fc.record({ kind: fc.constant('rename' as const), doc: fc.constantFrom(...docs), to: fc.constantFrom(...docs) }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 25 }), (ops) => {
        const ix = new CorpusIndex({ analyze });
        const state = new Map<string, string>();
        const skipped = new Map<string, string>();
        for (const o of ops) {
          if (o.kind === 'set') {
            ix.setDocument(o.doc, o.text);
            state.set(o.doc, o.text);
            skipped.delete(o.doc);
          } else if (o.kind === 'delete') {
            ix.deleteDocument(o.doc);
            state.delete(o.doc);
            skipped.delete(o.doc);
          } else if (o.kind === 'skip') {
            ix.setSkipped(o.doc, 'x');
            state.delete(o.doc);
            skipped.set(o.doc, 'x');
          } else if (state.has(o.doc) && o.to !== o.doc) {
            const t = state.get(o.doc)!;
            ix.deleteDocument(o.doc);
            ix.setDocument(o.to, t);
            state.delete(o.doc);
            state.set(o.to, t);
            skipped.delete(o.to);
          }
          // Query in between, so that lazily computed summaries are exercised mid-sequence too.
          ix.entities();
        }
        const fresh = new CorpusIndex({ analyze });
        for (const [doc, text] of [...state].reverse()) fresh.setDocument(doc, text);
        for (const [doc, reason] of skipped) fresh.setSkipped(doc, reason);
        assert.deepEqual(snapshot(ix), snapshot(fresh));
      }),
      { numRuns: 300 },
    );
  });

  it('documents whose lists of one mention are alike stay apart through edits (groups share such lists)', () => {
    const ix = new CorpusIndex({ analyze });
    for (const d of docs) ix.setDocument(d, 'Corbyn spoke. Labour replied.');
    ix.setDocument('a.txt', 'Corbyn spoke. Corbyn left. Labour replied.');
    ix.setDocument('b.txt', 'Labour replied. Corbyn spoke.');
    ix.deleteDocument('c.txt');
    const fresh = new CorpusIndex({ analyze });
    fresh.setDocument('a.txt', 'Corbyn spoke. Corbyn left. Labour replied.');
    fresh.setDocument('b.txt', 'Labour replied. Corbyn spoke.');
    for (const d of docs.slice(3)) fresh.setDocument(d, 'Corbyn spoke. Labour replied.');
    assert.deepEqual(snapshot(ix), snapshot(fresh));
    const corbyn = ix.entities().find((e) => e.name === 'Corbyn')!;
    assert.deepEqual(
      ix.mentionsOf(corbyn.id).map((r) => `${r.doc}@${r.mention.start}`),
      ['a.txt@0', 'a.txt@14', 'b.txt@16', 'd/e.txt@0', 'f.md@0'],
    );
  });

  it('the order documents arrive in does not matter', () => {
    const entries = docs.map((d, i) => [d, pool[i * 2]] as const);
    const forward = new CorpusIndex({ analyze });
    for (const [d, t] of entries) forward.setDocument(d, t);
    const backward = new CorpusIndex({ analyze });
    for (const [d, t] of [...entries].reverse()) backward.setDocument(d, t);
    assert.deepEqual(snapshot(forward), snapshot(backward));
  });
});

describe('CorpusIndex: pathological documents stay linear', () => {
  it('60,000 namesakes and short forms in one document, edited', () => {
    const parts: string[] = [];
    const mentions: DocAnalysis['mentions'] = [];
    let at = 0;
    const names = [
      ['Jane Smith', 'full'],
      ['John Smith', 'full'],
      ['Smith', 'family'],
      ['Mr Smith', 'titled'],
      ['SMTH', 'acronym'],
      ['Smith Trust of Wales', 'full'],
    ] as const;
    for (let i = 0; i < 60_000; i++) {
      const [s, form] = names[i % names.length];
      const type = form === 'acronym' || s.includes('Trust') ? 'organisation' : 'person';
      mentions.push({ start: at, end: at + s.length, text: s, type, form, name: s.replace(/^Mr /, ''), title: form === 'titled' ? 'Mr' : undefined, rule: 't', confidence: 1 });
      parts.push(s, ' ');
      at += s.length + 1;
    }
    const text = parts.join('');
    const analysis: DocAnalysis = { mentions, quotes: [], roles: [], problems: [] };
    const ix = new CorpusIndex();
    const t0 = performance.now();
    ix.setAnalysed('big', text, analysis);
    ix.setAnalysed('other', 'Smith', { mentions: [mentions[2]].map((m) => ({ ...m, start: 0, end: 5 })), quotes: [], roles: [], problems: [] });
    ix.setAnalysed('big', text, analysis);
    const people = ix.entities('person');
    const elapsed = performance.now() - t0;
    assert.deepEqual(people.map((e) => e.name).sort(), ['Jane Smith', 'John Smith', 'Smith']);
    // Generous: a quadratic step would take minutes here.
    assert.ok(elapsed < 20_000, `took ${elapsed} ms`);
  });
});

describe('eachQuote', () => {
  it('lists what quotes() lists, and with unattributedOnly passes attributed quotations over without their text', () => {
    const texts: Record<string, string> = {
      'a.txt': 'The minister Jane Okafor said: “We will win.”\n\n“Nobody knows,” a spokesperson said.\n',
      'b.txt': 'The economist John Mbeki said: “Prices will rise.” He left early.\n',
    };
    const reads: string[] = [];
    // The real analyser: attribution to named speakers is what is being passed over.
    const ix = new CorpusIndex({ textSource: (doc) => (reads.push(doc), texts[doc]) });
    for (const [doc, text] of Object.entries(texts)) ix.setDocument(doc, text);
    assert.deepEqual([...ix.eachQuote()], ix.quotes());
    const all = ix.quotes();
    reads.length = 0;
    const unattributed = [...ix.eachQuote(undefined, true)];
    assert.deepEqual(unattributed, all.filter((r) => r.speakerId === undefined));
    assert.ok(unattributed.length > 0 && unattributed.length < all.length, JSON.stringify(all));
    // b.txt's only quotation is John Mbeki's: its text was not needed.
    assert.ok(!reads.includes('b.txt'), reads.join(', '));
  });
});
