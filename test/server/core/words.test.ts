import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Kind, tokenize } from '../../../server/src/core/tokens';
import { F, lowerIdOf, metaOf, setWordLimit, wordOf } from '../../../server/src/core/words';
import { gatherEvidence, seenLower, capMid, upperCount } from '../../../server/src/core/evidence';
import { findNames } from '../../../server/src/core/names';
import { analyzeDocument } from '../../../server/src/core/analyze';
import { DOCUMENT_NOUNS, FUNCTION_WORDS, REPORTING_VERBS, ROLE_MODIFIERS, isGivenName, isSurname, knownOrganisation, looksLikeDemonym, mayStartKnownOrganisation } from '../../../server/src/core/lexicon';
import { honorific } from '../../../server/src/core/people';
import { isOrgHead } from '../../../server/src/core/organisations';

const TEXTS = [
  'Jeremy Corbyn said the Labour Party would win. Later, Corbyn left.\nMembers of Momentum met in Southwark.',
  'THE BBC REPORTS\nMr. Okafor, a spokesman for the Jewish Labour Movement (JLM), told the BBC: “We will not.” The JLM agreed.',
  'Lord Falconer of Thoroton and Dr Ana J. Reyes wrote to @jeremycorbyn. said Haddad. Haddad’s lawyer said no.',
  'Jane Doe, Salford CLP\nJohn Roe, Momentum\nAnn Poe, Unite\nPam Butler Renee Ratcliff\n',
];

describe('words', () => {
  it('shares one word, and one string, between equal tokens of any documents', () => {
    const [a] = tokenize('Okafor said');
    const [b] = tokenize('and Okafor'.slice(4));
    assert.equal(a!.id, b!.id);
    assert.equal(wordOf(a!.id).text, a!.text);
    assert.equal(a!.text, 'Okafor');
    assert.equal(a!.f, wordOf(a!.id).f);
  });

  it('links a word to its lower-case form, which marks are kept on', () => {
    const [cap, , low] = tokenize('Said he said');
    assert.equal(cap!.lower, 'said');
    assert.equal(wordOf(cap!.id).lw, wordOf(low!.id));
    assert.equal(wordOf(low!.id).lw, wordOf(low!.id));
    assert.equal(cap!.lid, low!.id);
  });

  it('gives the same lexical features as the lexicon', () => {
    const words = 'the Of Jeremy Corbyn smith Smith Mr. Mr Labour labour Party Palestinian Momentum BBC Bbc xyzzy said Told former letter Jewish jewish'.split(' ');
    const starts = new Set<boolean>();
    for (const t of tokenize(words.join(' '))) {
      if (t.text === '.') continue;
      const has = (f: F) => (t.f & f) !== 0;
      assert.equal(has(F.Function), FUNCTION_WORDS.has(t.lower), t.text);
      assert.equal(has(F.Given), isGivenName(t.lower), t.text);
      assert.equal(has(F.Surname), isSurname(t.lower), t.text);
      assert.equal(has(F.Honorific), honorific(t.lower) !== undefined, t.text);
      assert.equal(has(F.OrgHead), isOrgHead(t.lower), t.text);
      assert.equal(has(F.Demonym), looksLikeDemonym(t.lower), t.text);
      assert.equal(has(F.KnownOrg), knownOrganisation(t.text) !== undefined, t.text);
      assert.equal(has(F.ReportingVerb), REPORTING_VERBS.has(t.lower), t.text);
      assert.equal(has(F.RoleModifier), ROLE_MODIFIERS.has(t.lower), t.text);
      assert.equal(has(F.DocumentNoun), DOCUMENT_NOUNS.has(t.lower), t.text);
      assert.equal(has(F.MayStartKnownOrg), mayStartKnownOrganisation(t.text), t.text);
      starts.add(has(F.MayStartKnownOrg));
    }
    assert.equal(starts.size, 2, 'some of the words start a known organisation\'s name, some do not');
  });

  it('gives every token the shape, features and lower-case id of its word while the table grows and is dropped', () => {
    // Thousands of new words (the table starts small and grows many times within one document), words whose
    // lower-case form is new too (made inside the lookup), and a table dropped between documents.
    const words = Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? `Word${i}` : i % 3 === 1 ? `WORD${i}` : `word${i}`));
    const check = (text: string) => {
      for (const t of tokenize(text)) {
        assert.equal(wordOf(t.id).text, t.text);
        assert.equal(wordOf(t.lid).text, t.lower);
        assert.equal(t.lid, lowerIdOf(t.id), t.text);
        assert.equal(t.f, metaOf(t.id) >>> 3, t.text);
        if (t.kind === Kind.Word) assert.equal(t.shape, metaOf(t.id) & 7, t.text);
      }
    };
    const was = setWordLimit(2000);
    try {
      for (let round = 0; round < 3; round++) check(words.join(' ') + ' Said said SAID a A . , Okafor');
    } finally {
      setWordLimit(was);
    }
  });

  it('gives one-character tokens their own words again after the table is dropped', () => {
    const text = 'A, b. "I" 7 (x)';
    const before = tokenize(text).map((t) => [t.text, t.kind, t.shape, t.f]);
    const was = setWordLimit(4);
    try {
      tokenize('Many more words than four, so that the table is dropped before the next document.');
      const toks = tokenize(text);
      assert.deepEqual(toks.map((t) => [t.text, t.kind, t.shape, t.f]), before);
      for (const t of toks) assert.equal(wordOf(t.id).text, t.text);
    } finally {
      setWordLimit(was);
    }
  });

  it('answers the same when the table is dropped between every document', () => {
    const before = TEXTS.map((t) => JSON.stringify(analyzeDocument(t)));
    const was = setWordLimit(4);
    try {
      for (let round = 0; round < 2; round++) {
        assert.deepEqual(TEXTS.map((t) => JSON.stringify(analyzeDocument(t))), before);
      }
    } finally {
      setWordLimit(was);
    }
  });
  it('keeps no document alive through the words it holds (long words are copies, not slices of the text)', () => {
    // A slice of 13 or more characters refers to the whole string it was cut from: a table of words that outlives its
    // documents must not hold one. Seen as memory: documents of 300,000 characters, each with a new long word, are
    // all collectable once nothing else refers to them (held through their words, they would be 6 MB).
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const analyse = (n: number): void => {
      const word = `Unrepeatable${n}x${Math.random().toString(36).slice(2)}`;
      tokenize([`${word} said`, ' '.repeat(300_000), 'again.'].join(' '));
    };
    analyse(-1);
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let n = 0; n < 20; n++) analyse(n);
    gc();
    const grew = process.memoryUsage().heapUsed - before;
    assert.ok(grew < 2_000_000, `the heap grew by ${grew} bytes`);
  });
});

