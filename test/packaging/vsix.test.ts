/**
 * The extension package: `npm run vsix` packs the built dist/ into a .vsix
 * that stays within the size budget and holds what the extension needs and
 * nothing else (scripts/vsix-contents.ts). The package is written to a
 * temporary folder; the bundles are the unminified ones the test run built,
 * so the budget holds with room to spare for `npm run package`'s minified ones.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REQUIRED_FILES, VSIX_BUDGET_BYTES, vsixProblems } from '../../scripts/vsix-contents.js';
import { zipEntries, type ZipEntry } from '../../scripts/zip-entries.js';
import { projectRoot } from '../conformance/corpus.js';

const rulePages = readdirSync(join(projectRoot, 'docs/rules')).filter((f) => f.endsWith('.md'));

describe('extension package (.vsix)', function () {
  this.timeout(180_000);
  let dir: string;
  let vsix: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vcl-vsix-'));
    vsix = join(dir, 'vcl-tools.vsix');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    execFileSync(npm, ['run', '--silent', 'vsix', '--', '--out', vsix], { cwd: projectRoot, stdio: 'pipe' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is within the budget, complete, and carries no node_modules, tests, sources or maps', () => {
    const entries = zipEntries(readFileSync(vsix));
    assert.deepEqual(vsixProblems(entries, statSync(vsix).size, rulePages), []);
  });

  it('carries the icon package.json names, as a 128x128 PNG', () => {
    const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { icon: string };
    assert.ok(zipEntries(readFileSync(vsix)).some((e) => e.name === `extension/${manifest.icon}`));
    const png = readFileSync(join(projectRoot, manifest.icon));
    assert.equal(png.toString('latin1', 1, 4), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  });
});

describe('vsix content rules', () => {
  const complete: ZipEntry[] = [...REQUIRED_FILES, ...rulePages.map((p) => `extension/docs/rules/${p}`)].map((name) => ({ name, size: 1, compressedSize: 1 }));

  it('accepts a complete package', () => {
    assert.deepEqual(vsixProblems(complete, 1000, rulePages), []);
  });
  it('reports a missing bundle and a missing rule page', () => {
    const entries = complete.filter((e) => e.name !== 'extension/dist/server.cjs' && e.name !== 'extension/docs/rules/syntax.md');
    assert.deepEqual(vsixProblems(entries, 1000, rulePages), ['extension/dist/server.cjs is missing', 'extension/docs/rules/syntax.md is missing']);
  });
  it('reports node_modules, compiled tests and source maps', () => {
    const extra = ['extension/node_modules/chevrotain/package.json', 'extension/out/test/x.test.js', 'extension/dist/server.cjs.map'];
    const problems = vsixProblems([...complete, ...extra.map((name) => ({ name, size: 1, compressedSize: 1 }))], 1000, rulePages);
    assert.equal(problems.length, 3);
    extra.forEach((name, i) => assert.ok(problems[i]!.startsWith(`${name} should not be packaged`), problems[i]));
  });
  it('reports a package over the budget', () => {
    assert.match(vsixProblems(complete, VSIX_BUDGET_BYTES + 1, rulePages)[0] ?? '', /over the budget of 1536 KB/);
  });
});
