// textDocument/references: every mention of the entity under the cursor, in every file, whatever alias was used.
// Inside a quotation, the references of its speaker.

import type { Location, Position } from 'vscode-languageserver-protocol';
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
  const done = eachLocation(corpus, id, includeDeclaration, token, {
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
  // Each document's locations are written into one buffer as soon as they are made, so that their text dies young:
  // keeping an object (or a string) per location until the end had tens of thousands of them survive into the old
  // generation, which the server's large heap pays for in full collections.
  const out = new Utf8Buffer();
  out.write('[');
  let first = true;
  let head = '';
  let text = '';
  const done = eachLocation(corpus, id, includeDeclaration, token, {
    document: (doc) => {
      // One write per document: a call to Buffer#write costs about as much as making a location's text.
      if (text) out.write(text);
      text = '';
      head = `{"uri":${JSON.stringify(doc)},"range":{"start":{"line":`;
    },
    location: (sl, sc, el, ec) => {
      text += `${first ? '' : ','}${head}${sl},"character":${sc}},"end":{"line":${el},"character":${ec}}}}`;
      first = false;
    },
  });
  if (!done) return undefined;
  out.write(text);
  out.write(']');
  return new RawJson(out.bytes());
}

/**
 * Walks the locations of an entity's mentions, in document then offset order, as numbers: `document` before each
 * document's locations, `location` for each. An entity can have tens of thousands of mentions: they are read as spans,
 * without Mention objects. False when cancelled.
 */
function eachLocation(
  corpus: Corpus,
  id: string,
  includeDeclaration: boolean,
  token: Cancellation,
  sink: { document(doc: string): void; location(startLine: number, startCharacter: number, endLine: number, endCharacter: number): void },
): boolean {
  const intro = includeDeclaration ? undefined : introductionOf(corpus, id);
  const byDoc = corpus.mentionSpansOf(id);
  for (let d = 0; d < byDoc.length; d++) {
    if ((d & 255) === 255 && token.isCancellationRequested) return false;
    const { doc, indices, spans } = byDoc[d];
    const lines = corpus.lines(doc);
    if (!lines) continue;
    sink.document(doc);
    const skip = intro && intro.doc === doc ? intro.index : -1;
    // Mentions are in offset order and most share a line with the one before: the line found last is tried first
    // (half the cost was positionAt's binary search). An offset from its start to its end, line break excluded, is
    // on that line: what positionAt would say.
    let line = 0;
    let lineStart = 1;
    let lineEnd = 0;
    for (let k = 0; k < indices.length; k++) {
      if (indices[k] === skip) continue;
      const start = spans[2 * k];
      const end = spans[2 * k + 1];
      if (start < lineStart || start > lineEnd) {
        const p = lines.positionAt(start);
        line = p.line;
        lineStart = start - p.character;
        lineEnd = lineStart + lines.lineLength(line);
      }
      const startLine = line;
      const startCharacter = start - lineStart;
      if (end > lineEnd) {
        const p = lines.positionAt(end);
        line = p.line;
        lineStart = end - p.character;
        lineEnd = lineStart + lines.lineLength(line);
      }
      sink.location(startLine, startCharacter, line, end - lineStart);
    }
  }
  return true;
}

/**
 * A buffer of UTF-8 text that grows and is reused by the next request: a new one growing to megabytes for every
 * request was external memory enough to set off full collections of the server's heap.
 */
class Utf8Buffer {
  private static scratch = Buffer.allocUnsafe(1 << 16);
  private buf = Utf8Buffer.scratch;
  private n = 0;

  write(s: string): void {
    // At most 3 bytes per UTF-16 code unit.
    if (this.n + 3 * s.length > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.n + 3 * s.length));
      this.buf.copy(next, 0, 0, this.n);
      this.buf = Utf8Buffer.scratch = next;
    }
    this.n += this.buf.write(s, this.n);
  }

  /** A copy of the text written: the buffer is the next request's. */
  bytes(): Uint8Array {
    return Buffer.from(this.buf.subarray(0, this.n));
  }
}
