/**
 * A real varnishd for live tests: started in the foreground, on loopback
 * only, with its own working directory, stopped with its whole process group.
 *
 * `-j none`: varnishd 7.1 accepts it as root (checked here: the platform line
 * then reads `-jnone`), so the manager, the compiler and the worker all run
 * as the test's own user and the scratch files need no special ownership.
 * The folders and the VCL are made world-readable anyway, so that the same
 * layout also works with the default `unix` jail.
 *
 * `-a 127.0.0.1:0` lets the kernel choose the port; the port is then read
 * back with `varnishadm debug.listen_address`, so no port is guessed and no
 * race with other tests is possible. Start-up is awaited by polling
 * `varnishadm status` until the child runs (bounded; no fixed sleep).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ccCachePath, vclFileFor } from './cc-cache.js';

/** Where the Debian package (and a source build) put the tools. */
const dirs = ['/usr/sbin', '/usr/local/sbin', '/usr/bin', '/usr/local/bin'];

/** Path of an installed Varnish program (`varnishd`, `varnishlog`, `varnishadm`), or undefined. */
export function findVarnishTool(name: string): string | undefined {
  return dirs.map((d) => join(d, name)).find((p) => existsSync(p));
}

/** Why a live test that runs varnishd and reads its log cannot run here, or undefined when it can. */
export function varnishToolsMissing(): string | undefined {
  return ['varnishd', 'varnishlog', 'varnishadm'].every((t) => findVarnishTool(t)) ? undefined : 'varnishd, varnishlog or varnishadm not found';
}

/**
 * Parameters that keep a test instance small; they do not touch the buffers
 * under test. Given first, so that a file's own `-p` of the same name wins.
 */
export const smallFootprint: readonly (readonly [string, string])[] = [
  ['thread_pools', '1'],
  ['thread_pool_min', '5'],
  ['thread_pool_max', '50'],
  ['vsl_space', '4M'],
];

export interface VarnishOptions {
  /** VCL text, written to a world-readable file and given with `-f`. */
  vcl?: string;
  /** Backend address for `-b` (used when no `vcl` is given). */
  backend?: { host: string; port: number };
  /** Extra parameters, passed as `-p name=value` in order after {@link smallFootprint}. */
  params?: readonly (readonly [string, string])[];
  /** Storage size for `-s malloc,SIZE` (default 32m). */
  storage?: string;
  /** Bound on start-up, compiling the VCL included (default 30 s). */
  startTimeoutMs?: number;
  /**
   * Run the Varnish of another release: the Debian root at this folder (a
   * chroot of ../shared/tools/setup-varnish-oracles.sh, see
   * test/helpers/oracles.ts), entered with `chroot` in a mount namespace of
   * its own that has /proc. Needs root. The scratch folder is then made
   * inside the root, and `workdir` is the path varnishd sees.
   */
  chroot?: string;
}

/** The program and arguments that run `bin` (a path as varnishd's root sees it) with `args`, in `chroot` when given. */
function command(chroot: string | undefined, bin: string, args: readonly string[], withProc = false): [string, string[]] {
  if (chroot === undefined) return [bin, [...args]];
  if (!withProc) return ['chroot', [chroot, bin, ...args]];
  // exec all the way down: the process the test spawns is varnishd itself, so its group can be stopped.
  return ['unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mount -t proc proc "$0/proc" || exit 70; exec chroot "$0" "$@"', chroot, bin, ...args]];
}

/** Path of a Varnish program as the root at `chroot` (or this machine) has it, or undefined. */
function findTool(chroot: string | undefined, name: string): string | undefined {
  if (chroot === undefined) return findVarnishTool(name);
  return dirs.map((d) => join(d, name)).find((p) => existsSync(join(chroot, p)));
}

/** Result of `execFile` with a bound; never rejects. */
interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: readonly string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : null) : 0;
      resolve({ code, stdout: stdout ?? '', stderr: stderr ?? '' });
    });
  });
}

