/**
 * Runs a real VS Code workbench (code-server, installed by
 * scripts/e2e-setup.sh into .e2e-cache/) with fresh user-data and
 * extensions folders, on a free loopback port.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from './paths.js';

/** code-server 4.100.3 is VS Code 1.100.3, the last release that runs on Node 20. */
export const CODE_SERVER_VERSION = '4.100.3';

const ENTRY = join(PROJECT_ROOT, '.e2e-cache', `code-server-${CODE_SERVER_VERSION}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/** The packaged extension that `npm run test:e2e` builds before the tests. */
export const PACKAGED_EXTENSION = join(PROJECT_ROOT, '.e2e-cache', 'vcl-tools.vsix');

/** One running code-server and the folders it owns. */
export interface CodeServer {
  /** http://127.0.0.1:PORT/ */
  readonly url: string;
  /** The workbench URL that opens `folder` (an absolute path). */
  folderUrl(folder: string): string;
  /** Stops the process group by its pid and removes the fresh folders. */
  stop(): Promise<void>;
}

/** Throws a message that says what to run when the setup has not been done. */
export function assertInstalled(): void {
  if (!existsSync(ENTRY)) throw new Error(`code-server not found at ${ENTRY}: run \`bash scripts/e2e-setup.sh\` (or \`npm run test:e2e\`)`);
  if (!existsSync(PACKAGED_EXTENSION)) throw new Error(`${PACKAGED_EXTENSION} not found: run \`npm run test:e2e\`, which packages the extension first`);
}

/** A port nobody listens on right now, chosen by the kernel. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Installs the packaged extension into fresh folders and starts code-server.
 * Resolves once code-server says it listens.
 */
export async function startCodeServer(): Promise<CodeServer> {
  assertInstalled();
  const home = mkdtempSync(join(tmpdir(), 'vcl-e2e-code-server-'));
  const userData = join(home, 'user-data');
  const extensions = join(home, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  // No welcome page, no tips: the first screen is the workspace itself.
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify({ 'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'telemetry.telemetryLevel': 'off', 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false }, null, 2),
  );
  const common = ['--user-data-dir', userData, '--extensions-dir', extensions];
  await promisify(execFile)(process.execPath, [ENTRY, ...common, '--install-extension', PACKAGED_EXTENSION], { timeout: 120_000 });
  if (!readdirSync(extensions).some((d) => d.startsWith('vcl-tools.vcl-tools-'))) {
    throw new Error(`the extension was not installed into ${extensions}`);
  }

  const port = await freePort();
  // Its own process group, so that stopping it also stops the extension host and the language server.
  const child = spawn(
    process.execPath,
    [ENTRY, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', ...common],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // If the test process ends without stop() (killed, crashed), take code-server along.
  const killOnExit = () => signalGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);
  try {
    await waitForListening(child, port);
  } catch (e) {
    await stopGroup(child);
    rmSync(home, { recursive: true, force: true });
    throw e;
  }
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    folderUrl: (folder) => `${url}?folder=${encodeURIComponent(folder)}`,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      await stopGroup(child);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Resolves when code-server prints that it listens; rejects if it exits first or says nothing for two minutes. */
function waitForListening(child: ChildProcess, port: number): Promise<void> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not listen on port ${port} within 2 minutes:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-8000);
      if (output.includes(`HTTP server listening on http://127.0.0.1:${port}`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (code ${code}) before listening:\n${output}`));
    });
  });
}

/** Sends `signal` to code-server's process group (its pid is the group id); no error if it is gone. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** SIGTERM to the process group, SIGKILL if it has not ended after a while. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
  // Children that outlived the main process (extension host, language server).
  signalGroup(child, 'SIGKILL');
}
