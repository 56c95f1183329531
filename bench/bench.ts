/**
 * Performance benchmark of the lint engine (`npm run bench`).
 *
 * Measures lintText (parse + every rule) on
 *   1. every file of the conformance corpus (when it is found),
 *   2. bench/fixtures/realistic-2000.vcl, a 2,000-line production-style file
 *      (and completion and hover on it, as the language server answers them),
 *   3. generated 10k and 100k line programs, to show the cost is linear,
 *   4. and compares with `varnishd -C` on the same files (when installed).
 * Prints one table per part. Options:
 *   --no-varnishd   skip part 4
 *   --quick         fewer runs (for a smoke test; numbers are noisier)
 *   --per-file      also print every corpus file's time
 * Run with `node --expose-gc` to collect garbage before each series.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintText, programModel, vmodResolverFor } from '../server/src/service/lint.js';
import { vclCompletions } from '../server/src/service/vcl-completion.js';
import { vclHover } from '../server/src/service/vcl-features.js';
import { vmodHover } from '../server/src/service/vcl-vmod-hover.js';
import { vmodScope } from '../server/src/service/vmod-scope.js';
import { headerNamesIn } from '../server/src/service/header-names.js';
import { clearParseCache } from '../server/src/syntax/parse.js';

/** A first analysis: nothing of the text parsed before. */
function lintCold(text: string): unknown {
  clearParseCache();
  return lintText(text);
}
import { findCorpus, loadCorpus, type CorpusEntry } from '../test/conformance/corpus.js';

const args = new Set(process.argv.slice(2));
const QUICK = args.has('--quick');
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const REALISTIC = join(projectRoot, 'bench/fixtures/realistic-2000.vcl');
const VARNISHD_CANDIDATES = [process.env['VARNISHD'], '/usr/sbin/varnishd', '/usr/local/sbin/varnishd'];

// ---------------------------------------------------------------------------
// Timing helpers
// ---------------------------------------------------------------------------

const gc = (globalThis as { gc?: () => void }).gc;

/** Milliseconds taken by one call of fn. */
function timeOnce(fn: () => unknown): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Runs fn `warmup` times untimed, then `runs` times timed; returns the times, sorted. */
function measure(fn: () => unknown, warmup: number, runs: number): number[] {
  for (let i = 0; i < warmup; i++) fn();
  gc?.();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push(timeOnce(fn));
  return out.sort((a, b) => a - b);
}

/** The q-quantile (0..1) of sorted values, nearest rank. */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}
const median = (s: readonly number[]): number => {
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function ms(v: number): string {
  if (!Number.isFinite(v)) return '-';
  if (v < 1) return `${v.toFixed(3)} ms`;
  if (v < 100) return `${v.toFixed(2)} ms`;
  return `${v.toFixed(0)} ms`;
}
function us(v: number): string {
  return `${(v * 1000).toFixed(2)} µs`;
}
function times(v: number): string {
  return v >= 10 ? `${v.toFixed(0)}×` : `${v.toFixed(1)}×`;
}
function int(v: number): string {
  return v.toLocaleString('en-US');
}

/** Prints rows as a Markdown table (so it can be pasted into docs/performance.md). */
function table(head: string[], rows: string[][]): void {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join(' | ') + ' |';
  console.log(line(head));
  console.log('|' + w.map((n, i) => (i === 0 ? '-'.repeat(n + 2) : '-'.repeat(n + 1) + ':')).join('|') + '|');
  for (const r of rows) console.log(line(r));
  console.log('');
}

function lineCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return text.length > 0 && !text.endsWith('\n') ? n + 1 : n;
}

// ---------------------------------------------------------------------------
// Generated programs (part 3)
// ---------------------------------------------------------------------------

/**
 * A valid VCL program of exactly `target` lines: a backend with a probe and
 * numbered client-side and backend-side subroutines, each called once from
 * vcl_recv or vcl_backend_response (varnishd refuses unused subroutines).
 */
