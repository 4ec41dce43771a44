// Evidence that a capitalised phrase names an organisation: head nouns ("... Movement", "... Council"), openers
// ("University of ..."), company suffixes, acronyms, and acronyms defined beside their long form.

import { COMPANY_SUFFIXES, NON_ORG_ACRONYMS, ORG_HEADS, ORG_OPENERS, ROLE_NOUNS, knownOrganisation } from './lexicon';

export const isOrgHead = (lower: string): boolean =>
  ORG_HEADS.has(lower) || COMPANY_SUFFIXES.has(lower.endsWith('.') ? lower.slice(0, -1) : lower);
export const isOrgOpener = (lower: string): boolean => ORG_OPENERS.has(lower);

/**
 * An all-capitals word that may be an organisation's acronym: 2-6 letters (longer ones need evidence from the
 * document), not a common abbreviation of something else (UK, CEO, TV) and not an office (MP).
 */
export function acronymCandidate(word: string, lower: string): boolean {
  if (word.length < 2 || word.length > 8) return false;
  const bare = lower.includes('.') ? lower.replace(/\./g, '') : lower;
  if (NON_ORG_ACRONYMS.has(bare) || ROLE_NOUNS.has(bare)) return false;
  // Dotted initials ("U.S.", "J.M.", "P.S.") are places, people's initials or abbreviations far more often than organisations.
  if (bare !== lower && bare.length <= 3) return false;
  let letters = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 65 && c <= 90) letters++;
    else if (c === 38 || c === 46 || (c >= 48 && c <= 57)) continue; // AT&T, U.S., G20
    else if (c >= 0xc0) letters++;
    else return false;
  }
  return letters >= 2;
}

/** A word with no vowel (or a short one) reads as an acronym, not a shouted word ("JLM", "SWP" vs "TRAP"). */
export function looksAbbreviated(word: string): boolean {
  if (word.length <= 3) return true;
  let vowels = 0;
  for (const ch of word) if ('AEIOUY'.includes(ch)) vowels++;
  if (word.length >= 5) return vowels <= 1;
  return vowels === 0 || vowels * 3 < word.length;
}

export function knownOrg(name: string): string | undefined {
  return knownOrganisation(name);
}

/**
 * Whether `acronym` abbreviates the words `words` (Schwartz & Hearst 2003): every letter of the acronym is found,
 * right to left, in the long form, and its first letter starts a word. Lets "Stand up to Racism" define SUTR and
 * "Labour Against Antisemitism" define LAAS, while "the Labour Party" does not define "EHRC".
 */
export function abbreviates(acronym: string, words: string[]): boolean {
  const a = acronym.toLowerCase().replace(/[^a-z0-9]/g, '');
  const long = words.join(' ').toLowerCase();
  if (a.length < 2 || long.length < a.length) return false;
  let si = a.length - 1;
  let li = long.length - 1;
  while (si >= 0) {
    const c = a[si]!;
    while (li >= 0 && (long[li] !== c || (si === 0 && li > 0 && /[a-z0-9]/.test(long[li - 1]!)))) li--;
    if (li < 0) return false;
    li--;
    si--;
  }
  // The first letter must also start the long form's first word, so that the long form is not padded in front.
  return long[0] === a[0];
}
