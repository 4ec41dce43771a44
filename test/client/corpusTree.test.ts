import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EntityItem, IndexStatus, MentionItem, QuotationGroup } from '../../server/src/protocol';
import {
  entityDescription,
  entityPicks,
  entityTooltip,
  groupChildren,
  indexingFinishedLine,
  mentionChildren,
  mentionLabel,
  nearestMention,
  parentKeyOf,
  quotationChildren,
  quotationLabel,
  rootNodes,
  shorten,
  sortEntities,
  speakerDescription,
  speakerPage,
  appendPage,
  moreLabel,
  statusBarText,
  statusBarTooltip,
  uriBasename,
  type CorpusNode,
  type CorpusSnapshot,
} from '../../client/src/corpusTree';

function entity(id: string, type: EntityItem['type'], name: string, mentionCount: number, extra: Partial<EntityItem> = {}): EntityItem {
  return { id, type, name, aliases: [name], mentionCount, fileCount: 1, quoteCount: 0, ...extra };
}

/** A mention whose context is `lineText` and whose text is the first occurrence of `word` in it (after `after`). */
function mention(uri: string, line: number, lineText: string, word: string, after = ''): MentionItem {
  const at = lineText.indexOf(word, after ? lineText.indexOf(after) + after.length : 0);
  assert.ok(at >= 0, `${word} not in ${lineText}`);
  return {
    uri,
    range: { start: { line: line - 1, character: at }, end: { line: line - 1, character: at + word.length } },
    line,
    text: word,
    context: lineText,
    contextSpan: [at, at + word.length],
  };
}

function status(over: Partial<IndexStatus> = {}): IndexStatus {
  return {
    state: 'ready',
    filesDone: 3,
    filesTotal: 3,
    version: 7,
    counts: { documents: 3, people: 2, organisations: 1, quotes: 4, mentions: 20 },
    skipped: [],
    ...over,
  };
}

const people = [
  entity('person:ann-lee', 'person', 'Ann Lee', 3),
  entity('person:bob-stone', 'person', 'Bob Stone', 9, { aliases: ['Bob Stone', 'Stone', 'Mr Stone'], fileCount: 2, quoteCount: 2 }),
  entity('person:cy-young', 'person', 'Cy Young', 3, { fileCount: 2 }),
];
const orgs = [entity('organisation:acme-union', 'organisation', 'Acme Union', 5, { aliases: ['Acme Union', 'AU'] })];
const groups: QuotationGroup[] = [
  {
    speakerId: 'person:bob-stone',
    label: 'Bob Stone',
    type: 'person',
    quotes: [
      { uri: 'file:///c/a.txt', range: { start: { line: 2, character: 5 }, end: { line: 2, character: 30 } }, line: 3, text: 'We will not move an inch', speakerId: 'person:bob-stone' },
    ],
  },
  {
    label: 'Unattributed',
    quotes: [
      { uri: 'file:///c/b.txt', range: { start: { line: 0, character: 1 }, end: { line: 0, character: 9 } }, line: 1, text: 'No comment', speakerText: 'a spokesman' },
    ],
  },
];
const snapshot: CorpusSnapshot = {
  counts: { people: 3, organisations: 1, quotes: 2 },
  people: { items: sortEntities(people), total: 3 },
  organisations: { items: orgs, total: 1 },
  speakers: speakerPage(groups, groups.length, groups.filter((g) => !g.speakerId)),
  status: status(),
};
const empty: CorpusSnapshot = { counts: { people: 0, organisations: 0, quotes: 0 } };

