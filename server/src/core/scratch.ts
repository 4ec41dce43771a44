// Per-token working arrays reused from one document to the next. A typed array as long as a document's tokens lives
// outside the JS heap, and allocating one cost microseconds per document, more than the work done with it. A view
// is valid until the next call for the same slot: each is used only while one document is analysed, and documents
// are analysed one at a time per thread.

/** Longer than this, an array is made for the call and not kept, so that one huge document does not pin memory. */
const MAX_KEPT = 1 << 20;

export class Int32Scratch {
  private buf = new Int32Array(16); // small at first: see MIN_CAPACITY in words.ts
  /** n elements, each set to `value`. */
  take(n: number, value: number): Int32Array {
    if (n > MAX_KEPT) return new Int32Array(n).fill(value);
    if (n > this.buf.length) this.buf = new Int32Array(Math.min(MAX_KEPT, Math.max(n, this.buf.length * 2)));
    return this.buf.subarray(0, n).fill(value);
  }
}

export class Uint8Scratch {
  private buf = new Uint8Array(16);
  /** n elements, each 0. */
  take(n: number): Uint8Array {
    if (n > MAX_KEPT) return new Uint8Array(n);
    if (n > this.buf.length) this.buf = new Uint8Array(Math.min(MAX_KEPT, Math.max(n, this.buf.length * 2)));
    return this.buf.subarray(0, n).fill(0);
  }
}
