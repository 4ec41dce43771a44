// Who said it: for each quotation, the reporting clause after it (",” X said", ",” said X", "” the member wrote") or
// before it ("X said: “", "X told the BBC that “…”", "according to X"), its subject read as a named mention, a pronoun
// resolved to the most recent fitting speaker or person, or a descriptor kept as the text gives it ("a Labour
// spokesman", "one member"). Continuation paragraphs inherit their quotation's speaker.

import { Kind, Shape, type Token } from './tokens';
import type { DocEvidence } from './evidence';
import type { Attribution, Mention } from './model';
import type { FoundQuote } from './quotes';
import { ROLE_NOUNS } from './lexicon';
import { F } from './words';
import { sexOf } from './people';
import { lastWhere } from './sorted';
import { QuoteWords } from './quoteWords';
import { mentionTokens, type MentionTokens } from './mentionTokens';
import { Uint8Scratch } from './scratch';
import { singleSpaced } from './spaces';

const SKIP_BEFORE_VERB = new Set(
  `also later then has have had was were is are would will today yesterday previously recently again further once just
   now since subsequently immediately repeatedly publicly privately himself herself themselves itself had been has
   then tonight earlier simply still only even already first last this week month year on sunday monday tuesday
   wednesday thursday friday saturday in response`.split(/\s+/),
);
/** Determiners that stand alone as a subject ("another", "one", "others"): one set lookup, not a chain of comparisons,
 *  each of which deoptimised previousSentenceSubject when first reached after it was optimised. */
const STANDALONE_DETERMINERS = new Set(['another', 'one', 'others']);
const DETERMINERS = new Set('a an the one another other others several many some two three four most few each every any both all his her their its our this that these those'.split(' '));
const DESCRIPTOR_HEADS = new Set(
  `member members commenter commenters signatory signatories crowd respondent respondents other others another one
   user users source sources insider insiders friend friends ally allies critic critics campaigners campaigner
   protesters protester activists activist people person man woman men women group groups writer writers poster
   posters participant participants resident residents colleague colleagues figure figures official officials aide
   aides expert experts analyst analysts observer observers voter voters supporter supporters`.split(/\s+/),
);
const PREPOSITIONS = new Set('of for to by from with at on in about against into over under between among via after before'.split(' '));
const SENTENCE_END = new Set(['.', '!', '?']);
const CLAUSE_STARTERS = new Set('while and but as because when whereas although though which who that if so or nor then after before since until'.split(' '));
const PASSIVE_AUX = new Set('is are was were be been being get got gets'.split(' '));
/** Nouns for what someone said, after a possessive: "Ms Berger's claim that ...". */
const SAYING_NOUNS = new Set('claim claims view views assertion assertions suggestion suggestions statement statements words remarks comments comment warning warnings accusation accusations description descriptions insistence argument arguments promise promises pledge pledges call calls demand demands'.split(' '));

interface Ctx {
  ev: DocEvidence;
  mentions: Mention[];
  /** Mention index covering each token, or -1. */
  mentionAt: Int32Array;
  inQuote: Uint8Array;
  /** Per mention, its sex once worked out (sexAt): 0 = not yet, 1 = M, 2 = F, 3 = unknown. */
  sexes: Uint8Array;
  /** Attributions made so far, by quote order, for pronouns to follow. */
  recent: Array<{ quote: FoundQuote; att: Attribution }>;
}

const inQuoteScratch = new Uint8Scratch();
const sexScratch = new Uint8Scratch();

export function attributeSpeakers(
  ev: DocEvidence,
  quotes: FoundQuote[],
  mentions: Mention[],
  paras: Array<[number, number]>,
  at?: MentionTokens,
): Array<Attribution | undefined> {
  const tokens = ev.tokens;
  const out: Array<Attribution | undefined> = [];
  if (quotes.length === 0) return out;
  const { mentionAt } = at ?? mentionTokens(tokens, mentions);
  const inQuote = inQuoteScratch.take(tokens.length);
  for (const q of quotes) {
    const end = q.close >= 0 ? q.close : q.lastInside;
    for (let k = q.open; k <= end; k++) inQuote[k] = 1;
  }
  const ctx: Ctx = { ev, mentions, mentionAt, inQuote, sexes: sexScratch.take(mentions.length), recent: [] };
  let chainHead: Attribution | undefined;
  for (const q of quotes) {
    let att: Attribution | undefined;
    if (q.continued) {
      att = chainHead ? sameSpeaker(chainHead, 'continuation') : undefined;
    } else if (q.depth > 0) {
      att = undefined;
    } else {
      att = attribute(ctx, q);
    }
    if (!q.continued && q.depth === 0) chainHead = att;
    if (att && q.depth === 0) ctx.recent.push({ quote: q, att });
    out.push(att);
  }
  resolveDefinite(ctx, quotes, out);
  inherit(ctx, quotes, out, paras);
  return out;
}

