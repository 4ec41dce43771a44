// Finding the names: capitalised chunks are cut from the token stream, split where they hold more than one name
// (at "and", at job words, after honorific phrases) and typed by the evidence people.ts and organisations.ts know
// about, by the document's own evidence (evidence.ts) and by what the corpus already knows (options.known).
//
// Two passes over the same chunks: the first collects confident names (full names, titled names, organisations with
// head nouns, acronyms defined in brackets) and context cues for single words ("members of X", "X spokesman"); the
// second decides every chunk again with that knowledge, so "Corbyn" after "Jeremy Corbyn", "Momentum" after
// "members of Momentum" and "Southwark Momentum" are read consistently within the document.

import { Kind, Shape, type Token } from './tokens';
import { capMid, seenLower, upperCount, useMarks, type DocEvidence } from './evidence';
import type { EntityType, Mention, NameForm } from './model';
import { MASTHEAD_WORDS, knownOrganisation } from './lexicon';
import { handleKey, handleKeyFits, isPeerage } from './people';
import { abbreviates, acronymCandidate, looksAbbreviated } from './organisations';
import { F } from './words';
import { Int32Scratch, Uint8Scratch } from './scratch';
import { singleSpaced } from './spaces';

/** Whether token t's word has any of the lexical features `f` (words.ts: looked up once per distinct word). */
const is = (t: Token, f: F): boolean => (t.f & f) !== 0;

/** Lower-case words after a single capitalised word that show it names an organisation ("Labour MP", "the X group"). */
const ORG_CONTEXT_AFTER = new Set(
  `group party members member membership leader leaders leadership spokesman spokeswoman spokesperson mp mps mep
   meps councillor councillors activists activist supporters supporter official officials campaign campaigners
   government chair chairman branch branches candidate candidates peer peers conference manifesto source sources
   figures executive headquarters hq staff staffers affiliate affiliates chapter members' website account
   statement spokespeople founder founders boss bosses chief whip whips colleagues lawmakers politicians ministers
   minister frontbencher frontbenchers backbenchers backbencher`.split(/\s+/),
);
/** Kinds of organisation that name the organisation right after them ("retailer Walmart", "the company Acme"). */
const ORG_KIND_BEFORE = new Set(
  `company companies firm corporation conglomerate newspaper broadcaster retailer carmaker automaker insurer airline
   startup start-up bank lender brokerage publisher label studio manufacturer maker supplier operator provider
   developer charity nonprofit non-profit agency outlet tabloid daily weekly magazine website network chain
   subsidiary rival rivals competitor competitors party`.split(/\s+/),
);
/** Words before "of"/"for"/"to" that make the next capitalised word an organisation ("members of X"). */
const ORG_CONTEXT_BEFORE = new Set(
  `members member leader leadership spokesman spokeswoman spokesperson affiliated affiliation chair chairman
   president founder founders head secretary director joined join quit left expelled suspended readmitted
   officials official supporters`.split(/\s+/),
);

export interface NameSets {
  /** Lower-case full names of people found confidently, to the display name. */
  people: Map<string, string>;
  /** Lower-case family names and given names of those people. */
  family: Set<string>;
  given: Set<string>;
  /** Lower-case organisation names (multi-word and single-word) found confidently. */
  orgs: Set<string>;
}

/**
 * A candidate mention. A class, every field set by its one constructor: as object literals with the optional fields
 * present or not, candidates came in several shapes, and the passes reading them (learn, spreadSingles,
 * applyDefinitions, toMentions) met each shape as a deoptimisation while a worker warmed up.
 */
class Cand {
  // Declared, not class fields (see Token in tokens.ts): only the constructor's stores.
  declare first: number; // token index
  declare last: number;
  declare type: EntityType;
  declare form: NameForm;
  declare rule: string;
  declare confidence: number;
  /** Token index of the last honorific word, for titled mentions; -1 for the others. */
  declare titleEnd: number;
  /** The long form, for an acronym's or a handle's definition; '' for the others. */
  declare expansion: string;
  constructor(first: number, last: number, type: EntityType, form: NameForm, rule: string, confidence: number, titleEnd = -1, expansion = '') {
    this.first = first;
    this.last = last;
    this.type = type;
    this.form = form;
    this.rule = rule;
    this.confidence = confidence;
    this.titleEnd = titleEnd;
    this.expansion = expansion;
  }
}

export function findNames(ev: DocEvidence): Mention[] {
  useMarks(ev);
  const tokens = ev.tokens;
  const chunks = findChunks(ev);
  const sets: NameSets = { people: new Map(), family: new Set(), given: new Set(), orgs: new Set() };
  const defs = acronymDefinitions(ev);

  // Pass 1: confident names only.
  const first: Cand[] = [];
  // Single capitalised words teach the document nothing here (their context cues are learnt below), and they are
  // most chunks: pass 1 looks at longer chunks only.
  for (let c = 0; c < chunks.length; c += 2) if (chunks[c + 1]! > chunks[c]!) classifyRange(ev, chunks[c]!, chunks[c + 1]!, sets, false, first, 0);
  learn(ev, first, sets);
  for (const d of defs) sets.orgs.add(d.long.toLowerCase()), sets.orgs.add(d.acronym.toLowerCase());
  learnContexts(ev, chunks, sets);

  // Pass 2: every chunk again, with what the document has shown.
  const cands: Cand[] = [];
  for (let c = 0; c < chunks.length; c += 2) classifyRange(ev, chunks[c]!, chunks[c + 1]!, sets, true, cands, 0);
  spreadSingles(ev, chunks, cands);
  const handles = findHandles(ev, cands, sets);
  const all = applyDefinitions(ev, cands.concat(handles), defs);
  return toMentions(ev, all);
}

// ------------------------------------------------------------------ chunks

/** Can token i be part of a name? Capitalised words (not in headlines unless evident), capitalised domains. */
function nameWord(ev: DocEvidence, i: number): boolean {
  const t = ev.tokens[i];
  if (!t) return false;
  if (t.kind === Kind.Url) return t.shape === Shape.Cap;
  if (t.kind !== Kind.Word) return false;
  if (t.shape === Shape.Lower || t.shape === Shape.None) return false;
  if (ev.headline[ev.lineOf[i]!] && !evident(ev, t)) {
    // In a capitalised line, a word right after a given name is taken as its surname ("Pam Butler Renee Ratcliff").
    const p = ev.tokens[i - 1];
    return !!p && t.space && t.nl === 0 && p.kind === Kind.Word && p.shape === Shape.Cap && is(p, F.OpensPerson) && !is(t, F.Function);
  }
  return true;
}

/** Evidence independent of position that a capitalised word may be a name. */
function evident(ev: DocEvidence, t: Token): boolean {
  if (t.shape === Shape.Upper && t.text.length <= 5 && !capMid(ev, t) && !seenLower(ev, t)) return true;
  if (capMid(ev, t)) return true;
  if (is(t, F.Given) && !is(t, F.Function)) return true;
  if (is(t, F.Honorific)) return true;
  if (is(t, F.KnownOrg)) return true;
  if (ev.known?.typeOf(t.text)) return true;
  return false;
}

function isConnector(t: Token | undefined): boolean {
  if (!t) return false;
  if (t.kind === Kind.Punct) return t.text === '&';
  return t.kind === Kind.Word && t.shape === Shape.Lower && is(t, F.Connector);
}

/** The chunks as a flat list of token index pairs [first, last, first, last, ...] (no array per chunk: a document has
 * thousands, each visited four times). */
function findChunks(ev: DocEvidence): number[] {
  const tokens = ev.tokens;
  const out: number[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (!nameWord(ev, i)) {
      i++;
      continue;
    }
    let j = i;
    // Names are short; a cap keeps pathological all-capitals text linear.
    while (j - i < 24) {
      const t = tokens[j]!;
      const n1 = tokens[j + 1];
      if (!n1 || n1.nl > 0) break;
      // Initials and abbreviated honorifics keep their dot: "Robert J. Little", "Mr. Smith". Hyphenated names:
      // "Frayne-Reid", "Anti-Semitism". Either way the name goes on with the word after the mark, or stops. (One test
      // of that word for both: the dotted case's own, first reached some documents into a worker's life, deoptimised
      // this function.)
      const dotted = n1.kind === Kind.Punct && n1.text === '.' && n1.start === t.end && t.kind === Kind.Word && (t.text.length === 1 || is(t, F.Honorific));
      if (dotted || (n1.kind === Kind.Punct && n1.text === '-' && n1.start === t.end)) {
        const j2 = j + 2;
        // (Read within bounds, and both of u's tests made whichever case this is: a read past the end, at a name that
        // ends a document with "J.", and u.nl read in the dotted case only, each first happened after this function
        // was optimised and had it compiled again: 3 compiles per isolate over 50 MB, now 1.)
        const u = tokenAt(tokens, j2);
        const onLine = u !== undefined && u.nl === 0;
        const adjoins = u !== undefined && u.start === n1.end;
        if (u && (dotted ? onLine : adjoins) && nameWord(ev, j2)) {
          j = j2;
          continue;
        }
        break;
      }
      if (nameWord(ev, j + 1) && n1.space) {
        j++;
        continue;
      }
      // Up to two connectors between capitalised words: "Board of Deputies", "Marie van der Zyl", "Labour Against the Witch Hunt".
      if (isConnector(n1)) {
        let k = j + 1;
        let c = 0;
        while (c < 3 && isConnector(tokens[k]) && tokens[k]!.nl === 0) k++, c++;
        // (c is at most 3: three connectors pass only when the last is "the". Compared this way round, the test of
        // three, first reached some documents into a worker's life, no longer deoptimised this function.)
        const endsWithThe = tokens[k - 1]!.lower === 'the';
        if (c <= 2 || endsWithThe) {
          if (nameWord(ev, k) && tokens[k]!.nl === 0) {
            j = k;
            continue;
          }
        }
        break;
      }
      // "BBC Radio 4", "Channel 4".
      if (n1.kind === Kind.Number && (t.lower === 'radio' || t.lower === 'channel')) j++;
      break;
    }
    out.push(i, j);
    i = j + 1;
  }
  return out;
}

