import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvField, toCsv, toJson, toTable } from '../../../server/src/core/export';
import { CorpusIndex } from '../../../server/src/core/index';
import { fakeAnalyzer, LEXICON } from './fake-analyzer';

const analyze = fakeAnalyzer(LEXICON, ['a spokesperson']);
const docs: Record<string, string> = {
  'b/second.txt': 'Corbyn replied: "Not today, thanks."\nA spokesperson said: "No comment, said he."',
  'a.txt': 'Jeremy Corbyn said: "We will win."\nThe Jewish Labour Movement (JLM) disagreed.',
};

function build(order: string[]) {
  const ix = new CorpusIndex({ analyze });
  for (const d of order) ix.setDocument(d, docs[d]);
  ix.setSkipped('c.bin', 'binary file: contains NUL bytes');
  return ix;
}

describe('export: JSON', () => {
  const json = toJson(build(['a.txt', 'b/second.txt']), 'corpus');

  it('has the documented shape', () => {
    assert.equal(json.root, 'corpus');
    assert.deepEqual(json.files, [{ path: 'a.txt' }, { path: 'b/second.txt' }, { path: 'c.bin', skipped: 'binary file: contains NUL bytes' }]);
    const corbyn = json.entities.find((e) => e.id === 'person:jeremy-corbyn')!;
    assert.deepEqual(
      { type: corbyn.type, name: corbyn.name, aliases: corbyn.aliases, mentionCount: corbyn.mentionCount, fileCount: corbyn.fileCount },
      { type: 'person', name: 'Jeremy Corbyn', aliases: ['Jeremy Corbyn', 'Corbyn'], mentionCount: 2, fileCount: 2 },
    );
    for (const e of json.entities) {
      for (const m of e.mentions) assert.equal(docs[m.file].slice(m.start, m.end), m.text);
    }
    const q = json.quotes.map((x) => [x.file, x.text, x.speaker, x.speakerText, x.speakerName]);
    assert.deepEqual(q, [
      ['a.txt', 'We will win.', 'person:jeremy-corbyn', null, 'Jeremy Corbyn'],
      ['b/second.txt', 'Not today, thanks.', 'person:jeremy-corbyn', null, 'Jeremy Corbyn'],
      ['b/second.txt', 'No comment, said he.', null, 'a spokesperson', null],
    ]);
    for (const x of json.quotes) assert.equal(docs[x.file].slice(x.start, x.end), x.text);
  });

  it('is deterministic whatever order the documents were indexed in', () => {
    const other = toJson(build(['b/second.txt', 'a.txt']), 'corpus');
    assert.equal(JSON.stringify(other), JSON.stringify(json));
  });
});

describe('export: CSV and table', () => {
  const json = toJson(build(['a.txt', 'b/second.txt']), 'corpus');

  it('CSV fields are quoted and formula-safe', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a, b'), '"a, b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('=SUM(A1)'), "'=SUM(A1)");
    assert.equal(csvField(null), '');
    assert.equal(csvField(3), '3');
  });

  it('CSV has a header and one row per mention and quotation', () => {
    const rows = toCsv(json).trimEnd().split('\r\n');
    assert.equal(rows[0], 'record,entity_id,type,name,file,start,end,text,speaker_id,speaker');
    const mentions = json.entities.reduce((n, e) => n + e.mentions.length, 0);
    assert.equal(rows.length, 1 + mentions + json.quotes.length);
    const at = docs['b/second.txt'].indexOf('No comment');
    const end = at + 'No comment, said he.'.length;
    assert.ok(rows.includes(`quote,,,,b/second.txt,${at},${end},"No comment, said he.",,a spokesperson`), rows.join('\n'));
  });

  it('the table lists entities with counts, quotations with speakers, and skipped files', () => {
    const table = toTable(json, { lineOf: () => 0 });
    assert.match(table, /TYPE\s+NAME\s+ALIASES\s+MENTIONS\s+FILES/);
    assert.match(table, /person\s+Jeremy Corbyn\s+Corbyn\s+2\s+2/);
    assert.match(table, /org\s+Jewish Labour Movement\s+JLM\s+2\s+1/);
    assert.match(table, /Jeremy Corbyn — “We will win\.” \(a\.txt:1\)/);
    assert.match(table, /c\.bin: binary file/);
  });
});
