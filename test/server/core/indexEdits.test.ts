// Keystrokes into an indexed document, with the real analyser: an edit that only moves offsets (lower-case words, a
// quotation's text, a role's wording) takes CorpusIndex's short way (replaceEdited), any other the full way; either
// way the index must equal a fresh index of the final texts, and queries in between must see every edit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CorpusIndex } from '../../../server/src/core/index';

const ARTICLES: Record<string, string> = {
  'a.txt':
    'Jeremy Corbyn, leader of the Labour Party, said: "We will win this." Corbyn later left.\n\n' +
    'The Jewish Labour Movement (JLM) met on Tuesday. Mr Corbyn, the MP for Islington North, replied that "nothing changed".',
  'b.txt':
    'JLM wrote to the Labour Party. A spokesperson for Labour said: "We have received the letter."\n\n' +
    'Sir Keir Starmer, the party leader, told reporters: "This ends now." Starmer left early.',
  'c.txt': 'Marie van der Zyl, president of the Board of Deputies, said the JLM was right. Ms van der Zyl added: "Enough."',
};

/** Everything a user can observe of the index, in a comparable form (test/server/core/index.test.ts's, plus quotations
 *  by entity and each document's mentions with their entities). */
function snapshot(ix: CorpusIndex) {
  return {
    entities: ix.entities().map((e) => ({
      ...e,
      mentions: ix.mentionsOf(e.id).map((r) => `${r.doc}@${r.mention.start}-${r.mention.end}`),
      roles: ix.roles(e.id),
      quotes: ix.quotesBy(e.id).map((q) => `${q.doc}@${q.quote.start}-${q.quote.end}`),
      introduction: ix.introduction(e.id) && `${ix.introduction(e.id)!.doc}@${ix.introduction(e.id)!.mention.start}`,
    })),
    quotes: ix.quotes().map((q) => `${q.doc}@${q.quote.start}:${q.quote.text}:${q.speakerId ?? q.quote.speaker?.descriptor ?? '-'}`),
    byDoc: ix.documents().map((d) => ix.mentionsIn(d).map((r) => `${r.mention.start}:${r.mention.text}:${ix.entityIdOf(d, r.index)}`)),
    stats: ix.stats(),
    documents: ix.documents(),
    search: ['co', 'jlm', 'starmer', 'zyl', 'lab'].map((q) => ix.search(q).map((e) => `${e.id}:${e.mentionCount}`)),
  };
}

/** An index of the articles, and how many of its edits took the full way (remove + insert). */
function indexed(): { ix: CorpusIndex; full: () => number } {
  const ix = new CorpusIndex();
  for (const [doc, text] of Object.entries(ARTICLES)) ix.setDocument(doc, text);
  let n = 0;
  const proto = ix as unknown as { insert: (...a: unknown[]) => void };
  const insert = proto.insert;
  proto.insert = function (this: unknown, ...a: unknown[]) {
    n++;
    return insert.apply(this, a);
  };
  return { ix, full: () => n };
}

function fresh(texts: Map<string, string>): CorpusIndex {
  const ix = new CorpusIndex();
  for (const [doc, text] of texts) ix.setDocument(doc, text);
  return ix;
}

/** Types `s` into `doc` at `at`, one character per edit; `between` runs after each. */
function type(ix: CorpusIndex, texts: Map<string, string>, doc: string, at: number, s: string, between?: () => void): void {
  for (const ch of s) {
    const t = texts.get(doc)!;
    texts.set(doc, t.slice(0, at) + ch + t.slice(at));
    at++;
    ix.setDocument(doc, texts.get(doc)!);
    between?.();
  }
}

