// Closed-class word lists of general English knowledge, and lookups over the generated name gazetteers.
//
// Everything here is keyed by lower-case word. The lists are deliberately about English and news writing in
// general (honorifics, function words, organisation head nouns, reporting verbs); nothing is taken from any
// particular corpus. Open-class knowledge (which words are names) comes from the gazetteers in lexicon/ and, above
// all, from evidence in the document and the corpus.

import { GIVEN_COMMON, GIVEN_EITHER, GIVEN_FEMALE, GIVEN_MALE } from './lexicon/given-names';
import { GIVEN_INTERNATIONAL } from './lexicon/given-names-intl';
import { PLACE_HEADS as PLACE_HEAD_WORDS, PLACE_OPENERS as PLACE_OPENER_WORDS, PLACES as PLACE_WORDS } from './lexicon/places';
import { SURNAMES } from './lexicon/surnames';
import { WORD_SURNAMES } from './lexicon/word-surnames';
import { KNOWN_ORGANISATIONS } from './lexicon/organisations';

const set = (words: string): Set<string> => new Set(words.trim().split(/\s+/));

/** Honorifics that belong to a person's name span ("Mr Corbyn", "Sir Keir Starmer"). Abbreviations without the dot. */
export const HONORIFICS = set(`
  mr mrs ms miss mx dr prof professor sir dame lord lady baroness baron viscount viscountess earl countess duke duchess
  marquess rev revd reverend fr father rabbi imam sheikh cllr comrade hon rt
`);
/** Abbreviations whose dot does not end a sentence ("Mr.", "Corp.", "e.g."): the tokenizer's sentence starts. */
export const NO_BREAK_ABBREV = set('mr mrs ms dr prof st rev revd fr sr jr gen col capt lt sgt gov sen rep hon rt no vs v cllr mt ft co inc ltd corp e.g i.e etc approx');
/** Honorifics after which "of X" belongs to the name ("Lord Falconer of Thoroton"). */
export const PEERAGE = set('lord lady baroness baron viscount viscountess earl countess duke duchess marquess');
/** Honorifics that tell the sex of the person, for fitting "he"/"she". */
export const MALE_TITLES = set('mr sir lord baron viscount earl duke marquess father fr');
export const FEMALE_TITLES = set('mrs ms miss dame lady baroness viscountess countess duchess');

/**
 * Job and role words. Before a name they are descriptors, not part of the span ("Labour MP Ian Austin", "general
 * secretary Jennie Formby", "President Macron"); after "a/the" they make a descriptor speaker ("a Labour spokesman").
 */
export const ROLE_NOUNS = set(`
  mp mps mep meps msp msps am peer peers minister ministers secretary secretaries chancellor president presidents
  vice premier senator senators congressman congresswoman congressmen representative governor mayor councillor
  councillors leader leaders chair chairs chairman chairwoman chairperson chief chiefs director directors executive
  executives ceo cfo coo founder founders cofounder co-founder head spokesman spokeswoman spokesperson spokespeople
  official officials officer officers member members activist activists campaigner campaigners candidate candidates
  deputy organiser organizer convener co-convener treasurer commissioner commissioners ambassador envoy
  judge justice prosecutor lawyer solicitor barrister attorney editor editors reporter reporters correspondent
  journalist journalists columnist writer author artist artists musician singer actor actress comedian historian
  professor lecturer researcher scientist economist analyst adviser advisor advisers advisors consultant manager
  coach captain general colonel major lieutenant sergeant commander admiral king queen prince princess emperor
  pope bishop archbishop cardinal priest vicar pastor supporter supporters critic critics chairman's boss bosses
  whip staffer aide aides assistant student students teacher doctor nurse surgeon inspector detective constable
  superintendent commissioner sheriff prime shadow foreign home justice health education defence interior
  founder's owner owners partner partners investor investors employee employees worker workers volunteer
  volunteers resident residents voter voters signatory signatories commenter commenters user users blogger
  presenter host producer director-general secretary-general
`);

/** Role words that name an office on their own and may be capitalised mid-sentence ("Labour MP", "the Prime Minister"). */
export const ROLE_HEADS = set(`
  mp mps mep meps msp am peer minister secretary chancellor president senator governor mayor councillor leader chair
  chairman chairwoman spokesman spokeswoman spokesperson ceo director founder officer member members campaigner
  commissioner ambassador judge editor correspondent
`);

/** Adjectives that go with role words in descriptors ("deputy leader", "former justice secretary"). */
export const ROLE_MODIFIERS = set(`
  deputy former ex acting interim national general chief senior junior shadow vice assistant associate executive
  regional local international foreign home joint co first second principal lead leading veteran prominent
  influential outgoing incoming current new one-time longtime long-time party street senior backbench frontbench
  justice health education defence interior finance culture environment transport treasury business trade
`);

