/**
 * Memory while editing (`npm run bench` runs it after the 503 doctor's
 * benchmark; alone: `node --expose-gc out/bench/memory-bench.js [--quick]`).
 *
 * A document of 20,000 lines (bench/fixtures/realistic-2000.vcl, then its
 * subs again under other names until the count is reached) is opened in a
 * Project, as the language server holds it, and edited one character at a
 * time inside `vcl_recv`, 1,000 times; after each edit its diagnostics are
 * made, as the server's debounced lint does. The heap is read after a
 * forced collection once the document is open and after the edits: the
 * issue's budget is at most 1.25 times the first. The parent bench starts
 * this file in its own process with `--expose-gc`, so that the heap holds
 * nothing but this document's analysis.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Project } from '../server/src/service/project.js';
import { median, ms, table } from './report.js';

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(here, '../..');

/** The budget: heap after the edits over heap after opening. */
export const HEAP_RATIO_BUDGET = 1.25;

/** realistic-2000.vcl, then its subs renamed (`name_2`, calls too) until the text has `lines` lines. */
export function bigDocument(lines: number): string {
  const base = readFileSync(join(projectRoot, 'bench/fixtures/realistic-2000.vcl'), 'utf8');
  const subs = base.slice(base.indexOf('\nsub '));
  let text = base;
  for (let k = 2; text.split('\n').length < lines; k++) {
    text += subs.replace(/\bsub (\w+)/g, (m, n: string) => (n.startsWith('vcl_') ? m : `sub ${n}_${k}`)).replace(/\bcall (\w+);/g, (_, n: string) => `call ${n}_${k};`);
  }
  return text;
}

function heapMB(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / (1024 * 1024);
}

/** Opens, edits and measures; prints one Markdown table. */
function measureHere(edits: number): void {
  const text = bigDocument(20_000);
  const project = new Project();
  project.start({ folders: [], includePaths: [], vmodPath: [], trusted: false });
  const uri = 'file:///bench/memory/big.vcl';
  let doc = TextDocument.create(uri, 'vcl', 1, text);
  project.update(doc);
  project.analysis(uri)!.diagnostics();
  const open = heapMB();
  const at = text.indexOf('sub vcl_recv {') + 'sub vcl_recv {'.length;
  const times: number[] = [];
  for (let v = 2; v <= edits + 1; v++) {
    // Typing and deleting one character in turn, inside vcl_recv.
    const pos = doc.positionAt(at);
    const change = v % 2 === 0 ? { range: { start: pos, end: pos }, text: ' ' } : { range: { start: pos, end: doc.positionAt(at + 1) }, text: '' };
    doc = TextDocument.update(doc, [change], v);
    const t0 = performance.now();
    project.update(doc);
    project.analysis(uri)!.diagnostics();
    times.push(performance.now() - t0);
  }
  const after = heapMB();
  const sorted = [...times].sort((a, b) => a - b);
  const exposed = typeof (globalThis as { gc?: unknown }).gc === 'function';
  console.log(`${text.split('\n').length} lines, ${edits} one-character edits in vcl_recv, diagnostics after each${exposed ? '' : ' (run without --expose-gc: heap figures include garbage)'}.`);
  console.log('');
  table(
    ['heap after open', `heap after ${edits} edits`, 'ratio', 'budget', 'edit → diagnostics (median)', 'p90'],
    [[`${open.toFixed(1)} MB`, `${after.toFixed(1)} MB`, (after / open).toFixed(2), `≤ ${HEAP_RATIO_BUDGET}`, ms(median(sorted)), ms(sorted[Math.floor(sorted.length * 0.9)]!)]],
  );
}

/** Runs the measurement in a fresh process with --expose-gc (see the file's comment). */
export function runMemoryBench(quick: boolean): void {
  console.log('## 7. Memory while editing a 20,000-line document');
  console.log('');
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', ...(quick ? ['--quick'] : [])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(r.stdout);
  if (r.status !== 0) console.log(`(the measuring process failed with status ${r.status})`);
  console.log('');
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const quick = process.argv.includes('--quick');
  if (process.argv.includes('--child')) measureHere(quick ? 200 : 1000);
  else runMemoryBench(quick);
}
