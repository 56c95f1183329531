// `npm test`: the suite in two phases, then one summary.
//
// Part of the suite's wall time is waiting (live varnishd and backends,
// debounce timers), and most of the rest is compiler processes that use
// both cores. So phase 1 runs every test file except the timing ones in
// mocha's parallel mode (TEST_JOBS workers, three by default; files handed
// out as workers free up, the longest first). Phase 2 runs, alone and in one process,
// the files that compare two timings of the tool (time per KB against a
// median, growth with input size): another test running beside them would
// slow one measurement and not the other.
//
// Arguments are passed to both mocha runs (e.g. `npm test -- --grep x`).
// The last lines are the totals of both phases, in mocha's own words
// ("N passing", "N failing", "N pending"), which .ci/run counts.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');

/**
 * The test files whose assertions compare two timings of the tool (time per
 * KB against a median measured beside it, growth with the input's size):
 * they run alone, after the rest. Tests with an absolute budget far above
 * what they measure (include chains: about 1 s against 5 to 15 s) stay in
 * the parallel phase.
 */
const TIMING = ['out/test/unit/scale-input.test.js', 'out/test/unit/parser-robustness.test.js', 'out/test/unit/regex-linear.test.js'];

/**
 * The longest files (a run on a 2-core machine), started first so that the
 * workers finish together instead of one of them ending on a long file
 * alone; the rest follow in name order.
 */
const LONGEST = [
  'out/test/varnishd/format-equivalence.test.js',
  'out/test/varnishd/corpus-fixes.test.js',
  'out/test/params/params-differential.test.js',
  'out/test/unit/include-scale.test.js',
  'out/test/live/varnishlog-doctor.test.js',
  'out/test/varnishd/release-cases.test.js',
  'out/test/cli/cli.test.js',
  'out/test/cli/jobs.test.js',
  'out/test/live/resp-buffer-503.test.js',
  'out/test/server/trust.test.js',
  'out/test/cli/include-graph-fuzz.test.js',
  'out/test/live/varnishlog-fix-replay.test.js',
  'out/test/varnishd/oracle.test.js',
  'out/test/varnishd/mutants.test.js',
  'out/test/live/probe-connection-close.test.js',
  'out/test/unit/incremental-parse.test.js',
  'out/test/unit/kept-findings.test.js',
  'out/test/params/readers.test.js',
  'out/test/packaging/ci-integrations.test.js',
];

function testFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'e2e') out.push(...testFiles(p));
    } else if (name.endsWith('.test.js')) out.push(relative(root, p));
  }
  return out;
}

// .mocharc.json's settings, without its `spec` (mocha would add it to the files named here).
const config = JSON.parse(readFileSync(join(root, '.mocharc.json'), 'utf8'));
const settings = ['--no-config', ...config.require.flatMap((r) => ['--require', r]), '--timeout', String(config.timeout), '--reporter', config.reporter];

/** Runs mocha with `args`, passing its output through; resolves to its exit code and its counts. */
function mocha(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'node_modules/mocha/bin/mocha.js'), ...settings, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let tail = '';
    child.stdout.on('data', (chunk) => {
      // TEST_TIMES=1: when each piece of output came (in parallel mode, a file's whole output comes when it ends).
      if (process.env['TEST_TIMES'] === '1') process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${chunk.toString('utf8').split('\n').find((l) => l.trim()) ?? ''}\n`);
      process.stdout.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-4000);
    });
    child.on('close', (code, signal) => {
      const count = (word) => Number([...tail.matchAll(new RegExp(`^ {2}(\\d+) ${word}`, 'gm'))].pop()?.[1] ?? 0);
      resolve({ code: code ?? (signal ? 1 : 0), passing: count('passing'), failing: count('failing'), pending: count('pending') });
    });
  });
}

const started = Date.now();
const extra = process.argv.slice(2);
/** Workers of phase 1: more than the cores, as most of a test file's time is waiting. */
const JOBS = Number(process.env['TEST_JOBS'] ?? 3);
const all = testFiles(join(root, 'out/test'));
const timing = TIMING.filter((f) => all.includes(f));
const rest = [...LONGEST.filter((f) => all.includes(f)), ...all.filter((f) => !timing.includes(f) && !LONGEST.includes(f))];
const phases = [await mocha(['--parallel', '--jobs', String(JOBS), ...extra, ...rest])];
if (timing.length) phases.push(await mocha([...extra, ...timing]));
const sum = (k) => phases.reduce((n, p) => n + p[k], 0);
const failed = phases.some((p) => p.code !== 0);
process.stdout.write(`\nBoth phases (${rest.length} files in parallel, then ${timing.length} timing files alone), ${Math.round((Date.now() - started) / 1000)} s:\n`);
process.stdout.write(`  ${sum('passing')} passing\n`);
if (sum('pending')) process.stdout.write(`  ${sum('pending')} pending\n`);
// A run that failed without a mocha "failing" line (it could not start) still counts as one failure.
const failing = sum('failing') || (failed ? 1 : 0);
if (failing) process.stdout.write(`  ${failing} failing\n`);
process.exit(failed ? 1 : 0);
