/**
 * The command line as bytes. Node decodes `process.argv` as UTF-8 and puts
 * U+FFFD for every byte that is not, so a file name in Latin-1 (`caf\xe9.vcl`)
 * arrives as `caf\uFFFD.vcl`, a name no file has. On Linux the kernel keeps
 * the arguments as they were given in /proc/self/cmdline (NUL-separated);
 * the exact name is found there.
 */
import { lstatSync, readFileSync } from 'node:fs';

/** The arguments of this process as given, program name included; empty where the system does not tell. */
export function processArgumentBytes(): Buffer[] {
  let raw: Buffer;
  try {
    // Not through the size-checked reader: procfs reports size 0, and this file is the kernel's own, bounded by ARG_MAX.
    raw = readFileSync('/proc/self/cmdline');
  } catch {
    return [];
  }
  const out: Buffer[] = [];
  let start = 0;
  for (let i = raw.indexOf(0); i >= 0; i = raw.indexOf(0, start)) {
    out.push(raw.subarray(start, i));
    start = i + 1;
  }
  if (start < raw.length) out.push(raw.subarray(start));
  return out;
}

/**
 * Finds the bytes of paths that Node decoded with replacement characters.
 * `find(path)` answers for one command-line path: the bytes of an argument
 * (or of the value of a `--name=value` argument) that decodes to `path` and
 * names something that exists. When several differently spelled arguments
 * decode the same way, the n-th call for that text gets the n-th of them.
 * Undefined when `path` has no U+FFFD, exists as written, or nothing fits.
 */
export function rawPathFinder(argumentBytes: () => readonly Buffer[] = processArgumentBytes): (path: string) => Buffer | undefined {
  let args: readonly Buffer[] | undefined;
  const asked = new Map<string, number>();
  return (path) => {
    if (!path.includes('\uFFFD') || exists(path)) return undefined;
    args ??= argumentBytes();
    const candidates: Buffer[] = [];
    for (const arg of args) {
      const value = valueOf(arg, path);
      if (value && exists(value) && !candidates.some((c) => c.equals(value))) candidates.push(value);
    }
    if (candidates.length === 0) return undefined;
    const n = asked.get(path) ?? 0;
    asked.set(path, n + 1);
    return candidates[Math.min(n, candidates.length - 1)];
  };
}

/** `arg` itself, or the part after `=` of a `--name=value` argument, when it decodes to `path`. */
function valueOf(arg: Buffer, path: string): Buffer | undefined {
  if (arg.toString('utf8') === path) return arg;
  if (arg[0] === 0x2d && arg[1] === 0x2d) {
    const eq = arg.indexOf(0x3d /* = */);
    if (eq > 0 && arg.subarray(eq + 1).toString('utf8') === path) return arg.subarray(eq + 1);
  }
  return undefined;
}

function exists(path: string | Buffer): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
