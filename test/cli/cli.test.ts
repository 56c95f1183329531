/**
 * The `vcl-lint` CLI: end-to-end through the built bundle (dist/cli.cjs) on
 * real fixture files, plus the argument parser, formatters and fixer as
 * plain functions.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from '../../server/src/cli/args.js';
import { discoverFiles } from '../../server/src/cli/discover.js';
import { applyFixes, fixText } from '../../server/src/cli/fix.js';
import { formatJson } from '../../server/src/cli/format-json.js';
import { formatSarif, toUri } from '../../server/src/cli/format-sarif.js';
import { formatStylish } from '../../server/src/cli/format-stylish.js';
import type { FileReport } from '../../server/src/cli/report.js';
import { runCli } from '../../server/src/cli/run.js';
import { TOOL_NAME, VERSION } from '../../server/src/cli/version.js';
import { CHECKED_VERSIONS, compareVersions, VARNISH_VERSIONS } from '../../server/src/facts/versions.js';
import type { LintDiagnostic, Range } from '../../server/src/service/types.js';
import { assertSarifLog } from '../helpers/sarif.js';

/** The project root: the nearest folder above this file with package.json (works from test/ and out/test/). */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above the test');
    dir = up;
  }
  return dir;
}

const ROOT = findRoot();
const CLI = join(ROOT, 'dist', 'cli.cjs');
const FIX = 'test/fixtures/cli';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the bundled CLI from the project root, so fixture paths are given relative as a user would. */
function vclLint(args: string[], cwd = ROOT): Run {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

function assertNoStackTrace(text: string): void {
  assert.doesNotMatch(text, /^\s+at .+\(?.*:\d+:\d+\)?$/m, `stack trace in output:\n${text}`);
}

const SEVERITIES = ['error', 'warning', 'info', 'hint'];

function assertRange(r: Range, where: string): void {
  for (const p of [r?.start, r?.end]) {
    assert.ok(Number.isInteger(p?.line) && p.line >= 0, `${where}: bad line`);
    assert.ok(Number.isInteger(p?.character) && p.character >= 0, `${where}: bad character`);
  }
}

interface JsonFile {
  path: string;
  language: string;
  diagnostics: (LintDiagnostic & { fixes?: { title: string; edits: { path: string; range: Range; newText: string }[] }[] })[];
}

/** Parses `--format json` output and checks it against the DESIGN.md contract. */
function parseContract(stdout: string): JsonFile[] {
  const doc = JSON.parse(stdout) as { tool: string; version: string; varnishVersion: string; files: JsonFile[] };
  assert.deepEqual(Object.keys(doc).sort(), ['files', 'tool', 'varnishVersion', 'version']);
  assert.equal(doc.tool, 'vcl-lint');
  assert.equal(doc.version, VERSION);
  assert.match(doc.varnishVersion, /^\d+\.\d+$/);
  assert.ok(Array.isArray(doc.files));
  for (const f of doc.files) {
    assert.equal(typeof f.path, 'string');
    assert.ok(['vcl', 'varnish-params'].includes(f.language), `language ${f.language}`);
    assert.ok(Array.isArray(f.diagnostics));
    for (const d of f.diagnostics) {
      const where = `${f.path} ${d.rule}`;
      assert.ok(typeof d.rule === 'string' && d.rule.length > 0, where);
      assert.ok(SEVERITIES.includes(d.severity), `${where}: severity ${d.severity}`);
      assert.ok(typeof d.message === 'string' && d.message.length > 0, where);
      assertRange(d.range, where);
      for (const fix of d.fixes ?? []) {
        assert.equal(typeof fix.title, 'string');
        for (const e of fix.edits) {
          assert.equal(e.path, f.path, `${where}: edit path`);
          assertRange(e.range, where);
          assert.equal(typeof e.newText, 'string');
        }
      }
    }
  }
  return doc.files;
}

const errorsOf = (f: JsonFile): JsonFile['diagnostics'] => f.diagnostics.filter((d) => d.severity === 'error');

describe('vcl-lint CLI (bundle)', function () {
  let tmp: string;

  before(function () {
    assert.ok(existsSync(CLI), `${CLI} is missing: run \`node scripts/build.mjs\` first`);
    tmp = mkdtempSync(join(tmpdir(), 'vcl-lint-test-'));
  });

  after(function () {
    rmSync(tmp, { recursive: true, force: true });
  });

  it('exits 0 on valid VCL, reporting the path as given', function () {
    const r = vclLint(['--format', 'json', `${FIX}/valid.vcl`]);
    assert.equal(r.status, 0, r.stderr);
    const files = parseContract(r.stdout);
    assert.equal(files.length, 1);
    assert.equal(files[0]!.path, `${FIX}/valid.vcl`);
    assert.equal(files[0]!.language, 'vcl');
    assert.deepEqual(errorsOf(files[0]!), []);
    assert.equal(r.stderr, '');
  });

  it('keeps ./ and absolute spellings of paths', function () {
    const abs = join(ROOT, FIX, 'valid.vcl');
    const r = vclLint(['--format', 'json', `./${FIX}/valid.vcl`, abs, `${FIX}/syntax-error.vcl`]);
    const files = parseContract(r.stdout);
    // The same file twice is linted once, under its first spelling.
    assert.deepEqual(files.map((f) => f.path), [`./${FIX}/valid.vcl`, `${FIX}/syntax-error.vcl`]);
  });

  it('exits 1 on a syntax error, reported at the right line with rule syntax', function () {
    const r = vclLint(['--format', 'json', `${FIX}/syntax-error.vcl`]);
    assert.equal(r.status, 1, r.stderr);
    const [file] = parseContract(r.stdout);
    const syntax = file!.diagnostics.filter((d) => d.rule === 'syntax');
    assert.ok(syntax.length >= 1, JSON.stringify(file));
    assert.equal(syntax[0]!.severity, 'error');
    assert.equal(syntax[0]!.range.start.line, 2);
  });

  it('prints stylish output with 1-based positions and a summary', function () {
    const r = vclLint([`${FIX}/syntax-error.vcl`]);
    assert.equal(r.status, 1);
    const lines = r.stdout.split('\n');
    assert.ok(lines.includes(`${FIX}/syntax-error.vcl`), r.stdout);
    assert.match(r.stdout, /^ +3:\d+ +error +.+ +syntax$/m);
    assert.match(r.stdout, /^✖ \d+ problems? \(\d+ errors?, \d+ warnings?.*\), checked against Varnish 7\.1$/m);
  });

  it('walks directories recursively for .vcl only, skipping dot-directories, in sorted order', function () {
    const r = vclLint(['--format', 'json', `${FIX}/tree`]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const paths = parseContract(r.stdout).map((f) => f.path);
    assert.deepEqual(paths, [`${FIX}/tree/a.vcl`, `${FIX}/tree/sub/deeper/b.vcl`]);
    // A trailing slash is not doubled.
    const slash = parseContract(vclLint(['--format', 'json', `${FIX}/tree/`]).stdout).map((f) => f.path);
    assert.deepEqual(slash, paths);
  });

  it('skips node_modules while walking', function () {
    const dir = join(tmp, 'walk');
    mkdirSync(join(dir, 'node_modules', 'pkg'), { recursive: true });
    copyFileSync(join(ROOT, FIX, 'valid.vcl'), join(dir, 'main.vcl'));
    copyFileSync(join(ROOT, FIX, 'syntax-error.vcl'), join(dir, 'node_modules', 'pkg', 'broken.vcl'));
    const r = vclLint(['--format', 'json', dir]);
    assert.equal(r.status, 0, r.stdout);
    assert.deepEqual(parseContract(r.stdout).map((f) => f.path), [join(dir, 'main.vcl')]);
  });

  it('reports a missing file in one line, still lints the others, and exits 2', function () {
    const r = vclLint(['--format', 'json', `${FIX}/nope.vcl`, `${FIX}/valid.vcl`]);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, `vcl-lint: cannot read '${FIX}/nope.vcl': no such file or directory\n`);
    assert.deepEqual(parseContract(r.stdout).map((f) => f.path), [`${FIX}/valid.vcl`]);
    assertNoStackTrace(r.stdout + r.stderr);
  });

  it('exits 2 with one line for a directory holding no VCL', function () {
    const dir = join(tmp, 'empty');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'nothing here\n');
    const r = vclLint([dir]);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, `vcl-lint: no .vcl files found in '${dir}'\n`);
  });

  it('reports non-UTF-8 and binary files as an `input` error at 0:0 and lints the rest', function () {
    const latin1 = join(tmp, 'latin1.vcl');
    writeFileSync(latin1, Buffer.from('vcl 4.1;\n# caf\xe9\n', 'latin1'));
    const binary = join(tmp, 'binary.vcl');
    writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]));
    const r = vclLint(['--format', 'json', latin1, binary, `${FIX}/valid.vcl`]);
    assert.equal(r.status, 1, r.stderr);
    const files = parseContract(r.stdout);
    assert.deepEqual(files.map((f) => f.path), [latin1, binary, `${FIX}/valid.vcl`]);
    for (const f of files.slice(0, 2)) {
      assert.equal(f.diagnostics.length, 1);
      const d = f.diagnostics[0]!;
      assert.equal(d.rule, 'input');
      assert.equal(d.severity, 'error');
      assert.deepEqual(d.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    }
    assert.match(files[0]!.diagnostics[0]!.message, /UTF-8/);
    assert.match(files[1]!.diagnostics[0]!.message, /binary/);
    assertNoStackTrace(r.stderr);
  });

  it('refuses a 50 MB file quickly with one clear diagnostic', function () {
    this.timeout(20000);
    const big = join(tmp, 'big.vcl');
    writeFileSync(big, Buffer.alloc(50 * 1024 * 1024, 'sub vcl_recv { }\n'));
    const r = vclLint([big]);
    assert.equal(r.status, 1, r.stderr);
    assert.ok(r.ms < 5000, `took ${r.ms} ms`);
    assert.match(r.stdout, /1:1 +error +file is too large to analyse \(50\.0 MB; the limit is 10\.0 MB\) +input/);
    assert.equal(r.stderr, '');
  });

  it('treats --params files as varnish-params with no diagnostics yet', function () {
    const params = join(tmp, 'varnish.params');
    writeFileSync(params, 'VARNISH_LISTEN_PORT=6081\n');
    const r = vclLint(['--format', 'json', '--params', params, `${FIX}/valid.vcl`]);
    assert.equal(r.status, 0, r.stderr);
    const files = parseContract(r.stdout);
    assert.deepEqual(
      files.map((f) => [f.path, f.language]),
      [[`${FIX}/valid.vcl`, 'vcl'], [params, 'varnish-params']],
    );
    assert.deepEqual(files[1]!.diagnostics, []);
  });

  it('reads compose files, Kubernetes manifests and Helm values as the sources do (the bundle loads yaml on first use)', function () {
    // The bundles give `import ... from 'yaml'` a stand-in that loads the package when first used
    // (scripts/build.mjs): the same run in this process, on the real package, must print the same.
    const args = ['--format', 'json', 'test/fixtures/kubernetes', 'test/fixtures/helm', 'test/fixtures/params/docker'];
    const bundled = vclLint(args);
    let stdout = '';
    let stderr = '';
    const status = runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
    assert.equal(bundled.status, status, bundled.stderr);
    assert.equal(bundled.stdout, stdout);
    assert.equal(bundled.stderr, stderr);
    // And the files were read as YAML: every one has its findings.
    const files = parseContract(bundled.stdout);
    assert.ok(files.length >= 10, bundled.stdout);
    for (const f of files.filter((f) => /\.ya?ml$/.test(f.path) && !f.path.includes('not-varnish'))) assert.equal(f.language, 'varnish-params', f.path);
    assert.ok(files.filter((f) => /\.ya?ml$/.test(f.path)).some((f) => f.diagnostics.length > 0));
  });

  it('checks --config: missing or non-JSON is exit 2 in one line, a JSON object is accepted', function () {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, '{ rules: ');
    const good = join(tmp, 'good.json');
    writeFileSync(good, '{}');
    const missing = vclLint(['--config', join(tmp, 'none.json'), `${FIX}/valid.vcl`]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^vcl-lint: cannot read config '.*none\.json': no such file or directory\n$/);
    const invalid = vclLint(['--config', bad, `${FIX}/valid.vcl`]);
    assert.equal(invalid.status, 2);
    assert.match(invalid.stderr, /^vcl-lint: config '.*bad\.json' is not valid JSON: [^\n]+\n$/);
    assert.equal(vclLint(['--config', good, `${FIX}/valid.vcl`]).status, 0);
  });

  it('--vmod-path is searched for imported vmods: without it, vmod-not-found warns', function () {
    const file = join(tmp, 'brotli.vcl');
    writeFileSync(file, 'vcl 4.1;\nimport brotli;\nbackend b { .host = "127.0.0.1"; .probe = { .url = "/"; } }\n');
    const rules = (r: Run) => (JSON.parse(r.stdout) as { files: JsonFile[] }).files[0]!.diagnostics.map((d) => d.rule);
    assert.deepEqual(rules(vclLint(['--format', 'json', file])), ['vmod-not-found']);
    const vmods = join(tmp, 'vmods');
    mkdirSync(vmods, { recursive: true });
    // The installed std's interface under another name; a copy of any vmod file does.
    const std = '/usr/lib/x86_64-linux-gnu/varnish/vmods/libvmod_std.so';
    if (!existsSync(std)) this.skip(); // no installed vmod to copy
    copyFileSync(std, join(vmods, 'libvmod_brotli.so'));
    assert.deepEqual(rules(vclLint(['--format', 'json', '--vmod-path', vmods, file])), []);
  });

  it('an error in an included file makes the including file fail, as varnishd refuses the program (exit 1)', function () {
    const r = vclLint(['--format', 'json', 'test/fixtures/includes/broken-part/main.vcl']);
    assert.equal(r.status, 1, r.stderr);
    const files = (JSON.parse(r.stdout) as { files: Array<JsonFile & { diagnostics: Array<{ related?: Array<{ path: string; range: Range; message: string }> }> }> }).files;
    assert.deepEqual(files.map((f) => f.path), ['test/fixtures/includes/broken-part/main.vcl']);
    const [d] = files[0]!.diagnostics.filter((x) => x.rule === 'included-file-errors');
    assert.equal(d!.severity, 'error');
    assert.equal(d!.related?.length, 1);
    assert.equal(d!.related![0]!.path, join(ROOT, 'test/fixtures/includes/broken-part/parts/recv.vcl'));
    assertRange(d!.related![0]!.range, 'related');
  });

  it('reports a missing --include-path as an I/O error', function () {
    const r = vclLint(['--include-path', join(tmp, 'no-such-dir'), `${FIX}/valid.vcl`]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^vcl-lint: cannot use include path '.*no-such-dir': no such file or directory\n$/);
  });

  it('--fix writes what it fixed and reports what the written file still has', function () {
    for (const name of ['valid.vcl', 'syntax-error.vcl']) {
      const file = join(tmp, `fix-${name}`);
      copyFileSync(join(ROOT, FIX, name), file);
      const before = readFileSync(file);
      const mtime = statSync(file).mtimeMs;
      const hadFixes = parseContract(vclLint(['--format', 'json', file]).stdout)[0]!.diagnostics.some((d) => d.fixes?.length);
      const fixed = vclLint(['--fix', '--format', 'json', file]);
      assert.notEqual(fixed.status, 2, fixed.stderr);
      if (!hadFixes) {
        assert.deepEqual(readFileSync(file), before, 'no fixes: file untouched');
        assert.equal(statSync(file).mtimeMs, mtime);
      }
      // What --fix reports is exactly what a fresh lint of the written file reports.
      const again = vclLint(['--format', 'json', file]);
      assert.deepEqual(parseContract(fixed.stdout), parseContract(again.stdout));
      assert.equal(fixed.status, again.status);
    }
  });

  it('prints a valid SARIF 2.1.0 log', function () {
    const r = vclLint(['--format', 'sarif', `${FIX}/syntax-error.vcl`, `${FIX}/valid.vcl`]);
    assert.equal(r.status, 1, r.stderr);
    const run = assertSarifLog(r.stdout);
    const syntax = run.results.find((x) => x.ruleId === 'syntax');
    assert.ok(syntax, r.stdout);
    assert.equal(syntax.level, 'error');
    // Each rule links its page, shipped next to the bundle.
    for (const rule of run.tool.driver.rules) {
      assert.ok(rule.helpUri, `${rule.id} has no helpUri`);
      assert.equal(rule.helpUri, pathToFileURL(join(ROOT, 'docs', 'rules', `${rule.id}.md`)).href);
      assert.ok(existsSync(fileURLToPath(rule.helpUri)), rule.helpUri);
    }
    const loc = syntax.locations[0]!.physicalLocation;
    assert.equal(loc.artifactLocation.uri, `${FIX}/syntax-error.vcl`);
    assert.equal(loc.region.startLine, 3);
  });

  it('rejects usage errors with exit 2 and the usage text', function () {
    for (const args of [['--format', 'bogus', `${FIX}/valid.vcl`], ['--frobnicate', `${FIX}/valid.vcl`], ['--format'], ['--config'], []]) {
      const r = vclLint(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^vcl-lint: .+\n\nUsage: vcl-lint /, args.join(' '));
      assert.equal(r.stdout, '');
    }
  });

  it('--help exits 0 with usage on stdout; --version prints the package version and the releases known', function () {
    const help = vclLint(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: vcl-lint /);
    const version = vclLint(['--version']);
    assert.equal(version.status, 0);
    assert.equal(version.stderr, '');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const [first, heading, checked, derived, ...rest] = version.stdout.split('\n');
    assert.equal(first, `vcl-lint ${pkg.version}`);
    assert.match(heading!, /^Varnish releases known \(--varnish-version; default 7\.1\):$/);
    // Every release is listed once, under how its facts are known.
    const listed = (line: string, label: string): string[] => {
      assert.ok(line.startsWith(`  ${label}: `), line);
      return line.slice(label.length + 4).split(', ').map((v) => /\d+\.\d+/.exec(v)![0]);
    };
    assert.deepEqual(listed(checked!, 'checked against their own compiler'), CHECKED_VERSIONS);
    assert.deepEqual([...listed(checked!, 'checked against their own compiler'), ...listed(derived!, "derived from a checked release and Varnish's change records")].sort(compareVersions), VARNISH_VERSIONS);
    assert.match(checked!, /9\.0 \(Vinyl Cache 9\.0\.1\)/);
    assert.deepEqual(rest, ['']);
  });
});

