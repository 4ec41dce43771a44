// The status-bar item: index size when ready, a spinner with files done/total while indexing; click → Corpus view.

import * as vscode from 'vscode';
import type { IndexStatus } from '../../server/src/protocol';
import { statusBarText, statusBarTooltip } from './corpusTree';

export class CorpusStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('corpusNavigator.status', vscode.StatusBarAlignment.Left, 10);

  constructor(focusCommand: string) {
    this.item.name = 'Corpus Navigator';
    this.item.command = focusCommand;
    this.update(undefined);
    this.item.show();
  }

  update(status: IndexStatus | undefined): void {
    this.item.text = statusBarText(status);
    const tooltip = new vscode.MarkdownString(statusBarTooltip(status));
    tooltip.supportThemeIcons = true;
    this.item.tooltip = tooltip;
    this.item.backgroundColor = undefined;
  }

  failed(message: string): void {
    this.item.text = '$(error) Corpus';
    this.item.tooltip = `Corpus Navigator: ${message}`;
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
  }

  dispose(): void {
    this.item.dispose();
  }
}
