// White space as JavaScript's /\s/ sees it, by character code: a regex per character, or a replace per descriptor
// that almost never changes anything, cost more than the decisions made with the answer.

/** What /\s/ matches. */
export function isRegExpSpace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** s.replace(/\s+/g, ' '), returning s itself when it has no white space but single spaces. */
export function singleSpaced(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 32 ? isRegExpSpace(s.charCodeAt(i + 1)) : isRegExpSpace(c)) return s.replace(/\s+/g, ' ');
  }
  return s;
}
