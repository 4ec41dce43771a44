import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyse, assertInvariants, assertMention, assertNoMention, mentionAt } from './helpers-recognition';
import { handleFits, handleKey, handleKeyFits, sexOf } from '../../../server/src/core/people';

describe('people', () => {
  it('finds full names by a known given name, and keeps the name only', () => {
    const text = 'Yesterday Margaret Okonkwo-Hale met the council. Later, Okonkwo-Hale spoke again.';
    const a = analyse(text);
    assertMention(text, a, 'Margaret Okonkwo-Hale', 'person', { form: 'full', name: 'Margaret Okonkwo-Hale' });
    assertMention(text, a, 'Okonkwo-Hale', 'person', { form: 'family' }, 1);
    assertInvariants(text, a);
  });

  it('includes honorifics in the span and reports name and title separately', () => {
    const text = 'Mr Dunmore said no. Dame Priya Lakhani agreed with Dr. Ortega.';
    const a = analyse(text);
    assertMention(text, a, 'Mr Dunmore', 'person', { form: 'titled', name: 'Dunmore', title: 'Mr' });
    assertMention(text, a, 'Dame Priya Lakhani', 'person', { form: 'titled', name: 'Priya Lakhani', title: 'Dame' });
    assertMention(text, a, 'Dr. Ortega', 'person', { form: 'titled', name: 'Ortega', title: 'Dr' });
  });

  it('keeps a peerage\'s "of X" in the span', () => {
    const text = 'The bill was drafted by Lord Brackwell of Tenby last year.';
    const a = analyse(text);
    assertMention(text, a, 'Lord Brackwell of Tenby', 'person', { form: 'titled', title: 'Lord' });
  });

  it('leaves out a possessive', () => {
    const text = 'Susan Pike’s plan was praised. Pike\'s allies cheered.';
    const a = analyse(text);
    assertMention(text, a, 'Susan Pike', 'person');
    assertMention(text, a, 'Pike', 'person', { form: 'family' }, 1);
    assertNoMention(a, '’s');
  });

  it('resolves a family name and a given name alone after a full name in the same document', () => {
    const text = 'Thomas Ashcombe won. Supporters of Ashcombe cheered, and Thomas thanked them.';
    const a = analyse(text);
    assertMention(text, a, 'Ashcombe', 'person', { form: 'family', rule: 'document-family' }, 1);
    assertMention(text, a, 'Thomas', 'person', { form: 'given' }, 1);
  });

  it('finds a name used as a modifier ("Ashcombe-backing")', () => {
    const text = 'Thomas Ashcombe spoke. The Ashcombe-backing group grew.';
    const a = analyse(text);
    assertMention(text, a, 'Ashcombe', 'person', {}, 1);
  });

  it('splits a job title off the name ("Green MP Sara Quayle")', () => {
    const text = 'The motion was tabled by Green MP Sara Quayle on Monday.';
    const a = analyse(text);
    assertMention(text, a, 'Sara Quayle', 'person');
    assertNoMention(a, 'MP');
  });

  it('takes a name with an unknown given name when a job description stands beside it', () => {
    const text = 'The mural by street artist Zorvan Kettle was removed. Ulfric Banes, spokesman for the trust, declined to comment.';
    const a = analyse(text);
    assertMention(text, a, 'Zorvan Kettle', 'person', { rule: 'role-apposition' });
    assertMention(text, a, 'Ulfric Banes', 'person');
  });

  it('keeps particles and initials inside a name', () => {
    const text = 'Anna van der Berg and Robert J. Mallory signed.';
    const a = analyse(text);
    assertMention(text, a, 'Anna van der Berg', 'person');
    assertMention(text, a, 'Robert J. Mallory', 'person');
  });

  it('reads handles as people and ties "Name (@handle)" together', () => {
    const text = 'Great rally today! — Harriet Vance (@hvance) 3 May\nLater @hvance posted again.';
    const a = analyse(text);
    const h = assertMention(text, a, '@hvance', 'person', { form: 'handle' });
    assert.equal(h.expansion, 'Harriet Vance');
    assertMention(text, a, '@hvance', 'person', { form: 'handle' }, 1);
  });

  it('does not take capitalised ordinary words for names', () => {
    const text = 'Holocaust Memorial Day was marked.\nShare via\nRead Full Story\nPost a Comment';
    const a = analyse(text);
    assert.deepEqual(a.mentions.filter((m) => m.type === 'person').map((m) => m.text), []);
  });

  it('does not take a sentence-initial ordinary word into a name', () => {
    const text = 'Membership grew fast. Membership of the Green Party doubled, and membership is rising.';
    const a = analyse(text);
    assertMention(text, a, 'Green Party', 'organisation');
  });

  it('honours what the corpus knows (options.known)', () => {
    const text = 'Yesterday Quillfeather left early.';
    const known = { typeOf: (n: string) => (n === 'Quillfeather' ? ('person' as const) : undefined) };
    const a = analyse(text, { known });
    assertMention(text, a, 'Quillfeather', 'person', { rule: 'corpus' });
    const b = analyse(text);
    assert.equal(mentionAt(text, b, 'Quillfeather'), undefined, 'without corpus evidence the single word is left alone');
  });

  it('reads a single unknown word as a person when it says something or is described by "who"', () => {
    const text = '“It was a mistake,” Vantrell said. The fault lies elsewhere, says Ostrowe. Pelham, who led the inquiry, agreed.';
    const a = analyse(text);
    assertMention(text, a, 'Vantrell', 'person', { rule: 'said-single' });
    assertMention(text, a, 'Ostrowe', 'person', { rule: 'said-single' });
    assertMention(text, a, 'Pelham', 'person', { rule: 'said-single' });
    const org = 'Greenpeace said the plan would fail.';
    assertMention(org, analyse(org), 'Greenpeace', 'organisation');
  });

  it('reads a common given name alone as a person, but not a place, an everyday word or a part of a name', () => {
    const text = 'Thanks for the files.\nRenee\nWe sailed up the Clyde and crossed the Potomac River. Will they come? They said Grace is coming too.';
    const a = analyse(text);
    assertMention(text, a, 'Renee', 'person', { form: 'given', rule: 'given-name-alone' });
    for (const w of ['Clyde', 'River', 'Will']) assertNoMention(a, w);
    assertMention(text, a, 'Grace', 'person');
  });

  it('does not read places as people', () => {
    const text = 'She flew from San Diego to Hong Kong, then drove through North Carolina to Chapel Hill and Wall Street. Paris was next; Jordan Street is closed.';
    const a = analyse(text);
    assert.deepEqual(a.mentions.filter((m) => m.type === 'person').map((m) => m.text), []);
  });

  it('splits a run of names written without commas', () => {
    const text = 'Attendees:\nPam Butler Renee Ratcliff Larry Lewis\nThanks, Phillip Phillip';
    const a = analyse(text);
    for (const n of ['Pam Butler', 'Renee Ratcliff', 'Larry Lewis']) assertMention(text, a, n, 'person');
    assertNoMention(a, 'Phillip Phillip');
  });

  it('reads a signatory list: names first, affiliations after the comma', () => {
    const text = [
      'We, the undersigned, call for change.',
      'Tamsin Crowe, Northfield CLP',
      'Dewi Arkwright, Hollins Unison branch, Riverside Momentum',
      'Pell Ashdown Eastgate and Marsh CLP',
      'Ollie Brandt',
      'Jude Farrant, Momentum',
    ].join('\n');
    const a = analyse(text);
    assertMention(text, a, 'Tamsin Crowe', 'person');
    assertMention(text, a, 'Northfield CLP', 'organisation');
    assertMention(text, a, 'Dewi Arkwright', 'person');
    assertMention(text, a, 'Riverside Momentum', 'organisation');
    assertMention(text, a, 'Pell Ashdown', 'person');
    assertMention(text, a, 'Eastgate and Marsh CLP', 'organisation');
    assertMention(text, a, 'Ollie Brandt', 'person');
    assertMention(text, a, 'Momentum', 'organisation', {}, 1);
  });

  it('fits a handle to a name the same way when the handle is prepared once for many names', () => {
    const names = ['Jeremy Corbyn', 'Ann Lee', 'Margaret Okonkwo-Hale', 'Jo Bo', 'Ángel Núñez'];
    for (const handle of ['@jeremycorbyn', '@Corbyn_2019', '@okonkwohale', '@margaretokonkwo-hale', '@jo', '@leeann', '@angelnunez', '@ángelnúñez']) {
      const key = handleKey(handle);
      for (const name of names) assert.equal(handleKeyFits(key, name), handleFits(handle, name), `${handle} ${name}`);
    }
    assert.ok(handleFits('@Corbyn_2019', 'Jeremy Corbyn'));
    assert.ok(!handleFits('@jo', 'Jo Bo'));
  });

  it('takes the sex a person mention implies from its title, else its first name', () => {
    const person = (name: string, title?: string) => ({ start: 0, end: 1, text: name, type: 'person' as const, form: 'full' as const, name, rule: 'r', confidence: 1, ...(title ? { title } : {}) });
    assert.equal(sexOf(person('Anna Reyes')), 'F');
    assert.equal(sexOf(person('Tom')), 'M');
    assert.equal(sexOf(person('Reyes', 'Mrs')), 'F');
    assert.equal(sexOf(person('Quillfeather')), undefined);
    assert.equal(sexOf({ ...person('Anna Reyes'), type: 'organisation' }), undefined);
  });
});
