/**
 * A byte filter in front of the JSON-RPC reader on stdio. The reader trusts
 * every `Content-Length`: one lying header (or a stray write into the pipe)
 * glues the rest of a message to the next header, that header is then
 * unreadable, its body is glued to the header after it, and from then on
 * every message is lost while the process keeps running. This filter passes
 * well-framed messages through untouched (body bytes are forwarded without
 * copying) and, when a header block is not valid, drops the bytes before the
 * next `Content-Length:` so that the stream is back in step at the next
 * message. The message that lied is lost; the ones after it are not.
 */
import { Transform, type TransformCallback } from 'node:stream';

/** Larger bodies are taken for a corrupt header (a 50 MB document is about 50 MB of JSON). */
export const MAX_BODY_BYTES = 512 * 1024 * 1024;

/** A header block longer than this without its blank line is garbage, not a header. */
const MAX_HEADER_BYTES = 8 * 1024;

const HEADER_END = Buffer.from('\r\n\r\n', 'ascii');
const CONTENT_LENGTH = /content-length:/gi;
/** One header field: a token, a colon, a printable value. */
const FIELD = /^[A-Za-z][A-Za-z0-9-]*:[ \t]*[\x21-\x7e][\x20-\x7e]*$/;

/**
 * Returns a stream that yields `input`'s bytes with every header block made
 * valid: invalid header text is skipped up to the next `Content-Length:`.
 * `onDrop` hears about each skip (for the server's log).
 */
export function resynchronizingStream(onDrop: (bytes: number, why: string) => void = () => undefined): Transform {
  /** Bytes of a header block not yet complete. */
  let header: Buffer = Buffer.alloc(0);
  /** Body bytes still to forward as they are. */
  let bodyLeft = 0;

  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
      let data = chunk;
      while (data.length > 0) {
        if (bodyLeft > 0) {
          const n = Math.min(bodyLeft, data.length);
          this.push(n === data.length ? data : data.subarray(0, n));
          bodyLeft -= n;
          data = data.subarray(n);
          continue;
        }
        header = header.length === 0 ? data : Buffer.concat([header, data]);
        data = Buffer.alloc(0);
        const end = header.indexOf(HEADER_END);
        if (end < 0) {
          if (header.length > MAX_HEADER_BYTES) header = keepTail(header, onDrop);
          break;
        }
        const block = header.subarray(0, end).toString('latin1');
        const rest = header.subarray(end + HEADER_END.length);
        const parsed = readHeader(block);
        if (parsed !== undefined) {
          this.push(header.subarray(0, end + HEADER_END.length));
          bodyLeft = parsed;
          header = Buffer.alloc(0);
          data = rest;
          continue;
        }
        // Skip to the last `Content-Length:` of the block (the start of the next
        // real header) or, when there is none, past the whole block.
        const restart = lastContentLength(block);
        if (restart > 0) {
          onDrop(restart, 'text before a header');
          header = Buffer.alloc(0);
          data = Buffer.concat([Buffer.from(block.slice(restart), 'latin1'), HEADER_END, rest]);
        } else {
          onDrop(end + HEADER_END.length, 'a header without a usable Content-Length');
          header = Buffer.alloc(0);
          data = rest;
        }
      }
      done();
    },
  });
}

/** The body length a header block declares, or undefined when the block is not a valid header. */
function readHeader(block: string): number | undefined {
  let length: number | undefined;
  for (const line of block.split('\r\n')) {
    if (!FIELD.test(line)) return undefined;
    const colon = line.indexOf(':');
    if (line.slice(0, colon).toLowerCase() !== 'content-length') continue;
    const value = line.slice(colon + 1).trim();
    if (!/^\d{1,10}$/.test(value)) return undefined;
    length = Number(value);
  }
  return length !== undefined && length <= MAX_BODY_BYTES ? length : undefined;
}

function lastContentLength(block: string): number {
  let at = -1;
  for (const m of block.matchAll(CONTENT_LENGTH)) at = m.index;
  return at;
}

/** Drops a runaway header, keeping only what may be the start of the next real one. */
function keepTail(header: Buffer, onDrop: (bytes: number, why: string) => void): Buffer {
  const text = header.toString('latin1');
  const at = lastContentLength(text);
  // Keep a short tail too: "Content-Len" may be split across writes.
  const keep = at >= 0 && text.length - at <= MAX_HEADER_BYTES ? at : Math.max(0, header.length - 32);
  if (keep > 0) onDrop(keep, 'text without a header');
  return header.subarray(keep);
}
