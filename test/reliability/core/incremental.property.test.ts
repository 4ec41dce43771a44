// Never lose an update: after any random sequence of document sets, edits, deletes, renames and skips, the
// incremental CorpusIndex (with the real recogniser) equals a fresh full index of the final state, built in a
// different order. Compared as the canonical CLI JSON (core/export.ts toJson: entities, aliases, mentions, quotes,
// speakers, skipped files) plus what the JSON leaves out (introductions, per-document queries). Offsets round-trip
// through positions.ts on text with CRLF, lone CR, BOM-stripped text and non-BMP characters.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { toJson } from '../../../server/src/core/export';
import { CorpusIndex } from '../../../server/src/core/index';
import { LineIndex } from '../../../server/src/core/positions';
import { decodeText } from '../../../server/src/core/text';
import { violations } from '../helpers';

export const RUNS = { sequences: 80, roundTrip: 300 };

const params = (numRuns: number): fc.Parameters<unknown> => {
  const seed = process.env.CN_FC_SEED ? Number(process.env.CN_FC_SEED) : undefined;
  return { numRuns, ...(seed !== undefined ? { seed } : {}) };
};

/** Sentences whose names interact across documents: full names, titles, family names alone, acronyms defined or not. */
const SENTENCES = [
  'Margaret Okafor, the leader of Brampton Council, said the plan was fair.',
  'Mrs Okafor told councillors: "We have no money left."',
  'Okafor later defended the decision.',
  'Daniel Okafor, her brother, disagreed.',
  'The Library Campaign Network (LCN) said it would fight the closures.',
  'A spokesman for the LCN said: "This is a sad day."',
  'The Library Campaign Network met on Saturday.',
  'Daniel Whitfield, a local teacher, said: "Children need somewhere quiet to read."',
  'Mr Whitfield said he would return next week.',
  'Whitfield and Okafor did not speak.',
  '"It is over," said Sir Peter Hale.',
  'Hale was not available. Peter said nothing.',
  'Brampton Council voted on Tuesday.',
  'Members of Unite and the GMB walked out.',
  '@peterhale wrote that the vote was "a disgrace".',
];

const SEPARATORS = ['\n', '\n\n', '\r\n', '\r', ' ', '\r\n\r\n'];

const textArb = fc
  .array(fc.tuple(fc.constantFrom(...SENTENCES), fc.constantFrom(...SEPARATORS), fc.constantFrom('', '', '😀 ', 'é')), { minLength: 0, maxLength: 6 })
  .map((parts) => parts.map(([s, sep, pre]) => pre + s + sep).join(''));

const DOCS = ['a.txt', 'b.txt', 'notes/c.md', 'd.txt', 'z/e.txt'];
const docArb = fc.constantFrom(...DOCS);

type Op =
  | { op: 'set'; doc: string; text: string }
  | { op: 'edit'; doc: string; at: number; remove: number; insert: string }
  | { op: 'delete'; doc: string }
  | { op: 'rename'; doc: string; to: string }
  | { op: 'skip'; doc: string };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('set' as const), doc: docArb, text: textArb }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('edit' as const),
      doc: docArb,
      at: fc.nat(),
      remove: fc.nat({ max: 40 }),
      insert: fc.oneof(fc.constantFrom(...SENTENCES), fc.constantFrom('', ' ', '\r\n', 'Mr ', 'Okafor', '"', '(LCN)', '😀')),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), doc: docArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('rename' as const), doc: docArb, to: docArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('skip' as const), doc: docArb }) },
);

/** The model: what the corpus should hold after the operations. */
function apply(index: CorpusIndex, state: Map<string, string>, skipped: Map<string, string>, o: Op): void {
  switch (o.op) {
    case 'set':
      index.setDocument(o.doc, o.text);
      state.set(o.doc, o.text);
      skipped.delete(o.doc);
      break;
    case 'edit': {
      const old = state.get(o.doc);
      if (old === undefined) return;
      const at = o.at % (old.length + 1);
      const text = old.slice(0, at) + o.insert + old.slice(Math.min(old.length, at + o.remove));
      index.setDocument(o.doc, text);
      state.set(o.doc, text);
      break;
    }
    case 'delete':
      index.deleteDocument(o.doc);
      state.delete(o.doc);
      skipped.delete(o.doc);
      break;
    case 'rename': {
      const text = state.get(o.doc);
      if (text === undefined || o.to === o.doc) return;
      index.deleteDocument(o.doc);
      index.setDocument(o.to, text);
      state.delete(o.doc);
      state.set(o.to, text);
      skipped.delete(o.to);
      break;
    }
    case 'skip':
      index.setSkipped(o.doc, 'binary file: contains NUL bytes');
      state.delete(o.doc);
      skipped.set(o.doc, 'binary file: contains NUL bytes');
      break;
  }
}

