// The few parts of the `vscode` module the client's providers and commands use, for tests in plain Node: installed
// in place of the real module (which exists only inside an editor) before client code is loaded with require().

import Module from 'node:module';

export class EventEmitter<T> {
  private listeners: ((e: T) => void)[] = [];
  readonly event = (l: (e: T) => void) => {
    this.listeners.push(l);
    return { dispose: () => (this.listeners = this.listeners.filter((x) => x !== l)) };
  };
  fire(e: T) {
    for (const l of this.listeners) l(e);
  }
  dispose() {
    this.listeners = [];
  }
}

/** What a test sees of what the client did: registered commands, commands it ran, messages, opened documents. */
export const recorded = {
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  executed: [] as { command: string; args: unknown[] }[],
  messages: [] as string[],
  opened: [] as { uri: unknown; selection: unknown }[],
  /** Commands that fail when run (e.g. the References view of a VS Code without it). */
  failing: new Set<string>(),
  /** The quick pick last shown, with what a user can do to it. */
  quickPick: undefined as
    | { pick: { items: { id?: string; alwaysShow?: boolean; label: string }[]; selectedItems: unknown[]; disposed: boolean; busy: boolean }; type(v: string): void; accept(): void; hide(): void }
    | undefined,
};

export const fakeVscode = {
  EventEmitter,
  TreeItem: class {
    constructor(
      public label: unknown,
      public collapsibleState: number,
    ) {}
  },
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  TextEditorRevealType: { InCenterIfOutsideViewport: 2 },
  ThemeIcon: class {
    constructor(public id: string) {}
  },
  MarkdownString: class {
    constructor(public value: string) {}
  },
  Range: class {
    constructor(
      public start: unknown,
      public end: unknown,
    ) {}
  },
  Location: class {
    constructor(
      public uri: unknown,
      public range: unknown,
    ) {}
  },
  commands: {
    registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
      recorded.commands.set(id, fn);
      return { dispose: () => recorded.commands.delete(id) };
    },
    executeCommand: async (command: string, ...args: unknown[]) => {
      recorded.executed.push({ command, args });
      if (recorded.failing.has(command)) throw new Error(`command '${command}' not found`);
      return undefined;
    },
  },
  window: {
    activeTextEditor: undefined as unknown,
    showTextDocument: async (uri: unknown, options: { selection: unknown }) => {
      recorded.opened.push({ uri, selection: options.selection });
      return { document: { uri }, selection: { active: options.selection }, revealRange() {} };
    },
    createQuickPick: () => {
      const changed = new EventEmitter<string>();
      const accepted = new EventEmitter<void>();
      const hidden = new EventEmitter<void>();
      const pick = {
        items: [] as { id?: string; alwaysShow?: boolean; label: string }[],
        activeItems: [] as unknown[],
        selectedItems: [] as unknown[],
        busy: false,
        placeholder: '',
        matchOnDescription: true,
        matchOnDetail: false,
        onDidChangeValue: changed.event,
        onDidAccept: accepted.event,
        onDidHide: hidden.event,
        show: () => void (recorded.quickPick = { pick, type: (v: string) => changed.fire(v), accept: () => accepted.fire(), hide: () => hidden.fire() }),
        dispose: () => void (pick.disposed = true),
        disposed: false,
      };
      return pick;
    },
    showInformationMessage: async (m: string) => void recorded.messages.push(m),
    showErrorMessage: async (m: string) => void recorded.messages.push(m),
    setStatusBarMessage: (m: string) => void recorded.messages.push(m),
  },
  workspace: { asRelativePath: (u: unknown) => String(u) },
  Uri: { parse: (s: string) => s },
};

let installed = false;
export function installFakeVscode(): void {
  if (installed) return;
  installed = true;
  const M = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = M._load;
  M._load = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? fakeVscode : load.call(this, request, ...rest);
  };
}

/** Converters that keep LSP values as they are (the fake editor takes them as they come). */
export const identityConverters = {
  protocol2CodeConverter: { asUri: (u: unknown) => u, asRange: (r: unknown) => r },
  code2ProtocolConverter: { asUri: (u: unknown) => u, asPosition: (p: unknown) => p },
};