/** The same speaker under another rule. Every attribution names either a mention or a descriptor; an object spread
 *  made the same object, slower. */
function sameSpeaker(a: Attribution, rule: string): Attribution {
  return a.mention !== undefined ? { mention: a.mention, rule } : { descriptor: a.descriptor, rule };
}

/**
 * Quotations the text does not attribute where they stand, read as a reader would: the next quotation in the same
 * paragraph, or a paragraph that is only a quotation after a paragraph quoting someone, continues that speaker;
 * a headline quotation repeated in the body takes the body's speaker.
 */
function inherit(ctx: Ctx, quotes: FoundQuote[], out: Array<Attribution | undefined>, paras: Array<[number, number]>): void {
  // Repeated quotations first: they come with their own speaker, wherever they are.
  repeatedQuotes(ctx, quotes, out);
  // Paragraphs partition the tokens in order, so a quotation's paragraph is found by binary search.
  const paraOf = (k: number) => Math.max(0, lastWhere(paras, (p) => p[0] <= k));
  let last: { att: Attribution; para: number } | undefined;
  for (let i = 0; i < quotes.length; i++) {
    const q = quotes[i]!;
    if (q.depth > 0) continue;
    const para = paraOf(q.open);
    if (!out[i] && last) {
      if (last.para === para) out[i] = sameSpeaker(last.att, 'same-paragraph');
      else if (last.para === para - 1 && paras[para]![0] === q.open) out[i] = sameSpeaker(last.att, 'previous-paragraph');
    }
    const a = out[i];
    if (a) last = { att: a, para };
    else if (last && last.para !== para) last = undefined;
  }
}

/** A short unattributed quotation (a headline, a pull quote) that an attributed one contains takes its speaker. Each
 *  quotation is reduced to its words once, and each is compared with at most REPEAT_CANDIDATES attributed ones, so
 *  that a document of thousands of quotations stays linear. */
function repeatedQuotes(ctx: Ctx, quotes: FoundQuote[], out: Array<Attribution | undefined>): void {
  const attributed: number[] = [];
  for (let j = 0; j < quotes.length && attributed.length < REPEAT_CANDIDATES; j++) if (out[j] && out[j]!.rule !== 'repeated-quote') attributed.push(j);
  const words = new QuoteWords(ctx.ev.text, quotes);
  try {
    for (let i = 0; i < quotes.length; i++) {
      if (out[i] || quotes[i]!.depth > 0) continue;
      // Only short quotations are echoes; long unattributed ones are not compared at all.
      const q = quotes[i]!;
      // (Both ends read whichever is used: a read first reached after this was optimised, by an unclosed quotation some
      // documents into a worker's life, deoptimised it.)
      const unclosedEnd = q.lastInside + 1;
      if ((q.close >= 0 ? q.close : unclosedEnd) - q.open > 16) continue;
      if (!words.severalWords(i)) continue;
      for (const j of attributed) {
        const a = out[j];
        if (j === i || !a || a.rule === 'repeated-quote') continue;
        if (words.contains(j, i)) {
          out[i] = sameSpeaker(a, 'repeated-quote');
          break;
        }
      }
    }
  } finally {
    words.release();
  }
}