describe('corpus tree model', () => {
  it('has no top-level rows when nothing is known, so the welcome text shows', () => {
    assert.deepEqual(rootNodes(empty), []);
    assert.deepEqual(rootNodes({ ...empty, status: status({ counts: { documents: 0, people: 0, organisations: 0, quotes: 0, mentions: 0 } }) }), []);
  });

  it('lists People, Organisations and Quotations with counts, and Skipped files only when some were skipped', () => {
    const roots = rootNodes(snapshot);
    assert.deepEqual(
      roots.map((n) => (n.kind === 'group' ? [n.group, n.count] : n.kind)),
      [['people', 3], ['organisations', 1], ['quotations', 2]],
    );
    const withSkipped = rootNodes({ ...snapshot, status: status({ skipped: [{ uri: 'file:///c/big.txt', reason: 'larger than 64 MB' }] }) });
    assert.deepEqual(withSkipped.at(-1), { kind: 'group', key: 'group:skipped', group: 'skipped', count: 1 });
  });

  it('sorts entities by mention count, then files, then name', () => {
    assert.deepEqual(sortEntities(people).map((e) => e.name), ['Bob Stone', 'Cy Young', 'Ann Lee']);
    const children = groupChildren(snapshot, 'people');
    assert.deepEqual(children.map((n) => n.key), ['entity:person:bob-stone', 'entity:person:cy-young', 'entity:person:ann-lee']);
    assert.deepEqual(groupChildren(snapshot, 'organisations').map((n) => n.key), ['entity:organisation:acme-union']);
  });

  it('groups quotations by speaker, and gives each node a unique key and a parent', () => {
    const speakers = groupChildren(snapshot, 'quotations');
    assert.deepEqual(speakers.map((n) => n.key), ['speaker:person:bob-stone', 'speaker:text:Unattributed']);
    const quotes = speakers.flatMap((s) => (s.kind === 'speaker' ? quotationChildren(s.speaker) : []));
    assert.equal(quotes.length, 2);
    assert.equal(parentKeyOf(quotes[0]), 'speaker:person:bob-stone');
    assert.equal(parentKeyOf(speakers[0]), 'group:quotations');
    const all: CorpusNode[] = [...rootNodes(snapshot), ...groupChildren(snapshot, 'people'), ...groupChildren(snapshot, 'organisations'), ...speakers, ...quotes];
    assert.equal(new Set(all.map((n) => n.key)).size, all.length);
  });

  it('counts quotations from the server\'s totals when only the counts were loaded, and adds a "more" row', () => {
    const counted = groups.map((g) => ({ ...g, quotes: [], total: 3 }));
    const countsOnly: CorpusSnapshot = { ...snapshot, counts: { ...snapshot.counts, quotes: 6 }, speakers: speakerPage(counted, 2, counted.slice(1)) };
    const root = rootNodes(countsOnly).find((n) => n.kind === 'group' && n.group === 'quotations');
    assert.equal(root?.kind === 'group' && root.count, 6);
    const speakers = groupChildren(countsOnly, 'quotations');
    assert.equal(speakers.length, 2, 'a speaker whose quotations are not loaded yet is still listed');
    const first = speakers[0];
    assert.ok(first.kind === 'speaker');
    assert.equal(speakerDescription(first.speaker), '3 quotations');
    const loaded = quotationChildren(first.speaker, groups[0].quotes, 3);
    assert.deepEqual(loaded.map((n) => n.kind), ['quotation', 'more']);
    assert.deepEqual(loaded[1], { kind: 'more', key: 'more:speaker:person:bob-stone', parentKey: 'speaker:person:bob-stone', hidden: 2, what: 'quotation' });
  });

  it('expands an entity to its mentions, with a "more" row when the list was cut', () => {
    const line = 'Yesterday Mr Stone told the union that Stone would stay.';
    const ms = [mention('file:///c/a.txt', 4, line, 'Mr Stone'), mention('file:///c/a.txt', 4, line, 'Stone', 'union that')];
    const nodes = mentionChildren('person:bob-stone', ms, 9);
    assert.equal(nodes.length, 3);
    assert.equal(parentKeyOf(nodes[0]), 'entity:person:bob-stone');
    assert.notEqual(nodes[0].key, nodes[1].key);
    assert.deepEqual(nodes[2], { kind: 'more', key: 'more:entity:person:bob-stone', parentKey: 'entity:person:bob-stone', hidden: 7, entityId: 'person:bob-stone' });
    assert.equal(mentionChildren('person:bob-stone', ms).length, 2);
  });

  it('shows a loaded page in the server\'s order and a "more" row for the rest, which loads the next page', () => {
    // The server's order (most mentioned, then name) is kept as it is: pages must fit together.
    const page = [entity('person:b', 'person', 'B', 5), entity('person:a', 'person', 'A', 5, { fileCount: 4 })];
    const nodes = groupChildren({ ...empty, people: { items: page, total: 9000 } }, 'people');
    assert.deepEqual(nodes.map((n) => n.key), ['entity:person:b', 'entity:person:a', 'more:group:people']);
    const more = nodes[2];
    assert.deepEqual(more, { kind: 'more', key: 'more:group:people', parentKey: 'group:people', hidden: 8998, what: 'person', group: 'people' });
    assert.equal(parentKeyOf(more), 'group:people');
    assert.equal(moreLabel(more.kind === 'more' ? more : { hidden: 0 }), '8,998 more people…');
    assert.equal(moreLabel({ hidden: 1, what: 'organisation' }), '1 more organisation…');
    assert.equal(moreLabel({ hidden: 3 }), '3 more mentions…');
    // Everything loaded: no "more" row; a group not loaded yet (closed): no rows at all.
    assert.deepEqual(groupChildren({ ...empty, people: { items: page, total: 2 } }, 'people').map((n) => n.kind), ['entity', 'entity']);
    assert.deepEqual(groupChildren(empty, 'people'), []);
  });

  it('keeps a revealed entity beyond the loaded page, once, and counts it out of "more"', () => {
    const page = [entity('person:b', 'person', 'B', 5)];
    const far = entity('person:z', 'person', 'Z', 1);
    const nodes = groupChildren({ ...empty, people: { items: page, total: 50, pinned: [far, page[0], far] } }, 'people');
    assert.deepEqual(nodes.map((n) => n.key), ['entity:person:b', 'entity:person:z', 'more:group:people']);
    assert.equal(nodes[2].kind === 'more' && nodes[2].hidden, 48);
    assert.equal(parentKeyOf(nodes[1]), 'group:people');
    // An organisation never lands among People; a page answered at another version than its total never says "-1 more".
    const odd = groupChildren({ ...empty, people: { items: page, total: 0, pinned: [entity('organisation:x', 'organisation', 'X', 2)] } }, 'people');
    assert.deepEqual(odd.map((n) => n.key), ['entity:person:b']);
  });

  it('appends a next page without repeating what an edit moved across the page boundary', () => {
    const a = entity('person:a', 'person', 'A', 9);
    const b = entity('person:b', 'person', 'B', 8);
    const c = entity('person:c', 'person', 'C', 7);
    assert.deepEqual(appendPage([a, b], [b, c], (e) => e.id).map((e) => e.id), ['person:a', 'person:b', 'person:c']);
    assert.deepEqual(appendPage([], [], (e: EntityItem) => e.id), []);
  });

  it('pages the Quotations group by named speaker and always shows the unattributed count', () => {
    const speaker = (i: number): QuotationGroup => ({ speakerId: `person:s${i}`, label: `S${i}`, type: 'person', quotes: [], total: 100 - i });
    const unattributed: QuotationGroup = { label: 'Unattributed', quotes: [], total: 5000 };
    // The server's list has 500 named speakers and the unattributed group last: 501 groups; the page holds 3.
    const page = speakerPage([speaker(0), speaker(1), speaker(2)], 501, [unattributed]);
    assert.equal(page.total, 500);
    const nodes = groupChildren({ ...empty, speakers: page }, 'quotations');
    assert.deepEqual(nodes.map((n) => n.key), ['speaker:person:s0', 'speaker:person:s1', 'speaker:person:s2', 'speaker:text:Unattributed', 'more:group:quotations']);
    assert.equal(nodes[4].kind === 'more' && moreLabel(nodes[4]), '497 more speakers…');
    // The last page carries the unattributed group too: it is shown once, and nothing is "more".
    const all = speakerPage([speaker(0), unattributed], 2, [unattributed]);
    assert.deepEqual(groupChildren({ ...empty, speakers: all }, 'quotations').map((n) => n.key), ['speaker:person:s0', 'speaker:text:Unattributed']);
    // No unattributed quotations: the total is the named speakers alone.
    assert.deepEqual(speakerPage([speaker(0)], 4, []).total, 4);
  });

  it('parents entities under their type group', () => {
    const [bob] = groupChildren(snapshot, 'people');
    assert.equal(parentKeyOf(bob), 'group:people');
    assert.equal(parentKeyOf(groupChildren(snapshot, 'organisations')[0]), 'group:organisations');
  });
});

