import { readFileSync } from 'node:fs';
import { analyzeDocument } from '../../server/src/core/analyze';
const t = readFileSync('/work/shared/seeds/004_f76b764caec289e5.txt', 'utf8');
for (let i = 0; i < 30; i++) analyzeDocument(t);
const t0 = performance.now();
const N = 100;
for (let i = 0; i < N; i++) analyzeDocument(t);
const ms = (performance.now() - t0) / N;
console.log(ms.toFixed(2), 'ms/doc', (t.length / 1e3 / ms).toFixed(2), 'MB/s');
