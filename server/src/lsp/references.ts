// textDocument/references: every mention of the entity under the cursor, in every file, whatever alias was used.
// Inside a quotation, the references of its speaker.

import type { Location, Position } from 'vscode-languageserver-protocol';
import type { MentionSpans } from '../core/index';
import type { Cancellation, Corpus } from './corpus';
import { notCancelled } from './corpus';
import { RawJson } from './rawJson';
import { entityIdAt, introductionOf } from './locate';

export function references(
  corpus: Corpus,
  doc: string,
  position: Position,
  includeDeclaration = true,
  token: Cancellation = notCancelled,
): Location[] | undefined {
  const id = entityIdAt(corpus, doc, position);
  return id === undefined ? [] : mentionLocations(corpus, id, includeDeclaration, token);
}

/**
 * The same answer as `references`, already written as JSON, for a connection whose writer sends RawJson as it is
 * (lsp/connection.ts). An entity with tens of thousands of mentions makes a response of megabytes; a Location object
 * per mention (four objects) only for vscode-jsonrpc to stringify them cost more than everything else the request
 * does, and left that much more for the garbage collector.
 */
export function referencesJson(
  corpus: Corpus,
  doc: string,
  position: Position,
  includeDeclaration = true,
  token: Cancellation = notCancelled,
): RawJson | undefined {
  const id = entityIdAt(corpus, doc, position);
  return id === undefined ? new RawJson(Buffer.from('[]')) : mentionLocationsJson(corpus, id, includeDeclaration, token);
}

/** Locations of every mention of an entity, in document then offset order; undefined when cancelled. */
export function mentionLocations(
  corpus: Corpus,
  id: string,
  includeDeclaration = true,
  token: Cancellation = notCancelled,
): Location[] | undefined {
  const out: Location[] = [];
  let uri = '';
  const intro = includeDeclaration ? undefined : introductionOf(corpus, id);
  const done = eachLocation(corpus, corpus.mentionSpansOf(id), intro, token, {
    document: (doc) => void (uri = doc),
    location: (sl, sc, el, ec) => void out.push({ uri, range: { start: { line: sl, character: sc }, end: { line: el, character: ec } } }),
  });
  return done ? out : undefined;
}

/**
 * `mentionLocations` as JSON (UTF-8): the text JSON.stringify gives for it, made from the same numbers without the
 * objects; undefined when cancelled.
 */
export function mentionLocationsJson(
  corpus: Corpus,
  id: string,
  includeDeclaration = true,
  token: Cancellation = notCancelled,
): RawJson | undefined {
  const intro = includeDeclaration ? undefined : introductionOf(corpus, id);
  const byDoc = corpus.mentionSpansOf(id);
  // The same spans (the entity unchanged) and the same mention left out give the same bytes: asked again, the answer
  // is the last one's, as it is. A copy per request (6.4 MB for the bench's 34,882 locations at 100 MB) cost little
  // time but was memory outside the heap, enough over a few requests to set off a full collection of the server's heap.
  const skipKey = intro ? `${intro.index}:${intro.doc}` : '';
  const kept = keptAnswers.get(byDoc);
  if (kept && kept.skip === skipKey) {
    keptAnswers.delete(byDoc);
    keptAnswers.set(byDoc, kept);
    return kept.raw;
  }
  const positions = positionsOf(corpus, byDoc, token);
  if (!positions) return undefined;
  const raw = writeLocations(byDoc, positions, intro, token);
  if (raw) keep(byDoc, skipKey, raw);
  return raw;
}

/**
 * The last few answers, by the spans they were written from (`mentionSpansOf` gives the same array until the entity
 * changes, and a changed entity gives a new one, so an answer here is never stale for the spans it is filed under),
 * with the mention left out (`skip`: the introduction's index and document, '' for none). At most KEPT_ANSWERS of
 * them and KEPT_BYTES in all: they are held outside the heap, and an answer kept for an entity that changed since
 * stays until newer answers push it out. A kept answer is sent again as it is: its frame room is rewritten for each
 * response, which the writer allows (rawJson.ts).
 */
const keptAnswers = new Map<readonly MentionSpans[], { skip: string; raw: RawJson }>();
const KEPT_ANSWERS = 4;
const KEPT_BYTES = 16 << 20;

