// The feature modules over a real CorpusIndex fed by a stub recogniser: what each LSP answer contains, and that no
// odd request (unknown document, position out of range) throws.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CorpusIndex } from '../../../server/src/core/index';
import { entityCard, md, renderCard } from '../../../server/src/lsp/card';
import * as custom from '../../../server/src/lsp/customRequests';
import { definition } from '../../../server/src/lsp/definition';
import { documentHighlights } from '../../../server/src/lsp/documentHighlight';
import { documentSymbols } from '../../../server/src/lsp/documentSymbols';
import { hover } from '../../../server/src/lsp/hover';
import { references } from '../../../server/src/lsp/references';
import { semanticTokens, spanTokens } from '../../../server/src/lsp/semanticTokens';
import { symbolName, workspaceSymbols } from '../../../server/src/lsp/workspaceSymbols';
import { SEMANTIC_TOKEN_TYPES } from '../../../server/src/protocol';
import { decodeTokens as decode, positionOf, textOf } from './client';
import { FIXTURE_NAMES, stubAnalyzer } from './stubAnalyzer';

const A = 'file:///ws/a.txt';
const B = 'file:///ws/b.txt';
const textA = [
  'Council votes to close library',
  '',
  'Margaret Okafor, the leader of Brampton Council, said the decision was painful.',
  '',
  '"We have no money left for the branch libraries," Mrs Okafor told the meeting.',
  '',
  'The Library Campaign Network (LCN) said it would fight the closure.',
  'Okafor later defended the plan.',
].join('\n');
const textB = [
  'Protest at town hall',
  '',
  'Campaigners from the LCN gathered outside the town hall.',
  '',
  'Daniel Whitfield, a teacher, said: "Children need somewhere quiet to read. Okafor should listen."',
  '',
  'Mrs Okafor did not attend.',
].join('\r\n');

function corpus() {
  const index = new CorpusIndex({ analyze: stubAnalyzer(FIXTURE_NAMES, ['a teacher']) });
  index.setDocument(A, textA);
  index.setDocument(B, textB);
  return index;
}

const texts: Record<string, string> = { [A]: textA, [B]: textB };
const spans = (locs: Array<{ uri: string; range: any }>) => locs.map((l) => `${l.uri.slice(-5)}:${textOf(texts[l.uri], l.range)}`);