// ------------------------------------------------------------------ classification

const wordsOf = (tokens: Token[], a: number, b: number): Token[] => {
  const out: Token[] = [];
  for (let i = a; i <= b; i++) {
    const t = tokens[i]!;
    if (t.kind === Kind.Word || t.kind === Kind.Url) out.push(t);
  }
  return out;
};

/**
 * Whether text[start, end) has white space to collapse (other than single spaces). Most names have none, so no regex
 * runs for them; and the check reads the document itself, not a slice of it (reading a sliced string char by char
 * cost more than the rest of the check).
 */
function needsSqueeze(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if ((c === 32 && i + 1 < end && text.charCodeAt(i + 1) <= 32) || c < 32 || c === 0xa0) return true;
  }
  return false;
}
/** text.slice(start, end) with each run of white space collapsed to one space. */
function squeezed(text: string, start: number, end: number): string {
  const s = text.slice(start, end);
  return needsSqueeze(text, start, end) ? s.replace(/\s+/g, ' ') : s;
}
const rangeText = (ev: DocEvidence, a: number, b: number): string => squeezed(ev.text, ev.tokens[a]!.start, ev.tokens[b]!.end);

function isNameTok(ev: DocEvidence, i: number): boolean {
  const t = ev.tokens[i]!;
  return (t.kind === Kind.Word || t.kind === Kind.Url) && t.shape !== Shape.Lower;
}

/** Index of the list segment (0 = the first, before any comma on the line) for a token in a list line. */
function listSegment(ev: DocEvidence, i: number): number {
  const line = ev.lines[ev.lineOf[i]!]!;
  // List lines are short (evidence.ts), so counting from the line start stays cheap; other lines have one segment.
  if (!ev.listLine[ev.lineOf[i]!]) return 0;
  let seg = 0;
  for (let k = line.first; k < i; k++) {
    const t = ev.tokens[k]!;
    if (t.kind === Kind.Punct && (t.text === ',' || t.text === ';' || t.text === '/')) seg++;
  }
  return seg;
}

function classifyRange(ev: DocEvidence, a: number, b: number, sets: NameSets, final: boolean, out: Cand[], depth: number): void {
  const tokens = ev.tokens;
  // A rule that leaves the rest of the range to be read again (a leading word dropped, a name taken off the front)
  // sets `last`, the last token it took, and the loop goes on from the next one, one level deeper, as a call of this
  // function would. A loop rather than a call in each such rule: a call (and the arithmetic of its arguments) first
  // reached after the compiler had optimised this function deoptimised it, and each rule was first reached at another
  // time while a worker warmed up.
  let last = -1;
  // The reading of a rule that ends the range with one candidate, made after the loop (see classifyNamed).
  let type: EntityType = 'person';
  let form: NameForm = 'full';
  let rule = '';
  let conf = 0;
  let lastTok = b;
  range: for (; ; depth++, a = last + 1) {
    if (depth > 12) return;
    // Trim connectors and dots at the edges.
    while (a <= b && !isNameTok(ev, a)) a++;
    while (b >= a && !isNameTok(ev, b) && !numberedName(tokens, b)) b--;
    if (a > b) return;
    const t0 = tokens[a]!;
    // A sentence-initial word before a connector is not part of a name unless it opens one ("Shares in Acme Ltd" →
    // "Acme Ltd"; "Friends of the Earth" stays).
    if (t0.sentStart && t0.shape === Shape.Cap && isConnector(tokens[a + 1]) && tokens[a + 1]!.kind === Kind.Word && !is(tokens[a + 1]!, F.Particle) && !is(t0, F.Given) && !is(t0, F.OrgOpener) && !is(t0, F.OrgHead) && !is(t0, F.Honorific) && !capMid(ev, t0) && !is(t0, F.KnownOrg) && !ev.known?.typeOf(t0.text)) {
      last = a;
      continue;
    }
    // A sentence-initial word the document writes in lower case elsewhere is not part of the name ("Membership of ...").
    if (t0.sentStart && b > a && t0.shape === Shape.Cap && seenLower(ev, t0) && !capMid(ev, t0) && !is(t0, F.Given) && !is(t0, F.OrgOpener) && !is(t0, F.OrgHead)) {
      last = a;
      continue;
    }
    const words = wordsOf(tokens, a, b);
    const n = words.length;

    // A leading capitalised function word: "The", "In", "However". Only a masthead keeps "The".
    if (is(t0, F.Function) && t0.shape !== Shape.Upper) {
      if (t0.lower === 'the' && n >= 2 && n <= 4) {
        const rest = rangeText(ev, a + 1, b);
        const lastWord = words[n - 1]!.lower;
        if (knownOrganisation('The ' + rest) || MASTHEAD_WORDS.has(lastWord)) {
          type = 'organisation';
          rule = 'masthead';
          conf = 0.8;
          lastTok = b;
          break range;
        }
      }
      // "May" and "June" are given names after a given name, months otherwise; either way not a leading word.
      last = a;
      continue;
    }
    if (is(t0, F.Calendar)) {
      last = a;
      continue;
    }

    const lastW = words[n - 1]!;
    const headFinal = n >= 2 && is(lastW, F.OrgHead);

    // A list line: "Jane Doe, Branch Name" — the first segment names a person, later ones an affiliation.
    const line = ev.lineOf[a]!;
    if (ev.listLine[line] && !ev.chrome[line]) {
      const seg = listSegment(ev, a);
      if (seg === 0 && ev.lines[line]!.first === a) {
        // A signatory's name run into an affiliation: "Jane Doe Salford and Eccles CLP".
        if (n >= 3 && isNameTok(ev, a + 1) && tokens[a + 1]!.space && isNameTok(ev, a + 2) && !isConnector(tokens[a + 2]) && looksOrgRange(ev, a + 2, b, sets, final) && !is(tokens[a + 1]!, F.OrgHead)) {
          last = a + 1;
          out.push(new Cand(a, last, 'person', 'full', 'list-name', 0.7));
          continue;
        }
        if (n >= 2 && n <= 4 && !hasConnectorExcept(tokens, a, b, NO_CONNECTOR) && !headFinal && !orgWordIn(words, sets, final)) {
          rule = 'list-name';
          conf = 0.7;
          lastTok = b;
          break range;
        }
      }
      // A later segment that is itself a person's name ("Jane Doe, John Roe, Ann Poe"): a given name and a surname.
      if (seg > 0 && n >= 2 && n <= 3 && is(words[0]!, F.OpensPerson) && is(lastW, F.Surname) && !orgWordIn(words, sets, final) && !is(lastW, F.OrgHead) && !is(words[0]!, F.Place)) {
        rule = 'list-name';
        conf = 0.65;
        lastTok = b;
        break range;
      }
      if (seg > 0 && n >= 1 && n <= 6 && tokens[a - 1] && (tokens[a - 1]!.text === ',' || tokens[a - 1]!.text === '/') && endsSegment(ev, b) && !words.some((w) => is(w, F.RoleNoun))) {
        if (!(n === 1 && words[0]!.shape === Shape.Upper && !acronymCandidate(words[0]!.text, words[0]!.lower))) {
          if (n >= 2 && hasAnd(tokens, a, b) && !joinAll(ev, a, b, sets, final)) {
            // "Selly Oak CLP & Birmingham Momentum": two affiliations, decided below.
          } else {
            out.push(new Cand(a, b, 'organisation', n === 1 ? (words[0]!.shape === Shape.Upper ? 'acronym' : 'name') : 'full', 'list-affiliation', 0.6));
            return;
          }
        }
      }
    }

    // Split at "and"/"&" unless the whole reads as one organisation ("Equality and Human Rights Commission",
    // "Camberwell & Peckham CLP").
    for (let k = a + 1; k < b; k++) {
      const t = tokens[k]!;
      if (t.lower === 'and' || t.text === '&') {
        if (joinAcrossAnd(ev, a, k, b, sets, final)) continue;
        classifyRange(ev, a, k - 1, sets, final, out, depth + 1);
        classifyRange(ev, k + 1, b, sets, final, out, depth + 1);
        return;
      }
    }


    // Job words split a chunk: "Labour MP Ian Austin" = Labour | MP | Ian Austin.
    if (!headFinal) {
      for (let k = a; k <= b; k++) {
        const t = tokens[k]!;
        if (t.kind !== Kind.Word || t.shape === Shape.Lower || !is(t, F.RoleNoun)) continue;
        if (is(t, F.Honorific)) continue;
        // (The position first: it is asked of every role word, the rare organisation head only after it. Asked the
        // other way round, the comparison was first made after this function was optimised, and had it compiled again.)
        if (k > a && is(t, F.OrgHead)) continue;
        // A capitalised role word followed by "of"/"for" inside an organisation name ("Friends of ...") is rare; split.
        if (k > a) classifyRange(ev, a, k - 1, sets, final, out, depth + 1);
        if (k < b) {
          const before = out.length;
          // "President Bush", "Foreign Minister Hazem Shaalan": a bare name of one to three words after an office.
          // The name may run into a connector and more ("President Bush on Tuesday"): the longest bare prefix is taken.
          if (TITLE_ROLES.has(t.lower) && tokens[k + 1]!.space) {
            for (let e = Math.min(b, k + 6); e > k; e--) {
              const c = tokens[e + 1];
              if (e < b && !(c && isConnector(c) && !is(c, F.Particle))) continue;
              if (!bareName(ev, k + 1, e, sets, final)) continue;
              out.push(new Cand(k + 1, e, 'person', k + 1 === e ? 'family' : 'full', 'role-name', 0.7));
              last = e;
              continue range;
            }
          }
          classifyRange(ev, k + 1, b, sets, final, out, depth + 1);
          // What follows an office is a person when it is a bare two- or three-word name.
          markRoleFollowed(out, before);
        }
        return;
      }
    }

    last = classifyNamed(ev, a, b, sets, final, out, depth, words);
    if (last < 0) return;
  }
  out.push(new Cand(a, lastTok, type, form, rule, conf));
}

