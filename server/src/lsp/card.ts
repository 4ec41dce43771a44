// What a hover says about an entity: the card's data (composed from the index, pure) and its Markdown.

import type { Entity, MentionRef, QuoteRef } from '../core/model';
import type { Corpus } from './corpus';
import { firstWords } from './snippet';

export interface EntityCard {
  name: string;
  type: Entity['type'];
  /** Aliases other than the canonical name. */
  aliases: string[];
  mentionCount: number;
  fileCount: number;
  roles: string[];
  /** How the hovered mention was recognised, when the card is for a mention. */
  provenance?: { text: string; form: string; rule: string; confidence: number };
  quotes: { text: string; file: string }[];
  quoteCount: number;
}

export interface CardOptions {
  maxRoles?: number;
  maxQuotes?: number;
  maxAliases?: number;
  /** Display name of a document key (a file name relative to its workspace folder). */
  fileName?: (doc: string) => string;
}

export function entityCard(corpus: Corpus, id: string, hovered?: MentionRef, options: CardOptions = {}): EntityCard | undefined {
  const base = cardCache.get(corpus, id, options);
  if (!base) return undefined;
  if (!hovered) return base;
  const m = hovered.mention;
  return { ...base, provenance: { text: m.text, form: m.form, rule: m.rule, confidence: m.confidence } };
}

/** The card without the hovered mention's provenance: the same for every mention of the entity. */
function composeCard(corpus: Corpus, id: string, options: CardOptions): EntityCard | undefined {
  const entity = corpus.entity(id);
  if (!entity) return undefined;
  const fileName = options.fileName ?? baseName;
  // The card shows a few quotations of what can be thousands: counted, and taken lazily in corpus order.
  const quotes = corpus.eachQuoteBy(id);
  const quoteCount = corpus.quoteCount(id);
  const maxAliases = options.maxAliases ?? 12;
  const aliases = entity.aliases.filter((a) => a !== entity.name);
  return {
    name: entity.name,
    type: entity.type,
    aliases: aliases.length > maxAliases ? [...aliases.slice(0, maxAliases), `… ${aliases.length - maxAliases} more`] : aliases,
    mentionCount: entity.mentionCount,
    fileCount: entity.fileCount,
    roles: corpus.roles(id).slice(0, options.maxRoles ?? 5),
    quotes: pickQuotes(quotes, options.maxQuotes ?? 3).map((q) => ({ text: firstWords(q.quote.text, 24, 200), file: fileName(q.doc) })),
    quoteCount,
  };
}

/**
 * A few quotations worth showing: whole sentences before one-word partial quotes ("shocked"), and from as many
 * different files as possible; in corpus order otherwise. Reads the quotations only as far as it needs to (they may
 * be made lazily), at worst once; linear in their number.
 */
export function pickQuotes(quotes: Iterable<QuoteRef>, max: number): QuoteRef[] {
  const picked: QuoteRef[] = [];
  if (max <= 0) return picked;
  const files = new Set<string>();
  const substantial = (q: QuoteRef) => wordCount(q.quote.text) >= 5;
  // First pass, streaming: substantial quotations from files not shown yet. What it passes over is kept for the
  // later passes: substantial ones from files already shown, then anything.
  const seen: QuoteRef[] = [];
  const taken = new Set<QuoteRef>();
  for (const q of quotes) {
    seen.push(q);
    if (substantial(q) && !files.has(q.doc)) {
      taken.add(q);
      files.add(q.doc);
      picked.push(q);
      if (picked.length >= max) return picked;
    }
  }
  for (const pass of [substantial, () => true]) {
    for (const q of seen) {
      if (picked.length >= max) return picked;
      if (taken.has(q) || !pass(q)) continue;
      taken.add(q);
      picked.push(q);
    }
  }
  return picked;
}

function wordCount(text: string): number {
  let n = 0;
  const re = /\S+/g;
  while (re.exec(text) && n < 5) n++;
  return n;
}

/** Cards by entity id, valid for one index version: hovering the same entity again costs a lookup. */
class CardCache {
  private version = -1;
  private corpus: Corpus | undefined;
  private readonly cards = new Map<string, EntityCard | undefined>();

  get(corpus: Corpus, id: string, options: CardOptions): EntityCard | undefined {
    if (corpus !== this.corpus || corpus.version !== this.version || options.maxQuotes || options.maxRoles || options.maxAliases) {
      this.cards.clear();
      this.corpus = corpus;
      this.version = corpus.version;
    }
    if (!this.cards.has(id)) {
      if (this.cards.size > 1000) this.cards.clear();
      this.cards.set(id, composeCard(corpus, id, options));
    }
    return this.cards.get(id);
  }
}

const cardCache = new CardCache();

const TYPE_LABEL: Record<Entity['type'], string> = { person: 'Person', organisation: 'Organisation' };

export function renderCard(card: EntityCard): string {
  const facts: string[] = [];
  if (card.aliases.length) facts.push(`Also: ${card.aliases.map(md).join(', ')}`);
  facts.push(`${plural(card.mentionCount, 'mention')} in ${plural(card.fileCount, 'file')}`);
  if (card.roles.length) facts.push(`Roles: ${card.roles.map(md).join('; ')}`);
  // Markdown line breaks are two spaces before the newline.
  const sections = [`**${md(card.name)}** · ${TYPE_LABEL[card.type]}\n\n${facts.join('  \n')}`];
  if (card.quotes.length) {
    const lines = card.quotes.map((q) => `> “${md(q.text)}” — *${md(q.file)}*`);
    const more = card.quoteCount > card.quotes.length ? `\n\n*${card.quoteCount - card.quotes.length} more*` : '';
    sections.push(`${plural(card.quoteCount, 'quotation')}:\n\n${lines.join('\n>\n')}${more}`);
  }
  if (card.provenance) {
    const p = card.provenance;
    sections.push(`*This mention: “${md(p.text)}” (${p.form} name; rule ${md(p.rule)}, confidence ${p.confidence.toFixed(2)})*`);
  }
  return sections.join('\n\n---\n\n');
}

/** Hover text for a quotation: who said it (with their card when the speaker is an entity). */
export function renderQuoteHover(corpus: Corpus, ref: QuoteRef, options: CardOptions = {}): string {
  const speaker = ref.speakerId ? corpus.entity(ref.speakerId) : undefined;
  const rule = ref.quote.speaker?.rule;
  const via = rule ? ` *(attribution: ${md(rule)})*` : '';
  if (speaker) {
    const card = entityCard(corpus, speaker.id, undefined, options);
    const head = `Quotation · said by **${md(speaker.name)}**${via}`;
    return card ? `${head}\n\n---\n\n${renderCard(card)}` : head;
  }
  const descriptor = ref.quote.speaker?.descriptor;
  if (descriptor) return `Quotation · said by ${md(descriptor)}${via}`;
  return 'Quotation · speaker not identified';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function baseName(doc: string): string {
  const i = doc.lastIndexOf('/');
  const name = i >= 0 ? doc.slice(i + 1) : doc;
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** Escapes document text for Markdown, so that names and quotations show as written and never as markup. */
export function md(text: string): string {
  // Names and quotations sit inside a line, so only the characters that act there need escaping.
  return text.replace(/\s+/g, ' ').replace(/[\\`*_[\]<>|~&]/g, (c) => '\\' + c);
}
