/**
 * Live proof of the 503 doctor against the real varnishd 7.1, and against
 * 6.5, 7.7 and Vinyl Cache 9.0 where their Debian roots are installed (the
 * roots the real compilers run in; see test/helpers/oracles.ts).
 *
 * A varnishd runs in front of a backend that fails on purpose, one path per
 * cause (misbehaving-backend.ts), with VCL that routes each path to the
 * backend (or the VCL branch) that fails that way. For each cause the test
 * requests its path, captures the log with `varnishlog -d -g request -q
 * 'ReqURL eq "<path>"'` and checks that the doctor names that cause and no
 * other. Then the whole run is captured in every grouping (`-g raw`, the
 * default `-g vxid`, `-g request`, `-g session`, `-v`) and each must give
 * every cause exactly once, through the CLI too. Last, the real captures are
 * cut, mixed and spoiled at random: reading them must never throw.
 *
 * The releases run side by side (most of a run waits for a timeout or a
 * probe): every release's causes are requested from the suite's `before`,
 * one cause after the other within a release, and each test waits for its
 * own cause's capture.
 *
 * Nothing here is typed by hand: every capture comes from varnishlog.
 * When varnishd is not installed the file reports one pending test.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../server/src/cli/run.js';
import { diagnoseVarnishlog } from '../../server/src/service/varnishlog.js';
import { CAUSE_IDS } from '../../server/src/varnishlog/causes.js';
import { classifyCapture } from '../../server/src/varnishlog/classify.js';
import { readCapture } from '../../server/src/varnishlog/read.js';
import { prng } from '../helpers/prng.js';
import { skipBecause } from '../helpers/skip.js';
import { closedPort, startMisbehavingBackend, type MisbehavingBackend } from './misbehaving-backend.js';
import { VarnishInstance } from './varnish-instance.js';
import { liveReleases } from './releases.js';
import type { VarnishVersion } from '../../server/src/facts/versions.js';

/** Each cause a local varnishd 7.1 can be made to show, by the path that shows it (the path is the cause id). */
const CAUSES_LIVE: ReadonlyArray<{ cause: string; concurrent?: number; body?: number }> = [
  { cause: 'resp-header-too-long' },
  { cause: 'resp-too-many-headers' },
  { cause: 'resp-headers-overflow' },
  { cause: 'workspace-overflow' },
  { cause: 'first-byte-timeout' },
  { cause: 'between-bytes-timeout' },
  { cause: 'backend-connect-failed' },
  { cause: 'backend-unhealthy' },
  // Two requests at once to a backend with .max_connections = 1: one of them finds it busy.
  { cause: 'backend-busy', concurrent: 2 },
  { cause: 'no-backend' },
  { cause: 'backend-closed-early' },
  // A POST passed to the backend with its body (read whole first, see the VCL); 16 MB outlast the socket
  // buffers, so Varnish is still writing when the RST comes.
  { cause: 'backend-write-error', body: 16 * 1024 * 1024 },
  { cause: 'retries-exhausted' },
  { cause: 'storage-full' },
  { cause: 'backend-body-error' },
  { cause: 'backend-invalid-response' },
  { cause: 'vcl-failure' },
  { cause: 'backend-answered-503' },
  { cause: 'client-rate-limited-5xx' },
];

/**
 * The VCL: every path goes to the default backend (the misbehaving one)
 * unless it needs another backend, a VCL branch or a setting to fail.
 */
