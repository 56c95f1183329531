/**
 * How `--fix` and `--fmt` put a new text in place of a file: never by
 * writing over it. The new bytes go to a temporary file in the same
 * directory, are flushed to disk, get the original's mode and owner, and
 * only then replace the original by a rename, so the file is at every
 * moment either the old text or the new one (a full disk loses nothing).
 * Just before the rename the original is read again: if it no longer holds
 * the bytes that were linted (someone saved it meanwhile), nothing is
 * written, as the new text would throw their edit away.
 *
 * Symbolic links: the file written is the link's target (the real path,
 * whether the link is the file or a directory on the way), so a link stays
 * a link, but only when that target lies inside one of `roots` (the
 * directories named on the command line, and the directories of the files
 * named there); a link that leads out of them is not written and the
 * message names the target. A file with several hard links is not written
 * either: a rename would give this name a new file and leave the other
 * names with the old text.
 */
import * as nodeFs from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { describeIoError, isInside } from '../io/io-errors.js';
import { readFileSafely } from '../io/safe-read.js';
import { MAX_SOURCE_BYTES } from '../service/input.js';

/** The file-system calls the writer makes; tests pass failing ones to play a full disk. */
export interface WriterFs {
  statSync: typeof nodeFs.statSync;
  realpathSync: (path: string | Buffer) => string | Buffer;
  openSync: typeof nodeFs.openSync;
  writeSync: (fd: number, buffer: Buffer, offset: number, length: number) => number;
  fsyncSync: typeof nodeFs.fsyncSync;
  fchmodSync: typeof nodeFs.fchmodSync;
  fchownSync: typeof nodeFs.fchownSync;
  fstatSync: typeof nodeFs.fstatSync;
  closeSync: typeof nodeFs.closeSync;
  renameSync: typeof nodeFs.renameSync;
  unlinkSync: typeof nodeFs.unlinkSync;
  readFileSync: (path: string | Buffer) => Buffer;
}

const realFs: WriterFs = {
  statSync: nodeFs.statSync,
  // The JS realpath mangles names that are not UTF-8; the native one keeps their bytes.
  realpathSync: (p) => (typeof p === 'string' ? nodeFs.realpathSync(p) : nodeFs.realpathSync.native(p, { encoding: 'buffer' })),
  openSync: nodeFs.openSync,
  writeSync: (fd, buffer, offset, length) => nodeFs.writeSync(fd, buffer, offset, length),
  fsyncSync: nodeFs.fsyncSync,
  fchmodSync: nodeFs.fchmodSync,
  fchownSync: nodeFs.fchownSync,
  fstatSync: nodeFs.fstatSync,
  closeSync: nodeFs.closeSync,
  renameSync: nodeFs.renameSync,
  unlinkSync: nodeFs.unlinkSync,
  // The safe reader: the path may have become a FIFO since it was read.
  readFileSync: (p) => {
    const read = readFileSafely(p, { maxBytes: MAX_SOURCE_BYTES + 3 });
    if (!read.ok) throw Object.assign(new Error(read.reason), read.code ? { code: read.code } : {});
    return read.bytes;
  },
};

export interface WriteRequest {
  /** The file as the command line reached it (a Buffer for names that are not UTF-8). */
  path: string | Buffer;
  /** How messages name it. */
  display: string;
  /** The bytes read and linted: the file must still hold exactly these. */
  expected: Buffer;
  /** The new content. */
  bytes: Buffer;
  /** Real paths of the trees a symlink may lead into (see the module comment). */
  roots: readonly string[];
  fs?: WriterFs;
}

/** `ok` with what was written (the target when it was reached through a link), or why nothing was. */
export type WriteResult = { ok: true; wrote: string; via?: string } | { ok: false; message: string };

/** The real paths of the trees `paths` (command-line operands) name: directories as they are, files by their directory. */
export function writeRoots(paths: readonly string[]): string[] {
  const roots: string[] = [];
  for (const p of paths) {
    try {
      // A file operand stands for its directory as spelled: if the file itself is a link, its target must be in there too.
      roots.push(nodeFs.statSync(p).isDirectory() ? nodeFs.realpathSync(p) : nodeFs.realpathSync(dirname(p)));
    } catch {
      // A path that cannot be resolved holds nothing that will be written.
    }
  }
  return roots;
}