describe('vcl-lint CLI (functions)', function () {
  it('parseArgs reads every option, both spellings of values, and operands after --', function () {
    const r = parseArgs(['--format=json', '--fix', '--config', 'c.json', '--include-path', 'a', '--include-path=b', '--vmod-path', 'v1', '--vmod-path=v2', '--params', 'p', '--varnishlog', 'l', 'x.vcl', '--', '--odd.vcl']);
    assert.ok(r.ok);
    assert.deepEqual(r.options, {
      format: 'json', fix: true, fmt: false, fmtCheck: false, config: 'c.json', includePaths: ['a', 'b'], vmodPaths: ['v1', 'v2'], paramsFiles: ['p'], varnishlogFiles: ['l'],
      paths: ['x.vcl', '--odd.vcl'], help: false, version: false,
    });
    assert.ok(parseArgs(['--params', 'p']).ok, '--params alone is something to lint');
    const fmt = parseArgs(['--fmt', 'x.vcl']);
    assert.ok(fmt.ok && fmt.options.fmt && !fmt.options.fmtCheck);
    const check = parseArgs(['--fmt-check', 'x.vcl']);
    assert.ok(check.ok && check.options.fmtCheck && !check.options.fmt);
  });

  it('parseArgs reports unknown options, bad formats and missing values', function () {
    const errorOf = (argv: string[]): string => {
      const r = parseArgs(argv);
      assert.ok(!r.ok, argv.join(' '));
      return r.error;
    };
    assert.equal(errorOf(['--nope', 'x']), "unknown option '--nope'");
    assert.match(errorOf(['--format', 'xml', 'x']), /unknown format 'xml'/);
    assert.equal(errorOf(['x', '--config']), "option '--config' needs a value");
    assert.equal(errorOf(['--config', '--fix', 'x']), "option '--config' needs a value");
    assert.equal(errorOf(['--fix=yes', 'x']), "option '--fix' does not take a value");
    assert.equal(errorOf([]), 'no files or directories given');
  });

  const range = (l: number, c: number, l2 = l, c2 = c): Range => ({ start: { line: l, character: c }, end: { line: l2, character: c2 } });
  const diag = (severity: LintDiagnostic['severity'], rule: string, r: Range, message = 'm'): LintDiagnostic => ({ rule, severity, message, range: r });

  it('formatStylish prints nothing when clean, and aligned 1-based lines otherwise', function () {
    assert.equal(formatStylish([{ path: 'a.vcl', language: 'vcl', diagnostics: [] }]), '');
    const files: FileReport[] = [
      { path: 'a.vcl', language: 'vcl', diagnostics: [diag('warning', 'w-rule', range(9, 4), 'later'), diag('error', 'syntax', range(0, 0), 'first')] },
      { path: 'clean.vcl', language: 'vcl', diagnostics: [] },
    ];
    assert.equal(
      formatStylish(files),
      '\na.vcl\n' +
        '   1:1  error    first  syntax\n' +
        '  10:5  warning  later  w-rule\n' +
        '\n✖ 2 problems (1 error, 1 warning)\n',
    );
    const one = formatStylish([{ path: 'b.vcl', language: 'vcl', diagnostics: [diag('hint', 'h', range(0, 0))] }]);
    assert.match(one, /✖ 1 problem \(0 errors, 0 warnings, 1 hint\)\n$/);
  });

  it('formatJson follows the contract and names the file on every fix edit', function () {
    const d: LintDiagnostic & { extra?: number } = {
      ...diag('warning', 'backend-probe-missing', range(1, 8, 1, 15)),
      fixes: [{ title: 't', edits: [{ range: range(2, 0), newText: 'x' }] }],
      extra: 1,
    };
    const doc = JSON.parse(formatJson([{ path: 'p.vcl', language: 'vcl', diagnostics: [d] }], '7.7'));
    assert.deepEqual(doc, {
      tool: TOOL_NAME,
      version: VERSION,
      varnishVersion: '7.7',
      files: [{
        path: 'p.vcl', language: 'vcl',
        diagnostics: [{
          rule: 'backend-probe-missing', severity: 'warning', message: 'm', range: range(1, 8, 1, 15),
          fixes: [{ title: 't', edits: [{ path: 'p.vcl', range: range(2, 0), newText: 'x' }] }],
        }],
      }],
    });
  });

  it('formatJson and formatSarif carry related places (same file, or their own path)', function () {
    const d: LintDiagnostic = {
      ...diag('error', 'included-file-errors', range(3, 9, 3, 27)),
      related: [{ path: '/etc/varnish/part.vcl', range: range(1, 4, 1, 8), message: 'syntax: x' }, { range: range(5, 0, 5, 2), message: 'here' }],
    };
    const json = JSON.parse(formatJson([{ path: 'main.vcl', language: 'vcl', diagnostics: [d] }]));
    assert.deepEqual(json.files[0].diagnostics[0].related, [
      { path: '/etc/varnish/part.vcl', range: range(1, 4, 1, 8), message: 'syntax: x' },
      { path: 'main.vcl', range: range(5, 0, 5, 2), message: 'here' },
    ]);
    const sarif = JSON.parse(formatSarif([{ path: 'main.vcl', language: 'vcl', diagnostics: [d] }]));
    assert.deepEqual(sarif.runs[0].results[0].relatedLocations.map((l: { physicalLocation: { artifactLocation: { uri: string } }; message: { text: string } }) => [l.physicalLocation.artifactLocation.uri, l.message.text]), [
      ['file:///etc/varnish/part.vcl', 'syntax: x'],
      ['main.vcl', 'here'],
    ]);
  });

  it('formatSarif maps severities, 1-based exclusive regions and I/O errors', function () {
    const log = JSON.parse(formatSarif([{ path: 'dir/a b.vcl', language: 'vcl', diagnostics: [diag('info', 'r', range(0, 2, 0, 5))] }], ['cannot read x']));
    const run = log.runs[0];
    assert.deepEqual(run.results[0].level, 'note');
    assert.deepEqual(run.results[0].locations[0].physicalLocation, {
      artifactLocation: { uri: 'dir/a%20b.vcl' },
      region: { startLine: 1, startColumn: 3, endLine: 1, endColumn: 6 },
    });
    assert.equal(run.invocations[0].executionSuccessful, false);
    assert.equal(run.invocations[0].toolExecutionNotifications[0].message.text, 'cannot read x');
    assert.equal(toUri('/etc/varnish/default.vcl'), 'file:///etc/varnish/default.vcl');
  });

  it('applyFixes applies non-overlapping edits bottom-up and skips overlapping fixes', function () {
    const text = 'abc\r\ndef\nghi';
    const withFix = (r: Range, newText: string): LintDiagnostic => ({ ...diag('warning', 'x', r), fixes: [{ title: 't', edits: [{ range: r, newText }] }] });
    const out = applyFixes(text, [
      withFix(range(0, 1, 0, 2), 'B'),
      withFix(range(1, 0), '>'),
      withFix(range(0, 0, 0, 3), 'overlaps the first'),
      withFix(range(2, 3), '!'),
      diag('error', 'no-fix', range(0, 0)),
    ]);
    assert.deepEqual(out, { text: 'aBc\r\n>def\nghi!', applied: 3 });
  });

  it('fixText repeats until no fix applies and returns the final diagnostics', function () {
    // A fake linter that asks for one more `;` per pass until there are three.
    const lint = (t: string): LintDiagnostic[] =>
      t.length < 3 ? [{ ...diag('error', 'semi', range(0, t.length)), fixes: [{ title: 'add', edits: [{ range: range(0, t.length), newText: ';' }] }] }] : [];
    assert.deepEqual(fixText('', lint), { text: ';;;', applied: 3, diagnostics: [] });
    assert.deepEqual(fixText(';;;', lint), { text: ';;;', applied: 0, diagnostics: [] });
  });

  it('discoverFiles expands directories in sorted order and reports missing paths', function () {
    const d = discoverFiles([join(ROOT, FIX, 'tree'), join(ROOT, FIX, 'missing.vcl')], [join(ROOT, FIX, 'valid.vcl')]);
    assert.deepEqual(d.files.map((f) => [f.path.slice(ROOT.length + 1), f.language]), [
      [`${FIX}/tree/a.vcl`, 'vcl'],
      [`${FIX}/tree/sub/deeper/b.vcl`, 'vcl'],
      [`${FIX}/valid.vcl`, 'varnish-params'],
    ]);
    assert.deepEqual(d.errors, [`cannot read '${join(ROOT, FIX, 'missing.vcl')}': no such file or directory`]);
  });

  it('runCli turns an unexpected exception into one line and exit 2', function () {
    let err = '';
    const status = runCli(['--version'], { stdout: () => { throw new Error('disk on fire\n    at somewhere'); }, stderr: (s) => (err += s) });
    assert.equal(status, 2);
    assert.equal(err, 'vcl-lint: internal error: disk on fire\n');
  });
});