/** "the member wrote" after "one member said" is that member; "the Labour leader said" the last person named. */
function resolveDefinite(ctx: Ctx, quotes: FoundQuote[], out: Array<Attribution | undefined>): void {
  const tokens = ctx.ev.tokens;
  // The latest descriptor (not itself definite) containing each word: "the member" finds "one member" in O(1).
  const latestWith = new Map<string, string>();
  // Many attributions share one descriptor string (continuations, pronouns): each is lower-cased and split once, and
  // its words are not set again while they are still the latest set.
  const parsed = new Map<string, { words: string[]; definite: boolean }>();
  let lastSet: string | undefined;
  for (let i = 0; i < quotes.length; i++) {
    const a = out[i];
    if (!a || !a.descriptor) continue;
    let p = parsed.get(a.descriptor);
    if (!p) {
      const lower = a.descriptor.toLowerCase();
      parsed.set(a.descriptor, (p = { words: lower.split(/\s+/), definite: lower.startsWith('the ') }));
    }
    const words = p.words;
    const head = words[words.length - 1]!;
    if (words[0] === 'the' && words.length >= 2) {
      const earlier = latestWith.get(head) ?? introducedBefore(ctx, quotes[i]!.open, head);
      if (earlier) {
        out[i] = { descriptor: earlier, rule: 'definite-descriptor' };
        continue;
      }
      if (OFFICES.has(head)) {
        const start = tokens[quotes[i]!.open]!.start;
        for (let m = lastMentionEndingBy(ctx, start); m >= 0; m--) {
          const men = ctx.mentions[m]!;
          if (men.end > start || men.type !== 'person') continue;
          if (ctx.inQuote[tokenIndexAt(ctx, men.start)]) continue;
          if (start - men.end > 3000) break;
          out[i] = { mention: m, rule: 'definite-role' };
          break;
        }
        if (out[i] !== a) continue;
      }
    }
    if (!p.definite && a.descriptor !== lastSet) {
      for (const w of words) latestWith.set(w, a.descriptor);
      lastSet = a.descriptor;
    }
  }
}
/** "One member said …. “…,” the member wrote": the indefinite phrase that introduced the head noun, close before. */
function introducedBefore(ctx: Ctx, open: number, head: string): string | undefined {
  const tokens = ctx.ev.tokens;
  for (let k = open - 1; k > 0 && open - k < 300; k--) {
    if (ctx.inQuote[k] || tokens[k]!.lower !== head) continue;
    for (let d = k - 1; d >= 0 && k - d <= 2; d--) {
      const w = tokens[d]!.lower;
      if (w === 'one' || w === 'a' || w === 'an' || w === 'another') return ctx.ev.text.slice(tokens[d]!.start, tokens[k]!.end);
      if (tokens[d]!.kind !== Kind.Word) break;
    }
  }
  return undefined;
}
/** How far back (in tokens) a reporting clause or a sentence start is looked for: no real sentence is longer, and
 *  an unbounded walk made a long line of quotations quadratic. */
const BACK_TOKENS = 200;
/** Attributed quotations a repeated (headline) quotation is compared with. */
const REPEAT_CANDIDATES = 400;

/** The last mention ending at or before `offset` (mentions are sorted and do not overlap, so ends ascend), or -1. */
function lastMentionEndingBy(ctx: Ctx, offset: number): number {
  return lastWhere(ctx.mentions, (m) => m.end <= offset);
}

/** Offices one person holds at a time, so that "the Labour leader" can only mean someone already named. */
const OFFICES = new Set('leader president secretary minister chancellor chair chairman chairwoman founder director chief executive mayor governor premier editor head boss senator mp mep'.split(' '));

function attribute(ctx: Ctx, q: FoundQuote): Attribution | undefined {
  const tokens = ctx.ev.tokens;
  const lastInside = tokens[q.lastInside]!;
  const commaClose = q.close >= 0 && (lastInside.text === ',' || tokens[q.close + 1]?.text === ',' || lastInside.text === '?' || lastInside.text === '!');
  if (q.close >= 0 && commaClose) {
    const a = after(ctx, q);
    if (a) return a;
  }
  const b = before(ctx, q);
  if (b) return b;
  if (q.close >= 0 && !commaClose) {
    const a = after(ctx, q);
    if (a) return a;
  }
  return colonParagraph(ctx, q);
}

const isVerb = (t: Token | undefined): boolean => !!t && t.kind === Kind.Word && t.shape === Shape.Lower && (t.f & F.ReportingVerb) !== 0;

