// A tiny, predictable stand-in for recognition, so that index tests depend on grouping, not on recognition quality.
// It finds the surfaces of a lexicon (longest first, whole words, not overlapping), a trailing possessive included
// in the mention's text; an acronym in brackets right after a long form gets it as expansion; straight double quotes become quotations attributed to the nearest person or organisation
// mention on the same line (before the quote first), or to a descriptor the lexicon lists.

import type { DocAnalysis, EntityType, Mention, NameForm, Quote, Role } from '../../../server/src/core/model';

export interface Entry {
  type: EntityType;
  form: NameForm;
  /** Default: the surface without its title. */
  name?: string;
  title?: string;
  expansion?: string;
  /** A role descriptor attached to every occurrence. */
  role?: string;
}

const isWord = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}@_]/u.test(c);

export function fakeAnalyzer(lexicon: Record<string, Entry>, descriptors: string[] = []) {
  const surfaces = Object.keys(lexicon).sort((a, b) => b.length - a.length);
  return (text: string): DocAnalysis => {
    const taken: Array<[number, number]> = [];
    const found: Array<{ start: number; end: number; surface: string }> = [];
    for (const s of surfaces) {
      for (let at = text.indexOf(s); at >= 0; at = text.indexOf(s, at + 1)) {
        let end = at + s.length;
        if (isWord(text[at - 1]) || isWord(text[end])) {
          if (!(text.startsWith("'s", end) || text.startsWith('’s', end))) continue;
        }
        if (text.startsWith("'s", end) || text.startsWith('’s', end)) end += 2;
        if (taken.some(([a, b]) => at < b && end > a)) continue;
        taken.push([at, end]);
        found.push({ start: at, end, surface: s });
      }
    }
    found.sort((a, b) => a.start - b.start);
    const roles: Role[] = [];
    const mentions: Mention[] = found.map((f, i) => {
      const e = lexicon[f.surface];
      const name = e.name ?? (e.title ? f.surface.slice(e.title.length + 1) : f.surface);
      if (e.role) roles.push({ mention: i, text: e.role, rule: 'fake' });
      const m: Mention = { start: f.start, end: f.end, text: text.slice(f.start, f.end), type: e.type, form: e.form, name, rule: 'fake', confidence: 1 };
      if (e.title) m.title = e.title;
      if (e.expansion) m.expansion = e.expansion;
      return m;
    });
    // "Long Form (LF)": the acronym and its long form carry the expansion, as recognition does.
    for (let i = 1; i < mentions.length; i++) {
      const a = mentions[i];
      const b = mentions[i - 1];
      if (a.form === 'acronym' && b.type === 'organisation' && b.form === 'full' && text.slice(b.end, a.start) === ' (') {
        a.expansion = b.name;
        b.expansion = b.name;
      }
    }
    const quotes: Quote[] = [];
    const re = /"([^"\n]+)"/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const start = m.index + 1;
      const end = start + m[1].length;
      const lineStart = text.lastIndexOf('\n', m.index) + 1;
      let lineEnd = text.indexOf('\n', end);
      if (lineEnd < 0) lineEnd = text.length;
      const inside = (i: number) => mentions[i].start >= start && mentions[i].end <= end;
      let speaker: number | undefined;
      for (let i = 0; i < mentions.length; i++) {
        if (inside(i)) continue;
        if (mentions[i].start >= lineStart && mentions[i].end <= m.index) speaker = i;
      }
      if (speaker === undefined) {
        for (let i = 0; i < mentions.length; i++) {
          if (!inside(i) && mentions[i].start >= end && mentions[i].end <= lineEnd) {
            speaker = i;
            break;
          }
        }
      }
      const q: Quote = { start, end, text: m[1] };
      if (speaker !== undefined) q.speaker = { mention: speaker, rule: 'fake' };
      else {
        const line = text.slice(lineStart, lineEnd);
        const d = descriptors.find((x) => line.toLowerCase().includes(x.toLowerCase()));
        if (d) q.speaker = { descriptor: d, rule: 'fake' };
      }
      quotes.push(q);
    }
    return { mentions, quotes, roles, problems: [] };
  };
}

/** The lexicon most tests share. */
export const LEXICON: Record<string, Entry> = {
  'Jeremy Corbyn': { type: 'person', form: 'full' },
  'Piers Corbyn': { type: 'person', form: 'full' },
  'Mr Corbyn': { type: 'person', form: 'titled', title: 'Mr' },
  Corbyn: { type: 'person', form: 'family' },
  Jeremy: { type: 'person', form: 'given' },
  '@jeremycorbyn': { type: 'person', form: 'handle' },
  'Keir Starmer': { type: 'person', form: 'full' },
  'Sir Keir Starmer': { type: 'person', form: 'titled', title: 'Sir' },
  Starmer: { type: 'person', form: 'family' },
  'Malcolm Ardley': { type: 'person', form: 'full' },
  'Sir Malcolm': { type: 'person', form: 'titled', title: 'Sir' },
  'Lord Falconer of Thoroton': { type: 'person', form: 'titled', title: 'Lord' },
  'Lord Falconer': { type: 'person', form: 'titled', title: 'Lord' },
  'Zoë Castellan': { type: 'person', form: 'full' },
  'Zoe Castellan': { type: 'person', form: 'full' },
  'Ms Castellan': { type: 'person', form: 'titled', title: 'Ms' },
  'Frances Grahl': { type: 'person', form: 'full' },
  'Josephine Grahl': { type: 'person', form: 'full' },
  Grahl: { type: 'person', form: 'family' },
  'Marie van der Zyl': { type: 'person', form: 'full', role: 'president of the Board' },
  'Ms van der Zyl': { type: 'person', form: 'titled', title: 'Ms' },
  'Jewish Labour Movement': { type: 'organisation', form: 'full' },
  JLM: { type: 'organisation', form: 'acronym' },
  'National Union of Rail Workers': { type: 'organisation', form: 'full' },
  NURW: { type: 'organisation', form: 'acronym' },
  'Labour Party': { type: 'organisation', form: 'full' },
  'the Labour Party': { type: 'organisation', form: 'full', name: 'the Labour Party' },
  Labour: { type: 'organisation', form: 'name' },
  'Southwark Momentum': { type: 'organisation', form: 'full' },
  'Momentum Southwark': { type: 'organisation', form: 'full' },
  Momentum: { type: 'organisation', form: 'name' },
  'Brighton and Hove CLP': { type: 'organisation', form: 'full' },
  'Brighton & Hove CLP': { type: 'organisation', form: 'full' },
  'Board of Deputies of British Jews': { type: 'organisation', form: 'full' },
  'Board of Deputies': { type: 'organisation', form: 'full' },
  'Equality and Human Rights Commission': { type: 'organisation', form: 'full' },
  EHRC: { type: 'organisation', form: 'acronym' },
  ERHC: { type: 'organisation', form: 'acronym' },
  'Manchester Gorton CLP': { type: 'organisation', form: 'full' },
  'Gorton CLP': { type: 'organisation', form: 'full' },
  '@JLMovement': { type: 'organisation', form: 'handle' },
  '@jewishlabourmovement': { type: 'organisation', form: 'handle' },
};
