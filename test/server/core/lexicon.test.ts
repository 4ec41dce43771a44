import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KNOWN_ORGANISATIONS } from '../../../server/src/core/lexicon/organisations';
import { knownOrganisation, mayStartKnownOrganisation } from '../../../server/src/core/lexicon';
import { tokenize } from '../../../server/src/core/tokens';
import { analyzeDocument } from '../../../server/src/core/analyze';

const NAMES = KNOWN_ORGANISATIONS.split('\n').flatMap((line) => line.split('|').map((s) => s.trim()).filter(Boolean));

describe('lexicon: well-known organisations', () => {
  it('lets every known name through by its first token (names.ts asks this before slicing a range)', () => {
    assert.ok(NAMES.length > 100);
    for (const name of NAMES) {
      assert.ok(knownOrganisation(name), name);
      // As a range of a document: in running text, and glued to punctuation after it.
      for (const text of [name, `Yesterday ${name} said so.`, `(${name}), and more`]) {
        const at = text.indexOf(name);
        const first = tokenize(text).find((t) => t.start === at)!;
        assert.ok(first, `a token starts at ${JSON.stringify(name)} in ${JSON.stringify(text)}`);
        assert.ok(mayStartKnownOrganisation(first.text), `${JSON.stringify(name)} may start with ${JSON.stringify(first.text)}`);
      }
    }
  });

  it('turns away first words no known name starts with, and prefixes cut inside a word', () => {
    for (const first of ['Jeremy', 'Corbyn', 'Yesterday', 'Lab', 'Labo', '']) assert.equal(mayStartKnownOrganisation(first), false, first);
    assert.ok(mayStartKnownOrganisation('Labour'));
    assert.ok(mayStartKnownOrganisation('U.S.') || !NAMES.some((n) => n.startsWith('U.S. ')));
  });

  it('still reads a known multi-word name by the gazetteer rule', () => {
    const text = 'Yesterday Plaid Cymru and Lib Dems met. He joined Liberal Democrats today.';
    const a = analyzeDocument(text);
    assert.deepEqual(a.mentions.map((m) => [m.text, m.rule]), [['Plaid Cymru', 'gazetteer'], ['Lib Dems', 'gazetteer'], ['Liberal Democrats', 'gazetteer']]);
  });
});