/** ",” X said", ",” said X", "” the member wrote", ",” according to X". */
function after(ctx: Ctx, q: FoundQuote): Attribution | undefined {
  const tokens = ctx.ev.tokens;
  const lo = q.close + 1;
  // "“…” while another accused …" starts a new clause about someone else.
  const first = tokens[lo];
  if (first && first.kind === Kind.Word && CLAUSE_STARTERS.has(first.lower)) return undefined;
  let v = -1;
  for (let k = lo; k < tokens.length && k < lo + 10; k++) {
    const t = tokens[k]!;
    if (t.nl > 0 || t.kind === Kind.Quote || (t.kind === Kind.Punct && SENTENCE_END.has(t.text))) break;
    if (t.lower === 'according' && tokens[k + 1]?.lower === 'to') {
      return subjectAfter(ctx, k + 2, q, 'according-to');
    }
    if (isVerb(t)) {
      v = k;
      break;
    }
  }
  if (v < 0) return undefined;
  let k = lo;
  while (k < v && tokens[k]!.kind === Kind.Punct) k++;
  if (k === v) return subjectAfter(ctx, v + 1, q, 'said-after');
  return subjectBefore(ctx, v, k, q, 'after-quote');
}

/** "X said: “", "X told the BBC that “…”", "according to X, “…”". */
function before(ctx: Ctx, q: FoundQuote): Attribution | undefined {
  const tokens = ctx.ev.tokens;
  let lo = q.open;
  while (lo > 0 && q.open - lo < BACK_TOKENS) {
    const p = tokens[lo - 1]!;
    if (tokens[lo]!.nl > 0) break;
    if (!ctx.inQuote[lo - 1] && p.kind === Kind.Punct && SENTENCE_END.has(p.text)) break;
    lo--;
  }
  let sawVerb = false;
  for (let v = q.open - 1; v >= lo; v--) {
    if (ctx.inQuote[v]) continue;
    const t = tokens[v]!;
    if (t.lower === 'according' && tokens[v + 1]?.lower === 'to') return subjectAfter(ctx, v + 2, q, 'according-to');
    // "Ms Berger's claim that …": the possessor said it.
    if (t.kind === Kind.Word && SAYING_NOUNS.has(t.lower) && tokens[v - 1]?.kind === Kind.Possessive) {
      const m = mentionEndingAt(ctx, v - 2);
      if (m >= 0) return { mention: m, rule: 'possessive-claim' };
    }
    if (isVerb(t)) {
      // "… written by national chair Jane Doe": the agent after "by".
      const agent = byAgent(ctx, v, q.open);
      if (agent !== undefined) return { mention: agent, rule: 'by-agent' };
      // "members are urged to …": a passive verb's subject did not say anything.
      const aux = tokens[v - 1];
      if (aux && PASSIVE_AUX.has(aux.lower)) continue;
      sawVerb = true;
      const s = subjectBefore(ctx, v, lo, q, 'before-quote');
      if (s) return s;
    }
  }
  // "A commenter who said … asserted it “…”": the sentence's opening noun phrase.
  if (sawVerb) return sentenceSubject(ctx, lo, q.open);
  return undefined;
}

/** A named agent after "by" following the verb at v ("written by national chair Mike Katz"). */
function byAgent(ctx: Ctx, v: number, limit: number): number | undefined {
  const tokens = ctx.ev.tokens;
  if (tokens[v + 1]?.lower !== 'by') return undefined;
  for (let k = v + 2; k < limit && k < v + 8; k++) {
    const m = ctx.mentionAt[k]!;
    if (m >= 0) return m;
    const t = tokens[k]!;
    if (t.kind !== Kind.Word || t.shape !== Shape.Lower) break;
  }
  return undefined;
}

/** The subject at the start of a sentence: a mention, or a descriptor with a determiner ("One member", "A commenter"). */
function sentenceSubject(ctx: Ctx, lo: number, hi: number): Attribution | undefined {
  const tokens = ctx.ev.tokens;
  let k = lo;
  while (k < hi && (tokens[k]!.kind === Kind.Punct || tokens[k]!.kind === Kind.Quote)) k++;
  const t = tokens[k];
  if (!t || k >= hi) return undefined;
  const m = ctx.mentionAt[k]!;
  if (m >= 0 && ctx.mentions[m]!.start === t.start) {
    const after = tokens[k + (ctx.mentions[m]!.end === t.end ? 1 : 0)];
    if (ctx.mentions[m]!.type === 'person') return { mention: m, rule: 'sentence-subject' };
    void after;
    return undefined;
  }
  if (!DETERMINERS.has(t.lower)) return undefined;
  for (let h = k; h < hi && h <= k + 3; h++) {
    const u = tokens[h]!;
    if (u.kind === Kind.Word && (DESCRIPTOR_HEADS.has(u.lower) || ROLE_NOUNS.has(u.lower)) && (h > k || !DETERMINERS.has(u.lower) || STANDALONE_DETERMINERS.has(u.lower))) {
      return { descriptor: ctx.ev.text.slice(t.start, u.end), rule: 'sentence-subject-descriptor' };
    }
  }
  return undefined;
}

