// Reading one file and decoding it into the text every offset refers to (core/text.ts); problems come back as
// reasons, never as exceptions. Apart from workspace.ts (listing), so that the analysis worker, which reads files
// too, does not load the listing's dependencies.

import { createHash } from 'node:crypto';
import * as fsSync from 'node:fs';
import { decodeText } from '../core/text';

/** The content hash the cache validates files with: SHA-1 of the decoded text (as UTF-8), base64url. */
export function contentHash(text: string | Uint8Array): string {
  return createHash('sha1').update(text).digest('base64url');
}

/** A short, human reason for a file-system error. */
export function describeError(e: unknown, what = 'cannot read'): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder (deleted or renamed?)';
    case 'EACCES':
    case 'EPERM':
      return `${what}: permission denied`;
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'ELOOP':
      return 'symbolic link loop';
    case 'EMFILE':
    case 'ENFILE':
      return `${what}: too many open files`;
    default:
      return `${what}: ${e instanceof Error ? e.message : String(e)}`;
  }
}

export type ReadResult =
  | {
      ok: true;
      text: string;
      size: number;
      mtimeMs: number;
      replaced: number;
      /** contentHash(text), when asked for (see readTextSync). */
      hash?: string;
      /** The file's bytes as read, when asked for (see readTextSync): decodeText(bytes) gives `text` back. */
      bytes?: Uint8Array;
    }
  | { ok: false; reason: string };

/** Reads and decodes one file; a file over `maxFileSize`, unreadable, vanished or binary comes back as a reason. */
export async function readText(abs: string, maxFileSize: number): Promise<ReadResult> {
  return readTextSync(abs, maxFileSize);
}

/**
 * readText without promises. Synchronous reads of small local files cost a fifth of promise-based ones (measured by
 * the benchmark: ~25 µs against ~140 µs per file, most of it on the main thread), which decides how fast a corpus of
 * 20,000 articles opens. The file is stat'ed before it is opened, so a FIFO or device is never opened (and never
 * blocks).
 *
 * `hash`: also the content hash (true), or unless the file still has the size and mtime given (a cache's record of
 * it). Of valid UTF-8 it is taken from the bytes read (without a BOM): they are the text's UTF-8 as they stand, so the
 * hash is the same, and the text is not encoded again only to be hashed.
 *
 * `keepBytes`: the result also holds the bytes read (an analysis worker sends them to the main thread rather than the
 * text: see pool.ts).
 */
export function readTextSync(abs: string, maxFileSize: number, hash: boolean | { size: number; mtimeMs: number } = false, keepBytes = false): ReadResult {
  let fd: number | undefined;
  try {
    const st = fsSync.statSync(abs);
    if (!st.isFile()) return { ok: false, reason: 'not a regular file' };
    if (st.size > maxFileSize) {
      return { ok: false, reason: `too large: ${formatBytes(st.size)} is over the limit of ${formatBytes(maxFileSize)} (setting maxFileSize)` };
    }
    fd = fsSync.openSync(abs, 'r');
    const bytes = fsSync.readFileSync(fd);
    if (bytes.length > maxFileSize) {
      return { ok: false, reason: `too large: ${formatBytes(bytes.length)} is over the limit of ${formatBytes(maxFileSize)} (setting maxFileSize)` };
    }
    const decoded = decodeText(bytes);
    if (!decoded.ok) return { ok: false, reason: decoded.reason };
    const out: ReadResult = { ok: true, text: decoded.text, size: bytes.length, mtimeMs: st.mtimeMs, replaced: decoded.replaced };
    if (keepBytes) out.bytes = bytes;
    if (hash === true || (hash && (hash.size !== bytes.length || hash.mtimeMs !== st.mtimeMs))) {
      const body = decoded.bom ? bytes.subarray(3) : bytes;
      // Not when the body starts with a second BOM: the decoder takes that one off too, so the text lacks its bytes.
      const asRead = decoded.encoding === 'utf-8' && decoded.replaced === 0 && !(body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf);
      out.hash = contentHash(asRead ? body : decoded.text);
    }
    return out;
  } catch (e) {
    return { ok: false, reason: describeError(e, 'unreadable') };
  } finally {
    if (fd !== undefined) {
      try {
        fsSync.closeSync(fd);
      } catch {
        // nothing to do: the descriptor is gone either way
      }
    }
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