/**
 * The second half of classifyRange (the range trimmed, not a list item, not split at "and" or an office): titles,
 * organisations, people, single words. A function of its own so that the optimising compiler compiles two halves of
 * ordinary size: as one, classifyRange was the costliest function to compile while a worker warmed up, and a rule
 * that first fired after it was optimised had all of it compiled again (several times per worker).
 */
function classifyNamed(ev: DocEvidence, a: number, b: number, sets: NameSets, final: boolean, out: Cand[], depth: number, words: Token[]): number {
  const tokens = ev.tokens;
  const t0 = tokens[a]!;
  const n = words.length;
  const lastLower = words[n - 1]!.lower;
  const lastW = words[n - 1]!;
  const headFinal = n >= 2 && is(lastW, F.OrgHead);
  const line = ev.lineOf[a]!;
  // Asked up front, for the rules far down that test them: reached only when every test before them passed (the surname
  // rule's run of six), these reads were first made after the function was optimised, and each had it compiled again
  // (3 compiles per isolate over 50 MB, the costliest function of recognition to compile; now 1).
  const chromeLine = !!ev.chrome[line];
  const weakStart = t0.sentStart && seenLower(ev, t0);
  // The reading a rule finds: each rule sets these and leaves the block, and the one candidate is made after it. A
  // candidate made in each rule was code first reached when that rule first matched, which deoptimised this function
  // each time while a worker warmed up (see singleReading); assignments of constants are not.
  let type: EntityType = 'person';
  let form: NameForm = 'full';
  let rule = '';
  let conf = 0;
  let lastTok = b;
  let titleEnd = -1;
  /** What classifyNamed returns: the last token taken when the range is to be read on after it, else -1. */
  let goOn = -1;
  found: {

    // Honorifics: "Mr Corbyn", "Sir Keir Starmer", "Lord Falconer of Thoroton".
    if (is(t0, F.Honorific) && t0.shape === Shape.Cap) {
      let k = a;
      titleEnd = a;
      while (k <= b && (is(tokens[k]!, F.Honorific) || (tokens[k]!.text === '.' && k > a))) titleEnd = k, k++;
      if (k > b) return -1; // a bare title
      const peer = isPeerage(tokens[titleEnd]!.lower.replace(/\.$/, '')) || isPeerage(tokens[a]!.lower);
      let end = k;
      let count = 0;
      let m = k;
      while (m <= b) {
        const t = tokens[m]!;
        if (isNameTok(ev, m)) {
          if (count >= 4) break;
          count++;
          end = m;
          m++;
          continue;
        }
        if (t.text === '.' || t.text === '-') { m++; continue; }
        // (Compared before `peer` is asked: see orgContext.)
        const of = t.lower === 'of';
        if (isConnector(t) && (is(t, F.Particle) || (peer && of))) { m++; continue; }
        break;
      }
      form = 'titled';
      rule = 'title';
      conf = 0.95;
      lastTok = goOn = end;
      break found;
    }

    // Organisations with a head noun, an opener or a defining acronym.
    // "West Bank", "South Bank": a compass word before "Bank" names a place.
    if (headFinal && n === 2 && lastLower === 'bank' && COMPASS.has(words[0]!.lower)) return -1;
    if (headFinal) {
      if (!is(words[0]!, F.Demonym) || n >= 3 || !is(lastW, F.Function)) {
        // An abbreviated company suffix keeps its dot: "Acme Corp.", "Widget Co.".
        const dot = tokens[b + 1];
        if (dot && dot.text === '.' && dot.start === tokens[b]!.end && ABBREVIATED_SUFFIXES.has(lastLower)) lastTok = b + 1;
        type = 'organisation';
        rule = 'org-head';
        conf = 0.9;
        break found;
      }
    }
    for (let k = a; k < b; k++) {
      const t = tokens[k]!;
      const c = tokens[k + 1]!;
      const connector = c.kind === Kind.Word && is(c, F.Connector) && c.lower !== 'and' && c.lower !== 'the';
      if (t.kind === Kind.Word && t.shape !== Shape.Lower && (is(t, F.OrgHead) || is(t, F.OrgOpener)) && connector) {
        if (k === a ? is(t, F.OrgOpener) : true) {
          type = 'organisation';
          rule = 'org-head';
          conf = 0.85;
          break found;
        }
      }
    }
    if (n >= 2 && words[n - 1]!.shape === Shape.Upper && acronymCandidate(words[n - 1]!.text, lastLower) && !is(words[0]!, F.OpensPerson) && !shouted(words) && !hasConnectorExcept(tokens, a, b, ACRONYM_HEAD_CONNECTORS)) {
      type = 'organisation';
      rule = 'org-acronym-head';
      conf = 0.8;
      break found;
    }
    // The text of a longer range, sliced only when a rule asks for it: most ranges here are one word (the second pass
    // sees every chunk), and nothing below asks a single word's range text; most longer ones are people's names, which
    // no well-known organisation's name starts like (mayStartKnownOrganisation: no slice, no hash of a fresh string;
    // asked once per distinct word, as a word feature: the set lookup per range here was 1.3 % of a warm profile).
    let whole: string | undefined;
    if (n >= 2 && is(t0, F.MayStartKnownOrg) && knownOrganisation((whole = rangeText(ev, a, b)))) {
      type = 'organisation';
      rule = 'gazetteer';
      conf = 0.9;
      break found;
    }
    const knownType = n >= 2 && ev.known ? ev.known.typeOf((whole ??= rangeText(ev, a, b))) : undefined;
    if (n >= 2 && knownType) {
      type = knownType;
      rule = 'corpus';
      conf = 0.8;
      break found;
    }

    // A word repeated ("Thanks, Phillip Phillip" — a signature after a sign-off) is two mentions, not one name.
    for (let k = a + 1; k <= b; k++) {
      if (isNameTok(ev, k) && tokens[k]!.lower === tokens[k - 1]!.lower) {
        const prev = k - 1;
        classifyRange(ev, a, prev, sets, final, out, depth + 1);
        return prev;
      }
    }

    // People: a given name and more capitalised words.
    if (n >= 2 && is(words[0]!, F.OpensPerson) && t0.kind === Kind.Word && !afterPlaceOpener(ev, a) && !orgWordIn(personOfOrg(ev, a, b) ?? words, sets, final) && !allPlaces(words)) {
      const end = personEnd(ev, a, b);
      const endTok = tokens[end]!;
      // "Jordan Street", "Hayes Street Grill": a place or a facility, not a person; "Paris Hilton" needs a surname.
      const placeLike = is(endTok, F.PlaceHead) || (is(words[0]!, F.Place) && !is(endTok, F.Surname));
      if (end > a && !placeLike) {
        rule = 'given-name';
        conf = is(tokens[end]!, F.Surname) ? 0.95 : 0.85;
        lastTok = goOn = end;
        break found;
      }
    }

    // Local branches and subsidiaries of a known organisation: "Southwark Momentum", "Young Labour", "BBC Radio 4".
    if (n >= 2 && !hasConnectorExcept(tokens, a, b, BRANCH_CONNECTORS)) {
      // An acronym the document merely uses does not make a branch of what follows it ("MSN Explorer").
      const branchWord = words.some((w, i) => is(w, F.KnownOrg) || (final && sets.orgs.has(w.lower) && (w.shape !== Shape.Upper || i === n - 1)));
      const plainPlural = lastLower.endsWith('s') && !lastLower.endsWith('ss') && !is(lastW, F.OrgHead) && !orgWordIs(words[n - 1]!, sets, final);
      if (branchWord && !is(words[0]!, F.Demonym) && !plainPlural && !words.some((w, i) => i > 0 && is(w, F.Demonym))) {
        type = 'organisation';
        rule = 'org-branch';
        conf = 0.75;
        break found;
      }
    } else if (n >= 2 && orgWordIs(words[0]!, sets, final) && !hasConnectorExcept(tokens, a, b, CAMPAIGN_CONNECTORS)) {
      // Campaign names after a known organisation: "Labour Against the Witch Hunt".
      type = 'organisation';
      rule = 'org-campaign';
      conf = 0.7;
      break found;
    }

    // Leading nationality or religion words are not names: "Jewish Labour" → Labour; "British Jews" → nothing.
    // (The range goes on after the first word: classifyRange skips what is not a name word.)
    if (n >= 2 && is(words[0]!, F.Demonym) && !is(words[0]!, F.Given)) return a;

    if (n >= 2) {
      // A name after a job description or before an apposition: "street artist Mear One", "Jane Roe, spokeswoman for ...".
      if (n <= 3 && t0.kind === Kind.Word && (roleBefore(ev, a) || roleAfter(ev, b)) && !orgWordIn(words, sets, final)) {
        rule = 'role-apposition';
        conf = 0.7;
        break found;
      }
      // The subject or object of a reporting verb: "Khader Habib said", "said Ngozi Adichie, ...".
      if (n <= 3 && bareName(ev, a, b, sets, final) && speakerContext(ev, a, b) && !weakStart) {
        rule = 'said-name';
        conf = 0.65;
        break found;
      }
      // A surname at the end: "Weyman Bennett".
      if (n <= 3 && t0.kind === Kind.Word && is(lastW, F.Surname) && is(t0, F.OpensPerson) && !words.some((w) => is(w, F.Place) || is(w, F.PlaceHead)) && !hasConnectorExcept(tokens, a, b, NO_CONNECTOR) && words.every((w) => !is(w, F.Function) && !is(w, F.Demonym) && w.shape === Shape.Cap) && !chromeLine && !weakStart) {
        rule = 'surname';
        conf = 0.6;
        break found;
      }
      // What the document has shown elsewhere: "Keir Starmer" after "Sir Keir Starmer", "Okonkwo-Hale" after a full name.
      if (final) {
        const lw = (whole ?? rangeText(ev, a, b)).toLowerCase();
        if (sets.people.has(lw)) {
          rule = 'document';
          conf = 0.85;
          break found;
        }
        if (sets.family.has(lw)) {
          form = 'family';
          rule = 'document-family';
          conf = 0.85;
          break found;
        }
        if (sets.orgs.has(lw)) {
          type = 'organisation';
          rule = 'document';
          conf = 0.85;
          break found;
        }
      }
      // Sentence-initial ordinary word before a name: "Meanwhile Corbyn", "Asked Smith".
      // Otherwise: each word on its own.
      let k = a;
      while (k <= b) {
        if (isNameTok(ev, k)) single(ev, k, sets, final, out, false);
        k++;
      }
      return -1;
    }
    single(ev, a, sets, final, out, true);
    return -1;
  }
  out.push(new Cand(a, lastTok, type, form, rule, conf, titleEnd));
  return goOn;
}