/** A paragraph that is only a quotation, after a paragraph ending "… said:". */
function colonParagraph(ctx: Ctx, q: FoundQuote): Attribution | undefined {
  const tokens = ctx.ev.tokens;
  if (tokens[q.open]!.nl === 0 && q.open > 0) return undefined;
  const prev = q.open - 1;
  if (prev < 0 || tokens[prev]!.text !== ':') return undefined;
  let lo = prev;
  while (lo > 0 && tokens[lo]!.nl === 0 && prev - lo < 200) lo--;
  for (let v = prev - 1; v >= lo; v--) {
    if (isVerb(tokens[v])) return subjectBefore(ctx, v, lo, q, 'colon-before');
  }
  return undefined;
}

function mentionEndingAt(ctx: Ctx, k: number): number {
  const m = ctx.mentionAt[k]!;
  if (m < 0) return -1;
  const men = ctx.mentions[m]!;
  return men.end === ctx.ev.tokens[k]!.end ? m : -1;
}

function subjectBefore(ctx: Ctx, v: number, lo: number, q: FoundQuote, rule: string): Attribution | undefined {
  const tokens = ctx.ev.tokens;
  let h = v - 1;
  while (h >= lo && !ctx.inQuote[h] && tokens[h]!.kind === Kind.Word && tokens[h]!.shape === Shape.Lower && (SKIP_BEFORE_VERB.has(tokens[h]!.lower) || (tokens[h]!.lower.endsWith('ly') && tokens[h]!.text.length > 4))) h--;
  if (h < lo || ctx.inQuote[h]) return undefined;
  const t = tokens[h]!;
  if (t.text === ',' || t.text === ')' || t.text === '–' || t.text === '—' || (t.text === '-' && t.space)) {
    // Apposition: "X, spokesman for Y, said"; "The president of Y, X, responded"; "X – who … – told".
    // The apposition opens at the sentence's first comma or dash (it may itself hold a list with commas).
    let p = -1;
    const opener = t.text === ')' ? '(' : t.text;
    for (let k = lo; k < h; k++) {
      const u = tokens[k]!;
      if (ctx.inQuote[k]) continue;
      if ((u.text === opener && (opener !== '-' || u.space)) || (t.text === ',' && (u.text === '–' || u.text === '—'))) {
        p = k;
        break;
      }
    }
    if (p < lo) return undefined;
    const inner = ctx.mentionAt[p + 1]!;
    if (inner >= 0 && ctx.mentions[inner]!.type === 'person' && mentionEndingAt(ctx, h - 1) === inner) return { mention: inner, rule };
    const m = mentionEndingAt(ctx, p - 1);
    if (m >= 0) return { mention: m, rule };
    if (p - 1 >= lo && tokens[p - 1]!.kind === Kind.Word) return subjectBefore(ctx, p, lo, q, rule);
    return undefined;
  }
  if (t.kind === Kind.Word && (t.lower === 'he' || t.lower === 'she' || t.lower === 'they' || t.lower === 'it')) {
    return pronoun(ctx, t.lower, q, rule);
  }
  const m = mentionEndingAt(ctx, h);
  if (m >= 0) {
    const men = ctx.mentions[m]!;
    // "a spokesperson for JLM said": the speaker is the unnamed spokesperson, not the organisation.
    let s = h;
    while (s > lo && ctx.mentionAt[s - 1] === m) s--;
    // Look through an article: "a spokesperson for the Federation".
    if (s - 1 > lo && (tokens[s - 1]!.lower === 'the' || tokens[s - 1]!.lower === 'a' || tokens[s - 1]!.lower === 'an')) s--;
    const p1 = tokens[s - 1];
    const p2 = tokens[s - 2];
    if (p1 && p2 && s - 2 >= lo && PREPOSITIONS.has(p1.lower) && p2.kind === Kind.Word && (ROLE_NOUNS.has(p2.lower) || DESCRIPTOR_HEADS.has(p2.lower))) {
      return descriptor(ctx, s - 2, h, lo, rule);
    }
    // "Jane Doe from Some Branch said": the person before the preposition.
    if (p1 && s - 2 >= lo && (p1.lower === 'from' || p1.lower === 'of' || p1.lower === 'at' || p1.lower === 'for')) {
      const before = mentionEndingAt(ctx, s - 2);
      if (before >= 0 && ctx.mentions[before]!.type === 'person') return { mention: before, rule };
    }
    if (men.type === 'person' || men.type === 'organisation') return { mention: m, rule };
  }
  if (t.kind === Kind.Word && (ROLE_NOUNS.has(t.lower) || DESCRIPTOR_HEADS.has(t.lower) || (t.f & F.DocumentNoun) !== 0)) {
    if ((t.f & F.DocumentNoun) !== 0 && !ppHead(ctx, h, lo)) {
      const d = documentAuthor(ctx, h);
      if (d) return d;
    }
    return descriptor(ctx, h, h, lo, rule);
  }
  return undefined;
}

