import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RestartPolicy } from '../../client/src/restartPolicy';

test('a crash restarts the server and tells the user once, not once per crash', () => {
  const p = new RestartPolicy(4, 180_000);
  const first = p.onServerClosed(0);
  assert.equal(first.restart, true);
  assert.match(first.notify ?? '', /restarted/);
  const second = p.onServerClosed(1_000);
  assert.deepEqual(second, { restart: true });
});

test('a crash loop gives up after the limit, with one final message', () => {
  const p = new RestartPolicy(4, 180_000);
  const decisions = [0, 1, 2, 3, 4].map((t) => p.onServerClosed(t * 1000));
  assert.deepEqual(decisions.slice(0, 4).map((d) => d.restart), [true, true, true, true]);
  assert.equal(decisions[4].restart, false);
  assert.match(decisions[4].notify ?? '', /will not be restarted/);
  assert.equal(decisions.filter((d) => d.notify).length, 2);
});

test('crashes far apart never exhaust the limit', () => {
  const p = new RestartPolicy(2, 60_000);
  for (let i = 0; i < 10; i++) assert.equal(p.onServerClosed(i * 61_000).restart, true);
});
