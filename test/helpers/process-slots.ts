/**
 * Running compiler processes a few at a time and collecting what they say
 * on stderr: shared by the tests that ask varnishd (or a release's compiler)
 * thousands of questions.
 */
import { sharedSpawner } from './spawner.js';

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
 * long and of no interest). Run from a small shell (see spawner.ts): these
 * runs come by the thousand.
 */
export function runForStderr(bin: string, args: readonly string[], timeoutMs: number): Promise<{ code: number | null; stderr: string }> {
  return sharedSpawner().run(bin, args, timeoutMs);
}