/** Whether the noun at h is the object of a preposition after a descriptor head ("one signatory to the letter"). */
function ppHead(ctx: Ctx, h: number, lo: number): boolean {
  const tokens = ctx.ev.tokens;
  for (let k = h - 1; k > lo && h - k <= 4; k--) {
    const t = tokens[k]!;
    if (t.kind !== Kind.Word) return false;
    if (PREPOSITIONS.has(t.lower)) {
      const p = tokens[k - 1]!;
      return p.kind === Kind.Word && (DESCRIPTOR_HEADS.has(p.lower) || ROLE_NOUNS.has(p.lower));
    }
  }
  return false;
}

/** The noun phrase ending at `to` whose head is at `head`, from its determiner: "A Labour spokesman", "one member". */
function descriptor(ctx: Ctx, head: number, to: number, lo: number, rule: string): Attribution | undefined {
  const tokens = ctx.ev.tokens;
  let s = head;
  let steps = 0;
  // "another", "one", "others" stand alone.
  if (DETERMINERS.has(tokens[head]!.lower)) return finishDescriptor(ctx, head, to, rule);
  // "One signatory to the letter told": the head noun is before the preposition.
  while (s - 2 >= lo && PREPOSITIONS.has(tokens[s - 1]!.lower) && s - head > -8) {
    const h2 = tokens[s - 2]!;
    if (h2.kind === Kind.Word && (DESCRIPTOR_HEADS.has(h2.lower) || ROLE_NOUNS.has(h2.lower))) {
      s -= 2;
      break;
    }
    // Walk back over the object of the preposition ("to the letter").
    break;
  }
  if (s === head) {
    let k = head - 1;
    while (k >= lo && head - k <= 4 && tokens[k]!.kind === Kind.Word && !PREPOSITIONS.has(tokens[k]!.lower)) k--;
    if (k >= lo + 1 && PREPOSITIONS.has(tokens[k]!.lower) && tokens[k - 1]!.kind === Kind.Word && (DESCRIPTOR_HEADS.has(tokens[k - 1]!.lower) || ROLE_NOUNS.has(tokens[k - 1]!.lower))) s = k - 1;
  }
  while (s > lo && steps < 6) {
    const p = tokens[s - 1]!;
    if (CLAUSE_STARTERS.has(p.lower) || PREPOSITIONS.has(p.lower)) break;
    if (p.kind !== Kind.Word && p.kind !== Kind.Possessive && !(p.kind === Kind.Punct && p.text === '-' && p.end === tokens[s]!.start)) break;
    if (ctx.inQuote[s - 1]) break;
    if (isVerb(p)) break;
    s--;
    steps++;
    if (DETERMINERS.has(p.lower)) break;
  }
  return finishDescriptor(ctx, s, to, rule);
}

function finishDescriptor(ctx: Ctx, s: number, to: number, rule: string): Attribution {
  const tokens = ctx.ev.tokens;
  const text = singleSpaced(ctx.ev.text.slice(tokens[s]!.start, tokens[to]!.end));
  return { descriptor: text, rule: rule + '-descriptor' };
}

