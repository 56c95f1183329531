/**
 * Live proof that the 503 doctor's fix, applied to the user's parameter
 * file, turns the captured 503 into a 200: varnishd 7.1 of this machine, and
 * Varnish 6.5, 7.7 and Vinyl Cache 9.0 in the roots of their compilers.
 *
 * For a systemd drop-in that lowers http_resp_hdr_len to 4k, and for an
 * /etc/default/varnish that leaves it at the 8k default: varnishd starts
 * with the file's own `-p` settings (read with the project's reader) in
 * front of the misbehaving backend, whose `/resp-header-too-long` sends a
 * 9000-byte header line (and, against the drop-in's default http_max_hdr,
 * `/resp-too-many-headers` sends 70 header lines, and against the default
 * http_resp_size `/resp-headers-overflow` sends six 6,000-byte lines). The request is answered 503; real varnishlog
 * captures it; `vcl-lint --fix --varnishlog CAPTURE --params FILE` names the
 * setting in force and writes its fix to the file; varnishd restarted with
 * the fixed file answers the same request 200, and a new capture has no
 * failure left.
 *
 * A release that is not installed reports one pending test.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../server/src/cli/run.js';
import { readParamsFile } from '../../server/src/params/detect.js';
import { readCapture } from '../../server/src/varnishlog/read.js';
import { classifyCapture } from '../../server/src/varnishlog/classify.js';
import { projectRoot } from '../conformance/corpus.js';
import { skipBecause } from '../helpers/skip.js';
import { liveReleases, type LiveRelease } from './releases.js';
import { productName } from '../../server/src/facts/versions.js';
import { startMisbehavingBackend, type MisbehavingBackend } from './misbehaving-backend.js';
import { VarnishInstance, withVarnishInstance } from './varnish-instance.js';

const fixtures = join(projectRoot, 'test/fixtures/params-503');

interface Case {
  title: string;
  /** The misbehaving backend's path, which is also the cause id. */
  cause: 'resp-header-too-long' | 'resp-too-many-headers' | 'resp-headers-overflow';
  /** Under test/fixtures/params-503/. */
  file: string;
  /** The `-p` settings as the file has them. */
  settings: [string, string][];
  /** Where the doctor must say the limit in force comes from; `release` is the product and release (`Varnish 7\\.1`) as a pattern. */
  inForce: (release: string) => RegExp;
}

const cases: Case[] = [
  {
    title: 'systemd drop-in with -p http_resp_hdr_len=4k',
    cause: 'resp-header-too-long',
    file: 'etc/systemd/system/varnish.service.d/override.conf',
    settings: [['http_resp_hdr_len', '4k']],
    inForce: () => /http_resp_hdr_len in force: `-p http_resp_hdr_len=4k` at \S+override\.conf:13\./,
  },
  {
    title: '/etc/default/varnish that leaves http_resp_hdr_len at its default',
    cause: 'resp-header-too-long',
    file: 'etc/default/varnish',
    settings: [],
    inForce: (release) => new RegExp(`http_resp_hdr_len in force: not set in \\S+varnish: the default 8k of ${release}\\.`),
  },
  {
    // 70 header lines against the default 64 slots.
    title: 'systemd drop-in that leaves http_max_hdr at its default',
    cause: 'resp-too-many-headers',
    file: 'etc/systemd/system/varnish.service.d/override.conf',
    settings: [['http_resp_hdr_len', '4k']],
    inForce: (release) => new RegExp(`http_max_hdr in force: not set in \\S+override\\.conf: the default 64 of ${release}\\.`),
  },
  {
    // Six 6,000-byte header lines, each under the 8k line limit, 36 KB together against the 32k head.
    title: '/etc/default/varnish that leaves http_resp_size at its default',
    cause: 'resp-headers-overflow',
    file: 'etc/default/varnish',
    settings: [],
    inForce: (release) => new RegExp(`http_resp_size in force: not set in \\S+varnish: the default 32k of ${release}\\.`),
  },
];

/** The `-p` settings of a parameter file's one varnishd command, in order. */
function settingsOf(path: string): [string, string][] {
  const file = readParamsFile(path, readFileSync(path, 'utf8'));
  assert.ok(file, `${path} is not read as a parameter file`);
  assert.equal(file.commands.length, 1);
  return file.commands[0]!.settings.map((s) => [s.name, s.value]);
}

