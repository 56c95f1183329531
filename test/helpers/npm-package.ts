/**
 * The npm package as a user gets it: `npm pack` of the project (with the
 * dist/ the test run built) installed into an empty folder, offline, the way
 * `npm install -g vcl-tools` or pre-commit's node hooks would install it.
 * Packed and installed once per test process; the folder is removed when
 * the process exits.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../conformance/corpus.js';

/** The packed and installed package. */
export interface InstalledPackage {
  /** The .tgz file `npm pack` wrote. */
  readonly tarball: string;
  /** The paths inside the package, as `npm pack --json` lists them (`dist/cli.cjs`). */
  readonly files: readonly string[];
  /** The folder it was installed into (holds node_modules/). */
  readonly installDir: string;
  /** The folder of the installed package's commands (node_modules/.bin). */
  readonly binDir: string;
}

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * The environment for npm without what an outer `npm test` or `npm run`
 * exports (`npm_config_*`, `npm_package_*`): those would point the inner
 * npm at the project instead of the empty folder.
 */
export function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
}

let installed: InstalledPackage | undefined;

/**
 * Packs the project and installs the tarball into an empty folder, once.
 * `--ignore-scripts` keeps `npm pack` from rebuilding dist/ (its `prepare`
 * script): the test run's own build is what is checked. The install is
 * `--offline` because every dependency is bundled, so it must need nothing
 * from a registry.
 */
export function installedPackage(): InstalledPackage {
  if (installed) return installed;
  const dir = mkdtempSync(join(tmpdir(), 'vcl-npm-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const packDir = join(dir, 'pack');
  const installDir = join(dir, 'install');
  mkdirSync(packDir);
  mkdirSync(installDir);
  const out = execFileSync(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], { cwd: projectRoot, env: npmEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [info] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  const tarball = join(packDir, info!.filename);
  execFileSync(NPM, ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: installDir, env: npmEnv(), stdio: 'pipe' });
  installed = { tarball, files: info!.files.map((f) => f.path), installDir, binDir: join(installDir, 'node_modules', '.bin') };
  return installed;
}

/**
 * For a mocha `describe`: packs and installs the package before its tests
 * (so the time counts against the suite's hook, not the first test) and
 * gives them an empty folder, removed after them. Returns the folder's getter.
 */
export function withInstalledPackage(prefix: string): () => string {
  let work = '';
  before(() => {
    installedPackage();
    work = mkdtempSync(join(tmpdir(), prefix));
  });
  after(() => rmSync(work, { recursive: true, force: true }));
  return () => work;
}