function subjectAfter(ctx: Ctx, j: number, q: FoundQuote, rule: string): Attribution | undefined {
  const tokens = ctx.ev.tokens;
  while (j < tokens.length && tokens[j]!.nl === 0 && tokens[j]!.kind === Kind.Word && tokens[j]!.shape === Shape.Lower && SKIP_BEFORE_VERB.has(tokens[j]!.lower)) j++;
  const t = tokens[j];
  if (!t || t.nl > 0) return undefined;
  if (t.kind === Kind.Word && (t.lower === 'he' || t.lower === 'she' || t.lower === 'they' || t.lower === 'it')) return pronoun(ctx, t.lower, q, rule);
  const m = ctx.mentionAt[j]!;
  if (m >= 0) {
    return { mention: m, rule };
  }
  if (t.kind === Kind.Word && DETERMINERS.has(t.lower)) {
    // "said a spokesman for the group": to the first comma, full stop, relative pronoun or verb.
    let e = j;
    let k = j + 1;
    let mention = -1;
    while (k < tokens.length && k - j < 7) {
      const u = tokens[k]!;
      if (u.nl > 0 || u.kind === Kind.Punct || u.kind === Kind.Quote || u.lower === 'who' || u.lower === 'which' || u.lower === 'that' || isVerb(u)) break;
      if (ctx.mentionAt[k]! >= 0 && ctx.mentions[ctx.mentionAt[k]!]!.type === 'person' && mention < 0) mention = ctx.mentionAt[k]!;
      e = k;
      k++;
    }
    // "said the Labour leader Jeremy Corbyn" names the speaker; "said a spokesman for Labour" does not.
    if (mention >= 0) return { mention, rule };
    return { descriptor: singleSpaced(ctx.ev.text.slice(t.start, tokens[e]!.end)), rule: rule + '-descriptor' };
  }
  return undefined;
}

/** he/she → the most recent fitting speaker, else the most recent fitting person; it/they → also organisations. */
function pronoun(ctx: Ctx, p: string, q: FoundQuote, _rule: string): Attribution | undefined {
  const quoteStart = ctx.ev.tokens[q.open]!.start;
  const fits = (i: number): boolean => {
    const m = ctx.mentions[i]!;
    if (p === 'it') return m.type === 'organisation';
    if (p === 'they') return true;
    if (m.type !== 'person') return false;
    const s = sexAt(ctx, i);
    return !s || (p === 'he' ? s === 'M' : s === 'F');
  };
  // The subject of the sentence before, when it comes after the last quotation: "A spokesperson for X made it
  // clear …. “…,” they told …"; "The letter … said …. It accuses …".
  const prevSubject = previousSentenceSubject(ctx, q.open, p);
  if (prevSubject) return prevSubject;
  // The most recent speaker, if close by (within a few quotations) and fitting.
  for (let k = ctx.recent.length - 1; k >= 0 && k >= ctx.recent.length - 3; k--) {
    const r = ctx.recent[k]!;
    if (quoteStart - ctx.ev.tokens[r.quote.open]!.start > 1500) break;
    const a = r.att;
    if (a.mention !== undefined) {
      if (fits(a.mention)) return { mention: a.mention, rule: 'pronoun' };
    } else if (a.descriptor && p !== 'it') {
      return { descriptor: a.descriptor, rule: 'pronoun' };
    }
    break;
  }
  if (p === 'it' || p === 'they') {
    // An organisation that was the subject of a recent sentence ("The Jewish Labour Movement has written …").
    for (let m = lastMentionEndingBy(ctx, quoteStart); m >= 0; m--) {
      const men = ctx.mentions[m]!;
      if (men.end > quoteStart) continue;
      if (quoteStart - men.end > 2000) break;
      if (men.type !== 'organisation') continue;
      const k = tokenIndexAt(ctx, men.start);
      if (ctx.inQuote[k]) continue;
      if (startsSentence(ctx, k)) return { mention: m, rule: 'pronoun' };
    }
  }
  for (let m = lastMentionEndingBy(ctx, quoteStart); m >= 0; m--) {
    const men = ctx.mentions[m]!;
    if (men.end > quoteStart) continue;
    if (quoteStart - men.end > 3000) break;
    if (ctx.inQuote[tokenIndexAt(ctx, men.start)]) continue;
    if (fits(m)) return { mention: m, rule: 'pronoun' };
  }
  return undefined;
}

/** sexOf the mention i, worked out once per document: each pronoun looks back over the same people, and sexOf slices
 * and lower-cases the name each time it is asked. */
function sexAt(ctx: Ctx, i: number): 'M' | 'F' | undefined {
  let s = ctx.sexes[i]!;
  if (s === 0) {
    const sex = sexOf(ctx.mentions[i]!);
    s = sex === 'M' ? 1 : sex === 'F' ? 2 : 3;
    ctx.sexes[i] = s;
  }
  return s === 1 ? 'M' : s === 2 ? 'F' : undefined;
}