/** "Radio 4", "Channel 5": a number that ends a name. */
function numberedName(tokens: Token[], i: number): boolean {
  const t = tokens[i]!;
  const p = tokens[i - 1];
  return t.kind === Kind.Number && !!p && (p.lower === 'radio' || p.lower === 'channel');
}

function hasAnd(tokens: Token[], a: number, b: number): boolean {
  for (let k = a; k <= b; k++) if (tokens[k]!.lower === 'and' || tokens[k]!.text === '&') return true;
  return false;
}
/** Whether every "and"/"&" in the range joins one name ("Heywood & Middleton CLP"). */
function joinAll(ev: DocEvidence, a: number, b: number, sets: NameSets, final: boolean): boolean {
  for (let k = a + 1; k < b; k++) {
    const t = ev.tokens[k]!;
    if ((t.lower === 'and' || t.text === '&') && !joinAcrossAnd(ev, a, k, b, sets, final)) return false;
  }
  return true;
}
/** An organisation by its form: ends in a head noun or an acronym, or holds a known organisation's name. */
function looksOrgRange(ev: DocEvidence, a: number, b: number, sets: NameSets, final: boolean): boolean {
  const words = wordsOf(ev.tokens, a, b);
  if (words.length === 0) return false;
  const last = words[words.length - 1]!;
  if (is(last, F.OrgHead)) return true;
  if (last.shape === Shape.Upper && acronymCandidate(last.text, last.lower)) return true;
  return orgWordIn(words, sets, final);
}

function allPlaces(words: Token[]): boolean {
  return words.every((w) => is(w, F.Place) || PLACE_OPENERS_SET.has(w.lower));
}
const PLACE_OPENERS_SET = new Set(['san', 'santa', 'st', 'saint', 'los', 'las', 'new', 'fort', 'port', 'mount', 'lake', 'cape', 'el', 'la', 'de']);

const COMPASS = new Set(['west', 'east', 'north', 'south', 'left', 'right']);

/** Words in capitals that read as shouted text, not an organisation's name ("PLEASE NOTE", "WHO WANTS", "ALL UP"). */
function shouted(words: Token[]): boolean {
  if (!words.every((w) => w.shape === Shape.Upper)) return false;
  return words.some((w) => is(w, F.Function) || !looksAbbreviated(w.text));
}

const ABBREVIATED_SUFFIXES = new Set(['corp', 'inc', 'ltd', 'co', 'bros']);

/** Offices that stand before a person's name as a title ("President Bush", "coach Smith"). */
const TITLE_ROLES = new Set(
  `president premier minister secretary chancellor senator congressman congresswoman governor mayor councillor leader
   chairman chairwoman chair ceo founder judge justice ambassador commissioner general colonel major lieutenant
   sergeant commander admiral captain king queen prince princess emperor pope bishop archbishop cardinal coach
   inspector detective constable superintendent sheriff spokesman spokeswoman spokesperson professor`.split(/\s+/),
);

/** Role words that are also adjectives in lower case ("major Slavic tribes", "general Election"). */
const ADJECTIVAL_ROLES = new Set(['major', 'general', 'justice', 'chair', 'chief', 'captain', 'major', 'cardinal', 'leader']);

/** Tokens a..b are one to three capitalised words that nothing marks as an organisation, a place or a common word. */
function bareName(ev: DocEvidence, a: number, b: number, sets: NameSets, final: boolean): boolean {
  const tokens = ev.tokens;
  let words = 0;
  for (let k = a; k <= b; k++) {
    const t = tokens[k]!;
    if (t.kind === Kind.Word && t.shape === Shape.Cap) {
      if (++words > 3) return false;
      const w = t.lower;
      if (is(t, F.Function | F.RoleNoun | F.Honorific | F.OrgHead | F.Place | F.PlaceHead | F.Calendar | F.KnownOrg)) return false;
      if ((final && sets.orgs.has(w)) || (is(t, F.Demonym) && !is(t, F.Given))) return false;
      if (seenLower(ev, t) && !is(t, F.Given)) return false;
      continue;
    }
    if ((t.text === '.' || t.text === '-') && t.start === tokens[k - 1]?.end) continue;
    if (isConnector(t) && is(t, F.Particle) && t.lower !== 'of') continue;
    return false;
  }
  return words >= 1 && tokens[b]!.kind === Kind.Word;
}

function markRoleFollowed(out: Cand[], from: number): void {
  const c = out[from];
  if (c && c.type === 'person' && c.rule === 'surname') c.rule = 'role-apposition';
}

/** tokens[k], or undefined outside the list. A read past an array's end deoptimises optimised code the first time it
 *  happens (at a document's first or last tokens), so the reads that can fall outside check first. */
function tokenAt(tokens: Token[], k: number): Token | undefined {
  return k >= 0 && k < tokens.length ? tokens[k] : undefined;
}

function hasConnectorExcept(tokens: Token[], a: number, b: number, allowed: ReadonlySet<string>): boolean {
  for (let k = a; k <= b; k++) if (isConnector(tokens[k]) && !allowed.has(tokens[k]!.lower)) return true;
  return false;
}
// The connectors each caller allows, as sets made once: as array literals at the calls, the empty one and the others
// were arrays of two kinds, and the second kind met deoptimised hasConnectorExcept.
const NO_CONNECTOR = new Set<string>();
const ACRONYM_HEAD_CONNECTORS = new Set(['of', 'for', 'and', 'the', 'against']);
const BRANCH_CONNECTORS = new Set(['against', 'for']);
const CAMPAIGN_CONNECTORS = new Set(['against', 'for', 'the']);

function endsSegment(ev: DocEvidence, b: number): boolean {
  const n1 = ev.tokens[b + 1];
  return !n1 || n1.nl > 0 || n1.text === ',' || n1.text === '/' || n1.text === ';' || n1.text === '&' || n1.lower === 'and';
}

function orgWordIs(w: Token, sets: NameSets, final: boolean): boolean {
  if (w.shape === Shape.Upper && final && sets.orgs.has(w.lower)) return true;
  if (is(w, F.KnownOrg) && !is(w, F.Given)) return true;
  return final && sets.orgs.has(w.lower);
}
function orgWordIn(words: Token[], sets: NameSets, final: boolean): boolean {
  return words.some((w) => orgWordIs(w, sets, final));
}

