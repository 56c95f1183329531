/**
 * The real compilers of the checked releases: `vcc-6.5`, `vcc-7.1`,
 * `vcc-7.7` and `vcc-9.0`, made by ../shared/tools/setup-varnish-oracles.sh
 * in `$VARNISH_ORACLES` (default /opt/varnish-oracles). Each runs
 * `varnishd -C -f FILE ARGS` of its release in a chroot: exit 0 when it
 * compiles, 2 when it refuses. They need root (unshare, mount, chroot) and
 * a file that other users can read (the compiler runs jailed).
 *
 * Tests that need one ask {@link oracleMissing} and skip with its reason.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VarnishVersion } from '../../server/src/facts/versions.js';
import { vccAccepted, vccOnlyArgs } from './vcc-only.js';
import { sharedSpawner } from './spawner.js';

/** The folder the compilers are looked for in. */
export function oracleRoot(): string {
  return process.env['VARNISH_ORACLES'] || '/opt/varnish-oracles';
}

/** The path of `vcc-<version>` (it may be missing; see {@link oracleMissing}). */
export function oraclePath(version: VarnishVersion): string {
  return join(oracleRoot(), `vcc-${version}`);
}

/** Why the compiler of `version` cannot be used here, in a few words; undefined when it can. */
export function oracleMissing(version: VarnishVersion): string | undefined {
  const bin = oraclePath(version);
  try {
    if (!statSync(bin).isFile()) return `vcc-${version} not found in ${oracleRoot()} (set VARNISH_ORACLES)`;
    accessSync(bin, constants.X_OK);
  } catch {
    return `vcc-${version} not found in ${oracleRoot()} (set VARNISH_ORACLES)`;
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return `vcc-${version} needs root`;
  return undefined;
}

/** What a release's compiler said of a program. */
export interface OracleVerdict {
  accepted: boolean;
  /** The first line of VCC's message, when it refused. */
  message?: string;
  /** The line VCC points at in the program, when it names one. */
  line?: number;
}

let scratch: string | undefined;
let written = 0;

/**
 * Compiles `text` with the real compiler of `version` (`vcc-<version>`,
 * which runs `varnishd -C`). The file goes to a folder other users can read,
 * as the jailed compiler needs. Call only when {@link oracleMissing} is undefined.
 */
export function compileWithOracle(version: VarnishVersion, text: string, args: readonly string[] = []): OracleVerdict {
  const file = scratchFile(text);
  // VCC's verdict, without building the C program unless the run allows inline C (see vcc-only.ts).
  const run = vccOnlyArgs(args, text);
  const r = spawnSync(oraclePath(version), [file, ...run.args], { encoding: 'utf8', timeout: 120_000 });
  return verdictOf(file, r.status, `${r.stderr ?? ''}${r.error ? String(r.error) : ''}`, run.vccOnly);
}

/** `text` in a new file that the jailed compiler can read. */
function scratchFile(text: string): string {
  if (!scratch) {
    scratch = mkdtempSync(join(tmpdir(), 'vcl-oracle-'));
    chmodSync(scratch, 0o755);
  }
  const file = join(scratch, `p${written++}.vcl`);
  writeFileSync(file, text);
  chmodSync(file, 0o644);
  return file;
}

/** The verdict from a run's exit code and stderr. */
function verdictOf(file: string, code: number | null, err: string, vccOnly: boolean): OracleVerdict {
  if (vccAccepted(code, err, vccOnly)) return { accepted: true };
  const after = err.split('Message from VCC-compiler:\n')[1] ?? err;
  const message = after.split('\n').find((l) => l.trim() !== '')?.trim();
  const at = new RegExp(`\\('${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}' Line (\\d+) Pos \\d+\\)`).exec(err);
  return { accepted: false, ...(message ? { message } : {}), ...(at ? { line: Number(at[1]) } : {}) };
}

/**
 * {@link compileWithOracle} without waiting: the runs go through the shared
 * spawner (two at a time, from a small shell), so a suite can ask for many
 * verdicts at once.
 */
export async function compileWithOracleAsync(version: VarnishVersion, text: string, args: readonly string[] = []): Promise<OracleVerdict> {
  return compileFileWithOracleAsync(version, scratchFile(text), args);
}

/**
 * Compiles the VCL file at `file` where it is (its includes with `./` are
 * then next to it), with the real compiler of `version`. The file and its
 * folder must be readable by other users, as the jailed compiler needs.
 */
export async function compileFileWithOracleAsync(version: VarnishVersion, file: string, args: readonly string[] = []): Promise<OracleVerdict> {
  const run = vccOnlyArgs(args, readFileSync(file, 'utf8'));
  const r = await sharedSpawner().run(oraclePath(version), [file, ...run.args], 120_000);
  return verdictOf(file, r.code, r.stderr, run.vccOnly);
}

/**
 * The Debian root the compiler of `version` runs in (its wrapper's
 * `CHROOT=` line): the whole Varnish of that release is installed there,
 * varnishd, varnishlog and varnishadm included. Undefined when the
 * compiler cannot be used (see {@link oracleMissing}) or runs unjailed.
 */
export function oracleChroot(version: VarnishVersion): string | undefined {
  if (oracleMissing(version)) return undefined;
  const m = /^CHROOT='([^']+)'$/m.exec(readFileSync(oraclePath(version), 'utf8'));
  return m?.[1] || undefined;
}