function previousSentenceSubject(ctx: Ctx, open: number, p: string): Attribution | undefined {
  const tokens = ctx.ev.tokens;
  // Start of the quotation's sentence, then of the one before; lines that do not end a sentence (headlines,
  // related-article links) are passed over.
  let k = open;
  while (k > 0 && !tokens[k]!.sentStart && open - k < BACK_TOKENS) k--;
  let s = -1;
  for (let tries = 0; tries < 4 && k > 0; tries++) {
    let b = k - 1;
    let a = b;
    while (a > 0 && !tokens[a]!.sentStart && b - a < BACK_TOKENS) a--;
    const last = tokens[b]!;
    if (last.kind === Kind.Punct && (last.text === '.' || last.text === '!' || last.text === '?')) {
      s = a;
      break;
    }
    k = a;
  }
  if (s < 0) return undefined;
  const t = tokens[s]!;
  if (p === 'it' || p === 'they') {
    const d = t.lower === 'the' ? tokens[s + 1] : undefined;
    if (d && (d.f & F.DocumentNoun) !== 0) {
      const author = documentAuthor(ctx, s + 1);
      if (author) return sameSpeaker(author, 'pronoun');
    }
  }
  // Only a sentence without quotations of its own: otherwise its speaker is already the recent one.
  for (let i = s; i < k; i++) if (ctx.inQuote[i]) return undefined;
  const subj = sentenceSubject(ctx, s, k);
  if (!subj) return undefined;
  if (subj.mention !== undefined) {
    const m = ctx.mentions[subj.mention]!;
    if (p === 'it' || m.type !== 'person') return undefined;
    const sex = sexAt(ctx, subj.mention);
    if (sex && ((p === 'he' && sex !== 'M') || (p === 'she' && sex !== 'F'))) return undefined;
    return { mention: subj.mention, rule: 'pronoun' };
  }
  return p === 'it' ? undefined : { descriptor: subj.descriptor, rule: 'pronoun' };
}

/** Token k starts its sentence, allowing a leading "The". */
function startsSentence(ctx: Ctx, k: number): boolean {
  const tokens = ctx.ev.tokens;
  if (tokens[k]!.sentStart) return true;
  const p = tokens[k - 1];
  return !!p && p.lower === 'the' && p.sentStart;
}

function tokenIndexAt(ctx: Ctx, offset: number): number {
  const tokens = ctx.ev.tokens;
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** "the letter says": the first organisation or person named where an earlier sentence speaks of a document. */
function documentAuthor(ctx: Ctx, h: number): Attribution | undefined {
  const tokens = ctx.ev.tokens;
  for (let k = h; k >= 0 && h - k < 400; k--) {
    const t = tokens[k]!;
    if (ctx.inQuote[k] || t.kind !== Kind.Word || !(t.f & F.DocumentNoun)) continue;
    // The sentence around k.
    let s = k;
    while (s > 0 && k - s < BACK_TOKENS && !(tokens[s - 1]!.kind === Kind.Punct && SENTENCE_END.has(tokens[s - 1]!.text)) && tokens[s]!.nl === 0) s--;
    let e = k;
    while (e + 1 < tokens.length && e - k < BACK_TOKENS && tokens[e + 1]!.nl === 0 && !(tokens[e]!.kind === Kind.Punct && SENTENCE_END.has(tokens[e]!.text))) e++;
    // "a letter drawn up by X", "a message written by X", "a letter from X".
    for (let i = k + 1; i <= e && i <= k + 6; i++) {
      const u = tokens[i]!;
      if (u.lower !== 'by' && u.lower !== 'from') continue;
      for (let j = i + 1; j <= e && j <= i + 6; j++) {
        const m = ctx.mentionAt[j]!;
        if (m >= 0 && !ctx.inQuote[j]) return { mention: m, rule: 'document-author' };
        if (tokens[j]!.kind !== Kind.Word) break;
      }
    }
    // "X has written/sent/published a letter".
    for (let i = s; i < k; i++) {
      const m = ctx.mentionAt[i]!;
      if (m < 0 || ctx.inQuote[i]) continue;
      for (let j = i + 1; j < k; j++) if (AUTHORING_VERBS.has(tokens[j]!.lower)) return { mention: m, rule: 'document-author' };
      break;
    }
  }
  return undefined;
}
const AUTHORING_VERBS = new Set('written wrote writes sent sends issued issues published publishes released releases signed signs penned pens drafted drafts'.split(' '));