/** Organisation head nouns: a capitalised phrase ending in one is an organisation ("Jewish Labour Movement"). */
export const ORG_HEADS = set(`
  party parties council councils movement board committee commission union unions network alliance trust association
  society group foundation institute institution agency authority department ministry bank corporation company club
  federation league coalition campaign front organisation organization service services university college school
  academy parliament assembly congress senate police army navy force forces brigade corps times post news herald
  guardian telegraph journal tribune mail express chronicle gazette observer review magazine radio tv television press
  media students socialists labs systems technologies holdings partners centre center forum fund caucus tribunal
  secretariat directorate executive office unit church mosque synagogue hospital trust airlines airways railways
  motors industries group enterprises associates consortium cooperative co-operative collective initiative project
  clp fc cc council's watch institute observatory commissioners guild chamber lodge brotherhood fellowship order
  orchestra choir band ensemble firm studios studio records publishing publishers
  bureau laboratory laboratories pharmaceuticals pharma energy entertainment communications electronics software
  solutions capital investments hotels insurance bancorp financial petroleum telecom telecommunications publications
  pictures productions rovers wanderers athletic brigades command
`);

/** Heads that begin an organisation name followed by "of"/"for" ("University of X", "Board of Deputies of ..."). */
export const ORG_OPENERS = set(`
  university board bank department ministry institute church friends campaign office council federation league
  union association society commission committee college school academy museum house court guild chamber order
  institution foundation fund
`);

export const COMPANY_SUFFIXES = set('ltd limited inc incorporated plc corp corporation llc llp gmbh ag sa nv co');

/** Media words that keep a leading "The" in the span ("The Times", "The Guardian"). */
export const MASTHEAD_WORDS = set(`
  times guardian telegraph independent economist observer spectator sun mirror herald post journal atlantic
  chronicle tribune mail express star standard sunday scotsman daily new
`);

/** Lower-case words allowed inside a capitalised name ("Board of Deputies", "Campaign for Free Speech", "van der Zyl"). */
export const NAME_CONNECTORS = set('of for the and & de del della di da van von der den du la le al el bin ibn y to in on against');
/** Connectors that a person's name may contain ("Marie van der Zyl", "Leonardo da Vinci"). */
export const PERSON_PARTICLES = set('de del della di da van von der den du la le al el bin ibn dos das st');

/** Verbs that introduce or follow quoted speech. */
export const REPORTING_VERBS = set(`
  said says say saying told tells tell added adds adding warned warns warning wrote writes write writing claimed
  claims claiming stated states stating argued argues insisted insists explained explains responded responds replied
  replies asked asks answered answers tweeted tweets posted posts commented comments continued continues suggested
  suggests urged urges noted notes declared declares announced announces confirmed confirms admitted admits
  acknowledged acknowledges complained complains called calls described describes branded brands recalled recalls
  revealed reveals reported reports remarked remarks observed observes joked jokes shouted shouts cried cries
  pleaded pleads promised promises vowed vows conceded concedes countered counters maintained maintains
  emphasised emphasized emphasises emphasizes stressed stresses asserted asserts alleged alleges accused accuses
  predicted predicts agreed agrees chanted chant chanting sang sings tweeting blogged wrote messaged emailed texted
  recounted recount thought thinks believes believed fears feared worried worries hoped hopes demanded demands
  insist warn argue claim respond reply explain added went apologised apologized boasted boasts concluded concludes
  written accusing arguing insisting telling describing calling urging branding claiming stating explaining
  asking answering responding replying noting confirming announcing declaring complaining suggesting
`);

/** Nouns for documents whose words are quoted ("the letter states"). */
export const DOCUMENT_NOUNS = set('letter statement email e-mail message report memo note post tweet blog article press release document');

/** Pronouns that may stand for a speaker. */
export const PERSON_PRONOUNS = set('he she they i we');

/**
 * Capitalised words that are never names on their own: function words, pronouns, sentence adverbs, time words.
 * Decides nothing by itself; it only stops such words from starting or joining a name.
 */
