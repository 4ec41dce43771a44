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
  // is a copy of the last one's. The bench's 10,253 locations at 100 MB, asked 20 times (time in the server, from
  // message in to answer out): 10–18 ms per repeated request when written anew, 1–3 ms as a copy.
  const skipKey = intro ? `${intro.index}:${intro.doc}` : '';
  const kept = keptAnswers.get(byDoc);
  if (kept && kept.skip === skipKey) {
    keptAnswers.delete(byDoc);
    keptAnswers.set(byDoc, kept);
    return framed(kept.bytes);
  }
  // Bytes are written straight into one reused buffer: a document's head (its URI, escaped once) is copied and the
  // four numbers written as digits, so that no string or object is made per location. With the positions kept per
  // entity (positionsOf), the 10,253 locations of the bench's 100 MB corpus took 9–17 ms instead of 17–28 (in process,
  // the same index, the two ways alternating).
  const out = new JsonBytes();
  out.byte(0x5b /* [ */);
  const done = eachLocation(corpus, byDoc, intro, token, {
    document: (doc, count) => out.document(doc, count),
    location: (sl, sc, el, ec) => {
      out.head();
      out.digits(sl);
      out.bytes(CHARACTER);
      out.digits(sc);
      out.bytes(END_LINE);
      out.digits(el);
      out.bytes(CHARACTER);
      out.digits(ec);
      out.bytes(CLOSE_LOCATION);
    },
  });
  if (!done) return undefined;
  out.reserve(1);
  out.byte(0x5d /* ] */);
  const bytes = out.copy();
  keep(byDoc, skipKey, bytes);
  return framed(bytes);
}

/**
 * The last few answers as JSON, by the spans they were written from (`mentionSpansOf` gives the same array until the
 * entity changes, and a changed entity gives a new one, so an answer here is never stale for the spans it is filed
 * under), with the mention left out (`skip`: the introduction's index and document, '' for none). At most
 * KEPT_ANSWERS of them and KEPT_BYTES in all: they are held outside the heap, and an answer kept for an entity that
 * changed since stays until newer answers push it out.
 */
const keptAnswers = new Map<readonly MentionSpans[], { skip: string; bytes: Uint8Array }>();
const KEPT_ANSWERS = 4;
const KEPT_BYTES = 16 << 20;

function keep(byDoc: readonly MentionSpans[], skip: string, bytes: Uint8Array): void {
  keptAnswers.delete(byDoc);
  if (bytes.length > KEPT_BYTES) return;
  keptAnswers.set(byDoc, { skip, bytes });
  let total = 0;
  for (const a of keptAnswers.values()) total += a.bytes.length;
  for (const [k, a] of keptAnswers) {
    if (keptAnswers.size <= KEPT_ANSWERS && total <= KEPT_BYTES) break;
    keptAnswers.delete(k);
    total -= a.bytes.length;
  }
}

/**
 * A kept answer's bytes, copied into a buffer of the answer's own with room for the response frame around them
 * (RawJson's frame): the writer writes the frame into that room, so two responses must never share one buffer.
 */
function framed(bytes: Uint8Array): RawJson {
  const whole = Buffer.allocUnsafe(FRAME + bytes.length + 1);
  whole.set(bytes, FRAME);
  return new RawJson(whole.subarray(FRAME, FRAME + bytes.length), FRAME);
}

const encoder = new TextEncoder();
const utf8 = (s: string): Uint8Array => encoder.encode(s);
/** The head's bytes besides the document's URI: `{"uri":""…","range":{"start":{"line":`. */
const HEAD_FIXED = 2 + utf8('{"uri":,"range":{"start":{"line":').length;
const CHARACTER = utf8(',"character":');
const END_LINE = utf8('},"end":{"line":');
const CLOSE_LOCATION = utf8('}}}');
/** Room before an answer for the response's other members: `{"jsonrpc":"2.0","id":…,"result":` with a numeric id, or a
 *  string id of some length (a longer one costs a copy). */
const FRAME = 128;
/** A location's bytes besides its head: a comma, four numbers and the constant parts. A number takes at most 24
 *  bytes as JSON ("-1.7976931348623157e+308"); positions take at most 10. */
