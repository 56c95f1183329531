/**
 * The npm package: `npm pack` holds what the CLI and the language server
 * need and nothing else (test/packaging/npm-contents.ts), installs offline
 * into an empty folder (every dependency is bundled into dist/), and the
 * installed `vcl-lint` lints a copy of examples/ and reports its version;
 * `npx` runs it from the tarball too.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../conformance/corpus.js';
import { installedPackage, npmEnv, withInstalledPackage } from '../helpers/npm-package.js';
import { assertSarifLog } from '../helpers/sarif.js';
import { EXTENSION_FILES, NPM_REQUIRED_FILES, npmPackageProblems } from './npm-contents.js';

const rulePages = readdirSync(join(projectRoot, 'docs/rules')).filter((f) => f.endsWith('.md'));
const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string> };

describe('npm package (npm pack)', function () {
  this.timeout(180_000);
  const work = withInstalledPackage('vcl-npm-run-');

  it('is complete and carries no tests, sources, maps or node_modules', () => {
    assert.deepEqual(npmPackageProblems(installedPackage().files, rulePages), []);
  });

  it('has no run-time dependencies to fetch: they are bundled', () => {
    assert.deepEqual(manifest.dependencies ?? {}, {});
    assert.deepEqual(readdirSync(join(installedPackage().installDir, 'node_modules')).filter((n) => n !== '.bin' && n !== '.package-lock.json'), ['vcl-tools']);
  });

  it('installs vcl-lint, which lints a copy of examples/ (two broken on purpose: exit 1)', () => {
    const examples = join(work(), 'examples');
    cpSync(join(projectRoot, 'examples'), examples, { recursive: true });
    const vclLint = join(installedPackage().binDir, 'vcl-lint');
    const r = spawnSync(vclLint, ['--format', 'sarif', 'examples'], { cwd: work(), encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    const run = assertSarifLog(r.stdout);
    const broken = new Set(run.results.filter((x) => x.ruleId === 'syntax' || x.ruleId === 'vcl3-construct').map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri));
    assert.deepEqual([...broken].sort(), ['examples/syntax-error.vcl', 'examples/vcl3-legacy.vcl']);
    // The rule links point at the pages installed with the package.
    for (const rule of run.tool.driver.rules) {
      assert.ok(rule.helpUri?.includes('/node_modules/vcl-tools/docs/rules/'), `${rule.id}: ${rule.helpUri}`);
      assert.ok(existsSync(fileURLToPath(rule.helpUri!)), rule.helpUri);
    }
  });

  it('installs vcl-lint --version and vcl-language-server', () => {
    const { binDir } = installedPackage();
    const r = spawnSync(join(binDir, 'vcl-lint'), ['--version'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.split('\n')[0], `vcl-lint ${manifest.version}`);
    assert.match(r.stdout, /checked against their own compiler: .*7\.1 \(7\.1\.1\)/);
    assert.ok(existsSync(join(binDir, 'vcl-language-server')));
  });

  it('runs without installing, as `npx -p vcl-tools vcl-lint` (here the tarball for the name)', () => {
    // A cache of its own: npx unpacks the package there, not in the user's ~/.npm.
    const env = { ...npmEnv(), npm_config_cache: join(work(), 'npm-cache') };
    const r = spawnSync('npx', ['--offline', '--yes', '-p', installedPackage().tarball, 'vcl-lint', '--version'], { cwd: work(), env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.split('\n')[0], `vcl-lint ${manifest.version}`);
  });
});

describe('npm package content rules', () => {
  const complete = [...NPM_REQUIRED_FILES, ...rulePages.map((p) => `docs/rules/${p}`)];

  it('accepts a complete package, with or without the extension files', () => {
    assert.deepEqual(npmPackageProblems(complete, rulePages), []);
    assert.deepEqual(npmPackageProblems([...complete, ...EXTENSION_FILES], rulePages), []);
  });
  it('reports a missing bundle and a missing rule page', () => {
    const paths = complete.filter((p) => p !== 'dist/cli.cjs' && p !== 'docs/rules/syntax.md');
    assert.deepEqual(npmPackageProblems(paths, rulePages), ['dist/cli.cjs is missing', 'docs/rules/syntax.md is missing']);
  });
  it('reports node_modules, tests, sources, maps and anything else', () => {
    const extra = ['node_modules/chevrotain/package.json', 'test/cli/cli.test.ts', 'server/src/cli.ts', 'dist/cli.cjs.map', 'examples/good.vcl'];
    const problems = npmPackageProblems([...complete, ...extra], rulePages);
    assert.deepEqual(problems.map((p) => p.replace(/ \(.*/, '')), extra.map((p) => `${p} should not be packaged`));
    assert.match(problems[4]!, /nothing the CLI, the server or the extension reads/);
  });
});
