// The custom part of the protocol between the Corpus Navigator client and its language server: request and
// notification types with their method names, their params and results, the settings, and the semantic-token
// legend. Both sides import this one module (as vscode-eslint's shared protocol file), so they cannot drift.
//
// Plain data only: no `vscode` import, nothing from the core. Ranges and positions are LSP's (0-based lines,
// UTF-16 characters); `line` fields meant for display are 1-based and say so.

import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { Range, TextDocumentPositionParams } from 'vscode-languageserver-protocol';

// ---------------------------------------------------------------------------------------------------------------
// Settings

export type EntityKind = 'person' | 'organisation';

/** The `corpusNavigator.*` settings, as the server uses them after validation. */
export interface CorpusSettings {
  /** Globs (relative to a workspace folder) of the files to index. */
  include: string[];
  /** Globs of files and folders never indexed, applied after `include`. */
  exclude: string[];
  /** Files larger than this many megabytes are skipped, with the reason reported. */
  maxFileSize: number;
  /** Skip what the workspace's `.gitignore` files ignore. */
  useGitignore: boolean;
  /** Follow symbolic links (also those pointing outside the workspace); off by default. */
  followSymlinks: boolean;
}

/** The configuration section the server asks for through `workspace/configuration`. */
export const SETTINGS_SECTION = 'corpusNavigator';

export const DEFAULT_SETTINGS: Readonly<CorpusSettings> = Object.freeze({
  include: ['**/*.txt', '**/*.md'],
  exclude: ['**/node_modules/**', '**/.git/**', '**/.hg/**', '**/.svn/**', '**/.vscode-test/**', '**/dist/**', '**/out/**'],
  maxFileSize: 64,
  useGitignore: true,
  followSymlinks: false,
});

