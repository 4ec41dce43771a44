// Quotation texts reduced to their words, for finding a short quotation repeated inside another (a headline quote
// echoed in the body). The reduction is `text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()`; a Unicode
// property regex and a lower-casing of two-byte strings per quotation were a tenth of recognition, so the words go
// into one code buffer through a per-character table, and containment is checked on codes without making strings.

const SPACE = 32;
/** Per UTF-16 code: 0 = not yet classified, SEPARATOR, SLOW, or the lower-case letter or digit itself. */
const SEPARATOR = 1;
/** Lower-cases to more than one code, depends on its neighbours (final sigma) or is half of a surrogate pair. */
const SLOW = 2;
const charClass = new Uint16Array(0x10000);
const WORD_CHAR = /^[\p{L}\p{N}]$/u;

function classify(c: number): number {
  let k = charClass[c]!;
  if (k !== 0) return k;
  if (c >= 0xd800 && c <= 0xdfff) k = SLOW;
  else {
    const lower = String.fromCharCode(c).toLowerCase();
    if (lower.length !== 1 || c === 0x3a3) k = SLOW;
    else if (!WORD_CHAR.test(lower)) k = SEPARATOR;
    else k = lower.charCodeAt(0);
  }
  charClass[c] = k;
  return k;
}
// ASCII up front: the common case then never classifies lazily.
for (let c = 0; c < 128; c++) classify(c);

/** A buffer handed from one instance to the next (see release): allocating and zeroing one per document cost more
 *  than reducing its quotations. */
let spare: Uint16Array | undefined;
const MAX_SPARE = 1 << 20;

export class QuoteWords {
  private buf: Uint16Array;
  private used = 0;
  /** Range of each item's words in buf; from = -1 until reduced. */
  private readonly from: number[];
  private readonly to: number[];
  private readonly sieves = new Map<number, WordSieve | undefined>();

  constructor(private readonly text: string, private readonly spans: ReadonlyArray<{ start: number; end: number }>) {
    this.from = new Array<number>(spans.length).fill(-1);
    this.to = new Array<number>(spans.length).fill(0);
    this.buf = spare ?? new Uint16Array(4096);
    spare = undefined;
  }

  /** Hands the buffer on to the next instance (unless a huge document grew it); this one must not be used after. */
  release(): void {
    if (this.buf.length <= MAX_SPARE) spare = this.buf;
  }

  /** Whether item i has at least two words. */
  severalWords(i: number): boolean {
    this.reduce(i);
    const { buf } = this;
    for (let k = this.from[i]!; k < this.to[i]!; k++) if (buf[k] === SPACE) return true;
    return false;
  }

  /**
   * Whether item `outer`'s words contain item `inner`'s as a run of whole words (equal texts included): what
   * `u === t || (u.length > t.length && (' ' + u + ' ').includes(' ' + t + ' '))` says of the reduced strings.
   */
  contains(outer: number, inner: number): boolean {
    this.reduce(inner);
    if (this.from[outer]! < 0) {
      // Almost no candidate contains the quotation, and reducing each was most of the cost: a native search of its raw
      // text for one of the quotation's words rules most out first.
      const sieve = this.sieve(inner);
      if (sieve && !sieve.foundIn(this.text.slice(this.spans[outer]!.start, this.spans[outer]!.end))) return false;
      this.reduce(outer);
    }
    const { buf } = this;
    const a = this.from[outer]!;
    const aEnd = this.to[outer]!;
    const b = this.from[inner]!;
    const len = this.to[inner]! - b;
    if (len === 0) return aEnd === a;
    for (let p = a; p + len <= aEnd; p++) {
      if (p > a && buf[p - 1] !== SPACE) continue;
      if (p + len < aEnd && buf[p + len] !== SPACE) continue;
      let k = 0;
      while (k < len && buf[p + k] === buf[b + k]) k++;
      if (k === len) return true;
    }
    return false;
  }

  /** The sieve for item i's words, made once per item. */
  private sieve(i: number): WordSieve | undefined {
    if (!this.sieves.has(i)) this.sieves.set(i, WordSieve.of(this.buf.subarray(this.from[i]!, this.to[i]!)));
    return this.sieves.get(i);
  }

