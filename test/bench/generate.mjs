#!/usr/bin/env node
// Writes a reproducible benchmark corpus of news articles: `node test/bench/generate.mjs --size 10 [--out DIR]`.
//
// Everything comes from one seeded PRNG (no Math.random), so the same seed and size give the same bytes on every
// machine. A corpus of size N MB is a prefix of a larger one with the same seed: articles are generated in order
// from one stream, which keeps the 10 → 100 MB growth comparison fair (same cast, same style, only more of it).
//
// The text imitates wire and newspaper copy: a cast of invented people and organisations whose popularity follows a
// Zipf-like law (a few are in every other story, most appear once or twice), introduced by full name with a role and
// then referred to by title + surname, surname alone, possessives, pronouns and handles; organisations with acronyms
// defined in brackets and then used bare; quotations with reporting verbs before and after, straight and curly marks,
// partial quotes and quotations that run over several paragraphs; and filler sentences, real English from the npm
// package `nlp-corpus` mixed with templated news sentences.
//
// People's names are drawn from the public-domain US name lists in /work/shared/train/names when present, otherwise
// from a small built-in list. The corpus is generated, never committed (.bench/ is git-ignored).

import { mkdirSync, readFileSync, writeFileSync, existsSync, rmSync, renameSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const GENERATOR_VERSION = 6;
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');

// ---------------------------------------------------------------------------------------------------------------
// Seeded randomness

/** sfc32: small, fast, good enough statistically, and identical everywhere. */
export function prng(seed) {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  const next32 = () => {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    return (h ^= h >>> 16) >>> 0;
  };
  let a = next32(), b = next32(), c = next32(), d = next32();
  const rand = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) rand();
  const R = {
    rand,
    int: (n) => Math.floor(rand() * n),
    range: (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1)),
    chance: (p) => rand() < p,
    pick: (arr) => arr[Math.floor(rand() * arr.length)],
    /** A standard normal deviate (Box–Muller). */
    normal: () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()),
  };
  return R;
}

