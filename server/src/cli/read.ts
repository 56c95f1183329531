/**
 * Reads a file for linting without ever loading more than the analysers
 * accept: oversized input is refused from its size, so a 5 GB log passed by
 * mistake costs one `stat`, not 5 GB of memory; FIFOs, devices and /proc
 * files are refused before they can block or never end.
 */
import { decodeSource, MAX_SOURCE_BYTES } from '../service/input.js';
import { readFileSafely } from '../io/safe-read.js';

/** What reading one file gave. */
export type ReadResult =
  /**
   * The text to lint; `bom` records a stripped UTF-8 BOM so `--fix` can
   * write it back; `bytes` are the file as read, so a writer can tell
   * whether the file changed since.
   */
  | { kind: 'text'; text: string; bom: boolean; bytes: Buffer }
  /** Readable, but not something to analyse (binary, not UTF-8, too large). */
  | { kind: 'refused'; reason: string }
  /** Could not be read at all (missing, unreadable, or not a regular file). */
  | { kind: 'io-error'; message: string };

const BOM = [0xef, 0xbb, 0xbf];

/**
 * Reads and decodes one file; `display` is how messages name it. `real`:
 * where a regular file that is no link really is, when the folder walk saw
 * it so (see TargetFile.real). Never throws.
 */
export function readSource(path: string | Buffer, display: string = path.toString(), real?: string): ReadResult {
  const read = readFileSafely(path, { maxBytes: MAX_SOURCE_BYTES, ...(real !== undefined ? { realPath: real, regular: true } : {}) });
  if (!read.ok) {
    // Too large is a property of the content (reported as a diagnostic); anything else means no content at all.
    if (read.kind === 'refused' && read.reason.startsWith('file is too large')) return { kind: 'refused', reason: read.reason };
    return { kind: 'io-error', message: `cannot read '${display}': ${read.reason}` };
  }
  const decoded = decodeSource(read.bytes);
  if (!decoded.ok) return { kind: 'refused', reason: decoded.reason };
  const bom = BOM.every((b, i) => read.bytes[i] === b);
  return { kind: 'text', text: decoded.text, bom, bytes: read.bytes };
}
