/**
 * A cache of the C compiler's work for the live tests' varnishd instances.
 *
 * Every start of a real varnishd compiles its VCL: VCC writes C, and the
 * release's default `cc_command` (`exec x86_64-linux-gnu-gcc ... -o %o %s`
 * on every Debian release here) builds the shared object. The live tests
 * start varnishd about seventy times over a run, mostly with the same VCL
 * (a test's cases share one backend), and the C compiler was about 28 s of
 * the suite's CPU. So the instances run with a folder in front of PATH that
 * holds a program named as the compiler: it keeps each shared object by
 * what went into it (the real compiler's path, size and date, every
 * argument but the output's name, and the C source's bytes) and copies it
 * out when the same work comes again; otherwise it runs the real compiler
 * (the next one on PATH) and keeps the result. varnishd still runs VCC,
 * loads the object and runs the VCL: only an identical compilation is
 * skipped. VCC's C source names the VCL file, so the instances read their
 * VCL from a path made from its text (see varnish-instance.ts).
 *
 * The folder lies at the same path on this machine and inside each
 * release's root (`/tmp/vcl-test-cc`), as varnishd in a chroot sees it.
 * `VCL_TEST_CC_CACHE=0` turns it off.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder as varnishd sees it (on this machine, or inside its root). */
export const CC_CACHE_DIR = '/tmp/vcl-test-cc';
/** The compiler name of the releases' default cc_command. */
const COMPILER = 'x86_64-linux-gnu-gcc';

// POSIX sh and coreutils only: it runs inside each release's root too.
const SHIM = `#!/bin/sh
# Test-only (see test/live/cc-cache.ts): the compiler this is named after,
# with each shared object kept by what went into it.
here=$(dirname "$0")
name=$(basename "$0")
real=
oldifs=$IFS
IFS=:
for d in $PATH; do
  [ "$d" = "$here" ] && continue
  if [ -x "$d/$name" ]; then real="$d/$name"; break; fi
done
IFS=$oldifs
[ -n "$real" ] || { echo "$name: not found" >&2; exit 127; }
out=
src=
prev=
for a in "$@"; do
  [ "$prev" = "-o" ] && out=$a
  case $a in *.c) src=$a ;; esac
  prev=$a
done
[ -n "$out" ] && [ -n "$src" ] && [ -f "$src" ] || exec "$real" "$@"
key=$( {
  stat -L -c '%n %s %Y' "$real"
  prev=
  for a in "$@"; do [ "$prev" = "-o" ] || printf '%s\\n' "$a"; prev=$a; done
  cat "$src"
} | sha256sum | cut -c1-64)
cache="$here/../cache"
if [ -f "$cache/$key.so" ] && cp "$cache/$key.so" "$out"; then exit 0; fi
"$real" "$@" || exit $?
mkdir -p "$cache" && cp "$out" "$cache/$key.$$" && mv "$cache/$key.$$" "$cache/$key.so"
exit 0
`;

/**
 * The VCL file holding `vcl`, under `base`, made when missing: the same text
 * is always read from the same path (VCC writes the path into the C
 * source). A file already there is marked as used, so that pruning keeps it.
 */
export function vclFileFor(base: string, vcl: string): string {
  const folder = join(base, CC_CACHE_DIR, 'vcl', createHash('sha256').update(vcl).digest('hex').slice(0, 24));
  const file = join(folder, 'main.vcl');
  if (writeOnce(file, vcl, 0o644)) return file;
  const now = new Date();
  utimesSync(folder, now, now);
  return file;
}

/**
 * Writes `text` to `file` (mode `mode`, its folder made readable to all)
 * unless the file is there; false when it was. Written aside and renamed:
 * another test process may be making the same file.
 */
function writeOnce(file: string, text: string, mode: number): boolean {
  if (existsSync(file)) return false;
  mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
  const tmp = `${file}.${process.pid}`;
  writeFileSync(tmp, text);
  chmodSync(tmp, mode);
  renameSync(tmp, file);
  return true;
}

/**
 * Makes the compiler folder under `base` (the root varnishd runs in, or `/`)
 * once, and returns the PATH for varnishd with it in front; the given PATH
 * when the cache is turned off.
 */
export function ccCachePath(base: string, path: string | undefined): string | undefined {
  if (process.env['VCL_TEST_CC_CACHE'] === '0') return path;
  pruneOnce(base);
  // Named by the program's text, so that a changed program is not hidden by an older one left in /tmp.
  const inner = join(CC_CACHE_DIR, `bin-${createHash('sha256').update(SHIM).digest('hex').slice(0, 12)}`);
  writeOnce(join(base, inner, COMPILER), SHIM, 0o755);
  return `${inner}:${path ?? '/usr/sbin:/usr/bin:/sbin:/bin'}`;
}

/** How long kept objects and VCL files stay: each run's backends listen on new ports, so its VCL is new. */
const KEEP_MS = 24 * 3600 * 1000;
const pruned = new Set<string>();

/** Removes, once per process and root, what earlier runs left more than a day ago. */
function pruneOnce(base: string): void {
  if (pruned.has(base)) return;
  pruned.add(base);
  const old = Date.now() - KEEP_MS;
  for (const sub of ['cache', 'vcl']) {
    const dir = join(base, CC_CACHE_DIR, sub);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      try {
        if (statSync(join(dir, name)).mtimeMs < old) rmSync(join(dir, name), { recursive: true, force: true });
      } catch {
        // Removed by another test process meanwhile.
      }
    }
  }
}