describe('labels', () => {
  it('describes an entity by its mention and file counts', () => {
    assert.equal(entityDescription(people[1]), '9 mentions · 2 files');
    assert.equal(entityDescription(entity('person:x', 'person', 'X Y', 1)), '1 mention');
    assert.equal(entityDescription(entity('person:x', 'person', 'X Y', 4)), '4 mentions');
  });

  it('lists the other aliases and the quotations in the tooltip', () => {
    const tip = entityTooltip(people[1]);
    assert.match(tip, /\*\*Bob Stone\*\* — person/);
    assert.match(tip, /Also: Stone, Mr Stone/);
    assert.match(tip, /2 quotations attributed/);
  });

  it('highlights the mention inside its context', () => {
    const line = 'Yesterday Mr Stone told the union that he would stay.';
    const { label, highlights } = mentionLabel(mention('file:///c/a.txt', 4, line, 'Mr Stone'));
    assert.equal(label, line);
    const [[s, e]] = highlights;
    assert.equal(label.slice(s, e), 'Mr Stone');
  });

  it('cuts a long context around the mention and keeps the mention whole', () => {
    const line = `${'word '.repeat(40)}Acme Union${' more'.repeat(40)}`;
    for (const max of [20, 40, 80]) {
      const { label, highlights } = mentionLabel(mention('file:///c/a.txt', 1, line, 'Acme Union'), max);
      const [[s, e]] = highlights;
      assert.equal(label.slice(s, e), 'Acme Union');
      assert.ok(label.length <= max + 2, `${label.length} > ${max}`);
      assert.ok(label.startsWith('…') && label.endsWith('…'), label);
    }
    // Mention at the very start: all the room goes to the right.
    const start = mentionLabel(mention('file:///c/a.txt', 1, `Acme Union${' more'.repeat(40)}`, 'Acme Union'), 30);
    assert.ok(start.label.startsWith('Acme Union more'), start.label);
    assert.deepEqual(start.highlights, [[0, 10]]);
  });

  it('falls back to the mention text when the context does not hold it', () => {
    const m = { ...mention('file:///c/a.txt', 1, 'Ann Lee spoke.', 'Ann Lee'), contextSpan: [50, 60] as [number, number] };
    assert.deepEqual(mentionLabel(m), { label: 'Ann Lee', highlights: [[0, 7]] });
    assert.deepEqual(mentionLabel({ ...m, context: '', text: '' }), { label: '', highlights: [] });
  });

  it('collapses white space in contexts and quotations', () => {
    const line = 'said\tMr  Stone\r\nyesterday';
    const { label, highlights } = mentionLabel(mention('file:///c/a.txt', 1, line, 'Mr  Stone'));
    assert.equal(label, 'said Mr Stone yesterday');
    assert.equal(label.slice(highlights[0][0], highlights[0][1]), 'Mr Stone');
    assert.equal(quotationLabel({ ...groups[0].quotes[0], text: 'We  will\nnot' }), '“We will not”');
  });

  it('shortens at a word boundary', () => {
    assert.equal(shorten('one two three four five six', 14), 'one two three…');
    assert.equal(shorten('short', 14), 'short');
    assert.equal(shorten('abcdefghijklmnopqrstuvwxyz', 10), 'abcdefghi…');
  });

  it('decodes the last segment of a URI', () => {
    assert.equal(uriBasename('file:///c/My%20Articles/Some%20File.txt'), 'Some File.txt');
    assert.equal(uriBasename('untitled:Untitled-1'), 'Untitled-1');
    assert.equal(uriBasename('file:///c/bad%E0.txt'), 'bad%E0.txt');
  });
});

