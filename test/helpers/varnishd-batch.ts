/**
 * Compiles many VCL texts with varnishd, a few at a time, for tests that
 * compare varnishd's verdicts over a whole corpus.
 *
 * A text goes to a long-running `varnishd -d` as `vcl.inline` (one daemon
 * per slot, see varnishd-cli.ts): the same VCC and the same VCC-only
 * verdict as `varnishd -C`, at half the CPU, since no varnishd process
 * starts per text. Every 16th text is also compiled with `varnishd -C`, and
 * the two verdicts must be the same (the compile rejects otherwise). A text
 * that needs the C compiler (vcc-only.ts), has arguments other than `-p`
 * settings, or a setting the daemon refuses, runs as `varnishd -C`: written
 * into a world-readable scratch folder (varnishd drops privileges while
 * compiling), with a fresh `-n` folder. `VCL_TEST_INLINE=0` runs every text
 * with `-C`.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { needsCCompiler, vccAccepted, vccOnlyArgs } from './vcc-only.js';
import { InlineCompiler, type InlineVerdict } from './varnishd-cli.js';
import { sharedSpawner } from './spawner.js';

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

/** Compiles every job (each distinct one once); verdicts in the order of `jobs`. */
export async function compileAll(varnishd: string, jobs: readonly CompileJob[], concurrency = Math.max(1, cpus().length)): Promise<BatchVerdict[]> {
  const queue = new CompileQueue(varnishd, concurrency);
  try {
    return await Promise.all(jobs.map((job) => queue.compile(job)));
  } finally {
    queue.dispose();
  }
}

/**
 * A queue of `varnishd -C` runs: at most `concurrency` at a time, started in
 * the order asked for, and each distinct text (with the same arguments)
 * compiled once however many times it is asked for. Callers get a promise
 * per text at once, so a suite can queue all its texts up front and let
 * each test wait only for its own.
 */
export class CompileQueue {
  private readonly verdicts = new Map<string, Promise<BatchVerdict>>();
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  private counter = 0;
  private scratch: string | undefined;
  /** Daemons not compiling now, and how many were started (at most one per slot). */
  private readonly idle: InlineCompiler[] = [];
  private readonly daemons: InlineCompiler[] = [];
  private inlined = 0;

  /** `inline: false` compiles every text with `varnishd -C` (so does `VCL_TEST_INLINE=0`). */
  constructor(
    private readonly varnishd: string,
    private readonly concurrency = 2,
    private readonly options: { inline?: boolean } = {},
  ) {}

  /**
   * varnishd's verdict on `job`, compiled once per distinct text and arguments.
   * `next` starts it before the texts already waiting (a follow-up that a test is waiting for).
   */
  compile(job: CompileJob, opts: { next?: boolean } = {}): Promise<BatchVerdict> {
    const key = `${JSON.stringify(job.args ?? [])}\n${job.text}`;
    let verdict = this.verdicts.get(key);
    if (!verdict) {
      verdict = this.run(job, opts.next === true);
      this.verdicts.set(key, verdict);
    }
    return verdict;
  }

  /** Removes the scratch folder and ends the daemons (compiles still running finish with a refusal). */
  dispose(): void {
    if (this.scratch) rmSync(this.scratch, { recursive: true, force: true });
    this.scratch = undefined;
    for (const d of this.daemons.splice(0)) d.dispose();
    this.idle.length = 0;
  }

