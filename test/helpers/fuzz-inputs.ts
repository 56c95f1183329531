/**
 * What the fuzzers feed the tools: fast-check arbitraries of random text
 * and VCL token soup, and a mutation fuzzer that edits real VCL files
 * (deletes, duplicates, swaps, inserted tokens, truncation, other line
 * breaks). Shared by the robustness tests (nothing throws) and the scale
 * tests (the time per KB of what they make).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { findCorpus, loadCorpus, projectRoot } from '../conformance/corpus.js';
import { prng } from './prng.js';

/** Pieces of VCL that make the lexer and parser switch state. */
export const fragments = [
  // keywords and words with a meaning somewhere
  'vcl', '4.1', 'import', 'include', 'backend', 'probe', 'acl', 'sub', 'set', 'unset', 'call', 'return', 'if', 'elsif',
  'elseif', 'elif', 'else', 'new', 'error', 'remove', 'synthetic', 'hash_data', 'ban', 'none', 'from', 'as', 'true', 'false',
  'vcl_recv', 'vcl_backend_response', 'synth', 'pass', 'req.http.X-Forwarded-For', 'std.log', '.host', '.probe', '.request',
  // delimiters that open or close a literal, a comment or inline C
  '{', '}', '(', ')', '"', '{"', '"}', '"""', 'C{', '}C', '/*', '*/', '#', '//', ':', ':SGVsbG8=:',
  // operators and punctuation
  ';', ',', '.', '=', '==', '!=', '~', '!~', '!', '&&', '||', '+', '-', '*', '/', '%', '<', '>', '<=', '>=', '+=', '-=',
  '*=', '/=', '++', '--', '+glob', '-pedantic', '+log',
  // things no token starts with
  '_x', '\\', '@', '$', '\u00e9', '\u{1F600}', '\uD800',
  // whitespace, and every kind of line break (a lone CR ends a line too, as in LSP)
  ' ', '\t', '\n', '\r\n', '\r', '\n\n', '\r\r\n',
];

const identSegment = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,6}$/);
const nameArb = fc.array(identSegment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('.'));
const numberArb = fc
  .tuple(fc.nat({ max: 99999 }), fc.option(fc.nat({ max: 99999 })), fc.constantFrom('', '', 'ms', 's', 'm', 'h', 'd', 'w', 'y', 'B', 'KB', 'MB', 'k', 'x', ' s', ' k'))
  .map(([i, f, u]) => `${i}${f === null ? '' : `.${f}`}${u}`);
const stringArb = fc.string({ maxLength: 8 }).map((s) => `"${s.replace(/["\n]/g, '')}"`);
const tokenArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...fragments) },
  { weight: 2, arbitrary: nameArb },
  { weight: 1, arbitrary: numberArb },
  { weight: 1, arbitrary: stringArb },
);
/** Token soup: VCL fragments joined with nothing, a space or a line break of any kind. */
export const soupArb = fc
  .array(fc.tuple(tokenArb, fc.constantFrom('', ' ', ' ', '\n', '\r\n', '\r')), { maxLength: 80 })
  .map((parts) => parts.map(([t, sep]) => t + sep).join(''));

/** Arbitrary strings, full Unicode and ASCII, and token soup. */
export const inputArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary-ascii', maxLength: 200 }),
  soupArb,
  soupArb,
);

export type Rand = () => number;
export const int = (rand: Rand, n: number) => Math.floor(rand() * n);

function randomRange(rand: Rand, len: number): [number, number] {
  const a = int(rand, len + 1);
  const b = Math.min(len, a + 1 + int(rand, Math.min(200, Math.max(1, len))));
  return [a, b];
}

/** One random edit; returns the new text and what was done, for the failure message. */
export function mutate(text: string, rand: Rand): [string, string] {
  const len = text.length;
  switch (int(rand, 6)) {
    case 5: {
      // The same file saved with other line breaks: all of one kind, or a mix (lone CRs included).
      const kinds = ['\n', '\r\n', '\r'];
      const to = int(rand, kinds.length + 1);
      const eol = () => kinds[to < kinds.length ? to : int(rand, kinds.length)]!;
      return [text.replace(/\r\n|\r|\n/g, eol), `line breaks as ${to < kinds.length ? JSON.stringify(kinds[to]) : 'a mix'}`];
    }
    case 0: {
      const [a, b] = randomRange(rand, len);
      return [text.slice(0, a) + text.slice(b), `delete ${a}..${b}`];
    }
    case 1: {
      const [a, b] = randomRange(rand, len);
      const at = int(rand, len + 1);
      return [text.slice(0, at) + text.slice(a, b) + text.slice(at), `duplicate ${a}..${b} at ${at}`];
    }
    case 2: {
      const [a, b] = randomRange(rand, len);
      const [c, d] = randomRange(rand, len);
      if (b > c && d > a) return [text.slice(0, a) + text.slice(b), `delete ${a}..${b}`];
      const [x1, x2, y1, y2] = a < c ? [a, b, c, d] : [c, d, a, b];
      return [text.slice(0, x1) + text.slice(y1, y2) + text.slice(x2, y1) + text.slice(x1, x2) + text.slice(y2), `swap ${x1}..${x2} with ${y1}..${y2}`];
    }
    case 3: {
      const at = int(rand, len + 1);
      const token = fragments[int(rand, fragments.length)]!;
      return [text.slice(0, at) + token + text.slice(at), `insert ${JSON.stringify(token)} at ${at}`];
    }
    default: {
      const at = int(rand, len + 1);
      return [text.slice(0, at), `truncate at ${at}`];
    }
  }
}

function findVcl(dir: string, out: string[]): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir).sort()) {
    const p = path.join(dir, entry);
    if (statSync(p).isDirectory()) findVcl(p, out);
    else if (entry.endsWith('.vcl')) out.push(p);
  }
  return out;
}

/** Every k-th file of a sorted list: the same sample on every run. */
function stride<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  const step = items.length / count;
  return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)]!);
}

/** ~40 real VCL files: the corpus when present, otherwise the project's own fixtures and examples. */
export function fuzzSources(): { files: string[]; from: string } {
  const corpus = findCorpus();
  if (corpus) {
    const entries = loadCorpus(corpus).filter((e) => existsSync(e.path));
    const vtc = entries.filter((e) => e.name.startsWith('vtc/')).map((e) => e.path).sort();
    const real = entries.filter((e) => e.name.startsWith('real/')).map((e) => e.path).sort();
    return { files: [...stride(vtc, 30), ...stride(real, 10)], from: `corpus ${corpus}` };
  }
  const own = [...findVcl(path.join(projectRoot, 'test/fixtures'), []), ...findVcl(path.join(projectRoot, 'examples'), [])];
  return { files: stride(own, 40), from: 'project fixtures' };
}

/** `count` inputs of the property tests' arbitrary, from `seed`. */
export function fastCheckInputs(seed: number, count: number): string[] {
  return fc.sample(inputArb, { seed, numRuns: count });
}

/** The mutation fuzzer's inputs: `perFile` successive variants of each source file (one to three edits each), from `seed`. */
export function mutatedInputs(seed: number, perFile = 3): string[] {
  const rand = prng(seed);
  const out: string[] = [];
  for (const file of fuzzSources().files) {
    let text = readFileSync(file, 'utf8');
    for (let v = 0; v < perFile; v++) {
      for (let m = 1 + int(rand, 3); m > 0; m--) text = mutate(text, rand)[0];
      out.push(text);
    }
  }
  return out;
}
