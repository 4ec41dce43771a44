// Where the index's memory goes: heap after GC once the texts are read, once their analyses are decoded from the
// cache, and once the index is built. Needs a corpus and the cache a bench run left (.bench/cache/<size>mb):
//   node --expose-gc --import tsx test/bench/heapSplit.ts .bench/corpus-10mb .bench/cache/10mb dist/worker.js
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CorpusIndex } from '../../server/src/core/index';
import { IndexCache } from '../../server/src/node/cache';
import type { DocAnalysis } from '../../server/src/core/model';
import { readTextSync } from '../../server/src/node/workspace';
const root = resolve(process.argv[2]);
const cacheDir = process.argv[3];
const analyzer = createHash('sha1').update(readFileSync(process.argv[4])).digest('base64url');
const gc = (globalThis as { gc?: () => void }).gc!;
const heap = () => (gc(), gc(), process.memoryUsage().heapUsed / 1048576);
const base = heap();
const m = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
const docs: { rel: string; text: string; size: number; mtimeMs: number }[] = [];
for (const rel of m.files) {
  const r = readTextSync(join(root, rel), 1 << 30);
  if (r.ok) docs.push({ rel, text: r.text, size: r.size, mtimeMs: r.mtimeMs });
}
const afterText = heap();
let cache: IndexCache | undefined = IndexCache.open({ dir: cacheDir, root, analyzer });
const analyses: DocAnalysis[] = docs.map((d) => cache!.lookup(d.rel, d.size, d.mtimeMs, d.text)!);
const hits = cache.stats.hits;
cache = undefined; // the analyses stay; the cache's copy of the file goes
const afterAnalyses = heap();
const index = new CorpusIndex();
docs.forEach((d, i) => index.setAnalysed(d.rel, d.text, analyses[i]));
index.entities();
const afterIndex = heap();
const mentions = analyses.reduce((n, a) => n + a.mentions.length, 0);
const quotes = analyses.reduce((n, a) => n + a.quotes.length, 0);
const chars = docs.reduce((n, d) => n + d.text.length, 0);
console.log(JSON.stringify({ hits, chars, mentions, quotes, baseMB: base.toFixed(0), textMB: (afterText - base).toFixed(1), analysesMB: (afterAnalyses - afterText).toFixed(1), indexMB: (afterIndex - afterAnalyses).toFixed(1), bytesPerMentionAnalysis: (((afterAnalyses - afterText) * 1048576) / (mentions + quotes)).toFixed(0), indexBytesPerMention: (((afterIndex - afterAnalyses) * 1048576) / mentions).toFixed(0), rssMB: (process.memoryUsage().rss / 1048576).toFixed(0) }));
