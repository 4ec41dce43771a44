// names.ts's rules where the code is laid out for the optimising compiler (one candidate made per rule's reading, a
// range read on in a loop rather than by a call per rule): each reading keeps its type, form, rule and span.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyse, assertInvariants, assertMention, mentionAt } from './helpers-recognition';
import type { Mention } from '../../../server/src/core/model';
import { tokenize } from '../../../server/src/core/tokens';
import { gatherEvidence } from '../../../server/src/core/evidence';
import { findNames } from '../../../server/src/core/names';

describe('names: readings', () => {
  it('gives a single word the corpus type with the form its spelling and lexicon say', () => {
    const text = 'Yesterday the board met Quillfeather and Zorbex in the ZQXV offices, and Jeremy came too.';
    const types: Record<string, 'person' | 'organisation'> = { Quillfeather: 'person', Jeremy: 'person', Zorbex: 'organisation', ZQXV: 'organisation' };
    const a = analyse(text, { known: { typeOf: (n) => types[n] } });
    assertMention(text, a, 'Quillfeather', 'person', { form: 'family', rule: 'corpus', confidence: 0.75 });
    assertMention(text, a, 'Jeremy', 'person', { form: 'given', rule: 'corpus' });
    assertMention(text, a, 'Zorbex', 'organisation', { form: 'name', rule: 'corpus' });
    assertMention(text, a, 'ZQXV', 'organisation', { form: 'acronym', rule: 'corpus' });
    assertInvariants(text, a);
  });

  it('gives a longer range the corpus type as a full name', () => {
    const text = 'Later, Harlan Quode spoke at length.';
    const a = analyse(text, { known: { typeOf: (n) => (n === 'Harlan Quode' ? 'person' : undefined) } });
    assertMention(text, a, 'Harlan Quode', 'person', { form: 'full', rule: 'corpus', confidence: 0.8 });
  });

  it('ends a titled name where the range goes on, and reads the rest', () => {
    const text = 'The meeting heard Mr. J. Smith-Jones, Lord Falconer of Thoroton and Sir Keir Starmer Labour.';
    const a = analyse(text);
    assertMention(text, a, 'Mr. J. Smith-Jones', 'person', { form: 'titled', name: 'J. Smith-Jones', title: 'Mr' });
    assertMention(text, a, 'Lord Falconer of Thoroton', 'person', { form: 'titled', name: 'Falconer of Thoroton', title: 'Lord', confidence: 0.95 });
    assertMention(text, a, 'Sir Keir Starmer Labour', 'person', { form: 'titled', rule: 'title' });
    assertInvariants(text, a);
  });

  it('takes a bare name after an office and a single word after a lower-case one', () => {
    const text = 'Foreign Minister Hazem Shaalan on Tuesday met coach Smith in the city.';
    const a = analyse(text);
    assertMention(text, a, 'Hazem Shaalan', 'person', { form: 'full', rule: 'role-name', confidence: 0.7 });
    assertMention(text, a, 'Smith', 'person', { form: 'family', rule: 'role-name', confidence: 0.6 });
  });

  it('reads a range on after a leading demonym and splits a repeated word', () => {
    const text = 'British Jews and Jewish Labour met Phillip Phillip at the hall.';
    const a = analyse(text);
    assertMention(text, a, 'Labour', 'organisation', { form: 'name', rule: 'gazetteer' });
    assert.equal(mentionAt(text, a, 'Jewish Labour'), undefined);
    assertMention(text, a, 'Phillip', 'person', { form: 'given', rule: 'given-name-alone' }, 0);
    assertMention(text, a, 'Phillip', 'person', { form: 'given', rule: 'given-name-alone' }, 1);
    assertInvariants(text, a);
  });

  it('keeps campaign names after an organisation and names joined by up to three connectors ending in "the"', () => {
    const text = 'Labour Against the Witch Hunt and Board of Deputies of the Jews joined the protest.';
    const a = analyse(text);
    assertMention(text, a, 'Labour Against the Witch Hunt', 'organisation', { form: 'full', rule: 'org-campaign', confidence: 0.7 });
    assertMention(text, a, 'Board of Deputies of the Jews', 'organisation', { form: 'full', rule: 'org-head' });
  });

  it('stops a name at a dot or hyphen that no name word follows', () => {
    const text = 'It was J. in the end, and Smith- was all he wrote; Mr. Dunmore-Vane left.';
    const a = analyse(text);
    assertMention(text, a, 'Mr. Dunmore-Vane', 'person', { form: 'titled', name: 'Dunmore-Vane' });
    assert.ok(!a.mentions.some((m) => m.text.includes('Smith-') || m.text.startsWith('J.')), JSON.stringify(a.mentions.map((m) => m.text)));
    assertInvariants(text, a);
  });

  it('makes the candidate of a rule that ends the range after a titled name was read on, in that rule\'s own form', () => {
    // The titled name takes four name words and the range is read on: "The Guardian" is a masthead, not titled, and
    // carries no title of the name before it.
    const text = 'He thanked Mr John Paul George Okafor The Guardian reported.';
    const a = analyse(text);
    assertMention(text, a, 'Mr John Paul George Okafor', 'person', { form: 'titled', rule: 'title', name: 'John Paul George Okafor', title: 'Mr' });
    const m = assertMention(text, a, 'The Guardian', 'organisation', { form: 'full', rule: 'masthead', name: 'The Guardian' });
    assert.equal(m.title, undefined);
    assertInvariants(text, a);
  });

  it('reads a name or an acronym\'s definition at the very end of a document without reading past it', () => {
    const cases: Array<[string, string | undefined, Partial<Mention> | undefined]> = [
      ['The meeting was chaired by Robert J.', 'Robert J', { type: 'person', form: 'full' }],
      ['Asked, she named Dr. A.', 'Dr. A', { type: 'person', form: 'titled', name: 'A', title: 'Dr' }],
      ['In the end it was Okafor-', undefined, undefined],
      ['Members of the NCC (National Constitutional Committee', 'NCC', { rule: 'acronym', expansion: undefined }],
    ];
    for (const [text, surface, fields] of cases) {
      const a = analyse(text);
      assertInvariants(text, a);
      if (surface === undefined) assert.deepEqual(a.mentions, [], text);
      else {
        const m = mentionAt(text, a, surface);
        assert.ok(m, `${text}: ${surface}`);
        for (const [k, v] of Object.entries(fields!)) assert.equal(m[k as keyof Mention], v, `${text}: ${k}`);
      }
    }
  });

  it('takes an acronym\'s definition in brackets only when they close on its line within twelve tokens', () => {
    const defined = 'Members of the NCC (National Constitutional Committee) met.';
    const a = analyse(defined);
    assertMention(defined, a, 'NCC', 'organisation', { form: 'acronym', rule: 'acronym-definition', expansion: 'National Constitutional Committee' });
    assertMention(defined, a, 'National Constitutional Committee', 'organisation', { rule: 'acronym-definition' });
    for (const text of [
      'Members of the NCC (National\nConstitutional Committee) met.',
      'Members of the NCC (one two three four five six seven eight nine ten eleven twelve thirteen) met.',
      'The NCC ( ) met.',
    ]) {
      const b = analyse(text);
      assertInvariants(text, b);
      assert.ok(!b.mentions.some((m) => m.rule === 'acronym-definition' || m.expansion !== undefined), `${text}: ${JSON.stringify(b.mentions)}`);
    }
  });

  it('reads a long run of leading ordinary words without error (the range is read on at most 12 times)', () => {
    const text = `${'The '.repeat(40)}Zorbex Group said so.`;
    const a = analyse(text);
    for (const m of a.mentions) assert.ok(!m.text.startsWith('The'), m.text);
    assertInvariants(text, a);
  });

  it('learns a family name from its token whatever its case or script (lower-cased from the token, not the text)', () => {
    const cases: Array<[string, string]> = [
      ['Jane MCALLISTER spoke first. Then MCALLISTER left.', 'MCALLISTER'],
      ['Peter O’Hare spoke. O’Hare said no.', 'O’Hare'],
      ['Peter Øvergård spoke. Later, Øvergård left.', 'Øvergård'],
      ['Peter ÖZTÜRK spoke. ÖZTÜRK left.', 'ÖZTÜRK'],
      ['Yesterday Margaret Okonkwo-Hale met the council. Later, Okonkwo-Hale spoke again.', 'Okonkwo-Hale'],
    ];
    for (const [text, family] of cases) {
      const a = analyse(text);
      assertMention(text, a, family, 'person', { form: 'family', rule: 'document-family' }, 1);
      assertInvariants(text, a);
    }
  });

  it('collapses any white space inside a titled name and its title, as /\\s+/ does, and drops the title\'s dot', () => {
    const cases: Array<[string, string, string, string]> = [
      ['Yesterday Dame\u2009Priya  Lakhani spoke.', 'Dame\u2009Priya  Lakhani', 'Priya Lakhani', 'Dame'],
      ['Later Dr.\u00a0Ortega\u2009Ruiz came.', 'Dr.\u00a0Ortega\u2009Ruiz', 'Ortega Ruiz', 'Dr'],
      ['Then Mr. \u200a J. Smith left.', 'Mr. \u200a J. Smith', 'J. Smith', 'Mr'],
      ['Sir\u3000Keir Starmer spoke.', 'Sir\u3000Keir Starmer', 'Keir Starmer', 'Sir'],
    ];
    for (const [text, surface, name, title] of cases) {
      const a = analyse(text);
      assertMention(text, a, surface, 'person', { form: 'titled', name, title });
      assertInvariants(text, a);
    }
  });

  it('reads each document alone when the names of several are found in turn (per-document answers are not carried over)', () => {
    const a = 'Members of Momentum met. Later, Momentum said no, and Labour MP Ian Austin agreed. Momentum group leaders left.';
    const b = 'Momentum is a word physicists use. Austin is a city. The group met in Austin.';
    const alone = [a, b].map((t) => JSON.stringify(findNames(gatherEvidence(t, tokenize(t)))));
    const evA = gatherEvidence(a, tokenize(a));
    const evB = gatherEvidence(b, tokenize(b));
    for (let round = 0; round < 2; round++) {
      assert.equal(JSON.stringify(findNames(evB)), alone[1]);
      assert.equal(JSON.stringify(findNames(evA)), alone[0]);
    }
  });
});