function keep(byDoc: readonly MentionSpans[], skip: string, raw: RawJson): void {
  keptAnswers.delete(byDoc);
  if (raw.bytes.length > KEPT_BYTES) return;
  keptAnswers.set(byDoc, { skip, raw });
  let total = 0;
  for (const a of keptAnswers.values()) total += a.raw.bytes.length;
  for (const [k, a] of keptAnswers) {
    if (keptAnswers.size <= KEPT_ANSWERS && total <= KEPT_BYTES) break;
    keptAnswers.delete(k);
    total -= a.raw.bytes.length;
  }
}

const encoder = new TextEncoder();
const utf8 = (s: string): Uint8Array => encoder.encode(s);
const CHARACTER = utf8(',"character":');
const END_LINE = utf8('},"end":{"line":');
const CLOSE_LOCATION = utf8('}}}');
/** A location's bytes besides its head and its four numbers: the constant parts. */
const LOCATION_FIXED = 2 * CHARACTER.length + END_LINE.length + CLOSE_LOCATION.length;
/** Room before an answer for the response's other members: `{"jsonrpc":"2.0","id":…,"result":` with a numeric id, or a
 *  string id of some length (a longer one costs a copy). */
const FRAME = 128;

/** Digits of a position as JSON.stringify writes it: a non-negative integer below 2^32 (a Uint32Array's element). */
const digitCount = (v: number): number =>
  v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10_000 ? 4 : v < 100_000 ? 5 : v < 1_000_000 ? 6 : v < 10_000_000 ? 7 : v < 100_000_000 ? 8 : v < 1_000_000_000 ? 9 : 10;

/**
 * The answer's bytes, written once into a buffer of their exact size with the response's frame room around them
 * (RawJson's frame): first the size (a document's head, `{"uri":"…","range":{"start":{"line":`, made and measured
 * once per document; the digits counted from the positions), then the bytes, with no string or object per location
 * and no buffer grown and copied. Each location copies its document's head from where it was first written (native
 * copyWithin) and writes its four numbers as digits. Undefined when cancelled.
 */
function writeLocations(byDoc: readonly MentionSpans[], positions: Positions, intro: { doc: string; index: number } | undefined, token: Cancellation): RawJson | undefined {
  const { at, lined } = positions;
  const heads: string[] = new Array(byDoc.length);
  const headBytes = new Uint32Array(byDoc.length);
  let size = 2; // [ ]
  let count = 0;
  for (let d = 0, p = 0; d < byDoc.length; d++) {
    if ((d & 255) === 255 && token.isCancellationRequested) return undefined;
    const { doc, indices } = byDoc[d];
    if (!lined[d]) {
      p += 4 * indices.length;
      continue;
    }
    // JSON.stringify escapes what a URI or an unsaved buffer's name may hold.
    const head = `{"uri":${JSON.stringify(doc)},"range":{"start":{"line":`;
    heads[d] = head;
    headBytes[d] = Buffer.byteLength(head);
    const skip = intro && intro.doc === doc ? intro.index : -1;
    for (let k = 0; k < indices.length; k++, p += 4) {
      if (indices[k] === skip) continue;
      size += headBytes[d] + LOCATION_FIXED + digitCount(at[p]) + digitCount(at[p + 1]) + digitCount(at[p + 2]) + digitCount(at[p + 3]);
      count++;
    }
  }
  if (count > 1) size += count - 1; // commas
  const whole = Buffer.allocUnsafe(FRAME + size + 1);
  const buf = whole;
  let n = FRAME;
  buf[n++] = 0x5b; /* [ */
  for (let d = 0, p = 0; d < byDoc.length; d++) {
    const { doc, indices } = byDoc[d];
    if (!lined[d]) {
      p += 4 * indices.length;
      continue;
    }
    const skip = intro && intro.doc === doc ? intro.index : -1;
    let headAt = -1;
    const headLength = headBytes[d];
    for (let k = 0; k < indices.length; k++, p += 4) {
      if (indices[k] === skip) continue;
      if (n > FRAME + 1) buf[n++] = 0x2c; /* , */
      if (headAt < 0) {
        headAt = n;
        buf.write(heads[d], n);
      } else {
        buf.copyWithin(n, headAt, headAt + headLength);
      }
      n += headLength;
      n = digits(buf, n, at[p]);
      n = constant(buf, n, CHARACTER);
      n = digits(buf, n, at[p + 1]);
      n = constant(buf, n, END_LINE);
      n = digits(buf, n, at[p + 2]);
      n = constant(buf, n, CHARACTER);
      n = digits(buf, n, at[p + 3]);
      n = constant(buf, n, CLOSE_LOCATION);
    }
  }
  buf[n++] = 0x5d; /* ] */
  // Writes past the end of a typed array are dropped without a word: a miscount would send broken JSON.
  if (n !== FRAME + size) throw new Error(`references: ${n - FRAME} bytes written, ${size} counted`);
  return new RawJson(whole.subarray(FRAME, n), FRAME);
}

