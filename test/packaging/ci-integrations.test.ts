/**
 * The pre-commit hooks (.pre-commit-hooks.yaml) and the GitHub action
 * (action.yml) run exactly the command lines they declare, read from those
 * files, against the fixtures in test/fixtures/ci/: `clean/` passes both
 * hooks and the action, `broken/` (unformatted, a misspelt variable) fails
 * them. The hooks' `vcl-lint` is the installed npm package, as pre-commit
 * installs it; the action runs once from this checkout's dist/ and once
 * installing the packed tarball.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { projectRoot } from '../conformance/corpus.js';
import { installedPackage, npmEnv, withInstalledPackage } from '../helpers/npm-package.js';
import { assertSarifLog } from '../helpers/sarif.js';

const FIXTURES = join(projectRoot, 'test/fixtures/ci');

interface Hook {
  id: string;
  entry: string;
  language: string;
  files?: string;
  exclude?: string;
  args?: string[];
  pass_filenames?: boolean;
}

/** Every file under `dir`, relative and with `/`, as git lists a repository's files. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

/**
 * The files pre-commit would give `hook` (its `files` and `exclude`
 * patterns are searched in each path, as Python's re.search does).
 */
function hookFiles(hook: Hook, files: readonly string[]): string[] {
  const include = new RegExp(hook.files ?? '');
  const exclude = hook.exclude ? new RegExp(hook.exclude) : undefined;
  return files.filter((f) => include.test(f) && !exclude?.test(f));
}

/**
 * Runs `hook` in `repo` as pre-commit does: entry split on blanks, then
 * args, then the matching files unless pass_filenames is false; not run at
 * all (undefined) when no file matches.
 */
function runHook(hook: Hook, repo: string): { status: number | null; stdout: string; stderr: string } | undefined {
  const files = hookFiles(hook, filesUnder(repo));
  if (files.length === 0) return undefined;
  const argv = [...hook.entry.split(' '), ...(hook.args ?? []), ...(hook.pass_filenames === false ? [] : files)];
  const env = { ...process.env, PATH: `${installedPackage().binDir}:${process.env['PATH'] ?? ''}`, NO_COLOR: '1' };
  return spawnSync(argv[0]!, argv.slice(1), { cwd: repo, env, encoding: 'utf8' });
}

describe('pre-commit hooks (.pre-commit-hooks.yaml)', function () {
  this.timeout(180_000);
  const hooks = parse(readFileSync(join(projectRoot, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
  const hook = (id: string): Hook => hooks.find((h) => h.id === id)!;
  const work = withInstalledPackage('vcl-hooks-');

  it('declares a lint hook and a --fmt-check hook, run by node from the npm package', () => {
    assert.deepEqual(hooks.map((h) => h.id), ['vcl-lint', 'vcl-fmt-check']);
    for (const h of hooks) {
      assert.equal(h.language, 'node');
      // Split on blanks is how the test runs it; quotes would need shlex.
      assert.match(h.entry, /^vcl-lint( [\w.-]+)*$/);
    }
    assert.equal(hook('vcl-fmt-check').entry, 'vcl-lint --fmt-check');
  });

  it('the lint hook runs on a change to any file that may carry Varnish configuration, and only then', () => {
    const varnishFiles = ['default.vcl', 'etc/varnish/parts/acl.vcl', 'etc/default/varnish', 'systemd/varnish.service', 'varnish.service.d/override.conf', 'etc/default/vinyl-cache', 'Dockerfile', 'docker/Dockerfile.varnish', 'docker-compose.yml', 'deploy/compose.yaml', 'k8s/cache.yaml'];
    const others = ['README.md', 'src/app.ts', 'package.json', 'docs/index.html'];
    assert.deepEqual(hookFiles(hook('vcl-lint'), [...varnishFiles, ...others]), varnishFiles);
    assert.deepEqual(hookFiles(hook('vcl-fmt-check'), [...varnishFiles, ...others]), ['default.vcl', 'etc/varnish/parts/acl.vcl']);
  });

  for (const [fixture, expected] of [['clean', 0], ['broken', 1]] as const) {
    it(`both hooks exit ${expected} on ${fixture}/`, () => {
      const repo = join(work(), fixture);
      cpSync(join(FIXTURES, fixture), repo, { recursive: true });
      for (const h of hooks) {
        const r = runHook(h, repo);
        assert.ok(r, `${h.id} did not run`);
        assert.equal(r.status, expected, `${h.id}: ${r.stdout}${r.stderr}`);
      }
    });
  }

  it('the lint hook reports the error of broken/, and --fmt-check names the unformatted file', () => {
    const repo = join(work(), 'broken');
    assert.match(runHook(hook('vcl-lint'), repo)!.stdout, /13:7 +error +Symbol not found: 'req\.htp\.x-debug' +symbol-unknown/);
    assert.equal(runHook(hook('vcl-fmt-check'), repo)!.stdout, 'default.vcl\n');
  });
});

interface ActionStep {
  id: string;
  shell: string;
  env?: Record<string, string>;
  run: string;
}

interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

const action = parse(readFileSync(join(projectRoot, 'action.yml'), 'utf8')) as Action;

/**
 * Evaluates the `${{ ... }}` expressions the action may use: its inputs
 * and earlier steps' outputs. Any other expression fails the test, so the
 * action cannot come to depend on something this runner does not model.
 */
function expand(text: string, inputs: Record<string, string>, outputs: Record<string, Record<string, string>>): string {
  return text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expr: string) => {
    let m = /^inputs\.([\w-]+)$/.exec(expr);
    if (m) {
      assert.ok(m[1]! in action.inputs, `unknown input ${m[1]}`);
      return inputs[m[1]!] ?? action.inputs[m[1]!]!.default ?? '';
    }
    m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr);
    if (m) return outputs[m[1]!]?.[m[2]!] ?? '';
    throw new Error(`action.yml uses an expression the test does not evaluate: ${expr}`);
  });
}

