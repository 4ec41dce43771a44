// Which files a scan reads. Values come from users (VS Code settings, CLI flags), so every one is checked: a bad
// value gives a clear message and its default, never an exception.

export interface ScanSettings {
  /** Globs (relative to the root) of files to index. */
  include: string[];
  /** Globs of files and folders never to index; added to `.gitignore` when `useGitignore`. */
  exclude: string[];
  /** Files larger than this many bytes are skipped with a reason. */
  maxFileSize: number;
  /** Follow symbolic links (to files and folders); off by default, so that links out of the workspace are not read. */
  followSymlinks: boolean;
  /** Honour `.gitignore` files inside the root. */
  useGitignore: boolean;
}

export const DEFAULT_INCLUDE = ['**/*.txt', '**/*.md'];
export const DEFAULT_EXCLUDE = ['**/node_modules/**', '**/.git/**', '**/.hg/**', '**/.svn/**', '**/.vscode-test/**', '**/dist/**', '**/out/**'];
export const DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024;

export const DEFAULT_SETTINGS: Readonly<ScanSettings> = Object.freeze({
  include: DEFAULT_INCLUDE,
  exclude: DEFAULT_EXCLUDE,
  maxFileSize: DEFAULT_MAX_FILE_SIZE,
  followSymlinks: false,
  useGitignore: true,
});

/** Why a glob cannot be used, or undefined when it is fine. */
export function globProblem(glob: unknown): string | undefined {
  if (typeof glob !== 'string') return 'is not a string';
  if (glob.trim() === '') return 'is empty';
  if (glob.includes('\0')) return 'contains a NUL character';
  if (/^(\/|[A-Za-z]:[\\/])/.test(glob)) return 'is an absolute path (globs are relative to the folder)';
  if (/(^|\/)\.\.(\/|$)/.test(glob)) return 'goes outside the folder ("..")';
  const open: string[] = [];
  const pairs: Record<string, string> = { ']': '[', '}': '{', ')': '(' };
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[' || c === '{' || c === '(') open.push(c);
    else if (c === ']' || c === '}' || c === ')') {
      if (open.pop() !== pairs[c]) return `has an unbalanced "${c}"`;
    }
  }
  if (open.length) return `has an unclosed "${open[open.length - 1]}"`;
  return undefined;
}

export interface Validated {
  settings: ScanSettings;
  /** One clear message per value that was replaced by its default (or dropped). */
  problems: string[];
}

/**
 * Checks raw settings (any shape). Unknown keys are ignored. `maxFileSize` is in bytes; `maxFileSizeMB` is accepted
 * too (as VS Code settings say it). A list of globs keeps its good entries; if none is left, the default is used.
 */
export function validateSettings(raw: unknown): Validated {
  const problems: string[] = [];
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  if (raw !== undefined && raw !== null && typeof raw !== 'object') problems.push('settings are not an object; using the defaults');

  const globs = (key: 'include' | 'exclude', fallback: string[]): string[] => {
    const v = r[key];
    if (v === undefined || v === null) return fallback.slice();
    const list = typeof v === 'string' ? [v] : Array.isArray(v) ? v : undefined;
    if (!list) {
      problems.push(`${key}: expected a list of globs; using the default (${fallback.join(', ')})`);
      return fallback.slice();
    }
    const good: string[] = [];
    for (const g of list) {
      const why = globProblem(g);
      if (why) problems.push(`${key}: the glob ${JSON.stringify(g)} ${why}; it is ignored`);
      else good.push(g as string);
    }
    if (good.length === 0 && list.length > 0) {
      problems.push(`${key}: no usable glob; using the default (${fallback.join(', ')})`);
      return fallback.slice();
    }
    return good;
  };

  const include = globs('include', DEFAULT_INCLUDE);
  const exclude = globs('exclude', DEFAULT_EXCLUDE);

  let maxFileSize = DEFAULT_MAX_FILE_SIZE;
  const mb = r.maxFileSizeMB;
  const bytes = r.maxFileSize;
  const size = bytes !== undefined && bytes !== null ? { v: bytes, unit: 1, key: 'maxFileSize' } : mb !== undefined && mb !== null ? { v: mb, unit: 1024 * 1024, key: 'maxFileSizeMB' } : undefined;
  if (size) {
    const n = typeof size.v === 'string' && size.v.trim() !== '' ? Number(size.v) : size.v;
    if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) {
      problems.push(`${size.key}: ${JSON.stringify(size.v)} is not a positive number; using the default (${DEFAULT_MAX_FILE_SIZE / 1024 / 1024} MB)`);
    } else {
      maxFileSize = Math.floor(n * size.unit);
    }
  }

  const bool = (key: 'followSymlinks' | 'useGitignore', fallback: boolean): boolean => {
    const v = r[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    problems.push(`${key}: expected true or false, got ${JSON.stringify(v)}; using the default (${fallback})`);
    return fallback;
  };

  return {
    settings: { include, exclude, maxFileSize, followSymlinks: bool('followSymlinks', false), useGitignore: bool('useGitignore', true) },
    problems,
  };
}
