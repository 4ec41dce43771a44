import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyse, assertInvariants, quoteOf } from './helpers-recognition';

const texts = (s: string) => analyse(s).quotes.map((q) => q.text);

describe('quotes', () => {
  it('pairs straight and curly double quotes; the span is between the marks, trimmed', () => {
    assert.deepEqual(texts('He said: "We will win, " and left. She said “Not today.”'), ['We will win,', 'Not today.']);
  });

  it('pairs single quotes but not apostrophes', () => {
    const s = "Okafor’s team promised to ‘listen and learn’ and said 'never again' in the '90s style. Don't worry.";
    assert.deepEqual(texts(s), ['listen and learn', 'never again']);
  });

  it('pairs mis-typed marks (”…" and “…“) as a reader would', () => {
    assert.deepEqual(texts('The email states: ”We are alarmed." It asked for “an immediate reply.“\n'), ['We are alarmed.', 'an immediate reply.']);
  });

  it('continues a quotation over paragraphs that open with a mark', () => {
    const s = 'Ms Rowe said: "First paragraph without a close.\n\n"Second paragraph, still open.\n\n"Third and last."\n\nThen the article went on.';
    const a = analyse(s);
    assert.deepEqual(a.quotes.map((q) => [q.text, !!q.continued]), [
      ['First paragraph without a close.', false],
      ['Second paragraph, still open.', true],
      ['Third and last.', true],
    ]);
    const speakers = a.quotes.map((q) => q.speaker?.mention);
    assert.ok(speakers.every((m) => m !== undefined && a.mentions[m]!.text === 'Ms Rowe'), 'continuations inherit the speaker');
    assertInvariants(s, a);
  });

  it('does not continue into a paragraph that does not open with a mark', () => {
    const s = 'She said: "Open to the end\nThe next line is prose "with a quote" in it.';
    const a = analyse(s);
    assert.deepEqual(a.quotes.map((q) => [q.text, !!q.continued]), [['Open to the end', false], ['with a quote', false]]);
  });

  it('records a quotation inside a quotation as its own entry', () => {
    const s = 'The statement said: “Their aim is ‘taking the land’, we believe.”';
    const a = analyse(s);
    assert.deepEqual(a.quotes.map((q) => q.text), ['Their aim is ‘taking the land’, we believe.', 'taking the land']);
  });

  it('does not take names or titles in quotation marks for quotations', () => {
    assert.deepEqual(texts('He painted "Freedom of Humanity" and read “Party Notes” at the "Stand up to Hunger" event.'), []);
    assert.deepEqual(texts('She was "shocked" and called it "Brexit madness".'), ['shocked', 'Brexit madness']);
  });

  it('treats a headline quotation as a quotation', () => {
    assert.deepEqual(texts("Mayor promises to 'clean up the river'\n'Sincerely sorry'\nBody text."), ['clean up the river', 'Sincerely sorry']);
  });

  it('never throws on unbalanced or odd marks', () => {
    for (const s of ['"', '“', '”', "'", '"unclosed', 'closed"', '"a" "b', '““””', '‘’‘’', '" " " "', '"\n"\n"', 'x"y"z']) {
      const a = analyse(s);
      assertInvariants(s, a);
    }
  });

  it('quote span excludes surrounding white space, keeps punctuation and insertions', () => {
    const s = 'They said " it (sic) works,  " yesterday.';
    const q = quoteOf(s, analyse(s), 'works');
    assert.equal(q.text, 'it (sic) works,');
  });
});
