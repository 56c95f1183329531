/**
 * The stdin filter of the language server: well-framed JSON-RPC passes
 * through byte for byte, however it is split into writes; after bad framing
 * the next real message comes out whole.
 */
import assert from 'node:assert/strict';
import { resynchronizingStream } from '../../server/src/transport/resynchronizing-stream.js';

const frame = (body: string): string => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const A = '{"jsonrpc":"2.0","id":1,"method":"a"}';
const B = '{"jsonrpc":"2.0","method":"b","params":{"text":"é ü \\r\\n\\r\\n Content-Length: 3"}}';

/** Runs the filter over `chunks` and returns everything it let through. */
async function filter(chunks: Buffer[]): Promise<{ out: string; dropped: number }> {
  let dropped = 0;
  const stream = resynchronizingStream((n) => (dropped += n));
  const parts: Buffer[] = [];
  stream.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise((resolve) => stream.on('end', resolve));
  for (const c of chunks) stream.write(c);
  stream.end();
  await done;
  return { out: Buffer.concat(parts).toString('utf8'), dropped };
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
      const { out, dropped } = await filter(chunks);
      assert.equal(out, input.toString('utf8'), `split at ${chunks[0]!.length}`);
      assert.equal(dropped, 0);
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
  ];
  for (const [what, input, expected] of cases) {
    it(`drops ${what} and delivers the next message whole`, async function () {
      for (const chunks of splits(Buffer.from(input, 'utf8')).slice(0, 200)) {
        const { out, dropped } = await filter(chunks);
        assert.equal(out, expected, `split at ${chunks[0]!.length}`);
        assert.ok(dropped > 0, 'the skip is reported');
      }
    });
  }
});
