/**
 * The stdin filter of the language server: well-framed JSON-RPC passes
 * through byte for byte, however it is split into writes; after bad framing
 * the next real message comes out whole.
 */
import assert from 'node:assert/strict';
import { resynchronizingStream, type ResynchronizingOptions } from '../../server/src/transport/resynchronizing-stream.js';

const frame = (body: string): string => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const A = '{"jsonrpc":"2.0","id":1,"method":"a"}';
const B = '{"jsonrpc":"2.0","method":"b","params":{"text":"é ü \\r\\n\\r\\n Content-Length: 3"}}';

/** Runs the filter over `chunks` and returns everything it let through, and how many repairs it reported. */
async function filter(chunks: Buffer[], options?: ResynchronizingOptions): Promise<{ out: string; dropped: number; reports: number }> {
  let dropped = 0;
  let reports = 0;
  const stream = resynchronizingStream((n) => {
    dropped += n;
    reports++;
  }, options);
  const parts: Buffer[] = [];
  stream.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise((resolve) => stream.on('end', resolve));
  for (const c of chunks) stream.write(c);
  stream.end();
  await done;
  return { out: Buffer.concat(parts).toString('utf8'), dropped, reports };
}

/** Every way of cutting `bytes` in two, plus one write per byte. */
function splits(bytes: Buffer): Buffer[][] {
  const out: Buffer[][] = [[bytes]];
  for (let i = 1; i < bytes.length; i++) out.push([bytes.subarray(0, i), bytes.subarray(i)]);
  out.push([...bytes].map((b) => Buffer.from([b])));
  return out;
}

describe('resynchronizing stdin filter', function () {
  it('passes well-framed messages through unchanged, however the writes are split', async function () {
    const input = Buffer.from(frame(A) + 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n' + frame(B) + frame(''), 'utf8');
    for (const chunks of splits(input)) {
      const { out, reports } = await filter(chunks);
      assert.equal(out, input.toString('utf8'), `split at ${chunks[0]!.length}`);
      assert.equal(reports, 0);
    }
  });

  const cases: Array<[string, string, string]> = [
    // [what, input, what comes out]
    ['garbage before a header', 'xx}"garbage":1' + frame(A), frame(A)],
    ['a header block without Content-Length', 'Content-Type: text/plain\r\n\r\n' + frame(A), frame(A)],
    ['a non-numeric Content-Length', 'Content-Length: lots\r\n\r\n' + frame(A), frame(A)],
    ['an absurd Content-Length', 'Content-Length: 99999999999\r\n\r\n' + frame(A), frame(A)],
    ['a Content-Length shorter than the body', `Content-Length: 10\r\n\r\n${B}` + frame(A), `Content-Length: 10\r\n\r\n${B.slice(0, 10)}` + frame(A)],
    ['a header line without a colon', 'Content-Length: 5\r\nnonsense\r\n\r\n' + frame(A), frame(A)],
    ['runaway text without a blank line', 'z'.repeat(20_000) + frame(A), frame(A)],
    ['a Content-Length of 512 MB (over the limit)', `Content-Length: ${512 * 1024 * 1024}\r\n\r\n${A}` + frame(A), frame(A)],
    // The message itself is kept with its real length, and the three after it are read as they are.
    ['nothing of a Content-Length 500 bytes too long', `Content-Length: ${A.length + 500}\r\n\r\n${A}` + frame(B) + frame(A) + frame(B), frame(A) + frame(B) + frame(A) + frame(B)],
    ['nothing of a Content-Length too long by a few bytes of garbage', `Content-Length: ${A.length + 3}\r\n\r\n${A}xyz` + frame(A), frame(A) + frame(A)],
    ['a body cut off inside a string by the next header', `Content-Length: 150\r\n\r\n{"a":"abc` + frame(A) + frame(A) + frame(A), frame(A) + frame(A) + frame(A)],
    ['a body cut off between fields by the next header', `Content-Length: 150\r\n\r\n{"a":1,` + frame(A) + frame(A) + frame(A), frame(A) + frame(A) + frame(A)],
  ];
  for (const [what, input, expected] of cases) {
    it(`drops ${what} and delivers the next message whole`, async function () {
      const all = splits(Buffer.from(input, 'utf8'));
      // The first 200 split points, the last one and a write per byte.
      for (const chunks of [...all.slice(0, 200), ...all.slice(-2)]) {
        const { out, reports } = await filter(chunks);
        assert.equal(out, expected, `split at ${chunks[0]!.length}`);
        assert.ok(reports > 0, 'the repair is reported');
      }
    });
  }

  it('hands on a complete message whose Content-Length is too long once no more bytes come', async function () {
    const stream = resynchronizingStream(() => undefined, { idleMs: 20 });
    const parts: Buffer[] = [];
    // Without the idle hand-on nothing ever comes out, and mocha's timeout fails the test.
    const got = new Promise<void>((resolve) => stream.on('data', (b: Buffer) => {
      parts.push(b);
      if (Buffer.concat(parts).length >= frame(A).length) resolve();
    }));
    stream.write(Buffer.from(`Content-Length: ${A.length + 500}\r\n\r\n${A}`));
    await got;
    assert.equal(Buffer.concat(parts).toString('utf8'), frame(A));
    stream.end();
  });

  it('refuses a header over the body limit at once, and accepts one at the limit', async function () {
    const small = { maxBodyBytes: A.length };
    assert.equal((await filter([Buffer.from(frame(A + ' ') + frame(A))], small)).out, frame(A));
    assert.equal((await filter([Buffer.from(frame(A))], small)).out, frame(A));
  });
});
