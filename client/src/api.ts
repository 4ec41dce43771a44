// What activate() returns: the handle the editor test suites (test/electron, test/e2e) use to wait for the index
// and read the Corpus view's data without scraping the UI.

import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { IndexStatus } from '../../server/src/protocol';

/** One row of the Corpus view as the user sees it. */
export interface TreeSnapshotNode {
  id?: string;
  label: string;
  description?: string;
  children?: TreeSnapshotNode[];
}

export interface CorpusNavigatorApi {
  readonly client: LanguageClient;
  /** The last index status the server reported; undefined until the first one arrives. */
  readonly status: IndexStatus | undefined;
  readonly onDidChangeStatus: vscode.Event<IndexStatus>;
  /** Resolves with the status once the server reports `ready` (at once if it already has). */
  whenIndexed(timeoutMs?: number): Promise<IndexStatus>;
  /** Resolves with the first status (the current one included) that satisfies `test`, e.g. a newer version after an edit. */
  waitForStatus(test: (s: IndexStatus) => boolean, timeoutMs?: number): Promise<IndexStatus>;
  /** The Corpus view's rows, `depth` levels deep (1 = the groups, 2 = entities and speakers, 3 = mentions too). */
  treeSnapshot(depth?: number): Promise<TreeSnapshotNode[]>;
  readonly output: vscode.LogOutputChannel;
}