describe('vcl-lint CLI: parameter files and project configuration', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vcl-lint-config-'));
    mkdirSync(join(dir, 'etc/default'), { recursive: true });
    writeFileSync(join(dir, 'etc/default/varnish'), 'DAEMON_OPTS="-a :6081 -f /etc/varnish/default.vcl"\n');
    writeFileSync(join(dir, 'varnish.params'), 'DAEMON_OPTS="-p http_resp_hdr_len=4k"\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('lints a parameter file named on the command line as one, not as VCL', () => {
    const r = vclLint(['--format', 'json', 'varnish.params'], dir);
    const out = JSON.parse(r.stdout) as { files: Array<{ language: string; diagnostics: Array<{ rule: string }> }> };
    assert.equal(out.files[0]!.language, 'varnish-params');
    assert.deepEqual(out.files[0]!.diagnostics.map((d) => d.rule), ['resp-buffer-too-small']);
  });

  it('finds parameter files while walking a directory', () => {
    const r = vclLint(['--format', 'json', '.'], dir);
    const out = JSON.parse(r.stdout) as { files: Array<{ path: string; language: string }> };
    assert.deepEqual(out.files.map((f) => `${f.path}:${f.language}`).sort(), ['./etc/default/varnish:varnish-params', './varnish.params:varnish-params']);
  });

  it('reads maxResponseHeaderBytes from .vcl-lint.json found upward, and warns on unknown keys', () => {
    writeFileSync(join(dir, '.vcl-lint.json'), JSON.stringify({ maxResponseHeaderBytes: 40000, colour: 'blue' }));
    try {
      const r = vclLint(['--format', 'json', join('etc', 'default', 'varnish')], join(dir));
      const out = JSON.parse(r.stdout) as { files: Array<{ diagnostics: Array<{ rule: string; message: string }> }> };
      const d = out.files[0]!.diagnostics.find((x) => x.rule === 'resp-buffer-too-small');
      assert.ok(d, r.stdout);
      assert.match(d.message, /40000 bytes/);
      assert.match(r.stderr, /unknown key 'colour'/);
    } finally {
      rmSync(join(dir, '.vcl-lint.json'));
    }
  });

  it('refuses a configuration with a wrong value in one line, exit 2', () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ maxResponseHeaderBytes: 'big' }));
    const r = vclLint(['--config', 'bad.json', 'varnish.params'], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /maxResponseHeaderBytes must be a positive number/);
    assertNoStackTrace(r.stderr);
  });
});

