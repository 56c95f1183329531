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
import { basename, join } from 'node:path';
import { jailedRun, jailOf, type JailedRun } from './jail.js';

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
  /** For a compiler run in its release's root (see jail.ts): the root, and what to mount first. */
  jail?: { root: string; binds: JailedRun['binds']; cwd: string };
}

// Reads jobs (id; the folders to mount, each with its identity; the working folder; argument
// count, the arguments; each ended by NUL), starts the command in the background, says its pid
// ("pid ID PID", so that the test process can kill it when it runs over its time) and answers
// "ID CODE" when it ends. A `timeout` process per command would cost an extra fork and exec per
// run: about 5% of the CPU of the whole suite, which runs thousands.
// With JAIL_ROOT set the worker lives in a mount namespace of its own (see jail.ts): it mounts
// each folder read-only under the root once (again when the folder was made anew) and runs the
// command there as the compiler wrapper does.
const WORKER = `
declare -A bound
if [ -n "\${JAIL_ROOT:-}" ]; then mkdir -p "$JAIL_ROOT/var/lib/vcc-tmp" && chmod 1777 "$JAIL_ROOT/var/lib/vcc-tmp"; fi
while IFS= read -r -d '' id && IFS= read -r -d '' nb; do
  fail=
  for ((i = 0; i < nb; i++)); do
    IFS= read -r -d '' d; IFS= read -r -d '' key
    [ -z "$fail" ] && [ "\${bound[$d]:-}" != "$key" ] || continue
    if [ -n "\${bound[$d]:-}" ]; then
      umount -l "$JAIL_ROOT$d" 2>/dev/null
      for k in "\${!bound[@]}"; do case $k in "$d" | "$d"/*) unset 'bound[$k]' ;; esac; done
    fi
    if mkdir -p "$JAIL_ROOT$d" 2>/dev/null && mount --bind "$d" "$JAIL_ROOT$d" 2>/dev/null; then
      mount -o remount,bind,ro "$JAIL_ROOT$d" 2>/dev/null
      bound[$d]=$key
    else
      fail="cannot mount $d in $JAIL_ROOT"
    fi
  done
  IFS= read -r -d '' cwd && IFS= read -r -d '' n
  args=()
  for ((i = 0; i < n; i++)); do IFS= read -r -d '' a; args+=("$a"); done
  if [ -n "$fail" ]; then
    printf '%s\\n' "$fail" >"$SPAWNER_DIR/$id.err"
    printf '%s 71\\n' "$id"
    continue
  fi
  if [ -n "\${JAIL_ROOT:-}" ]; then
    chroot "$JAIL_ROOT" /usr/bin/env TMPDIR=/var/lib/vcc-tmp /bin/sh -c 'cd "$0" 2>/dev/null || cd /; exec "$@"' "$cwd" "\${args[@]}" </dev/null >/dev/null 2>"$SPAWNER_DIR/$id.err" &
  else
    "\${args[@]}" </dev/null >/dev/null 2>"$SPAWNER_DIR/$id.err" &
  fi
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

  /**
   * `root`: the release root this worker runs jailed commands in, from a
   * mount namespace of its own (the mounts go with it); undefined for a
   * worker that runs commands as they are.
   */
  constructor(
    private readonly dir: string,
    private readonly done: (w: Worker) => void,
    readonly root?: string,
  ) {
    const env = { ...process.env, SPAWNER_DIR: dir, JAIL_ROOT: root ?? '' };
    this.child = root
      ? spawn('unshare', ['-m', '--propagation', 'private', '--', 'bash', '-c', WORKER], { stdio: ['pipe', 'pipe', 'ignore'], env })
      : spawn('bash', ['-c', WORKER], { stdio: ['pipe', 'pipe', 'ignore'], env });
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
    const binds = job.jail?.binds ?? [];
    const fields = [String(job.id), String(binds.length), ...binds.flatMap((b) => [b.dir, b.key]), job.jail?.cwd ?? '', String(job.args.length + 1), job.bin, ...job.args];
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

  /**
   * Runs `bin args` (no stdin, stdout dropped), killed after `timeoutMs`.
   * Never rejects. A release's compiler wrapper runs as it would run itself,
   * from a worker jailed in its root (see jail.ts).
   */
  run(bin: string, args: readonly string[], timeoutMs = 60_000): Promise<SpawnResult> {
    return new Promise((resolve) => {
      const id = this.counter++;
      const jail = jailOf(bin);
      if (!jail) {
        this.queue.push({ id, bin, args, timeoutMs, resolve });
      } else {
        const run = jailedRun(jail, args);
        // Where the wrapper would stop before running anything, with its code.
        if ('code' in run) return resolve({ code: run.code, stderr: `${basename(bin)}: ${run.message}` });
        this.queue.push({ id, bin: run.argv[0]!, args: run.argv.slice(1), timeoutMs, resolve, jail: { root: jail.root, binds: run.binds, cwd: run.cwd } });
      }
      this.next();
    });
  }

  /** Stops the workers and removes their scratch folder. */
  dispose(): void {
    for (const w of this.workers) w.stop();
    this.workers.length = 0;
    rmSync(this.dir, { recursive: true, force: true });
  }

  /**
   * Starts waiting jobs, in order, while fewer than `concurrency` run: each
   * on an idle worker of its kind (plain, or jailed in its root), made when
   * there is none. A kind never has more than `concurrency` workers.
   */
  private next(): void {
    while (this.queue.length > 0 && this.workers.filter((w) => w.busy).length < this.concurrency) {
      const job = this.queue.shift()!;
      const root = job.jail?.root;
      let free = this.workers.find((w) => !w.busy && w.root === root);
      if (!free) this.workers.push((free = new Worker(this.dir, () => this.next(), root)));
      free.start(job);
    }
  }
}

let shared: Spawner | undefined;

/** The spawner every helper of this test process shares: two commands at a time (two cores). */
export function sharedSpawner(): Spawner {
  return (shared ??= new Spawner(2));
}
