import { readFileSync, readdirSync } from 'node:fs';
import { tokenize } from '../../server/src/core/tokens';
import { gatherEvidence } from '../../server/src/core/evidence';
import { findNames } from '../../server/src/core/names';
import { paragraphs, findQuotes } from '../../server/src/core/quotes';
import { attributeSpeakers } from '../../server/src/core/speakers';
import { findRoles } from '../../server/src/core/roles';
const dir = '/work/shared/seeds';
const texts = readdirSync(dir).filter((f) => f.endsWith('.txt')).map((f) => readFileSync(dir + '/' + f, 'utf8'));
for (const reps of [10, 40]) {
  const t = texts.join('\n\n').repeat(reps);
  const cpu = (f: () => unknown) => { const c = process.cpuUsage(); const r = f(); const d = process.cpuUsage(c); return [r, (d.user + d.system) / 1000] as const; };
  const [tokens, a] = cpu(() => tokenize(t));
  const [ev, b] = cpu(() => gatherEvidence(t, tokens as any));
  const [ms, c] = cpu(() => findNames(ev as any));
  const [paras, d] = cpu(() => paragraphs(ev as any));
  const [qs, e] = cpu(() => findQuotes(ev as any, paras as any));
  const [, f] = cpu(() => attributeSpeakers(ev as any, qs as any, ms as any, paras as any));
  const [, g] = cpu(() => findRoles(ev as any, ms as any));
  console.log(`${(t.length / 1e6).toFixed(2)} MB: tok ${a.toFixed(0)} ev ${b.toFixed(0)} names ${c.toFixed(0)} paras ${d.toFixed(0)} quotes ${e.toFixed(0)} speakers ${f.toFixed(0)} roles ${g.toFixed(0)} ms`);
}
