/**
 * The one way the tools read a file from disk (sources, includes, the
 * configuration, vmod libraries, the head of a possible parameter file).
 * Only regular files are read: a FIFO would block forever, a device such
 * as /dev/zero never ends, and /proc files report a size of 0 (or lie) and
 * can be endless or crash a plain read. So the path is checked, the file
 * is opened without blocking and checked again on the open descriptor, and
 * at most `maxBytes` are read whatever the size says. It sits below every
 * other layer and needs nothing but `node:fs`.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { resolve, sep } from 'node:path';
import { describeIoError } from './io-errors.js';

/** What reading one file gave. Never an exception. */
export type SafeRead =
  /** `bytes` are the whole file, or its first `maxBytes` with `truncated` when `head` was asked. */
  | { ok: true; bytes: Buffer; stat: Stats; truncated: boolean }
  /**
   * `missing`: the path does not lead to a file (ENOENT, ENOTDIR);
   * `refused`: it exists but is not something to read (FIFO, device,
   * directory, a /proc file, too large); `error`: any other failure.
   */
  | { ok: false; kind: 'missing' | 'refused' | 'error'; reason: string; code?: string };

export interface SafeReadOptions {
  /** Largest number of bytes read. */
  maxBytes: number;
  /** Read only the first `maxBytes` instead of refusing a larger file. */
  head?: boolean;
  /**
   * Where the file really is (links resolved; bytes as latin1 will do),
   * when the caller has worked it out already: the folder walk of the CLI
   * knows it for every file that is no link, and asking the system again
   * was a realpath (a system call per path component) for every file of a
   * 10,000-file run.
   */
  realPath?: string;
  /**
   * The caller saw a regular file at the path (the CLI's folder walk, in
   * the directory's entry): the check by path before opening is left out,
   * and the one on the open descriptor, which every read makes, decides
   * (a stat per file of a 10,000-file run).
   */
  regular?: boolean;
}

/** Trees of the kernel's pseudo-files: never source text, and reading some of them can hang or crash. */
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];

// Missing on Windows; there a FIFO cannot be met by path anyway.
const NONBLOCK = constants.O_NONBLOCK ?? 0;
const NOCTTY = constants.O_NOCTTY ?? 0;

/** The kind of a non-regular file, in words for messages. */
export function fileTypeName(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** Why `path` lies in a pseudo-file tree (by its spelling or where it really is, `known` when given), or undefined. */
function pseudoTree(path: string | Buffer, known?: string): string | undefined {
  const spelled = typeof path === 'string' ? resolve(path) : undefined;
  const real = known ?? realPathOf(path);
  for (const p of [spelled, real]) {
    if (p === undefined) continue;
    const root = PSEUDO_ROOTS.find((r) => p === r || p.startsWith(r + sep) || p.startsWith(r + '/'));
    if (root) return root;
  }
  return undefined;
}

/** Where `path` really is, as a string (bytes as latin1 for a Buffer path); undefined when it cannot be resolved. */
function realPathOf(path: string | Buffer): string | undefined {
  try {
    // The native realpath (the C library's: a readlink per path component, measured) is much
    // cheaper than the JavaScript one (an lstat per component and a cache; a third of a
    // 10,000-file run).
    return typeof path === 'string' ? realpathSync.native(path) : realpathSync.native(path, { encoding: 'buffer' }).toString('latin1');
  } catch {
    return undefined;
  }
}

const MISSING = new Set(['ENOENT', 'ENOTDIR']);

function failure(err: unknown): SafeRead & { ok: false } {
  const code = (err as { code?: unknown } | null)?.code;
  const c = typeof code === 'string' ? code : undefined;
  return { ok: false, kind: c !== undefined && MISSING.has(c) ? 'missing' : c === 'EISDIR' ? 'refused' : 'error', reason: describeIoError(err), ...(c ? { code: c } : {}) };
}

function size(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}

/** Where the end of a file is confirmed after a short read. */
const probe = Buffer.alloc(4096);

/**
 * Opens a regular file for reading after the checks every read makes (not
 * under a pseudo-file tree, a regular file by its path unless the caller
 * saw one there (`known.regular`), and again on the open descriptor, at
 * most `maxBytes` by its size when given). The caller closes the descriptor.
 */
function openRegularFile(path: string | Buffer, maxBytes?: number, known: { realPath?: string; regular?: boolean } = {}): { ok: true; fd: number; stat: Stats } | (SafeRead & { ok: false }) {
  const tree = pseudoTree(path, known.realPath);
  if (tree) return { ok: false, kind: 'refused', reason: `is under ${tree}, not a regular file to read` };
  if (known.regular !== true) {
    // Devices and FIFOs are refused before they are opened at all.
    let st: Stats;
    try {
      st = statSync(path);
    } catch (err) {
      return failure(err);
    }
    if (!st.isFile()) return { ok: false, kind: 'refused', reason: `is ${fileTypeName(st)}, not a regular file` };
    if (maxBytes !== undefined && st.size > maxBytes) return tooLarge(st.size, maxBytes);
  }
  let fd: number;
  try {
    // Non-blocking: if the path became a FIFO since the stat, open and read return at once.
    fd = openSync(path, constants.O_RDONLY | NONBLOCK | NOCTTY);
  } catch (err) {
    return failure(err);
  }
  let fst: Stats;
  try {
    fst = fstatSync(fd);
  } catch (err) {
    closeQuietly(fd);
    return failure(err);
  }
  if (!fst.isFile()) {
    closeQuietly(fd);
    return { ok: false, kind: 'refused', reason: `is ${fileTypeName(fst)}, not a regular file` };
  }
  if (maxBytes !== undefined && fst.size > maxBytes) {
    closeQuietly(fd);
    return tooLarge(fst.size, maxBytes);
  }
  return { ok: true, fd, stat: fst };
}

function tooLarge(bytes: number, maxBytes: number): SafeRead & { ok: false } {
  return { ok: false, kind: 'refused', reason: `file is too large to analyse (${size(bytes)}; the limit is ${size(maxBytes)})` };
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // The bytes are read; a failed close changes nothing for the caller.
  }
}