describe('status bar and output', () => {
  it('shows counts when ready and progress while indexing', () => {
    assert.equal(statusBarText(status()), '$(person) 2 · $(organization) 1 · $(quote) 4');
    assert.equal(statusBarText(status({ state: 'indexing', filesDone: 5, filesTotal: 40 })), '$(sync~spin) Indexing 5/40');
    assert.equal(statusBarText(status({ state: 'indexing', filesDone: 0, filesTotal: 0 })), '$(sync~spin) Indexing …');
    assert.match(statusBarText(undefined), /sync~spin/);
  });

  it('lists skipped files with reasons in the tooltip, a few at most', () => {
    const skipped = Array.from({ length: 10 }, (_, i) => ({ uri: `file:///c/f${i}.bin`, reason: 'binary file' }));
    const tip = statusBarTooltip(status({ skipped }), 3);
    assert.match(tip, /10 files skipped:/);
    assert.match(tip, /- f0\\\.bin: binary file/);
    assert.match(tip, /and 7 more/);
    assert.match(statusBarTooltip(status()), /No files skipped\./);
  });

  it('writes the indexing-finished line the editor tests wait for', () => {
    const line = indexingFinishedLine(status({ skipped: [{ uri: 'file:///c/x', reason: 'binary' }] }), 1.234);
    assert.equal(line, 'Corpus Navigator: indexing finished: 2 people · 1 organisation · 4 quotations (3 files, 1 skipped, 1.2 s)');
  });
});

