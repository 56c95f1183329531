/**
 * File names as the CLI meets and prints them: names that are not UTF-8
 * are linted (and fixed) like any other, and shown with `\xNN`; names with
 * terminal controls or bidi overrides are escaped in every human output
 * while JSON and SARIF keep their value. And a file named on the command
 * line that is neither VCL nor a parameter file is refused, not linted as
 * VCL.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { runCli } from '../../server/src/cli/run.js';
import { decodeName, escapeControls } from '../../server/src/cli/display.js';
import { discoverFiles } from '../../server/src/cli/discover.js';
import { projectRoot } from '../conformance/corpus.js';

function cli(args: string[], color = false): { status: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const status = runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), color });
  return { status, stdout, stderr };
}

/** A name that would clear a CI log and print a fake result. */
const EVIL = '\u001b[2J\u001b[1;32mALL CLEAN\u001b[0m.vcl';
const EVIL_SHOWN = '\\x1b[2J\\x1b[1;32mALL CLEAN\\x1b[0m.vcl';
/** Right-to-left override, C1 CSI and DEL. */
const BIDI = 'a\u202eb\u009bc\u007f.vcl';
const BIDI_SHOWN = 'a\\u202eb\\x9bc\\x7f.vcl';
/** Every character the escaping must catch, none of which may reach a terminal raw. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const VCL3 = 'vcl 4.1;\nbackend b { .host = "127.0.0.1"; .probe = { .url = "/"; } }\nsub vcl_recv {\n    remove req.http.X;\n}\n';
const UNFORMATTED = 'vcl 4.1;\nbackend b {.host="127.0.0.1";.probe={.url="/";}}\n';

describe('file names in and out of the CLI', function () {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vcl-names-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('escapeControls and decodeName', () => {
    assert.equal(escapeControls(EVIL), EVIL_SHOWN);
    assert.equal(escapeControls(BIDI), BIDI_SHOWN);
    assert.equal(escapeControls('tab\there\u2066x\u2069'), 'tab\\x09here\\u2066x\\u2069');
    assert.equal(escapeControls('café ✓.vcl'), 'café ✓.vcl');
    assert.deepEqual(decodeName(Buffer.from('café.vcl')), { text: 'café.vcl', utf8: true });
    assert.deepEqual(decodeName(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x76, 0x63, 0x6c])), { text: 'caf\\xe9.vcl', utf8: false });
    assert.deepEqual(decodeName(Buffer.concat([Buffer.from('é'), Buffer.from([0xff]), Buffer.from('.vcl')])), { text: 'é\\xff.vcl', utf8: false });
  });

  it('lints and fixes a file whose name is not UTF-8, found while walking, shown with \\xNN', () => {
    const name = Buffer.concat([Buffer.from(join(dir, 'caf')), Buffer.from([0xe9]), Buffer.from('.vcl')]);
    writeFileSync(name, VCL3);
    const shown = join(dir, 'caf\\xe9.vcl');
    const json = cli(['--format', 'json', dir]);
    assert.equal(json.stderr, '');
    const files = (JSON.parse(json.stdout) as { files: { path: string; diagnostics: { rule: string }[] }[] }).files;
    assert.deepEqual(files.map((f) => f.path), [shown]);
    assert.ok(files[0]!.diagnostics.length > 0, 'it was linted');
    assert.equal(json.status, 1);
    const fixed = cli(['--fix', dir]);
    assert.equal(fixed.stderr, '');
    assert.equal(readFileSync(name, 'utf8'), VCL3.replace('remove', 'unset'));
    assert.deepEqual(readdirSync(dir, { encoding: 'buffer' }), [Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x76, 0x63, 0x6c])]);
  });

  it('escapes controls and bidi overrides in stylish output (with and without colour)', () => {
    writeFileSync(join(dir, EVIL), VCL3);
    writeFileSync(join(dir, BIDI), VCL3);
    const plain = cli([dir]);
    assert.equal(plain.status, 1);
    assert.ok(plain.stdout.includes(`\n${join(dir, EVIL_SHOWN)}\n`), plain.stdout);
    assert.ok(plain.stdout.includes(`\n${join(dir, BIDI_SHOWN)}\n`), plain.stdout);
    assert.doesNotMatch(plain.stdout, RAW_CONTROL);
    const colour = cli([dir], true);
    // The only escape sequences left are the formatter's own colours.
    assert.doesNotMatch(colour.stdout.replace(/\u001b\[[0-9;]*m/g, ''), RAW_CONTROL);
    assert.ok(colour.stdout.includes(EVIL_SHOWN));
  });

  it('escapes them in stderr messages and in --fmt / --fmt-check lists', () => {
    const missing = cli([join(dir, 'none', EVIL)]);
    assert.equal(missing.status, 2);
    assert.equal(missing.stderr, `vcl-lint: cannot read '${join(dir, 'none', EVIL_SHOWN)}': no such file or directory\n`);
    writeFileSync(join(dir, EVIL), UNFORMATTED);
    const check = cli(['--fmt-check', dir]);
    assert.equal(check.stdout, `${join(dir, EVIL_SHOWN)}\n`);
    writeFileSync(join(dir, BIDI), 'vcl 4.1;\nsub vcl_recv { set req.http.X = ; }\n');
    const fmt = cli(['--fmt', dir]);
    assert.equal(fmt.stdout, `${join(dir, EVIL_SHOWN)}\n`);
    assert.match(fmt.stderr, new RegExp(`^vcl-lint: ${escapeRe(join(dir, BIDI_SHOWN))}: not formatted: `));
    assert.doesNotMatch(fmt.stderr + fmt.stdout + check.stdout, RAW_CONTROL);
  });

  it('JSON and SARIF keep the exact name as their value, with no raw control character in the text', () => {
    writeFileSync(join(dir, EVIL), VCL3);
    writeFileSync(join(dir, BIDI), VCL3);
    const json = cli(['--format', 'json', dir]);
    assert.doesNotMatch(json.stdout, RAW_CONTROL);
    const paths = (JSON.parse(json.stdout) as { files: { path: string }[] }).files.map((f) => f.path).sort();
    assert.deepEqual(paths, [join(dir, BIDI), join(dir, EVIL)].sort());
    const sarif = cli(['--format', 'sarif', dir]);
    assert.doesNotMatch(sarif.stdout, RAW_CONTROL);
    const log = JSON.parse(sarif.stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    const uris = new Set(log.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri));
    // SARIF names files by URI: percent-encoded, and the same names once decoded.
    assert.deepEqual([...uris].map((u) => fileURLToPath(u)).sort(), [join(dir, BIDI), join(dir, EVIL)].sort());
  });
});

/** `caf\xe9.vcl` in Latin-1: not UTF-8, so Node reads it from argv as `caf\uFFFD.vcl`. */
const LATIN1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x76, 0x63, 0x6c]);

