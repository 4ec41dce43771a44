// The Corpus view's provider against the real request handlers over a real index (in process): what it loads for a
// corpus larger than a page, the "more" rows, a refresh after an edit, a load overtaken by an edit, and reveal of an
// entity beyond the loaded page. `vscode` is replaced by the few parts the provider uses (fakeVscode.ts).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CorpusIndex } from '../../server/src/core/index';
import * as custom from '../../server/src/lsp/customRequests';
import type { IndexStatus } from '../../server/src/protocol';
import type { CorpusNode } from '../../client/src/corpusTree';
import { fakeAnalyzer, type Entry } from '../server/core/fake-analyzer';
import { installFakeVscode, recorded } from './fakeVscode';

installFakeVscode();
const commands = recorded.commands;
const view = require('../../client/src/corpusView') as typeof import('../../client/src/corpusView');
const { CorpusTreeProvider, PAGE_SIZE, SHOW_MORE_COMMAND } = view;

const letters = (i: number) => String.fromCharCode(97 + (i % 26)) + String.fromCharCode(97 + Math.floor(i / 26));
const personName = (i: number) => `Anna B${letters(i)}ova`;

/** 450 people (more than two pages), mentioned 1–6 times, 4 organisations, and quotations by 250 of the people. */
function corpus() {
  const lexicon: Record<string, Entry> = {};
  for (let i = 0; i < 450; i++) lexicon[personName(i)] = { type: 'person', form: 'full' };
  const orgs = ['Acme Union', 'Bolt Union', 'Crane Union', 'Delta Union'];
  for (const o of orgs) lexicon[o] = { type: 'organisation', form: 'full' };
  const ix = new CorpusIndex({ analyze: fakeAnalyzer(lexicon) });
  for (let i = 0; i < 450; i++) {
    const p = personName(i);
    const said = i < 250 ? `\n${p} said "Point ${i}."` : '';
    ix.setDocument(`file:///c/p${i}.txt`, `${`${p} spoke. `.repeat(1 + (i % 6))}${orgs[i % 4]} met.${said}\n"Unclaimed ${i}."`);
  }
  return ix;
}

/** A language client that answers from the index after a turn of the event loop, as a real one would. */
function fakeClient(ix: CorpusIndex, log: string[] = []) {
  const hold: { gate?: Promise<void> } = {};
  /** Requests whose params' JSON contains a key of this map are answered when its promise settles. */
  const held = new Map<string, Promise<void>>();
  const client = {
    hold,
    held,
    failing: false,
    async sendRequest(type: { method: string }, params: unknown) {
      log.push(`${type.method} ${JSON.stringify(params)}`);
      if (client.failing) throw new Error('Client is not running');
      const kept = [...held].find(([key]) => JSON.stringify(params).includes(key))?.[1];
      // The server answers from the index as it is now; the answer reaches the client a turn later, or when a held
      // gate opens (an answer in transit while the index changes).
      const gate = hold.gate;
      const answer =
        type.method === 'corpusNavigator/entities'
          ? custom.entities(ix, params as never, false)
          : type.method === 'corpusNavigator/quotations'
            ? custom.quotations(ix, params as never)
            : type.method === 'corpusNavigator/mentions'
              ? custom.mentions(ix, params as never)
              : undefined;
      const json = JSON.stringify(answer);
      await new Promise((r) => setImmediate(r));
      await gate;
      await kept;
      return JSON.parse(json);
    },
    warn() {},
  };
  return client;
}

function setup() {
  const ix = corpus();
  const log: string[] = [];
  const client = fakeClient(ix, log);
  let status = { state: 'ready', version: ix.version, skipped: [] } as unknown as IndexStatus;
  const tree = new CorpusTreeProvider(client as never, () => status);
  // As VS Code does: a change event for a node makes the tree read that node's children again.
  tree.onDidChangeTreeData((node) => setImmediate(() => void tree.getChildren(node ?? undefined)));
  const setStatus = () => (status = { ...status, version: ix.version });
  return { ix, log, client, tree, setStatus };
}

