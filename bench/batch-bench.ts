/**
 * Many files in one CLI run (`npm run bench` runs it last; alone: `node out/bench/batch-bench.js [--quick]`).
 *
 * 10,000 VCL files are written at bench time to a temporary folder: copies,
 * in turn, of the corpus's programs when the corpus is found (else of the
 * project's own VCL fixtures), so the run has real programs of every size,
 * with and without errors. Each run is a whole `vcl-lint --format json DIR`
 * process (node start-up, walking the folder, reading, linting, output), on
 * one thread and on two (`--jobs 2`), the two alternated run by run; the
 * two outputs must be the same byte for byte. Budget (speed issue): under
 * 3 s for 10,000 files.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findCorpus, loadCorpus } from '../test/conformance/corpus.js';
import { int, median, ms, table } from './report.js';

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(here, '../..');
const CLI = join(projectRoot, 'dist/cli.cjs');

/** The budget for 10,000 files in one run. */
export const BUDGET_MS = 3000;

/** VCL files under `dir`, recursively, in a fixed order. */
function vclFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...vclFilesUnder(p));
    else if (name.endsWith('.vcl')) out.push(p);
  }
  return out;
}

/** Writes `count` VCL files to `dir`, copies of the corpus's programs (or the project's fixtures) in turn; says where they came from. */
export function writeManyFiles(dir: string, count: number): { sources: number; from: string } {
  const corpus = findCorpus();
  const sources = corpus ? loadCorpus(corpus).map((e) => e.path) : [...vclFilesUnder(join(projectRoot, 'test/fixtures')), ...vclFilesUnder(join(projectRoot, 'bench/fixtures'))];
  for (let i = 0; i < count; i++) copyFileSync(sources[i % sources.length]!, join(dir, `f${String(i).padStart(5, '0')}.vcl`));
  return { sources: sources.length, from: corpus ? 'the corpus' : "the project's VCL fixtures (corpus not found)" };
}

interface Run {
  ms: number;
  stdout: string;
  status: number | null;
}

function runCli(dir: string, jobs: number): Run {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, '--format', 'json', '--jobs', String(jobs), dir], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, stdout: r.stdout, status: r.status };
}

/** Prints the section; returns the one-thread median in ms. */
export function runBatchBench(quick: boolean): number {
  console.log('## 9. Many files in one run');
  console.log('');
  if (!existsSync(CLI)) {
    console.log('dist/cli.cjs not built: batch benchmark not run');
    return NaN;
  }
  const count = 10_000;
  const runs = quick ? 2 : 5;
  const dir = mkdtempSync(join(tmpdir(), 'vcl-batch-'));
  try {
    const made = writeManyFiles(dir, count);
    runCli(dir, 1); // warms the disk cache
    const times: Record<number, number[]> = { 1: [], 2: [] };
    let reference: Run | undefined;
    let identical = true;
    for (let i = 0; i < runs; i++) {
      for (const jobs of i % 2 === 0 ? [1, 2] : [2, 1]) {
        const r = runCli(dir, jobs);
        times[jobs]!.push(r.ms);
        reference ??= r;
        if (r.stdout !== reference.stdout || r.status !== reference.status) identical = false;
      }
    }
    const files = (JSON.parse(reference!.stdout) as { files: unknown[] }).files.length;
    console.log(`${int(count)} files, copies in turn of ${int(made.sources)} programs of ${made.from}; whole \`vcl-lint --format json DIR\` processes, ${runs} runs of each, alternated. Median (min–max).`);
    console.log('');
    const row = (label: string, ts: number[]): string[] => {
      const s = [...ts].sort((a, b) => a - b);
      const m = median(s);
      return [label, int(files), `${ms(m)} (${ms(s[0]!)}–${ms(s[s.length - 1]!)})`, `< ${BUDGET_MS / 1000} s`, m < BUDGET_MS ? 'yes' : 'NO'];
    };
    table(['threads', 'files linted', 'wall time', 'budget', 'met'], [row('1 (default)', times[1]!), row('2 (--jobs 2)', times[2]!)]);
    console.log(`outputs of every run the same byte for byte: ${identical ? 'yes' : 'NO'}`);
    return median([...times[1]!].sort((a, b) => a - b));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) runBatchBench(process.argv.includes('--quick'));
