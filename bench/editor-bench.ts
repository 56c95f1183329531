/**
 * Editor benchmark (`npm run bench` runs it after bench.ts; alone:
 * `node out/bench/editor-bench.js [--quick]`): drives the bundled
 * language server (dist/server.cjs) over stdio the way an editor does and
 * measures what a user waits for.
 *
 *   1. Diagnostics after the last keystroke on bench/fixtures/realistic-2000.vcl:
 *      bursts of keystrokes (one didChange each, 30 ms apart), then the time
 *      from sending the last didChange to the publishDiagnostics for that
 *      version. Reported including the server's debounce and without it
 *      (minus DEBOUNCE_MS): the 50 ms budget is for the part without it,
 *      that is the analysis, the JSON-RPC round trip and timer slack.
 *   2. Hover and completion round trips (request sent to answer received)
 *      on the same file and on a parameter file: median against a 20 ms budget.
 * Options: --quick (fewer runs).
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEBOUNCE_MS } from '../server/src/debounce.js';
import { LspHarness } from '../test/server/lsp-harness.js';
import { int, median, ms, quantile, table } from './report.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const REALISTIC = readFileSync(join(projectRoot, 'bench/fixtures/realistic-2000.vcl'), 'utf8');
const VCL_URI = 'file:///tmp/vcl-editor-bench/realistic-2000.vcl';
const PARAMS_URI = 'file:///tmp/vcl-editor-bench/etc/default/varnish';
const PARAMS = 'DAEMON_OPTS="-a :6081 -f /etc/varnish/default.vcl \\\n  -p http_resp_hdr_len=64k \\\n  -p http_resp_size=96k \\\n  -p workspace_backend=128k \\\n  -p thread_pool_\n"\n';

type Position = { line: number; character: number };

const sleep = (msec: number): Promise<void> => new Promise((done) => setTimeout(done, msec));

/** Milliseconds a promise takes to settle. */
async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Positions of the first `count` occurrences of each word, for hover and completion. */
function positionsOf(text: string, words: string[], count: number): Position[] {
  const lines = text.split('\n');
  const out: Position[] = [];
  for (const word of words) {
    let found = 0;
    for (let line = 0; line < lines.length && found < count; line++) {
      const character = lines[line]!.indexOf(word);
      if (character < 0) continue;
      out.push({ line, character: character + Math.min(word.length, 3) });
      found++;
    }
  }
  return out;
}

/** Sends `runs` requests cycling through `positions`; returns the sorted round-trip times and the size of the last answer. */
async function roundTrips(h: LspHarness, method: string, uri: string, positions: Position[], runs: number): Promise<{ times: number[]; items: number }> {
  const times: number[] = [];
  let items = 0;
  for (let i = 0; i < runs + 10; i++) {
    const position = positions[i % positions.length]!;
    let answer: unknown;
    const t = await timed(async () => (answer = await h.connection.sendRequest(method, { textDocument: { uri }, position })));
    if (i >= 10) times.push(t); // the first ten warm the server up
    items = Array.isArray(answer) ? answer.length : answer === null ? 0 : 1;
  }
  return { times: times.sort((a, b) => a - b), items };
}

