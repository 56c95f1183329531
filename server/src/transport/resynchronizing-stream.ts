/**
 * A byte filter in front of the JSON-RPC reader on stdio. The reader trusts
 * every `Content-Length`: one lying header (or a stray write into the pipe)
 * glues the rest of a message to the next header, or makes the reader wait
 * for bytes that are the following messages, and from then on every message
 * is lost while the process keeps running. This filter hands the reader only
 * messages whose framing it has checked:
 *
 * - a header block that is not valid is dropped up to the next
 *   `Content-Length:`;
 * - a header announcing more than `maxBodyBytes` is refused at once, so the
 *   filter never waits for (or holds) more than that;
 * - a body is followed as JSON while it arrives. When its JSON value ends
 *   and something other than whitespace follows before the announced length
 *   (the next header, typically), the length lied: the message goes on with
 *   its real length and the bytes after it are read as the next message.
 *   When its JSON breaks (a raw line break in a string, a letter outside
 *   one), the body is cut at the next `Content-Length:`. When the value is
 *   complete and nothing more arrives for `idleMs`, it goes on too, so a
 *   request with too long a length is still answered;
 * - well-framed messages pass through byte for byte.
 */
import { Transform, type TransformCallback } from 'node:stream';

/**
 * Larger bodies are taken for a corrupt header. The tools refuse documents
 * over 10 MB; the JSON of one is at most about six times that (`\u0001`).
 */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** How long a body whose JSON is complete waits for the rest of a too-long Content-Length. */
export const IDLE_MS = 500;

/** A header block longer than this without its blank line is garbage, not a header. */
const MAX_HEADER_BYTES = 8 * 1024;

const HEADER_END = Buffer.from('\r\n\r\n', 'ascii');
const CONTENT_LENGTH = /content-length:/gi;
/** One header field: a token, a colon, a printable value. */
const FIELD = /^[A-Za-z][A-Za-z0-9-]*:[ \t]*[\x21-\x7e][\x20-\x7e]*$/;

export interface ResynchronizingOptions {
  /** Largest body accepted (default MAX_BODY_BYTES). */
  maxBodyBytes?: number;
  /** Wait for the rest of a body whose JSON is complete (default IDLE_MS). */
  idleMs?: number;
}

/** A message whose header has been read and whose body is arriving. */
interface PendingBody {
  header: Buffer;
  declared: number;
  chunks: Buffer[];
  received: number;
  json: JsonScan;
  /** While the JSON is broken: where to look for the next header, and the last bytes seen (a header split across writes). */
  search?: { carry: string; carryAt: number };
}

/**
 * Returns a stream that yields `input`'s bytes as well-framed messages.
 * `onDrop` hears about each repair (for the server's log): how many bytes
 * were skipped and why.
 */
export function resynchronizingStream(onDrop: (bytes: number, why: string) => void = () => undefined, options: ResynchronizingOptions = {}): Transform {
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const idleMs = options.idleMs ?? IDLE_MS;
  /** Bytes of a header block not yet complete. */
  let header: Buffer = Buffer.alloc(0);
  let body: PendingBody | undefined;
  let timer: NodeJS.Timeout | undefined;

  const stopTimer = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };

  /** Hands on a body that ended at `end` (its real length) and returns the bytes after it. */
  function deliver(stream: Transform, b: PendingBody, end: number): Buffer {
    const all = Buffer.concat(b.chunks, b.received);
    onDrop(0, `a Content-Length of ${b.declared} for a message of ${end} bytes (the message was kept)`);
    stream.push(Buffer.from(`Content-Length: ${end}\r\n\r\n`, 'ascii'));
    stream.push(all.subarray(0, end));
    return all.subarray(end);
  }

  function feedBody(stream: Transform, data: Buffer): Buffer {
    const b = body!;
    const n = Math.min(b.declared - b.received, data.length);
    const piece = n === data.length ? data : data.subarray(0, n);
    const rest = data.subarray(n);
    const base = b.received;
    b.chunks.push(piece);
    b.received += n;
    let cut = -1;
    let dropTo = -1;
    if (b.search === undefined) {
      const verdict = b.json.feed(piece, base);
      if (verdict.kind === 'trailing') cut = verdict.at;
      else if (verdict.kind === 'broken') {
        // Look for the next header from where the JSON stopped making sense.
        const from = verdict.from;
        const seen = Buffer.concat(b.chunks, b.received).subarray(from).toString('latin1');
        const at = firstContentLength(seen);
        if (at >= 0) dropTo = from + at;
        else b.search = { carry: seen.slice(-16), carryAt: b.received - Math.min(16, seen.length) };
      }
    } else {
      const text = b.search.carry + piece.toString('latin1');
      const at = firstContentLength(text);
      if (at >= 0) dropTo = b.search.carryAt + at;
      else b.search = { carry: text.slice(-16), carryAt: b.received - Math.min(16, text.length) };
    }
    if (cut >= 0) {
      body = undefined;
      return Buffer.concat([deliver(stream, b, cut), rest]);
    }
    if (dropTo >= 0) {
      body = undefined;
      onDrop(b.header.length + dropTo, 'a message cut short by the next header');
      return Buffer.concat([Buffer.concat(b.chunks, b.received).subarray(dropTo), rest]);
    }
    if (b.received === b.declared) {
      body = undefined;
      stream.push(b.header);
      for (const c of b.chunks) stream.push(c);
      return rest;
    }
    if (b.json.complete && b.search === undefined) {
      timer = setTimeout(() => {
        timer = undefined;
        if (body !== b) return;
        body = undefined;
        const after = deliver(stream, b, b.json.end);
        if (after.length > 0) onDrop(after.length, 'whitespace after a message');
      }, idleMs);
      timer.unref?.();
    }
    return rest;
  }

  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
      stopTimer();
      let data = chunk;
      while (data.length > 0) {
        if (body !== undefined) {
          data = feedBody(this, data);
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
        if (parsed !== undefined && parsed <= maxBody) {
          const head = header.subarray(0, end + HEADER_END.length);
          header = Buffer.alloc(0);
          if (parsed === 0) this.push(head);
          else body = { header: head, declared: parsed, chunks: [], received: 0, json: new JsonScan() };
          data = rest;
          continue;
        }
        // Skip to the last `Content-Length:` of the block (the start of the next
        // real header) or, when there is none, past the whole block.
        const restart = lastContentLength(block);
        header = Buffer.alloc(0);
        if (restart > 0) {
          onDrop(restart, 'text before a header');
          data = Buffer.concat([Buffer.from(block.slice(restart), 'latin1'), HEADER_END, rest]);
        } else {
          const why = parsed !== undefined ? `a Content-Length of ${parsed} bytes (the limit is ${maxBody})` : 'a header without a usable Content-Length';
          onDrop(end + HEADER_END.length, why);
          data = rest;
        }
      }
      done();
    },
    flush(done: TransformCallback): void {
      stopTimer();
      // The input ended inside a body: a complete JSON value still goes on.
      if (body !== undefined && body.json.complete && body.search === undefined) deliver(this, body, body.json.end);
      body = undefined;
      done();
    },
  });
}

