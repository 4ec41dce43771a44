import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CorpusIndex, mentionGroup, ranksOf, type DocEntry, type NameStat } from '../../../server/src/core/index';
import { encodeIndex, isSnapshotError, RestoredSet, RestoredTables, RestoredTally, type SnapshotSections } from '../../../server/src/core/indexSnapshot';

// A restored index must answer every query exactly as the index it was saved from, and stay equal to a fresh index
// through further edits (the invariant the warm reopen relies on).
const sample = join(__dirname, '..', '..', '..', 'server', 'sample-corpus');
const seeds = '/work/shared/seeds';
const texts = new Map<string, string>();
for (const f of readdirSync(sample)) if (/\.(txt|md)$/.test(f) && f !== 'README.md') texts.set(`sample/${f}`, readFileSync(join(sample, f), 'utf8'));
try {
  for (const f of readdirSync(seeds).sort().slice(0, 120)) texts.set(`seeds/${f}`, readFileSync(join(seeds, f), 'utf8'));
} catch {
  // the seeds are optional: the sample corpus alone exercises every part
}
texts.set('odd/emoji.txt', '👋 “We will win,” said Jeremy Corbyn.\r\nMr Corbyn added: “No doubt.” The Jewish Labour Movement (JLM) agreed.\r\n');
// A lone surrogate: the text cannot be held as UTF-8, nor can strings sliced from it.
texts.set('odd/surrogate.txt', 'Sir Keir Starmer met Angela Rayner \ud800 in Leeds. Starmer said: “Fine.”\n');

function sections(ix: CorpusIndex): SnapshotSections {
  const it = encodeIndex(ix.snapshotState());
  let step = it.next();
  while (!step.done) step = it.next();
  const e = step.value;
  const join32 = (parts: Int32Array[]) => {
    const out = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) out.set(p, (at += p.length) - p.length);
    return out;
  };
  const joinU32 = (parts: Uint32Array[]) => {
    const out = new Uint32Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) out.set(p, (at += p.length) - p.length);
    return out;
  };
  const join8 = (parts: Uint8Array[]) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) out.set(p, (at += p.length) - p.length);
    return out;
  };
  return { lengths: e.lengths, text: e.text, odd: e.odd, ints: e.ints, rows: join32(e.rows), bytes: join8(e.bytes), lines: joinU32(e.lines), numbers: e.numbers };
}

function restored(ix: CorpusIndex, options: ConstructorParameters<typeof CorpusIndex>[0] = {}): CorpusIndex {
  const out = new CorpusIndex(options);
  out.restoreSnapshot(sections(ix));
  return out;
}

/** Everything the index answers, as plain data. */
function observe(ix: CorpusIndex) {
  const entities = ix.entities();
  const docs = ix.documents();
  return {
    stats: ix.stats(),
    skipped: ix.skipped(),
    docs,
    entities,
    people: ix.entities('person'),
    perEntity: entities.map((e) => ({
      e: ix.entity(e.id),
      mentions: ix.mentionsOf(e.id),
      spans: ix.mentionSpansOf(e.id),
      quotes: ix.quotesBy(e.id),
      quoteCount: ix.quoteCount(e.id),
      each: [...ix.eachQuoteBy(e.id)],
      roles: ix.roles(e.id),
      intro: ix.introduction(e.id),
      inFirstDoc: docs.length ? ix.mentionsOfIn(e.id, docs[0]) : [],
    })),
    perDoc: docs.map((d) => {
      const a = ix.analysis(d)!;
      return {
        text: ix.text(d),
        analysis: a,
        entitiesIn: ix.entitiesIn(d),
        quotes: ix.quotes(d),
        ids: a.mentions.map((_, i) => ix.entityIdOf(d, i)),
        at: [0, 10, 50, 200].map((o) => [ix.mentionAt(d, o), ix.quoteAt(d, o)]),
        lines: ix.lines(d)!.lineCount,
      };
    }),
    search: ['corb', 'jlm', 'keir', 'labour', 'st', ''].map((q) => ix.search(q, 50)),
  };
}

function fresh(docs: Map<string, string>, skips: Array<[string, string]> = []): CorpusIndex {
  const ix = new CorpusIndex();
  for (const [d, t] of docs) ix.setDocument(d, t);
  for (const [d, r] of skips) ix.setSkipped(d, r);
  return ix;
}