/**
 * "Anthony Shadid of the Washington Post", "Jane Roe at Acme Corp": the words of the name before "of"/"at"/"from"
 * when an organisation follows, so that the organisation does not stop the name from being a person's.
 */
/** Token a follows a capitalised place opener, with or without its dot: "St. Thomas", "Fort Worth", "Mt Kenya". */
function afterPlaceOpener(ev: DocEvidence, a: number): boolean {
  let p = ev.tokens[a - 1];
  if (p && p.text === '.' && ev.tokens[a - 2]?.end === p.start) p = ev.tokens[a - 2];
  return !!p && p.kind === Kind.Word && p.shape === Shape.Cap && p.nl === 0 && PLACE_OPENERS_SET.has(p.lower) && p.lower !== 'new' && p.lower !== 'la' && p.lower !== 'de' && p.lower !== 'el';
}

const STORM_WORDS = new Set(['hurricane', 'storm', 'typhoon', 'cyclone', 'tropical']);
const PERSON_ORG_LINKS = new Set(['of', 'at', 'from', 'to', 'for', 'with', 'in', 'on', 'by']);
function personOfOrg(ev: DocEvidence, a: number, b: number): Token[] | undefined {
  const end = personEnd(ev, a, b);
  const c = ev.tokens[end + 1];
  if (end <= a || end >= b || !c || !PERSON_ORG_LINKS.has(c.lower)) return undefined;
  return wordsOf(ev.tokens, a, end);
}

/** The last token of a person's name starting at a: name words, initials, particles; at most four words. */
function personEnd(ev: DocEvidence, a: number, b: number): number {
  const tokens = ev.tokens;
  let end = a;
  let count = 1;
  let k = a + 1;
  while (k <= b && count < 4) {
    const t = tokens[k]!;
    if (isNameTok(ev, k)) {
      if (is(t, F.OrgHead) || is(t, F.Function)) break;
      // A run of names without commas ("Pam Butler Renee Ratcliff"): a second given name followed by another
      // capitalised word starts the next person; so does a repeated word ("Phillip Phillip").
      if (t.lower === tokens[end]!.lower) break;
      if (count >= 2 && is(t, F.Given) && !is(tokens[end]!, F.Given) && k + 1 <= b && isNameTok(ev, k + 1) && tokens[k + 1]!.space) break;
      end = k;
      count++;
      k++;
      continue;
    }
    if ((t.text === '.' || t.text === '-') && t.start === tokens[k - 1]!.end) { k++; continue; }
    if (isConnector(t) && is(t, F.Particle) && t.lower !== 'of') { k++; continue; }
    break;
  }
  return end;
}

function roleBefore(ev: DocEvidence, a: number): boolean {
  const p = ev.tokens[a - 1];
  return !!p && p.nl === 0 && p.kind === Kind.Word && p.shape === Shape.Lower && is(p, F.RoleNoun);
}
function roleAfter(ev: DocEvidence, b: number): boolean {
  const c = ev.tokens[b + 1];
  const w = ev.tokens[b + 2];
  if (!c || c.text !== ',' || !w) return false;
  if (w.kind === Kind.Word && w.shape === Shape.Lower && roleWordAt(ev.tokens, b + 2)) return true;
  if (!(w.lower === 'the' || w.lower === 'a' || w.lower === 'an')) return false;
  // "Jane Roe, a senior Acme Party official": the role may come a few modifier words after the article.
  for (let k = b + 3; k <= b + 7; k++) {
    const u = ev.tokens[k];
    if (!u || u.nl > 0 || (u.kind !== Kind.Word && u.text !== '-')) return false;
    if (roleWordAt(ev.tokens, k)) return true;
  }
  return false;
}
/** A role noun at token k, a hyphenated one included ("co-convener", "vice-chair"). */
function roleWordAt(tokens: Token[], k: number): boolean {
  const t = tokens[k];
  if (!t || t.kind !== Kind.Word) return false;
  if (is(t, F.RoleNoun)) return true;
  const h = tokens[k + 1];
  const u = tokens[k + 2];
  return !!h && !!u && h.text === '-' && h.start === t.end && u.start === h.end && u.kind === Kind.Word && is(u, F.RoleNoun);
}

/** An organisation opener followed by "of"/"for" between tokens a and k ("Department of ..."). */
function ofOpener(tokens: Token[], a: number, k: number): boolean {
  for (let i = a; i + 1 < k; i++) {
    const t = tokens[i]!;
    const c = tokens[i + 1]!;
    if (t.shape !== Shape.Lower && is(t, F.OrgOpener) && (c.lower === 'of' || c.lower === 'for')) return true;
  }
  return false;
}

function joinAcrossAnd(ev: DocEvidence, a: number, k: number, b: number, sets: NameSets, final: boolean): boolean {
  const tokens = ev.tokens;
  const left = wordsOf(tokens, a, k - 1);
  let r = k + 1;
  if (tokens[r]?.lower === 'the') return false;
  const right = wordsOf(tokens, r, b);
  // "Department of Housing and Urban Development", "Ministry of Health and Social Care": an opener with "of"/"for"
  // on the left takes a short plain phrase on the right into its name.
  if (right.length >= 1 && right.length <= 3 && ofOpener(tokens, a, k) && !right.some((w) => is(w, F.OrgHead) || is(w, F.KnownOrg) || w.shape === Shape.Upper || is(w, F.Place)) && !(is(right[0]!, F.OpensPerson) && is(right[0]!, F.CommonGiven))) {
    return true;
  }
  if (left.length === 0 || right.length === 0 || left.length > 3) return false;
  const l0 = left[0]!;
  // Only strong evidence on the left keeps two names apart: a head noun, an acronym, a well-known organisation
  // ("Lambeth Labour and Momentum"). A place learnt as an affiliation elsewhere does not ("Heywood & Middleton CLP").
  if (left.some((w) => is(w, F.OrgHead) || is(w, F.KnownOrg) || w.shape === Shape.Upper)) return false;
  if (is(l0, F.OpensPerson) && left.length >= 2) return false;
  if (is(l0, F.Honorific)) return false;
  const last = right[right.length - 1]!;
  if (right.length >= 2 && (is(last, F.OrgHead) || (last.shape === Shape.Upper && acronymCandidate(last.text, last.lower)))) return true;
  if (right.length >= 2 && orgWordIs(last, sets, final)) return true;
  return false;
}

/** One capitalised word; `alone` when it is a chunk by itself, not a leftover of a longer unresolved one. */
function single(ev: DocEvidence, i: number, sets: NameSets, final: boolean, out: Cand[], alone: boolean): void {
  const r = singleReading(ev, i, sets, final, alone);
  if (r >= 0) out.push(new Cand(i, i, READING_TYPE[r]!, READING_FORM[r]!, READING_RULE[r]!, READING_CONFIDENCE[r]!));
}

// The readings of a single word (singleReading's answers), as columns. Each rule of singleReading names its reading
// and returns; the one candidate is made here. A rule's own candidate, made where the rule matched, was code first
// reached when the rule first matched, and rules first match one after another while a worker warms up: each such
// first match deoptimised the function (a few times per worker, before this).
const enum Reading {
  Domain, DocumentFamily, DocumentGiven, CorpusGiven, CorpusFamily, CorpusAcronym, CorpusName, GazetteerAcronym,
  GazetteerName, OrgContext, DocumentOrgAcronym, DocumentOrgName, Acronym, RoleNameGiven, RoleNameFamily,
  SaidSingleGiven, SaidSingleFamily, GivenNameAlone, SurnameAlone, PossessiveSingle,
}
const READING_TYPE: EntityType[] = ['organisation', 'person', 'person', 'person', 'person', 'organisation', 'organisation', 'organisation',
  'organisation', 'organisation', 'organisation', 'organisation', 'organisation', 'person', 'person',
  'person', 'person', 'person', 'person', 'person'];
const READING_FORM: NameForm[] = ['name', 'family', 'given', 'given', 'family', 'acronym', 'name', 'acronym',
  'name', 'name', 'acronym', 'name', 'acronym', 'given', 'family',
  'given', 'family', 'given', 'family', 'family'];
const READING_RULE: string[] = ['domain', 'document-family', 'document-given', 'corpus', 'corpus', 'corpus', 'corpus', 'gazetteer',
  'gazetteer', 'org-context', 'document-org', 'document-org', 'acronym', 'role-name', 'role-name',
  'said-single', 'said-single', 'given-name-alone', 'surname-alone', 'possessive-single'];
const READING_CONFIDENCE: number[] = [0.7, 0.85, 0.75, 0.75, 0.75, 0.75, 0.75, 0.85,
  0.85, 0.6, 0.75, 0.75, 0.7, 0.6, 0.6,
  0.65, 0.65, 0.5, 0.45, 0.4];