const LOCATION_FIXED = 1 + 4 * 24 + 2 * CHARACTER.length + END_LINE.length + CLOSE_LOCATION.length;

/**
 * JSON bytes in a buffer that grows and is reused by the next request: a new one growing to megabytes for every
 * request was external memory enough to set off full collections of the server's heap. Writes do not check the
 * room left: the caller reserves it first (`reserve`), once per document.
 */
class JsonBytes {
  private static scratch = Buffer.allocUnsafe(1 << 16);
  private buf = JsonBytes.scratch;
  length = 0;
  private doc = '';
  /** Where the current document's head (`{"uri":"…","range":{"start":{"line":`, what each of its locations starts
   *  with) was written for its first location, and its length; -1 before that. Later locations copy it from there
   *  (copyWithin, native): a typed array made per document, or a loop over its bytes in JavaScript, measured slower
   *  than making strings as before. */
  private headAt = -1;
  private headLength = 0;

  /** The next locations are the document's, `count` at most. */
  document(doc: string, count: number): void {
    this.doc = doc;
    this.headAt = -1;
    // At most 6 bytes per UTF-16 code unit in a JSON string ("\u001f"; 3 as UTF-8), and the rest of the head.
    this.reserve(count * (6 * doc.length + HEAD_FIXED + LOCATION_FIXED));
  }

  /** A comma unless first, then the current document's head. */
  head(): void {
    if (this.length > 1) this.buf[this.length++] = 0x2c; /* , */
    if (this.headAt >= 0) {
      this.buf.copyWithin(this.length, this.headAt, this.headAt + this.headLength);
      this.length += this.headLength;
      return;
    }
    const start = this.length;
    // One native write per document (JSON.stringify escapes what a URI or an unsaved buffer's name may hold).
    this.length += this.buf.write(`{"uri":${JSON.stringify(this.doc)},"range":{"start":{"line":`, start);
    this.headAt = start;
    this.headLength = this.length - start;
  }

  reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = JsonBytes.scratch = next;
  }

  byte(b: number): void {
    this.buf[this.length++] = b;
  }

  /** A few bytes (the constant parts): a loop beats TypedArray#set's call overhead for so few. */
  bytes(b: Uint8Array): void {
    const buf = this.buf;
    let n = this.length;
    for (let i = 0; i < b.length; i++) buf[n++] = b[i];
    this.length = n;
  }

  /** A non-negative integer below 2^32 (lines and characters), as JSON.stringify writes it. */
  digits(v: number): void {
    if (v >>> 0 !== v) {
      // Not a position an index makes (negative, fractional, huge): written as JSON.stringify writes it.
      const s = utf8(JSON.stringify(v));
      this.buf.set(s, this.length);
      this.length += s.length;
      return;
    }
    const buf = this.buf;
    let n = this.length;
    if (v < 10) {
      buf[n++] = 48 + v;
    } else {
      let w = 10;
      let k = 2;
      while (k < 10 && v >= w * 10) (w *= 10), k++;
      for (let i = n + k - 1; i >= n; i--) {
        buf[i] = 48 + (v % 10);
        v = Math.floor(v / 10);
      }
      n += k;
    }
    this.length = n;
  }

  /** The bytes written, copied out (the buffer is the next request's). */
  copy(): Uint8Array {
    return new Uint8Array(this.buf.subarray(0, this.length));
  }
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
    // Mentions are in offset order and most share a line with the one before: the line found last is tried first
    // (half the cost was positionAt's binary search). An offset from its start to its end, line break excluded, is
    // on that line: what positionAt would say.
    let line = 0;
    let lineStart = 1;
    let lineEnd = 0;
    for (let j = 0; j < 2 * n; j++) {
      // Start and end alike: each is written as its line and character.
      const offset = spans[j];
      if (offset < lineStart || offset > lineEnd) {
        const q = lines.positionAt(offset);
        line = q.line;
        lineStart = offset - q.character;
        lineEnd = lineStart + lines.lineLength(line);
      }
      at[p++] = line;
      at[p++] = offset - lineStart;
    }
  }
  const positions = { at, lined };
  positionMemo.set(byDoc, positions);
  return positions;
}

const positionMemo = new WeakMap<readonly MentionSpans[], Positions>();