function vclFor(port: number, deadPort: number): string {
  const be = `.host = "127.0.0.1"; .port = "${port}";`;
  // A header value doubled seven times outgrows workspace_client (64k). (On the
  // backend side varnishd 7.1 drops the header that does not fit and fetches all the same.)
  const grow = Array.from({ length: 7 }, (_, i) => `        set req.http.x-grow${i + 1} = req.http.x-grow${i} + req.http.x-grow${i};`).join('\n');
  return `vcl 4.1;

import std;

backend default { ${be} }
backend timeouts { ${be} .first_byte_timeout = 1s; .between_bytes_timeout = 1s; }
backend busy { ${be} .max_connections = 1; }
backend sick {
    ${be}
    .probe = { .url = "/probe"; .initial = 0; .window = 3; .threshold = 3; .interval = 1s; .timeout = 1s; }
}
backend dead { .host = "127.0.0.1"; .port = "${deadPort}"; .connect_timeout = 2s; }
backend nothing none;

sub vcl_recv {
    if (req.url == "/vcl-failure") { return (fail); }
    # The body is read whole first, so the only failure is the write to the backend (without this,
    # Vinyl 9.0 blames the client's body and answers 400).
    if (req.url == "/backend-write-error") { std.cache_req_body(32MB); return (pass); }
    if (req.url == "/client-rate-limited-5xx") { return (synth(503, "Rate limit exceeded")); }
    if (req.url ~ "^/(first-byte|between-bytes)-timeout") { set req.backend_hint = timeouts; }
    if (req.url == "/backend-busy") { set req.backend_hint = busy; return (pass); }
    if (req.url == "/backend-unhealthy") { set req.backend_hint = sick; }
    if (req.url == "/backend-connect-failed") { set req.backend_hint = dead; }
    if (req.url == "/no-backend") { set req.backend_hint = nothing; }
    if (req.url == "/workspace-overflow") {
        set req.http.x-grow0 = "${'w'.repeat(1000)}";
${grow}
    }
}

sub vcl_backend_response {
    if (bereq.url == "/retries-exhausted") { return (retry); }
    if (bereq.url == "/storage-full" || bereq.url == "/backend-body-error") { set beresp.do_stream = false; }
}
`;
}

interface Answer {
  status: number;
}

/**
 * GET from varnishd on loopback (a POST of `body` bytes when given), bounded;
 * the answer's body is drained and dropped. Varnish may answer a POST and
 * close before it has read the whole body: the answer counts, the failed
 * upload does not.
 */
function fetchStatus(port: number, path: string, body?: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let status: number | undefined;
    const headers = body === undefined ? {} : { 'content-length': String(body), 'content-type': 'application/octet-stream' };
    const req = request({ host: '127.0.0.1', port, path, method: body === undefined ? 'GET' : 'POST', headers, agent: false, timeout: 15_000 }, (res) => {
      status = res.statusCode ?? 0;
      res.resume();
      res.on('end', () => resolve({ status: status! }));
      res.on('error', () => resolve({ status: status! }));
    });
    req.on('timeout', () => req.destroy(new Error(`${body === undefined ? 'GET' : 'POST'} ${path} timed out`)));
    req.on('error', (err) => (status === undefined ? reject(err) : resolve({ status })));
    req.end(body === undefined ? undefined : Buffer.alloc(body, 'x'));
  });
}

/** The causes the doctor names in a capture, each once, in its order. */
const causesOf = (text: string): string[] => classifyCapture(readCapture(text)).map((f) => f.cause);

/**
 * The log of one path, read again until the client request and every
 * fetch it started have ended (a transaction is written when it ends; no
 * timer, bounded by a deadline).
 */
async function captureOf(v: VarnishInstance, path: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const text = await v.capture(['-g', 'request', '-q', `ReqURL eq "${path}"`]);
    const capture = readCapture(text);
    const done = capture.transactions.length > 0 && capture.transactions.every((t) => t.complete) && causesOf(text).length > 0;
    if (done || Date.now() > deadline) return text;
  }
}

/**
 * One release's run: its varnishd in front of its own failing backend, and
 * each cause's path requested and captured in turn. The four releases run
 * side by side (most of a run is waiting for a timeout or a probe), and each
 * test waits for its own cause's result.
 */
interface Session {
  /** The varnishd and its backend, once both run. */
  started: Promise<Running>;
  /** Per cause: the answers and the capture, or what went wrong. */
  results: Map<string, Promise<{ answers: Answer[]; text: string }>>;
}

interface Running {
  v: VarnishInstance;
  backend: MisbehavingBackend;
}