/** A few bytes (the constant parts): a loop beats TypedArray#set's call overhead for so few. */
function constant(buf: Uint8Array, n: number, b: Uint8Array): number {
  for (let i = 0; i < b.length; i++) buf[n++] = b[i];
  return n;
}

/** A position's digits (see digitCount), written at n; returns the end. */
function digits(buf: Uint8Array, n: number, v: number): number {
  const end = n + digitCount(v);
  for (let i = end - 1; i >= n; i--) {
    buf[i] = 48 + (v % 10);
    v = (v - (v % 10)) / 10;
  }
  return end;
}

/**
 * Walks the locations of an entity's mentions, in document then offset order, as numbers: `document` before each
 * document's locations, `location` for each. An entity can have tens of thousands of mentions: they are read as spans,
 * without Mention objects, and their positions are worked out once per version of the entity (`positionsOf`). False
 * when cancelled.
 */
function eachLocation(
  corpus: Corpus,
  byDoc: readonly MentionSpans[],
  intro: { doc: string; index: number } | undefined,
  token: Cancellation,
  sink: { document(doc: string, count: number): void; location(startLine: number, startCharacter: number, endLine: number, endCharacter: number): void },
): boolean {
  const positions = positionsOf(corpus, byDoc, token);
  if (!positions) return false;
  const { at, lined } = positions;
  let p = 0;
  for (let d = 0; d < byDoc.length; d++) {
    if ((d & 255) === 255 && token.isCancellationRequested) return false;
    const { doc, indices } = byDoc[d];
    if (!lined[d]) {
      p += 4 * indices.length;
      continue;
    }
    sink.document(doc, indices.length);
    const skip = intro && intro.doc === doc ? intro.index : -1;
    for (let k = 0; k < indices.length; k++, p += 4) {
      if (indices[k] !== skip) sink.location(at[p], at[p + 1], at[p + 2], at[p + 3]);
    }
  }
  return true;
}

/** Line and character of the start and end of every span of `mentionSpansOf`, in its order (4 numbers a mention), and
 *  which of its documents have a line table (the others are left out of the answer). */
interface Positions {
  at: Uint32Array;
  lined: Uint8Array;
}

/**
 * The positions of an entity's mentions, kept as long as the index keeps the spans they come from (until the entity
 * changes: a document edited or re-read is replaced in the index, and its mentions leave and rejoin their entities,
 * which makes new spans). Working them out reads every document's line table, scattered over a large heap: the
 * larger part of a request for an entity in thousands of documents. They take 16 bytes per mention, for the entities
 * asked about. Undefined when cancelled (nothing kept).
 */
function positionsOf(corpus: Corpus, byDoc: readonly MentionSpans[], token: Cancellation): Positions | undefined {
  const known = positionMemo.get(byDoc);
  if (known) return known;
  let total = 0;
  for (const s of byDoc) total += s.indices.length;
  const at = new Uint32Array(4 * total);
  const lined = new Uint8Array(byDoc.length);
  let p = 0;
  for (let d = 0; d < byDoc.length; d++) {
    if ((d & 255) === 255 && token.isCancellationRequested) return undefined;
    const { doc, spans } = byDoc[d];
    const n = spans.length >> 1;
    const lines = corpus.lines(doc);
    if (!lines) {
      p += 4 * n;
      continue;
    }
    lined[d] = 1;
    // Start and end alike: each is written as its line and character.
    lines.positionsInto(spans, at, p);
    p += 4 * n;
  }
  const positions = { at, lined };
  positionMemo.set(byDoc, positions);
  return positions;
}

const positionMemo = new WeakMap<readonly MentionSpans[], Positions>();
