import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { abbreviates } from '../../../server/src/core/organisations';
import { analyse, assertInvariants, assertMention, assertNoMention, mentionAt } from './helpers-recognition';

describe('organisations', () => {
  it('finds multi-word names by their head noun, without a leading "the"', () => {
    const text = 'The Northern Teachers Association met the Federation of Small Bakers and the Coastal Rowing Club.';
    const a = analyse(text);
    assertMention(text, a, 'Northern Teachers Association', 'organisation', { form: 'full', rule: 'org-head' });
    assertMention(text, a, 'Federation of Small Bakers', 'organisation');
    assertMention(text, a, 'Coastal Rowing Club', 'organisation');
    assertInvariants(text, a);
  });

  it('keeps a long name with "of" as one span', () => {
    const text = 'A letter from the Guild of Master Printers of Greater Lowmoor arrived.';
    const a = analyse(text);
    assertMention(text, a, 'Guild of Master Printers of Greater Lowmoor', 'organisation');
  });

  it('joins names with "and"/"&" only when they form one organisation', () => {
    const text = 'Staff at Harrow & Wealdstone CLP and the Pensioners Action Group met the Commission for Health and Social Care.';
    const a = analyse(text);
    assertMention(text, a, 'Harrow & Wealdstone CLP', 'organisation');
    assertMention(text, a, 'Pensioners Action Group', 'organisation');
    const b = analyse('The Miners Union and the Dockers Union marched.');
    assertMention('The Miners Union and the Dockers Union marched.', b, 'Miners Union', 'organisation');
    assertMention('The Miners Union and the Dockers Union marched.', b, 'Dockers Union', 'organisation');
  });

  it('finds a company by its suffix', () => {
    const text = 'Shares in Vantorel Holdings Ltd fell.';
    const a = analyse(text);
    assertMention(text, a, 'Vantorel Holdings Ltd', 'organisation');
  });

  it('makes "Name (ACRONYM)" two mentions sharing the expansion, both ways round', () => {
    const text = 'The Coalition Against Noise Pollution (CANP) complained. Later the NSB (National Safety Board) replied. CANP said more.';
    const a = analyse(text);
    const long = assertMention(text, a, 'Coalition Against Noise Pollution', 'organisation', { rule: 'acronym-definition' });
    const acr = assertMention(text, a, 'CANP', 'organisation', { form: 'acronym' });
    assert.equal(long.expansion, 'Coalition Against Noise Pollution');
    assert.equal(acr.expansion, 'Coalition Against Noise Pollution');
    assertMention(text, a, 'NSB', 'organisation', { expansion: 'National Safety Board' });
    assertMention(text, a, 'National Safety Board', 'organisation');
    assertMention(text, a, 'CANP', 'organisation', { form: 'acronym' }, 1);
  });

  it('defines an acronym from a long form with lower-case words ("Stand up for X (SUFX)")', () => {
    assert.ok(abbreviates('SUTR', ['Stand', 'up', 'to', 'Racism']));
    assert.ok(abbreviates('LAAS', ['Labour', 'Against', 'Antisemitism']));
    assert.ok(!abbreviates('EHRC', ['the', 'Labour', 'Party']));
  });

  it('takes all-capital acronyms but not shouted words, offices or countries', () => {
    const text = 'EXCLUSIVE: The RMT and the NUJ met in the UK. LONDON, MARCH 3 - London was calm. The CEO and MP left. It is a TRAP.';
    const a = analyse(text);
    assertMention(text, a, 'RMT', 'organisation', { form: 'acronym' });
    assertMention(text, a, 'NUJ', 'organisation');
    for (const w of ['EXCLUSIVE', 'UK', 'LONDON', 'MARCH', 'CEO', 'MP', 'TRAP']) assertNoMention(a, w);
  });

  it('needs evidence for a two-letter acronym: "the", a second use, or a photo credit', () => {
    const text = 'She moved to NY. Shares rose, the FA said. (Photo: Jane Doe/PA) Later the FA met again.';
    const a = analyse(text);
    assertNoMention(a, 'NY');
    assertMention(text, a, 'FA', 'organisation');
    assertMention(text, a, 'PA', 'organisation');
    const dotted = 'He lives in the U.S. and works for the U.N.';
    assert.deepEqual(analyse(dotted).mentions.map((m) => m.text), []);
  });

  it('does not take shouted words for acronyms', () => {
    const text = 'PLEASE HELP ME NOW, the deadline is WEDNESDAY. The GMB union agreed.';
    const a = analyse(text);
    assert.deepEqual(a.mentions.map((m) => m.text), ['GMB']);
  });

  it('learns an all-capitals affiliation from a list and reads it elsewhere', () => {
    const text = ['Signed:', 'Ann Teller, Press Officer, NUPE', 'Bo Carr, Leeds CLP', 'Cy Dunn, Hull CLP', 'Di Eyre, NUPE member'].join('\n');
    const a = analyse(text);
    assertMention(text, a, 'NUPE', 'organisation');
    assertMention(text, a, 'NUPE', 'organisation', {}, 1);
  });

  it('reads a capitalised word as an organisation from its context, then everywhere in the document', () => {
    const text = 'Members of Brightwater voted. The Brightwater group grew. Brightwater is popular.';
    const a = analyse(text);
    assertMention(text, a, 'Brightwater', 'organisation', { rule: 'org-context' });
    assertMention(text, a, 'Brightwater', 'organisation', {}, 1);
    assertMention(text, a, 'Brightwater', 'organisation', {}, 2);
  });

  it('keeps an organisation used as a modifier and a local branch as one span', () => {
    const text = 'Labour MPs met. Northfield Labour and Young Labour objected, as did a Labour councillor.';
    const a = analyse(text);
    assertMention(text, a, 'Labour', 'organisation', { form: 'name' });
    assertMention(text, a, 'Northfield Labour', 'organisation');
    assertMention(text, a, 'Young Labour', 'organisation');
  });

  it('keeps "The" of a masthead only', () => {
    const text = 'The report was obtained by The Clarion Times. The Labour Party denied it.';
    const a = analyse(text);
    assertMention(text, a, 'The Clarion Times', 'organisation', { rule: 'masthead' });
    assertMention(text, a, 'Labour Party', 'organisation');
    const b = analyse('It was first reported by The Times.');
    assertMention('It was first reported by The Times.', b, 'The Times', 'organisation');
  });

  it('reads a capitalised domain as an outlet', () => {
    const text = 'One member told Newsdesk.co.uk that they would leave. See pic.example.com/xyz';
    const a = analyse(text);
    assertMention(text, a, 'Newsdesk.co.uk', 'organisation', { rule: 'domain' });
    assertNoMention(a, 'pic.');
  });

  it('does not annotate nationalities, religions or ideologies', () => {
    const text = 'Jewish and Muslim leaders, British Jews and Zionist groups met. The anti-Semitism row grew.';
    const a = analyse(text);
    assert.deepEqual(a.mentions.map((m) => m.text), []);
    assert.equal(mentionAt(text, a, 'Semitism'), undefined);
  });
});
