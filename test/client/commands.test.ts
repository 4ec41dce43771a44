// Find All Mentions asks the server only for what it needs to land on a mention: the first one (from a "more" row or
// a pick), or all of them when the cursor is inside a quotation (to land on the nearest); the whole list only when the
// editor has no References view and a peek must show them. Real request handlers over a real index, in process;
// `vscode` is replaced by fakeVscode.ts.

import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { CorpusIndex } from '../../server/src/core/index';
import * as custom from '../../server/src/lsp/customRequests';
import { fakeAnalyzer, LEXICON } from '../server/core/fake-analyzer';
import { fakeVscode, identityConverters, installFakeVscode, recorded } from './fakeVscode';

installFakeVscode();
const { registerCommands, COMMANDS } = require('../../client/src/commands') as typeof import('../../client/src/commands');

const A = 'file:///c/a.txt';
const B = 'file:///c/b.txt';
const ix = new CorpusIndex({ analyze: fakeAnalyzer(LEXICON) });
ix.setDocument(A, 'Jeremy Corbyn spoke.\nCorbyn said "One."\nMr Corbyn left.');
ix.setDocument(B, 'Starmer met Corbyn.\nLater Corbyn said "Two and three."');
ix.setDocument('file:///c/c.txt', 'The Jewish Labour Movement (JLM) wrote to Corbyn. JLM met.');
const id = 'person:jeremy-corbyn';

const sent: string[] = [];
/** Answers to requests whose params contain a key of this map wait for its promise (an answer overtaken by a later one). */
const held = new Map<string, Promise<void>>();
const client = {
  ...identityConverters,
  async sendRequest(type: { method: string } | string, params: unknown) {
    const method = typeof type === 'string' ? type : type.method;
    sent.push(`${method} ${JSON.stringify(params)}`);
    for (const [key, gate] of held) if (JSON.stringify(params).includes(key)) await gate;
    const p = params as never;
    const answer =
      method === 'corpusNavigator/mentions'
        ? custom.mentions(ix, p)
        : method === 'corpusNavigator/entityAt'
          ? custom.entityAt(ix, (params as { textDocument: { uri: string } }).textDocument.uri, (params as { position: never }).position)
          : custom.entities(ix, p, false);
    return JSON.parse(JSON.stringify(answer));
  },
  isRunning: () => true,
};
registerCommands({ subscriptions: [] } as never, client as never, {} as never, {} as never, { info() {}, error() {} } as never);
const findAllMentions = recorded.commands.get(COMMANDS.findAllMentions)!;

beforeEach(() => {
  sent.length = 0;
  recorded.executed.length = 0;
  recorded.opened.length = 0;
  recorded.failing.clear();
  recorded.quickPick = undefined;
  held.clear();
  fakeVscode.window.activeTextEditor = undefined;
});

const turn = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('Find All Mentions', () => {
  const all = custom.mentions(ix, { id })!.mentions;

  it('for an entity id (a "more" row) asks for the first mention only, opens it, and runs the References view', async () => {
    assert.ok(all.length >= 5);
    await findAllMentions(id);
    assert.deepEqual(sent, [`corpusNavigator/mentions {"id":"${id}","limit":1}`]);
    assert.equal(recorded.opened.length, 1);
    assert.equal(recorded.opened[0].uri, all[0].uri);
    assert.deepEqual((recorded.opened[0].selection as { start: unknown }).start, all[0].range.start);
    assert.deepEqual(recorded.executed.map((e) => e.command), ['references-view.findReferences']);
  });

  it('without a References view, fetches every mention then and shows them in a peek', async () => {
    recorded.failing.add('references-view.findReferences');
    await findAllMentions(id);
    assert.deepEqual(sent, [`corpusNavigator/mentions {"id":"${id}","limit":1}`, `corpusNavigator/mentions {"id":"${id}"}`]);
    const peek = recorded.executed.find((e) => e.command === 'editor.action.showReferences')!;
    assert.equal((peek.args[2] as unknown[]).length, all.length);
  });

  it('inside a quotation asks for all mentions and lands on the nearest one before it in that document', async () => {
    const text = ix.text(B)!;
    const line = text.split('\n')[1];
    const position = { line: 1, character: line.indexOf('Two') };
    fakeVscode.window.activeTextEditor = { document: { uri: B, languageId: 'plaintext' }, selection: { active: position } };
    await findAllMentions();
    assert.deepEqual(sent.map((s) => s.split(' ')[0]), ['corpusNavigator/entityAt', 'corpusNavigator/mentions']);
    assert.equal(sent[1], `corpusNavigator/mentions {"id":"${id}"}`);
    assert.equal(recorded.opened[0].uri, B);
    assert.deepEqual((recorded.opened[0].selection as { start: unknown }).start, { line: 1, character: line.indexOf('Corbyn') });
  });

  it('with nothing under the cursor, picks from the server\'s list as the user types; a late answer never wins', async () => {
    const done = findAllMentions();
    while (!recorded.quickPick) await turn();
    const { pick, type, accept } = recorded.quickPick;
    assert.deepEqual(sent, ['corpusNavigator/entities {"limit":200}']);
    assert.deepEqual(pick.items.map((i) => i.id), ix.entities().map((e) => e.id).slice(0, 200));
    // "Cor" is answered after "JLM" (typed later): the pick shows JLM's matches, kept visible whatever the label.
    let release!: () => void;
    held.set('"Cor"', new Promise<void>((r) => (release = r)));
    type('Cor');
    await turn(150);
    type('JLM');
    await turn(150);
    release();
    await turn(20);
    assert.deepEqual(sent.slice(1), ['corpusNavigator/entities {"query":"Cor","limit":200}', 'corpusNavigator/entities {"query":"JLM","limit":200}']);
    const jlm = ix.entities().find((e) => e.aliases.includes('JLM'))!;
    assert.equal(pick.items[0].id, jlm.id);
    assert.ok(pick.items.every((i) => i.alwaysShow));
    pick.selectedItems = [pick.items[0]];
    accept();
    await done;
    assert.ok(pick.disposed);
    assert.equal(sent.at(-1), `corpusNavigator/mentions {"id":"${jlm.id}","limit":1}`);
  });

  it('drops an answer that lands after a newer keystroke, even before that keystroke\'s own request is sent', async () => {
    const done = findAllMentions();
    while (!recorded.quickPick) await turn();
    const { pick, type, accept } = recorded.quickPick;
    const before = pick.items.map((i) => i.id);
    let release!: () => void;
    held.set('"Cor"', new Promise<void>((r) => (release = r)));
    type('Cor');
    await turn(150);
    // "JLM" typed; "Cor" answered inside JLM's debounce, before JLM is asked.
    type('JLM');
    release();
    await turn(5);
    assert.ok(!sent.some((s) => s.includes('"JLM"')), 'JLM not asked yet');
    assert.deepEqual(pick.items.map((i) => i.id), before, 'the pick does not show the answer to "Cor"');
    assert.equal(pick.busy, true);
    await turn(150);
    const jlm = ix.entities().find((e) => e.aliases.includes('JLM'))!;
    assert.equal(pick.items[0].id, jlm.id);
    assert.equal(pick.busy, false);
    pick.selectedItems = [pick.items[0]];
    accept();
    await done;
    assert.equal(sent.at(-1), `corpusNavigator/mentions {"id":"${jlm.id}","limit":1}`);
  });

  it('says so when the entity is gone, without opening anything', async () => {
    await findAllMentions('person:nobody');
    assert.equal(recorded.opened.length, 0);
    assert.match(recorded.messages.at(-1)!, /no mentions of person:nobody are left/);
  });
});