describe('evidence marks on words', () => {
  it('tells what a document writes in lower case, capitalised mid-sentence and in capitals', () => {
    const text = 'Labour won. The labour market grew, said Labour and the BBC. BBC staff agreed.';
    const toks = tokenize(text);
    const ev = gatherEvidence(text, toks);
    const at = (s: string) => toks.find((t) => t.text === s)!;
    assert.ok(seenLower(ev, at('Labour')));
    assert.ok(capMid(ev, at('Labour')));
    assert.ok(!seenLower(ev, at('BBC')));
    assert.equal(upperCount(ev, at('BBC')), 2);
    assert.ok(!capMid(ev, at('The')));
  });

  it('lists the quotation marks', () => {
    const text = '“Yes,” she said. \'No\' — and "maybe".';
    const toks = tokenize(text);
    const ev = gatherEvidence(text, toks);
    assert.deepEqual([...ev.quoteMarks], toks.flatMap((t, i) => (t.kind === Kind.Quote ? [i] : [])));
    assert.equal(ev.quoteMarks.length, 6);
  });

  it('lists the @handles and the opening brackets', () => {
    const text = 'Jane Doe (@janedoe) of the National Constitutional Committee (NCC) said (again) @x.';
    const toks = tokenize(text);
    const ev = gatherEvidence(text, toks);
    assert.deepEqual([...ev.handleMarks], toks.flatMap((t, i) => (t.kind === Kind.Handle ? [i] : [])));
    assert.deepEqual([...ev.openMarks], toks.flatMap((t, i) => (t.kind === Kind.Punct && t.text === '(' ? [i] : [])));
    assert.equal(ev.handleMarks.length, 2);
    assert.equal(ev.openMarks.length, 3);
  });

  it('keeps marks by word id: a token knows its word and lower-case form ids', () => {
    const toks = tokenize('Said he said SAID');
    assert.equal(toks[0]!.lid, toks[2]!.id);
    assert.equal(toks[2]!.lid, toks[2]!.id);
    assert.equal(toks[3]!.lid, toks[2]!.id);
    assert.notEqual(toks[0]!.id, toks[3]!.id);
  });

  it('still holds for an earlier document when the word table was dropped since', () => {
    const [a, b] = TEXTS;
    const alone = JSON.stringify(findNames(gatherEvidence(a!, tokenize(a!))));
    const was = setWordLimit(4);
    try {
      const evA = gatherEvidence(a!, tokenize(a!));
      // Tokenising b drops the table (more than 4 words): its ids are given again to other words.
      gatherEvidence(b!, tokenize(b!));
      assert.equal(JSON.stringify(findNames(evA)), alone);
    } finally {
      setWordLimit(was);
    }
  });

  it('still holds for a document whose evidence was gathered before another one', () => {
    const [a, b] = TEXTS;
    const evA = gatherEvidence(a!, tokenize(a!));
    const alone = JSON.stringify(findNames(evA));
    const evA2 = gatherEvidence(a!, tokenize(a!));
    gatherEvidence(b!, tokenize(b!));
    assert.equal(JSON.stringify(findNames(evA2)), alone);
    assert.ok(seenLower(evA2, tokenize('Would')[0]!));
  });

  it('gathers the same evidence into a reused buffer (transient) as into its own', () => {
    // The long document first, so that the buffer the short one reuses holds stale entries.
    const long = TEXTS.join('\n').repeat(3);
    gatherEvidence(long, tokenize(long), undefined, true);
    for (const text of TEXTS) {
      const toks = tokenize(text);
      const own = gatherEvidence(text, toks);
      const arrays = (ev: typeof own) => [ev.lineOf, ev.headline, ev.listLine, ev.chrome, ev.quoteMarks, ev.handleMarks, ev.openMarks].map((a) => [...a]);
      const expected = arrays(own);
      const reused = gatherEvidence(text, toks, undefined, true);
      assert.deepEqual(arrays(reused), expected);
      assert.deepEqual(reused.lines, own.lines);
    }
  });
});
