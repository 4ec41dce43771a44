// Semantic tokens on random text with every kind of line break and characters outside the BMP: decoding the
// tokens (independently of the server's LineIndex) gives back exactly the names and quoted words, never overlapping.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { DocAnalysis, Mention, Quote } from '../../../server/src/core/model';
import { LineIndex } from '../../../server/src/core/positions';
import type { Corpus } from '../../../server/src/lsp/corpus';
import { semanticTokens, spanTokens } from '../../../server/src/lsp/semanticTokens';
import { decodeTokens } from './client';

/** Just enough of a corpus for the token functions. */
function corpusOf(text: string, analysis: DocAnalysis): Corpus {
  const lines = new LineIndex(text);
  return {
    version: 1,
    analysis: () => analysis,
    lines: () => lines,
    entityIdOf: (_d: string, i: number) => `e${i % 3}`,
    introduction: (id: string) => {
      const i = Number(id.slice(1));
      return i < analysis.mentions.length ? { doc: 'd', index: i, mention: analysis.mentions[i] } : undefined;
    },
  } as unknown as Corpus;
}

const pieces = ['Okafor', ' ', '\n', '\r\n', '\r', '😀', 'é', '"', 'said', ', ', '🗞️'];

describe('semantic tokens (property)', () => {
  test('decode to exactly the marked text, line by line, in order, without overlap', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 60 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { maxLength: 12 }),
        (parts, rawSpans) => {
          const text = parts.join('');
          const n = text.length;
          // Mentions: sorted, disjoint, inside the text; quotes: any spans (they may nest or overlap mentions).
          const mentions: Mention[] = [];
          const quotes: Quote[] = [];
          let last = 0;
          for (const [a, b, isQuote] of rawSpans) {
            let start = a % (n + 1);
            let end = Math.min(n, start + 1 + (b % 12));
            if (isQuote) {
              if (end > start) quotes.push({ start, end, text: text.slice(start, end) });
              continue;
            }
            start = Math.max(start, last);
            end = Math.min(n, Math.max(end, start + 1));
            if (start >= n || end <= start) continue;
            mentions.push({ start, end, text: text.slice(start, end), type: mentions.length % 2 ? 'person' : 'organisation', form: 'full', name: 'x', rule: 't', confidence: 1 });
            last = end;
          }
          quotes.sort((x, y) => x.start - y.start);
          const corpus = corpusOf(text, { mentions, quotes, roles: [], problems: [] });
          const spans = spanTokens(corpus, 'd');
          for (let i = 1; i < spans.length; i++) assert.ok(spans[i].start >= spans[i - 1].end, 'no overlap');
          const decoded = decodeTokens(semanticTokens(corpus, 'd').data, text);
          // Every token's text is its span's text with line breaks cut out, in order.
          const expected = spans.flatMap((s) => text.slice(s.start, s.end).split(/\r\n|\r|\n/).filter((x) => x.length > 0 && x !== '\r' && x !== '\n'));
          assert.deepEqual(decoded.map((d) => d.text), expected);
          for (let i = 1; i < decoded.length; i++) {
            const [a, b] = [decoded[i - 1], decoded[i]];
            assert.ok(b.line > a.line || b.char >= a.char + a.text.length, 'ordered, not overlapping');
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