/** single's rules: the word's reading, or -1 for none. */
function singleReading(ev: DocEvidence, i: number, sets: NameSets, final: boolean, alone: boolean): Reading | -1 {
  const t = ev.tokens[i]!;
  const line = ev.lineOf[i]!;
  // (Asked up front, for the readings whose form depends on them.)
  const upper = t.shape === Shape.Upper;
  const givenOnly = is(t, F.Given) && !is(t, F.Surname);
  if (t.kind === Kind.Url) return t.shape === Shape.Cap && !t.text.includes('/') && TLD.test(t.text) ? Reading.Domain : -1;
  if (is(t, F.Function) || is(t, F.Honorific) || is(t, F.Calendar)) return -1;
  if (t.text.length < 2) return -1;
  // Storms carry given names ("Hurricane Rita", "Storm Ciara"): not people; nor are saints' places ("St. Thomas").
  const before = ev.tokens[i - 1];
  if (before && before.kind === Kind.Word && STORM_WORDS.has(before.lower)) return -1;
  if (afterPlaceOpener(ev, i)) return -1;
  const demonym = is(t, F.Demonym) && !is(t, F.Given);
  // Sentence-initial capitals are ordinary words when the document writes them in lower case elsewhere.
  const weakStart = (t.sentStart || ev.headline[line]) && seenLower(ev, t);

  if (final && !weakStart) {
    if (sets.family.has(t.lower)) return Reading.DocumentFamily;
    if (sets.given.has(t.lower)) return Reading.DocumentGiven;
  }
  const known = ev.known?.typeOf(t.text);
  if (known && !weakStart) {
    if (known === 'person') return givenOnly ? Reading.CorpusGiven : Reading.CorpusFamily;
    return upper ? Reading.CorpusAcronym : Reading.CorpusName;
  }
  if (is(t, F.KnownOrg)) return upper ? Reading.GazetteerAcronym : Reading.GazetteerName;
  if (!demonym && !weakStart && t.shape === Shape.Cap && orgContext(ev, i)) return Reading.OrgContext;
  if (final && sets.orgs.has(t.lower) && !weakStart && !demonym) return upper ? Reading.DocumentOrgAcronym : Reading.DocumentOrgName;
  if (upper) return acronymLike(ev, t, i) ? Reading.Acronym : -1;
  if (demonym || weakStart) return -1;
  if (orgContext(ev, i)) return Reading.OrgContext;
  if (!alone || t.shape !== Shape.Cap || is(t, F.Place) || ev.chrome[line] || ev.headline[line] || is(t, F.KnownOrg)) return -1;
  const prev = tokenAt(ev.tokens, i - 1);
  const prevLower = prev ? prev.lower : '';
  // "coach Smith", "spokeswoman Rossi": a lower-case office right before the word.
  if (prev && prev.nl === 0 && prev.shape === Shape.Lower && TITLE_ROLES.has(prevLower) && !ADJECTIVAL_ROLES.has(prevLower) && !(final && sets.orgs.has(t.lower))) {
    return givenOnly ? Reading.RoleNameGiven : Reading.RoleNameFamily;
  }
  const next = tokenAt(ev.tokens, i + 1);
  if (prev && (prevLower === 'the' || prevLower === 'a' || prevLower === 'an')) return -1;
  if (next && next.start === t.end && next.text === '-') return -1;
  // The subject or object of a reporting verb, or a "who" clause: "Saqib said", "said Mailis", "Gomery, who led".
  if (speakerContext(ev, i)) return givenOnly ? Reading.SaidSingleGiven : Reading.SaidSingleFamily;
  // A common given name on its own ("Thanks, Renee", "Jacques is ready"), unless it is a place, an everyday word
  // at a sentence start, or written in lower case elsewhere.
  if (is(t, F.CommonGiven) && !seenLower(ev, t) && !(t.sentStart && is(t, F.WordlikeGiven))) return Reading.GivenNameAlone;
  // A known family name on its own in mid-sentence ("talks between Merkel and Hollande"): news refers to people it
  // takes as known by surname alone. Not at a sentence start, not a word the document writes in lower case, not an
  // everyday word, not after a preposition of place, not in a list line or joined by "&" (affiliations, firms).
  const auxNext = !!next && next.nl === 0 && next.kind === Kind.Word && AUX_AFTER_NAME.has(next.lower);
  if ((!t.sentStart || auxNext) && t.text.length >= 3 && is(t, F.Surname) && !is(t, F.WordSurname) && !seenLower(ev, t) && !is(t, F.Given) && !ev.listLine[line] && !(prev && (LOCATIVE.has(prevLower) || prev.text === '-' || prev.text === '(' || prev.text === '&')) && !(next && (next.text === '-' || next.text === '&'))) {
    return Reading.SurnameAlone;
  }
  // An unknown word with a possessive, in mid-sentence and not after a preposition of place: "Picasso's cubism",
  // "said Haddad's lawyer". Firms ("Acme's United office"), shops and places after "at"/"to" are left out.
  const after = tokenAt(ev.tokens, i + 2);
  if (!t.sentStart && next && next.kind === Kind.Possessive && !seenLower(ev, t) && !(final && sets.orgs.has(t.lower)) && !is(t, F.WordSurname) && !(prev && LOCATIVE.has(prevLower)) && !(after && after.nl === 0 && after.kind === Kind.Word && after.shape !== Shape.Lower)) {
    return Reading.PossessiveSingle;
  }
  return -1;
}

/** Verbs after a sentence-initial family name that make it the subject ("Merkel was", "Okafor has"). */
const AUX_AFTER_NAME = new Set(['was', 'is', 'has', 'had', 'will', 'would', 'could', 'also', 'later', 'then', 'himself', 'herself']);

/** Prepositions before a place more often than before a person ("near Sunderland", "at Salerno"). */
const LOCATIVE = new Set(['in', 'at', 'near', 'from', 'to', 'into', 'across', 'outside', 'around', 'towards', 'toward', 'via', 'on', 'throughout', 'inside']);

const SAID = new Set(['said', 'says', 'told', 'tells', 'added', 'adds', 'explained', 'explains', 'wrote', 'writes', 'recalled', 'recalls', 'insisted', 'insists', 'argued', 'argues', 'replied', 'admitted', 'admits', 'warned', 'warns', 'thinks', 'thought', 'believes', 'believed']);
function speakerContext(ev: DocEvidence, i: number, last = i): boolean {
  const tokens = ev.tokens;
  const next = tokens[last + 1];
  const prev = tokens[i - 1];
  // (Worked out up front: first reached after this was optimised, the test deoptimised it.)
  const endsHere = !next || next.kind === Kind.Punct || next.nl > 0;
  if (next && next.nl === 0 && next.kind === Kind.Word && SAID.has(next.lower)) return true;
  if (prev && prev.kind === Kind.Word && (prev.lower === 'said' || prev.lower === 'says' || prev.lower === 'added' || prev.lower === 'explains' || prev.lower === 'explained' || (last > i && (prev.lower === 'commented' || prev.lower === 'wrote' || prev.lower === 'noted')))) {
    return endsHere;
  }
  if (next && next.text === ',' && tokens[last + 2] && (tokens[last + 2]!.lower === 'who' || tokens[last + 2]!.lower === 'whose')) return true;
  // "according to Jane Roe" (a name of two or three words; one word after it is as often an organisation).
  if (last > i && prev && prev.lower === 'to' && tokens[i - 2]?.lower === 'according') return true;
  return false;
}

const TLD = /\.(com|org|net|co\.uk|org\.uk|uk|io|gov|edu|info|news|tv|fm|me|us|eu|de|fr|es|it|nl|ie|ca|au|in|co)$/i;

function acronymLike(ev: DocEvidence, t: Token, i: number): boolean {
  if (!acronymCandidate(t.text, t.lower)) return false;
  // Shouting: an all-capitals word next to another all-capitals word that reads as a word ("HELP ME NOW").
  const prev = ev.tokens[i - 1];
  const next = ev.tokens[i + 1];
  const shouted = (u: Token | undefined) => !!u && u.nl === 0 && u.kind === Kind.Word && u.shape === Shape.Upper && (!looksAbbreviated(u.text) || is(u, F.Function) || is(u, F.NonOrgAcronym));
  if (shouted(prev) || shouted(next)) return false;
  // Two letters say little ("NY", "LA"): an organisation needs "the" before it or a second use.
  // A photo credit names its agency after a slash ("Jane Doe/PA"), which counts as evidence too.
  const credit = !!prev && prev.text === '/' && prev.end === t.start;
  if (t.text.length === 2 && !(prev && prev.lower === 'the') && !credit && upperCount(ev, t) < 2) return false;
  // A shouted ordinary word ("LONDON", "TRAP") is written normally elsewhere or reads as a word.
  if (capMid(ev, t) || seenLower(ev, t)) return false;
  if (is(t, F.Calendar) || is(t, F.Function)) return false;
  return looksAbbreviated(t.text) || (ev.known?.typeOf(t.text) === 'organisation');
}

