/**
 * Runs many short commands (compiler runs, by the thousand in some suites)
 * from small shells instead of from the test process itself.
 *
 * Starting a child from node forks the test process, whose heap holds the
 * corpus and every loaded module: about 5-10 ms of CPU per child, as much
 * as a refused `varnishd -C` costs in all. A bash worker forks in a
 * fraction of that. Each worker runs one command at a time, with stdin and
 * stdout closed and stderr in a file (a compiler that accepts prints its
 * whole generated C program there, which nobody reads past the head and the
 * tail), and answers with the exit code.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a command left: its exit code (null when it was killed or could not start) and its stderr. */
export interface SpawnResult {
  code: number | null;
  /** stderr; past 64 KB only its first and last 32 KB. */
  stderr: string;
}

interface Job {
  id: number;
  bin: string;
  args: readonly string[];
  timeoutMs: number;
  resolve: (r: SpawnResult) => void;
}

// Reads jobs (id, argument count, the arguments; each ended by NUL), starts the command in the
// background, says its pid ("pid ID PID", so that the test process can kill it when it runs over
// its time) and answers "ID CODE" when it ends. A `timeout` process per command would cost an
// extra fork and exec per run: about 5% of the CPU of the whole suite, which runs thousands.
const WORKER = `
while IFS= read -r -d '' id && IFS= read -r -d '' n; do
  args=()
  for ((i = 0; i < n; i++)); do IFS= read -r -d '' a; args+=("$a"); done
  "\${args[@]}" </dev/null >/dev/null 2>"$SPAWNER_DIR/$id.err" &
  printf 'pid %s %s\\n' "$id" "$!"
  wait "$!"
  printf '%s %s\\n' "$id" "$?"
done
`;

class Worker {
  private readonly child: ChildProcess;
  private current: Job | undefined;
  /** Kills the current command when it runs over its time. */
  private timer: NodeJS.Timeout | undefined;
  private killed = false;
  private buffered = '';

  constructor(
    private readonly dir: string,
    private readonly done: (w: Worker) => void,
  ) {
    this.child = spawn('bash', ['-c', WORKER], { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, SPAWNER_DIR: dir } });
    this.child.stdout!.setEncoding('utf8');
    this.child.stdout!.on('data', (d: string) => this.answer(d));
    this.child.on('close', () => this.fail('the worker shell ended'));
    this.child.on('error', (err) => this.fail(err.message));
    this.idle();
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  start(job: Job): void {
    this.current = job;
    // Busy: the pending answer keeps the process alive.
    this.child.ref();
    (this.child.stdout as unknown as { ref(): void }).ref();
    this.killed = false;
    const fields = [String(job.id), String(job.args.length + 1), job.bin, ...job.args];
    this.child.stdin!.write(fields.map((f) => `${f}\0`).join(''));
  }

  stop(): void {
    this.child.stdin!.end();
    this.child.kill();
  }

  private answer(data: string): void {
    this.buffered += data;
    let nl: number;
    while ((nl = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, nl);
      this.buffered = this.buffered.slice(nl + 1);
      const job = this.current;
      const pid = /^pid (\d+) (\d+)$/.exec(line);
      if (pid) {
        if (job && Number(pid[1]) === job.id) this.watch(Number(pid[2]), job.timeoutMs);
        continue;
      }
      const [id, code] = line.split(' ');
      if (!job || Number(id) !== job.id) continue;
      this.current = undefined;
      clearTimeout(this.timer);
      const status = Number(code);
      const file = join(this.dir, `${job.id}.err`);
      const stderr = readEnds(file);
      rmSync(file, { force: true });
      // Killed for running over its time (SIGKILL: 137); 126/127: the command could not be run.
      const killed = this.killed || status === 137;
      job.resolve({ code: killed ? null : status, stderr: status === 127 || status === 126 ? `${stderr}\n${job.bin}: cannot run (exit ${status})` : stderr });
      this.idle();
      this.done(this);
    }
  }

  /** Kills the command `pid` if it is still running after `timeoutMs`. */
  private watch(pid: number, timeoutMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.killed = true;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // It ended meanwhile: its answer is on its way.
      }
    }, timeoutMs);
    // The pending answer keeps the process alive, not the timer.
    this.timer.unref();
  }

  private idle(): void {
    // Idle: the worker must not keep the test process from exiting.
    this.child.unref();
    (this.child.stdout as unknown as { unref(): void }).unref();
  }

  private fail(reason: string): void {
    clearTimeout(this.timer);
    const job = this.current;
    this.current = undefined;
    job?.resolve({ code: null, stderr: reason });
  }
}

/** The first and last 32 KB of a file past 64 KB, else all of it ('' when it is missing). */
function readEnds(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    const read = (at: number, length: number): string => {
      const buf = Buffer.alloc(length);
      const n = readSync(fd, buf, 0, length, at);
      return buf.subarray(0, n).toString('utf8');
    };
    if (size <= 65536) return read(0, size);
    return read(0, 32768) + read(size - 32768, 32768);
  } finally {
    closeSync(fd);
  }
}

/** Runs commands from `concurrency` bash workers, in the order asked for. */
export class Spawner {
  private readonly workers: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly dir = mkdtempSync(join(tmpdir(), 'vcl-spawner-'));
  private counter = 0;

  constructor(private readonly concurrency = 2) {
    process.on('exit', () => this.dispose());
  }

  /** Runs `bin args` (no stdin, stdout dropped), killed after `timeoutMs`. Never rejects. */
  run(bin: string, args: readonly string[], timeoutMs = 60_000): Promise<SpawnResult> {
    return new Promise((resolve) => {
      this.queue.push({ id: this.counter++, bin, args, timeoutMs, resolve });
      this.next();
    });
  }

  /** Stops the workers and removes their scratch folder. */
  dispose(): void {
    for (const w of this.workers) w.stop();
    this.workers.length = 0;
    rmSync(this.dir, { recursive: true, force: true });
  }

  private next(): void {
    while (this.queue.length > 0) {
      let free = this.workers.find((w) => !w.busy);
      if (!free && this.workers.length < this.concurrency) {
        free = new Worker(this.dir, () => this.next());
        this.workers.push(free);
      }
      if (!free) return;
      free.start(this.queue.shift()!);
    }
  }
}

let shared: Spawner | undefined;

/** The spawner every helper of this test process shares: two commands at a time (two cores). */
export function sharedSpawner(): Spawner {
  return (shared ??= new Spawner(2));
}
