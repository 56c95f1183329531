/**
 * Running compiler processes a few at a time and collecting what they say
 * on stderr: shared by the tests that ask varnishd (or a release's compiler)
 * thousands of questions.
 */
import { spawn } from 'node:child_process';

/** At most `limit` tasks at once; the others wait their turn in order. */
export class Slots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /** Runs `task` when a slot is free. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running < this.limit) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      // The slot passes to the next waiting task, or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/**
 * Runs `bin args` with no stdin and stdout, killed after `timeoutMs`. The
 * exit code (null when killed or not started) and stderr, of which only the
 * head and the tail are kept past 64 KB (a compiler's generated C code is
 * long and of no interest).
 */
export function runForStderr(bin: string, args: readonly string[], timeoutMs: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      stderr = stderr.length < 65536 ? stderr + d : stderr.slice(0, 32768) + stderr.slice(-32768) + d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    let done = false;
    const finish = (code: number | null, extra = ''): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ code, stderr: stderr + extra });
    };
    child.on('error', (err) => finish(null, `\n${err.message}`));
    child.on('close', (code) => finish(code));
  });
}
