/**
 * A varnishd management process driven through its command line interface
 * (`varnishd -d`: the CLI on stdin and stdout, no child started), for tests
 * that ask varnishd's parameter code about thousands of values. `param.set`
 * runs the function that reads a `-p name=value` at start-up, so a refused
 * value costs one command instead of one varnishd process (about 35 ms of
 * CPU each).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One CLI answer: the status (200 is success) and the text. */
export interface CliAnswer {
  status: number;
  body: string;
}

/**
 * One argument as the CLI reads it back: in double quotes, with backslash,
 * quote and line breaks escaped, so that the command receives exactly
 * `value` (blanks, quotes and backslashes included).
 */
export function cliQuote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

/** A running `varnishd -d` whose CLI answers one command at a time. */
export class VarnishdCli {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly workdir: string;
  private buffer = Buffer.alloc(0);
  private readonly pending: { resolve(a: CliAnswer): void; reject(e: Error): void }[] = [];
  private exited: Error | undefined;
  /** The question being asked (see {@link withSettings}); the next one waits for it. */
  private question: Promise<unknown> = Promise.resolve();
  /** The banner varnishd answers with when it starts, before any command. */
  readonly ready: Promise<CliAnswer>;
  /** Commands sent so far, for reports. */
  commands = 0;

  constructor(varnishd: string, args: readonly string[] = []) {
    this.workdir = mkdtempSync(join(tmpdir(), 'vcl-cli-'));
    chmodSync(this.workdir, 0o755);
    // `-f ''`: no VCL at start, so nothing is compiled; `-a` on a port the kernel picks, never opened (no child is started).
    this.child = spawn(varnishd, ['-d', '-n', join(this.workdir, 'n'), '-a', '127.0.0.1:0', '-f', '', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.ready = new Promise<CliAnswer>((resolve, reject) => this.pending.push({ resolve, reject }));
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.parse();
    });
    let stderr = '';
    this.child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2000);
    });
    this.child.on('error', (e) => this.fail(e));
    this.child.on('exit', (code, signal) => this.fail(new Error(`varnishd -d exited (${signal ?? code}): ${stderr.trim()}`)));
  }

  /**
   * Sends one command and resolves to its answer. Words made of letters,
   * digits and `_.+-` go as they are, the others quoted as {@link cliQuote}
   * does: 7.1's CLI refuses two quoted words in a row ("Missing separator
   * between arguments"), and a parameter's name never needs quotes.
   */
  command(...words: string[]): Promise<CliAnswer> {
    return this.send(words.map((w) => (/^[\w.+-]+$/.test(w) ? w : cliQuote(w))).join(' '));
  }

  /** Sends one command as written (a here document included: `name << END`, lines, `END`) and resolves to its answer. */
  async send(line: string): Promise<CliAnswer> {
    await this.ready;
    if (this.exited) throw this.exited;
    this.commands++;
    const answer = new Promise<CliAnswer>((resolve, reject) => this.pending.push({ resolve, reject }));
    this.hold(true);
    this.child.stdin.write(`${line}\n`);
    return answer;
  }

  /**
   * Runs `body` with `settings` made by `param.set`, in order, as varnishd
   * reads `-p` options at start-up, stopping at the first one refused (its
   * index and answer are handed to `body`); then every parameter set is put
   * back with `param.reset`, newest first, so that the next question starts
   * from the defaults. One question at a time: the commands of two never
   * interleave.
   */
  withSettings<T>(settings: readonly (readonly [string, string])[], body: (refused?: { index: number; answer: CliAnswer }) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      const set: string[] = [];
      try {
        for (let i = 0; i < settings.length; i++) {
          const [name, value] = settings[i]!;
          const answer = await this.command('param.set', name, value);
          if (answer.status !== 200) return await body({ index: i, answer });
          set.push(name);
        }
        return await body();
      } finally {
        for (const name of set.reverse()) {
          const back = await this.command('param.reset', name);
          // A parameter left changed would change the answers to every later question.
          if (back.status !== 200) throw new Error(`param.reset ${name} failed (${back.status}): ${back.body.trim()}`);
        }
      }
    };
    const next = this.question.then(run, run);
    this.question = next.catch(() => undefined);
    return next;
  }

  /** The answer to setting `settings` in order (see {@link withSettings}): the first refusal (its index, status and text), or success. */
  ask(settings: readonly (readonly [string, string])[]): Promise<{ refused?: number; answer: CliAnswer }> {
    return this.withSettings(settings, async (refused) => (refused ? { refused: refused.index, answer: refused.answer } : { answer: { status: 200, body: '' } }));
  }

  /** Ends the process and removes its folder. */
  dispose(): void {
    this.child.stdin.end();
    this.child.kill();
    rmSync(this.workdir, { recursive: true, force: true });
  }

  /** Answers are `status length\n`, then `length` bytes of text and a line break. */
  private parse(): void {
    for (;;) {
      const eol = this.buffer.indexOf(10);
      if (eol < 0) return;
      const head = /^(\d{3}) +(\d+)\s*$/.exec(this.buffer.subarray(0, eol).toString('latin1'));
      if (!head) {
        // Not an answer's first line (varnishd's own notes): skipped.
        this.buffer = this.buffer.subarray(eol + 1);
        continue;
      }
      const length = Number(head[2]);
      if (this.buffer.length < eol + 1 + length + 1) return;
      const body = this.buffer.subarray(eol + 1, eol + 1 + length).toString('utf8');
      this.buffer = this.buffer.subarray(eol + 1 + length + 1);
      this.pending.shift()?.resolve({ status: Number(head[1]), body });
      if (this.pending.length === 0) this.hold(false);
    }
  }

  /**
   * Whether the process and its pipes keep node's event loop alive: while
   * an answer (the banner first) is awaited. Idle, it keeps no test run
   * from ending: a queue shared by a whole test process ends with it.
   */
  private hold(on: boolean): void {
    for (const handle of [this.child, this.child.stdin, this.child.stdout, this.child.stderr] as unknown as { ref(): void; unref(): void }[]) {
      if (on) handle.ref();
      else handle.unref();
    }
  }

  private fail(e: Error): void {
    this.exited ??= e;
    for (const p of this.pending.splice(0)) p.reject(e);
  }
}

