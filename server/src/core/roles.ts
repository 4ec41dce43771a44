// Descriptors in apposition to a person, for the hover card: before the name ("Labour MP Ian Austin", "general
// secretary Jennie Formby", "former justice secretary Lord Falconer"), or set off by commas after or before it
// ("Euan Philipps, spokesman for LAAS,", "The president of the Board of Deputies, Marie van der Zyl,").

import { Kind, Shape, type Token } from './tokens';
import type { DocEvidence } from './evidence';
import type { Mention, Role } from './model';
import { mentionTokens, type MentionTokens } from './mentionTokens';
import { F } from './words';
import { singleSpaced } from './spaces';

const LEADING_DETERMINERS = new Set(['the', 'a', 'an', 'its', 'their', 'his', 'her']);
/** Words a run of role words before a name may hold ("its leadership", "the party"): a set, not a chain of comparisons. */
const ROLE_RUN_WORDS = new Set(['leadership', 'party']);

export function findRoles(ev: DocEvidence, mentions: Mention[], at?: MentionTokens): Role[] {
  const tokens = ev.tokens;
  const out: Role[] = [];
  if (mentions.length === 0) return out;
  const { mentionAt, first: firstTok, last: lastTok } = at ?? mentionTokens(tokens, mentions);
  const isRoleWord = (t: Token) => t.kind === Kind.Word && (t.f & (F.RoleNoun | F.RoleModifier)) !== 0;

  for (let m = 0; m < mentions.length; m++) {
    const men = mentions[m]!;
    if (men.type !== 'person' || men.form === 'handle') continue;
    const a = firstTok[m]!;
    const b = lastTok[m]!;

    // Before the name: a run of role words and organisation names ending in a role noun.
    const p = tokens[a - 1];
    // The role word must be on the name's own line: "…, DRC Campaigner\nEmily Reynolds" is two list entries.
    if (p && tokens[a]!.nl === 0 && p.kind === Kind.Word && (p.f & F.RoleNoun) !== 0 && mentionAt[a - 1]! < 0) {
      let s = a - 1;
      while (s > 0) {
        const q = tokens[s - 1]!;
        if (tokens[s]!.nl > 0) break;
        const orgish = (mentionAt[s - 1]! >= 0 && mentions[mentionAt[s - 1]!]!.type === 'organisation') || (mentionAt[s - 1]! < 0 && q.kind === Kind.Word && (q.shape === Shape.Cap || q.shape === Shape.Upper) && !(q.f & F.Function));
        if (isRoleWord(q) || orgish || q.kind === Kind.Possessive || (q.text === '-' && q.end === tokens[s]!.start) || ROLE_RUN_WORDS.has(q.lower)) {
          s--;
          continue;
        }
        break;
      }
      while (s < a - 1 && (tokens[s]!.kind === Kind.Possessive || tokens[s]!.text === '-')) s++;
      out.push({ mention: m, text: singleSpaced(ev.text.slice(tokens[s]!.start, p.end)), rule: 'role-before' });
      continue;
    }

    // After the name: ", spokesman for LAAS," / ", the co-convener who ...".
    const c = tokens[b + 1];
    if (c && c.text === ',' && tokens[b + 2]) {
      let s = b + 2;
      if (LEADING_DETERMINERS.has(tokens[s]!.lower)) s++;
      const head = tokens[s];
      if (head && head.kind === Kind.Word && head.shape === Shape.Lower && (head.f & (F.RoleNoun | F.RoleModifier)) !== 0) {
        let e = s;
        // Words like "shadow" or "home" are in both lists; only a noun that is not also a modifier names a role.
        const namesRole = (t: Token) => (t.f & F.RoleNoun) !== 0 && !(t.f & F.RoleModifier);
        let hasRoleNoun = namesRole(head);
        while (e + 1 < tokens.length && e - s < 10) {
          const u = tokens[e + 1]!;
          if (u.nl > 0 || u.kind === Kind.Quote || (u.kind === Kind.Punct && u.text !== '-' && u.text !== '&') || u.lower === 'who' || u.lower === 'which' || u.lower === 'that' || (u.kind === Kind.Word && (u.f & F.ReportingVerb) !== 0)) break;
          // A lower-case "and"/"or" makes a list ("Jeremy, the shadow cabinet and colleagues"), not an apposition.
          if (u.lower === 'and' || u.lower === 'or') break;
          if (u.kind === Kind.Word && namesRole(u)) hasRoleNoun = true;
          e++;
        }
        // "the shadow cabinet" has a role modifier but names no role: only a phrase with a role noun describes a person.
        if (hasRoleNoun) {
          out.push({ mention: m, text: singleSpaced(ev.text.slice(tokens[s]!.start, tokens[e]!.end)), rule: 'role-after' });
          continue;
        }
      }
    }

    // Before the name, set off by a comma: "The president of the Board of Deputies, Marie van der Zyl, said".
    if (p && p.text === ',' && a >= 3) {
      let s = a - 2;
      while (s > 0 && tokens[s]!.nl === 0 && !(tokens[s - 1]!.kind === Kind.Punct && tokens[s - 1]!.text !== '-' && tokens[s - 1]!.text !== '&') && a - s < 12) s--;
      while (s < a - 1 && LEADING_DETERMINERS.has(tokens[s]!.lower)) s++;
      const head = tokens[s]!;
      if (head.kind === Kind.Word && head.shape !== Shape.Upper && (head.f & (F.RoleNoun | F.RoleModifier)) !== 0 && mentionAt[s]! < 0) {
        out.push({ mention: m, text: singleSpaced(ev.text.slice(head.start, tokens[a - 2]!.end)), rule: 'role-before-comma' });
      }
    }
  }
  return out;
}
