// Small helpers for the recognition tests: positions come from text anchors, never hand-counted.
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../server/src/core/analyze';
import type { DocAnalysis, Mention, Quote } from '../../../server/src/core/model';

export function analyse(text: string, options?: Parameters<typeof analyzeDocument>[1]): DocAnalysis {
  const a = analyzeDocument(text, options);
  assert.deepEqual(a.problems, [], 'no problems');
  return a;
}

/** The mention whose text is exactly `surface` at its `nth` occurrence (0-based) in the text, or undefined. */
export function mentionAt(text: string, a: DocAnalysis, surface: string, nth = 0): Mention | undefined {
  let from = 0;
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(surface, from);
    assert.ok(at >= 0, `anchor ${JSON.stringify(surface)} #${nth} is in the fixture`);
    from = at + 1;
  }
  return a.mentions.find((m) => m.start === at && m.end === at + surface.length);
}

export function assertMention(text: string, a: DocAnalysis, surface: string, type: 'person' | 'organisation', fields: Partial<Mention> = {}, nth = 0): Mention {
  const m = mentionAt(text, a, surface, nth);
  assert.ok(m, `expected a mention ${JSON.stringify(surface)}; got ${JSON.stringify(a.mentions.map((x) => x.text))}`);
  assert.equal(m.type, type, `type of ${surface}`);
  for (const [k, v] of Object.entries(fields)) assert.equal((m as unknown as Record<string, unknown>)[k], v, `${k} of ${surface}`);
  return m;
}

export function assertNoMention(a: DocAnalysis, surfaceContains: string): void {
  const bad = a.mentions.filter((m) => m.text.includes(surfaceContains));
  assert.deepEqual(bad.map((m) => m.text), [], `no mention containing ${JSON.stringify(surfaceContains)}`);
}

export function quoteOf(text: string, a: DocAnalysis, words: string): Quote {
  const at = text.indexOf(words);
  assert.ok(at >= 0, `anchor ${JSON.stringify(words)} is in the fixture`);
  const q = a.quotes.find((x) => x.start <= at && at + words.length <= x.end);
  assert.ok(q, `expected a quotation containing ${JSON.stringify(words)}; got ${JSON.stringify(a.quotes.map((x) => x.text))}`);
  return q;
}

/** Speaker as text: the mention's text, or "D:" + descriptor, or "-". */
export function speakerOf(a: DocAnalysis, q: Quote): string {
  if (!q.speaker) return '-';
  if (q.speaker.mention !== undefined) return a.mentions[q.speaker.mention]!.text;
  return 'D:' + q.speaker.descriptor;
}

/** Invariants every analysis keeps. */
export function assertInvariants(text: string, a: DocAnalysis): void {
  let last = 0;
  for (const m of a.mentions) {
    assert.ok(m.start >= last && m.end > m.start && m.end <= text.length, `mention ${m.text} in order and in range`);
    assert.equal(text.slice(m.start, m.end), m.text);
    last = m.end;
  }
  for (const q of a.quotes) {
    assert.ok(q.start >= 0 && q.end > q.start && q.end <= text.length);
    assert.equal(text.slice(q.start, q.end), q.text);
    if (q.speaker?.mention !== undefined) assert.ok(a.mentions[q.speaker.mention], 'speaker index is valid');
  }
  for (const r of a.roles) assert.ok(a.mentions[r.mention], 'role index is valid');
}
