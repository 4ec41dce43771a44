import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { toScanSettings, validateSettings } from '../../../server/src/lsp/config';
import { documentKey, isInside, keyToPath, pathToKey } from '../../../server/src/lsp/uris';
import { DEFAULT_SETTINGS as SCAN_DEFAULTS } from '../../../server/src/node/settings';
import { DEFAULT_SETTINGS } from '../../../server/src/protocol';

describe('settings from the client', () => {
  test('the shared defaults are the scan\'s defaults (in megabytes)', () => {
    assert.deepEqual(toScanSettings(DEFAULT_SETTINGS), SCAN_DEFAULTS);
    assert.deepEqual(validateSettings(undefined), { settings: DEFAULT_SETTINGS, problems: [] });
  });

  const cases: Array<{ name: string; raw: unknown; check: (s: ReturnType<typeof validateSettings>) => void }> = [
    { name: 'good values are kept', raw: { include: ['*.txt'], exclude: [], maxFileSize: 2.5, useGitignore: false, followSymlinks: true }, check: ({ settings, problems }) => {
      assert.deepEqual(settings, { include: ['*.txt'], exclude: [], maxFileSize: 2.5, useGitignore: false, followSymlinks: true });
      assert.deepEqual(problems, []);
    } },
    { name: 'maxFileSize is in megabytes', raw: { maxFileSize: 3 }, check: ({ settings }) => assert.equal(toScanSettings(settings).maxFileSize, 3 * 1024 * 1024) },
    { name: 'a negative size gives the default and a message', raw: { maxFileSize: -1 }, check: ({ settings, problems }) => {
      assert.equal(settings.maxFileSize, DEFAULT_SETTINGS.maxFileSize);
      assert.match(problems.join(), /^corpusNavigator\.maxFileSize/);
    } },
    { name: 'a malformed glob is dropped with a message', raw: { include: ['**/*.txt', '{a,b'] }, check: ({ settings, problems }) => {
      assert.deepEqual(settings.include, ['**/*.txt']);
      assert.match(problems.join(), /corpusNavigator\.include.*\{a,b/);
    } },
    { name: 'a wrong type gives the default', raw: { useGitignore: 'sometimes', exclude: 42 }, check: ({ settings, problems }) => {
      assert.equal(settings.useGitignore, true);
      assert.deepEqual(settings.exclude, DEFAULT_SETTINGS.exclude);
      assert.equal(problems.length, 2);
    } },
    { name: 'not an object at all', raw: 'nonsense', check: ({ settings }) => assert.deepEqual(settings, DEFAULT_SETTINGS) },
  ];
  for (const c of cases) test(c.name, () => c.check(validateSettings(c.raw)));
});

describe('document keys', () => {
  test('one key per file, whatever the client\'s URI spelling', () => {
    assert.equal(documentKey('file:///tmp/a%20b/%28x%29.txt'), documentKey('file:///tmp/a%20b/(x).txt'));
    assert.equal(documentKey('file:///tmp/x.txt'), pathToKey('/tmp/x.txt'));
    assert.equal(keyToPath(documentKey('file:///tmp/a%20b/c.txt')), '/tmp/a b/c.txt');
  });
  test('other schemes and junk pass through', () => {
    assert.equal(documentKey('untitled:Untitled-1'), 'untitled:Untitled-1');
    assert.equal(documentKey(42 as unknown as string), '');
    assert.equal(keyToPath('untitled:Untitled-1'), undefined);
  });
  test('isInside needs a path boundary', () => {
    assert.ok(isInside('file:///ws', 'file:///ws/a.txt'));
    assert.ok(!isInside('file:///ws', 'file:///ws2/a.txt'));
  });
});
