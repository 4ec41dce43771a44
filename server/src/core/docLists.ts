// A group's per-document lists (its mentions' or its quotations' indices in each document), by document key.
//
// A 100 MB corpus has 13,500 groups with 412,000 such lists (documents and quoting documents). As a Map each (a hash
// table of three words an entry at a power-of-two capacity, and a sorted array of the keys beside it) they held 37.6 MB
// of the server's heap at the end of a cold scan, the lists included. Here the keys are one sorted array and the lists
// a parallel array: the sorted keys are the ones the index keeps anyway (`Group.sortedDocs`), and a list costs one
// word besides itself (with short lists shared, index.ts keptList: 17.4 MB in all).
//
// A lookup is a binary search, but the index mostly reads the lists in key order (`for (const doc of sortedDocs)
// lists.get(doc)`): the lookup first tries the position after the last one found, so such a walk costs no search.

/** Up to this many documents, the arrays are kept at their exact length: an array grown by `push` keeps room for half
 *  its length plus 16 more, and most groups have a few documents (4.9 MB of such room at 100 MB of articles). */
const EXACT_UP_TO = 64;

/** A copy of the list with x put in at `at`, at its exact length: an array made at a given (small) length holds no
 *  spare room. (concat also allocates exactly, but ran 4× slower on lists of a few keys.) */
function insertedAt<T>(list: T[], at: number, x: T): T[] {
  const n = list.length;
  const out = new Array<T>(n + 1);
  for (let i = 0; i < at; i++) out[i] = list[i];
  out[at] = x;
  for (let i = at; i < n; i++) out[i + 1] = list[i];
  return out;
}

export class DocLists implements Map<string, number[]> {
  /** The documents, sorted (by `<`, as `byKey` orders them); not to be changed from outside. Replaced, not changed in
   *  place, while short. */
  sortedKeys: string[] = [];
  private lists: number[][] = [];
  /** Where the next lookup looks first: one past the last key found. */
  private hint = 0;

  /** The lists of a Map (any order), keys sorted. */
  static from(map: ReadonlyMap<string, number[]>): DocLists {
    if (map instanceof DocLists) return map;
    const out = new DocLists();
    const keys = [...map.keys()];
    let sorted = true;
    for (let i = 1; i < keys.length && sorted; i++) if (!(keys[i - 1] < keys[i])) sorted = false;
    if (!sorted) keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    out.sortedKeys = keys;
    out.lists = keys.map((k) => map.get(k)!);
    return out;
  }

  get size(): number {
    return this.sortedKeys.length;
  }

  get [Symbol.toStringTag](): string {
    return 'DocLists';
  }

  /** The key's position, or the one's complement of where it would go. */
  private find(key: string): number {
    const keys = this.sortedKeys;
    const n = keys.length;
    const h = this.hint;
    if (h < n) {
      const at = keys[h];
      if (at === key) {
        this.hint = h + 1;
        return h;
      }
      // Not there, just before the hint: a walk over another group's documents (a group's quotation lists are
      // looked up along its documents) misses as often as it finds.
      if (key < at && (h === 0 || keys[h - 1] < key)) return ~h;
    }
    // The key just found again: a `get` then a `set` or `delete` of the same document (a join or a leave).
    if (h > 0 && h <= n && keys[h - 1] === key) return h - 1;
    const at = findSorted(keys, key);
    // After a miss: usually a `set` of the same key follows (a group's `get` first), found again at the hint.
    this.hint = at >= 0 ? at + 1 : ~at;
    return at;
  }

  get(key: string): number[] | undefined {
    const at = this.find(key);
    return at >= 0 ? this.lists[at] : undefined;
  }

  has(key: string): boolean {
    return this.find(key) >= 0;
  }