describe('vcl-lint CLI: varnishd compiler switches from the configuration', function () {
  this.timeout(60_000);
  it('errUnref: false turns unused definitions into warnings, and exit 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vcl-lint-unref-'));
    try {
      writeFileSync(join(dir, 'main.vcl'), 'vcl 4.1;\nbackend a { .host = "127.0.0.1"; }\nbackend b { .host = "127.0.0.1"; }\n');
      assert.equal(vclLint(['main.vcl'], dir).status, 1);
      writeFileSync(join(dir, '.vcl-lint.json'), JSON.stringify({ errUnref: false }));
      const r = vclLint(['--format', 'json', 'main.vcl'], dir);
      assert.equal(r.status, 0);
      const out = JSON.parse(r.stdout) as { files: Array<{ diagnostics: Array<{ rule: string; severity: string }> }> };
      assert.deepEqual(out.files[0]!.diagnostics.filter((d) => d.rule === 'unused-definition').map((d) => `${d.rule}:${d.severity}`), ['unused-definition:warning']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('vcl-lint CLI: rule levels from the configuration', function () {
  this.timeout(60_000);
  it('applies "rules" from .vcl-lint.json and warns about unknown rule ids', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vcl-lint-rules-'));
    try {
      writeFileSync(join(dir, 'main.vcl'), 'vcl 4.1;\nbackend a { .host = "127.0.0.1"; }\nsub vcl_recv { set req.http.x = beresp.ttl; }\n');
      writeFileSync(join(dir, '.vcl-lint.json'), JSON.stringify({ rules: { 'variable-access': 'warning', 'backend-probe-missing': 'off', 'no-such-rule': 'error' } }));
      const r = vclLint(['--format', 'json', 'main.vcl'], dir);
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { files: Array<{ diagnostics: Array<{ rule: string; severity: string }> }> };
      assert.deepEqual(out.files[0]!.diagnostics.map((d) => `${d.rule}:${d.severity}`), ['variable-access:warning']);
      assert.match(r.stderr, /unknown rule 'no-such-rule'/);
      assertNoStackTrace(r.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
