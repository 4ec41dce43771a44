import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../../server/src/core/analyze';
import { CorpusIndex } from '../../../server/src/core/index';
import { LineIndex } from '../../../server/src/core/positions';

// The index keeps texts as UTF-8 and analyses as rows (docText.ts, analysisStore.ts), or no text at all when the
// host gives texts back: what it answers must be what it was given, whichever way it holds them.
const corpus = join(__dirname, '..', '..', '..', 'server', 'sample-corpus');
const files = readdirSync(corpus).filter((f) => /\.(txt|md)$/.test(f) && f !== 'README.md');
const texts = new Map(files.map((f) => [f, readFileSync(join(corpus, f), 'utf8')]));
// A curly quote, an emoji and CRLF line ends, so that UTF-16 offsets and UTF-8 bytes differ.
texts.set('odd.txt', '👋 “We will win,” said Jeremy Corbyn.\r\nMr Corbyn added: “No doubt.”\r\n');

function observe(ix: CorpusIndex, doc: string) {
  const text = texts.get(doc)!;
  const lines = ix.lines(doc)!;
  const reference = new LineIndex(text);
  return {
    text: ix.text(doc),
    analysis: ix.analysis(doc),
    quotes: ix.quotes(doc),
    mentions: ix.mentionsIn(doc),
    at: [0, 5, 40, 120, text.length].map((o) => [ix.mentionAt(doc, o), ix.quoteAt(doc, o)]),
    positions: [0, 7, 33, text.length - 1, text.length].map((o) => [lines.positionAt(o), reference.positionAt(o)]),
    lines: Array.from({ length: lines.lineCount }, (_, l) => lines.lineText(l)),
  };
}

describe('CorpusIndex: compact texts and analyses', () => {
  it('gives back the texts and analyses it was given', () => {
    const ix = new CorpusIndex();
    for (const [doc, text] of texts) ix.setDocument(doc, text);
    for (const [doc, text] of texts) {
      assert.equal(ix.text(doc), text);
      assert.deepStrictEqual(ix.analysis(doc), analyzeDocument(text));
      const o = observe(ix, doc);
      for (const [a, b] of o.positions) assert.deepEqual(a, b);
      assert.deepEqual(o.lines, text.split(/\r\n|\n|\r/));
      for (const q of o.quotes) assert.equal(q.quote.text, text.slice(q.quote.start, q.quote.end));
      for (const m of o.mentions) assert.equal(m.mention.text, text.slice(m.mention.start, m.mention.end));
    }
  });

  it('without texts of its own (textSource) it answers the same', () => {
    const reads: string[] = [];
    const held = new CorpusIndex();
    const lean = new CorpusIndex({ textSource: (doc) => (reads.push(doc), texts.get(doc)) });
    for (const [doc, text] of texts) {
      held.setDocument(doc, text);
      lean.setDocument(doc, text);
    }
    for (const doc of texts.keys()) assert.deepStrictEqual(observe(lean, doc), observe(held, doc));
    assert.deepEqual(lean.entities(), held.entities());
    // Positions and mentions never read the text.
    reads.length = 0;
    for (const e of lean.entities().slice(0, 5)) for (const r of lean.mentionsOf(e.id)) lean.lines(r.doc)!.rangeOf(r.mention.start, r.mention.end);
    assert.deepEqual(reads, []);
  });

  it('without texts of its own, a text changed behind its back is not sliced at stale offsets', () => {
    const current = new Map(texts);
    const lean = new CorpusIndex({ textSource: (doc) => current.get(doc) });
    lean.setDocument('odd.txt', texts.get('odd.txt')!);
    const quote = lean.quotes('odd.txt')[0];
    assert.equal(quote.quote.text, 'We will win,');
    current.set('odd.txt', 'Something else entirely, and longer than before.');
    // The last few texts read are remembered as indexed (consistent with the offsets); read others until it is not.
    for (let i = 0; i < 20; i++) {
      current.set(`n${i}.txt`, `Note ${i}.`);
      lean.setDocument(`n${i}.txt`, `Note ${i}.`);
      assert.equal(lean.text(`n${i}.txt`), `Note ${i}.`);
    }
    assert.equal(lean.text('odd.txt'), undefined);
    assert.equal(lean.quotes('odd.txt')[0].quote.text, '');
    lean.setDocument('odd.txt', current.get('odd.txt')!);
    assert.equal(lean.text('odd.txt'), current.get('odd.txt'));
  });

  it('line tables built ahead of time, in slices, answer as the ones built on first use', () => {
    const eager = new CorpusIndex();
    const lazy = new CorpusIndex();
    const all = new Map(texts);
    for (let i = 0; i < 40; i++) all.set(`extra${i}.txt`, `Line one of ${i}.\r\n“Quoted,” said Ann Lee.\nEnd.`);
    for (const [doc, text] of all) {
      eager.setDocument(doc, text);
      lazy.setDocument(doc, text);
    }
    // A stop that says "enough" at once still makes progress (16 documents per slice) and goes on where it stopped.
    let calls = 1;
    while (!eager.buildLineTables(() => true)) calls++;
    assert.equal(calls, Math.ceil(all.size / 16));
    assert.equal(eager.buildLineTables(() => true), true);
    for (const doc of texts.keys()) assert.deepEqual(observe(eager, doc), observe(lazy, doc));
    assert.deepEqual(eager.lines('extra3.txt')!.positionAt(20), lazy.lines('extra3.txt')!.positionAt(20));
  });
});
