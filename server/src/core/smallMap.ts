// The index's many small maps: the corpus-wide lookup tables (index.ts `tables`: value → count for one lookup key)
// and each group's tally of names.
//
// A 100 MB corpus has 32,500 lookup tables and 13,500 groups, and most of either hold one entry: as Maps (a JSMap and
// a hash table of at least four entries, ~190 bytes) the tables took 6.2 MB of the server's heap at the end of a cold
// scan and the names 2.1 MB, and 92,000 objects that every full collection marks. Here the first entry is two fields;
// only a map that gets a second entry makes a Map for the others.

/** A `Map<string, V>` that keeps its first entry inline. Iterates in insertion order, as a Map does. */
export class SmallMap<V> implements Map<string, V> {
  /** The oldest entry (undefined: the table is empty). */
  private k0: string | undefined = undefined;
  private v0: V | undefined = undefined;
  /** The other entries, in insertion order; undefined while there are none. */
  private rest: Map<string, V> | undefined = undefined;

  get size(): number {
    return this.k0 === undefined ? 0 : this.rest === undefined ? 1 : 1 + this.rest.size;
  }

  get [Symbol.toStringTag](): string {
    return 'SmallMap';
  }

  get(key: string): V | undefined {
    if (key === this.k0) return this.v0;
    return this.rest === undefined ? undefined : this.rest.get(key);
  }

  has(key: string): boolean {
    return key === this.k0 || (this.rest !== undefined && this.rest.has(key));
  }

  set(key: string, v: V): this {
    if (key === this.k0) this.v0 = v;
    else if (this.k0 === undefined) {
      // Empty (the oldest entry is always inline): the new one is the oldest.
      this.k0 = key;
      this.v0 = v;
    } else (this.rest ??= new Map()).set(key, v);
    return this;
  }

  delete(key: string): boolean {
    if (key !== this.k0 || key === undefined) {
      if (this.rest === undefined || !this.rest.delete(key)) return false;
      if (this.rest.size === 0) this.rest = undefined;
      return true;
    }
    // The next oldest moves inline, so that iteration keeps the insertion order.
    const rest = this.rest;
    if (rest === undefined) {
      this.k0 = undefined;
      this.v0 = undefined;
      return true;
    }
    const [k, v] = rest.entries().next().value!;
    rest.delete(k);
    this.k0 = k;
    this.v0 = v;
    if (rest.size === 0) this.rest = undefined;
    return true;
  }

  clear(): void {
    this.k0 = undefined;
    this.v0 = undefined;
    this.rest = undefined;
  }

  forEach(fn: (v: V, key: string, map: Map<string, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.list()) fn.call(thisArg, v, k, this);
  }

  /** The entries, in insertion order, as a new array: a caller may delete what it is given (a Map allows that), and
   *  an array's iterator runs faster than a generator (summaries walk every group's names). */
  private list(): Array<[string, V]> {
    if (this.k0 === undefined) return [];
    const out: Array<[string, V]> = [[this.k0, this.v0 as V]];
    if (this.rest !== undefined) for (const e of this.rest) out.push(e);
    return out;
  }

  entries(): MapIterator<[string, V]> {
    return this.list().values();
  }

  keys(): MapIterator<string> {
    if (this.rest === undefined) return (this.k0 === undefined ? [] : [this.k0]).values();
    return this.list()
      .map((e) => e[0])
      .values();
  }

  values(): MapIterator<V> {
    if (this.rest === undefined) return (this.k0 === undefined ? [] : [this.v0 as V]).values();
    return this.list()
      .map((e) => e[1])
      .values();
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }
}
