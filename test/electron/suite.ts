// The in-editor checks, through the VS Code API: the same things the code-server test sees on screen (hover card,
// references across files through aliases, document symbols, the Corpus view's data, an unsaved edit), asked of
// VS Code's own provider commands, so they exercise the real client ↔ server path inside the editor.
//
// The workspace is a copy of ../shared/seeds or of the sample corpus (runTest.ts). On the seeds the probes are fixed,
// loose facts ("Corbyn" in ≥ 3 files, "JLM" grouped with "Jewish Labour Movement"); elsewhere the person and the
// organisation to probe are the best-spread ones the server reports. Positions come from searching the text.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CorpusNavigatorApi, TreeSnapshotNode } from '../../client/src/api';
import { EntitiesRequest, type EntitiesResult, type EntityItem } from '../../server/src/protocol';

export interface Check {
  name: string;
  fn: () => Promise<void>;
  /** Later checks make no sense when this one fails. */
  fatal?: boolean;
}

const NEW_SENTENCE = 'Dr Amelia Hartwell said the plan was sound.';
const NEW_SURNAME = 'Hartwell';

interface Probe {
  /** A file containing the entity, and the text to search in it. */
  uri: vscode.Uri;
  word: string;
  phrase?: string;
  name: RegExp;
  minFiles: number;
  aliasForms: string[];
}