/** Bytes handed to a chunk reader at a time. Larger pieces decode into strings kept outside the heap, which the collector frees late: 1 MB pieces doubled the peak memory of reading a 100 MB capture. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Reads a regular file of any size a piece at a time, with the checks of
 * {@link readFileSafely}, handing each piece to `onChunk` (which may keep
 * it; returning false stops the read). Reads no further than the size the
 * file had when opened, so a file still growing ends. Never throws; an
 * exception from `onChunk` is reported as a failure to read.
 */
export function readFileChunks(path: string | Buffer, onChunk: (bytes: Buffer) => boolean): { ok: true; bytes: number } | (SafeRead & { ok: false }) {
  const opened = openRegularFile(path);
  if (!opened.ok) return opened;
  const { fd, stat } = opened;
  try {
    let total = 0;
    while (total < stat.size) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, stat.size - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (!onChunk(chunk.subarray(0, n))) break;
    }
    return { ok: true, bytes: total };
  } catch (err) {
    return failure(err);
  } finally {
    closeQuietly(fd);
  }
}

/** Reads a regular file, bounded, without ever blocking on it. Never throws. */
export function readFileSafely(path: string | Buffer, options: SafeReadOptions): SafeRead {
  const opened = openRegularFile(path, options.head ? undefined : options.maxBytes, options);
  if (!opened.ok) return opened;
  const { fd, stat: fst } = opened;
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    // One byte past the limit tells a file that grew (or lied about its size) from one that fits.
    const want = options.head ? options.maxBytes : options.maxBytes + 1;
    // The first read is sized by the stat (plus the byte that tells the end); after a short
    // read that did not end where the stat said, the end is confirmed in a small shared
    // buffer. A megabyte per read (and a second one to see the end) cost a folder of 5,000
    // small files a second of allocation.
    // An empty file is confirmed empty in the shared buffer too (64 KB for each of a folder of
    // empty files was most of the collector's work).
    let chunkSize = fst.size > 0 ? fst.size + 1 : 1 << 20;
    let short = fst.size === 0;
    while (total < want) {
      if (short) {
        const n = readSync(fd, probe, 0, Math.min(probe.length, want - total), null);
        if (n === 0) break;
        chunks.push(Buffer.from(probe.subarray(0, n)));
        total += n;
        short = n < probe.length;
        continue;
      }
      const chunk = Buffer.allocUnsafe(Math.min(chunkSize, 1 << 20, want - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      short = n < chunk.length;
      // A short read of a regular file is its end: when it ends where the stat said, asking
      // again only costs a system call per file. A file that grew since the stat fills the
      // byte asked past its size and is read on.
      if (short && total === fst.size) break;
      chunkSize = 1 << 20;
    }
    if (!options.head && total > options.maxBytes) {
      return { ok: false, kind: 'refused', reason: `file is too large to analyse (over ${size(options.maxBytes)})` };
    }
    // Mostly one read: its bytes as they are, not copied.
    const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
    return { ok: true, bytes, stat: fst, truncated: options.head === true && total >= options.maxBytes };
  } catch (err) {
    return failure(err);
  } finally {
    closeQuietly(fd);
  }
}
