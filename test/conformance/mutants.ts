/**
 * Mutants of programs varnishd accepts, compiled with the real varnishd and
 * linted: a deleted token, a variable moved to the other side
 * (`req.` <-> `bereq.`/`beresp.`), a changed return action, a changed unit.
 * Deterministic (seeded), so the same mutants are compared in every run.
 */
import { readFileSync } from 'node:fs';
import { lex } from '../../server/src/syntax/lexer.js';
import { lintText } from '../../server/src/service/lint.js';
import { allReturnActions } from '../../server/src/facts/index.js';
import { compileAll } from '../helpers/varnishd-batch.js';
import { prng } from '../helpers/prng.js';

export interface Mutant {
  source: string;
  what: string;
  text: string;
}

const swaps: Array<[RegExp, string]> = [
  [/\breq\.(url|http\.[\w-]+)/, 'beresp.$1'],
  [/\bberesp\.(ttl|grace|http\.[\w-]+)/, 'req.$1'],
  [/\bbereq\.(url|http\.[\w-]+)/, 'resp.$1'],
  [/\bresp\.(status|http\.[\w-]+)/, 'bereq.$1'],
];

/** Up to `perFile` mutants of each text. */
export function makeMutants(sources: ReadonlyArray<{ name: string; text: string }>, perFile: number, seed = 7101): Mutant[] {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const out: Mutant[] = [];
  for (const s of sources) {
    const tokens = lex(s.text).tokens;
    for (let k = 0; k < perFile; k++) {
      const kind = k % 4;
      if (kind === 0 && tokens.length > 3) {
        const t = pick(tokens.slice(2));
        out.push({ source: s.name, what: `delete '${t.image.slice(0, 20)}'`, text: s.text.slice(0, t.startOffset) + s.text.slice(t.startOffset + t.image.length) });
      } else if (kind === 1) {
        const [re, to] = pick(swaps);
        const m = re.exec(s.text);
        if (m) out.push({ source: s.name, what: `${m[0]} -> ${m[0].replace(re, to)}`, text: s.text.slice(0, m.index) + m[0].replace(re, to) + s.text.slice(m.index + m[0].length) });
      } else if (kind === 2) {
        const returns = [...s.text.matchAll(/return\s*\(\s*([a-z_]+)/g)];
        if (returns.length) {
          const r = pick(returns);
          const action = pick(allReturnActions.filter((a) => a !== r[1] && a !== 'synth' && a !== 'vcl'));
          const at = r.index! + r[0].length - r[1]!.length;
          out.push({ source: s.name, what: `return (${r[1]}) -> return (${action})`, text: s.text.slice(0, at) + action + s.text.slice(at + r[1]!.length) });
        }
      } else {
        const units = [...s.text.matchAll(/\b(\d+)(s|m|h|d)\b/g)];
        if (units.length) {
          const u = pick(units);
          const to = pick(['KB', 'k', '']);
          const at = u.index! + u[1]!.length;
          out.push({ source: s.name, what: `${u[0]} -> ${u[1]}${to}`, text: s.text.slice(0, at) + to + s.text.slice(at + u[2]!.length) });
        }
      }
    }
  }
  return out;
}

export interface MutantResult {
  total: number;
  agree: number;
  disagreements: Array<{ mutant: Mutant; varnishd: string; ours: string }>;
}

/** Compiles (two at a time) and lints every mutant; varnishd accepts <=> we report no error. */
export async function compareMutants(varnishd: string, mutants: readonly Mutant[]): Promise<MutantResult> {
  const verdicts = await compileAll(varnishd, mutants.map((m) => ({ text: m.text })), 2);
  const result: MutantResult = { total: 0, agree: 0, disagreements: [] };
  mutants.forEach((m, i) => {
    const v = verdicts[i]!;
    const errors = lintText(m.text).filter((d) => d.severity === 'error');
    result.total++;
    if (v.accepted === (errors.length === 0)) result.agree++;
    else result.disagreements.push({ mutant: m, varnishd: v.accepted ? 'accepts' : `refuses: ${firstLine(v.message)}`, ours: errors.length ? `${errors[0]!.rule}: ${errors[0]!.message}` : 'no error' });
  });
  return result;
}

/** The first line of the compiler's message after its "Message from VCC-compiler:" header. */
function firstLine(message: string): string {
  const after = message.split('Message from VCC-compiler:\n')[1] ?? message;
  return after.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
}

/** Standalone programs varnishd accepts, from the project and (when found) the corpus. */
export function mutantSources(projectFiles: string[], corpus: ReadonlyArray<{ path: string; name: string }>): Array<{ name: string; text: string }> {
  return [...projectFiles.map((p) => ({ name: p, text: readFileSync(p, 'utf8') })), ...corpus.map((c) => ({ name: c.name, text: readFileSync(c.path, 'utf8') }))];
}