/** Everything observable, canonical: the CLI JSON plus introductions and per-document answers. */
function canonical(index: CorpusIndex): unknown {
  const json = toJson(index, '/corpus');
  const entities = index.entities();
  return {
    json,
    introductions: entities.map((e) => {
      const r = index.introduction(e.id);
      return r && `${e.id} ${r.doc}@${r.mention.start}`;
    }),
    perDoc: index.documents().map((d) => ({
      d,
      ids: index.mentionsIn(d).map((r) => index.entityIdOf(d, r.index)),
      quotes: index.quotes(d).map((q) => `${q.quote.start}:${q.speakerId ?? '-'}`),
    })),
  };
}

describe('incremental index equals a fresh index (real recogniser)', () => {
  test(`random sequences of sets, edits, deletes, renames and skips (${RUNS.sequences} runs)`, () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 25 }), fc.boolean(), (ops, reverse) => {
        const index = new CorpusIndex();
        const state = new Map<string, string>();
        const skipped = new Map<string, string>();
        let version = index.version;
        for (const o of ops) {
          apply(index, state, skipped, o);
          assert.ok(index.version >= version, 'version never goes back');
          version = index.version;
          // Queries between updates must not disturb what later updates do.
          if (o.op === 'edit') index.entities();
        }
        const fresh = new CorpusIndex();
        const order = [...state].sort((a, b) => (a[0] < b[0] ? -1 : 1));
        if (reverse) order.reverse();
        for (const [doc, text] of order) fresh.setDocument(doc, text);
        for (const [doc, reason] of skipped) fresh.setSkipped(doc, reason);
        assert.deepEqual(canonical(index), canonical(fresh));
        for (const doc of index.documents()) assert.deepEqual(violations(index.text(doc)!, index.analysis(doc)!), []);
      }),
      params(RUNS.sequences),
    );
  });
});

describe('offsets round-trip through positions.ts', () => {
  const pieceArb = fc.constantFrom(...SENTENCES, ...SEPARATORS, '😀', '👍🏽 ', '𝒜 ', '\t', 'Mr Okafor ', '“Yes,” said Mr Whitfield.');

  test(`every mention's range converts back to its offsets; every offset off a CRLF pair round-trips (${RUNS.roundTrip} runs)`, () => {
    fc.assert(
      fc.property(fc.array(pieceArb, { maxLength: 30 }), fc.constantFrom('utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be'), (pieces, encoding) => {
        // Through the decoder as a file would come, so the BOM case is the decoder's BOM removal.
        const original = pieces.join('');
        const d = decodeText(encode(original, encoding));
        assert.ok(d.ok);
        const text = d.text;
        assert.equal(text, original, 'decoding gives the text back, BOM removed');
        const lines = new LineIndex(text);
        const index = new CorpusIndex();
        index.setDocument('doc', text);
        for (const r of index.mentionsIn('doc')) {
          const range = lines.rangeOf(r.mention.start, r.mention.end);
          assert.equal(lines.offsetAt(range.start), r.mention.start);
          assert.equal(lines.offsetAt(range.end), r.mention.end);
          assert.deepEqual(range.start, independentPosition(text, r.mention.start));
        }
        for (const q of index.quotes('doc')) {
          const range = lines.rangeOf(q.quote.start, q.quote.end);
          assert.equal(lines.offsetAt(range.start), q.quote.start);
          assert.equal(lines.offsetAt(range.end), q.quote.end);
        }
        for (let o = 0; o <= text.length; o++) {
          if (text[o - 1] === '\r' && text[o] === '\n') continue; // inside a line break: not a position
          const p = lines.positionAt(o);
          assert.equal(lines.offsetAt(p), o, `offset ${o}`);
        }
      }),
      params(RUNS.roundTrip),
    );
  });
});

function encode(text: string, encoding: string): Uint8Array {
  const utf8 = new TextEncoder().encode(text);
  if (encoding === 'utf-8') return utf8;
  if (encoding === 'utf-8-bom') return new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]);
  const le = new Uint8Array(2 + text.length * 2);
  le[0] = 0xff;
  le[1] = 0xfe;
  for (let i = 0; i < text.length; i++) {
    le[2 + 2 * i] = text.charCodeAt(i) & 0xff;
    le[3 + 2 * i] = text.charCodeAt(i) >> 8;
  }
  if (encoding === 'utf-16le') return le;
  const be = new Uint8Array(le.length);
  for (let i = 0; i < le.length; i += 2) {
    be[i] = le[i + 1];
    be[i + 1] = le[i];
  }
  return be;
}

/** Line and UTF-16 character of an offset, counted without positions.ts (lines end at \r\n, \n or \r). */
function independentPosition(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    if (text[i] === '\r' && text[i + 1] === '\n') continue;
    if (text[i] === '\n' || text[i] === '\r') {
      line++;
      start = i + 1;
    }
  }
  return { line, character: offset - start };
}
