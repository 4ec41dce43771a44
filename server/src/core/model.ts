// The data the core produces and every layer above it consumes.
//
// Offsets everywhere in the core are UTF-16 code units into the document's text (JavaScript string indices),
// end exclusive: the same numbers a VS Code document, the CLI JSON and the evaluation use. Only
// `positions.ts` turns them into line/character pairs.

export type EntityType = 'person' | 'organisation';

/** How a mention names its entity. Alias resolution (aliases.ts) decides what a short form refers to from this. */
export type NameForm =
  /** A person's given and family name ("Jeremy Corbyn", "Marie van der Zyl"), or an organisation's full name. */
  | 'full'
  /** A title with a name: "Mr Corbyn", "Sir Keir Starmer", "Lord Falconer of Thoroton". */
  | 'titled'
  /** A family name alone: "Corbyn". */
  | 'family'
  /** A given name alone: "Jeremy". */
  | 'given'
  /** A social-media handle: "@jeremycorbyn". */
  | 'handle'
  /** An all-capitals abbreviation: "JLM", "EHRC". */
  | 'acronym'
  /** A one-word organisation name that is not an acronym: "Labour", "Momentum", "Facebook". */
  | 'name';

export interface Mention {
  start: number;
  end: number;
  /** Exactly `text.slice(start, end)` of the document. */
  text: string;
  type: EntityType;
  form: NameForm;
  /**
   * The name proper, whitespace normalised, title and possessive removed: "Mr Corbyn's" → "Corbyn",
   * "Sir Keir Starmer" → "Keir Starmer". Acronyms and handles keep their spelling ("JLM", "@jeremycorbyn").
   */
  name: string;
  /** The title word when the mention has one: "Mr", "Sir", "Lord". */
  title?: string;
  /**
   * For an acronym defined beside its long form ("Labour Against Antisemitism (LAAS)", "the NCC (National
   * Constitutional Committee)"): the long form's `name`, on both mentions, so that they group together.
   */
  expansion?: string;
  /** Provenance: which rule or evidence made this mention ("title", "given-name", "org-head", "acronym-definition" ...). */
  rule: string;
  /** 0..1: how sure the recogniser is. Corpus-level consistency may use it; the UI may show it. */
  confidence: number;
}

/** Who a quotation is attributed to. */
export interface Attribution {
  /** Index into `DocAnalysis.mentions` of the mention naming the speaker; the corpus index resolves it to an entity. */
  mention?: number;
  /** When the speaker is not named: the descriptor as the text gives it ("a Labour spokesman", "one member"). */
  descriptor?: string;
  /** Provenance, as for mentions ("said-after", "colon-before", "pronoun", "continuation" ...). */
  rule: string;
}

export interface Quote {
  /** The quoted words, without the quotation marks and surrounding white space. */
  start: number;
  end: number;
  /** Exactly `text.slice(start, end)` of the document. */
  text: string;
  speaker?: Attribution;
  /** True for the second and later paragraphs of a quotation that runs over several paragraphs. */
  continued?: boolean;
}

/** A descriptor found beside a mention ("Labour MP Ian Austin", "Marie van der Zyl, president of the Board"). */
export interface Role {
  /** Index into `DocAnalysis.mentions`. */
  mention: number;
  text: string;
  rule: string;
}

/** Something recognition skipped or degraded on; analysis reports problems instead of throwing. */
export interface Problem {
  message: string;
  start?: number;
  end?: number;
}

/** What recognition finds in one document. */
export interface DocAnalysis {
  /** Sorted by start; never overlapping. */
  mentions: Mention[];
  /** Sorted by start. A quotation inside a quotation is its own entry. */
  quotes: Quote[];
  roles: Role[];
  problems: Problem[];
}

/** Names the rest of the corpus knows, so that one document's ambiguous occurrences are read consistently. */
export interface KnownNames {
  /** The type the corpus gives this exact name (as in `Mention.name`), if it is known with confidence. */
  typeOf(name: string): EntityType | undefined;
}

export interface AnalyzeOptions {
  known?: KnownNames;
}

/** One entity of the corpus: every mention of one person or organisation, whatever alias was used. */
export interface Entity {
  /** Stable across runs and machines for the same corpus: derived from type and canonical name ("person:jeremy-corbyn"). */
  id: string;
  type: EntityType;
  /** The canonical name: normally the fullest form seen. */
  name: string;
  /** The distinct surface names (`Mention.name`) seen, in order of first appearance in the corpus. */
  aliases: string[];
  mentionCount: number;
  fileCount: number;
}

/** A mention located in the corpus. */
export interface MentionRef {
  doc: string;
  /** Index into the document's `DocAnalysis.mentions`. */
  index: number;
  mention: Mention;
}

/** A quotation located in the corpus, with its speaker resolved to an entity where the text names one. */
export interface QuoteRef {
  doc: string;
  index: number;
  quote: Quote;
  speakerId?: string;
}
