// Binary search over sorted lists: mentions, quotes, tokens, candidates, typed-array columns, the entity list.

/**
 * The index of the last item for which `atOrBefore` holds, in a list where it holds for a prefix and fails for the
 * rest (e.g. "starts at or before the offset"); -1 when it holds for none.
 */
export function lastWhere<T>(list: readonly T[], atOrBefore: (item: T) => boolean): number {
  return prefixLength(list.length, (i) => atOrBefore(list[i]!)) - 1;
}

/**
 * How many of the indices 0..n-1 satisfy `holds`, when it holds for a prefix and fails for the rest: the same search
 * over anything indexable (typed-array columns, a comparator's "before" as a lower bound).
 */
export function prefixLength(n: number, holds: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (holds(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
