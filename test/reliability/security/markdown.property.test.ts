// Document text reaches Markdown in two places: the hover card (server, lsp/card.ts `md`) and the Corpus view's
// tooltips (client, corpusTree.ts `escapeMarkdown`). There is no webview. For any string, the escaped form has no
// unescaped markup character (so no link, image, HTML or emphasis can come from a document) and unescapes to the
// text as written.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { escapeMarkdown } from '../../../client/src/corpusTree';
import { md } from '../../../server/src/lsp/card';

export const RUNS = 500;

const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .array(fc.constantFrom('[x](command:workbench.action.terminal.new)', '![i](http://e.x/a.png)', '<img src=x onerror=alert(1)>', '<script>', '`code`', '**b**', '_i_', '&amp;', '|t|', '~~s~~', '\\', 'Jane Doe', ' ', '\n'), { maxLength: 12 })
    .map((a) => a.join('')),
);

/** Removes one level of backslash escapes. */
const unescape = (s: string) => s.replace(/\\([\s\S])/g, '$1');

/** Characters left unescaped from `set`. */
function unescaped(s: string, set: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') {
      i++;
      continue;
    }
    if (set.includes(s[i])) out.push(s[i]);
  }
  return out;
}

describe('document text in Markdown is escaped', () => {
  test(`hover card md(): no unescaped markup, round-trips (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const out = md(s);
        assert.deepEqual(unescaped(out, '`*_[]<>|~&\\'), []);
        assert.ok(!/[\r\n]/.test(out), 'stays on its line');
        assert.equal(unescape(out), s.replace(/\s+/g, ' '));
      }),
      { numRuns: RUNS },
    );
  });

  test(`Corpus view escapeMarkdown(): no unescaped markup, round-trips (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const out = escapeMarkdown(s);
        assert.deepEqual(unescaped(out, '`*_{}[]()#+-.!|<>\\'), []);
        assert.equal(unescape(out), s);
      }),
      { numRuns: RUNS },
    );
  });
});
