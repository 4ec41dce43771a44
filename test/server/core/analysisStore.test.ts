import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../../server/src/core/analyze';
import { AnalysisStore, StringTable } from '../../../server/src/core/analysisStore';
import { DocText } from '../../../server/src/core/docText';
import type { DocAnalysis } from '../../../server/src/core/model';

const corpus = join(__dirname, '..', '..', '..', 'server', 'sample-corpus');
const samples = readdirSync(corpus)
  .filter((f) => /\.(txt|md)$/.test(f) && f !== 'README.md')
  .map((f) => readFileSync(join(corpus, f), 'utf8'));

test('the stored analysis rebuilds equal to the original, object shapes included', () => {
  const strings = new StringTable();
  for (const text of samples) {
    const a = analyzeDocument(text);
    assert.ok(a.mentions.length > 0);
    const st = AnalysisStore.from(a, strings);
    assert.deepStrictEqual(st.toAnalysis(DocText.of(text)), a);
    assert.deepStrictEqual(st.toAnalysis(text), a);
    for (let i = 0; i < a.mentions.length; i++) {
      const m = a.mentions[i];
      assert.deepStrictEqual([st.start(i), st.end(i), st.name(i), st.type(i), st.form(i), st.title(i), st.expansion(i)], [m.start, m.end, m.name, m.type, m.form, m.title, m.expansion]);
    }
    for (let j = 0; j < a.quotes.length; j++) assert.equal(st.speakerOf(j), a.quotes[j].speaker?.mention ?? -1);
  }
});

test('optional fields round-trip in every combination: title, expansion, both; speaker with and without a mention', () => {
  const text = 'Lord Falconer of Thoroton (LFT) said “yes”, a spokesman said “no” and “maybe”.';
  const a: DocAnalysis = {
    mentions: [
      { start: 0, end: 25, text: text.slice(0, 25), type: 'person', form: 'titled', name: 'Falconer of Thoroton', title: 'Lord', rule: 'title', confidence: 0.9 },
      { start: 27, end: 30, text: 'LFT', type: 'organisation', form: 'acronym', name: 'LFT', title: 'Lord', expansion: 'Falconer of Thoroton', rule: 'acronym-definition', confidence: 1 },
      { start: 0, end: 4, text: 'Lord', type: 'organisation', form: 'acronym', name: 'Lord', expansion: 'Lord', rule: 'x', confidence: 1 / 3 },
    ],
    quotes: [
      { start: 38, end: 41, text: 'yes', speaker: { mention: 0, rule: 'said-after' } },
      { start: 62, end: 64, text: 'no', speaker: { descriptor: 'a spokesman', rule: 'said-after' }, continued: false },
      { start: 71, end: 76, text: 'maybe', continued: true },
    ],
    roles: [{ mention: 0, text: 'peer', rule: 'apposition' }],
    problems: [{ message: 'odd', start: 1 }],
  };
  assert.equal(text.slice(38, 41), 'yes');
  assert.deepStrictEqual(AnalysisStore.from(a, new StringTable()).toAnalysis(text), a);
});

test('each distinct string is stored once, however many documents use it', () => {
  const strings = new StringTable();
  const a = analyzeDocument(samples[0]);
  AnalysisStore.from(a, strings);
  const size = strings.size;
  AnalysisStore.from(analyzeDocument(samples[0]), strings);
  assert.equal(strings.size, size);
  assert.equal(strings.id('a name that is certainly new'), size);
  assert.equal(strings.id('a name that is certainly new'), size);
});
