/**
 * "VCL: Diagnose 503s from varnishlog" without VS Code: which varnishlog it
 * runs (the user's setting, else PATH, never a relative PATH folder), what
 * it runs it with, and what the user is told for each outcome. Runs use
 * stand-in programs written into a temporary folder (shell scripts that
 * print a real capture, fail like varnishlog fails, or may not be run);
 * when the machine has a varnishlog, it is found on PATH and its own
 * "no varnishd" failure is explained.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import {
  explainFailure,
  locateVarnishlog,
  runVarnishlog,
  varnishlogArgs,
  VARNISHLOG_ARGS,
  VARNISHLOG_PATH_SETTING,
  type ProgramProbe,
} from '../../client/src/varnishlog-command.js';
import { diagnoseVarnishlog } from '../../server/src/service/varnishlog.js';
import { projectRoot } from '../conformance/corpus.js';
import { skipBecause } from '../helpers/skip.js';

const CAPTURE_FILE = join(projectRoot, 'test/fixtures/varnishlog/all-causes.7.1.request.varnishlog');
const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
  contributes: {
    commands: Array<{ command: string; title: string; category: string }>;
    menus: { commandPalette: Array<{ command: string; when: string }> };
    configuration: { properties: Record<string, { scope?: string; type?: string }> };
  };
};

/** A probe over a fixed set of files: name -> executable or not. */
function probeOf(files: Record<string, boolean>): ProgramProbe {
  return { isFile: (p) => p in files, isExecutable: (p) => files[p] === true };
}