/** GET from varnishd on loopback, bounded; large heads allowed. */
function fetch(port: number, path: string): Promise<{ status: number; header?: string; headers: number; parts: number }> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, agent: false, maxHeaderSize: 1 << 20, timeout: 15_000 }, (res) => {
      res.resume();
      const header = res.headers['x-long'];
      const count = (re: RegExp) => Object.keys(res.headers).filter((h) => re.test(h)).length;
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: count(/^x-m\d+$/), parts: count(/^x-part\d+$/), ...(typeof header === 'string' ? { header } : {}) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
  });
}

/** `varnishlog -d -g request` of the path, read again until its transactions have ended (bounded by a deadline). */
async function captureOf(v: VarnishInstance, path: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const text = await v.capture(['-g', 'request', '-q', `ReqURL eq "${path}"`]);
    const capture = readCapture(text);
    if ((capture.transactions.length >= 2 && capture.transactions.every((t) => t.complete)) || Date.now() > deadline) return text;
  }
}

const vclFor = (port: number): string => `vcl 4.1;\n\nbackend default {\n    .host = "127.0.0.1";\n    .port = "${port}";\n}\n`;

for (const release of liveReleases()) describeRelease(release);

function describeRelease({ version, chroot, missing }: LiveRelease): void {
describe(`live: the 503 doctor fixes the parameter file and the request is answered 200 (${productName(version)})`, function () {
  if (missing) {
    it(`${productName(version)} not found: live replay not run`, function () {
      skipBecause(this, missing);
    });
    return;
  }
  this.timeout(60_000);
  const release = productName(version).replace(/\./g, '\\.');

  let backend: MisbehavingBackend;
  let scratch: string;
  before(async () => {
    backend = await startMisbehavingBackend();
    scratch = mkdtempSync(join(tmpdir(), 'doctor-replay-'));
  });
  after(async () => {
    await backend?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  /** Runs `body` against a fresh varnishd with `settings`; always stops it. */
  const withVarnish = <T>(settings: [string, string][], body: (v: VarnishInstance) => Promise<T>): Promise<T> => withVarnishInstance({ vcl: vclFor(backend.port), params: settings, ...(chroot ? { chroot } : {}) }, body);

  for (const [i, c] of cases.entries()) {
    it(`${c.title}: ${c.cause} captured, fixed from the capture, 200 on replay`, async () => {
      const path = `/${c.cause}`;
      const params = join(scratch, `${i}-${c.file.split('/').pop()!}`);
      copyFileSync(join(fixtures, c.file), params);
      const settings = settingsOf(params);
      assert.deepEqual(settings, c.settings);

      // 1. The file as it stands: 503, captured with real varnishlog.
      const captured = await withVarnish(settings, async (v) => {
        const r = await fetch(v.port, path);
        assert.equal(r.status, 503);
        return captureOf(v, path);
      });
      assert.deepEqual(classifyCapture(readCapture(captured)).map((f) => f.cause), [c.cause], captured);
      const capture = join(scratch, `${i}.varnishlog`);
      writeFileSync(capture, captured);

      // 2. The doctor with the parameter file: names the setting in force and writes its fix.
      let stdout = '';
      let stderr = '';
      const status = runCli(['--fix', '--format', 'json', '--varnish-version', version, '--varnishlog', capture, '--params', params], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
      assert.equal(status, 1, `the capture keeps its error finding\n${stderr}`);
      const doc = JSON.parse(stdout) as { files: Array<{ path: string; diagnostics: Array<{ rule: string; message: string; fixes?: unknown[] }> }> };
      const finding = doc.files.find((f) => f.path === capture)?.diagnostics.find((d) => d.rule === c.cause);
      assert.ok(finding, stdout);
      assert.match(finding.message, c.inForce(release));
      assert.ok(finding.fixes && finding.fixes.length > 0, 'the finding offers a fix');
      assert.deepEqual(doc.files.find((f) => f.path === params)?.diagnostics, [], 'nothing is left in the fixed file');
      const fixed = settingsOf(params);
      assert.notDeepEqual(fixed, settings, readFileSync(params, 'utf8'));

      // 3. Replay with the fixed file: 200 with the header intact, and nothing fails in a new capture.
      await withVarnish(fixed, async (v) => {
        const r = await fetch(v.port, path);
        assert.equal(r.status, 200, `after the fix (${JSON.stringify(fixed)})\n${await v.capture(['-g', 'request'])}`);
        if (c.cause === 'resp-header-too-long') assert.equal(r.header?.length, 9000);
        else if (c.cause === 'resp-too-many-headers') assert.equal(r.headers, 70);
        else assert.equal(r.parts, 6);
        assert.deepEqual(classifyCapture(readCapture(await captureOf(v, path))), []);
      });
    });
  }
});
}