let api: CorpusNavigatorApi;
let person: Probe;
let organisation: Probe;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function corpusFiles(): Promise<vscode.Uri[]> {
  return (await vscode.workspace.findFiles('**/*.{txt,md}')).sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

async function textOf(uri: vscode.Uri): Promise<string> {
  return (await vscode.workspace.openTextDocument(uri)).getText();
}

/** The position one character inside `word` (after `phrase` when given) in the document. */
async function positionOf(p: { uri: vscode.Uri; word: string; phrase?: string }): Promise<vscode.Position> {
  const doc = await vscode.workspace.openTextDocument(p.uri);
  const text = doc.getText();
  let offset = -1;
  if (p.phrase) {
    const i = text.indexOf(p.phrase);
    if (i >= 0) offset = i + p.phrase.indexOf(p.word);
  } else {
    const m = new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRe(p.word)}(?![\\p{L}\\p{N}_])`, 'u').exec(text);
    offset = m ? m.index : -1;
  }
  assert.ok(offset >= 0, `"${p.phrase ?? p.word}" not found in ${p.uri.fsPath}`);
  return doc.positionAt(offset + Math.min(1, p.word.length - 1));
}

function hoverText(hovers: vscode.Hover[] | undefined): string {
  return (hovers ?? [])
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

async function hoverAt(uri: vscode.Uri, pos: vscode.Position): Promise<string> {
  return hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos));
}

async function referencesAt(uri: vscode.Uri, pos: vscode.Position): Promise<vscode.Location[]> {
  return (await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', uri, pos)) ?? [];
}

async function textsAt(locations: vscode.Location[]): Promise<string[]> {
  const out = new Set<string>();
  for (const l of locations) out.add((await vscode.workspace.openTextDocument(l.uri)).getText(l.range));
  return [...out];
}

function flatten(nodes: TreeSnapshotNode[] | undefined, group?: RegExp): TreeSnapshotNode[] {
  const top = (nodes ?? []).filter((n) => !group || group.test(n.label));
  return top.flatMap((n) => n.children ?? []);
}

/** Seeds: fixed loose facts. Elsewhere: the best-spread person and organisation the server reports. */
async function chooseProbes(): Promise<void> {
  const files = await corpusFiles();
  const containing = async (word: string) => {
    const out: vscode.Uri[] = [];
    for (const f of files) if (new RegExp(`\\b${escapeRe(word)}\\b`).test(await textOf(f))) out.push(f);
    return out;
  };
  const corbyn = await containing('Corbyn');
  const jlm = await containing('JLM');
  if (corbyn.length >= 3 && jlm.length > 0) {
    let withMr = corbyn[0];
    for (const f of corbyn) if ((await textOf(f)).includes('Mr Corbyn')) { withMr = f; break; }
    person = { uri: withMr, word: 'Corbyn', phrase: (await textOf(withMr)).includes('Mr Corbyn') ? 'Mr Corbyn' : undefined, name: /Corbyn/, minFiles: 3, aliasForms: ['Mr Corbyn', 'Jeremy Corbyn', 'Corbyn'] };
    let withLong = jlm[0];
    for (const f of jlm) if ((await textOf(f)).includes('Jewish Labour Movement')) { withLong = f; break; }
    organisation = { uri: withLong, word: 'JLM', name: /Jewish Labour Movement|JLM/, minFiles: 1, aliasForms: ['JLM', 'Jewish Labour Movement'] };
    return;
  }
  // By method name: this bundle's copy of the protocol's RequestType class is not the client's, and the client
  // recognises parameter structures by identity.
  const { entities } = await api.client.sendRequest<EntitiesResult>(EntitiesRequest.method, {});
  const pick = async (type: EntityItem['type']): Promise<Probe> => {
    const e = entities.filter((x) => x.type === type).sort((a, b) => b.fileCount - a.fileCount || b.aliases.length - a.aliases.length)[0];
    assert.ok(e, `the server reports no ${type}`);
    const alias = e.aliases.find((a) => a !== e.name) ?? e.name;
    const word = alias.split(/\s+/).pop()!.replace(/['’]s$/, '');
    let uri: vscode.Uri | undefined;
    for (const f of files) if ((await textOf(f)).includes(alias)) { uri = f; break; }
    assert.ok(uri, `no file contains "${alias}"`);
    return { uri, word, phrase: alias, name: new RegExp(escapeRe(e.name)), minFiles: Math.min(e.fileCount, 3), aliasForms: e.aliases };
  };
  person = await pick('person');
  organisation = await pick('organisation');
}

export const tests: Check[] = [
  {
    name: 'the extension activates and indexes the workspace',
    fatal: true,
    fn: async () => {
      const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'corpus-navigator');
      assert.ok(ext, 'extension corpus-navigator is not installed in this VS Code');
      api = (await ext.activate()) as CorpusNavigatorApi;
      assert.ok(api && typeof api.whenIndexed === 'function', 'activate() did not return the Corpus Navigator API');
      const status = await api.whenIndexed(120_000);
      assert.ok(status.counts.documents > 0, `no documents indexed: ${JSON.stringify(status)}`);
      await chooseProbes();
    },
  },
  {
    name: 'hover card: canonical name, mention and file counts, a quotation',
    fn: async () => {
      const doc = await vscode.workspace.openTextDocument(person.uri);
      await vscode.window.showTextDocument(doc);
      const text = await hoverAt(person.uri, await positionOf(person));
      assert.match(text, person.name);
      const m = /(\d+) mentions? in (\d+) files?/.exec(text);
      assert.ok(m && Number(m[2]) >= person.minFiles, `expected "N mentions in ≥ ${person.minFiles} files" in ${JSON.stringify(text)}`);
      assert.match(text, /[“"‘].{3,}[”"’]/s, 'the card quotes the person');
    },
  },
  {
    name: 'references: mentions in several files, through aliases',
    fn: async () => {
      const refs = await referencesAt(person.uri, await positionOf(person));
      const files = new Set(refs.map((l) => l.uri.toString()));
      assert.ok(files.size >= person.minFiles, `${refs.length} references in ${files.size} files`);
      const texts = await textsAt(refs);
      const forms = person.aliasForms.filter((a) => texts.some((t) => t.includes(a)));
      assert.ok(forms.length >= 2, `reference texts ${JSON.stringify(texts)}; expected ≥ 2 of ${JSON.stringify(person.aliasForms)}`);
    },
  },
  {
    name: 'references of an organisation group its acronym and full name',
    fn: async () => {
      const refs = await referencesAt(organisation.uri, await positionOf(organisation));
      const texts = await textsAt(refs);
      const forms = organisation.aliasForms.filter((a) => texts.some((t) => t.includes(a)));
      assert.ok(forms.length >= Math.min(2, organisation.aliasForms.length), `reference texts ${JSON.stringify(texts)}; expected ${JSON.stringify(organisation.aliasForms)}`);
    },
  },
  {
    name: 'document symbols: People and Organisations with the expected names',
    fn: async () => {
      const syms = (await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', person.uri)) ?? [];
      const top = syms.map((s) => s.name);
      assert.ok(top.some((n) => /^People/.test(n)) && top.some((n) => /^Organi[sz]ations/.test(n)), `top-level symbols ${JSON.stringify(top)}`);
      const people = syms.filter((s) => /^People/.test(s.name)).flatMap((s) => s.children.map((c) => c.name));
      assert.ok(people.some((n) => person.name.test(n)), `people ${JSON.stringify(people)}`);
    },
  },
  {
    name: 'Corpus view data lists the people and organisations',
    fn: async () => {
      const rows = await api.treeSnapshot(2);
      const people = flatten(rows, /^People/).map((r) => r.label);
      const orgs = flatten(rows, /^Organi[sz]ations/).map((r) => r.label);
      assert.ok(people.some((l) => person.name.test(l)), `People ${JSON.stringify(people.slice(0, 20))}`);
      assert.ok(orgs.length > 0, `Organisations ${JSON.stringify(orgs)}`);
    },
  },
  {
    name: 'Find All Mentions runs at a mention',
    fn: async () => {
      const editor = await vscode.window.showTextDocument(person.uri);
      const pos = await positionOf(person);
      editor.selection = new vscode.Selection(pos, pos);
      await vscode.commands.executeCommand('corpusNavigator.findAllMentions');
    },
  },
  {
    name: 'an unsaved edit updates the Corpus view and the hover',
    fn: async () => {
      const editor = await vscode.window.showTextDocument(person.uri);
      const before = api.status?.version ?? -1;
      const end = editor.document.positionAt(editor.document.getText().length);
      assert.ok(await editor.edit((e) => e.insert(end, `\n\n${NEW_SENTENCE}`)), 'the edit was not applied');
      await api.waitForStatus((s) => s.version > before && s.state === 'ready', 30_000);
      const text = editor.document.getText();
      const at = editor.document.positionAt(text.lastIndexOf(NEW_SURNAME) + 1);
      let hover = '';
      let people: string[] = [];
      // the tree refreshes shortly after the status; give both a bounded time
      for (const t0 = Date.now(); Date.now() - t0 < 15_000; await new Promise((r) => setTimeout(r, 250))) {
        hover = await hoverAt(person.uri, at);
        people = flatten(await api.treeSnapshot(2), /^People/).map((r) => r.label);
        if (/Amelia Hartwell/.test(hover) && people.some((l) => /Amelia Hartwell/.test(l))) break;
      }
      assert.match(hover, /Amelia Hartwell/, `hover after the edit: ${JSON.stringify(hover)}`);
      assert.ok(people.some((l) => /Amelia Hartwell/.test(l)), `People after the edit: ${JSON.stringify(people)}`);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    },
  },
];
