import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CorpusIndex } from '../../../server/src/core/index';
import { scanFolder, ScanError } from '../../../server/src/node/scan';
import { fakeAnalyzer, LEXICON } from '../core/fake-analyzer';
import { tempTree } from '../../helpers/tempTree';

const analyze = fakeAnalyzer(LEXICON);
const tree = (files: Record<string, string | Uint8Array>) => tempTree(files, 'cn-scan-');

const corpus = {
  'one.txt': 'Jeremy Corbyn spoke. Mr Corbyn said "We will win."',
  'two/two.md': 'Corbyn replied. The Jewish Labour Movement (JLM) disagreed.',
  'three.txt': '\ufeffJLM wrote again.',
  'binary.txt': new Uint8Array([0x48, 0x00, 0x00, 0x01]),
  'huge.txt': 'x'.repeat(300),
};

describe('scanFolder', () => {
  it('fills an index: files, skip reasons, aliases across files, progress', async () => {
    const root = tree(corpus);
    const progress: Array<[number, number]> = [];
    const r = await scanFolder(root, { maxFileSize: 200 }, { index: new CorpusIndex({ analyze }), onProgress: (d, t) => progress.push([d, t]) });
    assert.deepEqual(r.index.documents(), ['one.txt', 'three.txt', 'two/two.md']);
    assert.deepEqual(
      r.index.skipped().map((s) => [s.doc, s.reason.split(':')[0]]),
      [
        ['binary.txt', 'binary file'],
        ['huge.txt', 'too large'],
      ],
    );
    assert.equal(r.listed, 5);
    assert.equal(r.indexed, 3);
    assert.equal(r.cancelled, false);
    assert.deepEqual(progress[0], [0, 5]);
    assert.deepEqual(progress[progress.length - 1], [5, 5]);
    assert.ok(progress.every(([d], i) => i === 0 || d === progress[i - 1][0] + 1));
    const corbyn = r.index.entity('person:jeremy-corbyn')!;
    assert.equal(corbyn.fileCount, 2);
    assert.equal(r.index.entity('organisation:jewish-labour-movement')!.fileCount, 2);
    // The BOM is removed: offsets count from the first character after it.
    const jlm = r.index.mentionsIn('three.txt')[0].mention;
    assert.equal(jlm.start, 0);
  });

  it('settings problems are reported and defaults used', async () => {
    const root = tree({ 'a.txt': 'Corbyn' });
    const r = await scanFolder(root, { include: ['**/[oops'], maxFileSize: -1 }, { index: new CorpusIndex({ analyze }) });
    assert.equal(r.problems.length, 3);
    assert.deepEqual(r.index.documents(), ['a.txt']);
  });

  it('can be cancelled between files', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 20; i++) files[`f${String(i).padStart(2, '0')}.txt`] = 'Corbyn';
    const root = tree(files);
    let done = 0;
    const r = await scanFolder(root, {}, { index: new CorpusIndex({ analyze }), concurrency: 1, onProgress: (d) => (done = d), isCancelled: () => done >= 5 });
    assert.equal(r.cancelled, true);
    assert.equal(r.index.documents().length, 5);
  });

  it('an injected (asynchronous) analyser is used, and one that fails skips just its file', async () => {
    const root = tree({ 'a.txt': 'Jeremy Corbyn', 'b.txt': 'boom' });
    const seen: string[] = [];
    const r = await scanFolder(root, {}, {
      index: new CorpusIndex({ analyze: () => assert.fail('the index analyser must not be used') }),
      analyze: async (text, file) => {
        seen.push(file.path);
        if (text === 'boom') throw new Error('worker crashed');
        return analyze(text);
      },
    });
    assert.deepEqual(seen.sort(), ['a.txt', 'b.txt']);
    assert.deepEqual(r.index.documents(), ['a.txt']);
    assert.deepEqual(r.index.skipped(), [{ doc: 'b.txt', reason: 'analysis failed: worker crashed' }]);
  });

  it('document keys can be chosen (the language server uses URIs)', async () => {
    const root = tree({ 'a.txt': 'Corbyn' });
    const r = await scanFolder(root, {}, { index: new CorpusIndex({ analyze }), docKey: (f) => `file://${f.abs}` });
    assert.deepEqual(r.index.documents(), [`file://${join(root, 'a.txt')}`]);
  });

  it('a missing folder or a file instead of a folder is a ScanError with a clear message', async () => {
    const root = tree({ 'a.txt': 'x' });
    await assert.rejects(scanFolder(join(root, 'missing')), (e) => e instanceof ScanError && /no such file or folder/.test(e.message));
    await assert.rejects(scanFolder(join(root, 'a.txt')), (e) => e instanceof ScanError && /not a folder/.test(e.message));
  });
});