async function startSession(chroot: string | undefined): Promise<Running> {
  const backend = await startMisbehavingBackend();
  try {
    // 2 MB of cache: the 4 MB body of /storage-full cannot fit.
    const v = await VarnishInstance.start({ vcl: vclFor(backend.port, await closedPort()), storage: '2m', ...(chroot ? { chroot } : {}) });
    return { v, backend };
  } catch (err) {
    await backend.close();
    throw err;
  }
}

/** Requests each cause's path and captures it, one cause after the other (a failure stays with its cause). */
function runCauses(started: Promise<Running>): Map<string, Promise<{ answers: Answer[]; text: string }>> {
  const results = new Map<string, Promise<{ answers: Answer[]; text: string }>>();
  let previous: Promise<unknown> = started;
  for (const c of CAUSES_LIVE) {
    const result = previous.then(async () => {
      const { v, backend } = await started;
      const path = `/${c.cause}`;
      const answers: Answer[] = [];
      if (c.concurrent) {
        // The second request starts once the backend holds the first, so it finds the one connection taken.
        const first = fetchStatus(v.port, path);
        await backend.seen(path);
        answers.push(...(await Promise.all([first, ...Array.from({ length: c.concurrent - 1 }, () => fetchStatus(v.port, path))])));
      } else {
        answers.push(await fetchStatus(v.port, path, c.body));
      }
      return { answers, text: await captureOf(v, path) };
    });
    // The next cause waits for this one, whatever became of it; the test of this cause sees its error.
    result.catch(() => undefined);
    previous = result.catch(() => undefined);
    results.set(c.cause, result);
  }
  return results;
}

describe('live: the 503 doctor on real varnishlog captures, every release side by side', function () {
  this.timeout(120_000);
  const runnable = liveReleases();
  const sessions = new Map<VarnishVersion, Session>();
  before(function () {
    // Started together, not awaited here: each test waits for its own release's cause.
    for (const r of runnable) {
      if (r.missing) continue;
      const started = startSession(r.chroot);
      started.catch(() => undefined);
      sessions.set(r.version, { started, results: runCauses(started) });
    }
  });
  after(async function () {
    this.timeout(60_000);
    for (const s of sessions.values()) {
      // Every cause ended (or failed) before its instance stops.
      await Promise.all([...s.results.values()].map((p) => p.catch(() => undefined)));
      const running = await s.started.catch(() => undefined);
      await running?.v.stop();
      await running?.backend.close();
    }
  });
  for (const r of runnable) describeRelease(r.version, r.missing, () => sessions.get(r.version)!);
});