describe('index snapshot (core)', () => {
  it('restores an index that answers every query as the original', () => {
    const ix = fresh(texts, [['skipped/big.txt', 'too large']]);
    const before = observe(ix);
    const back = restored(ix);
    assert.deepStrictEqual(observe(back), before);
    // The original is unchanged by being saved.
    assert.deepStrictEqual(observe(ix), before);
  });

  it('restores the entries with every field a fresh index gives them', () => {
    const ix = fresh(texts);
    const back = restored(ix);
    const a = ix.snapshotState();
    const b = back.snapshotState();
    // A restored entry builds its parts when first read (accessors): every field a fresh entry has reads the same.
    for (const doc of ix.documents()) {
      const was = a.docs.get(doc)!;
      const now = b.docs.get(doc)!;
      for (const k of Object.keys(was)) if (k !== 'lines') assert.ok(k in now, k);
      // A restored entry lists its mentions' groups; a fresh one keeps them in its rows: the same groups.
      assert.ok(now.group !== undefined && was.group === undefined);
      const groups = (e: DocEntry, st: typeof a) => Array.from({ length: e.store.mentionCount }, (_, i) => mentionGroup(e, i, st.answers, st.strings));
      assert.deepEqual(groups(now, b), groups(was, a));
      assert.deepEqual(now.group, groups(was, a));
      assert.deepEqual(now.lookupKeys, was.lookupKeys);
      assert.equal(!!now.claimsFailed, !!was.claimsFailed);
      assert.equal(now.body.length, was.body.length);
      assert.deepEqual(now.store.mentions(), was.store.mentions());
      assert.deepEqual(now.store.problems, was.store.problems);
    }
    const key = [...a.groups.keys()][0];
    for (const k of Object.keys(a.groups.get(key)!)) if (!['entity', 'listed', 'refs', 'memo'].includes(k)) assert.ok(k in b.groups.get(key)!, k);
  });

  it('builds a restored document\'s parts only when read, each once, and an edit replaces them', () => {
    const ix = fresh(texts);
    const back = restored(ix);
    const docs = back.snapshotState().docs;
    const [first, second] = back.documents();
    const parts = (d: string) => {
      const e = docs.get(d)! as unknown as Record<string, unknown>;
      return ['text', 'rowStore', 'groups', 'keys'].filter((k) => e[k] !== undefined);
    };
    // Nothing is built at restore.
    for (const d of back.documents()) assert.deepEqual(parts(d), [], d);
    // A query on one document builds what it reads, of that document only, and the same objects come back after.
    const mention = ix.mentionAt(first, ix.analysis(first)!.mentions[0].start);
    assert.deepEqual(back.mentionAt(first, mention!.mention.start), mention);
    assert.ok(parts(first).includes('rowStore'));
    assert.deepEqual(parts(second), []);
    const entry = docs.get(first)!;
    assert.equal(entry.store, entry.store);
    assert.equal(entry.group, entry.group);
    assert.equal(entry.body, entry.body);
    // The line-table pass reads only the texts (line tables of a fetched text come with the snapshot).
    const textSource = (d: string) => texts.get(d);
    const source = new CorpusIndex({ textSource });
    for (const [d, t] of texts) source.setDocument(d, t);
    const fetching = restored(source, { textSource });
    while (!fetching.buildLineTables(() => false));
    for (const [, e] of fetching.snapshotState().docs) {
      const r = e as unknown as Record<string, unknown>;
      assert.equal(r.rowStore, undefined);
      assert.equal(r.groups, undefined);
    }
    // An edit of a restored document replaces its entry; its neighbours stay unbuilt until read.
    const text = texts.get(second)!;
    back.setDocument(second, text + '\nGordon Brown said so.\n');
    ix.setDocument(second, text + '\nGordon Brown said so.\n');
    assert.deepStrictEqual(observe(back), observe(ix));
  });

  it('saves restored documents nobody read as they were, without building them, and read ones the same way', () => {
    for (const textSource of [undefined, (d: string) => texts.get(d)]) {
      const source = new CorpusIndex(textSource ? { textSource } : {});
      for (const [d, t] of texts) source.setDocument(d, t);
      source.setAnalysed('p.txt', 'Some text.', { mentions: [], quotes: [], roles: [], problems: [{ message: 'odd' }] });
      const want = sections(source);
      const back = restored(source, textSource ? { textSource } : {});
      const docs = back.snapshotState().docs;
      const built = () => [...docs.values()].filter((e) => ['text', 'rowStore', 'groups', 'keys'].some((k) => (e as unknown as Record<string, unknown>)[k] !== undefined)).length;
      assert.deepStrictEqual(sections(back), want);
      assert.equal(built(), 0);
      // Half of them read (each part of its own), the other half not: the same sections.
      back.documents().forEach((d, k) => {
        const e = docs.get(d)!;
        if (k % 2) void [e.body.length, e.store.mentionCount, e.group!.length, e.lookupKeys.length];
        else if (k % 3 === 0) void e.group!.length;
      });
      assert.deepStrictEqual(sections(back), want);
    }
  });

  it('checks every restored document when restoring, not when it is first read', () => {
    const ix = fresh(texts);
    const s = sections(ix);
    // The first document's record: key, flags, fingerprint, length, extra, row length, problems, lookup keys, groups.
    const nk = s.ints[1 + 7];
    const groupAt = 1 + 8 + nk;
    assert.ok(s.rows[0] > 0, 'the first document has mentions');
    const badGroup = new Int32Array(s.ints);
    badGroup[groupAt] = s.lengths.length; // one past the last string
    const a = new CorpusIndex();
    assert.throws(() => a.restoreSnapshot({ ...s, ints: badGroup }), (e) => isSnapshotError(e));
    assert.equal(a.stats().documents, 0);
    // A problems list that is not JSON (the document's key in its place).
    const withProblems = new CorpusIndex();
    withProblems.setAnalysed('p.txt', 'Some text.', { mentions: [], quotes: [], roles: [], problems: [{ message: 'odd' }] });
    const p = sections(withProblems);
    assert.ok(p.ints[1 + 6] >= 0, 'the document has problems');
    assert.deepEqual(restored(withProblems).analysis('p.txt')!.problems, [{ message: 'odd' }]);
    const badProblems = new Int32Array(p.ints);
    badProblems[1 + 6] = badProblems[1];
    assert.throws(() => new CorpusIndex().restoreSnapshot({ ...p, ints: badProblems }), (e) => isSnapshotError(e));
  });

  it('stays equal to a fresh index after edits, deletions and additions', () => {
    const ix = fresh(texts);
    const back = restored(ix);
    const final = new Map(texts);
    const keys = [...texts.keys()];
    const edits: Array<[string, string | undefined]> = [
      [keys[0], undefined],
      [keys[3], 'Jeremy Corbyn spoke. Corbyn said: “We go on.” The JLM disagreed.'],
      ['new/one.txt', 'Angela Rayner, the deputy leader, said: “Yes.” Rayner left. Starmer stayed.'],
      [keys[keys.length - 1], undefined],
      [keys[7], texts.get(keys[8])!],
    ];
    for (const [d, t] of edits) {
      for (const x of [ix, back]) (t === undefined ? x.deleteDocument(d) : x.setDocument(d, t));
      if (t === undefined) final.delete(d);
      else final.set(d, t);
    }
    const want = observe(fresh(final));
    assert.deepStrictEqual(observe(back), want);
    assert.deepStrictEqual(observe(ix), want);
    // And a snapshot of the edited index restores to the same again.
    assert.deepStrictEqual(observe(restored(back)), want);
  });

  it('leaves a restored group\'s document lists in the snapshot until asked, and saves them again as they were', () => {
    const ix = fresh(texts);
    const want = observe(ix);
    const back = restored(ix);
    const pending = () => [...back.snapshotState().groups.values()].filter((g) => (g as { pending?: unknown }).pending).length;
    const groups = back.snapshotState().groups.size;
    assert.equal(pending(), groups);
    // The entity list (file counts included) and the summaries need no group's lists.
    assert.deepStrictEqual(back.entities(), ix.entities());
    assert.equal(pending(), groups);
    // One entity's mentions read that group's lists only.
    const top = ix.entities()[0];
    assert.deepStrictEqual(back.mentionsOf(top.id), ix.mentionsOf(top.id));
    assert.equal(pending(), groups - 1);
    // A snapshot of the restored index copies the lists still pending from the one it came from.
    const again = restored(back);
    assert.deepStrictEqual(observe(again), want);
    assert.deepStrictEqual(observe(back), want);
    assert.equal(pending(), 0);
  });

  it('reads lookup tables, dependents and the string lookup in only when an edit needs them, each as it was', () => {
    const ix = fresh(texts);
    const want = observe(ix);
    const back = restored(ix);
    const state = back.snapshotState();
    const unreadSets = () => [...state.dependents.values()].filter((set) => (set as unknown as { source?: unknown }).source !== undefined).length;
    const tables = state.tables as RestoredTables;
    assert.ok(tables instanceof RestoredTables);
    assert.ok(state.dependents.size > 0);
    assert.equal(unreadSets(), state.dependents.size);
    // Every query answers without them.
    assert.deepStrictEqual(observe(back), want);
    assert.equal(unreadSets(), state.dependents.size);
    assert.equal([...tables.loaded()].length, 0);
    assert.equal(state.strings['ids'], undefined);
    // Their sizes are known unread; read in, they hold what the original's do.
    const a = ix.snapshotState();
    assert.equal(tables.size, a.tables.size);
    for (const [lk, set] of a.dependents) assert.equal(state.dependents.get(lk)!.size, set.size, lk);
    const plainTables = (m: Map<string, Map<string, number>>) => [...m].map(([k, t]) => [k, [...t].sort()] as const).sort((x, y) => (x[0] < y[0] ? -1 : 1));
    const plainSets = (m: Map<string, Set<string>>) => [...m].map(([k, t]) => [k, [...t].sort()] as const).sort((x, y) => (x[0] < y[0] ? -1 : 1));
    const copy = restored(ix);
    // A snapshot of a restored index copies the unread parts as they are.
    const again = restored(copy);
    assert.equal([...(copy.snapshotState().tables as RestoredTables).loaded()].length, 0);
    assert.deepStrictEqual(plainTables(again.snapshotState().tables), plainTables(a.tables));
    assert.deepStrictEqual(plainSets(again.snapshotState().dependents), plainSets(a.dependents));
    assert.deepStrictEqual(plainTables(state.tables), plainTables(a.tables));
    assert.deepStrictEqual(plainSets(state.dependents), plainSets(a.dependents));
    // One edit reads in only the sets of the keys it touches.
    const edited = restored(ix);
    const doc = [...texts.keys()][3];
    edited.setDocument(doc, `${texts.get(doc)!} Corbyn said: “Again.”`);
    const left = [...edited.snapshotState().dependents.values()].filter((set) => (set as unknown as { source?: unknown }).source !== undefined).length;
    assert.ok(left > 0 && left < edited.snapshotState().dependents.size, `${left} unread`);
    ix.setDocument(doc, `${texts.get(doc)!} Corbyn said: “Again.”`);
    assert.deepStrictEqual(observe(edited), observe(ix));
    assert.deepStrictEqual(plainTables(edited.snapshotState().tables), plainTables(ix.snapshotState().tables));
    assert.deepStrictEqual(plainSets(edited.snapshotState().dependents), plainSets(ix.snapshotState().dependents));
  });

  it('a restored table map and set behave as the Map and Set they stand for', () => {
    // Integers as encodeIndex writes the tables: key, entry count, then value and count per entry; strings by id.
    const strs = ['k0', 'k1', 'k2', 'a', 'b', 'c', 'd1', 'd2'];
    const ints = Int32Array.from([0, 2, 3, 5, 4, 1, 1, 1, 5, 3, 2, 1, 3, 7, 6, 7]);
    const make = () => new RestoredTables({ strs, ints }, 0, 3);
    const t = make();
    assert.equal(t.size, 3);
    assert.equal(t.has('k1'), true);
    assert.equal(t.has('zz'), false);
    assert.equal(t.get('zz'), undefined);
    assert.deepStrictEqual([...t.get('k0')!], [['a', 5], ['b', 1]]);
    assert.equal(t.get('k0'), t.get('k0'), 'read once, then kept');
    assert.equal(t.delete('k1'), true);
    assert.equal(t.delete('k1'), false);
    assert.equal(t.size, 2);
    t.set('k2', new Map([['x', 1]]));
    t.set('k3', new Map([['y', 2]]));
    assert.deepStrictEqual([...t].map(([k, m]) => [k, [...m]]).sort(), [['k0', [['a', 5], ['b', 1]]], ['k2', [['x', 1]]], ['k3', [['y', 2]]]]);
    const u = make();
    const seen: string[] = [];
    u.forEach((_, k) => seen.push(k));
    assert.deepStrictEqual(seen.sort(), ['k0', 'k1', 'k2']);
    assert.deepStrictEqual([...u.get('k2')!], [['a', 7]]);
    const v = make();
    v.clear();
    assert.equal(v.size, 0);
    assert.equal(v.get('k0'), undefined);
    assert.equal(new RestoredTables({ strs, ints }, 0, 0).size, 0);

    const set = new RestoredSet({ strs, ints: Int32Array.from([6, 7]) }, 0, 2);
    assert.equal(set.size, 2);
    assert.equal(set.has('d1'), true);
    set.add('d3');
    set.delete('d2');
    assert.deepStrictEqual([...set], ['d1', 'd3']);
    assert.equal(set.size, 2);
    const other = new RestoredSet({ strs, ints: Int32Array.from([6, 7]) }, 0, 2);
    other.clear();
    assert.equal(other.size, 0);
    assert.deepStrictEqual([...other], []);
  });

  it('leaves restored groups\' tallies of names and roles in the snapshot until used, and saves unread ones as they were', () => {
    const ix = fresh(texts);
    const want = observe(ix);
    const back = restored(ix);
    const groups = () => [...back.snapshotState().groups.values()];
    const unread = (m: Map<string, unknown> | undefined) => m instanceof RestoredTally && (m as unknown as { source?: unknown }).source !== undefined;
    const unreadNames = () => groups().filter((g) => unread(g.names)).length;
    const withNames = groups().filter((g) => g.names.size > 0).length;
    assert.ok(withNames > 10);
    assert.equal(unreadNames(), withNames);
    assert.ok(groups().some((g) => unread(g.roleTally)), 'some role tally restored unread');
    // The entity list, summaries and mentions need no tally; sizes are known unread.
    assert.deepStrictEqual(back.entities(), ix.entities());
    const top = ix.entities()[0];
    assert.deepStrictEqual(back.mentionsOf(top.id), ix.mentionsOf(top.id));
    assert.equal(unreadNames(), withNames);
    const plain = (g: { names: Map<string, unknown>; expansions: Map<string, unknown>; roleTally?: Map<string, unknown> }) => ({
      names: [...g.names].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
      expansions: [...g.expansions].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
      roles: g.roleTally && [...g.roleTally].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    });
    const original = new Map([...ix.snapshotState().groups].map(([k, g]) => [k, plain(g)]));
    for (const g of groups()) assert.equal(g.names.size, ix.snapshotState().groups.get(g.key)!.names.size, g.key);
    // A snapshot of the restored index copies the unread tallies; read in, they hold what the original's do.
    const again = restored(back);
    assert.equal(unreadNames(), withNames);
    for (const [k, g] of again.snapshotState().groups) assert.deepStrictEqual(plain(g), original.get(k), k);
    for (const g of groups()) assert.deepStrictEqual(plain(g), original.get(g.key), g.key);
    assert.equal(unreadNames(), 0);
    assert.deepStrictEqual(observe(back), want);
    assert.deepStrictEqual(observe(again), want);
    // An edit reads in the tallies of the groups it touches, and the index stays what a fresh one is.
    const edited = restored(ix);
    const doc = [...texts.keys()][2];
    const changed = `${texts.get(doc)!} Jeremy Corbyn, the party leader, said: “Again.” Lord Falconer of Thoroton agreed.`;
    edited.setDocument(doc, changed);
    ix.setDocument(doc, changed);
    assert.deepStrictEqual(observe(edited), observe(ix));
    for (const [k, g] of edited.snapshotState().groups) assert.deepStrictEqual(plain(g), plain(ix.snapshotState().groups.get(k)!), k);
  });

  it('a restored tally behaves as the Map it stands for; a damaged one fails the restore', () => {
    // Name entries as encodeIndex writes them: name, count, rank count, ranks, first document, first index, stale, peer
    // titles (-1: none; else title and count each); role entries: key, count, text, first document, first index, stale.
    const strs = ['corbyn', 'jeremy corbyn', 'doc1', 'lord', 'leader', 'the leader'];
    const names = Int32Array.from([0, 3, 2, 1, 2, 2, 7, 0, -1, 1, 1, 1, 1, 2, 40, 1, 1, 3, 1]);
    const t = new RestoredTally<{ count: number; byRank: number[]; firstDoc: string; firstAt: number; stale: boolean; peerTitles?: Map<string, number> }>(
      { strs, ints: names },
      0,
      2,
      0,
    );
    assert.equal(t.size, 2);
    assert.deepStrictEqual(t.get('corbyn'), { count: 3, rank: -1, byRank: [1, 2], firstDoc: 'doc1', firstAt: 7, stale: false });
    assert.deepStrictEqual(t.get('jeremy corbyn'), { count: 1, rank: -1, byRank: [1], firstDoc: 'doc1', firstAt: 40, stale: true, peerTitles: new Map([['lord', 1]]) });
    assert.equal(t.get('corbyn'), t.get('corbyn'), 'read once, then kept');
    t.delete('corbyn');
    t.set('x', { count: 1, byRank: [0], firstDoc: 'doc1', firstAt: 0, stale: false });
    assert.deepStrictEqual([...t.keys()], ['jeremy corbyn', 'x']);
    assert.equal(t.size, 2);
    const roles = new RestoredTally<unknown>({ strs, ints: Int32Array.from([4, 2, 5, 2, 9, 0]) }, 0, 1, 1);
    assert.equal(roles.size, 1);
    assert.deepStrictEqual([...roles], [['leader', { count: 2, text: 'the leader', firstDoc: 'doc1', firstAt: 9, stale: false }]]);
    const cleared = new RestoredTally<unknown>({ strs, ints: names }, 0, 2, 0);
    cleared.clear();
    assert.equal(cleared.size, 0);
    assert.deepStrictEqual([...cleared], []);

    // A name tally whose first document is no string: the restore fails and leaves the index empty.
    const ix = fresh(new Map([['a.txt', 'Jeremy Corbyn spoke. Mr Corbyn said: “Yes.” Corbyn left.\n']]));
    const s = sections(ix);
    const decoded = new TextDecoder().decode(s.text);
    const ids: string[] = [];
    for (let k = 0, pos = 0; k < s.lengths.length; k++) ids.push(s.lengths[k] < 0 ? s.odd[-1 - s.lengths[k]] : decoded.slice(pos, (pos += s.lengths[k])));
    const g = [...ix.snapshotState().groups.values()].find((x) => x.names.size > 0)!;
    const [name, stat] = [...g.names][0];
    const byRank = ranksOf(stat);
    const nameId = ids.indexOf(name);
    let at = -1;
    for (let k = 0; k + 3 < s.ints.length && at < 0; k++) {
      if (s.ints[k] === nameId && s.ints[k + 1] === stat.count && s.ints[k + 2] === byRank.length && s.ints[k + 3 + byRank.length] === ids.indexOf(stat.firstDoc)) at = k;
    }
    assert.ok(at >= 0, 'the tally entry found');
    const bad = new Int32Array(s.ints);
    bad[at + 3 + byRank.length] = ids.length + 5;
    const damaged = new CorpusIndex();
    assert.throws(() => damaged.restoreSnapshot({ ...s, ints: bad }), (e) => isSnapshotError(e));
    assert.equal(damaged.stats().documents, 0);
    assert.equal(damaged.entities().length, 0);
    damaged.restoreSnapshot(s);
    assert.deepStrictEqual(observe(damaged), observe(ix));
  });

  it('a name whose mentions have one rank keeps no counts per rank, through edits and a restore', () => {
    const a = 'Jeremy Corbyn spoke. Mr Corbyn said: “Yes.” Corbyn left.\n';
    const ix = fresh(new Map([['a.txt', a], ['b.txt', 'Jeremy Corbyn again.\n']]));
    const stats = (x: CorpusIndex) =>
      [...x.snapshotState().groups].flatMap(([k, g]) => [...g.names].map(([name, t]) => [`${k} ${name}`, { count: t.count, rank: t.rank, byRank: t.byRank }] as const)).sort((p, q) => (p[0] < q[0] ? -1 : 1));
    const ranksInUse = (x: CorpusIndex) => stats(x).map(([, t]) => ranksOf(t as NameStat).filter((n) => n > 0).length);
    // Counts per rank only where the name's mentions have more than one ("Mr Corbyn" and "Corbyn" here).
    // (First occurrences are fixed lazily, so only the counts are compared.)
    for (const [k, t] of stats(ix)) assert.equal(t.byRank === undefined, ranksOf(t as NameStat).filter((n) => n > 0).length === 1, k);
    assert.ok(ranksInUse(ix).includes(1) && ranksInUse(ix).some((n) => n > 1));
    for (const [, t] of stats(ix)) assert.equal(ranksOf(t as NameStat).reduce((x, y) => x + y), t.count);
    const back = restored(ix);
    assert.deepStrictEqual(stats(back), stats(ix));
    // An edit that leaves one rank in use gives the form a fresh tally has; so does a restored index's edit.
    const b = 'Jeremy Corbyn spoke. Corbyn left.\n';
    ix.setDocument('a.txt', b);
    back.setDocument('a.txt', b);
    const want = fresh(new Map([['a.txt', b], ['b.txt', 'Jeremy Corbyn again.\n']]));
    assert.deepStrictEqual(stats(ix), stats(want));
    assert.deepStrictEqual(stats(back), stats(want));
    assert.ok(ranksInUse(want).every((n) => n === 1));
  });

  it('holds no texts when the index fetches them', () => {
    const source = (d: string) => texts.get(d);
    const ix = new CorpusIndex({ textSource: source });
    for (const [d, t] of texts) ix.setDocument(d, t);
    const back = restored(ix, { textSource: source });
    assert.deepStrictEqual(observe(back), observe(ix));
    assert.equal(sections(ix).bytes.length, 0);
  });

  it('refuses a snapshot of another text mode, a damaged one, or a non-empty index, leaving the index as it was', () => {
    const ix = fresh(texts);
    const s = sections(ix);
    assert.throws(() => new CorpusIndex({ textSource: () => undefined }).restoreSnapshot(s), (e) => isSnapshotError(e));
    const cut = new CorpusIndex();
    assert.throws(() => cut.restoreSnapshot({ ...s, ints: s.ints.subarray(0, s.ints.length - 100) }), (e) => isSnapshotError(e));
    assert.equal(cut.documents().length, 0);
    assert.equal(cut.entities().length, 0);
    const bad = new Int32Array(s.ints);
    bad[1] = 1 << 30; // a string id out of range
    assert.throws(() => new CorpusIndex().restoreSnapshot({ ...s, ints: bad }), (e) => isSnapshotError(e));
    const short = new CorpusIndex();
    assert.throws(() => short.restoreSnapshot({ ...s, rows: s.rows.subarray(0, s.rows.length - 1) }), (e) => isSnapshotError(e));
    assert.equal(short.stats().documents, 0);
    const full = fresh(new Map([[keys0(), texts.get(keys0())!]]));
    assert.throws(() => full.restoreSnapshot(s), (e) => isSnapshotError(e));
    assert.equal(full.documents().length, 1);
  });

  it('after a restore that failed late (everything but the end decoded), restores a good snapshot exactly', () => {
    // decodeIndex fills the live maps as it goes and empties them again on failure: nothing may be left behind
    // (documents, groups, dirty groups, table strings, counts).
    const ix = fresh(texts);
    const s = sections(ix);
    const long = new Int32Array(s.ints.length + 1);
    long.set(s.ints);
    const again = new CorpusIndex();
    assert.throws(() => again.restoreSnapshot({ ...s, ints: long }), (e) => isSnapshotError(e));
    assert.equal(again.stats().documents, 0);
    assert.equal(again.entities().length, 0);
    again.restoreSnapshot(s);
    assert.deepStrictEqual(observe(again), observe(ix));
  });

  it('restores from sections that are views at an offset into a larger buffer', () => {
    const ix = fresh(texts);
    const s = sections(ix);
    const at = <T extends Int32Array | Uint32Array | Uint8Array>(a: T, make: (b: ArrayBuffer, o: number, n: number) => T, width: number): T => {
      const buf = new ArrayBuffer(16 + a.length * width + 16);
      const v = make(buf, 16, a.length);
      v.set(a as never);
      return v;
    };
    const moved: SnapshotSections = {
      ...s,
      rows: at(s.rows, (b, o, n) => new Int32Array(b, o, n), 4),
      bytes: at(s.bytes, (b, o, n) => new Uint8Array(b, o, n), 1),
      lines: at(s.lines, (b, o, n) => new Uint32Array(b, o, n), 4),
    };
    const back = new CorpusIndex();
    back.restoreSnapshot(moved);
    assert.deepStrictEqual(observe(back), observe(ix));
    const fetched = new CorpusIndex({ textSource: (d) => texts.get(d) });
    for (const [d, t] of texts) fetched.setDocument(d, t);
    const fs = sections(fetched);
    const backFetched = new CorpusIndex({ textSource: (d) => texts.get(d) });
    backFetched.restoreSnapshot({ ...fs, rows: at(fs.rows, (b, o, n) => new Int32Array(b, o, n), 4), lines: at(fs.lines, (b, o, n) => new Uint32Array(b, o, n), 4) });
    assert.deepStrictEqual(observe(backFetched), observe(fetched));
  });
});