/** Samples ranks 0..n-1 with probability ∝ 1/(rank+1)^s. */
export function zipf(n, s, R) {
  const cum = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) cum[i] = total += 1 / Math.pow(i + 1, s);
  return () => {
    const x = R.rand() * total;
    let lo = 0, hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Word lists (written for this generator)

const FALLBACK_GIVEN = ['James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William',
  'Elizabeth', 'David', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen'];
const FALLBACK_FAMILY = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson',
  'Taylor', 'Thomas', 'Moore', 'Martin', 'Jackson', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Walker'];
const ACCENTED_GIVEN = ['José', 'Zoë', 'Renée', 'Søren', 'Chloé', 'Rónán', 'Inés', 'Björn', 'Anaïs', 'Łukasz'];
const PARTICLES = ['van der', 'de la', 'van', 'de', 'von', 'di', 'da', 'le'];
const PLACES = ['Northbridge', 'Easton', 'Kingsford', 'Ashworth', 'Redmere', 'Halden', 'Carrow', 'Westfield',
  'Marlow Vale', 'Stonehaven', 'Brackley', 'Fenwick', 'Dunmore', 'Larkhill', 'Oakridge', 'Penrith Cross', 'Southmoor',
  'Thornbury', 'Wexcombe', 'Elmstead', 'Glenrock', 'Harwood', 'Ivybridge', 'Kelso Bay'];
const REGIONS = ['Northern', 'Southern', 'Eastern', 'Western', 'Central', 'Coastal', 'Highland', 'Midland'];
const SECTORS = ['Rail', 'Water', 'Energy', 'Health', 'Housing', 'Farming', 'Fisheries', 'Transport', 'Teaching',
  'Nursing', 'Police', 'Steel', 'Textile', 'Shipping', 'Aviation', 'Broadcasting', 'Mining', 'Retail', 'Insurance',
  'Pharmacy', 'Forestry', 'Tourism', 'Banking', 'Science', 'Arts', 'Veterans', 'Tenants', 'Cyclists'];
const ORG_NOUNS = ['Association', 'Authority', 'Council', 'Federation', 'Union', 'Institute', 'Trust', 'Alliance',
  'Board', 'Commission', 'Society', 'Foundation', 'Agency', 'League', 'Network', 'Forum', 'Service', 'Committee'];
const PEOPLE_PLURAL = ['Independent', 'British', 'Professional', 'Private', 'Retired', 'Young', 'Rural', 'Small'];
const CORP_SUFFIX = ['Group', 'Holdings', 'Partners', 'Capital', 'Industries', 'Systems', 'Media', 'Logistics',
  'Technologies', 'Foods', 'Motors', 'Pharmaceuticals', 'Energy', 'Bank'];
const SYLLABLES = ['zen', 'tri', 'val', 'ora', 'cor', 'vex', 'lum', 'ion', 'nov', 'ax', 'qui', 'dra', 'mo', 'tek',
  'sol', 'ver', 'ka', 'rio', 'fin', 'ly', 'bra', 'xo', 'pel', 'tar', 'an', 'is', 'ex', 'um'];
const PARTY_WORDS = [['Progress', 'Party'], ['Social', 'Union'], ['Green', 'Alliance'], ['Liberal', 'League'],
  ['National', 'Front'], ['Reform', 'Movement'], ['Workers', 'Party'], ['Democratic', 'Alliance']];
const PERSON_ROLES = ['chief executive', 'chairman', 'chairwoman', 'director', 'general secretary', 'spokesman',
  'spokeswoman', 'president', 'deputy leader', 'treasurer', 'founder', 'head of policy', 'senior economist',
  'chief constable', 'finance director', 'managing director', 'press officer', 'vice-chair', 'legal adviser'];
const POLITICAL_ROLES = ['MP', 'MEP', 'councillor', 'peer', 'MSP', 'candidate', 'activist', 'adviser'];
const MINISTRIES = ['health secretary', 'transport minister', 'home secretary', 'chancellor', 'housing minister',
  'education secretary', 'energy minister', 'foreign secretary', 'shadow chancellor', 'justice secretary'];
const DESCRIPTORS = ['a spokesman', 'a spokeswoman', 'one member', 'a senior source', 'a government source',
  'an official', 'a witness', 'one resident', 'a former colleague', 'a party insider', 'an analyst',
  'a neighbour', 'one campaigner', 'a union official'];
const SAY_AFTER = ['said', 'said', 'said', 'told reporters', 'added', 'insisted', 'warned', 'argued', 'explained',
  'claimed', 'admitted', 'wrote', 'told the BBC', 'told the inquiry', 'said in a statement', 'tweeted', 'declared'];
const SAY_BEFORE = ['said', 'said', 'added', 'told reporters', 'wrote', 'warned', 'insisted', 'said in a statement',
  'told a press conference', 'explained'];
const QUOTE_SUBJECTS = ['We are', 'I am', 'Our members are', 'The government is', 'Everyone here is', 'They are',
  'Frankly, we are', 'Let me be clear: we are'];
const QUOTE_STATES = ['deeply concerned about the decision', 'going to fight this every step of the way',
  'disappointed but not surprised', 'confident the figures will improve', 'looking at every option',
  'working around the clock to fix it', 'determined to see this through', 'not going to comment on speculation',
  'clear that mistakes were made', 'asking for an urgent meeting with ministers', 'proud of what we achieved'];
const QUOTE_IT = ['This is', 'It is', 'That was', 'The truth is, this is', 'What happened here is'];
const QUOTE_THINGS = ['a betrayal of everything we were promised', 'the right thing to do for the country',
  'simply not good enough', 'a matter for the courts', 'a serious failure of leadership', 'a good day for the town',
  'the beginning of the end for the scheme', 'a decision nobody asked for'];
const QUOTE_WHOLE = ['We will not stand by while families pay the price', 'There is no plan and no money to deliver it',
  'People deserve better than this', 'Nobody voted for this', 'We have done nothing wrong',
  'I think the public can see through it', 'Nothing has changed since last year'];
const QUOTE_ENDS = ['.', '.', '.', ' this year.', ' in the coming weeks.', ', and we will say so.', ' for our members.',
  ' at every level.', ' \u2014 and that matters.', '!', '?'];
const NEWS_VERBS = ['has announced', 'has criticised', 'has defended', 'has called for', 'has rejected',
  'has welcomed', 'has launched', 'has warned against', 'has backed', 'has questioned'];
const NEWS_OBJECTS = ['plans to close three stations', 'a review of spending', 'the new funding settlement',
  'changes to the pension scheme', 'an independent inquiry', 'the proposed merger', 'a ban on new licences',
  'the decision to cut services', 'a pay offer worth 4%', 'the latest figures', 'tighter rules on lending',
  'the report published on Monday', 'a fresh round of talks', 'the consultation', 'the expansion of the site'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const BAD_WORDS = /\b(I|me|my|mine|you|your|fuck\w*|shit\w*|bitch\w*|cunt|dick|cock|pussy|nigg\w*|fag\w*|whore|slut|porn\w*|sex\w*|rape\w*|ass|asshole|damn|hell|lol|omg)\b/i;

// ---------------------------------------------------------------------------------------------------------------
// Sources

function loadNames() {
  const dir = '/work/shared/train/names';
  const read = (file, limit) => {
    try {
      return readFileSync(join(dir, file), 'utf8').split('\n').slice(0, limit).map((l) => l.split('\t')).filter((r) => r[0]);
    } catch {
      return null;
    }
  };
  const firstRows = read('first-names.tsv', 2500)?.filter((r) => /^[A-Z][a-z]{2,}$/.test(r[0]));
  const female = firstRows?.filter((r) => r[2] === 'F').map((r) => r[0]) ?? FALLBACK_GIVEN.filter((_, i) => i % 2);
  const male = firstRows?.filter((r) => r[2] === 'M').map((r) => r[0]) ?? FALLBACK_GIVEN.filter((_, i) => i % 2 === 0);
  const family = read('surnames.tsv', 9000)?.map((r) => r[0]).filter((n) => /^[A-Z]{3,}$/.test(n)).map(titleCase) ?? FALLBACK_FAMILY;
  return { female, male, family };
}

function titleCase(upper) {
  const low = upper.toLowerCase();
  if (low.startsWith('mc') && low.length > 3) return 'Mc' + low[2].toUpperCase() + low.slice(3);
  return low[0].toUpperCase() + low.slice(1);
}

function loadSentences() {
  const out = [];
  const require = createRequire(import.meta.url);
  let dir;
  try {
    dir = join(dirname(require.resolve('nlp-corpus/package.json')), 'builds');
  } catch {
    dir = join(repoRoot, 'node_modules', 'nlp-corpus', 'builds');
  }
  for (let i = 0; i < 100; i++) {
    let docs;
    try {
      docs = JSON.parse(readFileSync(join(dir, `doc-${i}.json`), 'utf8'));
    } catch {
      continue;
    }
    for (const s of docs) {
      if (typeof s !== 'string' || s.length < 40 || s.length > 220) continue;
      // Plain declarative prose only: no quotation marks (the generator places those itself), no odd characters.
      if (!/^[A-Z][a-z]/.test(s) || !/[a-z0-9]\.$/.test(s) || !/^[A-Za-z0-9 ,.;:'()%$–-]+$/.test(s)) continue;
      if (/ '|' |''|\.[A-Za-z]/.test(s) || BAD_WORDS.test(s)) continue;
      out.push(s);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The cast

function acronymOf(words) {
  const caps = words.filter((w) => /^[A-Z]/.test(w));
  return caps.length >= 3 ? caps.map((w) => w[0]).join('') : undefined;
}

function buildCast(R, names) {
  const orgs = [];
  const seenOrg = new Set();
  const addOrg = (org) => {
    if (seenOrg.has(org.name)) return;
    seenOrg.add(org.name);
    orgs.push(org);
  };
  for (const [a, b] of PARTY_WORDS) addOrg({ name: `${a} ${b}`, kind: 'party', the: true, short: a });
  const brand = () => {
    let s = '';
    const n = R.range(2, 3);
    for (let i = 0; i < n; i++) s += R.pick(SYLLABLES);
    return s[0].toUpperCase() + s.slice(1);
  };
  while (orgs.length < 1500) {
    const k = R.int(7);
    let words;
    let kind = 'body';
    if (k === 0) words = [R.pick(PLACES), R.pick(SECTORS), R.pick(ORG_NOUNS)];
    else if (k === 1) words = [R.pick(ORG_NOUNS), 'of', R.pick(PEOPLE_PLURAL), R.pick(SECTORS), 'Workers'];
    else if (k === 2) words = ['National', R.pick(SECTORS), R.pick(ORG_NOUNS)];
    else if (k === 3) words = [R.pick(REGIONS), R.pick(SECTORS), R.pick(ORG_NOUNS)];
    else if (k === 4) (words = [R.pick(names.family), R.pick(CORP_SUFFIX)]), (kind = 'company');
    else if (k === 5) (words = [brand()]), (kind = 'company');
    else (words = ['Royal', 'College', 'of', R.pick(SECTORS).replace(/ing$/, 'ers')]);
    const name = words.join(' ');
    const acronym = kind === 'body' ? acronymOf(words) : undefined;
    addOrg({ name, kind, acronym, the: kind === 'body' });
  }

  const people = [];
  const seenPerson = new Set();
  while (people.length < 8000) {
    const female = R.chance(0.45);
    const given = R.chance(0.01) ? R.pick(ACCENTED_GIVEN) : R.pick(female ? names.female : names.male);
    let family = R.pick(names.family.slice(0, R.chance(0.5) ? 400 : names.family.length));
    if (R.chance(0.03)) family = `${R.pick(PARTICLES)} ${R.pick(names.family)}`;
    else if (R.chance(0.02)) family = `${family}-${R.pick(names.family)}`;
    const full = `${given} ${family}`;
    if (seenPerson.has(full)) continue;
    seenPerson.add(full);
    const title = R.chance(0.05) ? 'Dr' : R.chance(0.03) ? (female ? 'Dame' : 'Sir') : female ? 'Ms' : 'Mr';
    const affiliation = orgs[Math.min(orgs.length - 1, Math.floor(Math.pow(R.rand(), 2.2) * orgs.length))];
    let role;
    if (affiliation.kind === 'party') role = R.chance(0.3) ? { pre: R.pick(MINISTRIES) } : { pre: `${affiliation.short} ${R.pick(POLITICAL_ROLES)}` };
    else role = { post: `${R.pick(PERSON_ROLES)} of ${affiliation.the ? 'the ' : ''}${affiliation.name}` };
    const handle = R.chance(0.25)
      ? '@' + (R.chance(0.5) ? given + family : given[0] + family).toLowerCase().replace(/[^a-z0-9]/g, '')
      : undefined;
    people.push({ given, family, full, female, title, role, handle, affiliation });
  }
  return { people, orgs };
}

// ---------------------------------------------------------------------------------------------------------------
// Articles

class Article {
  constructor(R, ctx) {
    this.R = R;
    this.ctx = ctx;
    this.paras = [];
    this.introduced = new Set();
    this.usesTitles = R.chance(0.6); // house style: "Mr Smith" vs "Smith"
    this.curly = R.chance(0.35);
    this.blankLines = R.chance(0.4);
    this.probes = [];
  }
  open() { return this.curly ? '\u201c' : '"'; }
  close() { return this.curly ? '\u201d' : '"'; }
  /** A reference to a person: full name with a role on first use, then the house style's short form. */
  person(p, { subject = false, possessive = false, bare = false } = {}) {
    const R = this.R;
    let s;
    if (!this.introduced.has(p) && !bare) {
      this.introduced.add(p);
      if (p.role.pre && R.chance(0.7)) s = `${cap(p.role.pre, subject)} ${p.full}`;
      else if (p.role.post && !possessive) s = `${p.full}, ${p.role.post},`;
      else s = p.full;
    } else if (p.handle && R.chance(0.04)) s = p.handle;
    else if (R.chance(0.06)) s = p.given;
    else if (this.usesTitles && R.chance(0.85)) s = `${p.title} ${p.family}`;
    else s = p.family;
    if (possessive) s = s.replace(/,$/, '') + (s.endsWith('s') ? '\u2019' : R.chance(0.8) ? "'s" : '\u2019s');
    return s;
  }
  org(o) {
    const R = this.R;
    if (!this.introduced.has(o)) {
      this.introduced.add(o);
      const the = o.the ? 'the ' : '';
      if (o.acronym && R.chance(0.75)) {
        return R.chance(0.85) ? `${the}${o.name} (${o.acronym})` : `${the}${o.acronym} (${o.name})`;
      }
      return the + o.name;
    }
    if (o.acronym && R.chance(0.8)) return `the ${o.acronym}`;
    return (o.the ? 'the ' : '') + o.name;
  }
  sentence() {
    const { R, ctx } = this;
    if (ctx.sentences.length && R.chance(0.6)) return R.pick(ctx.sentences);
    return `${cap(R.pick(['The', 'A', 'Last week the', 'On ' + R.pick(DAYS) + ' the']), true)} ${R.pick(['figures', 'report', 'council', 'decision', 'plan', 'review', 'vote', 'talks'])} ${R.pick(['showed', 'suggested', 'prompted', 'followed', 'came after'])} ${R.pick(NEWS_OBJECTS)}.`;
  }
  quoteBody(sentences = this.R.range(1, 2)) {
    const R = this.R;
    const out = [];
    for (let i = 0; i < sentences; i++) {
      if (R.chance(0.55) || !this.ctx.sentences.length) out.push(quoteLine(R));
      else out.push(R.pick(this.ctx.sentences));
    }
    return out.join(' ');
  }
  paragraph(cast, orgs) {
    const { R } = this;
    const p = R.pick(cast);
    const o = R.pick(orgs);
    const he = p.female ? 'She' : 'He';
    const k = R.int(100);
    const O = this.open(), C = this.close();
    if (k < 14) {
      // quote, then the speaker: "…," Mr Smith said.
      const q = this.quoteBody().replace(/\.$/, ',');
      if (R.chance(0.8)) return `${O}${q}${C} ${this.person(p)} ${R.pick(SAY_AFTER)}.`;
      return `${O}${q}${C} ${R.pick(['said', 'added', 'wrote'])} ${this.person(p).replace(/,$/, '')}.`;
    }
    if (k < 26) return `${this.person(p, { subject: true })} ${R.pick(SAY_BEFORE)}: ${O}${this.quoteBody()}${C}`;
    if (k < 31) {
      // a quotation over several paragraphs: open marks on each, the close only at the end
      const n = R.range(2, 4);
      const parts = [`${this.person(p, { subject: true })} ${R.pick(SAY_BEFORE)}: ${O}${this.quoteBody(2)}`];
      for (let i = 1; i < n; i++) parts.push(`${O}${this.quoteBody(R.range(1, 3))}${i === n - 1 ? C : ''}`);
      return parts;
    }
    if (k < 36) return `${he} ${R.pick(['added', 'said', 'went on'])}: ${O}${this.quoteBody(1)}${C}`;
    if (k < 42) {
      // a partial quote inside reported speech
      const words = R.pick(R.chance(0.5) ? QUOTE_STATES : QUOTE_THINGS).split(' ');
      const frag = words.slice(R.int(2)).join(' ');
      return `${this.person(p, { subject: true })} described ${R.pick(NEWS_OBJECTS)} as ${O}${frag}${C}, ${R.pick(['adding that', 'and said that', 'but conceded that'])} ${lowerFirst(this.sentence())}`;
    }
    if (k < 48) {
      const d = R.pick(DESCRIPTORS);
      return `${O}${this.quoteBody(1).replace(/[.!?]$/, ',')}${C} ${d} for ${this.org(o)} ${R.pick(['said', 'told reporters', 'added'])}.`;
    }
    if (k < 56) return `${cap(this.org(o), true)} ${R.pick(NEWS_VERBS)} ${R.pick(NEWS_OBJECTS)}. ${this.sentence()}`;
    if (k < 61) return `${this.person(p, { subject: true, possessive: true })} ${R.pick(['office', 'spokesman', 'lawyers', 'allies', 'critics'])} ${R.pick(['said', 'declined to comment on', 'disputed'])} ${R.pick(NEWS_OBJECTS)}. ${this.sentence()}`;
    if (k < 64 && p.handle) return `In a post on ${R.pick(['X', 'Twitter', 'social media'])}, ${p.handle} wrote: ${O}${this.quoteBody(1)}${C}`;
    if (k < 68) return `According to ${this.person(p).replace(/,$/, '')}, ${lowerFirst(this.sentence())}`;
    if (k < 72) return `${O}${this.quoteBody(1)}${C}`; // an unattributed quotation (continues the last speaker or none)
    if (k < 76) return `${this.person(p, { subject: true })} and ${this.person(cast.find((x) => x !== p) ?? p)} ${R.pick(['met', 'clashed', 'spoke'])} on ${R.pick(DAYS)} at ${this.org(o)}. ${this.sentence()}`;
    // filler: one to four sentences of prose
    const n = R.range(1, 4);
    const s = [];
    for (let i = 0; i < n; i++) s.push(this.sentence());
    return s.join(' ');
  }
  build(targetBytes) {
    const { R, ctx } = this;
    const castSize = R.range(2, 6);
    const cast = [];
    for (let i = 0; i < castSize * 3 && cast.length < castSize; i++) {
      const p = ctx.people[ctx.personRank()];
      if (!cast.includes(p)) cast.push(p);
    }
    const orgs = [cast[0].affiliation];
    const orgCount = R.range(1, 3);
    for (let i = 0; i < orgCount * 3 && orgs.length < orgCount + 1; i++) {
      const o = ctx.orgs[ctx.orgRank()];
      if (!orgs.includes(o)) orgs.push(o);
    }
    const lead = cast[0];
    const headline = `${lead.family} ${R.pick(['defends', 'attacks', 'backs', 'rejects', 'questions'])} ${R.pick(NEWS_OBJECTS).replace(/^(the|a|an) /, '')}` +
      (R.chance(0.3) ? ` amid '${R.pick(QUOTE_THINGS).split(' ').slice(0, 3).join(' ')}' row` : '');
    this.headline = headline;
    this.paras.push(headline);
    this.paras.push(`${this.person(lead, { subject: true })} ${R.pick(NEWS_VERBS)} ${R.pick(NEWS_OBJECTS)}, ${R.pick(['saying', 'arguing', 'warning'])} it ${R.pick(['would', 'could', 'will'])} ${R.pick(['cost jobs', 'help families', 'change nothing', 'take years'])}.`);
    let bytes = this.paras[0].length + this.paras[1].length;
    while (bytes < targetBytes) {
      const para = this.paragraph(cast, orgs);
      for (const x of Array.isArray(para) ? para : [para]) {
        this.paras.push(x);
        bytes += x.length + 1;
      }
    }
    this.cast = cast;
    this.orgs = orgs;
    const eol = R.chance(0.03) ? '\r\n' : '\n';
    return this.paras.join(this.blankLines ? eol + eol : eol) + eol;
  }
}

function quoteLine(R) {
  const k = R.int(3);
  const body = k === 0 ? `${R.pick(QUOTE_SUBJECTS)} ${R.pick(QUOTE_STATES)}` : k === 1 ? `${R.pick(QUOTE_IT)} ${R.pick(QUOTE_THINGS)}` : R.pick(QUOTE_WHOLE);
  return body + R.pick(QUOTE_ENDS);
}

/** Lower-cases a sentence's first word when it is a function word, so that names keep their capital. */
function lowerFirst(s) {
  return /^(The|A|An|On|Last|In|It|This|That|There|These|Those|When|If|But|And|As|For|At|After|Some|Most|Many)\b/.test(s)
    ? s[0].toLowerCase() + s.slice(1)
    : s;
}

function cap(s, yes = true) {
  return yes ? s[0].toUpperCase() + s.slice(1) : s;
}

function slug(s) {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
}

// ---------------------------------------------------------------------------------------------------------------
// The corpus

/**
 * Writes (or reuses) a corpus of about `sizeMB` megabytes under `outDir` and returns its manifest.
 * The manifest lists the files, the cast's most frequent names with where they occur, and a ~20 KB article.
 */
export function generateCorpus({ sizeMB, outDir, seed = 'corpus-navigator-bench', log = () => {} }) {
  const manifestPath = join(outDir, 'manifest.json');
  if (existsSync(manifestPath)) {
    try {
      const m = JSON.parse(readFileSync(manifestPath, 'utf8'));
      if (m.version === GENERATOR_VERSION && m.seed === seed && m.sizeMB === sizeMB) return m;
    } catch {
      // rebuilt below
    }
  }
  const tmp = `${outDir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });

  const R = prng(seed);
  const names = loadNames();
  const sentences = loadSentences();
  const { people, orgs } = buildCast(R, names);
  const ctx = { people, orgs, sentences, personRank: zipf(people.length, 1.0, R), orgRank: zipf(orgs.length, 1.05, R) };

  const target = sizeMB * 1024 * 1024;
  let total = 0;
  let n = 0;
  const files = [];
  const nameCounts = new Map();
  let long;
  const t0 = Date.now();
  while (total < target) {
    const year = 2015 + Math.floor(n / 2000) % 10;
    const month = String(1 + (n % 12)).padStart(2, '0');
    // Article lengths: log-normal around 4 KB, from a short brief to a long read; every 500th is a ~20 KB long read.
    const want = n % 500 === 7 ? 20000 : Math.round(Math.min(30000, Math.max(600, Math.exp(8.25 + 0.55 * R.normal()))));
    const art = new Article(R, ctx);
    const text = art.build(want);
    const rel = `${year}/${month}/${String(n).padStart(6, '0')}-${slug(art.headline)}.txt`;
    mkdirSync(join(tmp, dirname(rel)), { recursive: true });
    const bytes = Buffer.from(text, 'utf8');
    writeFileSync(join(tmp, rel), bytes);
    files.push(rel);
    for (const p of art.cast) {
      let c = nameCounts.get(p.full);
      if (!c) nameCounts.set(p.full, (c = { name: p.full, family: p.family, articles: 0, first: rel }));
      c.articles++;
    }
    if (!long && bytes.length >= 19000 && bytes.length <= 22000) long = rel;
    total += bytes.length;
    n++;
    if (n % 2000 === 0) log(`  ${n} articles, ${(total / 1048576).toFixed(1)} MB`);
  }
  const top = [...nameCounts.values()].sort((a, b) => b.articles - a.articles).slice(0, 20);
  const manifest = {
    version: GENERATOR_VERSION, seed, sizeMB, articles: n, bytes: total, files, longArticle: long,
    topPeople: top, generatedMs: Date.now() - t0,
  };
  writeFileSync(join(tmp, 'manifest.json'), JSON.stringify(manifest));
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(dirname(outDir), { recursive: true });
  renameSync(tmp, outDir);
  return manifest;
}

/** Where the benchmark keeps a corpus of a given size. */
export function corpusDir(sizeMB) {
  return join(repoRoot, '.bench', `corpus-${sizeMB}mb`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const get = (flag, dflt) => {
    const i = args.indexOf(flag);
    return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
  };
  const sizes = get('--sizes', get('--size', '10')).split(',').map(Number).filter((x) => x > 0);
  for (const sizeMB of sizes) {
    const outDir = sizes.length === 1 ? get('--out', corpusDir(sizeMB)) : corpusDir(sizeMB);
    const t = Date.now();
    const m = generateCorpus({ sizeMB, outDir, seed: get('--seed', 'corpus-navigator-bench'), log: console.log });
    console.log(`${outDir}: ${m.articles} articles, ${(m.bytes / 1048576).toFixed(1)} MB (${Date.now() - t} ms); top person "${m.topPeople[0]?.name}" in ${m.topPeople[0]?.articles} articles`);
  }
}
