/**
 * Lists the files of a zip archive (a .vsix is one) from its central
 * directory, without unpacking anything.
 */

/** One file of a zip archive. */
export interface ZipEntry {
  name: string;
  /** Bytes once unpacked. */
  size: number;
  /** Bytes in the archive. */
  compressedSize: number;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_HEADER = 0x02014b50;

/**
 * The entries of the zip archive in `zip`, in archive order. Throws on a
 * buffer that is not a zip archive (callers are scripts and tests, where a
 * broken package must stop the run).
 */
export function zipEntries(zip: Buffer): ZipEntry[] {
  // The end record is in the last 22 bytes plus at most a 64 KB comment.
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip archive: no end of central directory record');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL_DIRECTORY_HEADER) {
      throw new Error(`not a zip archive: central directory entry ${n} is damaged`);
    }
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    entries.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