export const FUNCTION_WORDS = set(`
  a an the this that these those there here it its it's he she they we you i me him her them us my your his our
  their who whom whose which what when where why how whether if then than so as at by for from in into on onto of off
  out over under up down to with within without about above below after before between among against through during
  since until till upon via per and or but nor yet not no yes all any both each every few many more most much other
  others some such only own same too very can could may might must shall should will would do does did done be is
  are was were been being am has have had having also however meanwhile although though because while whilst unless
  once just still even now today tonight tomorrow yesterday already again ever never always often sometimes perhaps
  maybe indeed instead thus hence therefore furthermore moreover nevertheless nonetheless otherwise besides anyway
  overall finally firstly secondly lastly first second third next last earlier later recently currently previously
  eventually ultimately initially additionally similarly likewise accordingly consequently subsequently
  according despite regarding including following given amid amongst towards toward beyond across along around
  near behind beside besides inside outside onto whereas whatever whoever whichever wherever whenever
  one two three four five six seven eight nine ten hundreds thousands millions dozens several another
  let please thanks thank dear hi hello yes okay ok oh
  mon tue wed thu fri sat sun
  january february march april may june july august september october november december
  jan feb mar apr jun jul aug sep sept oct nov dec
  monday tuesday wednesday thursday friday saturday sunday weekend
  spring summer autumn winter christmas easter
  am pm bc ad
`);

/** Given names that are also everyday English words: alone at a sentence start they are read as words. */
export const WORDLIKE_GIVEN = set(`
  will may mark bill hope faith grace rose joy june april august art rich frank sue pat ray jean don dawn summer
  autumn destiny heaven honey sky star storm rocky sunny ruby amber crystal pearl iris ivy holly daisy jack jimmy
  guy major royal king prince duke earl baron countess lord lady precious angel chance justice liberty harmony
  trinity genesis miracle lucky sterling page hunter tucker archer carter mason cooper baker taylor parker walker
  christian china india jordan paris london israel georgia virginia carolina dakota austin dallas houston phoenix
  chase wade reed glen dale cliff drew lane brook brooks rocky sandy penny ginger candy misty cherry melody
  marshall warren wallace miles rich sonny jay long young white black brown green gray grey
`);

/** Months and days: capitalised, never names, but "May" and "June" are also given names. */
export const CALENDAR_WORDS = set(`
  january february march april may june july august september october november december
  monday tuesday wednesday thursday friday saturday sunday
`);

/**
 * Nationalities, religions, communities and ideologies: capitalised but not annotated as names (guidelines rule 6).
 * Productive suffixes are also checked (looksLikeDemonym), so this list only needs the irregular ones.
 */
export const DEMONYMS = set(`
  jew jews jewish muslim muslims islam islamic christian christians christianity catholic catholics protestant
  protestants hindu hindus sikh sikhs buddhist buddhists arab arabs british briton britons english scottish scots
  welsh irish french german germans dutch swiss greek greeks thai thais israeli israelis palestinian palestinians
  american americans european europeans african africans asian asians western eastern northern southern
  zionist zionists zionism semitic semitism semite semites anti-semitic antisemitic antisemitism anti-semitism
  black white latino latina latinos hispanic
  gentile gentiles orthodox sunni shia shiite kurd kurds
`);

/** Common all-capital abbreviations that are not organisations. */
export const NON_ORG_ACRONYMS = set(`
  uk us usa gb eu un uae drc nz ok tv pm am bc ad ceo cfo coo cto mp mps mep meps msp qc kc phd mba bsc ba ma md rip
  lgbt lgbtq lgbtq+ lgbtqia bame bme dna hiv aids covid gdp vat id pr it ai faq pdf url html usb gps sms atm diy
  fyi asap aka etc nb ps pps rsvp tbc tba eta vs vip mvp ufo mph kph km cm mm kg lb oz ft ac dc hd uk's us's
  ie eg i ii iii iv v vi vii viii ix x xi xii
  breaking exclusive update updated watch read live video photo photos pictures comment analysis opinion editorial
  news latest new free ends end sale now trap
  vhs dvd cd cds pc pcs mac os ios hr cpa iso irr roi ipo gmt bst est pst utc ny la nyc sf dc uae ussr
  lol omg btw imo imho tbh wtf plz pls thx asap fyi pst ps iq mri ct icu er gp ipad iphone
  sms mms wifi 3g 4g 5g hd uhd tv4 mp3 mp4 jpg png gif htm html doc docx xls xlsx ppt csv zip
`);

/** Words of web-page chrome (share bars, subscription prompts). Used by boilerplate.ts on short lines only. */
export const CHROME_WORDS = set(`
  share shares shared via tweet facebook whatsapp email e-mail print copy link comments comment post reply replies
  subscribe subscribed subscription subscriber subscribers sign signin login log register account newsletter
  follow like likes read more full story continue continuing reading menu close closeicon icon search home
  advertisement advert sponsored related articles article topics tags cookie cookies accept privacy policy terms
  skip content back top next previous prev page click here view gallery image images photo photos video videos
  want get access offers partners archive e-paper epaper best views latest
`);

export const PLACES = set(PLACE_WORDS);
export const PLACE_OPENERS = set(PLACE_OPENER_WORDS);
export const PLACE_HEADS = set(PLACE_HEAD_WORDS);