describe('quick pick and navigation targets', () => {
  it('offers every entity, most mentioned first, searchable by alias', () => {
    const picks = entityPicks([...people, ...orgs]);
    assert.deepEqual(picks.map((p) => p.id), ['person:bob-stone', 'organisation:acme-union', 'person:cy-young', 'person:ann-lee']);
    assert.equal(picks[0].label, '$(person) Bob Stone');
    assert.equal(picks[0].detail, 'Also: Stone, Mr Stone');
    assert.equal(picks[1].label, '$(organization) Acme Union');
    assert.equal(picks[2].detail, undefined);
  });

  it('keeps the server\'s order for the matches of a typed query', () => {
    const byRelevance = [people[0], people[1]];
    assert.deepEqual(entityPicks(byRelevance, true).map((p) => p.id), ['person:ann-lee', 'person:bob-stone']);
    assert.deepEqual(entityPicks(byRelevance).map((p) => p.id), ['person:bob-stone', 'person:ann-lee']);
  });

  it('finds the mention nearest a position in the same document, preferring one before it', () => {
    const text = ['Bob Stone arrived.', '“We stay,” he said.', 'Later Stone left.'];
    const ms = [
      mention('file:///c/a.txt', 1, text[0], 'Bob Stone'),
      mention('file:///c/a.txt', 3, text[2], 'Stone'),
      mention('file:///c/b.txt', 1, text[0], 'Bob Stone'),
    ];
    const inQuote = { line: 1, character: text[1].indexOf('stay') };
    assert.equal(nearestMention(ms, 'file:///c/a.txt', inQuote), ms[0]);
    assert.equal(nearestMention(ms, 'file:///c/a.txt', { line: 0, character: 0 }), ms[0]);
    assert.equal(nearestMention(ms.slice(1), 'file:///c/a.txt', { line: 0, character: 0 }), ms[1]);
    assert.equal(nearestMention(ms, 'file:///c/z.txt', inQuote), undefined);
  });
});
