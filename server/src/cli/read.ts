/**
 * Reads a file for linting without ever loading more than the analysers
 * accept: oversized input is refused from its size, so a 5 GB log passed by
 * mistake costs one `stat`, not 5 GB of memory.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { decodeSource, MAX_SOURCE_BYTES } from '../service/input.js';
import { describeIoError } from './io-errors.js';

/** What reading one file gave. */
export type ReadResult =
  /** The text to lint; `bom` records a stripped UTF-8 BOM so `--fix` can write it back. */
  | { kind: 'text'; text: string; bom: boolean }
  /** Readable, but not something to analyse (binary, not UTF-8, too large). */
  | { kind: 'refused'; reason: string }
  /** Could not be read at all. */
  | { kind: 'io-error'; message: string };

const BOM = [0xef, 0xbb, 0xbf];

/** Reads and decodes one file. Never throws. */
export function readSource(path: string): ReadResult {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    return { kind: 'io-error', message: `cannot read '${path}': ${describeIoError(err)}` };
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return { kind: 'io-error', message: `cannot read '${path}': is a directory` };
    if (st.isFile() && st.size > MAX_SOURCE_BYTES) {
      return { kind: 'refused', reason: `file is too large to analyse (${mb(st.size)}; the limit is ${mb(MAX_SOURCE_BYTES)})` };
    }
    // Read in chunks up to one byte past the limit: pipes and devices report no size.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, MAX_SOURCE_BYTES + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > MAX_SOURCE_BYTES) break;
    }
    const bytes = Buffer.concat(chunks, total);
    const decoded = decodeSource(bytes);
    if (!decoded.ok) return { kind: 'refused', reason: decoded.reason };
    const bom = BOM.every((b, i) => bytes[i] === b);
    return { kind: 'text', text: decoded.text, bom };
  } catch (err) {
    return { kind: 'io-error', message: `cannot read '${path}': ${describeIoError(err)}` };
  } finally {
    try {
      closeSync(fd);
    } catch {
      // Nothing useful to do: the bytes are already read.
    }
  }
}

function mb(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