describe('client: Diagnose 503s from varnishlog', function () {
  this.timeout(20_000);
  let dir: string;
  /** Writes an executable shell script (or one without the x bit). */
  const script = (name: string, body: string, executable = true): string => {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, executable ? 0o755 : 0o644);
    return path;
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vcl-varnishlog-command-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is contributed as "VCL: Diagnose 503s from varnishlog", offered only in trusted workspaces, with a machine-scoped setting', () => {
    const command = manifest.contributes.commands.find((c) => c.command === 'vcl.diagnose503s');
    assert.deepEqual(command, { command: 'vcl.diagnose503s', title: 'Diagnose 503s from varnishlog', category: 'VCL' });
    assert.deepEqual(manifest.contributes.menus.commandPalette.find((m) => m.command === 'vcl.diagnose503s')?.when, 'isWorkspaceTrusted');
    const setting = manifest.contributes.configuration.properties[`vcl.${VARNISHLOG_PATH_SETTING}`];
    assert.equal(setting?.scope, 'machine');
    assert.equal(setting?.type, 'string');
  });

  it('runs varnishlog with the arguments of the issue, as separate words, after -n when an instance is named', () => {
    assert.deepEqual(VARNISHLOG_ARGS, ['-d', '-g', 'request', '-q', 'RespStatus == 503']);
    assert.deepEqual(varnishlogArgs(''), [...VARNISHLOG_ARGS]);
    assert.deepEqual(varnishlogArgs(undefined), [...VARNISHLOG_ARGS]);
    assert.deepEqual(varnishlogArgs(' shop '), ['-n', 'shop', ...VARNISHLOG_ARGS]);
  });

  it('takes the program the user setting names, and says why when it cannot', () => {
    const probe = probeOf({ '/opt/varnish/bin/varnishlog': true, '/opt/locked/varnishlog': false, '/usr/bin/varnishlog': true });
    assert.deepEqual(locateVarnishlog('/opt/varnish/bin/varnishlog', '/usr/bin', probe), { ok: true, path: '/opt/varnish/bin/varnishlog', from: 'setting' });
    const relative = locateVarnishlog('bin/varnishlog', '/usr/bin', probe);
    assert.ok(!relative.ok && /must be an absolute path/.test(relative.message));
    const missing = locateVarnishlog('/nowhere/varnishlog', '/usr/bin', probe);
    assert.ok(!missing.ok && /not a file on this machine/.test(missing.message) && /vcl\.varnishlogPath/.test(missing.message));
    const locked = locateVarnishlog('/opt/locked/varnishlog', '/usr/bin', probe);
    assert.ok(!locked.ok && /No permission to run '\/opt\/locked\/varnishlog'/.test(locked.message));
  });

  it('else searches PATH, skipping relative folders that would resolve inside the workspace', () => {
    const probe = probeOf({ 'varnishlog': true, 'bin/varnishlog': true, '/usr/local/bin/varnishlog': false, '/usr/bin/varnishlog': true });
    const path = ['', '.', 'bin', '/usr/local/bin', '/usr/bin'].join(delimiter);
    assert.deepEqual(locateVarnishlog('', path, probe), { ok: true, path: '/usr/bin/varnishlog', from: 'PATH' });
    assert.deepEqual(locateVarnishlog(undefined, path, probe), { ok: true, path: '/usr/bin/varnishlog', from: 'PATH' });
    const onlyRelative = locateVarnishlog(undefined, ['.', 'bin'].join(delimiter), probe);
    assert.ok(!onlyRelative.ok && /not found on PATH/.test(onlyRelative.message) && /vcl\.varnishlogPath/.test(onlyRelative.message));
    const locked = locateVarnishlog(undefined, '/usr/local/bin', probe);
    assert.ok(!locked.ok && /No permission to run/.test(locked.message));
    assert.ok(!locateVarnishlog(undefined, undefined, probe).ok);
  });

  it('finds a real program on a real PATH, and passes over one it may not run', () => {
    const bin = join(dir, 'bin');
    const locked = join(dir, 'locked');
    mkdirSync(bin);
    mkdirSync(locked);
    writeFileSync(join(locked, 'varnishlog'), '#!/bin/sh\n');
    chmodSync(join(locked, 'varnishlog'), 0o644);
    writeFileSync(join(bin, 'varnishlog'), '#!/bin/sh\n');
    chmodSync(join(bin, 'varnishlog'), 0o755);
    const found = locateVarnishlog(undefined, [locked, bin].join(delimiter));
    // Root may execute any file with an x bit; without one, not even root.
    assert.deepEqual(found, { ok: true, path: join(bin, 'varnishlog'), from: 'PATH' });
  });

  it('opens what varnishlog prints: a capture the doctor reads', async () => {
    const fake = script('varnishlog-prints', `cat '${CAPTURE_FILE}'`);
    const run = await runVarnishlog(fake);
    assert.equal(run.kind, 'capture');
    assert.ok(run.kind === 'capture' && !run.truncated);
    assert.equal(run.kind === 'capture' && run.text, readFileSync(CAPTURE_FILE, 'utf8'));
    assert.ok(diagnoseVarnishlog(run.kind === 'capture' ? run.text : '').length > 0);
  });

  it('passes the query to varnishlog as one word, through no shell', async () => {
    const echo = script('varnishlog-args', 'for a in "$@"; do printf "[%s]\\n" "$a"; done');
    const run = await runVarnishlog(echo);
    assert.equal(run.kind === 'capture' && run.text, '[-d]\n[-g]\n[request]\n[-q]\n[RespStatus == 503]\n');
  });

  it('says so when the log holds no 503', async () => {
    assert.deepEqual(await runVarnishlog(script('varnishlog-empty', 'exit 0')), { kind: 'empty' });
  });

  it('explains varnishlog\'s own failures: no varnishd, no permission, anything else', async () => {
    const noVarnishd = await runVarnishlog(script('varnishlog-no-varnishd', 'printf "....\\nVSM: Could not get hold of varnishd, is it running?\\n" >&2; exit 1'));
    assert.equal(noVarnishd.kind, 'failed');
    assert.match(noVarnishd.kind === 'failed' ? noVarnishd.message : '', /no running varnishd.*"VSM: Could not get hold of varnishd, is it running\?"/);
    const denied = await runVarnishlog(script('varnishlog-denied', 'echo "VSM: Could not open /var/lib/varnish/varnishd/_.vsm_mgt: Permission denied" >&2; exit 1'));
    assert.match(denied.kind === 'failed' ? denied.message : '', /no permission to read varnishd's log.*group/);
    assert.match(explainFailure('/usr/bin/varnishlog', 2, 'Unknown option\n'), /exit status 2.*"Unknown option"/);
  });

  it('says so when the program is gone or may not be run', async () => {
    const gone = await runVarnishlog(join(dir, 'no-such-varnishlog'));
    assert.match(gone.kind === 'failed' ? gone.message : '', /does not exist/);
    const locked = await runVarnishlog(script('varnishlog-locked', 'exit 0', false));
    assert.match(locked.kind === 'failed' ? locked.message : '', /No permission to run/);
  });

  it('cuts the output at the editor\'s limit and stops varnishlog', async () => {
    const endless = script('varnishlog-endless', `while true; do cat '${CAPTURE_FILE}'; done`);
    const run = await runVarnishlog(endless, { maxBytes: 200_000 });
    assert.equal(run.kind, 'capture');
    assert.ok(run.kind === 'capture' && run.truncated && run.text.length === 200_000);
  });

  it('stops varnishlog on cancel and on timeout', async () => {
    const slow = script('varnishlog-slow', 'sleep 30');
    const abort = new AbortController();
    const pending = runVarnishlog(slow, { signal: abort.signal });
    abort.abort();
    assert.deepEqual(await pending, { kind: 'cancelled' });
    const timedOut = await runVarnishlog(slow, { timeoutMs: 200 });
    assert.match(timedOut.kind === 'failed' ? timedOut.message : '', /no answer within/);
  });

  it('explains the real varnishlog\'s answer when no varnishd runs here', async function () {
    const real = locateVarnishlog(undefined, process.env['PATH']);
    if (!real.ok) skipBecause(this, 'no varnishlog on PATH');
    // A name no instance has: varnishlog waits its VSM timeout (-t), then gives up.
    const run = await runVarnishlog(real.path, { args: ['-d', '-t', '1', '-n', join(dir, 'no-instance'), '-g', 'request', '-q', 'RespStatus == 503'] });
    assert.equal(run.kind, 'failed');
    assert.match(run.kind === 'failed' ? run.message : '', /no running varnishd.*vcl\.varnishlogInstance/);
    assert.ok(existsSync(real.ok ? real.path : ''));
  });
});