function describeRelease(version: VarnishVersion, missing: string | undefined, session: () => Session): void {
  describe(`live: the 503 doctor names the cause of each failure in real varnishlog captures (Varnish ${version})`, function () {
    if (missing) {
      it(`Varnish ${version} not found: live 503 doctor captures not made`, function () {
        skipBecause(this, missing);
      });
      return;
    }
    this.timeout(60_000);

    const captures = new Map<string, string>();

    for (const c of CAUSES_LIVE) {
      it(`${c.cause}: names it and nothing else`, async () => {
        const path = `/${c.cause}`;
        const { answers, text } = await session().results.get(c.cause)!;
        assert.ok(answers.some((a) => a.status >= 500), `GET ${path} answered ${answers.map((a) => a.status).join(', ')}`);
        captures.set(c.cause, text);
        assert.deepEqual(causesOf(text), [c.cause], `varnishlog -g request for ${path}:\n${text}`);
        const diagnostics = diagnoseVarnishlog(text);
        assert.deepEqual(diagnostics.map((d) => d.rule), [c.cause]);
        // The diagnostic stands on a line of the capture that shows the cause.
        const line = text.split(/\r\n|\r|\n/)[diagnostics[0]!.range.start.line] ?? '';
        assert.match(line, /^(-+|-\d+-)\s+\S+|^\s*\d+ /, `the diagnostic's line is not a log record: ${line}`);
      });
    }

    /** Each grouping of the whole run gives every cause once. */
    const groupings: ReadonlyArray<[string, string[], string]> = [
      ['-g raw', ['-g', 'raw'], 'raw'],
      ['-g vxid (the default)', [], 'vxid'],
      ['-g request', ['-g', 'request'], 'request'],
      ['-g session', ['-g', 'session'], 'session'],
      ['-g request -v', ['-g', 'request', '-v'], 'request-verbose'],
    ];
    for (const [name, args, label] of groupings) {
      it(`a capture of the whole run with ${name} names every cause once`, async function () {
        if (captures.size < CAUSES_LIVE.length) this.skip();
        const text = await (await session().started).v.capture(args);
        captures.set(name, text);
        // `VARNISHLOG_SAVE_CAPTURES=DIR` keeps them: test/fixtures/varnishlog/ holds captures made this way.
        const save = process.env.VARNISHLOG_SAVE_CAPTURES;
        if (save) writeFileSync(join(save, `all-causes.${version}.${label}.varnishlog`), text);
        const expected = CAUSE_IDS.filter((id) => CAUSES_LIVE.some((c) => c.cause === id));
        assert.deepEqual(causesOf(text), expected);
        const counts = classifyCapture(readCapture(text)).map((f) => [f.cause, f.count]);
        assert.deepEqual(counts, expected.map((id) => [id, 1]));
      });
    }

    it('the CLI reports the same causes from a capture file (json), and exits 1', async function () {
      const raw = captures.get('-g raw');
      if (raw === undefined) this.skip();
      const dir = mkdtempSync(join(tmpdir(), 'doctor-cli-'));
      try {
        const file = join(dir, 'capture.txt');
        writeFileSync(file, raw);
        let out = '';
        const status = runCli(['--format', 'json', '--varnishlog', file], { stdout: (s) => (out += s), stderr: () => undefined });
        assert.equal(status, 1);
        const doc = JSON.parse(out) as { files: Array<{ language: string; diagnostics: Array<{ rule: string; severity: string }> }> };
        assert.equal(doc.files[0]!.language, 'varnishlog');
        assert.deepEqual(doc.files[0]!.diagnostics.map((d) => d.rule), CAUSE_IDS.filter((id) => CAUSES_LIVE.some((c) => c.cause === id)));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('reads real captures cut, mixed and spoiled at random without throwing', function () {
      if (captures.size === 0) this.skip();
      const random = prng(503);
      const texts = [...captures.values()];
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
      const junk = () => Array.from({ length: 1 + Math.floor(random() * 40) }, () => String.fromCharCode(Math.floor(random() * 0x3000))).join('');
      const mutate = (text: string): string => {
        const lines = text.split('\n');
        switch (Math.floor(random() * 6)) {
          case 0: // cut anywhere, even inside a line or a UTF-16 pair
            return text.slice(0, Math.floor(random() * text.length));
          case 1: // start anywhere
            return text.slice(Math.floor(random() * text.length));
          case 2: // lines dropped
            return lines.filter(() => random() > 0.2).join('\n');
          case 3: // lines of two captures interleaved
            return lines.flatMap((l) => (random() < 0.3 ? [l, pick(pick(texts).split('\n'))] : [l])).join('\n');
          case 4: // garbage inside lines
            return lines.map((l) => (random() < 0.1 ? l.slice(0, Math.floor(random() * l.length)) + junk() : l)).join(random() < 0.5 ? '\n' : '\r\n');
          default: // lines shuffled
            return lines.sort(() => random() - 0.5).join('\n');
        }
      };
      const known = new Set([...CAUSE_IDS, 'input']);
      for (let i = 0; i < 400; i++) {
        let text = pick(texts);
        for (let k = 1 + Math.floor(random() * 3); k > 0; k--) text = mutate(text);
        const diagnostics = diagnoseVarnishlog(text);
        const lineCount = text.split(/\r\n|\r|\n/).length;
        for (const d of diagnostics) {
          assert.ok(known.has(d.rule), `unexpected rule ${d.rule}`);
          assert.ok(d.range.start.line < lineCount, `a diagnostic beyond the text (case ${i})`);
          for (const r of d.related ?? []) assert.ok(r.range.start.line < lineCount);
        }
      }
    });
  });
}
