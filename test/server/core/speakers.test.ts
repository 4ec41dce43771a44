import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyse, quoteOf, speakerOf } from './helpers-recognition';

function speakers(text: string): Record<string, string> {
  const a = analyse(text);
  return Object.fromEntries(a.quotes.map((q) => [q.text, speakerOf(a, q)]));
}

describe('speakers', () => {
  it('reads "X said:" before and ",” X said" / ",” said X" after', () => {
    const s = 'Karen Whitlow said: "We are ready."\n"It will pass," Mr Dalby said.\n"Not yet," said Olga Brenner.';
    assert.deepEqual(speakers(s), { 'We are ready.': 'Karen Whitlow', 'It will pass,': 'Mr Dalby', 'Not yet,': 'Olga Brenner' });
  });

  it('reads told/added/warned and partial quotes in reported speech', () => {
    const s = 'Green MP Sara Quayle told the BBC that the plan was "a disgrace" and warned of "chaos".';
    const a = analyse(s);
    assert.equal(speakerOf(a, quoteOf(s, a, 'a disgrace')), 'Sara Quayle');
    assert.equal(speakerOf(a, quoteOf(s, a, 'chaos')), 'Sara Quayle');
  });

  it('reads "according to X"', () => {
    assert.deepEqual(speakers('The deal is "dead", according to Paul Strand.'), { 'dead': 'Paul Strand' });
  });

  it('reads an apposition between subject and verb', () => {
    const s = 'Ulfric Banes, spokesman for the Coastal Rowing Club, said: "We object."';
    assert.deepEqual(speakers(s), { 'We object.': 'Ulfric Banes' });
    const t = 'The chair of the Coastal Rowing Club, Ada Ferris, responded: "No comment."';
    assert.deepEqual(speakers(t), { 'No comment.': 'Ada Ferris' });
  });

  it('resolves he/she to the most recent fitting person or speaker', () => {
    const s = 'Mr Dalby met Ms Rowe on Friday.\n"It went well," she said.\n"We agreed a lot," he added.';
    assert.deepEqual(speakers(s), { 'It went well,': 'Ms Rowe', 'We agreed a lot,': 'Mr Dalby' });
  });

  it('keeps unnamed speakers as descriptors, even when an organisation is named', () => {
    const s = 'A Green Party spokesman said: "No."\nA spokesperson for the Federation of Small Bakers said: "Yes."\nOne member wrote: "Maybe."\nAnother replied: "Never."';
    assert.deepEqual(speakers(s), {
      'No.': 'D:A Green Party spokesman',
      'Yes.': 'D:A spokesperson for the Federation of Small Bakers',
      'Maybe.': 'D:One member',
      'Never.': 'D:Another',
    });
  });

  it('reads "the member wrote" as the member introduced before', () => {
    const s = 'One member said they had been invited.\n“I might go,” the member wrote. “What do you think?”';
    assert.deepEqual(speakers(s), { 'I might go,': 'D:One member', 'What do you think?': 'D:One member' });
  });

  it('gives a quotation paragraph after an attributed one the same speaker', () => {
    const s = '"We expected more," added Ruth Ellery from Northfield CLP.\n\n"We hope for better next time."';
    assert.deepEqual(speakers(s), { 'We expected more,': 'Ruth Ellery', 'We hope for better next time.': 'Ruth Ellery' });
  });

  it('gives a headline quotation the speaker of the same words in the body', () => {
    const s = "'A dreadful week'\nCouncillor Ian Pettifer said it had been \"a dreadful week\" for the town.";
    assert.deepEqual(speakers(s), { 'A dreadful week': 'Ian Pettifer', 'a dreadful week': 'Ian Pettifer' });
  });

  it('attributes a document\'s words to who wrote it', () => {
    const s = 'The letter - drawn up by the Guild of Master Printers - said there had been "a failure".\nIt accuses the council of "neglect".';
    assert.deepEqual(speakers(s), { 'a failure': 'Guild of Master Printers', 'neglect': 'Guild of Master Printers' });
  });

  it('reads a possessive claim ("Ms Rowe\'s claim that …")', () => {
    const s = 'He rejected Ms Rowe\'s claim that the board is "out of touch".';
    assert.deepEqual(speakers(s), { 'out of touch': 'Ms Rowe' });
  });

  it('does not give a quotation to an unrelated later clause', () => {
    const s = 'One member accused the board of a “cover-up” while another accused it of “tyranny”.';
    const out = speakers(s);
    assert.equal(out['tyranny'], 'D:another');
    assert.notEqual(out['cover-up'], 'D:another');
  });

  it('fits he/she to people by sex, several pronouns in one document', () => {
    const s = 'Mark Twain wrote. “We go,” she said. Anna Reyes spoke. “No,” she said. “Yes,” he said.';
    const out = speakers(s);
    assert.equal(out['No,'], 'Anna Reyes');
    assert.equal(out['Yes,'], 'Mark Twain');
    assert.equal(out['We go,'], '-');
    assert.deepEqual(speakers('Anna Reyes met Tom Okafor. “It is over,” she said.'), { 'It is over,': 'Anna Reyes' });
    assert.deepEqual(speakers('Anna Reyes met Tom Okafor. “It is over,” he said.'), { 'It is over,': 'Tom Okafor' });
  });
});