  /**
   * Rejects only when the daemon and `varnishd -C` disagree on a text asked
   * both ways; a compile that could not be run is a refusal with the reason.
   */
  private async run(job: CompileJob, next: boolean): Promise<BatchVerdict> {
    await this.slot(next);
    let inline: InlineVerdict | undefined;
    let whole: BatchVerdict | undefined;
    try {
      inline = await this.runInline(job);
      // Every 16th text the daemon compiled is compiled whole too: the two must agree.
      if (!inline || this.inlined++ % 16 === 0) whole = await this.runWhole(job);
    } catch (err) {
      return { accepted: false, message: `varnishd could not be run: ${err instanceof Error ? err.message : String(err)}` };
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
    if (inline && whole && inline.accepted !== whole.accepted) {
      throw new Error(`vcl.inline and varnishd -C disagree (${inline.accepted ? 'accepted' : 'refused'} against ${whole.accepted ? 'accepted' : 'refused'}) on:\n${job.text}\n${inline.message}\n${whole.message}`);
    }
    return whole ?? inline!;
  }

  /** The daemon's verdict on `job`; undefined for a job it cannot compile (see {@link inlineSettings}). */
  private async runInline(job: CompileJob): Promise<InlineVerdict | undefined> {
    const settings = this.options.inline === false ? undefined : inlineSettings(job);
    if (!settings) return undefined;
    const daemon = this.idle.pop() ?? this.startDaemon();
    try {
      return await daemon.compile(job.text, settings);
    } finally {
      this.idle.push(daemon);
    }
  }

  private startDaemon(): InlineCompiler {
    const d = new InlineCompiler(this.varnishd);
    this.daemons.push(d);
    return d;
  }

  private runWhole(job: CompileJob): Promise<BatchVerdict> {
    if (!this.scratch) {
      this.scratch = mkdtempSync(join(tmpdir(), 'vcl-batch-'));
      chmodSync(this.scratch, 0o755);
    }
    return compileOne(this.varnishd, this.scratch, this.counter++, job);
  }

  private slot(next: boolean): Promise<void> {
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const start = (): void => {
        this.running++;
        resolve();
      };
      if (next) this.waiting.unshift(start);
      else this.waiting.push(start);
    });
  }
}

const shared = new Map<string, CompileQueue>();

/**
 * The queue every suite of this test process shares: two compiles at a time
 * (the test machine has two cores, and suites run one after another), and a
 * text one suite compiled is not compiled again for another.
 */
export function sharedCompileQueue(varnishd: string): CompileQueue {
  let queue = shared.get(varnishd);
  if (!queue) {
    const created = new CompileQueue(varnishd, 2);
    process.on('exit', () => created.dispose());
    shared.set(varnishd, (queue = created));
  }
  return queue;
}

/**
 * The `-p` settings of a job that a daemon can compile (each `-p name=value`,
 * nothing else, no C compiler needed); undefined for a job that runs whole.
 */
function inlineSettings(job: CompileJob): [string, string][] | undefined {
  if (process.env['VCL_TEST_INLINE'] === '0') return undefined;
  const args = job.args ?? [];
  if (needsCCompiler(args, job.text)) return undefined;
  const settings: [string, string][] = [];
  for (let i = 0; i < args.length; i += 2) {
    const eq = args[i + 1]?.indexOf('=') ?? -1;
    if (args[i] !== '-p' || eq <= 0) return undefined;
    settings.push([args[i + 1]!.slice(0, eq), args[i + 1]!.slice(eq + 1)]);
  }
  return settings;
}

function compileOne(varnishd: string, scratch: string, i: number, job: CompileJob): Promise<BatchVerdict> {
  const file = join(scratch, `${i}.vcl`);
  writeFileSync(file, job.text);
  chmodSync(file, 0o644);
  const workdir = join(scratch, `n${i}`);
  // VCC's verdict, without building the C program unless the run allows inline C (see vcc-only.ts).
  const run = vccOnlyArgs(job.args ?? [], job.text);
  return sharedSpawner()
    .run(varnishd, ['-C', '-f', file, '-n', workdir, ...run.args], 60_000)
    .then(({ code, stderr }) => {
      rmSync(workdir, { recursive: true, force: true });
      rmSync(file, { force: true });
      const accepted = vccAccepted(code, stderr, run.vccOnly);
      // On success stderr carries the whole generated C program: a refusal's message is at its head.
      return { accepted, message: accepted ? '' : stderr.trim().slice(0, 2000) };
    });
}