const keys0 = () => [...texts.keys()][0];

describe('index snapshot: saved summaries', () => {
  // Groups whose names share a slug ("-2" ids), so that ids depend on the order of assignment.
  const twins = new Map(texts);
  twins.set('twins.txt', 'Anna Berg spoke. Anna-Berg said: “Yes.” ANNA BERG agreed. Anna Bërg left. The Berg Group (BG) and Berg group met.');
  const dirtyOf = (ix: CorpusIndex) => ix.snapshotState().dirty.size;

  it('carries names, aliases and ids when all are current, and answers as a restore that computes them', () => {
    const ix = fresh(twins);
    const without = restored(ix); // nothing asked yet: summaries not current, so none saved
    assert.ok(dirtyOf(without) > 0);
    const want = observe(ix);
    assert.ok(want.entities.some((e) => /-\d+$/.test(e.id)), 'the corpus has ids with a number');
    const back = restored(ix);
    assert.equal(dirtyOf(back), 0, 'every group restored with its summary');
    assert.deepStrictEqual(observe(back), want);
    assert.deepStrictEqual(observe(without), want);
    // Saved again from the restored index: the same summaries.
    const again = restored(back);
    assert.equal(dirtyOf(again), 0);
    assert.deepStrictEqual(observe(again), want);
  });

  it('stays equal to a fresh index through edits after a restore with summaries', () => {
    const ix = fresh(twins);
    ix.prepare();
    const back = restored(ix);
    assert.equal(dirtyOf(back), 0);
    const final = new Map(twins);
    const edits: Array<[string, string | undefined]> = [
      // Owners of a slug come and go: ids move between groups.
      ['twins.txt', 'Anna Bërg spoke. The Berg Group (BG) met. Anna Berg left.'],
      ['more.txt', 'Anna Berg and ANNA BERG met Anna-Berg. Jeremy Corbyn said: “Fine.”'],
      [[...twins.keys()][2], undefined],
      ['twins.txt', undefined],
    ];
    for (const [d, t] of edits) {
      // A search between edits: the search index follows the groups lazily and must not drift.
      back.search('ber', 5);
      if (t === undefined) back.deleteDocument(d);
      else back.setDocument(d, t);
      if (t === undefined) final.delete(d);
      else final.set(d, t);
      assert.deepStrictEqual(observe(back), observe(fresh(final)));
    }
  });

  it('refuses a saved id that does not go with its slug, leaving the index empty', () => {
    const ix = fresh(twins);
    ix.prepare();
    const g = [...ix.snapshotState().groups.values()][0];
    g.id = `${g.type === 'person' ? 'organisation' : 'person'}:elsewhere`;
    const back = new CorpusIndex();
    assert.throws(() => back.restoreSnapshot(sections(ix)), (e) => isSnapshotError(e));
    assert.equal(back.documents().length, 0);
    assert.equal(back.entities().length, 0);
  });

  it('assigns ids again when two saved groups share one, answering as a fresh index', () => {
    const ix = fresh(twins);
    const want = observe(ix);
    const [a, b] = [...ix.snapshotState().groups.values()].filter((g) => g.type === 'person');
    b.slug = a.slug;
    b.id = a.id;
    const back = restored(ix);
    assert.ok(dirtyOf(back) > 0, 'summaries dropped');
    assert.deepStrictEqual(observe(back), want);
  });
});
