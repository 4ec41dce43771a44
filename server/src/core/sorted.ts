// Binary search over lists sorted by offset: mentions, quotes, tokens, candidates.

/**
 * The index of the last item for which `atOrBefore` holds, in a list where it holds for a prefix and fails for the
 * rest (e.g. "starts at or before the offset"); -1 when it holds for none.
 */
export function lastWhere<T>(list: readonly T[], atOrBefore: (item: T) => boolean): number {
  let lo = 0;
  let hi = list.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (atOrBefore(list[mid]!)) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