/** Replaces the file's content as described in the module comment. Never throws. */
export function writeFileAtomically(req: WriteRequest): WriteResult {
  const fs = req.fs ?? realFs;
  const fail = (why: string): WriteResult => ({ ok: false, message: `cannot write '${req.display}': ${why}` });
  let target: string | Buffer;
  let via: string | undefined;
  try {
    // The real path: a link (to the file, or to a directory on the way) is written through, not replaced.
    target = fs.realpathSync(req.path);
    const shown = target.toString();
    if (shown !== resolve(req.path.toString())) {
      if (!req.roots.some((r) => isInside(shown, r))) {
        return fail(`it leads through a symbolic link to '${shown}', outside the files and directories named on the command line; not written (name the target to change it)`);
      }
      via = shown;
    }
  } catch (err) {
    return fail(describeIoError(err));
  }
  let st: nodeFs.Stats;
  try {
    st = fs.statSync(target);
  } catch (err) {
    return fail(describeIoError(err));
  }
  if (!st.isFile()) return fail('not a regular file; not written');
  if (st.nlink > 1) return fail(`it has ${st.nlink} hard links, and replacing it would leave the others with the old text; not written`);
  // latin1 maps each byte to one character and back, so a name that is not UTF-8 survives dirname/basename/join.
  const dir = typeof target === 'string' ? dirname(target) : Buffer.from(dirname(target.toString('latin1')), 'latin1');
  const base = typeof target === 'string' ? basename(target) : basename(target.toString('latin1'));
  const tmpName = `.${base}.vcl-lint-${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`;
  const tmp: string | Buffer = typeof dir === 'string' ? join(dir, tmpName) : Buffer.from(join(dir.toString('latin1'), tmpName), 'latin1');
  let fd: number | undefined;
  const cleanup = (): void => {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // Already failing; the unlink below is what matters.
      }
      fd = undefined;
    }
    try {
      fs.unlinkSync(tmp);
    } catch {
      // Nothing was created, or it is gone already.
    }
  };
  try {
    // 'wx': never reuse a file that is there (another run, or a planted link).
    fd = fs.openSync(tmp, 'wx', 0o600);
  } catch (err) {
    return fail(`cannot create a temporary file next to it: ${describeIoError(err)}`);
  }
  try {
    let off = 0;
    while (off < req.bytes.length) {
      const n = fs.writeSync(fd, req.bytes, off, req.bytes.length - off);
      if (n <= 0) throw Object.assign(new Error('short write'), { code: 'EIO' });
      off += n;
    }
    fs.fsyncSync(fd);
    fs.fchmodSync(fd, st.mode & 0o7777);
    const own = fs.fstatSync(fd);
    if (own.uid !== st.uid || own.gid !== st.gid) fs.fchownSync(fd, st.uid, st.gid);
    fs.closeSync(fd);
    fd = undefined;
  } catch (err) {
    cleanup();
    const code = (err as { code?: unknown }).code;
    const what = code === 'EPERM' ? 'cannot keep its owner' : 'the new text could not be written';
    return fail(`${what} (${describeIoError(err)}); the file is unchanged`);
  }
  let now: Buffer;
  try {
    now = fs.readFileSync(target);
  } catch (err) {
    cleanup();
    return fail(`cannot read it again before replacing it: ${describeIoError(err)}; not written`);
  }
  if (!now.equals(req.expected)) {
    cleanup();
    return fail('it changed since it was read (saved meanwhile?); not written, run again');
  }
  try {
    fs.renameSync(tmp, target);
  } catch (err) {
    cleanup();
    return fail(`${describeIoError(err)}; the file is unchanged`);
  }
  syncDirectory(dir, fs);
  return via === undefined ? { ok: true, wrote: req.display } : { ok: true, wrote: via, via: req.display };
}

/** Flushes the directory entry of the rename; where directories cannot be opened (Windows) the rename stands anyway. */
function syncDirectory(dir: string | Buffer, fs: WriterFs): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Best effort.
  } finally {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // Best effort.
      }
    }
  }
}