/** "Labour MP", "the Momentum group", "members of Momentum", "spokesman for Greenpeace". */
function orgContext(ev: DocEvidence, i: number): boolean {
  // (The token is read once, up front: its reads in the rules below, first reached after the compiler had optimised
  // this function, deoptimised it while a worker warmed up.)
  const tokens = ev.tokens;
  const t = tokens[i]!;
  const given = is(t, F.Given);
  const n1 = tokens[i + 1];
  if (n1 && n1.nl === 0 && n1.kind === Kind.Word && (n1.shape === Shape.Lower || is(n1, F.RoleNoun)) && ORG_CONTEXT_AFTER.has(n1.lower)) {
    // "Corbyn supporters" is a person's; "the party leader" is not a name at all: a capitalised word is needed, and
    // given names are left to person evidence.
    if (!given || capMid(ev, t)) return true;
  }
  const p1 = tokenAt(tokens, i - 1);
  const p2 = tokenAt(tokens, i - 2);
  if (p1 && p2 && p1.nl === 0 && (p1.lower === 'of' || p1.lower === 'for' || p1.lower === 'to') && ORG_CONTEXT_BEFORE.has(p2.lower)) return !given;
  // What may follow an organisation after "joined"/"quit": "joined Momentum.", "… in 2016", "quit Labour and …".
  if (p1 && (p1.lower === 'joined' || p1.lower === 'quit')) return !given && !!n1 && (n1.kind === Kind.Punct || IN_AND.has(n1.lower));
  // "the imaging company Keyhole", "broadcaster Channel", "carmaker Volvo": a lower-case kind of organisation before it.
  if (p1 && p1.nl === 0 && p1.shape === Shape.Lower && ORG_KIND_BEFORE.has(p1.lower) && !given) return true;
  return false;
}
const IN_AND = new Set(['in', 'and']);

// ------------------------------------------------------------------ learning from pass 1

function learn(ev: DocEvidence, cands: Cand[], sets: NameSets): void {
  for (const c of cands) {
    const t = ev.tokens;
    if (c.type === 'person') {
      if (c.form === 'full' || c.form === 'titled') {
        const from = c.titleEnd >= 0 ? c.titleEnd + 1 : c.first;
        if (from > c.last) continue;
        if (c.form === 'full' && c.confidence < 0.7) continue;
        const name = rangeText(ev, from, c.last);
        const parts = wordsOf(t, from, c.last);
        sets.people.set(lowerEndingWith(name, t[c.last]!), name);
        // A peer is known by the title's name ("Lord Falconer of Thoroton" → "Falconer"), others by the last word.
        const peer = c.form === 'titled' && isPeerage(t[c.titleEnd]!.lower.replace(/\.$/, ''));
        // The family name is the last space-separated word, hyphenated ones whole ("Okonkwo-Hale").
        // (One slice either way: a peer's slice, first needed some documents into a worker's life, deoptimised learn.)
        const firstSpace = name.indexOf(' ');
        const fam = name.slice(peer ? 0 : name.lastIndexOf(' ') + 1, peer && firstSpace >= 0 ? firstSpace : name.length);
        if (fam.length > 1 && !fam.endsWith('.')) sets.family.add(peer ? fam.toLowerCase() : lowerEndingWith(fam, t[c.last]!));
        if (parts.length >= 2 && c.form === 'full') sets.given.add(parts[0]!.lower);
        else if (parts.length >= 2 && c.form === 'titled' && !isPeerage(t[c.titleEnd]!.lower)) sets.given.add(parts[0]!.lower);
      }
    } else {
      const name = rangeText(ev, c.first, c.last);
      sets.orgs.add(lowerEndingWith(name, t[c.last]!));
      const words = wordsOf(t, c.first, c.last);
      // "Labour Party" makes "Labour" an organisation on its own; "Jewish Labour Movement" does not make "Jewish" one.
      if (words.length === 2 && (words[1]!.lower === 'party' || words[1]!.lower === 'group' || words[1]!.lower === 'movement') && !is(words[0]!, F.Demonym)) {
        sets.orgs.add(words[0]!.lower);
      }
    }
  }
  // A family name is not also a given name in the same document's reading ("Jeremy" stays given, "Corbyn" family).
  for (const f of sets.family) sets.given.delete(f);
}

/**
 * s.toLowerCase(), for a text s that ends with the name token t: when s is t's text alone (a family name, a one-word
 * name), the token's lower-case form, already interned. A name word's lower-case form is exactly what toLowerCase
 * makes of its text (tokens.ts lowerOf: toLowerCase itself for any non-ASCII word, the same mapping by char codes for
 * ASCII); a lower-case word's need not be ("o'Brien"), nor a URL's, so those are lower-cased here. Lower-casing a
 * slice of a document with any non-Latin-1 character (most news text: curly quotes) goes through ICU, ~0.25 µs.
 */
function lowerEndingWith(s: string, t: Token): string {
  return s.length === t.end - t.start && t.kind === Kind.Word && t.shape !== Shape.Lower ? t.lower : s.toLowerCase();
}

/** Context cues for single words, taken across the whole document before the final pass. */
function learnContexts(ev: DocEvidence, chunks: number[], sets: NameSets): void {
  for (let c = 0; c < chunks.length; c += 2) {
    const a = chunks[c]!;
    const b = chunks[c + 1]!;
    if (a !== b) continue;
    const t = ev.tokens[a]!;
    if (t.kind !== Kind.Word || t.shape !== Shape.Cap) continue;
    if (is(t, F.Function) || sets.family.has(t.lower) || sets.given.has(t.lower)) continue;
    if (is(t, F.Demonym) || ((t.sentStart || ev.headline[ev.lineOf[a]!]) && seenLower(ev, t))) continue;
    if (orgContext(ev, a)) sets.orgs.add(t.lower);
  }
  // Single-word list affiliations ("Jane Doe, Momentum") also teach the document an organisation.
  for (let c = 0; c < chunks.length; c += 2) {
    const a = chunks[c]!;
    const b = chunks[c + 1]!;
    const line = ev.lineOf[a]!;
    if (a !== b || !ev.listLine[line] || ev.chrome[line]) continue;
    const t = ev.tokens[a]!;
    if ((t.shape !== Shape.Cap && t.shape !== Shape.Upper) || listSegment(ev, a) === 0) continue;
    if (ev.tokens[a - 1]?.text === ',' && endsSegment(ev, b)) sets.orgs.add(t.lower);
  }
}

/** spreadSingles's per-token marks, reused from one document to the next (scratch.ts). */
const takenScratch = new Uint8Scratch();

/** Single-word readings from context that hold for the word's other bare occurrences in the document. */
const SPREADING_RULES = new Set(['said-single', 'surname-alone', 'role-name', 'possessive-single']);

/**
 * A word read as a person from its context once ("Haddad said") is the same person where it stands bare elsewhere in
 * the document ("Later, Haddad left"): each single-word chunk left without a reading takes it. One pass over chunks.
 */
function spreadSingles(ev: DocEvidence, chunks: number[], cands: Cand[]): void {
  const people = new Set<string>();
  const taken = takenScratch.take(ev.tokens.length);
  for (const c of cands) {
    for (let k = c.first; k <= c.last; k++) taken[k] = 1;
    if (c.type === 'person' && c.first === c.last && SPREADING_RULES.has(c.rule)) people.add(ev.tokens[c.first]!.lower);
  }
  // Single-word people, by token, for "X and Y" below.
  const singlePerson = new Set<number>();
  for (const c of cands) if (c.type === 'person' && c.first === c.last && c.form !== 'handle') singlePerson.add(c.first);
  const tokens = ev.tokens;
  const added: Cand[] = [];
  for (let ch = 0; ch < chunks.length; ch += 2) {
    const a = chunks[ch]!;
    const b = chunks[ch + 1]!;
    for (let i = a; i <= b; i++) {
      if (taken[i]) continue;
      const t = tokens[i]!;
      if (t.kind !== Kind.Word || t.shape !== Shape.Cap || t.text.length < 2) continue;
      // Only a word standing alone: its neighbours inside the chunk are connectors or punctuation.
      if (i > a && isNameTok(ev, i - 1)) continue;
      if (i < b && isNameTok(ev, i + 1)) continue;
      if ((t.sentStart || ev.headline[ev.lineOf[i]!]) && seenLower(ev, t)) continue;
      const form: NameForm = is(t, F.Given) && !is(t, F.Surname) ? 'given' : 'family';
      if (people.has(t.lower)) {
        added.push(new Cand(i, i, 'person', form, 'document-single', 0.5));
        continue;
      }
      // "Merkel and Okafor", "Okafor and Merkel": an unknown word coordinated with a single-word person.
      const p1 = tokenAt(tokens, i - 1);
      const n1 = tokenAt(tokens, i + 1);
      const coordinated = (p1 && p1.lower === 'and' && singlePerson.has(i - 2)) || (n1 && n1.lower === 'and' && singlePerson.has(i + 2));
      if (!coordinated || seenLower(ev, t) || is(t, F.Function) || is(t, F.Place) || is(t, F.Calendar) || is(t, F.KnownOrg) || is(t, F.Demonym) || is(t, F.WordSurname)) continue;
      added.push(new Cand(i, i, 'person', form, 'coordinated-single', 0.45));
    }
  }
  for (const c of added) cands.push(c);
}

// ------------------------------------------------------------------ handles and bracket definitions

