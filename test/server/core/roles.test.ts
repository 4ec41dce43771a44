import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyse } from './helpers-recognition';

function roles(text: string): Record<string, string[]> {
  const a = analyse(text);
  const out: Record<string, string[]> = {};
  for (const r of a.roles) (out[a.mentions[r.mention]!.text] ??= []).push(r.text);
  return out;
}

describe('roles', () => {
  it('reads descriptors before a name', () => {
    assert.deepEqual(roles('Green MP Sara Quayle and general secretary Tom Hartley met former justice secretary Lord Brackwell.'), {
      'Sara Quayle': ['Green MP'],
      'Tom Hartley': ['general secretary'],
      'Lord Brackwell': ['former justice secretary'],
    });
  });

  it('reads an apposition after a name', () => {
    assert.deepEqual(roles('Ulfric Banes, spokesman for the Coastal Rowing Club, said no.'), { 'Ulfric Banes': ['spokesman for the Coastal Rowing Club'] });
    assert.deepEqual(roles('Mo Farrant, the co-convener who resigned, spoke.'), { 'Mo Farrant': ['co-convener'] });
  });

  it('does not read a list after a name as its role', () => {
    assert.deepEqual(roles('The memo went to Priya Halden, the shadow cabinet and staff on the Finance Committee.'), {});
    assert.deepEqual(roles('Tilda Marsh, the deputy leader and a close ally, agreed.'), { 'Tilda Marsh': ['deputy leader'] });
  });

  it('does not take the end of the previous line as a role', () => {
    const r = roles('Signed:\nAda Quill, Harbour Campaigner\nBen Rook, Fenwick CLP\n');
    assert.equal(r['Ben Rook'], undefined);
  });

  it('starts a role before a name after any possessive or hyphen that leads its run', () => {
    assert.deepEqual(roles("Yesterday Labour's - deputy leader Jane Okafor said so."), { 'Jane Okafor': ['deputy leader'] });
    assert.deepEqual(roles("Labour's shadow-chancellor Jane Okafor said so."), { 'Jane Okafor': ["Labour's shadow-chancellor"] });
  });

  it('reads an apposition before a name set off by a comma', () => {
    assert.deepEqual(roles('The president of the Guild of Master Printers, Ada Ferris, responded.'), { 'Ada Ferris': ['president of the Guild of Master Printers'] });
  });
});
