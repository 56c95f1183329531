/**
 * Analysis time per kilobyte, and the median of it over real files: the
 * yardstick of "analysis time per KB stays within 3 x the corpus median".
 * Kept apart from the tests so that a fresh process can measure with it
 * (see {@link msPerKbInFreshProcess}).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { clearParseCache, parse } from '../../server/src/syntax/parse.js';
import { lintText } from '../../server/src/service/lint.js';
import { findCorpus, loadCorpus, projectRoot } from '../conformance/corpus.js';
import { vclFilesUnder } from './vcl-files.js';

/** Milliseconds per KB of one fresh analysis (nothing cached), the best of `runs`. */
export function msPerKb(text: string, runs = 1): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    clearParseCache();
    const t0 = performance.now();
    lintText(text, { path: '/scale/input.vcl' });
    best = Math.min(best, performance.now() - t0);
  }
  return best / Math.max(1, text.length / 1024);
}

let medianCache: { value: number; files: number; corpus: boolean } | undefined;
let sampleCache: { texts: string[]; corpus: boolean } | undefined;

/**
 * Real files, read and analysed once (warm-up): every `every`-th program of
 * the corpus when it is present, else the project's fixtures.
 */
function realTexts(every: number): { texts: string[]; corpus: boolean } {
  const corpus = findCorpus();
  const files = corpus
    ? loadCorpus(corpus).filter((_, i) => i % every === 0).map((e) => e.path)
    : [...vclFilesUnder(path.join(projectRoot, 'test/fixtures')), path.join(projectRoot, 'bench/fixtures/realistic-2000.vcl')];
  const texts = files.map((f) => readFileSync(f, 'utf8')).filter((t) => t.length > 0);
  for (const t of texts) lintText(t);
  return { texts, corpus: corpus !== undefined };
}

/** The real files the median is taken over (a 25th of the corpus, about 50), read and warmed up once. */
function sample(): { texts: string[]; corpus: boolean } {
  return (sampleCache ??= realTexts(25));
}

/**
 * The median ms/KB over a sample of real files (the corpus when present,
 * else the project's fixtures), measured once per process unless `again`.
 */
export function medianMsPerKb(again = false): { value: number; files: number; corpus: boolean } {
  if (medianCache !== undefined && !again) return medianCache;
  const { texts, corpus } = sample();
  const values = texts.map((t) => msPerKb(t, 5)).sort((a, b) => a - b);
  medianCache = { value: values[Math.floor(values.length / 2)]!, files: texts.length, corpus };
  return medianCache;
}

/**
 * The median and the time per KB of `source` (a JavaScript expression that
 * makes the text), both measured in a new node process. Big inputs are
 * measured there because a process that already ran hundreds of tests has a
 * large heap, whose collection a big analysis pays for and a small file
 * does not: in the suite's process the same input measured twice as slow.
 */
export function msPerKbInFreshProcess(source: string): { median: number; perKb: number; kb: number } {
  const here = pathToFileURL(path.join(projectRoot, 'out/test/helpers/per-kb.js')).href;
  const code = `const m = await import(${JSON.stringify(here)});
const median = m.medianMsPerKb().value;
const text = ${source};
const perKb = m.msPerKb(text, 3);
process.stdout.write(JSON.stringify({ median, perKb, kb: text.length / 1024 }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', maxBuffer: 1024 * 1024 });
  if (r.status !== 0) throw new Error(`measuring process failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { median: number; perKb: number; kb: number };
}

/** How many real files of the nearest sizes make an input's yardstick (see {@link nearMedianMsPerKb}). */
export const NEAR_FILES = 25;

/** A real file of the size-matched yardstick, with its ms/KB (best of five). */
interface Sized {
  size: number;
  text: string;
  perKb: number;
}

/** Whether the parser finds a syntax error in `text`. */
export function hasSyntaxErrors(text: string): boolean {
  clearParseCache();
  return parse(text).errors.length > 0;
}

let bySizeCache: { valid: Sized[]; erroneous: Sized[] } | undefined;

/**
 * The real files of the size-matched yardstick, sorted by size, in two
 * kinds: those the parser finds valid (a fifth of the corpus when it is
 * present, about 240 files; else the project's fixtures) and those with a
 * syntax error (every one of the corpus's, about 70, else the fixtures').
 * The two take different paths through the parser: valid declarations are
 * parsed straight to the tree (syntax/valid-parse.ts), a broken one goes
 * through chevrotain's error recovery, which costs several times as much
 * for the same size. Against valid files alone, the corpus's own broken
 * files measured up to 3.9 x (3 of 1,261 above 3 x).
 */
function bySize(): { valid: Sized[]; erroneous: Sized[] } {
  if (bySizeCache !== undefined) return bySizeCache;
  const { texts } = realTexts(5);
  const corpus = findCorpus();
  const broken = corpus
    ? loadCorpus(corpus).map((e) => readFileSync(e.path, 'utf8'))
    : [...vclFilesUnder(path.join(projectRoot, 'test/fixtures'))].map((f) => readFileSync(f, 'utf8'));
  const sized = (list: string[]): Sized[] => list.map((text) => ({ size: text.length, text, perKb: msPerKb(text, 5) })).sort((a, b) => a.size - b.size);
  const erroneous = broken.filter((t) => t.length > 0 && hasSyntaxErrors(t));
  for (const t of erroneous) lintText(t);
  // The sample is part of the files just sorted (or, without the corpus, of the fixtures plus a valid one).
  const brokenTexts = new Set(erroneous);
  return (bySizeCache = { valid: sized(texts.filter((t) => !brokenTexts.has(t))), erroneous: sized(erroneous) });
}

