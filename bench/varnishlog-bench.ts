/**
 * The 503 doctor on a large capture (`npm run bench` runs it after the
 * editor benchmark; alone: `node out/bench/varnishlog-bench.js [--quick]`).
 *
 * A capture of about 100 MB is made at bench time in a temporary folder by
 * appending the real captures of test/fixtures/varnishlog/ (every release
 * and grouping) one after the other, a blank line apart, as dumps appended
 * to one file would be. Each run is a fresh process that does what
 * `vcl-lint --format json --varnishlog FILE` does (varnishlog-run.ts calls
 * the CLI's runCli), so a run's wall time includes starting Node and
 * loading the engine, and its peak memory is the kernel's count for the
 * whole process. Budget (issue: 503 doctor): under 5 s and under 300 MB.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { int, median, ms, table } from './report.js';

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(here, '../..');
const FIXTURES = join(projectRoot, 'test/fixtures/varnishlog');
const RUNNER = join(here, 'varnishlog-run.js');

/** The issue's budget for a 100 MB capture. */
export const BUDGET = { seconds: 5, megabytes: 300 };

/** Writes a capture of at least `bytes` bytes made of the real fixtures; returns its size and how many fixtures it holds. */
export function writeLargeCapture(path: string, bytes: number): { bytes: number; copies: number } {
  const parts = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.varnishlog'))
    .sort()
    .map((f) => readFileSync(join(FIXTURES, f)));
  const fd = openSync(path, 'w');
  let written = 0;
  let copies = 0;
  try {
    while (written < bytes) {
      const part = parts[copies % parts.length]!;
      written += writeSync(fd, part);
      written += writeSync(fd, '\n');
      copies++;
    }
  } finally {
    closeSync(fd);
  }
  return { bytes: written, copies };
}

function countLines(bytes: Buffer): number {
  let n = 0;
  for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) n++;
  return n;
}

/** One run: wall milliseconds (process start to exit), the process's peak RSS in MB, and what it found. */
interface Run {
  wallMs: number;
  peakMb: number;
  status: number;
  diagnostics: number;
}

function runOnce(file: string): Run {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [RUNNER, file], { encoding: 'utf8', timeout: 120_000 });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error || r.status === null) throw new Error(`varnishlog run failed: ${r.error?.message ?? `signal ${r.signal}`}`);
  const report = JSON.parse(r.stdout.trim().split('\n').pop()!) as { status: number; maxRssKb: number; diagnostics: number };
  return { wallMs, peakMb: report.maxRssKb / 1024, status: report.status, diagnostics: report.diagnostics };
}

/** Runs the benchmark and prints its table; returns the medians. */
export function runVarnishlogBench(quick: boolean): { wallMs: number; peakMb: number } {
  console.log('## 6. varnishlog capture of 100 MB (vcl-lint --varnishlog)');
  console.log('');
  const dir = mkdtempSync(join(tmpdir(), 'vcl-bench-varnishlog-'));
  try {
    const file = join(dir, 'large.varnishlog');
    const made = writeLargeCapture(file, 100 * 1000 * 1000);
    const lines = countLines(readFileSync(file));
    const runs = quick ? 2 : 5;
    runOnce(file); // warm-up: the file into the page cache, Node's code cache
    const results: Run[] = [];
    for (let i = 0; i < runs; i++) results.push(runOnce(file));
    const walls = results.map((r) => r.wallMs).sort((a, b) => a - b);
    const peaks = results.map((r) => r.peakMb).sort((a, b) => a - b);
    const mb = (v: number): string => `${v.toFixed(0)} MB`;
    console.log(`${int(made.bytes)} bytes, ${int(lines)} lines: ${made.copies} real captures appended; ${runs} runs after a warm-up, each a fresh process.`);
    console.log('');
    table(
      ['figure', 'median', 'min', 'max', 'budget', 'met'],
      [
        ['wall time (process start to exit)', ms(median(walls)), ms(walls[0]!), ms(walls[walls.length - 1]!), `< ${BUDGET.seconds} s`, median(walls) < BUDGET.seconds * 1000 ? 'yes' : 'NO'],
        ['peak RSS', mb(median(peaks)), mb(peaks[0]!), mb(peaks[peaks.length - 1]!), `< ${BUDGET.megabytes} MB`, median(peaks) < BUDGET.megabytes ? 'yes' : 'NO'],
      ],
    );
    console.log(`(${results[0]!.diagnostics} diagnostics, exit status ${results[0]!.status}.)`);
    console.log('');
    return { wallMs: median(walls), peakMb: median(peaks) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) runVarnishlogBench(process.argv.includes('--quick'));