function findHandles(ev: DocEvidence, cands: Cand[], sets: NameSets): Cand[] {
  const out: Cand[] = [];
  const tokens = ev.tokens;
  const marks = ev.handleMarks;
  if (marks.length === 0) return out;
  const byLast = new Map<number, Cand>();
  for (const c of cands) byLast.set(c.last, c);
  for (let m = 0; m < marks.length; m++) {
    const i = marks[m]!;
    const t = tokens[i]!;
    // "Name (@handle)": the handle is the same entity as the name before the bracket.
    if (tokens[i - 1]?.text === '(') {
      const c = byLast.get(i - 2);
      if (c) {
        out.push(new Cand(i, i, c.type, 'handle', 'handle-definition', 0.9, -1, candName(ev, c)));
        continue;
      }
    }
    let type: EntityType = 'person';
    let rule = 'handle';
    let confidence = 0.5;
    const known = ev.known?.typeOf(t.text);
    if (known) {
      type = known;
      rule = 'corpus';
      confidence = 0.8;
    } else {
      let tried = 0;
      const key = handleKey(t.text);
      for (const full of sets.people.values()) {
        if (++tried > 500) break;
        if (handleKeyFits(key, full)) {
          rule = 'handle-fits-name';
          confidence = 0.8;
          break;
        }
      }
    }
    out.push(new Cand(i, i, type, 'handle', rule, confidence));
  }
  return out;
}

function candName(ev: DocEvidence, c: Cand): string {
  const from = c.titleEnd >= 0 ? c.titleEnd + 1 : c.first;
  const start = ev.tokens[from]!.start;
  return ev.text.slice(start, ev.tokens[c.last]!.end).replace(/\s+/g, ' ');
}

interface Definition {
  /** Token index of the acronym. */
  acr: number;
  acronym: string;
  /** Token range of the long form. */
  first: number;
  last: number;
  long: string;
}

/**
 * "Long Form (LF)" and "LF (Long Form)": the long form is the shortest run of words before (or inside) the brackets,
 * starting with a capital, that the acronym abbreviates.
 */
function acronymDefinitions(ev: DocEvidence): Definition[] {
  const tokens = ev.tokens;
  const out: Definition[] = [];
  const marks = ev.openMarks;
  for (let m = 0; m < marks.length; m++) {
    const i = marks[m]!;
    if (i < 1 || i + 2 >= tokens.length) continue;
    const inner = tokens[i + 1]!;
    const close = tokens[i + 2]!;
    if (inner.kind === Kind.Word && inner.shape === Shape.Upper && close.text === ')') {
      // Long form before the bracket, possibly inside quotation marks.
      let e = i - 1;
      if (tokens[e]?.kind === Kind.Quote) e--;
      const maxWords = inner.text.length * 2 + 2;
      let words = 0;
      for (let s = e; s >= 0 && words < maxWords && tokens[s]!.nl === 0 && tokens[s]!.kind === Kind.Word; s--) {
        words++;
        const st = tokens[s]!;
        if (st.shape !== Shape.Cap && st.shape !== Shape.Upper) continue;
        if (abbreviates(inner.text, textsOf(wordsOf(tokens, s, e)))) {
          out.push({ acr: i + 1, acronym: inner.text, first: s, last: e, long: rangeText(ev, s, e) });
          break;
        }
      }
    } else if (tokens[i - 1]!.kind === Kind.Word && tokens[i - 1]!.shape === Shape.Upper) {
      // "the NCC (National Constitutional Committee)"
      let e = i + 1;
      // Whether the scan stopped at the closing bracket, noted in the scan, within bounds: a second comparison with ")"
      // after it, first made with a word's text (no unique string, unlike ")") or past the end, after this function was
      // optimised, had it compiled again.
      let closed = false;
      while (e < tokens.length) {
        const te = tokens[e]!;
        if (te.text === ')') {
          closed = true;
          break;
        }
        if (te.nl !== 0 || e - i > 12) break;
        e++;
      }
      if (!closed || e === i + 1) continue;
      const ws = wordsOf(tokens, i + 1, e - 1);
      if (ws.length >= 2 && ws[0]!.shape === Shape.Cap && abbreviates(tokens[i - 1]!.text, textsOf(ws))) {
        out.push({ acr: i - 1, acronym: tokens[i - 1]!.text, first: i + 1, last: e - 1, long: rangeText(ev, i + 1, e - 1) });
      }
    }
  }
  return out;
}

/** The words' texts. A loop, not \`map\`: the arrays map made had one elements kind when the optimised code made them
 * and another when the interpreter did, and abbreviates, meeting both, deoptimised. */
function textsOf(words: Token[]): string[] {
  const out: string[] = [];
  for (let k = 0; k < words.length; k++) out.push(words[k]!.text);
  return out;
}

const lastDefScratch = new Int32Scratch();
const firstDefScratch = new Int32Scratch();

function applyDefinitions(ev: DocEvidence, cands: Cand[], defs: Definition[]): Cand[] {
  if (defs.length === 0) return cands;
  // Each definition replaces whatever overlaps its long form or its acronym with its own two mentions, and a later
  // definition replaces an earlier one's. Done in one pass over token marks (a scan of every candidate per
  // definition was quadratic on a text full of definitions).
  const n = ev.tokens.length;
  const lastDef = lastDefScratch.take(n, -1); // the latest definition covering each token
  const firstDef = firstDefScratch.take(n, -1); // the earliest
  const mark = (k: number, a: number, b: number) => {
    for (let t = Math.max(0, a); t <= b && t < n; t++) {
      lastDef[t] = k;
      if (firstDef[t] < 0) firstDef[t] = k;
    }
  };
  defs.forEach((d, k) => {
    mark(k, d.first, d.last);
    mark(k, d.acr, d.acr);
  });
  // A candidate is a chunk's part (at most some 25 tokens), so looking at its tokens is cheaper than a prefix sum over
  // the whole document.
  const covered = (a: number, b: number) => {
    for (let t = Math.max(0, a), e = Math.min(b, n - 1); t <= e; t++) if (lastDef[t]! >= 0) return true;
    return false;
  };
  const overlappedAfter = (k: number, a: number, b: number) => {
    for (let t = a; t <= b; t++) if (lastDef[t]! > k) return true;
    return false;
  };
  const overlappedBefore = (k: number, a: number, b: number) => {
    for (let t = a; t <= b; t++) if (firstDef[t]! >= 0 && firstDef[t]! < k) return true;
    return false;
  };
  // Keyed by first * n + last: a number, not a string built per candidate.
  const byRange = new Map<number, Cand>();
  for (const c of cands) if (!byRange.has(c.first * n + c.last)) byRange.set(c.first * n + c.last, c);

  const out = cands.filter((c) => !covered(c.first, c.last));
  defs.forEach((d, k) => {
    // The long form's type: what the recogniser made of exactly that span (unless an earlier definition took it),
    // else an organisation.
    const existing = overlappedBefore(k, d.first, d.last) ? undefined : byRange.get(d.first * n + d.last);
    const type: EntityType = existing ? existing.type : 'organisation';
    const expansion = d.long;
    if (!overlappedAfter(k, d.first, d.last)) {
      out.push(new Cand(d.first, d.last, type, 'full', 'acronym-definition', 0.9, -1, expansion));
    }
    if (!overlappedAfter(k, d.acr, d.acr)) {
      out.push(new Cand(d.acr, d.acr, type, 'acronym', 'acronym-definition', 0.9, -1, expansion));
    }
  });
  return out;
}

// ------------------------------------------------------------------ output

/** s.replace(/\.$/, ''). */
const withoutFinalDot = (s: string): string => (s.endsWith('.') ? s.slice(0, -1) : s);

function toMentions(ev: DocEvidence, cands: Cand[]): Mention[] {
  const tokens = ev.tokens;
  const text = ev.text;
  cands.sort((x, y) => tokens[x.first]!.start - tokens[y.first]!.start || tokens[y.last]!.end - tokens[x.last]!.end);
  const out: Mention[] = [];
  let lastEnd = -1;
  for (const c of cands) {
    const start = tokens[c.first]!.start;
    const end = tokens[c.last]!.end;
    if (start < lastEnd || end <= start) continue;
    // A one-token name is the token's interned text (equal to the slice): no new string, and a string whose hash the
    // engine already holds, for the maps this text goes into next (the alias memo, the worker's string list, the
    // index's string table).
    const one = c.first === c.last;
    const span = one ? tokens[c.first]!.text : text.slice(start, end);
    let name = !one && needsSqueeze(text, start, end) ? span.replace(/\s+/g, ' ') : span;
    let title: string | undefined;
    if (c.form === 'titled' && c.titleEnd >= 0) {
      // (singleSpaced and a test of the last character give what `.replace(/\s+/g, ' ')` and `.replace(/\.$/, '')`
      // give, without running a regex four times per titled name.)
      const nameStart = tokens[c.titleEnd + 1]!.start;
      name = singleSpaced(text.slice(nameStart, end));
      title = withoutFinalDot(singleSpaced(text.slice(start, tokens[c.titleEnd]!.end)));
      title = withoutFinalDot(title.slice(title.lastIndexOf(' ') + 1));
    }
    const { type, form, rule, confidence, expansion } = c;
    // Each variant made whole by one literal, fields in one order (the order JSON output shows): optional fields added
    // afterwards gave the mentions shapes that the later stages met one by one, each time deoptimising.
    const m: Mention =
      title === undefined
        ? expansion
          ? { start, end, text: span, type, form, name, rule, confidence, expansion }
          : { start, end, text: span, type, form, name, rule, confidence }
        : expansion
          ? { start, end, text: span, type, form, name, rule, confidence, title, expansion }
          : { start, end, text: span, type, form, name, rule, confidence, title };
    out.push(m);
    lastEnd = end;
  }
  return out;
}
