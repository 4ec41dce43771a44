// A Map whose entries are kept elsewhere (a snapshot's columns) until a use needs them as entries. Restored tallies
// (indexSnapshot.ts RestoredTally) and the snapshot's file table (node/snapshot.ts FileTable) are such maps: a warm
// reopen makes tens of thousands of them, and entries made at restore all survived for the collector to copy.

/**
 * Behaves as the Map it stands for. A subclass answers what it can without the entries (size, get, has, clear) and
 * implements `readIn`, which fills the Map once: it must mark itself read BEFORE adding entries (it adds them with
 * `super.set`, which comes back to `readIn`). Every other use — changing it, iterating it — reads it in first.
 */
export abstract class ReadOnUse<K, V> extends Map<K, V> {
  protected abstract readIn(): void;

  override set(key: K, value: V): this {
    this.readIn();
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    this.readIn();
    return super.delete(key);
  }

  override forEach(visit: (value: V, key: K, map: Map<K, V>) => void, self?: unknown): void {
    this.readIn();
    super.forEach(visit, self);
  }

  override entries(): MapIterator<[K, V]> {
    this.readIn();
    return super.entries();
  }

  override keys(): MapIterator<K> {
    this.readIn();
    return super.keys();
  }

  override values(): MapIterator<V> {
    this.readIn();
    return super.values();
  }

  override [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }
}
