/**
 * The language server's memory with many documents open (`npm run bench`
 * runs it after the memory benchmark; alone: `node out/bench/open-files-bench.js`).
 *
 * The bundled server (dist/server.cjs) is started over stdio as an editor
 * starts it, and 200 VCL documents of 500 lines each are opened one after
 * the other, each different (bench/fixtures/realistic-2000.vcl's subs under
 * names of their own, so no declaration is shared between documents; cut
 * at 500 lines, each has the unused-sub errors of a cut file); the
 * benchmark waits for each document's diagnostics before opening the next.
 * Then the server process's resident memory is read from the kernel
 * (/proc/PID/status: VmRSS now, VmHWM its peak). Budget (speed issue): RSS
 * under 200 MB with 200 open 500-line files.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LspHarness } from '../test/server/lsp-harness.js';
import { ms, table } from './report.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The budget. */
export const BUDGET_MB = 200;

/** A 500-line VCL document of its own: the fixture's head (backends, vcl_recv) and its subs renamed with `k` until 500 lines. */
export function documentNumber(k: number, lines = 500): string {
  const base = readFileSync(join(projectRoot, 'bench/fixtures/realistic-2000.vcl'), 'utf8');
  const renamed = base.replace(/\bsub (\w+)/g, (m, n: string) => (n.startsWith('vcl_') ? m : `sub ${n}_d${k}`)).replace(/\bcall (\w+);/g, (m, n: string) => (n.startsWith('vcl_') ? m : `call ${n}_d${k};`));
  const cut = renamed.split('\n').slice(0, lines);
  // End at a declaration's end: drop the unfinished last one, then add a closing line per open brace.
  let depth = 0;
  for (const line of cut) depth += (line.match(/\{/g)?.length ?? 0) - (line.match(/\}/g)?.length ?? 0);
  return `${cut.join('\n')}\n${'}\n'.repeat(Math.max(0, depth))}# document ${k}\n`;
}

/** Resident and peak memory of a process in MB, from /proc (Linux); undefined elsewhere. */
function memoryOf(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** Prints the section's table. */
export async function runOpenFilesBench(): Promise<void> {
  console.log('## 8. Server memory with 200 open 500-line documents');
  console.log('');
  const { harness: h } = await LspHarness.start();
  try {
    const pid = h.pid;
    const atStart = pid === undefined ? undefined : memoryOf(pid);
    if (!atStart) {
      console.log('/proc not readable here: server memory not measured');
      return;
    }
    const count = 200;
    const t0 = performance.now();
    let diagnostics = 0;
    for (let k = 0; k < count; k++) {
      const uri = `file:///tmp/vcl-open-bench/site-${k}.vcl`;
      const from = h.mark();
      const published = h.waitForDiagnostics((p) => p.uri === uri, from);
      await h.open(uri, documentNumber(k));
      diagnostics += (await published).diagnostics.length;
    }
    const openMs = performance.now() - t0;
    const after = memoryOf(pid!)!;
    console.log(`The bundled server over stdio; ${count} different documents of 500 lines opened one by one, each one's diagnostics awaited (${diagnostics} in all, after the server's debounce) before the next; memory of the server process from /proc/PID/status.`);
    console.log('');
    table(
      ['server process', 'RSS', 'peak RSS', 'budget', 'met'],
      [
        ['started, nothing open', `${atStart.rss.toFixed(0)} MB`, `${atStart.peak.toFixed(0)} MB`, '-', '-'],
        [`${count} documents open (${ms(openMs)} to open them all)`, `${after.rss.toFixed(0)} MB`, `${after.peak.toFixed(0)} MB`, `< ${BUDGET_MB} MB`, after.rss < BUDGET_MB ? 'yes' : 'NO'],
      ],
    );
  } finally {
    await h.shutdownAndExit().catch(() => undefined);
    h.dispose();
  }
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) await runOpenFilesBench();
