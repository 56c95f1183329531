/**
 * `vcl-lint`'s first file: loads the CLI bundle (cli-main.cjs, beside this
 * file) with V8's code cache, so that a run does not compile the 1.5 MB
 * bundle again. Compiling it is a fifth of a small file's whole run
 * (measured: about 26 ms of 270 on the 2-vCPU test machine); node 22 has
 * this built in (`module.enableCompileCache`), node 20 does not.
 *
 * The cache lives in the user's own cache folder (`$XDG_CACHE_HOME` or
 * `~/.cache`, under `vcl-tools/`), made readable and writable by the user
 * alone, and is used only from a folder the user owns that others cannot
 * write: code read from a cache is code run. Its data is checked against a
 * CRC-32 kept with it (node 20's V8 would crash on damaged bytes), and V8
 * checks it against the source's length and its own version and flags,
 * refusing what does not match (the bundle is then compiled as usual and
 * the cache written again).
 * Every failure here only means a slower start: nothing is ever reported.
 */
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync, constants } from 'node:fs';
import { isAscii } from 'node:buffer';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { crc32 } from 'node:zlib';

declare const __filename: string;

// A run is over before most of the engine's code is optimized: a 10,000-file
// run keeps V8's optimizing compiler busy on the second core for longer than
// the run lasts (4.7 s of compiler time in a 3 s run, measured with
// --trace-opt), and code waits in slower tiers meanwhile. Without inlining each
// compile is several times cheaper, so optimized code arrives sooner (measured
// in docs/performance.md, part 9). Set before the bundle is compiled, so the
// code cache is made and checked under the same flags every run. The language
// server, which runs for hours, keeps V8's defaults.
setFlagsFromString('--no-turbo-inlining');

const bundle = join(dirname(__filename), 'cli-main.cjs');
// The bundle is ASCII (esbuild escapes the rest): read as latin1 it needs no UTF-8 decoding, which
// took a third of the read (measured: 10 ms against 6 for the 1.5 MB bundle, on a 2-vCPU machine).
const raw = readFileSync(bundle);
const source = isAscii(raw) ? raw.toString('latin1') : raw.toString('utf8');

/** The cache folder, when there is one the user alone can write; undefined otherwise. */
function cacheDir(): string | undefined {
  if (process.env['VCL_LINT_NO_CACHE']) return undefined;
  if (typeof process.getuid !== 'function') return undefined;
  const base = process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  const dir = join(base, 'vcl-tools', `node-${process.versions.v8}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const d of [dir, dirname(dir)]) {
      const st = lstatSync(d);
      // Ours, a real folder, and nobody else may write into it.
      if (!st.isDirectory() || st.uid !== process.getuid() || (st.mode & 0o022) !== 0) return undefined;
    }
    return dir;
  } catch {
    return undefined;
  }
}

const dir = cacheDir();
// V8 checks a cache against the source's length, not its content: the entry is named by the bundle
// file's identity too (inode, size, modification time), so an updated bundle never meets an old cache.
const file = dir && join(dir, `cli-${bundleId()}.v8cache`);
/**
 * A cache file: this header, the CRC-32 of the data, then the data. V8 (as
 * node 20 builds it) does not check its cache data: bytes damaged on disk
 * crash the process in the deserializer. So the data is checked here first.
 * A CRC is made to catch damage, and zlib's is native: loading node's crypto
 * module for a SHA-256 took 6 to 7 ms of a 250 ms run. The folder is the
 * user's own (see cacheDir), so the check guards against accidents, not
 * against someone who writes there.
 */
const MAGIC = Buffer.from('vcl-tools v8 cache 2\n');
const HASH_BYTES = 4;

/** The check bytes of `data`. */
function checksum(data: Buffer): Buffer {
  const out = Buffer.alloc(HASH_BYTES);
  out.writeUInt32BE(crc32(data));
  return out;
}

let cached: Buffer | undefined;
if (file) {
  try {
    const st = lstatSync(file);
    if (st.isFile() && st.uid === process.getuid!() && (st.mode & 0o022) === 0) cached = checked(readFileSync(file));
  } catch {
    cached = undefined;
  }
}

/** The data of a cache file whose header and hash are right; undefined otherwise. */
function checked(bytes: Buffer): Buffer | undefined {
  const start = MAGIC.length + HASH_BYTES;
  if (bytes.length <= start || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const data = bytes.subarray(start);
  return checksum(data).equals(bytes.subarray(MAGIC.length, start)) ? data : undefined;
}

// The bundle runs as CommonJS would run it: wrapped in a function of (exports, require, module, __filename, __dirname).
const wrapper = `(function (exports, require, module, __filename, __dirname) { ${source.replace(/^#!.*/, '')}\n})`;
const script = new Script(wrapper, { filename: bundle, ...(cached ? { cachedData: cached } : {}) });
if (file && (!cached || script.cachedDataRejected)) {
  // After the run the cache also holds the functions the run compiled.
  process.once('exit', () => writeCache(file, script));
}
const module = { exports: {} as unknown, filename: bundle };
(script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(bundle), module, bundle, dirname(bundle));

/** Writes the cache by a temporary file and a rename, so that no reader ever sees half of it. */
function writeCache(path: string, s: Script): void {
  try {
    const data = s.createCachedData();
    const tmp = `${path}.${process.pid}.tmp`;
    const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    try {
      writeSync(fd, Buffer.concat([MAGIC, checksum(data), data]));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    dropOldEntries(dirname(path));
  } catch {
    // A cache that cannot be written only makes the next start as slow as this one.
  }
}

/** Entries kept per folder: a few installs (a global one, a project's) side by side, not every bundle ever built. */
const KEPT_ENTRIES = 4;

/** Removes all but the newest {@link KEPT_ENTRIES} entries (each rebuilt or updated bundle leaves one behind). */
function dropOldEntries(dir: string): void {
  const entries = readdirSync(dir)
    .filter((name) => /^cli-.*\.v8cache$/.test(name))
    .map((name) => ({ path: join(dir, name), time: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.time - a.time);
  for (const old of entries.slice(KEPT_ENTRIES)) unlinkSync(old.path);
}

/** The bundle file's identity: a reinstalled or rebuilt bundle gets another. */
function bundleId(): string {
  const st = statSync(bundle);
  return `${st.ino}-${st.size}-${Math.round(st.mtimeMs)}`;
}
