/**
 * Drops events already seen, by id, per key (an instrument and stream). Remembers the last `capacity` ids
 * of each key: enough to cover the overlap of a connection rotation or a REST backfill meeting the live
 * stream, bounded so that a long-running feed does not grow without limit.
 */
export class IdDeduplicator {
  private readonly seen = new Map<string, { set: Set<string>; ring: string[]; at: number }>();

  constructor(readonly capacity = 10_000) {
    if (!(capacity >= 1)) throw new RangeError(`capacity must be >= 1: ${capacity}`);
  }

  /** True the first time (`key`, `id`) is offered (and remembers it); false for a duplicate. */
  firstTime(key: string, id: string): boolean {
    let s = this.seen.get(key);
    if (s === undefined) {
      s = { set: new Set(), ring: [], at: 0 };
      this.seen.set(key, s);
    }
    if (s.set.has(id)) return false;
    if (s.ring.length < this.capacity) s.ring.push(id);
    else {
      s.set.delete(s.ring[s.at]);
      s.ring[s.at] = id;
      s.at = (s.at + 1) % this.capacity;
    }
    s.set.add(id);
    return true;
  }

  clear(key?: string): void {
    if (key === undefined) this.seen.clear();
    else this.seen.delete(key);
  }
}
