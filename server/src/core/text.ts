// Turning a file's bytes into the text every offset refers to.
//
// The text is what VS Code holds for the file: UTF-8 (or UTF-16 with a BOM) decoded, a leading BOM removed, line
// endings untouched. Anything that is not text comes back as a reason to skip, never as an exception.

export type Decoded =
  | { ok: true; text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be'; bom: boolean; replaced: number }
  | { ok: false; reason: string };

/** How many leading bytes are inspected to tell text from binary. */
const SNIFF = 8192;

const SIGNATURES: Array<[number[], string]> = [
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive (or an Office document)'],
  [[0x1f, 0x8b], 'a gzip archive'],
  [[0x7f, 0x45, 0x4c, 0x46], 'an executable (ELF)'],
];

// One decoder of each kind for the process: constructing one per file cost more than decoding a typical article.
// decode() without { stream: true } starts afresh every call, also after a fatal error.
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
const LENIENT_UTF8 = new TextDecoder('utf-8', { fatal: false });

/**
 * A copy of `s` that shares no memory with a longer string. V8 keeps a substring of 13 or more characters as a slice
 * of its parent, and a concatenation as a pair, so a short name kept in a long-lived table can hold a whole document
 * alive. The copy is one flat string: JSON gives the exact string back (lone surrogates too), where the slice of a
 * flattened `' ' + s` this once was is two objects (the slice and its parent, ~40 bytes more per kept string), and a
 * map probed with a sliced key reads it through the slice. Shorter strings are copied by V8 already and come back as
 * they are.
 */
export function unshared(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

const startsWith = (bytes: Uint8Array, sig: number[]) => sig.every((b, i) => bytes[i] === b);

export function decodeText(bytes: Uint8Array): Decoded {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16(bytes.subarray(2), 'utf-16le');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16(bytes.subarray(2), 'utf-16be');
  for (const [sig, what] of SIGNATURES) {
    if (bytes.length >= sig.length && startsWith(bytes, sig)) return { ok: false, reason: `binary file: ${what}` };
  }
  if (bytes.subarray(0, SNIFF).indexOf(0) >= 0) return { ok: false, reason: 'binary file: contains NUL bytes' };
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  let text: string;
  let replaced = 0;
  try {
    text = STRICT_UTF8.decode(body);
  } catch {
    // Invalid UTF-8: decode with U+FFFD replacements (one per bad sequence, as VS Code does) and say how many.
    text = LENIENT_UTF8.decode(body);
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0xfffd) replaced++;
  }
  return { ok: true, text, encoding: 'utf-8', bom, replaced };
}

function decodeUtf16(body: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): Decoded {
  if (body.length % 2 === 1) body = body.subarray(0, body.length - 1);
  let le = body;
  if (encoding === 'utf-16be') {
    le = new Uint8Array(body.length);
    for (let i = 0; i + 1 < body.length; i += 2) {
      le[i] = body[i + 1];
      le[i + 1] = body[i];
    }
  }
  const text = new TextDecoder('utf-16le', { fatal: false }).decode(le);
  let replaced = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0xfffd) replaced++;
  return { ok: true, text, encoding, bom: true, replaced };
}