/**
 * Runs the composite action's steps in `workspace` as a runner would
 * (`bash --noprofile --norc -eo pipefail`, GITHUB_OUTPUT per step, the
 * action's folder in GITHUB_ACTION_PATH), stopping at the first step that
 * fails. Returns that exit status (0 when all pass) and the action's outputs,
 * which a runner sets whether the steps passed or not.
 */
function runAction(inputs: Record<string, string>, workspace: string, runnerTemp: string): { status: number | null; outputs: Record<string, string>; stderr: string } {
  const stepOutputs: Record<string, Record<string, string>> = {};
  let stderr = '';
  let status: number | null = 0;
  for (const step of action.runs.steps) {
    const outputFile = join(runnerTemp, `output-${step.id}`);
    writeFileSync(outputFile, '');
    const env: NodeJS.ProcessEnv = {
      ...npmEnv(),
      // The tarball needs nothing from a registry; the test must not reach one.
      npm_config_offline: 'true',
      GITHUB_ACTION_PATH: projectRoot,
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: outputFile,
      RUNNER_TEMP: runnerTemp,
    };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = expand(v, inputs, stepOutputs);
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], { cwd: workspace, env, encoding: 'utf8' });
    stderr += r.stderr;
    stepOutputs[step.id] = Object.fromEntries(readFileSync(outputFile, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    if (r.status !== 0) {
      status = r.status;
      break;
    }
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([k, o]) => [k, expand(o.value, {}, stepOutputs)]));
  return { status, outputs, stderr };
}

describe('GitHub action (action.yml)', function () {
  this.timeout(180_000);
  const work = withInstalledPackage('vcl-action-');

  it('is a composite action of bash steps that take inputs only through env', () => {
    assert.equal(action.runs.using, 'composite');
    assert.deepEqual(Object.keys(action.inputs).sort(), ['package', 'paths', 'sarif-file', 'varnish-version']);
    for (const step of action.runs.steps) {
      assert.equal(step.shell, 'bash');
      // An expression pasted into a script would run a crafted input as shell code.
      assert.doesNotMatch(step.run, /\$\{\{/, step.id);
    }
  });

  let n = 0;
  const workspaceWith = (fixture: string): { workspace: string; temp: string } => {
    const root = join(work(), String(n++));
    cpSync(join(FIXTURES, fixture), join(root, 'ws'), { recursive: true });
    mkdirSync(join(root, 'temp'));
    return { workspace: join(root, 'ws'), temp: join(root, 'temp') };
  };

  it("from this checkout's dist/: clean/ passes and writes a SARIF log with no results", () => {
    const { workspace, temp } = workspaceWith('clean');
    const r = runAction({}, workspace, temp);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.outputs['sarif-file'], 'vcl-lint.sarif');
    const run = assertSarifLog(readFileSync(join(workspace, 'vcl-lint.sarif'), 'utf8'));
    assert.deepEqual(run.results, []);
  });

  it('from the npm package, with paths and varnish-version: broken/ fails (exit 1) and the SARIF log holds the error', () => {
    const { workspace, temp } = workspaceWith('broken');
    const r = runAction({ package: installedPackage().tarball, paths: 'default.vcl', 'varnish-version': '7.7', 'sarif-file': 'out/lint.sarif' }, workspace, temp);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.outputs['sarif-file'], 'out/lint.sarif');
    const run = assertSarifLog(readFileSync(join(workspace, 'out/lint.sarif'), 'utf8'));
    assert.equal(run.tool.driver.properties?.varnishVersion, '7.7');
    assert.deepEqual(run.results.map((x) => [x.ruleId, x.level, x.locations[0]!.physicalLocation.artifactLocation.uri, x.locations[0]!.physicalLocation.region.startLine]), [['symbol-unknown', 'error', 'default.vcl', 13]]);
  });
});
