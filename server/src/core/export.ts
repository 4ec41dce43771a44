// What the CLI prints: the documented JSON (other tools and the evaluation read it), CSV, and a readable table.
//
// The JSON is deterministic: files by path, entities most mentioned first (ties by name, then id), mentions by file
// then offset, quotations by file then offset. Documented fields: root, files[].path/skipped, entities[].id/type/
// name/aliases/mentions[].file/start/end/text, quotes[].file/start/end/text/speaker/speakerText. The rest are extras.

import type { CorpusIndex } from './index';
import type { Entity } from './model';

export interface CorpusJson {
  root: string;
  files: Array<{ path: string; skipped?: string }>;
  entities: Array<
    Entity & {
      roles: string[];
      /** `rule`: which recognition rule or evidence made the mention (its provenance). */
      mentions: Array<{ file: string; start: number; end: number; text: string; rule: string }>;
    }
  >;
  quotes: Array<{
    file: string;
    start: number;
    end: number;
    text: string;
    speaker: string | null;
    speakerText: string | null;
    speakerName: string | null;
    continued?: boolean;
  }>;
  stats: { files: number; skipped: number; people: number; organisations: number; quotes: number; mentions: number };
}

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function toJson(index: CorpusIndex, root: string): CorpusJson {
  const files: CorpusJson['files'] = [
    ...index.documents().map((path) => ({ path })),
    ...index.skipped().map(({ doc, reason }) => ({ path: doc, skipped: reason })),
  ].sort((a, b) => byKey(a.path, b.path));
  const entities: CorpusJson['entities'] = index.entities().map((e) => ({
    id: e.id,
    type: e.type,
    name: e.name,
    aliases: e.aliases,
    mentionCount: e.mentionCount,
    fileCount: e.fileCount,
    roles: index.roles(e.id),
    mentions: index.mentionsOf(e.id).map((r) => ({
      file: r.doc,
      start: r.mention.start,
      end: r.mention.end,
      text: r.mention.text,
      rule: r.mention.rule,
    })),
  }));
  const names = new Map(index.entities().map((e) => [e.id, e.name]));
  const quotes: CorpusJson['quotes'] = index.quotes().map((r) => {
    const speaker = r.speakerId ?? null;
    const descriptor = r.quote.speaker?.descriptor;
    const out: CorpusJson['quotes'][number] = {
      file: r.doc,
      start: r.quote.start,
      end: r.quote.end,
      text: r.quote.text,
      speaker,
      speakerText: speaker ? null : descriptor ?? null,
      speakerName: speaker ? names.get(speaker) ?? null : null,
    };
    if (r.quote.continued) out.continued = true;
    return out;
  });
  const s = index.stats();
  return {
    root,
    files,
    entities,
    quotes,
    stats: { files: s.documents, skipped: s.skipped, people: s.people, organisations: s.organisations, quotes: s.quotes, mentions: s.mentions },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// CSV: one row per mention and per quotation, so that a spreadsheet can filter and pivot.

const CSV_HEADER = ['record', 'entity_id', 'type', 'name', 'file', 'start', 'end', 'text', 'speaker_id', 'speaker'];

export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  // A leading = + - @ would be a formula in a spreadsheet: prefix it so that document text is never executed.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(json: CorpusJson): string {
  const rows: string[] = [CSV_HEADER.join(',')];
  for (const e of json.entities) {
    for (const m of e.mentions) {
      rows.push(['mention', e.id, e.type, e.name, m.file, m.start, m.end, m.text, '', ''].map(csvField).join(','));
    }
  }
  for (const q of json.quotes) {
    rows.push(['quote', '', '', '', q.file, q.start, q.end, q.text, q.speaker, q.speakerName ?? q.speakerText].map(csvField).join(','));
  }
  return rows.join('\r\n') + '\r\n';
}

// ---------------------------------------------------------------------------------------------------------------
// The readable table.

/** Display width of a string, counting code points (good enough for names; no East Asian width tables). */
const width = (s: string) => [...s].length;

function clip(s: string, max: number): string {
  const chars = [...s.replace(/\s+/g, ' ')];
  return chars.length <= max ? chars.join('') : chars.slice(0, max - 1).join('') + '…';
}

const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));
const padLeft = (s: string, n: number) => ' '.repeat(Math.max(0, n - width(s))) + s;

export interface TableOptions {
  /** Maximum number of quotation rows (all entities are always listed). */
  maxQuotes?: number;
  /** Line position of an offset, for "file:line" in the quotation list. */
  lineOf?: (file: string, offset: number) => number;
}

export function toTable(json: CorpusJson, options: TableOptions = {}): string {
  const out: string[] = [];
  const s = json.stats;
  out.push(
    `Corpus: ${json.root}`,
    `${s.files} files indexed${s.skipped ? `, ${s.skipped} skipped` : ''} · ${s.people} people · ${s.organisations} organisations · ${s.quotes} quotations · ${s.mentions} mentions`,
    '',
  );
  const rows = json.entities.map((e) => [
    e.type === 'person' ? 'person' : 'org',
    clip(e.name, 40),
    clip(e.aliases.filter((a) => a !== e.name).join(', '), 60),
    String(e.mentionCount),
    String(e.fileCount),
  ]);
  const head = ['TYPE', 'NAME', 'ALIASES', 'MENTIONS', 'FILES'];
  const w = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]))));
  const line = (r: string[]) => [pad(r[0], w[0]), pad(r[1], w[1]), pad(r[2], w[2]), padLeft(r[3], w[3]), padLeft(r[4], w[4])].join('  ').trimEnd();
  out.push(line(head));
  for (const r of rows) out.push(line(r));
  if (rows.length === 0) out.push('(no people or organisations found)');

  out.push('', 'QUOTATIONS');
  const max = options.maxQuotes ?? Infinity;
  const shown = json.quotes.slice(0, max);
  for (const q of shown) {
    const who = q.speakerName ?? q.speakerText ?? '(unattributed)';
    const where = options.lineOf ? `${q.file}:${options.lineOf(q.file, q.start) + 1}` : q.file;
    out.push(`  ${clip(who, 30)} — “${clip(q.text, 80)}” (${where})`);
  }
  if (json.quotes.length === 0) out.push('  (none)');
  if (json.quotes.length > shown.length) out.push(`  … and ${json.quotes.length - shown.length} more (use --json for all)`);
  const skipped = json.files.filter((f) => f.skipped);
  if (skipped.length) {
    out.push('', 'SKIPPED');
    for (const f of skipped) out.push(`  ${f.path}: ${f.skipped}`);
  }
  return out.join('\n') + '\n';
}
