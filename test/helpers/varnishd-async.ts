/**
 * Runs `varnishd -C` asynchronously, a few at a time, and reads what it says
 * about `-p` settings. `varnishd -C -f FILE -n DIR -p name=value` reads every
 * `-p` as it would at start-up (and stops at the first one it refuses), then
 * compiles FILE to C, builds and loads it; nothing is started. Here the C
 * compiler is skipped unless the run sets it (see vcc-only.ts).
 *
 * As root, varnishd drops privileges while compiling, so the VCL is copied
 * into a world-readable scratch folder and each run gets its own `-n`
 * directory that does not exist yet.
 */
import { runForStderr, Slots } from './process-slots.js';
import { vccAccepted, vccOnlyArgs } from './vcc-only.js';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/** What varnishd made of one command line's settings. */
export interface SettingsVerdict {
  /**
   * - `accepted`: all settings read and the VCL compiled;
   * - `compile-failed`: all settings read, but building the VCL failed
   *   (e.g. a cc_command that is not a compiler);
   * - `unknown`: a parameter name varnishd does not know;
   * - `invalid`: a value varnishd refuses;
   * - `other`: anything else (timeout, crash, usage error).
   */
  kind: 'accepted' | 'compile-failed' | 'unknown' | 'invalid' | 'other';
  /** The setting varnishd refused (from its message), for `unknown` / `invalid`. */
  name?: string;
  value?: string;
  /** varnishd's own message lines about the refusal (or the tail of its output). */
  message: string;
  exitCode: number | null;
}

/** True when varnishd read all the settings (whatever happened to the VCL afterwards). */
export function settingsAccepted(v: SettingsVerdict): boolean {
  return v.kind === 'accepted' || v.kind === 'compile-failed';
}

/** The symbol the probe program names; VCC's complaint about it means "all settings read". */
const MARKER = 'vcl_lint_params_read';

/**
 * A VCL program with one deliberate error (an unknown symbol): a run whose
 * settings are all read ends in that compile error within milliseconds,
 * instead of building a program, and seeing that error proves every
 * setting was accepted (VCC runs only once all of them are read).
 */
export const PROBE_VCL = `vcl 4.1;\nbackend b { .host = "127.0.0.1"; .port = "8080"; }\nsub vcl_recv { set req.http.x = ${MARKER}; }\n`;

/** Classifies varnishd's exit status and stderr. */
export function classifyRun(exitCode: number | null, stderr: string): SettingsVerdict {
  // The probe program's error: VCC ran, so every setting was read.
  if (stderr.includes(`Symbol not found: '${MARKER}'`)) return { kind: 'accepted', message: '', exitCode };
  const unknown = /Unknown parameter "([^"]*)"\./.exec(stderr);
  if (unknown) return { kind: 'unknown', name: unknown[1], message: unknown[0], exitCode };
  const attempt = /\(attempting to set param '([^']*)' to '([\s\S]*?)'\)/.exec(stderr);
  if (attempt) {
    const before = stderr.slice(0, attempt.index).split('Error:').pop() ?? '';
    return { kind: 'invalid', name: attempt[1], value: attempt[2], message: before.trim().replace(/\s+/g, ' '), exitCode };
  }
  const unavailable = /parameter "([^"]*)" is not available on this platform\./.exec(stderr);
  if (unavailable) return { kind: 'invalid', name: unavailable[1], message: unavailable[0], exitCode };
  if (exitCode === 0) return { kind: 'accepted', message: '', exitCode };
  const tail = stderr.trim().split('\n').slice(-3).join(' | ');
  if (/Message from (C-compiler|dlopen)|Running (C-compiler|dlopen) failed/.test(stderr)) return { kind: 'compile-failed', message: tail, exitCode };
  return { kind: 'other', message: tail, exitCode };
}

/** Runs varnishd -C with extra arguments, at most `concurrency` processes at a time. */
export class VarnishdCompiler {
  private readonly scratch: string;
  private readonly vcl: string;
  /** The program's text: one without inline C needs no C compiler even where inline C is allowed (vcc-only.ts). */
  private readonly text: string;
  private counter = 0;
  private readonly slots: Slots;

  /**
   * `vclFile` is the program compiled after the settings are read; `PROBE`
   * asks about the settings alone (see {@link PROBE_VCL}).
   */
  constructor(
    private readonly varnishd: string,
    vclFile: string | 'PROBE',
    concurrency = 2,
    private readonly timeoutMs = 60_000,
  ) {
    this.slots = new Slots(concurrency);
    this.scratch = mkdtempSync(join(tmpdir(), 'vcl-params-'));
    this.vcl = join(this.scratch, vclFile === 'PROBE' ? 'probe.vcl' : basename(vclFile));
    try {
      chmodSync(this.scratch, 0o755);
      if (vclFile === 'PROBE') writeFileSync(this.vcl, PROBE_VCL);
      else copyFileSync(vclFile, this.vcl);
      this.text = readFileSync(this.vcl, 'utf8');
      chmodSync(this.vcl, 0o644);
    } catch (err) {
      this.dispose();
      throw err;
    }
  }

  /** `varnishd -C -f VCL -n FRESH_DIR ...args`. */
  run(args: readonly string[]): Promise<SettingsVerdict> {
    return this.slots.run(async () => {
      const workdir = join(this.scratch, `n${this.counter++}`);
      // VCC's verdict is the one asked for: the C compiler is skipped (see vcc-only.ts).
      const run = vccOnlyArgs(args, this.text);
      const { code, stderr } = await runForStderr(this.varnishd, ['-C', '-f', this.vcl, '-n', workdir, ...run.args], this.timeoutMs);
      rmSync(workdir, { recursive: true, force: true });
      const verdict = classifyRun(code, stderr);
      if (verdict.kind === 'compile-failed' && vccAccepted(code, stderr, run.vccOnly)) return { kind: 'accepted', message: '', exitCode: code };
      return verdict;
    });
  }

  /** `run` with one `-p name=value` per setting, in order, after `before` (e.g. `-s` options). */
  runSettings(settings: readonly (readonly [string, string])[], before: readonly string[] = []): Promise<SettingsVerdict> {
    return this.run([...before, ...settings.flatMap(([n, v]) => ['-p', `${n}=${v}`])]);
  }

  /** Removes the scratch folder. */
  dispose(): void {
    rmSync(this.scratch, { recursive: true, force: true });
  }
}
