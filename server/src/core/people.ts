// Evidence that a capitalised phrase names a person: honorifics, given names, surnames, particles, initials, and the
// sex a name or title implies (for fitting "he"/"she" to a speaker).

import {
  FEMALE_TITLES,
  FUNCTION_WORDS,
  HONORIFICS,
  MALE_TITLES,
  PLACE_OPENERS,
  DEMONYMS,
  isCommonGivenName,
  PEERAGE,
  PERSON_PARTICLES,
  givenNameSex,
  isGivenName,
  isSurname,
  looksLikeDemonym,
} from './lexicon';
import type { Mention } from './model';

/** Lower-case honorific without a trailing dot ("Mr." → "mr"), or undefined. */
export function honorific(lower: string): string | undefined {
  const w = lower.endsWith('.') ? lower.slice(0, -1) : lower;
  return HONORIFICS.has(w) ? w : undefined;
}
export const isPeerage = (lower: string): boolean => PEERAGE.has(lower);
export const isParticle = (lower: string): boolean => PERSON_PARTICLES.has(lower);

/** A word that may open a person's name: a known given name that is not an ordinary function word or a demonym. */
export function opensPersonName(_word: string, lower: string): boolean {
  if (FUNCTION_WORDS.has(lower) || PLACE_OPENERS.has(lower) || PERSON_PARTICLES.has(lower) || DEMONYMS.has(lower)) return false;
  if (!isGivenName(lower)) return false;
  // "Christian", "Julian", "Adrian" end like demonyms but are common given names.
  return !looksLikeDemonym(lower) || isCommonGivenName(lower);
}

export function closesPersonName(lower: string): boolean {
  return isSurname(lower.replace(/’/g, "'"));
}

/** The sex a person mention implies: from the title, else from the given name; undefined when unknown. */
export function sexOf(m: Mention): 'M' | 'F' | undefined {
  if (m.type !== 'person') return undefined;
  if (m.title) {
    const t = m.title.toLowerCase().replace(/\.$/, '');
    if (MALE_TITLES.has(t)) return 'M';
    if (FEMALE_TITLES.has(t)) return 'F';
  }
  const space = m.name.indexOf(' ');
  const first = (space < 0 ? m.name : m.name.slice(0, space)).toLowerCase();
  const s = givenNameSex(first);
  return s === 'M' || s === 'F' ? s : undefined;
}

/** "@jeremycorbyn" fits "Jeremy Corbyn" when the handle holds the family name (and, if long, the given name too). */
export function handleFits(handle: string, fullName: string): boolean {
  return handleKeyFits(handleKey(handle), fullName);
}
/** The part of a handle handleFits compares: lower case, without "@", digits and underscores. */
export const handleKey = (handle: string): string => handle.replace(/^@/, '').toLowerCase().replace(/[_\d]/g, '');
/** handleFits for a handle already made a handleKey (a handle is tried against each of a document's names). */
export function handleKeyFits(h: string, fullName: string): boolean {
  const parts = fullName.toLowerCase().split(/[\s-]+/).filter((p) => p.length > 1);
  if (parts.length === 0 || h.length < 3) return false;
  const joined = parts.join('');
  if (h === joined) return true;
  const family = parts[parts.length - 1]!;
  return family.length >= 4 && h.includes(family);
}