const keys = (nodes: CorpusNode[]) => nodes.map((n) => n.key);
const group = async (tree: InstanceType<typeof CorpusTreeProvider>, name: string) => {
  const root = await tree.getChildren();
  const g = root.find((n) => n.kind === 'group' && n.group === name)!;
  return { g, children: await tree.getChildren(g) };
};

describe('Corpus view provider, paged', () => {
  it('shows the counts and the first page of a group, in the server\'s order, then loads the next page', async () => {
    const { ix, log, tree } = setup();
    const root = await tree.getChildren();
    assert.deepEqual(
      root.map((n) => n.kind === 'group' && [n.group, n.count]),
      [['people', 450], ['organisations', 4], ['quotations', ix.stats().quotes]],
    );
    assert.deepEqual(log, ['corpusNavigator/entities {"limit":0}'], 'the top level is one count request');
    const { g, children } = await group(tree, 'people');
    const order = ix.entities('person').map((e) => `entity:${e.id}`);
    assert.deepEqual(keys(children), [...order.slice(0, PAGE_SIZE), 'more:group:people']);
    const more = children.at(-1)!;
    assert.ok(more.kind === 'more' && more.hidden === 450 - PAGE_SIZE);
    assert.equal(tree.getParent(children[0]), g);
    const item = tree.getTreeItem(more) as unknown as { label: string; command: { command: string; arguments: unknown[] } };
    assert.equal(item.label, `${450 - PAGE_SIZE} more people…`);
    // The row's command is the provider's own.
    await commands.get(item.command.command)!(...item.command.arguments);
    assert.equal(item.command.command, SHOW_MORE_COMMAND);
    assert.match(log.at(-1)!, /"type":"person","offset":200,"limit":200/);
    const next = await tree.getChildren(g);
    assert.deepEqual(keys(next), [...order.slice(0, 2 * PAGE_SIZE), 'more:group:people']);
    await tree.showMore('people');
    const all = await tree.getChildren(g);
    assert.deepEqual(keys(all), order, 'all loaded: no "more" row');
    // Nodes keep their objects across loads (TreeView.reveal finds them by identity).
    assert.equal(all[0], children[0]);
    tree.dispose();
  });

  it('after an edit reloads as many as were loaded, and nothing of a group not open', async () => {
    const { ix, log, tree, setStatus } = setup();
    const { g } = await group(tree, 'people');
    await tree.showMore('people');
    // A person from the end of the list becomes the most mentioned.
    const last = personName(449);
    ix.setDocument('file:///c/new.txt', `${last} spoke. `.repeat(40));
    setStatus();
    tree.refresh();
    log.length = 0;
    await tree.getChildren();
    const children = await tree.getChildren(g);
    const order = ix.entities('person').map((e) => `entity:${e.id}`);
    assert.equal(order[0], `entity:${ix.entities('person').find((e) => e.name === last)!.id}`);
    assert.deepEqual(keys(children), [...order.slice(0, 2 * PAGE_SIZE), 'more:group:people']);
    assert.deepEqual(log, ['corpusNavigator/entities {"limit":0}', 'corpusNavigator/entities {"type":"person","limit":400}']);
    tree.dispose();
  });

  it('never keeps an answer from before an edit that a refresh announced while it was under way', async () => {
    const { ix, client, tree, setStatus } = setup();
    const { g } = await group(tree, 'people');
    let open!: () => void;
    client.hold.gate = new Promise<void>((r) => (open = r));
    tree.refresh();
    const stale = tree.getChildren(g); // under way, held before the server answers
    await new Promise((r) => setImmediate(r));
    client.hold.gate = undefined; // later answers arrive at once; the one in transit stays held
    ix.setDocument('file:///c/new.txt', `${personName(300)} spoke. `.repeat(50));
    setStatus();
    tree.refresh();
    const fresh = tree.getChildren(g);
    open();
    await stale;
    const id = ix.entities('person').find((e) => e.name === personName(300))!.id;
    assert.equal((await fresh)[0].key, `entity:${id}`);
    tree.dispose();
  });

  it('reveals an entity beyond the loaded page: asked for by id, shown after the page, parented to its group', async () => {
    const { ix, log, tree } = setup();
    const { g } = await group(tree, 'people');
    const far = ix.entities('person').at(-1)!;
    log.length = 0;
    const node = await tree.entityNode(far.id);
    assert.ok(node && node.kind === 'entity' && node.entity.id === far.id);
    assert.equal(log[0], `corpusNavigator/entities {"ids":["${far.id}"]}`);
    assert.equal(tree.getParent(node), g);
    const children = await tree.getChildren(g);
    assert.deepEqual(keys(children).slice(-2), [`entity:${far.id}`, 'more:group:people']);
    assert.equal(children.length, PAGE_SIZE + 2);
    const more = children.at(-1)!;
    assert.ok(more.kind === 'more' && more.hidden === 450 - PAGE_SIZE - 1);
    assert.equal(children.at(-2), node, 'the same object the reveal got');
    // Loading on until the page reaches it shows it once, in its place.
    await tree.showMore('people');
    await tree.showMore('people');
    const all = await tree.getChildren(g);
    assert.deepEqual(keys(all), ix.entities('person').map((e) => `entity:${e.id}`));
    assert.equal(await tree.entityNode('person:nobody-at-all'), undefined);
    tree.dispose();
  });

  it('keeps an entity revealed while a reload of its group is under way', async () => {
    const { ix, client, tree, setStatus } = setup();
    const { g } = await group(tree, 'people');
    const order = ix.entities('person');
    const [x, y] = [order.at(-1)!, order.at(-2)!];
    await tree.entityNode(x.id);
    // An edit; the reveal of y waits for the counts while its group reloads at once.
    ix.setDocument('file:///c/new.txt', `${personName(0)} spoke.`);
    setStatus();
    tree.refresh();
    let openCounts!: () => void;
    client.held.set('{"limit":0}', new Promise<void>((r) => (openCounts = r)));
    const revealed = tree.entityNode(y.id);
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    // Another edit: a new reload asks about the pinned x, and its answer is held until y has been pinned.
    let openIds!: () => void;
    client.held.set('"ids":["', new Promise<void>((r) => (openIds = r)));
    ix.setDocument('file:///c/new2.txt', `${personName(1)} spoke.`);
    setStatus();
    tree.refresh();
    const reload = tree.getChildren(g);
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    openCounts();
    const node = await revealed;
    assert.ok(node && node.kind === 'entity' && node.entity.id === y.id);
    openIds();
    await reload;
    const children = await tree.getChildren(g);
    assert.ok(keys(children).includes(`entity:${y.id}`), 'y is still shown');
    assert.ok(keys(children).includes(`entity:${x.id}`), 'x is still shown');
    tree.dispose();
  });

  it('a reveal while the server cannot answer says nothing is there, without throwing', async () => {
    const { client, tree } = setup();
    await group(tree, 'people');
    client.failing = true;
    assert.equal(await tree.entityNode('person:anyone'), undefined);
    tree.dispose();
  });

  it('pages the quotation speakers and shows the unattributed group\'s count at once', async () => {
    const { ix, tree } = setup();
    const { children } = await group(tree, 'quotations');
    const full = custom.quotations(ix, { limitPerGroup: 0 })!.groups;
    const named = full.filter((g) => g.speakerId).map((g) => `speaker:${g.speakerId}`);
    assert.equal(named.length, 250);
    assert.deepEqual(keys(children), [...named.slice(0, PAGE_SIZE), 'speaker:text:Unattributed', 'more:group:quotations']);
    const u = children.find((n) => n.key === 'speaker:text:Unattributed')!;
    assert.ok(u.kind === 'speaker' && u.speaker.total === full.at(-1)!.total);
    await tree.showMore('quotations');
    const { children: all } = await group(tree, 'quotations');
    assert.deepEqual(keys(all), [...named, 'speaker:text:Unattributed']);
    tree.dispose();
  });
});
