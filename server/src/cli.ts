// corpus-nav: scan a folder of articles and print its people, organisations and quotations (table, JSON or CSV),
// or run the language server over stdio.
//
//   corpus-nav scan [folder] [--json | --csv] [--include GLOB]... [--exclude GLOB]... [--max-file-size N[KB|MB]]
//                   [--follow-symlinks] [--no-gitignore] [--compact] [--out FILE] [--cache DIR | --no-cache]
//   corpus-nav lsp --stdio
//
// Exit codes: 0 success, 1 the folder cannot be scanned or the output cannot be written, 2 bad usage.

import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { toCsv, toJson, toTable } from './core/export';
import { analyzeDocument } from './core/analyze';
import { CachedAnalyser, defaultCacheDir } from './node/analyseStep';
import { AnalysisPool } from './node/pool';
import { scanFolder, ScanError } from './node/scan';
import { DEFAULT_EXCLUDE } from './node/settings';

const USAGE = `Usage:
  corpus-nav scan [folder] [options]   list the people, organisations and quotations of a folder of articles
  corpus-nav lsp --stdio               run the language server over stdio

With no folder, scan reads the sample corpus that ships with Corpus Navigator.

Scan options:
  --json                  print the documented JSON (see README) instead of a table
  --csv                   print one CSV row per mention and per quotation
  --include GLOB          files to read (repeatable; default: **/*.txt and **/*.md)
  --exclude GLOB          files or folders to leave out (repeatable; added to the defaults)
  --max-file-size SIZE    skip larger files (bytes, or with KB/MB; default 64MB)
  --follow-symlinks       read files and folders behind symbolic links
  --no-gitignore          do not honour .gitignore files
  --compact               JSON on one line
  --out FILE              write the output to FILE instead of stdout
  --cache DIR             keep the index cache in DIR (default: the user's cache folder), so that
                          unchanged files are not analysed again
  --no-cache              neither read nor write an index cache
  -h, --help              this help
`;

class UsageError extends Error {}

interface ScanArgs {
  folder?: string;
  format: 'table' | 'json' | 'csv';
  include: string[];
  exclude: string[];
  maxFileSize?: number;
  followSymlinks: boolean;
  gitignore: boolean;
  compact: boolean;
  out?: string;
  /** The index cache folder; false: no cache; undefined: the default folder. */
  cache?: string | false;
}

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?$/i.exec(s.trim());
  if (!m) throw new UsageError(`--max-file-size: ${JSON.stringify(s)} is not a size (e.g. 500000, 200KB, 10MB)`);
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  const n = Math.floor(Number(m[1]) * mult);
  if (n <= 0) throw new UsageError('--max-file-size must be positive');
  return n;
}

export function parseScanArgs(argv: string[]): ScanArgs {
  const a: ScanArgs = { format: 'table', include: [], exclude: [], followSymlinks: false, gitignore: true, compact: false };
  const value = (i: number, flag: string) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const take = () => {
      if (inline !== undefined) return inline;
      const v = value(i, flag);
      i++;
      return v;
    };
    switch (flag) {
      case '--json':
        a.format = 'json';
        break;
      case '--csv':
        a.format = 'csv';
        break;
      case '--include':
        a.include.push(take());
        break;
      case '--exclude':
        a.exclude.push(take());
        break;
      case '--max-file-size':
        a.maxFileSize = parseSize(take());
        break;
      case '--follow-symlinks':
        a.followSymlinks = true;
        break;
      case '--no-gitignore':
        a.gitignore = false;
        break;
      case '--compact':
        a.compact = true;
        break;
      case '--cache':
        a.cache = take();
        break;
      case '--no-cache':
        a.cache = false;
        break;
      case '--out':
        a.out = take();
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
        if (a.folder !== undefined) throw new UsageError(`one folder at a time (got ${JSON.stringify(a.folder)} and ${JSON.stringify(arg)})`);
        a.folder = arg;
    }
  }
  return a;
}

/** The bundled sample corpus: next to dist/cli.js it is ../server/sample-corpus; next to server/src/cli.ts, ../sample-corpus. */
export function sampleCorpus(): string | undefined {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = [path.join(here, '..', 'server', 'sample-corpus'), path.join(here, '..', 'sample-corpus'), path.join(here, 'sample-corpus')];
  return candidates.find((p) => existsSync(p));
}

