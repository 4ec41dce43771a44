// A tiny, predictable stand-in for recognition, so the LSP layer's unit tests do not depend on how the real
// recogniser is tuned: it marks the listed names wherever they occur, quotations between straight double quotes,
// and attributes a quotation to a name just after it ("…," Mr Smith said) or just before it (Smith said: "…").

import type { DocAnalysis, EntityType, Mention, NameForm, Quote } from '../../../server/src/core/model';

export interface StubName {
  text: string;
  type: EntityType;
  form: NameForm;
  name?: string;
  title?: string;
  expansion?: string;
}

/** `roles`: descriptor texts, each attached to the name that ends shortly before it ("Daniel Whitfield, a teacher"). */
export function stubAnalyzer(names: StubName[], roles: string[] = []) {
  const sorted = [...names].sort((a, b) => b.text.length - a.text.length);
  return (text: string): DocAnalysis => {
    const found: Mention[] = [];
    const taken = new Uint8Array(text.length);
    for (const n of sorted) {
      let at = text.indexOf(n.text);
      while (at >= 0) {
        const end = at + n.text.length;
        const boundary = !/\w/.test(text[at - 1] ?? ' ') && !/\w/.test(text[end] ?? ' ');
        if (boundary && !taken.subarray(at, end).some((x) => x)) {
          taken.fill(1, at, end);
          found.push({
            start: at,
            end,
            text: n.text,
            type: n.type,
            form: n.form,
            name: n.name ?? n.text,
            ...(n.title ? { title: n.title } : {}),
            ...(n.expansion ? { expansion: n.expansion } : {}),
            rule: 'stub',
            confidence: 0.9,
          });
        }
        at = text.indexOf(n.text, at + 1);
      }
    }
    found.sort((a, b) => a.start - b.start);
    const quotes: Quote[] = [];
    const re = /"([^"]+)"/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      const start = m.index + 1;
      const end = start + m[1].length;
      const after = found.findIndex((x) => x.start >= end + 1 && x.start <= end + 12 && !/[\r\n]/.test(text.slice(end, x.start)));
      let before = -1;
      for (let i = 0; i < found.length && found[i].end <= start; i++) {
        if (found[i].end >= start - 24 && !/[\r\n]/.test(text.slice(found[i].end, start))) before = i;
      }
      const speaker = after >= 0 ? { mention: after, rule: 'said-after' } : before >= 0 ? { mention: before, rule: 'said-before' } : undefined;
      quotes.push({ start, end, text: m[1], ...(speaker ? { speaker } : {}) });
    }
    const roleList = roles.flatMap((role) => {
      const at = text.indexOf(role);
      let i = -1;
      for (let k = 0; at >= 0 && k < found.length && found[k].end <= at; k++) if (found[k].end >= at - 4) i = k;
      return i >= 0 ? [{ mention: i, text: role, rule: 'stub' }] : [];
    });
    return { mentions: found, quotes, roles: roleList, problems: [] };
  };
}

/** The names the unit tests' fixtures use. */
export const FIXTURE_NAMES: StubName[] = [
  { text: 'Margaret Okafor', type: 'person', form: 'full' },
  { text: 'Mrs Okafor', type: 'person', form: 'titled', name: 'Okafor', title: 'Mrs' },
  { text: 'Okafor', type: 'person', form: 'family' },
  { text: 'Daniel Whitfield', type: 'person', form: 'full' },
  { text: 'Whitfield', type: 'person', form: 'family' },
  { text: 'Library Campaign Network', type: 'organisation', form: 'full' },
  { text: 'LCN', type: 'organisation', form: 'acronym', expansion: 'Library Campaign Network' },
  { text: 'Brampton Council', type: 'organisation', form: 'full' },
];
