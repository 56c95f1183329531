/**
 * The language server in Neovim: headless nvim with the built-in LSP client
 * (test/e2e/nvim/init.lua) starts `node dist/server.cjs --stdio`, waits for
 * the diagnostics of a fixture, asks for code actions at one of them,
 * applies the chosen workspace edit and writes the file. Run by
 * `npm run test:e2e` (scripts/e2e-setup.sh installs Debian's neovim).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyWorkspace, FIXTURES, PROJECT_ROOT, removeWorkspace } from './paths.js';

const INIT = join(PROJECT_ROOT, 'test', 'e2e', 'nvim', 'init.lua');
const SERVER = join(PROJECT_ROOT, 'dist', 'server.cjs');

interface NvimResult {
  error?: string;
  diagnostics: { code: string; line: number; message: string }[];
  titles: string[];
  text: string;
}

const cases = [
  {
    file: 'default.vcl',
    rule: 'backend-probe-missing',
    fix: "Add a health probe to backend 'web1'",
    diagnostics: [{ code: 'backend-probe-missing', line: 4 }],
    titles: ["Add a health probe to backend 'web1'", "Create probe 'health' and use it for all 2 backends without one"],
    expected: 'default.web1-probe.vcl',
  },
  {
    file: 'varnish.service.d/override.conf',
    rule: 'resp-buffer-too-small',
    fix: 'Raise to http_resp_hdr_len=8k',
    diagnostics: [{ code: 'resp-buffer-too-small', line: 5 }],
    titles: ['Raise to http_resp_hdr_len=8k', 'Set a consistent trio: http_resp_hdr_len=64k, http_resp_size=96k, workspace_backend=128k'],
    expected: 'override.raised.conf',
  },
];

/** nvim processes not yet ended, stopped after each test (a test that timed out leaves one). */
const running = new Set<ChildProcess>();

/** Runs the headless Neovim script; resolves with its exit code once nvim has ended. */
function runNvim(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('nvim', ['--headless', '--clean', '-u', INIT], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    child.on('exit', () => running.delete(child));
    let output = '';
    child.stdout.on('data', (c: Buffer) => { output += c.toString('utf8'); });
    child.stderr.on('data', (c: Buffer) => { output += c.toString('utf8'); });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('Neovim end to end (built-in LSP client)', function () {
  this.timeout(90_000);
  const dirs: string[] = [];
  afterEach(() => {
    for (const child of running) child.kill('SIGKILL');
  });
  after(() => {
    for (const dir of dirs.splice(0)) removeWorkspace(dir);
  });

  it('runs a Neovim with the LSP client functions the script uses (0.7 or later)', () => {
    const version = /NVIM v(\d+)\.(\d+)\.(\d+)/.exec(execFileSync('nvim', ['--version'], { encoding: 'utf8' }));
    assert.ok(version, 'nvim --version names no version');
    const [major, minor] = [Number(version[1]), Number(version[2])];
    assert.ok(major > 0 || minor >= 7, `Neovim ${version[0]} is older than 0.7`);
  });

  for (const c of cases) {
    it(`${c.file}: ${c.rule} diagnostics, then the code action "${c.fix}" applied and written`, async () => {
      const dir = copyWorkspace('nvim');
      dirs.push(dir);
      const file = join(dir, c.file);
      const out = join(dir, 'result.json');
      const { code, output } = await runNvim({ VCL_E2E_SERVER: SERVER, VCL_E2E_FILE: file, VCL_E2E_RULE: c.rule, VCL_E2E_FIX: c.fix, VCL_E2E_OUT: out });
      assert.ok(existsSync(out), `nvim (exit code ${code}) wrote no result:\n${output}`);
      const result = JSON.parse(readFileSync(out, 'utf8')) as NvimResult;
      assert.equal(result.error, undefined, `nvim failed: ${result.error}\n${output}`);
      assert.equal(code, 0, output);
      assert.deepEqual(result.diagnostics.map((d) => ({ code: d.code, line: d.line })), c.diagnostics);
      assert.deepEqual(result.titles, c.titles);
      const expected = readFileSync(join(FIXTURES, 'expected', c.expected), 'utf8');
      // The buffer Neovim holds and the file it wrote are both the fixed text.
      assert.equal(result.text, expected);
      assert.equal(readFileSync(file, 'utf8'), expected);
    });
  }
});