async function scan(argv: string[]): Promise<number> {
  const args = parseScanArgs(argv);
  let folder = args.folder;
  if (folder === undefined) {
    folder = sampleCorpus();
    if (!folder) {
      process.stderr.write('corpus-nav: the sample corpus was not found next to the program; give a folder to scan\n');
      return 1;
    }
  }
  const settings = {
    include: args.include.length ? args.include : undefined,
    // The sample corpus's README describes the articles; it is not one of them.
    exclude: [...DEFAULT_EXCLUDE, ...args.exclude, ...(args.folder === undefined ? ['README.md'] : [])],
    maxFileSize: args.maxFileSize,
    followSymlinks: args.followSymlinks,
    useGitignore: args.gitignore,
  };
  const showProgress = args.format === 'table' && !args.out && process.stderr.isTTY;
  let lastShown = 0;
  // Analysis runs in worker threads (every core), and unchanged files come from the on-disk cache.
  const pool = new AnalysisPool({ fallback: (text) => analyzeDocument(text) });
  const cacheDir = args.cache === false ? undefined : (args.cache ?? defaultCacheDir());
  const step = new CachedAnalyser(pool, { root: path.resolve(folder), cacheDir });
  const result = await scanFolder(folder, settings, {
    analyze: step.analyze,
    concurrency: 64,
    // Beside the cache: the whole index, so that scanning an unchanged folder again reads no file.
    snapshotDir: cacheDir,
    onProgress: showProgress
      ? (done, total) => {
          const now = Date.now();
          if (now - lastShown > 100 || done === total) {
            lastShown = now;
            process.stderr.write(`\rindexing ${done}/${total} files`);
            if (done === total) process.stderr.write('\r\x1b[K');
          }
        }
      : undefined,
  });
  // After a restored snapshot the cache saw only the files read again: it must keep the others.
  await step.finish(!result.cancelled && !result.restored);
  await pool.close();
  for (const p of result.problems) process.stderr.write(`corpus-nav: warning: ${p}\n`);
  const index = result.index;
  const json = toJson(index, args.folder === undefined ? folder : args.folder);
  let output: string;
  if (args.format === 'json') output = JSON.stringify(json, null, args.compact ? undefined : 2) + '\n';
  else if (args.format === 'csv') output = toCsv(json);
  else output = toTable(json, { maxQuotes: 200, lineOf: (file, offset) => index.lines(file)?.positionAt(offset).line ?? 0 });
  if (args.out) {
    try {
      await fs.writeFile(args.out, output);
    } catch (e) {
      process.stderr.write(`corpus-nav: cannot write ${args.out}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
  } else {
    await writeStdout(output);
  }
  if (result.listed === 0 && args.format === 'table') {
    process.stderr.write(`corpus-nav: no files matched ${(settings.include ?? ['**/*.txt', '**/*.md']).join(', ')} in ${folder}\n`);
  }
  return 0;
}

function writeStdout(s: string): Promise<void> {
  return new Promise((resolve) => {
    process.stdout.on('error', () => resolve()); // a closed pipe (e.g. `| head`) is not an error worth a trace
    process.stdout.write(s, () => resolve());
  });
}

function lsp(argv: string[]): number | undefined {
  // The language server is its own bundle (dist/server.js); it reads --stdio from process.argv itself.
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = [path.join(here, 'server.js'), path.join(here, '..', '..', 'dist', 'server.js')];
  const server = candidates.find((p) => existsSync(p));
  if (!server) {
    process.stderr.write('corpus-nav: the language server (dist/server.js) was not found; run `npm run build` first\n');
    return 1;
  }
  if (!argv.some((a) => a === '--stdio' || a.startsWith('--node-ipc') || a.startsWith('--socket') || a.startsWith('--pipe'))) {
    process.argv.push('--stdio');
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(server);
  return undefined; // the server keeps the process alive
}

export async function main(argv: string[]): Promise<number | undefined> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === 'scan') {
      if (rest.includes('-h') || rest.includes('--help')) {
        process.stdout.write(USAGE);
        return 0;
      }
      return await scan(rest);
    }
    if (command === 'lsp') return lsp(rest);
    throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`corpus-nav: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof ScanError) {
      process.stderr.write(`corpus-nav: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`corpus-nav: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    if (code !== undefined) process.exitCode = code;
  });
}