/** True if `p` settles within `ms`; the timer is cleared either way, so nothing lingers. */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([p.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Every instance still running, so a crashing test run does not leave varnishd behind. */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) killGroup(child, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** One running varnishd. */
export class VarnishInstance {
  private stopped = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly exited: Promise<void>,
    private readonly stderrChunks: string[],
    /** Scratch folder (the `-n` directory; the VCL file is kept by its text, see cc-cache.ts). */
    readonly scratch: string,
    /** The `-n` working directory, as varnishd sees it (inside its root with `chroot`). */
    readonly workdir: string,
    /** The port varnishd listens on, on 127.0.0.1. */
    readonly port: number,
    /** The full varnishd command line, for messages. */
    readonly args: readonly string[],
    /** Milliseconds from spawn to a running child. */
    readonly startupMs: number,
    /** The root varnishd runs in, if not this machine's. */
    readonly chroot?: string,
  ) {}

  /** Runs a Varnish tool (`varnishadm`, `varnishlog`) of this instance's release with `args`, bounded. */
  private tool(name: string, args: readonly string[], timeoutMs: number): Promise<RunResult> {
    const bin = findTool(this.chroot, name);
    if (!bin) throw new Error(`${name} is not installed`);
    const [file, argv] = command(this.chroot, bin, args);
    return run(file, argv, timeoutMs);
  }

  /**
   * Starts varnishd and resolves once its child answers; rejects with
   * varnishd's own stderr when it refuses to start or does not come up in
   * time (and then leaves nothing behind).
   */
  static async start(opts: VarnishOptions): Promise<VarnishInstance> {
    const root = opts.chroot;
    const varnishd = findTool(root, 'varnishd');
    const varnishadm = findTool(root, 'varnishadm');
    if (!varnishd || !varnishadm) throw new Error('varnishd or varnishadm is not installed');
    // With a chroot the scratch folder lies inside it; `inner` is the path varnishd sees.
    const scratch = mkdtempSync(join(root === undefined ? tmpdir() : join(root, 'tmp'), 'varnish-live-'));
    const inner = (p: string): string => (root === undefined ? p : p.slice(root.length));
    chmodSync(scratch, 0o755);
    const workdir = join(scratch, 'n');
    const args = ['-F', '-j', 'none', '-a', '127.0.0.1:0', '-n', inner(workdir), '-s', `malloc,${opts.storage ?? '32m'}`];
    if (opts.vcl !== undefined) {
      // The same text at the same path each time, so that its C can be reused (cc-cache.ts).
      args.push('-f', inner(vclFileFor(root ?? '/', opts.vcl)));
    } else if (opts.backend) {
      args.push('-b', `${opts.backend.host}:${opts.backend.port}`);
    } else {
      rmSync(scratch, { recursive: true, force: true });
      throw new Error('VarnishInstance.start needs a vcl or a backend');
    }
    for (const [name, value] of [...smallFootprint, ...(opts.params ?? [])]) args.push('-p', `${name}=${value}`);

    const began = Date.now();
    const [file, argv] = command(root, varnishd, args, true);
    const env = { ...process.env, PATH: ccCachePath(root ?? '/', process.env['PATH']) };
    const child = spawn(file, argv, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
    live.add(child);
    const stderrChunks: string[] = [];
    child.stderr!.setEncoding('utf8').on('data', (s: string) => stderrChunks.push(s));
    child.stdout!.setEncoding('utf8').on('data', (s: string) => stderrChunks.push(s));
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', (err) => {
        stderrChunks.push(String(err));
        resolve();
      });
    });
    let gone = false;
    void exited.then(() => {
      gone = true;
      live.delete(child);
    });

    const deadline = began + (opts.startTimeoutMs ?? 30_000);
    const fail = async (why: string): Promise<never> => {
      killGroup(child, 'SIGKILL');
      await within(exited, 5_000);
      rmSync(scratch, { recursive: true, force: true });
      throw new Error(`${why}\n  varnishd ${args.join(' ')}\n  ${stderrChunks.join('').trim().replace(/\n/g, '\n  ')}`);
    };
    // Poll the management CLI: `status` says "running" once the child serves.
    for (;;) {
      if (gone) return fail(`varnishd exited during start-up (code ${child.exitCode})`);
      if (Date.now() > deadline) return fail(`varnishd did not start within ${opts.startTimeoutMs ?? 30_000} ms`);
      if (existsSync(join(workdir, '_.vsm_mgt'))) {
        const st = await run(...command(root, varnishadm, ['-n', inner(workdir), '-t', '2', 'status']), 5_000);
        if (/Child in state running/.test(st.stdout)) break;
      }
      await within(exited, 50);
    }
    const listen = await run(...command(root, varnishadm, ['-n', inner(workdir), '-t', '5', 'debug.listen_address']), 10_000);
    const m = /127\.0\.0\.1 (\d+)/.exec(listen.stdout);
    if (!m) return fail(`could not read the listen address: ${listen.stdout}${listen.stderr}`);
    return new VarnishInstance(child, exited, stderrChunks, scratch, inner(workdir), Number(m[1]), args, Date.now() - began, root);
  }

  /** `varnishadm -n DIR ...args` (bounded); stdout, or throws with what varnishadm said. */
  async adm(...args: string[]): Promise<string> {
    const r = await this.tool('varnishadm', ['-n', this.workdir, '-t', '5', ...args], 10_000);
    if (r.code !== 0) throw new Error(`varnishadm ${args.join(' ')} failed (${r.code}): ${r.stdout}${r.stderr}`);
    return r.stdout;
  }

  /** A parameter's value as the running varnishd has it (`param.show -j`): bytes as a number. */
  async param(name: string): Promise<unknown> {
    const out = JSON.parse(await this.adm('param.show', '-j', name)) as unknown[];
    return (out[3] as { value?: unknown } | undefined)?.value;
  }

  /** What varnishd wrote to stderr (and stdout) so far. */
  get stderr(): string {
    return this.stderrChunks.join('');
  }

  /**
   * `varnishlog -n DIR -d -g request [extra args]`: the log kept so far, as
   * text. A transaction is written only when it ends, so it is read again
   * until `until` matches, each read starting when the previous one has
   * finished (no timer; bounded by a deadline); the last text is returned
   * either way.
   */
  async log(extra: readonly string[] = [], opts: { until?: RegExp; timeoutMs?: number } = {}): Promise<string> {
    const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
    for (;;) {
      const r = await this.tool('varnishlog', ['-n', this.workdir, '-d', '-g', 'request', ...extra], 10_000);
      const text = r.stdout + (r.code === 0 ? '' : r.stderr);
      if (!opts.until || opts.until.test(text) || Date.now() > deadline) return text;
    }
  }

  /** `varnishlog -n DIR -d ARGS` once, in any grouping: stdout, and stderr too when it fails. */
  async capture(args: readonly string[]): Promise<string> {
    const r = await this.tool('varnishlog', ['-n', this.workdir, '-d', ...args], 20_000);
    return r.stdout + (r.code === 0 ? '' : `\n${r.stderr}`);
  }

  /** Stops varnishd (SIGTERM to its process group, SIGKILL after 10 s) and removes its folder. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    killGroup(this.child, 'SIGTERM');
    if (!(await within(this.exited, 10_000))) {
      killGroup(this.child, 'SIGKILL');
      await within(this.exited, 5_000);
    }
    rmSync(this.scratch, { recursive: true, force: true });
  }
}

/** Runs `body` against a fresh varnishd started with `opts`, and always stops it, whatever `body` does. */
export async function withVarnishInstance<T>(opts: VarnishOptions, body: (v: VarnishInstance) => Promise<T>): Promise<T> {
  const v = await VarnishInstance.start(opts);
  try {
    return await body(v);
  } finally {
    await v.stop();
  }
}
