/**
 * Runs the real varnishd compiler (`varnishd -C`) on a VCL file and reads
 * its verdict. varnishd drops privileges while compiling, so the file is
 * copied into a world-readable scratch folder first.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { vccAccepted, vccOnlyArgs } from './vcc-only.js';

export interface VarnishdVerdict {
  accepted: boolean;
  /** First line of the compiler's message. */
  message?: string;
  /** Line varnishd names, when the location is in the file itself. */
  line?: number;
}

const candidates = ['/usr/sbin/varnishd', '/usr/local/sbin/varnishd', '/usr/bin/varnishd'];

/** Path of the installed varnishd, or undefined. */
export function findVarnishd(): string | undefined {
  return candidates.find((c) => existsSync(c));
}

let scratch: string | undefined;
let counter = 0;

function scratchDir(): string {
  if (!scratch) {
    scratch = mkdtempSync(join(tmpdir(), 'vcl-oracle-'));
    chmodSync(scratch, 0o755);
    process.on('exit', () => rmSync(scratch!, { recursive: true, force: true }));
  }
  return scratch;
}

/**
 * A copy of `folder` (its whole tree) in the world-readable scratch folder,
 * for compiling files in place with their relative includes: the clone may
 * sit in a folder other users cannot enter, and varnishd reads as another user.
 */
export function worldReadableCopy(folder: string): string {
  const copy = join(scratchDir(), `${counter++}-${basename(folder)}`);
  cpSync(folder, copy, { recursive: true });
  const open = (p: string): void => {
    const dir = statSync(p).isDirectory();
    chmodSync(p, dir ? 0o755 : 0o644);
    if (dir) for (const e of readdirSync(p)) open(join(p, e));
  };
  open(copy);
  return copy;
}

/** Compiles a VCL text (written to a scratch file) with varnishd -C. */
export function compileTextWithVarnishd(varnishd: string, text: string, extraArgs: readonly string[] = []): VarnishdVerdict {
  const file = join(scratchDir(), `${counter++}-text.vcl`);
  writeFileSync(file, text);
  chmodSync(file, 0o644);
  return compileWithVarnishd(varnishd, file, extraArgs, { inPlace: true, text });
}

/**
 * Compiles `file` with varnishd -C and extra arguments (such as `-p name=value`):
 * VCC's verdict (the C compiler runs only where inline C is allowed).
 * `inPlace` compiles the file where it is (so relative includes resolve); it
 * and its folder must then be readable by others. `text`: the file's text,
 * when it is the whole program (see vcc-only.ts: a program without inline C
 * needs no C compiler).
 */
export function compileWithVarnishd(varnishd: string, file: string, extraArgs: readonly string[] = [], opts: { inPlace?: boolean; text?: string } = {}): VarnishdVerdict {
  const dir = scratchDir();
  let copy = file;
  if (!opts.inPlace) {
    copy = join(dir, `${counter++}-${basename(file)}`);
    copyFileSync(file, copy);
    chmodSync(copy, 0o644);
  }
  const workdir = join(dir, `n${counter++}`);
  // VCC's verdict, without building the C program unless the run allows inline C (see vcc-only.ts).
  const run = vccOnlyArgs(extraArgs, opts.text);
  const r = spawnSync(varnishd, ['-C', '-f', copy, '-n', workdir, ...run.args], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  rmSync(workdir, { recursive: true, force: true });
  if (vccAccepted(r.status, r.stderr ?? '', run.vccOnly)) return { accepted: true };
  const err = r.stderr ?? '';
  const afterHeader = err.split('Message from VCC-compiler:\n')[1] ?? err;
  const message = afterHeader.split('\n').find((l) => l.trim() !== '')?.trim();
  const loc = new RegExp(`\\('${escape(copy)}' Line (\\d+) Pos \\d+\\)`).exec(err);
  return { accepted: false, message, line: loc ? Number(loc[1]) : undefined };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
