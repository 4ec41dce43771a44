// Recognition of one document: people, organisations, quotations with their speakers, and role descriptors.
//
// Pipeline: tokens (one pass) → document evidence → names (two passes over capitalised chunks) → quotations →
// speakers → roles. Each stage is guarded: an internal error degrades the result to what the earlier stages found
// and is reported as a Problem, never thrown. Every offset is checked against the text before it leaves.

import type { AnalyzeOptions, Attribution, DocAnalysis, Mention, Problem, Quote, Role } from './model';
import { tokenize, type Token } from './tokens';
import { gatherEvidence, type DocEvidence } from './evidence';
import { findNames } from './names';
import { findQuotes, paragraphs, type FoundQuote } from './quotes';
import { attributeSpeakers } from './speakers';
import { findRoles } from './roles';
import { mentionTokens, type MentionTokens } from './mentionTokens';

export function analyzeDocument(text: string, options: AnalyzeOptions = {}): DocAnalysis {
  const problems: Problem[] = [];
  const result: DocAnalysis = { mentions: [], quotes: [], roles: [], problems };
  if (typeof text !== 'string' || text.length === 0) return result;

  const stage = <T>(name: string, fallback: T, run: () => T): T => {
    try {
      return run();
    } catch (err) {
      problems.push({ message: `${name} failed: ${err instanceof Error ? err.message : String(err)}` });
      return fallback;
    }
  };

  // The tokens do not outlive this call either: they may be the previous document's token objects, overwritten.
  const tokens = stage<Token[]>('tokenising', [], () => tokenize(text, true));
  // The evidence does not outlive this call, so it may reuse its arrays from the previous document's.
  const ev = stage<DocEvidence | undefined>('gathering evidence', undefined, () => gatherEvidence(text, tokens, options.known, true));
  if (!ev) return result;
  const mentions = stage<Mention[]>('finding names', [], () => validMentions(text, findNames(ev), problems));
  result.mentions = mentions;
  const paras = stage<Array<[number, number]>>('finding paragraphs', [], () => paragraphs(ev));
  const found = stage<FoundQuote[]>('finding quotations', [], () => findQuotes(ev, paras));
  // Which tokens belong to which mention: speakers and roles both need it.
  const at = stage<MentionTokens | undefined>('finding mention tokens', undefined, () => mentionTokens(ev.tokens, mentions));
  const speakers = stage<Array<Attribution | undefined>>('attributing speakers', [], () => attributeSpeakers(ev, found, mentions, paras, at));
  const quotes: Quote[] = [];
  for (let i = 0; i < found.length; i++) {
    const f = found[i]!;
    // (Read once: reads of f in the rarer variants below, first reached after this was optimised, deoptimised it.)
    const start = f.start;
    const end = f.end;
    const continued = f.continued;
    if (start < 0 || end > text.length || end <= start) continue;
    const t = text.slice(start, end);
    const s = speakers[i];
    // Each variant made whole by one literal (fields in the one order JSON output shows): adding the optional fields
    // afterwards changed the object's shape inside this loop, which deoptimised it while a worker warmed up.
    const q: Quote = s
      ? continued
        ? { start, end, text: t, speaker: s, continued: true }
        : { start, end, text: t, speaker: s }
      : continued
        ? { start, end, text: t, continued: true }
        : { start, end, text: t };
    quotes.push(q);
  }
  result.quotes = quotes;
  result.roles = stage<Role[]>('finding roles', [], () => findRoles(ev, mentions, at));
  return result;
}

/** Keeps only mentions that satisfy the invariants (in range, text = slice, sorted, not overlapping). */
function validMentions(text: string, mentions: Mention[], problems: Problem[]): Mention[] {
  const out: Mention[] = [];
  let lastEnd = 0;
  for (const m of mentions) {
    // (Compared in place: a slice per mention only to compare it cost more than the rest of this check.)
    if (!(m.start >= lastEnd && m.end > m.start && m.end <= text.length) || m.text.length !== m.end - m.start || !text.startsWith(m.text, m.start)) {
      problems.push({ message: `dropped an invalid mention "${m.text}"`, start: m.start, end: m.end });
      continue;
    }
    out.push(m);
    lastEnd = m.end;
  }
  return out;
}