  set(key: string, list: number[]): this {
    const found = this.find(key);
    if (found >= 0) {
      this.lists[found] = list;
      return this;
    }
    const at = ~found;
    const keys = this.sortedKeys;
    const lists = this.lists;
    if (keys.length < EXACT_UP_TO) {
      this.sortedKeys = insertedAt(keys, at, key);
      this.lists = insertedAt(lists, at, list);
    } else if (at === keys.length) {
      keys.push(key);
      lists.push(list);
    } else {
      keys.splice(at, 0, key);
      lists.splice(at, 0, list);
    }
    this.hint = at + 1;
    return this;
  }

  delete(key: string): boolean {
    const at = this.find(key);
    if (at < 0) return false;
    this.sortedKeys.splice(at, 1);
    this.lists.splice(at, 1);
    this.hint = at;
    return true;
  }

  clear(): void {
    this.sortedKeys = [];
    this.lists = [];
    this.hint = 0;
  }

  /** The key at a position in key order (0 ≤ d < size), and its list: for walks that need no lookup at all. */
  keyAt(d: number): string {
    return this.sortedKeys[d];
  }
  listAt(d: number): number[] {
    return this.lists[d];
  }

  forEach(fn: (list: number[], key: string, map: Map<string, number[]>) => void, thisArg?: unknown): void {
    for (let d = 0; d < this.sortedKeys.length; d++) fn.call(thisArg, this.lists[d], this.sortedKeys[d], this);
  }

  // Iteration is in key order (a Map's would be in insertion order; nothing here depends on that).
  *entries(): MapIterator<[string, number[]]> {
    for (let d = 0; d < this.sortedKeys.length; d++) yield [this.sortedKeys[d], this.lists[d]];
  }
  keys(): MapIterator<string> {
    return this.sortedKeys.values();
  }
  values(): MapIterator<number[]> {
    return this.lists.values();
  }
  [Symbol.iterator](): MapIterator<[string, number[]]> {
    return this.entries();
  }
}

/**
 * A set of document keys as one sorted array: which documents depend on a lookup key (index.ts `dependents`). A 100 MB
 * corpus has 5,500 such sets, and as Sets (hash tables of two words an entry, at a power-of-two capacity) they took
 * 6.3 MB of the server's heap. Iterated in key order.
 */
export class DocSet implements Set<string> {
  private list: string[] = [];

  get size(): number {
    return this.list.length;
  }

  get [Symbol.toStringTag](): string {
    return 'DocSet';
  }

  /** The key's position, or the one's complement of where it would go. */
  private find(key: string): number {
    return findSorted(this.list, key);
  }

  has(key: string): boolean {
    return this.find(key) >= 0;
  }

  add(key: string): this {
    const found = this.find(key);
    if (found >= 0) return this;
    const at = ~found;
    const keys = this.list;
    // Short sets at their exact length, as DocLists keeps its arrays.
    if (keys.length < EXACT_UP_TO) this.list = insertedAt(keys, at, key);
    else if (at === keys.length) keys.push(key);
    else keys.splice(at, 0, key);
    return this;
  }

  delete(key: string): boolean {
    const at = this.find(key);
    if (at < 0) return false;
    this.list.splice(at, 1);
    return true;
  }

  clear(): void {
    this.list = [];
  }

  forEach(fn: (key: string, again: string, set: Set<string>) => void, thisArg?: unknown): void {
    for (const k of this.list.slice()) fn.call(thisArg, k, k, this);
  }

  // A copy is iterated: a caller may delete what it is given (a Set allows that).
  keys(): SetIterator<string> {
    return this.list.slice().values();
  }
  values(): SetIterator<string> {
    return this.list.slice().values();
  }
  *entries(): SetIterator<[string, string]> {
    for (const k of this.list.slice()) yield [k, k];
  }
  [Symbol.iterator](): SetIterator<string> {
    return this.list.slice().values();
  }
}

/** The key's position in ascending `keys`, or the one's complement of where it would go. After the last key is
 *  tested first: a scan adds documents in key order. */
function findSorted(keys: readonly string[], key: string): number {
  const n = keys.length;
  if (n === 0 || keys[n - 1] < key) return ~n;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return keys[lo] === key ? lo : ~lo;
}