  private reduce(i: number): void {
    if (this.from[i]! >= 0) return;
    const { start, end } = this.spans[i]!;
    this.ensure(end - start);
    const { text, buf } = this;
    const from = this.used;
    let n = from;
    let pendingSpace = false;
    for (let j = start; j < end; j++) {
      const c = text.charCodeAt(j);
      const k = c < 128 ? charClass[c]! : classify(c);
      if (k === SEPARATOR) pendingSpace = n > from;
      else if (k === SLOW) {
        n = this.reduceSlowly(from, text.slice(start, end));
        break;
      } else {
        if (pendingSpace) buf[n++] = SPACE;
        pendingSpace = false;
        buf[n++] = k;
      }
    }
    this.from[i] = from;
    this.to[i] = n;
    this.used = n;
  }

  /** The rare text the table cannot reduce character by character. */
  private reduceSlowly(from: number, s: string): number {
    const words = s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    this.used = from;
    this.ensure(words.length);
    for (let k = 0; k < words.length; k++) this.buf[from + k] = words.charCodeAt(k);
    return from + words.length;
  }

  /** Room for `more` codes after `used` (a reduction is never longer than its text). */
  private ensure(more: number): void {
    if (this.used + more <= this.buf.length) return;
    const grown = new Uint16Array(Math.max(this.buf.length * 2, this.used + more));
    grown.set(this.buf.subarray(0, this.used));
    this.buf = grown;
  }
}

/** Letters and digits from the rarest in English text to the commonest: the sieve searches for the rarest it can. */
const RARITY = '0123456789zqxjkvbpygfwmucldrhsnioate';
/** RARITY's index of each ASCII code, NOT_ALNUM for the rest. */
const NOT_ALNUM = 255;
const rankOf = new Uint8Array(128).fill(NOT_ALNUM);
for (let r = 0; r < RARITY.length; r++) rankOf[RARITY.charCodeAt(r)] = r;

/**
 * One ASCII word of a reduction, found in raw text without reducing it: a word in the reduction is a run of raw
 * characters of the same length, each lower-casing to the word's character. Only the character itself, its capital,
 * İ (for "i": "i" and a combining dot, which ends the word) and the Kelvin sign (for "k") lower-case to an ASCII
 * letter or digit, so a text without such a run cannot contain the word, and a text whose reduction contains the
 * word has one.
 */
class WordSieve {
  private constructor(
    private readonly word: string,
    /** Index in word of its rarest character, the one searched for. */
    private readonly pivot: number,
    /** The raw characters that lower-case to the pivot. */
    private readonly pivotForms: string[],
  ) {}

  /** The sieve for the reduction's word with the rarest character, or undefined when no word is ASCII. */
  static of(words: Uint16Array): WordSieve | undefined {
    let best: { from: number; to: number; pivot: number; rank: number } | undefined;
    for (let k = 0; k < words.length; ) {
      let e = k;
      while (e < words.length && words[e] !== SPACE) e++;
      let ascii = true;
      let pivot = k;
      let rank = RARITY.length;
      for (let j = k; j < e; j++) {
        const r = words[j]! < 128 ? rankOf[words[j]!]! : NOT_ALNUM;
        if (r === NOT_ALNUM) ascii = false;
        else if (r < rank) (rank = r), (pivot = j);
      }
      if (ascii && e > k && (!best || rank < best.rank || (rank === best.rank && e - k > best.to - best.from))) best = { from: k, to: e, pivot, rank };
      k = e + 1;
    }
    if (!best) return undefined;
    let word = '';
    for (let j = best.from; j < best.to; j++) word += String.fromCharCode(words[j]!);
    const c = String.fromCharCode(words[best.pivot]!);
    const forms = [c];
    if (c !== c.toUpperCase()) forms.push(c.toUpperCase());
    if (c === 'i') forms.push('\u0130');
    if (c === 'k') forms.push('\u212a');
    return new WordSieve(word, best.pivot - best.from, forms);
  }

  /** Whether s has a run of characters that lower-case to the word. */
  foundIn(s: string): boolean {
    const { word, pivot } = this;
    for (const form of this.pivotForms) {
      for (let p = s.indexOf(form, pivot); p >= 0 && p - pivot + word.length <= s.length; p = s.indexOf(form, p + 1)) {
        if (this.at(s, p - pivot)) return true;
      }
    }
    return false;
  }

  private at(s: string, q: number): boolean {
    const { word } = this;
    for (let j = 0; j < word.length; j++) {
      const x = word.charCodeAt(j);
      const c = s.charCodeAt(q + j);
      if (c === x) continue;
      const letter = x >= 97 && x <= 122;
      if (!(letter && (c === x - 32 || (x === 105 && c === 0x130) || (x === 107 && c === 0x212a)))) return false;
    }
    return true;
  }
}
