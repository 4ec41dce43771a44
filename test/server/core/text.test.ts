import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { decodeText, unshared } from '../../../server/src/core/text';

const utf8 = (s: string) => new TextEncoder().encode(s);

test('UTF-8 decodes as is; a BOM is removed so offsets match the editor', () => {
  const r = decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('Mr Corbyn said')]));
  assert.ok(r.ok);
  assert.equal(r.text, 'Mr Corbyn said');
  assert.equal(r.bom, true);
});

test('invalid UTF-8 becomes replacement characters, counted, and the text keeps its length', () => {
  const r = decodeText(new Uint8Array([...utf8('Jo'), 0xc3, 0x28, ...utf8(' Lansman')]));
  assert.ok(r.ok);
  assert.equal(r.replaced, 1);
  assert.equal(r.text, 'Jo\uFFFD( Lansman');
});

test('UTF-16 with a BOM decodes in both byte orders', () => {
  const s = 'Keir Starmer “said”';
  const le = new Uint8Array(2 + s.length * 2);
  le.set([0xff, 0xfe]);
  const be = new Uint8Array(2 + s.length * 2);
  be.set([0xfe, 0xff]);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    le[2 + 2 * i] = c & 0xff;
    le[3 + 2 * i] = c >> 8;
    be[2 + 2 * i] = c >> 8;
    be[3 + 2 * i] = c & 0xff;
  }
  for (const bytes of [le, be]) {
    const r = decodeText(bytes);
    assert.ok(r.ok);
    assert.equal(r.text, s);
  }
});

test('binary files are skipped with a reason', () => {
  const png = decodeText(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]));
  assert.deepEqual(png, { ok: false, reason: 'binary file: a PNG image' });
  const nul = decodeText(new Uint8Array([...utf8('text'), 0, ...utf8('more')]));
  assert.equal(nul.ok, false);
  assert.match((nul as { reason: string }).reason, /NUL/);
});

test('an empty file is empty text, not an error', () => {
  const r = decodeText(new Uint8Array());
  assert.ok(r.ok);
  assert.equal(r.text, '');
});

test('unshared: a kept slice of a long text does not keep the text alive', () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  const before = v8.getHeapStatistics().used_heap_size;
  const kept: string[] = [];
  for (let i = 0; i < 40; i++) {
    const doc = `Dr Amelia Okonkwo-Brandt ${i} said `.repeat(50_000); // ~1.6 MB each
    kept.push(unshared(`person\u0001${doc.slice(3, 31)}`)); // a concatenation holding a slice of the document
  }
  gc();
  gc();
  const grown = v8.getHeapStatistics().used_heap_size - before;
  assert.equal(kept[7], 'person\u0001Amelia Okonkwo-Brandt 7 said');
  assert.equal(unshared('short'), 'short');
  assert.equal(unshared(''), '');
  assert.ok(grown < 16 * 1024 * 1024, `heap grew by ${(grown / 1048576).toFixed(1)} MB: the copies keep their documents`);
});

test('unshared: gives the same string back, odd characters included, as one object per kept string', () => {
  for (const s of ['person\u0001Amelia Okonkwo-Brandt', 'lone \ud800 high and \udc00 low surrogates', 'quotes " and \\ backslash \n\t', 'emoji \u{1F600} in a long name']) {
    assert.equal(unshared(s), s);
  }
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const doc = Array.from({ length: 4000 }, (_, i) => `Person Number${i} of the Example Organisation`).join('. ');
  const heldBy = (copy: (s: string) => string): number => {
    gc();
    gc();
    const before = v8.getHeapStatistics().used_heap_size;
    const kept: string[] = [];
    for (let i = 0; i + 40 < doc.length && kept.length < 40_000; i += 3) kept.push(copy(doc.slice(i, i + 30)));
    gc();
    gc();
    const grown = v8.getHeapStatistics().used_heap_size - before;
    assert.equal(kept.length, 40_000);
    return grown;
  };
  const slicedCopy = (s: string): string => (' ' + s).slice(1);
  heldBy(slicedCopy); // (what an earlier test left is collected first)
  const sliced = heldBy(slicedCopy);
  const ours = heldBy(unshared);
  // 40,000 strings of 30 characters: the slice of a flattened copy is two objects, ~30 bytes more than one flat string.
  assert.ok(sliced - ours > 40_000 * 16, `unshared ${ours} bytes, a slice of a copy ${sliced} bytes, for 40,000 strings`);
});