describe('a file name that is not UTF-8, named on the command line', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vcl-argv-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const inDir = (...parts: Buffer[]) => Buffer.concat([Buffer.from(dir + '/'), ...parts]);

  /**
   * The real CLI with arguments as bytes: Node's own spawn would send them
   * as UTF-8 text, so a shell writes them (`\351` in an argument stands for the byte 0xe9).
   */
  function cliBytes(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const bytes = args.map((a) => `"$(printf '%b' '${a.replace(/\\([0-7]{3})/g, '\\0$1')}')"`);
    const r = spawnSync('sh', ['-c', `exec "$0" "$1" ${bytes.join(' ')}`, process.execPath, join(projectRoot, 'dist', 'cli.cjs')], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it('is linted and fixed by its exact bytes, and shown with \\xNN (the real CLI)', function () {
    if (process.platform !== 'linux') this.skip(); // the bytes are read from /proc/self/cmdline
    writeFileSync(inDir(LATIN1), VCL3);
    const json = cliBytes(['--format', 'json', 'caf\\351.vcl']);
    assert.equal(json.stderr, '');
    assert.equal(json.status, 1);
    const files = (JSON.parse(json.stdout) as { files: { path: string; diagnostics: { rule: string }[] }[] }).files;
    assert.deepEqual(files.map((f) => f.path), ['caf\\xe9.vcl']);
    assert.deepEqual(files[0]!.diagnostics.map((d) => d.rule), ['vcl3-construct']);
    const stylish = cliBytes(['caf\\351.vcl']);
    assert.ok(stylish.stdout.startsWith('\ncaf\\xe9.vcl\n'), stylish.stdout);
    assert.doesNotMatch(stylish.stdout, /\uFFFD/);
    const fixed = cliBytes(['--fix', 'caf\\351.vcl']);
    assert.equal(fixed.stderr, '');
    assert.equal(fixed.status, 0, fixed.stdout);
    assert.equal(readFileSync(inDir(LATIN1), 'utf8'), VCL3.replace('remove', 'unset'));
    assert.deepEqual(readdirSync(dir, { encoding: 'buffer' }), [LATIN1]);
  });

  it('as a folder, a --params=FILE value, and two names that Node decodes alike (the real CLI)', function () {
    if (process.platform !== 'linux') this.skip();
    const folder = Buffer.from([0x64, 0xe9]);
    mkdirSync(inDir(folder));
    writeFileSync(inDir(folder, Buffer.from('/a.vcl')), VCL3);
    const other = Buffer.from([0x63, 0x61, 0x66, 0xe8, 0x2e, 0x76, 0x63, 0x6c]);
    writeFileSync(inDir(LATIN1), VCL3);
    writeFileSync(inDir(other), 'vcl 4.1;\nbackend b { .host = "127.0.0.1"; .probe = { .url = "/"; } }\n');
    writeFileSync(inDir(Buffer.from('varnish\xff', 'latin1')), 'DAEMON_OPTS="-p http_resp_hdr_len=8k -p http_resp_size=4k"\n');
    const r = cliBytes(['--format', 'json', 'd\\351', 'caf\\351.vcl', 'caf\\350.vcl', '--params=varnish\\377']);
    assert.equal(r.stderr, '');
    const files = (JSON.parse(r.stdout) as { files: { path: string; language: string; diagnostics: unknown[] }[] }).files;
    assert.deepEqual(
      files.map((f) => [f.path, f.language, f.diagnostics.length > 0]),
      [
        ['d\\xe9/a.vcl', 'vcl', true],
        ['caf\\xe9.vcl', 'vcl', true],
        ['caf\\xe8.vcl', 'vcl', false],
        ['varnish\\xff', 'varnish-params', true],
      ],
    );
  });

  it('a name that exists as Node decoded it is taken as it is; one that nothing fits is "no such file"', () => {
    writeFileSync(join(dir, 'caf\uFFFD.vcl'), VCL3);
    writeFileSync(inDir(LATIN1), 'vcl 4.1;\n');
    const args = () => [Buffer.from('node'), inDir(LATIN1)];
    assert.deepEqual(discoverFiles([join(dir, 'caf\uFFFD.vcl')], [], args).files, [{ path: join(dir, 'caf\uFFFD.vcl'), language: 'vcl' }]);
    rmSync(join(dir, 'caf\uFFFD.vcl'));
    assert.deepEqual(discoverFiles([join(dir, 'caf\uFFFD.vcl')], [], args).files, [{ path: join(dir, 'caf\\xe9.vcl'), fsPath: inDir(LATIN1), language: 'vcl' }]);
    const none = discoverFiles([join(dir, 'caf\uFFFD.vcl')], [], () => [Buffer.from('node')]);
    assert.deepEqual(none.errors, [`cannot read '${join(dir, 'caf\uFFFD.vcl')}': no such file or directory`]);
  });
});

describe('a file named on the command line that is neither VCL nor a parameter file', function () {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vcl-kind-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const MANIFEST = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: varnish',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: varnish',
    '          image: varnish:7.1',
    '          args: ["-p", "http_resp_hdr_len=64k"]',
    '',
  ].join('\n');

  /** A manifest that runs no cache. */
  const OTHER = MANIFEST.replace(/varnish/g, 'web').replace('web:7.1', 'nginx:1.27').replace('["-p", "http_resp_hdr_len=64k"]', '["-g", "daemon off;"]');

  it('is refused with exit 2 and the reason, and the other files are still linted', () => {
    writeFileSync(join(dir, 'varnish.yaml'), OTHER);
    writeFileSync(join(dir, 'ok.vcl'), 'vcl 4.1;\nbackend b { .host = "127.0.0.1"; .probe = { .url = "/"; } }\n');
    const r = cli(['--format', 'json', join(dir, 'varnish.yaml'), join(dir, 'ok.vcl')]);
    assert.equal(r.status, 2);
    assert.equal(
      r.stderr,
      `vcl-lint: not VCL or a varnishd parameter file: '${join(dir, 'varnish.yaml')}' (its name does not end in .vcl, it has no 'vcl 4.x;' line, and neither its name nor its content is that of a parameter file); use --params if it carries varnishd options\n`,
    );
    assert.deepEqual((JSON.parse(r.stdout) as { files: { path: string }[] }).files.map((f) => f.path), [join(dir, 'ok.vcl')]);
  });

  it('a Kubernetes manifest that runs the cache is linted as one, without being asked', () => {
    writeFileSync(join(dir, 'varnish.yaml'), MANIFEST);
    const r = cli(['--format', 'json', join(dir, 'varnish.yaml')]);
    assert.equal(r.stderr.includes('not VCL'), false, r.stderr);
    const files = (JSON.parse(r.stdout) as { files: { language: string; diagnostics: { rule: string }[] }[] }).files;
    assert.deepEqual(files.map((f) => `${f.language}: ${f.diagnostics.map((d) => d.rule).join(', ')}`), ['varnish-params: resp-buffer-too-small']);
  });

  it('is linted as a parameter file with --params', () => {
    writeFileSync(join(dir, 'varnish.yaml'), MANIFEST);
    const r = cli(['--format', 'json', '--params', join(dir, 'varnish.yaml')]);
    assert.notEqual(r.status, 2, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { files: { language: string }[] }).files.map((f) => f.language), ['varnish-params']);
  });

  it('is taken for what its content says, and the CLI says so: a vcl line, or varnishd options', () => {
    mkdirSync(join(dir, 't'));
    writeFileSync(join(dir, 't', 'default.vcl.j2'), '# rendered by ansible\nvcl 4.1;\nbackend b { .host = "127.0.0.1"; .probe = { .url = "/"; } }\n');
    writeFileSync(join(dir, 't', 'opts'), 'DAEMON_OPTS="-a :6081 -p http_resp_hdr_len=64k"\n');
    const r = cli(['--format', 'json', join(dir, 't', 'default.vcl.j2'), join(dir, 't', 'opts')]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      r.stderr,
      `vcl-lint: '${join(dir, 't', 'default.vcl.j2')}' is linted as VCL: it starts with a 'vcl 4.1;' line\n` +
        `vcl-lint: '${join(dir, 't', 'opts')}' is linted as a varnishd parameter file: its content reads as a shell environment file\n`,
    );
    assert.deepEqual((JSON.parse(r.stdout) as { files: { language: string }[] }).files.map((f) => f.language), ['vcl', 'varnish-params']);
  });
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