/**
 * The median ms/KB of the {@link NEAR_FILES} real files nearest in size to
 * an input of `size` characters (nearest by ratio of sizes), timed again
 * (best of five) when `again`. This is the yardstick for a fuzzer's input:
 * below a kilobyte an analysis is mostly its fixed cost plus what the
 * content asks for, so a rich 900-byte file costs three to five times a
 * 150-byte one (the all-sizes median) whatever it holds, and so do 3% of
 * the corpus's own files. Against files of its own size, an input that is
 * dearer than real ones shows as such at every size.
 *
 * For an input with a syntax error (`erroneous`) the yardstick is the
 * dearer of that median and the same over real files with a syntax error
 * (see {@link bySize}): broken declarations go through chevrotain's
 * recovery, but the corpus's broken files are all small (nine in ten under
 * 150 bytes), so for a larger input the nearest of them are far smaller.
 */
export function nearMedianMsPerKb(size: number, again = false, erroneous = false): number {
  const kinds = bySize();
  const valid = nearMedian(kinds.valid, size, again);
  return erroneous && kinds.erroneous.length > 0 ? Math.max(valid, nearMedian(kinds.erroneous, size, again)) : valid;
}

/** The median ms/KB of the files of `files` (sorted by size) nearest to `size`. */
function nearMedian(files: Sized[], size: number, again: boolean): number {
  const k = Math.min(NEAR_FILES, files.length);
  const distance = (s: number) => Math.abs(Math.log(Math.max(1, s) / Math.max(1, size)));
  // The k nearest form one run of the size-sorted list: grow it from the first file not smaller.
  let lo = files.findIndex((f) => f.size >= size);
  if (lo === -1) lo = files.length;
  let hi = lo;
  while (hi - lo < k) {
    if (lo === 0) hi++;
    else if (hi === files.length) lo--;
    else if (distance(files[lo - 1]!.size) <= distance(files[hi]!.size)) lo--;
    else hi++;
  }
  const near = files.slice(lo, hi);
  if (again) for (const f of near) f.perKb = msPerKb(f.text, 5);
  const values = near.map((f) => f.perKb).sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)]!;
}

/** What {@link slowestInFreshProcess} found. */
export interface Slowest {
  /** How many texts were measured. */
  count: number;
  /** The text dearest against files of its size. */
  text: string;
  /** Its ms/KB (each input counted as at least 1 KB). */
  perKb: number;
  /** The median ms/KB of the real files nearest it in size ({@link nearMedianMsPerKb}; for an input with a syntax error, the dearer of all and of broken ones). */
  near: number;
  /** Whether it has a syntax error (its yardstick is then real files with one). */
  erroneous: boolean;
  /** The median ms/KB over real files of all sizes ({@link medianMsPerKb}). */
  median: number;
  /** The text's ms/KB over that median, the two measured one after the other. */
  againstMedian: number;
}

/**
 * The text `source` makes (a JavaScript expression that may use `fuzz`,
 * test/helpers/fuzz-inputs.ts) that is dearest per KB against real files of
 * its size, measured in a new node process (see {@link msPerKbInFreshProcess}).
 * Each text is timed best of five, the five dearest again best of fifteen
 * with their yardsticks timed again: on a shared machine a pause of the
 * process only ever adds time. The dearest is then timed three more times,
 * each right after its yardstick is measured again, and the lowest of the
 * three ratios counts: the machine's speed drifts over the seconds between
 * the first yardstick and the last text (the same text measured 3.9 and 5.1
 * times the median in two runs of the suite), and two measurements taken
 * together meet the same speed.
 */
export function slowestInFreshProcess(source: string): Slowest {
  const here = pathToFileURL(path.join(projectRoot, 'out/test/helpers/per-kb.js')).href;
  const fuzz = pathToFileURL(path.join(projectRoot, 'out/test/helpers/fuzz-inputs.js')).href;
  const code = `const m = await import(${JSON.stringify(here)});
const fuzz = await import(${JSON.stringify(fuzz)});
const texts = ${source};
// Both sides equally warm: every text analysed twice before anything is timed.
for (let i = 0; i < 2; i++) for (const t of texts) m.msPerKb(t);
const broken = new Map(texts.map((t) => [t, m.hasSyntaxErrors(t)]));
const ratio = (text, runs, again) => { const perKb = m.msPerKb(text, runs); const near = m.nearMedianMsPerKb(text.length, again, broken.get(text)); return { text, perKb, near, r: perKb / near }; };
const first = texts.map((text) => ratio(text, 5, false)).sort((a, b) => b.r - a.r);
let worst = first.slice(0, 5).map(({ text }) => ratio(text, 15, true)).sort((a, b) => b.r - a.r)[0];
for (let r = 0; r < 3; r++) {
  const again = ratio(worst.text, 15, true);
  if (again.r < worst.r) worst = again;
}
// For the record, the same text against the median of all sizes, the two measured together.
const median = m.medianMsPerKb().value;
const all = m.msPerKb(worst.text, 15);
process.stdout.write(JSON.stringify({ count: texts.length, text: worst.text, perKb: worst.perKb, near: worst.near, erroneous: broken.get(worst.text), median, againstMedian: all / median }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`measuring process failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Slowest;
}