/** Runs both parts and prints their tables; `quick`: fewer runs. */
export async function runEditorBench(QUICK: boolean): Promise<void> {
  const started = performance.now();
  console.log('# Editor benchmark (language server over stdio)');
  console.log('');
  console.log(`node ${process.version}, ${cpus().length} CPU(s): ${cpus()[0]?.model ?? 'unknown'}${QUICK ? ', --quick' : ''}`);
  console.log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log('');
  const { harness: h } = await LspHarness.start();
  try {
    let from = h.mark();
    await h.open(VCL_URI, REALISTIC, 1);
    await h.open(PARAMS_URI, PARAMS, 1, 'varnish-params');
    await h.waitForDiagnostics((p) => p.uri === VCL_URI && p.version === 1, from);
    await h.waitForDiagnostics((p) => p.uri === PARAMS_URI, from);

    // ---- 1. diagnostics after the last keystroke --------------------------
    console.log('## 1. Diagnostics after the last keystroke (realistic-2000.vcl)');
    console.log('');
    const bursts = QUICK ? 10 : 40;
    const keysPerBurst = 5;
    // Type into a comment line opened at the top of vcl_recv: every burst re-analyses the edited sub.
    const line = REALISTIC.slice(0, REALISTIC.indexOf('sub vcl_recv {')).split('\n').length;
    let version = 1;
    let column = 0;
    from = h.mark();
    await h.change(VCL_URI, ++version, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '    # \n' }]);
    await h.waitForDiagnostics((p) => p.uri === VCL_URI && p.version === version, from);
    column = '    # '.length;
    const withDebounce: number[] = [];
    for (let b = 0; b < bursts + 2; b++) {
      from = h.mark();
      let sentLast = 0;
      for (let k = 0; k < keysPerBurst; k++) {
        if (k > 0) await sleep(30);
        const at = { line, character: column++ };
        await h.change(VCL_URI, ++version, [{ range: { start: at, end: at }, text: 'x' }]);
        sentLast = performance.now();
      }
      const target = version;
      await h.waitForDiagnostics((p) => p.uri === VCL_URI && p.version === target, from);
      if (b >= 2) withDebounce.push(performance.now() - sentLast); // two warm-up bursts
    }
    withDebounce.sort((a, b) => a - b);
    const without = withDebounce.map((t) => t - DEBOUNCE_MS);
    table(
      ['last didChange -> publishDiagnostics', 'bursts', 'median', 'p95', 'min', 'budget', 'met'],
      [
        ['including the debounce', String(withDebounce.length), ms(median(withDebounce)), ms(quantile(withDebounce, 0.95)), ms(withDebounce[0]!), '-', '-'],
        [`without the debounce (minus ${DEBOUNCE_MS} ms)`, String(without.length), ms(median(without)), ms(quantile(without, 0.95)), ms(without[0]!), '< 50 ms median', median(without) < 50 ? 'yes' : 'NO'],
      ],
    );

    // ---- 2. hover and completion ------------------------------------------
    console.log('## 2. Hover and completion round trips');
    console.log('');
    const runs = QUICK ? 50 : 200;
    const vclHover = positionsOf(REALISTIC, ['req.url', 'beresp.ttl', 'req.http.', 'call ', 'std.'], 4);
    const vclCompletion = positionsOf(REALISTIC, ['set req.', 'return (', 'beresp.'], 4);
    const paramsLines = PARAMS.split('\n');
    const paramsCompletion = [{ line: 4, character: paramsLines[4]!.length }];
    const paramsHover = [1, 2, 3].map((line) => ({ line, character: paramsLines[line]!.indexOf('-p ') + 5 }));
    const rows: string[][] = [];
    for (const [label, method, uri, positions] of [
      ['hover, VCL (variables, calls, vmod functions)', 'textDocument/hover', VCL_URI, vclHover],
      ['completion, VCL', 'textDocument/completion', VCL_URI, vclCompletion],
      ['hover, parameter file', 'textDocument/hover', PARAMS_URI, paramsHover],
      ['completion, parameter file (after -p )', 'textDocument/completion', PARAMS_URI, paramsCompletion],
    ] as const) {
      const r = await roundTrips(h, method, uri, positions, runs);
      const m = median(r.times);
      rows.push([label, String(r.times.length), int(r.items), ms(m), ms(quantile(r.times, 0.95)), '< 20 ms median', m < 20 ? 'yes' : 'NO']);
    }
    // The first hover after an edit cannot reuse the analysis of the previous version.
    const afterEdit: number[] = [];
    for (let i = 0; i < runs / 2 + 5; i++) {
      const at = { line, character: column };
      await h.change(VCL_URI, ++version, [i % 2 === 0 ? { range: { start: at, end: at }, text: 'y' } : { range: { start: at, end: { line, character: column + 1 } }, text: '' }]);
      const t = await timed(() => h.connection.sendRequest('textDocument/hover', { textDocument: { uri: VCL_URI }, position: vclHover[i % vclHover.length]! }));
      if (i >= 5) afterEdit.push(t);
    }
    afterEdit.sort((a, b) => a - b);
    const m = median(afterEdit);
    rows.splice(1, 0, ['hover, VCL, first after an edit', String(afterEdit.length), '1', ms(m), ms(quantile(afterEdit, 0.95)), '< 20 ms median', m < 20 ? 'yes' : 'NO']);
    table(['request', 'runs', 'items (last answer)', 'median', 'p95', 'budget', 'met'], rows);
    console.log('"items": completion items, or 1 for a hover with content (0: no answer at that position).');
    console.log('');
  } finally {
    await h.shutdownAndExit().catch(() => undefined);
    h.dispose();
  }
  console.log(`load average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`editor bench finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) await runEditorBench(process.argv.includes('--quick'));