export function generateProgram(target: number): string {
  const head = [
    '# Generated by bench/bench.ts: repeated subroutines with distinct names.',
    'vcl 4.1;',
    '',
    'import std;',
    '',
    'probe gen_probe {',
    '    .url = "/health";',
    '    .interval = 5s;',
    '    .timeout = 1s;',
    '}',
    '',
    'backend gen_origin {',
    '    .host = "127.0.0.1";',
    '    .port = "8080";',
    '    .probe = gen_probe;',
    '}',
    '',
  ];
  const recvBlock = (n: number): string[] => [
    `# Section ${n}: routing and cookie rules.`,
    `sub recv_section_${n} {`,
    `    if (req.url ~ "^/section-${n}/") {`,
    `        set req.http.X-Section = "${n}";`,
    `        if (req.http.Cookie ~ "session_${n}=") {`,
    '            return (pass);',
    '        } elsif (req.url ~ "\\.(css|js|png|svg)(\\?.*)?$") {',
    '            unset req.http.Cookie;',
    '        } else {',
    `            set req.http.X-Section-Path = regsub(req.url, "^/section-${n}", "");`,
    '        }',
    `    } elsif (req.http.Host == "s${n}.example.com" && req.method == "GET") {`,
    `        set req.url = "/section-${n}" + req.url;`,
    '    }',
    '}',
    '',
  ];
  const beBlock = (n: number): string[] => [
    `sub ttl_section_${n} {`,
    `    if (bereq.url ~ "^/section-${n}/" && beresp.status == 200) {`,
    `        set beresp.ttl = ${(n % 60) + 1}m;`,
    '        set beresp.grace = 1h;',
    `        set beresp.http.X-Section-Ttl = "${n}";`,
    '    } elsif (beresp.http.Cache-Control ~ "private") {',
    '        set beresp.uncacheable = true;',
    '    }',
    '}',
    '',
  ];
  const body: string[] = [];
  const recvCalls: string[] = [];
  const beCalls: string[] = [];
  // Per block pair: 16 + 10 lines, plus one call line each.
  const perPair = recvBlock(0).length + beBlock(0).length + 2;
  const fixed = head.length + 3 + 3 + 2; // vcl_recv {..} and vcl_backend_response {..} wrappers, trailing comment
  const pairs = Math.max(1, Math.floor((target - fixed) / perPair));
  for (let n = 1; n <= pairs; n++) {
    body.push(...recvBlock(n), ...beBlock(n));
    recvCalls.push(`    call recv_section_${n};`);
    beCalls.push(`    call ttl_section_${n};`);
  }
  const lines = [
    ...head,
    ...body,
    'sub vcl_recv {',
    ...recvCalls,
    '}',
    '',
    'sub vcl_backend_response {',
    ...beCalls,
    '}',
  ];
  while (lines.length < target) lines.push('# padding');
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------
// varnishd -C (part 4)
// ---------------------------------------------------------------------------

function findVarnishd(): string | undefined {
  return VARNISHD_CANDIDATES.find((c): c is string => !!c && existsSync(c));
}

/**
 * Times one `varnishd -C` (wall clock, including process start and the C
 * compiler it runs). Each run gets its own fresh -n directory, as varnishd
 * requires when it drops privileges.
 */
function runVarnishd(varnishd: string, parent: string, file: string, extra: string[], seq: number): { ms: number; ok: boolean; message: string } {
  const nDir = join(parent, `n${seq}`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(varnishd, ['-C', ...extra, '-f', file, '-n', nDir], { encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
  const t = Number(process.hrtime.bigint() - t0) / 1e6;
  rmSync(nDir, { recursive: true, force: true });
  const ok = r.status === 0;
  const message = ok ? '' : (r.error?.message ?? (r.stderr ?? '').split('\n').filter((l) => l && !/^(vcl_boot|Could not delete)/.test(l)).slice(0, 3).join(' / '));
  return { ms: t, ok, message };
}

/** Evenly spaced pick of n items. */
function sample<T>(xs: readonly T[], n: number): T[] {
  if (xs.length <= n) return [...xs];
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(xs[Math.floor(((i + 0.5) * xs.length) / n)]!);
  return out;
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

function main(): void {
  const started = performance.now();
  console.log('# vcl-lint benchmark');
  console.log('');
  console.log(`node ${process.version}, ${cpus().length} CPU(s): ${cpus()[0]?.model ?? 'unknown'}${gc ? ', --expose-gc' : ''}${QUICK ? ', --quick' : ''}`);
  console.log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other busy processes make every number here larger)`);
  console.log('');

  // Warm the engine up on something that exercises most paths.
  const realistic = readFileSync(REALISTIC, 'utf8');
  for (let i = 0; i < (QUICK ? 5 : 30); i++) lintText(realistic);

  // ---- 1. corpus ---------------------------------------------------------
  const corpusRoot = findCorpus();
  const lintMedianByPath = new Map<string, number>();
  console.log('## 1. Corpus files');
  console.log('');
  if (!corpusRoot) {
    console.log('corpus not found (set VCL_CORPUS_DIR or put it at ../shared/corpus): corpus benchmark not run');
    console.log('');
  } else {
    const entries = loadCorpus(corpusRoot);
    const files = entries.map((e) => ({ e, text: readFileSync(e.path, 'utf8') }));
    const bytesOf = (s: string): number => Buffer.byteLength(s, 'utf8');
    for (const f of files) lintText(f.text); // one untimed pass over everything
    const runs = QUICK ? 3 : 5;
    const results = files.map((f) => {
      const t = median(measure(() => lintCold(f.text), 1, runs));
      lintMedianByPath.set(f.e.path, t);
      return { e: f.e, bytes: bytesOf(f.text), lines: lineCount(f.text), t };
    });
    const row = (label: string, rs: typeof results): string[] => {
      const ts = rs.map((r) => r.t).sort((a, b) => a - b);
      const bytes = rs.reduce((s, r) => s + r.bytes, 0);
      const lines = rs.reduce((s, r) => s + r.lines, 0);
      const total = ts.reduce((s, t) => s + t, 0);
      return [label, int(rs.length), int(lines), int(bytes), ms(median(ts)), ms(quantile(ts, 0.95)), ms(ts[ts.length - 1]!), ms(total), `${(bytes / 1e6 / (total / 1000)).toFixed(2)}`];
    };
    console.log(`Each file: median of ${runs} lintText runs after warm-up. Throughput = total bytes / sum of per-file medians.`);
    console.log('');
    table(
      ['files', 'count', 'lines', 'bytes', 'median/file', 'p95/file', 'max/file', 'sum', 'MB/s'],
      [
        row('all', results),
        row('vtc (Varnish test suite)', results.filter((r) => r.e.name.startsWith('vtc/'))),
        row('real (production)', results.filter((r) => r.e.name.startsWith('real/'))),
      ],
    );
    if (args.has('--per-file')) {
      table(['file', 'lines', 'bytes', 'median'], results.map((r) => [r.e.name, int(r.lines), int(r.bytes), ms(r.t)]));
    }
    const slowest = [...results].sort((a, b) => b.t - a.t).slice(0, 5);
    console.log('Slowest files:');
    console.log('');
    table(['file', 'lines', 'bytes', 'median', 'µs/line'], slowest.map((r) => [r.e.name, int(r.lines), int(r.bytes), ms(r.t), us(r.t / r.lines)]));
  }

  // ---- 2. realistic 2,000-line file ----------------------------------------
  console.log('## 2. Realistic 2,000-line file');
  console.log('');
  const realRuns = QUICK ? 50 : 200;
  const realLines = lineCount(realistic);
  const diagnostics = lintText(realistic).length;
  // An editor re-analyses after each keystroke: one line of one sub changes.
  const anchor = realistic.indexOf('set req.http.X-Bench-Edit');
  const editLine = anchor >= 0 ? anchor : realistic.indexOf('set req.http.');
  let edit = 0;
  const edited = () => {
    edit++;
    return `${realistic.slice(0, editLine)}set req.http.X-Edit-${edit % 1000} = "${edit}";\n    ${realistic.slice(editLine)}`;
  };
  // As the language server does: the document's path names it, so its previous version is reused.
  const doc = { path: join(tmpdir(), 'bench-realistic-2000.vcl') };
  // Editor requests do what the server does for them: the program's model
  // (declarations parsed before are reused), the vmods, then the answer.
  const resolveVmod = vmodResolverFor([]);
  const complete = (text: string, offset: number) => {
    const program = programModel(text, {});
    return vclCompletions(text, offset, { model: program.model, scope: vmodScope(program.model, resolveVmod), headerNames: () => headerNamesIn([{ path: REALISTIC, text }]) });
  };
  const typing = () => {
    // The user has just typed `set req.http.` on a new line of a sub.
    const text = edited();
    const at = text.indexOf('\n', text.indexOf('set req.http.X-Edit-'));
    const typed = `${text.slice(0, at)}\n    set req.http.${text.slice(at)}`;
    return complete(typed, at + '\n    set req.http.'.length);
  };
  const hoverAt = realistic.indexOf('std.querysort(') + 5;
  const hover = () => {
    const program = programModel(realistic, {});
    return vmodHover(program.model, program.selfId, vmodScope(program.model, resolveVmod), hoverAt) ?? vclHover(program.model, program.selfId, hoverAt);
  };
  const scenarios: Array<[string, () => unknown, string, number]> = [
    ['re-analysis after a one-line edit', () => lintText(edited(), doc), '< 5 ms median', 5],
    ['re-analysis, text unchanged', () => lintText(realistic, doc), '', 0],
    ['first analysis (nothing cached)', () => lintCold(realistic), '', 0],
    ['completion while typing (header names)', typing, '< 20 ms median', 20],
    ['hover on a vmod function', hover, '< 20 ms median', 20],
  ];
  const rows: string[][] = [];
  let editMedian = Infinity;
  let coldMedian = Infinity;
  for (const [label, fn, target, limit] of scenarios) {
    const t = measure(fn, 10, realRuns);
    const m = median(t);
    if (label.startsWith('re-analysis after')) editMedian = m;
    if (label.startsWith('first')) coldMedian = m;
    rows.push([label, int(realLines), String(realRuns), ms(m), ms(quantile(t, 0.95)), ms(t[0]!), target || '-', target ? (m < limit ? 'yes' : 'NO') : '-']);
  }
  void editMedian;
  // varnishd compiles from nothing, so it is compared with a first analysis.
  const realMedian = coldMedian;
  table(['bench/fixtures/realistic-2000.vcl', 'lines', 'runs', 'median', 'p95', 'min', 'target', 'met'], rows);
  console.log(`(${diagnostics} diagnostic(s) on this file; varnishd accepts it.)`);
  console.log('');

  // ---- 3. linear cost ----------------------------------------------------------
  console.log('## 3. Generated 10k and 100k line programs');
  console.log('');
  const sizes: Array<{ label: string; lines: number; warmup: number; runs: number }> = [
    { label: '2k (generated)', lines: 2_000, warmup: 5, runs: QUICK ? 10 : 30 },
    { label: '10k', lines: 10_000, warmup: 3, runs: QUICK ? 5 : 15 },
    { label: '100k', lines: 100_000, warmup: 1, runs: QUICK ? 2 : 5 }, // warm-up matters: the first run grows the heap
  ];
  const gen: Record<string, number> = {};
  const genRows: string[][] = [];
  for (const s of sizes) {
    const text = generateProgram(s.lines);
    const ts = measure(() => lintCold(text), s.warmup, s.runs);
    const m = median(ts);
    gen[s.label] = m;
    const lines = lineCount(text);
    const diags = lintText(text).length;
    genRows.push([s.label, int(lines), int(Buffer.byteLength(text)), String(s.runs), ms(m), ms(quantile(ts, 0.95)), us(m / lines), `${(Buffer.byteLength(text) / 1e6 / (m / 1000)).toFixed(2)}`, String(diags)]);
  }
  table(['program', 'lines', 'bytes', 'runs', 'median', 'p95', 'per line', 'MB/s', 'diagnostics'], genRows);
  const ratio = gen['100k']! / gen['10k']!;
  console.log(`time(100k) / time(10k) = ${ratio.toFixed(2)} (linear cost gives ~10; target: linear)`);
  console.log('');

  // ---- 4. varnishd -C ------------------------------------------------------------
  console.log('## 4. Against varnishd -C');
  console.log('');
  const varnishd = args.has('--no-varnishd') ? undefined : findVarnishd();
  if (!varnishd) {
    console.log(args.has('--no-varnishd') ? 'varnishd comparison skipped (--no-varnishd)' : 'varnishd not found: comparison with varnishd -C not run');
    console.log('');
  } else {
    const vRuns = QUICK ? 2 : 5;
    const parent = mkdtempSync(join(tmpdir(), 'vcl-bench-'));
    chmodSync(parent, 0o755);
    let seq = 0;
    try {
      // varnishd drops privileges: give it a world-readable copy of the fixture.
      const realCopy = join(parent, 'realistic-2000.vcl');
      copyFileSync(REALISTIC, realCopy);
      chmodSync(realCopy, 0o644);
      // One untimed run warms the disk cache (varnishd, cc, vmods, headers).
      runVarnishd(varnishd, parent, realCopy, [], seq++);
      const timeVarnishd = (file: string, extra: string[]): { median: number; error?: string } => {
        const first = runVarnishd(varnishd, parent, file, extra, seq++); // also checks that varnishd accepts it here
        if (!first.ok) return { median: NaN, error: first.message };
        const ts: number[] = [first.ms];
        for (let i = 1; i < vRuns; i++) ts.push(runVarnishd(varnishd, parent, file, extra, seq++).ms);
        return { median: median(ts.sort((a, b) => a - b)) };
      };

      const rows: string[][] = [];
      const sentences: string[] = [];
      const rv = timeVarnishd(realCopy, []);
      if (rv.error) {
        console.log(`varnishd -C refused the 2,000-line fixture: ${rv.error}`);
      } else {
        rows.push(['realistic-2000.vcl', int(realLines), ms(realMedian), ms(rv.median), times(rv.median / realMedian)]);
        sentences.push(`2,000-line file: vcl-lint is ${times(rv.median / realMedian)} faster than varnishd -C`);
      }

      if (corpusRoot) {
        const entries = loadCorpus(corpusRoot).filter((e: CorpusEntry) => e.varnishd.result === 'accept' && !e.needsUnixSockets && !e.fragment);
        const pick = [...sample(entries.filter((e) => e.name.startsWith('vtc/')), 22), ...entries.filter((e) => e.name.startsWith('real/'))];
        const ratios: number[] = [];
        const skipped: string[] = [];
        for (const e of pick) {
          const r = timeVarnishd(e.path, e.varnishdArgs ?? []);
          if (r.error) {
            skipped.push(`${e.name} (${r.error.slice(0, 100)})`);
            continue;
          }
          const text = readFileSync(e.path, 'utf8');
          const lt = lintMedianByPath.get(e.path) ?? median(measure(() => lintText(text), 3, 7));
          ratios.push(r.median / lt);
          rows.push([e.name, int(lineCount(text)), ms(lt), ms(r.median), times(r.median / lt)]);
        }
        if (ratios.length > 0) {
          const sr = [...ratios].sort((a, b) => a - b);
          sentences.push(`${ratios.length} corpus files: vcl-lint is ${times(median(sr))} faster than varnishd -C (median; slowest case ${times(sr[0]!)}, fastest ${times(sr[sr.length - 1]!)})`);
        }
        if (skipped.length > 0) sentences.push(`skipped (varnishd -C fails outside the test harness): ${skipped.join('; ')}`);
      }
      console.log(`varnishd: ${varnishd}; each file: median of ${vRuns} runs (wall clock, includes process start and the C compiler).`);
      console.log('');
      table(['file', 'lines', 'vcl-lint median', 'varnishd -C median', 'vcl-lint faster by'], rows);
      for (const s of sentences) console.log(s);
      console.log('');
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  }

  console.log(`load average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`bench finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  // Allow `node out/bench/bench.js --write-generated DIR` to dump the generated programs for checking with varnishd.
  const i = process.argv.indexOf('--write-generated');
  if (i > 0 && process.argv[i + 1]) {
    for (const n of [10_000, 100_000]) writeFileSync(join(process.argv[i + 1]!, `generated-${n}.vcl`), generateProgram(n));
  } else {
    main();
  }
}
