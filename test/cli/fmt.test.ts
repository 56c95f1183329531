/**
 * `vcl-lint --fmt` and `--fmt-check` on real files in a scratch folder:
 * what is listed, what is written, the exit statuses, and the files the
 * formatter must leave alone.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from '../../server/src/cli/args.js';
import { runCli } from '../../server/src/cli/run.js';
import { projectRoot } from '../conformance/corpus.js';

const UNFORMATTED = 'vcl 4.1;\nbackend b {.host="127.0.0.1";.port="8080";}\nsub vcl_recv{if(req.url~"^/a"){return(pass);}}\n';
const FORMATTED = 'vcl 4.1;\nbackend b {\n    .host = "127.0.0.1";\n    .port = "8080";\n}\nsub vcl_recv {\n    if (req.url ~ "^/a") {\n        return (pass);\n    }\n}\n';
const BROKEN = 'vcl 4.1;\nsub vcl_recv {\n    set req.http.X = ;\n}\n';

function cli(args: string[]): { status: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const status = runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { status, stdout, stderr };
}

describe('vcl-lint --fmt and --fmt-check', () => {
  let dir: string;
  const file = (name: string) => join(dir, name);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vcl-fmt-'));
    writeFileSync(file('a.vcl'), UNFORMATTED);
    writeFileSync(file('b.vcl'), FORMATTED);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('--fmt-check lists the unformatted files, writes nothing, and exits 1', () => {
    const r = cli(['--fmt-check', dir]);
    assert.equal(r.stdout, `${file('a.vcl')}\n`);
    assert.equal(r.status, 1);
    assert.equal(readFileSync(file('a.vcl'), 'utf8'), UNFORMATTED);
  });

  it('--fmt rewrites them, exits 0, and a check afterwards finds nothing', () => {
    const r = cli(['--fmt', dir]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `${file('a.vcl')}\n`);
    assert.equal(readFileSync(file('a.vcl'), 'utf8'), FORMATTED);
    assert.equal(readFileSync(file('b.vcl'), 'utf8'), FORMATTED);
    assert.deepEqual(cli(['--fmt-check', dir]), { status: 0, stdout: '', stderr: '' });
  });

  it('leaves a file with syntax errors as it is, says why, and exits 1', () => {
    writeFileSync(file('c.vcl'), BROKEN);
    const r = cli(['--fmt', file('c.vcl')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /c\.vcl: not formatted: it has syntax errors/);
    assert.equal(readFileSync(file('c.vcl'), 'utf8'), BROKEN);
  });

  it('keeps a byte order mark and reports a missing file as an I/O error (exit 2)', () => {
    writeFileSync(file('bom.vcl'), `\uFEFF${UNFORMATTED}`);
    assert.equal(cli(['--fmt', file('bom.vcl')]).status, 0);
    assert.equal(readFileSync(file('bom.vcl'), 'utf8'), `\uFEFF${FORMATTED}`);
    const r = cli(['--fmt-check', file('missing.vcl')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /missing\.vcl/);
  });

  it('never formats a file named with --params, even one ending in .vcl', () => {
    writeFileSync(file('params.vcl'), UNFORMATTED);
    const r = cli(['--fmt', '--params', file('params.vcl')]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(file('params.vcl'), 'utf8'), UNFORMATTED);
  });

  it('refuses --fmt together with --fix or --fmt-check', () => {
    for (const args of [['--fmt', '--fix', 'x.vcl'], ['--fmt', '--fmt-check', 'x.vcl']]) {
      const parsed = parseArgs(args);
      assert.equal(parsed.ok, false, args.join(' '));
    }
  });

  it('works through the bundled command', () => {
    const r = spawnSync(process.execPath, [join(projectRoot, 'dist', 'cli.cjs'), '--fmt-check', dir], { encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout, `${file('a.vcl')}\n`);
  });
});
