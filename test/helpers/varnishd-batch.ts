/**
 * Compiles many VCL texts with `varnishd -C`, a few processes at a time,
 * for tests that compare varnishd's verdicts over a whole corpus. Each text
 * is written into a world-readable scratch folder (varnishd drops
 * privileges while compiling) and each run gets its own fresh `-n` folder.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

/** One text to compile, with extra varnishd arguments (e.g. `-p vcc_allow_inline_c=on`). */
export interface CompileJob {
  text: string;
  args?: readonly string[];
}

/** varnishd's verdict on one text. */
export interface BatchVerdict {
  accepted: boolean;
  /** The compiler's message (stderr without the generated C), for reports. */
  message: string;
}

/** Compiles every job; verdicts in the order of `jobs`. */
export async function compileAll(varnishd: string, jobs: readonly CompileJob[], concurrency = Math.max(1, cpus().length)): Promise<BatchVerdict[]> {
  const scratch = mkdtempSync(join(tmpdir(), 'vcl-batch-'));
  chmodSync(scratch, 0o755);
  const verdicts: BatchVerdict[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      verdicts[i] = await compileOne(varnishd, scratch, i, jobs[i]!);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return verdicts;
}

function compileOne(varnishd: string, scratch: string, i: number, job: CompileJob): Promise<BatchVerdict> {
  const file = join(scratch, `${i}.vcl`);
  writeFileSync(file, job.text);
  chmodSync(file, 0o644);
  const workdir = join(scratch, `n${i}`);
  return new Promise((resolve) => {
    const child = spawn(varnishd, ['-C', '-f', file, '-n', workdir, ...(job.args ?? [])], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    // On success stderr carries the whole generated C program: keep only its head.
    child.stderr.on('data', (d: string) => { if (stderr.length < 8192) stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const finish = (code: number | null, extra = ''): void => {
      clearTimeout(timer);
      rmSync(workdir, { recursive: true, force: true });
      rmSync(file, { force: true });
      resolve({ accepted: code === 0, message: code === 0 ? '' : (stderr + extra).trim().slice(0, 2000) });
    };
    child.on('error', (err) => finish(null, `\n${err.message}`));
    child.on('close', (code) => finish(code));
  });
}
