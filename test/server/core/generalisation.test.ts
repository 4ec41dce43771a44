// Rules that carry recognition beyond the US name lists and the head-noun gazetteers: international given names,
// surnames alone in mid-sentence, names after offices and reporting verbs, "Name of the Organisation", company
// suffixes with their dot, "Department of X and Y", and well-known organisations. Fixtures are invented.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyse, assertInvariants, assertMention, assertNoMention, mentionAt } from './helpers-recognition';
import { isGivenName, isWordSurname, knownOrganisation } from '../../../server/src/core/lexicon';

describe('generalisation beyond the US name lists', () => {
  it('knows given names from outside the US, with and without diacritics', () => {
    for (const n of ['benoît', 'grzegorz', 'oleksandr', 'corrado', 'fátima', 'jinping', 'chukwuemeka']) assert.ok(isGivenName(n), n);
    const text = 'The report was written by Benoît Lavaux and Grzegorz Wiśniak, with help from Fátima Azevedo.';
    const a = analyse(text);
    assertMention(text, a, 'Benoît Lavaux', 'person', { form: 'full' });
    assertMention(text, a, 'Grzegorz Wiśniak', 'person', { form: 'full' });
    assertMention(text, a, 'Fátima Azevedo', 'person', { form: 'full' });
    assertInvariants(text, a);
  });

  it('takes a known family name alone in mid-sentence as a person, but not an everyday word, a place after "in", or an affiliation joined by "&"', () => {
    assert.ok(isWordSurname('brown') && isWordSurname('house') && !isWordSurname('merkel'));
    const text = 'The talks between Merkel and the unions failed. The office moved to Brown Street in Middleton, and Heywood & Walsh LLP advised.';
    const a = analyse(text);
    assertMention(text, a, 'Merkel', 'person', { rule: 'surname-alone', form: 'family' });
    assertNoMention(a, 'Middleton');
    const w = mentionAt(text, a, 'Walsh');
    assert.ok(!w || w.type !== 'person', 'Walsh after "&" is not a person alone');
  });

  it('takes a sentence-initial family name as a person when a verb follows it', () => {
    const text = 'The deal was signed on Monday.\nMerkel was in Brussels at the time.';
    const a = analyse(text);
    assertMention(text, a, 'Merkel', 'person', { rule: 'surname-alone' });
  });

  it('takes an unknown word with a possessive in mid-sentence as a person, but not after "at" or before a capitalised word', () => {
    const text = 'Critics praised Okwuosa\'s new novel. We met at Brannigan\'s after work, and read the Zorvex\'s Annual Report.';
    const a = analyse(text);
    assertMention(text, a, 'Okwuosa', 'person', { rule: 'possessive-single' });
    assertNoMention(a, 'Brannigan');
    const z = mentionAt(text, a, 'Zorvex');
    assert.ok(!z || z.type !== 'person', 'Zorvex before a capitalised word is not a person');
  });

  it('does not learn a family name from a weak "said Name Name" reading', () => {
    // "Harrowgate Vanguard" after "said" reads as a person, but is not confident enough to make "Vanguard" a family name.
    const text = 'The plan is wrong, said Harrowgate Vanguard. Later Vanguard met again.';
    const a = analyse(text);
    const f = mentionAt(text, a, 'Vanguard', 1);
    assert.ok(!f || f.type !== 'person', 'Vanguard alone is not a person');
  });

  it('spreads a single-word reading from context to the bare occurrences of the word in the document', () => {
    const text = 'The plan failed, Okwuosa said. Few people were surprised when Okwuosa resigned.\nOkwuosa declined to comment.';
    const a = analyse(text);
    assertMention(text, a, 'Okwuosa', 'person', { rule: 'said-single' });
    assertMention(text, a, 'Okwuosa', 'person', { rule: 'document-single' }, 1);
    assertMention(text, a, 'Okwuosa', 'person', {}, 2);
    assertInvariants(text, a);
  });

  it('reads an unknown word coordinated with a single-word person as a person', () => {
    const text = 'The summit ended, Merkel said. Talks between Merkel and Okafor resume in June.';
    const a = analyse(text);
    assertMention(text, a, 'Okafor', 'person', { rule: 'coordinated-single' });
    assertNoMention(a, 'June');
  });

  it('does not take a storm\'s name for a person', () => {
    const text = 'Power failed across the coast as Hurricane Maribel made landfall on Tuesday.';
    const a = analyse(text);
    assertNoMention(a, 'Maribel');
  });

  it('does not read a place named after a saint as a person ("St. Thomas", "St Helen")', () => {
    const text = 'Residents of St. Thomas Housing Estate met at St Helen on Friday.';
    const a = analyse(text);
    assertNoMention(a, 'Thomas');
    assertNoMention(a, 'Helen');
  });

  it('reads a bare name after an office as a person', () => {
    const text = 'Officials said President Okafor would visit. Later Foreign Minister Tariq Haddadin arrived, and coach Lindgren spoke.';
    const a = analyse(text);
    assertMention(text, a, 'Okafor', 'person', { rule: 'role-name' });
    assertMention(text, a, 'Tariq Haddadin', 'person');
    assertMention(text, a, 'Lindgren', 'person', { rule: 'role-name' });
    assertNoMention(a, 'President');
  });

  it('takes the name after an office even when the capitalised run goes on past a connector', () => {
    const text = 'The news came late: President Okafor on Tuesday named a new cabinet.';
    const a = analyse(text);
    assertMention(text, a, 'Okafor', 'person', { rule: 'role-name' });
    assertNoMention(a, 'Tuesday');
  });

  it('does not read an adjective role word as an office ("major Slavic tribes")', () => {
    const text = 'Several major Slavic tribes crossed the river.';
    const a = analyse(text);
    assertNoMention(a, 'Slavic');
  });

  it('reads an unfamiliar two-word name as a person beside a reporting verb', () => {
    const text = 'The plan is dead, " commented Oyelaran Adekunle, a local organiser.\nThe vote was close, according to Ximo Puigdellivol.';
    const a = analyse(text);
    assertMention(text, a, 'Oyelaran Adekunle', 'person');
    assertMention(text, a, 'Ximo Puigdellivol', 'person', { rule: 'said-name' });
  });

  it('reads a name before an apposition whose role comes after a few modifiers', () => {
    const text = 'The talks stalled over funding, according to reports. Oyelaran Adekunle, a senior Harbour Union official, disagreed.';
    const a = analyse(text);
    assertMention(text, a, 'Oyelaran Adekunle', 'person', { rule: 'role-apposition' });
  });

  it('keeps a person apart from the organisation after "of"', () => {
    const text = 'The BBC reported it first. Later Anthony Marsh of the BBC confirmed the story. We welcome Diane Kelso to Reuters.';
    const a = analyse(text);
    assertMention(text, a, 'Anthony Marsh', 'person');
    assertMention(text, a, 'BBC', 'organisation', {}, 1);
    assertMention(text, a, 'Diane Kelso', 'person');
    assertMention(text, a, 'Reuters', 'organisation');
  });

  it('keeps the dot of an abbreviated company suffix, and joins "Department of X and Y"', () => {
    const text = 'Shares of Hollis Widget Corp. rose. The Department of Housing and Urban Renewal objected.';
    const a = analyse(text);
    assertMention(text, a, 'Hollis Widget Corp.', 'organisation');
    assertMention(text, a, 'Department of Housing and Urban Renewal', 'organisation');
    assertInvariants(text, a);
  });

  it('does not read shouted capitals or "West Bank" as organisations, but keeps "Name ACRONYM"', () => {
    const text = 'PLEASE NOTE the deadline. Settlers in the West Bank protested.\nShe joined Hallam Tenants TRU last year.';
    const a = analyse(text);
    assertNoMention(a, 'PLEASE');
    assertNoMention(a, 'West Bank');
    assertMention(text, a, 'Hallam Tenants TRU', 'organisation', { rule: 'org-acronym-head' });
  });

  it('reads business head nouns and a lower-case kind of organisation before a name', () => {
    const text = 'Shares in Corvant Pharmaceuticals fell after the imaging company Keyloft cut its forecast.';
    const a = analyse(text);
    assertMention(text, a, 'Corvant Pharmaceuticals', 'organisation', { rule: 'org-head' });
    assertMention(text, a, 'Keyloft', 'organisation', { rule: 'org-context' });
  });

  it('knows well-known organisations of general knowledge, and not ambiguous ones', () => {
    assert.equal(knownOrganisation('NASA'), 'National Aeronautics and Space Administration');
    assert.equal(knownOrganisation('Pentagon'), 'Pentagon');
    assert.equal(knownOrganisation('Ford'), undefined);
    assert.equal(knownOrganisation('Chelsea'), undefined);
    const text = 'A spokesman for NASA said the launch would go ahead, and Boeing agreed.';
    const a = analyse(text);
    assertMention(text, a, 'NASA', 'organisation');
    assertMention(text, a, 'Boeing', 'organisation');
  });
});