/** What the client passes as `initializationOptions` in the initialize request. All optional. */
export interface InitializationOptions {
  /**
   * A folder the server may keep its index cache in (the extension's storage folder), so that reopening an
   * unchanged corpus skips analysis. Nothing is cached when absent; the server writes nowhere else.
   */
  cacheFolder?: string;
  /** Worker threads that analyse files during a scan; default: one per core. 0 analyses in the server's thread. */
  workers?: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Semantic tokens

/**
 * Token types the server reports, in legend order (the index is what the encoded tokens carry). The client declares
 * them in `contributes.semanticTokenTypes` with the super type given here, so themes without a rule still colour
 * them, and maps them to TextMate scopes in `contributes.semanticTokenScopes` for sensible default colours.
 */
export const SEMANTIC_TOKEN_TYPES = ['person', 'organisation', 'quotation'] as const;
export type SemanticTokenTypeName = (typeof SEMANTIC_TOKEN_TYPES)[number];

/** Modifiers, in legend order (bit i = modifier i). `declaration` marks an entity's introduction in the corpus. */
export const SEMANTIC_TOKEN_MODIFIERS = ['declaration'] as const;
export type SemanticTokenModifierName = (typeof SEMANTIC_TOKEN_MODIFIERS)[number];

export const SEMANTIC_TOKENS_LEGEND = {
  tokenTypes: [...SEMANTIC_TOKEN_TYPES] as string[],
  tokenModifiers: [...SEMANTIC_TOKEN_MODIFIERS] as string[],
};

/** For the manifest: each token type's standard super type, description, and the TextMate scopes that colour it. */
export const SEMANTIC_TOKEN_DECLARATIONS: ReadonlyArray<{
  id: SemanticTokenTypeName;
  superType: string;
  description: string;
  scopes: string[];
}> = [
  { id: 'person', superType: 'variable', description: 'A person named in the text.', scopes: ['entity.name.person', 'variable'] },
  { id: 'organisation', superType: 'type', description: 'An organisation named in the text.', scopes: ['entity.name.type.organisation', 'entity.name.type'] },
  { id: 'quotation', superType: 'string', description: 'Quoted words.', scopes: ['string.quoted.double', 'string'] },
];

// ---------------------------------------------------------------------------------------------------------------
// Shapes shared by several requests

/** An entity as lists show it (the Corpus tree, quick picks). */
export interface EntityItem {
  /** Stable id derived from type and canonical name, e.g. "person:jeremy-corbyn". */
  id: string;
  type: EntityKind;
  /** Canonical name, normally the fullest form seen. */
  name: string;
  /** Distinct surface names, in order of first appearance in the corpus. */
  aliases: string[];
  mentionCount: number;
  fileCount: number;
  /** Quotations attributed to the entity. */
  quoteCount: number;
}

/** One mention of an entity, ready for a tree item or a references list. */
export interface MentionItem {
  uri: string;
  range: Range;
  /** 1-based line number, for display. */
  line: number;
  /** The mention's text as written ("Mr Corbyn's"). */
  text: string;
  /** A short one-line excerpt around the mention. */
  context: string;
  /** Where the mention sits in `context`: [start, end) in UTF-16 code units (for highlighting in a tree label). */
  contextSpan: [number, number];
}

export interface QuotationItem {
  uri: string;
  range: Range;
  /** 1-based line number, for display. */
  line: number;
  /** The quoted words (without the marks), shortened to a few dozen words. */
  text: string;
  /** The speaker entity when the text names one. */
  speakerId?: string;
  /** The descriptor when the speaker is not named ("a Labour spokesman"). */
  speakerText?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Requests

export interface EntitiesParams {
  /** Only this type; both when absent. */
  type?: EntityKind;
  /** Fuzzy filter over every alias (the same matching as workspace symbols). */
  query?: string;
  /** At most this many, most-mentioned first; all when absent. 0 gives no entities, only `total` (a count). */
  limit?: number;
  /** Skip this many of the list before `limit` applies: the next page of a list already shown. 0 when absent. */
  offset?: number;
  /**
   * Only these entities, wherever they rank (`type` still applies; `query`, `offset` and `limit` do not): a client that
   * shows a page of the list asks this way for one it must show but has not loaded (Reveal in Corpus View). Ids no
   * entity has are left out; at most ENTITY_IDS_LIMIT are read.
   */
  ids?: string[];
}

/** How many `ids` one entities request reads. */
export const ENTITY_IDS_LIMIT = 1000;

export interface EntitiesResult {
  /** The index version the answer was made from (bumps on every change). */
  version: number;
  /** Most-mentioned first; ties by name, then id (the same order on every run, so pages fit together). */
  entities: EntityItem[];
  /** Whether the initial scan is still running (the list may grow). */
  indexing: boolean;
  /** How many entities the list has before `offset` and `limit` cut it. With a `query` it counts only the matches
   *  searched for, i.e. at most `offset + limit` (search stops there, best first; a `type` filter can then make the
   *  page short): query results are not meant to be paged. Always set by this server; a client paging the list says
   *  "N more" from it. */
  total?: number;
  /** The whole index's totals, whatever the filter: what a view's top level shows, without a list (always set by
   *  this server). `quotes` counts every quotation, attributed or not. */
  counts?: { people: number; organisations: number; quotes: number };
}

/** `corpusNavigator/entities`: the entities of the corpus with their counts (the Corpus view's People/Organisations). */
export const EntitiesRequest = new RequestType<EntitiesParams, EntitiesResult, void>('corpusNavigator/entities');

export interface MentionsParams {
  id: string;
  /** At most this many mentions (in document then offset order); all when absent. */
  limit?: number;
}

export interface MentionsResult {
  /** Undefined when no entity has this id (any more). */
  entity?: EntityItem;
  mentions: MentionItem[];
  /** Total number of mentions, also when `limit` cut the list. */
  total: number;
}

/** `corpusNavigator/mentions`: every mention of one entity, in document then offset order. */
export const MentionsRequest = new RequestType<MentionsParams, MentionsResult, void>('corpusNavigator/mentions');

export interface QuotationsParams {
  /** Only quotations of this speaker entity. */
  speakerId?: string;
  /** Only quotations in this document. */
  uri?: string;
  /** At most this many quotations per group (the first in corpus order); all when absent. `total` gives the count.
   *  0 lists the groups and their counts only, which is how the Corpus view starts on a large corpus. */
  limitPerGroup?: number;
  /** Only the quotations whose speaker is not a known entity (the "Unattributed" group). */
  unattributedOnly?: boolean;
  /** Skip this many groups (in the answer's order) before `groupLimit` applies; 0 when absent. */
  groupOffset?: number;
  /** At most this many groups, from `groupOffset` on; all when absent. 0 gives no groups, only the totals. A corpus
   *  has a group per quoted speaker: thousands on a newsroom archive. */
  groupLimit?: number;
}

export interface QuotationGroup {
  /** The speaker entity; absent for quotations whose speaker is unnamed or unknown. */
  speakerId?: string;
  /** What the group is called: the entity's canonical name, or "Unattributed". */
  label: string;
  type?: EntityKind;
  quotes: QuotationItem[];
  /** How many quotations the group has, also when `limitPerGroup` cut `quotes` (always set by the server). */
  total?: number;
}

export interface QuotationsResult {
  version: number;
  /** Named speakers first, most quotations first; the unattributed group last. */
  groups: QuotationGroup[];
  /** How many groups there are before `groupOffset` and `groupLimit` cut the list (always set by this server). */
  groupTotal?: number;
  /** How many quotations those groups hold together (always set by this server). */
  quoteTotal?: number;
}

/** `corpusNavigator/quotations`: quotations grouped by speaker (the Corpus view's Quotations). */
export const QuotationsRequest = new RequestType<QuotationsParams, QuotationsResult, void>('corpusNavigator/quotations');

export interface EntityAtResult {
  entity: EntityItem;
  /** The range of the mention (or quotation) under the position. */
  range: Range;
  /** How the position relates to the entity: on a mention of it, or inside a quotation it is the speaker of. */
  via: 'mention' | 'quotation';
}

/**
 * `corpusNavigator/entityAt`: the entity under a position (Find All Mentions, reveal in the Corpus view): the
 * mentioned entity, or inside a quotation its speaker. Null when there is none.
 */
export const EntityAtRequest = new RequestType<TextDocumentPositionParams, EntityAtResult | null, void>(
  'corpusNavigator/entityAt',
);

/** `corpusNavigator/reindex`: forget the index and scan the workspace again (open documents keep their text). */
export const ReindexRequest = new RequestType0<void, void>('corpusNavigator/reindex');

/** `corpusNavigator/status`: the current index status (the same object the notification carries). */
export const StatusRequest = new RequestType0<IndexStatus, void>('corpusNavigator/status');

// ---------------------------------------------------------------------------------------------------------------
// Notifications

export interface SkippedFile {
  uri: string;
  reason: string;
}

export interface IndexStatus {
  /** `indexing` while the workspace scan runs; `ready` once every file is in the index (or the scan was cancelled). */
  state: 'indexing' | 'ready';
  filesDone: number;
  filesTotal: number;
  /** Index version (bumps on every change), so a client can tell whether to refresh. */
  version: number;
  counts: { documents: number; people: number; organisations: number; quotes: number; mentions: number; skipped?: number };
  /** Files left out, with the reason (binary, too large, unreadable ...); the first few hundred when there are many. */
  skipped: SkippedFile[];
  /** True when the last scan was cancelled by the user before it finished. */
  cancelled?: boolean;
}

/**
 * `corpusNavigator/indexStatus`: sent when a scan starts, at most a few times a second while it runs, when it ends,
 * and after each incremental change. The client drives its status bar from it; tests wait for `state: 'ready'`.
 */
export const IndexStatusNotification = new NotificationType<IndexStatus>('corpusNavigator/indexStatus');