type Verdict = { kind: 'open' } | { kind: 'trailing'; at: number } | { kind: 'broken'; from: number };

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
/** Bytes that may stand outside a string inside a JSON value: structure, numbers, true/false/null. */
const BARE = new Set([...',:0123456789-+.eEtrufalsn'].map((c) => c.charCodeAt(0)));

/**
 * Follows a JSON-RPC body byte by byte: where its top-level object or array
 * ends, and where it stops being JSON. Not a validator: it only needs to
 * tell a complete message from one glued to the next header.
 */
class JsonScan {
  private depth = 0;
  private inString = false;
  private escape = false;
  private stringStart = 0;
  /** Offset just after the top-level value, once it has ended. */
  end = -1;

  get complete(): boolean {
    return this.end >= 0;
  }

  feed(bytes: Buffer, base: number): Verdict {
    const length = bytes.length;
    for (let i = 0; i < length; i++) {
      if (this.inString && !this.escape) {
        // Most of a message is string content: skip it in a tight loop.
        let b = bytes[i]!;
        while (b !== 0x22 && b !== 0x5c && b >= 0x20 && ++i < length) b = bytes[i]!;
        if (i === length) break;
      }
      const b = bytes[i]!;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (b === 0x5c) this.escape = true;
        else if (b === 0x22) this.inString = false;
        // A raw line break cannot be in a JSON string: the string was cut off.
        else if (b < 0x20) return { kind: 'broken', from: this.stringStart };
        continue;
      }
      if (WHITESPACE.has(b)) continue;
      if (this.end >= 0) return { kind: 'trailing', at: this.end };
      if (b === 0x7b || b === 0x5b) this.depth++;
      else if (b === 0x7d || b === 0x5d) {
        if (--this.depth < 0) return { kind: 'broken', from: base + i };
        if (this.depth === 0) this.end = base + i + 1;
      } else if (b === 0x22 && this.depth > 0) {
        this.inString = true;
        this.stringStart = base + i;
      } else if (this.depth === 0 || !BARE.has(b)) return { kind: 'broken', from: base + i };
    }
    return { kind: 'open' };
  }
}

/** The body length a header block declares, or undefined when the block is not a valid header. */
function readHeader(block: string): number | undefined {
  let length: number | undefined;
  for (const line of block.split('\r\n')) {
    if (!FIELD.test(line)) return undefined;
    const colon = line.indexOf(':');
    if (line.slice(0, colon).toLowerCase() !== 'content-length') continue;
    const value = line.slice(colon + 1).trim();
    if (!/^\d{1,16}$/.test(value)) return undefined;
    length = Number(value);
  }
  return length;
}

function firstContentLength(text: string): number {
  CONTENT_LENGTH.lastIndex = 0;
  const m = CONTENT_LENGTH.exec(text);
  return m ? m.index : -1;
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
