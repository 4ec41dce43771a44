// The corpus the editor tests open and what they expect to find in it.
//
// ../shared/seeds (real articles) when present, else the project's own server/sample-corpus. Either is copied to a
// temporary folder first, so that the edits a test makes never touch the originals. Expectations are deliberately
// loose ("a person whose name contains Corbyn, mentioned in at least 3 files", "JLM grouped with Jewish Labour
// Movement"), so recognition tuning does not break them; for the sample corpus, whose text is not fixed here, the
// person and organisation to probe are read from the CLI's JSON (the same core) and then checked in the editor.
// Positions are always found by searching the text (anchors), never hand-counted.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SEEDS = path.resolve(ROOT, '..', 'shared', 'seeds');
export const SAMPLE = path.join(ROOT, 'server', 'sample-corpus');

/** The sentence the edit step adds; its person is in no corpus, so it can only come from the live edit. */
export const NEW_PERSON = { sentence: 'Dr Amelia Hartwell said the plan was sound.', surname: 'Hartwell', name: /Amelia Hartwell/ };

const TEXT_EXT = /\.(txt|md)$/i;

function listTextFiles(dir, rel = '') {
  const out = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listTextFiles(dir, r));
    else if (e.isFile() && TEXT_EXT.test(e.name)) out.push(r);
  }
  return out;
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whole-word occurrences of `word` in `text` as offsets. */
export function wordOffsets(text, word) {
  const re = new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRe(word)}(?![\\p{L}\\p{N}_])`, 'gu');
  return [...text.matchAll(re)].map((m) => m.index);
}

/** 1-based line and column (UTF-16) of an offset, the way VS Code's "Go to Line" and status bar count. */
export function lineCol(text, offset) {
  const before = text.slice(0, offset);
  const nl = before.lastIndexOf('\n');
  return { line: before.split('\n').length, col: offset - (nl + 1) + 1 };
}

/**
 * A probe point: the n-th whole-word occurrence of `word` in `file`, or `word` inside the first occurrence of
 * `phrase` (e.g. "Corbyn" in "Mr Corbyn"); the cursor goes one character inside the word.
 */
export function anchor(folder, file, word, { occurrence = 1, phrase } = {}) {
  const text = fs.readFileSync(path.join(folder, file), 'utf8').replace(/^\uFEFF/, '');
  let offset;
  if (phrase) {
    const i = text.indexOf(phrase);
    if (i >= 0) offset = i + phrase.indexOf(word);
  } else {
    offset = wordOffsets(text, word)[occurrence - 1];
  }
  if (offset === undefined || offset < 0) throw new Error(`anchor "${phrase ?? word}" not found in ${file}`);
  const pos = lineCol(text, offset + Math.min(1, word.length - 1));
  return { file, word, offset, ...pos };
}

function filesContaining(folder, files, word) {
  return files
    .map((f) => ({ f, n: wordOffsets(fs.readFileSync(path.join(folder, f), 'utf8'), word).length }))
    .filter((x) => x.n > 0)
    .sort((a, b) => b.n - a.n || a.f.localeCompare(b.f))
    .map((x) => x.f);
}

/** Runs the CLI on `folder` and returns its JSON, or undefined when the CLI is not built or fails. */
export function cliScan(folder) {
  const cli = path.join(ROOT, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) return undefined;
  try {
    return JSON.parse(execFileSync(process.execPath, [cli, 'scan', folder, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch {
    return undefined;
  }
}

/** Seeds: fixed, loose facts about well-known names in the articles. */
function seedsPlan(folder, files) {
  const corbynFiles = filesContaining(folder, files, 'Corbyn');
  const jlmFiles = filesContaining(folder, files, 'JLM').filter((f) => fs.readFileSync(path.join(folder, f), 'utf8').includes('Jewish Labour Movement'));
  if (corbynFiles.length < 3 || jlmFiles.length === 0) throw new Error(`${folder} does not look like the seeds any more (Corbyn in ${corbynFiles.length} files, JLM+Jewish Labour Movement in ${jlmFiles.length})`);
  const withMr = corbynFiles.find((f) => fs.readFileSync(path.join(folder, f), 'utf8').includes('Mr Corbyn')) ?? corbynFiles[0];
  return {
    person: {
      at: anchor(folder, withMr, 'Corbyn', { phrase: 'Mr Corbyn' }),
      name: /Corbyn/,
      minFiles: 3,
      // at least one form other than the bare surname must appear among the references
      aliasForms: ['Mr Corbyn', 'Jeremy Corbyn'],
      // what the References view shows per file: the line with the mention; "Corbyn" appears in ≥ 3 files
      refWord: 'Corbyn',
      expectFiles: corbynFiles,
    },
    organisation: {
      at: anchor(folder, jlmFiles[0], 'JLM'),
      name: /Jewish Labour Movement|JLM/,
      // the card of the acronym names the long form and lists the acronym: one organisation
      hoverAll: [/Jewish Labour Movement/, /\bJLM\b/],
      minFiles: 2,
      aliasForms: ['JLM', 'Jewish Labour Movement'],
      refWord: 'JLM',
      expectFiles: jlmFiles,
    },
    outlinePeople: [/Corbyn/],
    outlineOrganisations: [/Labour/],
    corpusPeople: [/Corbyn/],
    corpusOrganisations: [/Labour/],
  };
}

/** Sample corpus: take the best-spread person and organisation from the CLI's JSON and find them in the text. */
function cliPlan(folder, files) {
  const json = cliScan(folder);
  if (!json?.entities?.length) throw new Error(`no entities from "node dist/cli.js scan ${folder} --json" (is the CLI built and working?)`);
  const pick = (type) => {
    const cands = json.entities
      .filter((e) => e.type === type)
      .map((e) => ({ e, files: [...new Set(e.mentions.map((m) => m.file))], forms: [...new Set(e.mentions.map((m) => m.text))] }))
      .sort((a, b) => b.files.length - a.files.length || b.forms.length - a.forms.length || b.e.mentions.length - a.e.mentions.length);
    const c = cands[0];
    if (!c) throw new Error(`the CLI found no ${type} in ${folder}`);
    // probe the first mention written differently from the canonical name, so the hover has to resolve an alias
    const m = c.e.mentions.find((x) => x.text !== c.e.name) ?? c.e.mentions[0];
    const text = fs.readFileSync(path.join(folder, m.file), 'utf8').replace(/^\uFEFF/, '');
    const word = m.text.split(/\s+/).pop().replace(/['’]s$/, '');
    const offset = m.start + m.text.lastIndexOf(word);
    return {
      at: { file: m.file, word, offset, ...lineCol(text, offset + Math.min(1, word.length - 1)) },
      name: new RegExp(escapeRe(c.e.name)),
      hoverAll: [new RegExp(escapeRe(c.e.name))],
      minFiles: Math.min(c.files.length, 3),
      aliasForms: c.forms.slice(0, 4),
      refWord: word,
      expectFiles: c.files,
    };
  };
  const person = pick('person');
  const organisation = pick('organisation');
  return {
    person,
    organisation,
    outlinePeople: [],
    outlineOrganisations: [],
    corpusPeople: [person.name],
    corpusOrganisations: [organisation.name],
  };
}

/**
 * Copies the corpus to a fresh temporary folder and returns { source, folder, files, plan, cleanup }.
 * CORPUS=/some/dir overrides the choice (its plan is made from the CLI as for the sample corpus).
 */
export function prepareCorpus(prefix = 'cn-e2e-') {
  const source = process.env.CORPUS ? path.resolve(process.env.CORPUS) : fs.existsSync(SEEDS) ? SEEDS : SAMPLE;
  if (!fs.existsSync(source)) throw new Error(`no corpus: neither ${SEEDS} nor ${SAMPLE} exists`);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const folder = path.join(base, path.basename(source));
  fs.cpSync(source, folder, { recursive: true });
  const files = listTextFiles(folder);
  // shared/ is read-only; the copy must be editable (the tests type into it)
  fs.chmodSync(folder, 0o755);
  for (const f of files) fs.chmodSync(path.join(folder, f), 0o644);
  const plan = source === SEEDS ? seedsPlan(folder, files) : cliPlan(folder, files);
  return { source, folder, files, plan, cleanup: () => fs.rmSync(base, { recursive: true, force: true }) };
}