describe('CorpusIndex: keystrokes that only move offsets', () => {
  it('typing lower-case words before every mention: the short way, first occurrences and introductions move', () => {
    const { ix, full } = indexed();
    const texts = new Map(Object.entries(ARTICLES));
    const corbyn = ix.entities().find((e) => e.name === 'Jeremy Corbyn')!;
    assert.equal(ix.introduction(corbyn.id)!.mention.start, 0);
    // A space first, so that no keystroke extends the first word of the text, then a word before it.
    type(ix, texts, 'a.txt', 0, ' ', () => ix.entities());
    type(ix, texts, 'a.txt', 0, 'today', () => ix.entities());
    assert.equal(full(), 0, 'no keystroke took the full way');
    assert.equal(ix.introduction(corbyn.id)!.mention.start, 6);
    assert.equal(ix.text('a.txt'), texts.get('a.txt'));
    assert.deepEqual(snapshot(ix), snapshot(fresh(texts)));
  });

  it('a first occurrence moved by the short way is the one a later edit takes out (aliases stay in corpus order)', () => {
    const ix = new CorpusIndex();
    const texts = new Map([
      ['a.txt', 'Keir Starmer agreed and Starmer left.'],
      ['b.txt', 'Sir Keir Starmer spoke. Sir Keir said more.'],
      ['c.txt', 'Starmer replied.'],
    ]);
    for (const [doc, text] of texts) ix.setDocument(doc, text);
    const id = ix.entities().find((e) => e.name === 'Keir Starmer')!.id;
    assert.deepEqual(ix.entity(id)!.aliases, ['Keir Starmer', 'Starmer', 'Keir']);
    type(ix, texts, 'a.txt', 0, ' ');
    type(ix, texts, 'a.txt', 0, 'today');
    // "Starmer" leaves a.txt (the full way): its first occurrence is then c.txt's, after "Keir" (b.txt).
    texts.set('a.txt', 'today Keir Starmer agreed and he left.');
    ix.setDocument('a.txt', texts.get('a.txt')!);
    assert.deepEqual(ix.entity(id)!.aliases, ['Keir Starmer', 'Keir', 'Starmer']);
    assert.deepEqual(snapshot(ix), snapshot(fresh(texts)));
  });

  it('typing inside a quotation and inside a role: quotation text and role wording follow', () => {
    const { ix, full } = indexed();
    const texts = new Map(Object.entries(ARTICLES));
    const corbyn = ix.entities().find((e) => e.name === 'Jeremy Corbyn')!;
    const inQuote = texts.get('a.txt')!.indexOf('win this');
    type(ix, texts, 'a.txt', inQuote, 'surely ', () => void ix.quotesBy(corbyn.id));
    assert.ok(ix.quotesBy(corbyn.id).some((q) => q.quote.text === 'We will surely win this.'));
    const inRole = texts.get('a.txt')!.indexOf('leader') + 'leader'.length;
    const seen: string[] = [];
    type(ix, texts, 'a.txt', inRole, ' an', () => void seen.push(...ix.roles(corbyn.id)));
    assert.ok(seen.includes('leader an of the Labour Party'), seen.join('|'));
    assert.equal(full(), 0, 'no keystroke took the full way');
    assert.deepEqual(snapshot(ix), snapshot(fresh(texts)));
  });

  it('typing a name: only a mention more or less takes the full way; the name joins its entity as it forms (22 keystrokes)', () => {
    const { ix, full } = indexed();
    const texts = new Map(Object.entries(ARTICLES));
    const end = texts.get('c.txt')!.length;
    const seen = new Set<string>();
    type(ix, texts, 'c.txt', end, ' Jeremy Corbyn agreed.', () => {
      const m = ix.mentionsIn('c.txt').at(-1)!;
      seen.add(`${m.mention.text}=${ix.entityIdOf('c.txt', m.index)}`);
    });
    assert.ok(full() > 0 && full() <= 5, `${full()} keystrokes took the full way`);
    assert.ok(seen.has('Jeremy Corbyn=person:jeremy-corbyn'), [...seen].join('|'));
    assert.equal(ix.entities().find((e) => e.name === 'Jeremy Corbyn')!.fileCount, 2);
    assert.deepEqual(snapshot(ix), snapshot(fresh(texts)));
  });

  it('renaming inside a name moves its mentions between entities and back, in other documents too', () => {
    const ix = new CorpusIndex();
    // d.txt's "Starmer" is whoever the corpus's full names say: nobody while there are two, Mary Starmer once
    // e.txt's "Keir Starmer" is renamed.
    const texts = new Map([
      ['d.txt', 'Starmer replied.'],
      ['e.txt', 'Keir Starmer agreed.'],
      ['f.txt', 'Mary Starmer spoke.'],
    ]);
    for (const [doc, text] of texts) ix.setDocument(doc, text);
    let full = 0;
    const proto = ix as unknown as { insert: (...a: unknown[]) => void };
    const insert = proto.insert;
    proto.insert = function (this: unknown, ...a: unknown[]) {
      full++;
      return insert.apply(this, a);
    };
    const starmer = () => ix.entityIdOf('d.txt', 0);
    assert.equal(starmer(), 'person:starmer');
    const at = 'Keir Starmer'.length;
    type(ix, texts, 'e.txt', at, 's');
    assert.equal(starmer(), 'person:mary-starmer');
    assert.deepEqual(snapshot(ix), snapshot(fresh(texts)));
    texts.set('e.txt', 'Keir Starmer agreed.');
    ix.setDocument('e.txt', texts.get('e.txt')!);
    assert.equal(starmer(), 'person:starmer');
    assert.deepEqual(snapshot(ix), snapshot(fresh(texts)));
    assert.equal(full, 0, 'both edits took the short way');
  });

  it('any sequence of one-character edits equals a fresh index (property)', () => {
    const docs = Object.keys(ARTICLES);
    const edit = fc.record({
      doc: fc.constantFrom(...docs),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      del: fc.boolean(),
      ch: fc.constantFrom('a', 'e', 's', ' ', ',', '.', '"', 'K', 'M', '\n'),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 30 }), fc.boolean(), (edits, query) => {
        const { ix } = indexed();
        const texts = new Map(Object.entries(ARTICLES));
        for (const e of edits) {
          const t = texts.get(e.doc)!;
          const at = Math.min(t.length, Math.floor(e.at * t.length));
          const next = e.del && at < t.length ? t.slice(0, at) + t.slice(at + 1) : t.slice(0, at) + e.ch + t.slice(at);
          texts.set(e.doc, next);
          ix.setDocument(e.doc, next);
          // Summaries and per-entity memos brought up to date mid-sequence, or left stale across edits.
          if (query) for (const x of ix.entities()) void ix.mentionsOf(x.id), void ix.roles(x.id), void ix.introduction(x.id);
        }
        assert.deepEqual(snapshot(ix), snapshot(fresh(texts)));
      }),
      { numRuns: 60 },
    );
  });
});