/** varnishd's verdict on one VCL text, and its message on a refusal. */
export interface InlineVerdict {
  accepted: boolean;
  message: string;
}

/**
 * Compiles VCL texts in a {@link VarnishdCli} with `vcl.inline`, VCC's
 * verdict only: the daemon runs with `cc_command=:` (see vcc-only.ts), so
 * an accepted program ends in the load of a library that was never built,
 * as in a VCC-only `varnishd -C`. The same compile as `-C` without a
 * varnishd process to start per text: about 21 ms of CPU a text where
 * `-C` takes 43. `-p` settings of a text are made with `param.set` before
 * it and reset after it; one at a time.
 */
export class InlineCompiler {
  private readonly cli: VarnishdCli;
  private counter = 0;

  constructor(varnishd: string) {
    this.cli = new VarnishdCli(varnishd, ['-p', 'cc_command=:']);
  }

  /** The verdict on `text` with `settings`; undefined when a setting is refused (the caller runs the text whole). */
  compile(text: string, settings: readonly (readonly [string, string])[] = []): Promise<InlineVerdict | undefined> {
    return this.cli.withSettings(settings, async (refused) => {
      if (refused) return undefined;
      // The text ends at a line of its own that the text does not hold.
      let end = 'END_OF_VCL';
      while (text.includes(end)) end += '_';
      const answer = await this.cli.send(`vcl.inline v${this.counter++} << ${end}\n${text}${text.endsWith('\n') ? '' : '\n'}${end}`);
      const accepted = answer.status === 200 || /Running dlopen failed/.test(answer.body);
      return { accepted, message: accepted ? '' : answer.body.trim() };
    });
  }

  /** Ends the daemon. */
  dispose(): void {
    this.cli.dispose();
  }
}