describe('LSP features over the index', () => {
  const index = corpus();

  test('references: every mention in every file, through aliases', () => {
    const refs = references(index, B, positionOf(textB, 'Mrs Okafor', 0, 5))!;
    assert.deepEqual(spans(refs), ['a.txt:Margaret Okafor', 'a.txt:Mrs Okafor', 'a.txt:Okafor', 'b.txt:Okafor', 'b.txt:Mrs Okafor']);
    const withoutDecl = references(index, B, positionOf(textB, 'Mrs Okafor'), false)!;
    assert.equal(withoutDecl.length, refs.length - 1);
    assert.ok(!spans(withoutDecl).includes('a.txt:Margaret Okafor'));
  });

  test('references from inside a quotation are its speaker\'s', () => {
    const refs = references(index, A, positionOf(textA, 'no money'))!;
    assert.ok(spans(refs).includes('a.txt:Margaret Okafor'));
  });

  test('definition: the introduction', () => {
    const def = definition(index, B, positionOf(textB, 'Okafor', 0))!;
    assert.equal(def.uri, A);
    assert.equal(textOf(textA, def.range), 'Margaret Okafor');
  });

  test('documentHighlight: this file only, introduction marked', () => {
    const hl = documentHighlights(index, A, positionOf(textA, 'Okafor later'));
    assert.deepEqual(hl.map((h) => textOf(textA, h.range)), ['Margaret Okafor', 'Mrs Okafor', 'Okafor']);
    assert.equal(hl[0].kind, 3 /* Write */);
    assert.equal(hl[1].kind, 2 /* Read */);
  });

  test('documentSymbol: People, Organisations, Quotations', () => {
    const syms = documentSymbols(index, B);
    assert.deepEqual(syms.map((s) => s.name), ['People', 'Organisations', 'Quotations']);
    assert.deepEqual(syms[0].children!.map((s) => s.name), ['Daniel Whitfield', 'Margaret Okafor']);
    assert.match(syms[0].children![1].detail!, /2 here/);
    assert.deepEqual(syms[1].children!.map((s) => s.name), ['Library Campaign Network']);
    assert.equal(syms[2].children!.length, 1);
    for (const s of syms) {
      for (const c of s.children!) {
        assert.ok(inside(c.range, s.range), `${c.name} inside ${s.name}`);
        assert.ok(inside(c.selectionRange, c.range));
      }
    }
    const quoteA = documentSymbols(index, A)[2].children![0];
    assert.match(quoteA.name, /^Margaret Okafor: “We have no money/);
  });

  test('hover: the entity card', () => {
    const h = hover(index, A, positionOf(textA, 'Okafor later'))!;
    const value = (h.contents as { value: string }).value;
    assert.match(value, /\*\*Margaret Okafor\*\* · Person/);
    assert.match(value, /Also: Okafor/);
    assert.match(value, /5 mentions in 2 files/);
    assert.match(value, /This mention: “Okafor” \(family name; rule stub/);
    assert.equal(textOf(textA, h.range!), 'Okafor');
    const w = (hover(index, B, positionOf(textB, 'Whitfield'))!.contents as { value: string }).value;
    assert.match(w, /Roles: a teacher/);
    assert.match(w, /1 mention in 1 file/);
  });

  test('hover on a quotation names its speaker', () => {
    const h = hover(index, A, positionOf(textA, 'branch libraries'))!;
    assert.match((h.contents as { value: string }).value, /^Quotation · said by \*\*Margaret Okafor\*\*/);
  });

  test('hover card lists quotations with their file', () => {
    const card = entityCard(index, index.entityIdOf(A, 0)!)!;
    assert.equal(card.quoteCount, 1);
    assert.deepEqual(card.quotes, [{ text: 'We have no money left for the branch libraries,', file: 'a.txt' }]);
    assert.match(renderCard(card), /> “We have no money/);
  });

  test('workspace symbols: fuzzy over aliases', () => {
    const byAcronym = workspaceSymbols(index, 'LCN')!;
    assert.equal(byAcronym[0].name, 'Library Campaign Network');
    const fuzzy = workspaceSymbols(index, 'mokafor')!;
    assert.ok(fuzzy.some((s) => s.name === 'Margaret Okafor'), JSON.stringify(fuzzy.map((s) => s.name)));
    assert.equal(workspaceSymbols(index, '')!.length, index.entities().length);
    assert.equal(symbolName('Jeremy Corbyn', ['Jeremy Corbyn', '@jeremycorbyn'], '@jc'), 'Jeremy Corbyn (@jeremycorbyn)');
    assert.equal(symbolName('Jewish Labour Movement', ['JLM'], 'JLM'), 'Jewish Labour Movement');
  });

  test('semantic tokens: names, and quotations around the names inside them', () => {
    const toks = spanTokens(index, B).map((t) => `${SEMANTIC_TOKEN_TYPES[t.type]}:${textB.slice(t.start, t.end)}`);
    assert.deepEqual(toks, [
      'organisation:LCN',
      'person:Daniel Whitfield',
      'quotation:Children need somewhere quiet to read. ',
      'person:Okafor',
      'quotation: should listen.',
      'person:Mrs Okafor',
    ]);
    const decoded = decode(semanticTokens(index, B).data, textB);
    assert.deepEqual(decoded.map((d) => d.text), ['LCN', 'Daniel Whitfield', 'Children need somewhere quiet to read. ', 'Okafor', ' should listen.', 'Mrs Okafor']);
    const intro = decode(semanticTokens(index, A).data, textA).find((d) => d.text === 'Margaret Okafor')!;
    assert.equal(intro.modifiers, 1);
  });

  test('semantic tokens split a quotation that spans lines, and honour a range', () => {
    const idx = new CorpusIndex({ analyze: stubAnalyzer(FIXTURE_NAMES) });
    const text = 'He said "one line\r\nand another" then.\nOkafor left.';
    idx.setDocument(A, text);
    const decoded = decode(semanticTokens(idx, A).data, text);
    assert.deepEqual(decoded.map((d) => d.text), ['one line', 'and another', 'Okafor']);
    const ranged = decode(semanticTokens(idx, A, { start: { line: 2, character: 0 }, end: { line: 2, character: 6 } }).data, text);
    assert.deepEqual(ranged.map((d) => d.text), ['Okafor']);
  });

  test('custom requests: entities, mentions, quotations, entityAt', () => {
    const ents = custom.entities(index, {}, false);
    assert.equal(ents.entities[0].name, 'Margaret Okafor');
    assert.equal(ents.entities[0].quoteCount, 1);
    assert.deepEqual(custom.entities(index, { type: 'organisation' }, false).entities.map((e) => e.name), ['Library Campaign Network', 'Brampton Council']);
    const id = ents.entities[0].id;
    const ms = custom.mentions(index, { id, limit: 2 })!;
    assert.equal(ms.total, 5);
    assert.equal(ms.mentions.length, 2);
    assert.equal(ms.mentions[0].line, 3);
    assert.equal(ms.mentions[0].context.slice(...ms.mentions[0].contextSpan), 'Margaret Okafor');
    const qs = custom.quotations(index, {})!;
    assert.deepEqual(qs.groups.map((g) => g.label), ['Daniel Whitfield', 'Margaret Okafor']);
    const none = custom.quotations(index, { limitPerGroup: 0 })!;
    assert.deepEqual(none.groups.map((g) => [g.quotes.length, g.total]), [[0, 1], [0, 1]]);
    const mine = custom.quotations(index, { speakerId: id })!;
    assert.deepEqual(mine.groups.map((g) => g.label), ['Margaret Okafor']);
    const at = custom.entityAt(index, A, positionOf(textA, 'LCN'))!;
    assert.equal(at.entity.name, 'Library Campaign Network');
    assert.equal(at.via, 'mention');
    assert.equal(custom.entityAt(index, A, positionOf(textA, 'votes')), null);
  });

  test('unknown documents and odd positions answer empty, never throw', () => {
    const odd = [
      { line: 999, character: 0 },
      { line: 0, character: 9999 },
      { line: -1, character: -1 },
      { line: 1.5, character: NaN },
    ];
    for (const doc of [A, 'file:///nowhere.txt', '']) {
      for (const p of odd) {
        hover(index, doc, p);
        references(index, doc, p);
        definition(index, doc, p);
        documentHighlights(index, doc, p);
        custom.entityAt(index, doc, p);
      }
      documentSymbols(index, doc);
      semanticTokens(index, doc, { start: odd[0], end: odd[2] });
    }
    assert.deepEqual(documentSymbols(index, 'file:///nowhere.txt'), []);
    assert.equal(hover(index, 'file:///nowhere.txt', { line: 0, character: 0 }), null);
    assert.deepEqual(custom.mentions(index, { id: 'person:nobody' }), { mentions: [], total: 0 });
    assert.deepEqual(custom.mentions(index, undefined), { mentions: [], total: 0 });
  });

  test('Markdown escaping keeps document text literal', () => {
    assert.equal(md('a *b* [c](d) <e>'), 'a \\*b\\* \\[c\\](d) \\<e\\>');
  });
});

function inside(inner: any, outer: any): boolean {
  const le = (a: any, b: any) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}