let given: Map<string, 'M' | 'F' | 'A'> | undefined;
let commonGiven: Set<string> | undefined;
/** A given name frequent enough to stand alone as a person's name. */
export function isCommonGivenName(lower: string): boolean {
  if (!commonGiven) commonGiven = new Set(GIVEN_COMMON.split(' '));
  return commonGiven.has(lower);
}
let surnames: Set<string> | undefined;
let knownOrgs: Map<string, string> | undefined;
/** The prefixes of known organisations' names that may be a first token (mayStartKnownOrganisation). */
let knownOrgStarts: Set<string> | undefined;
let wordSurnames: Set<string> | undefined;
/** A surname that is also an everyday English word ("Brown", "House", "Free"): no evidence on its own. */
export function isWordSurname(lower: string): boolean {
  if (!wordSurnames) wordSurnames = new Set(WORD_SURNAMES.split(' '));
  return wordSurnames.has(lower);
}

function loadGiven(): Map<string, 'M' | 'F' | 'A'> {
  if (given) return given;
  const m = new Map<string, 'M' | 'F' | 'A'>();
  for (const n of GIVEN_EITHER.split(' ')) m.set(n, 'A');
  for (const n of GIVEN_FEMALE.split(' ')) m.set(n, 'F');
  for (const n of GIVEN_MALE.split(' ')) m.set(n, 'M');
  for (const n of GIVEN_INTERNATIONAL.split(/\s+/)) if (n && !m.has(n)) m.set(n, 'A');
  given = m;
  return m;
}

/** The sex a given name usually carries ('A' = either), or undefined when the word is not a known given name. */
export function givenNameSex(lower: string): 'M' | 'F' | 'A' | undefined {
  return loadGiven().get(lower);
}
export const isGivenName = (lower: string): boolean => loadGiven().has(lower);
export function isSurname(lower: string): boolean {
  if (!surnames) surnames = new Set(SURNAMES.split(' '));
  return surnames.has(lower);
}

/** Well-known organisations of general knowledge, by exact spelling; the value is the canonical full name. */
export function knownOrganisation(name: string): string | undefined {
  return (knownOrgs ?? loadKnownOrgs()).get(name);
}
function loadKnownOrgs(): Map<string, string> {
  const orgs = new Map<string, string>();
  const starts = new Set<string>();
  for (const line of KNOWN_ORGANISATIONS.split('\n')) {
    const parts = line.split('|').map((s) => s.trim()).filter(Boolean);
    if (parts.length === 0) continue;
    for (const p of parts) {
      orgs.set(p, parts[0]!);
      for (let m = 1; m <= p.length; m++) if (m === p.length || !isAsciiAlnum(p.charCodeAt(m)) || p.charCodeAt(m - 1) === 46) starts.add(p.slice(0, m));
    }
  }
  knownOrgStarts = starts;
  return (knownOrgs = orgs);
}
const isAsciiAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * Whether some well-known organisation's name (knownOrganisation) may begin with the token `first`: false means no
 * name that starts with it is known. A name is known by exact spelling, so it starts with its first token's text,
 * and a token ends where the next character is not an ASCII letter or digit, or right after a dot ("U.S."): every
 * prefix of a known name that ends at such a place is kept. Asked before a range's text is sliced and looked up:
 * most ranges are people's names, and hashing each fresh slice cost ~1 % of recognition (warm 10 MB profile).
 */
export function mayStartKnownOrganisation(first: string): boolean {
  if (!knownOrgStarts) loadKnownOrgs();
  return knownOrgStarts!.has(first);
}

/** Nationality, religion or ideology words by their productive endings ("Palestinian", "Zionism", "Semitic"). */
const demonymCache = new Map<string, boolean>();
export function looksLikeDemonym(lower: string): boolean {
  let v = demonymCache.get(lower);
  if (v === undefined) {
    v = demonymUncached(lower);
    // Bounded: the cache only saves repeated suffix tests on a corpus's vocabulary.
    if (demonymCache.size > 50000) demonymCache.clear();
    demonymCache.set(lower, v);
  }
  return v;
}
function demonymUncached(lower: string): boolean {
  if (DEMONYMS.has(lower)) return true;
  const dash = lower.lastIndexOf('-');
  const w = dash >= 0 ? lower.slice(dash + 1) : lower;
  if (DEMONYMS.has(w)) return true;
  return (
    w.length > 5 &&
    (w.endsWith('ism') || w.endsWith('ist') || w.endsWith('ists') || w.endsWith('istic') || w.endsWith('ite') ||
      w.endsWith('ites') || w.endsWith('ese') || w.endsWith('ian') || w.endsWith('ians') || w.endsWith('ish'))
  );
}
