// The entry of dist/worker.js: a worker thread of the analysis pool (pool.ts holds both ends of its protocol).
import { documentClaims } from '../core/aliases';
import { analyzeDocument } from '../core/analyze';
import { serveAnalyses } from './pool';

serveAnalyses((text) => analyzeDocument(text), documentClaims);
