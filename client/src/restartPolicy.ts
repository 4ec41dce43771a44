// When the language server dies: restart it, re-index, and tell the user once — not once per crash.
// Pure so that the policy is tested without VS Code; extension.ts adapts it to vscode-languageclient's ErrorHandler.

export interface RestartDecision {
  restart: boolean;
  /** A message for the user, or undefined to stay quiet (the output channel still has the details). */
  notify?: string;
}

export class RestartPolicy {
  private crashes: number[] = [];
  private notified = false;

  constructor(
    /** How many crashes within `windowMs` are restarted before giving up. */
    private readonly maxRestarts = 4,
    private readonly windowMs = 3 * 60_000,
  ) {}

  onServerClosed(now: number): RestartDecision {
    this.crashes = this.crashes.filter((t) => now - t < this.windowMs);
    this.crashes.push(now);
    if (this.crashes.length > this.maxRestarts) {
      return {
        restart: false,
        notify:
          `Corpus Navigator: the language server stopped ${this.crashes.length} times in ${Math.round(this.windowMs / 60_000)} minutes ` +
          'and will not be restarted. Run "Corpus Navigator: Re-index Corpus" or reload the window to try again.',
      };
    }
    if (this.notified) return { restart: true };
    this.notified = true;
    return { restart: true, notify: 'Corpus Navigator: the language server stopped unexpectedly; it was restarted and is re-indexing.' };
  }
}
