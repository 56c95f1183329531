/** Where the end-to-end tests find the project and their fixtures. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root; this file runs as out/test/e2e/paths.js, so any cwd works. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** test/e2e/fixtures in the sources (fixtures are not compiled). */
export const FIXTURES = join(PROJECT_ROOT, 'test', 'e2e', 'fixtures');

/**
 * A fresh copy of the fixture workspace, so the tests may change its files:
 * `<new temp folder>/varnish-site` (the fixed name keeps the window title and
 * the screenshots the same from run to run). Remove it with `removeWorkspace`.
 */
export function copyWorkspace(prefix: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), `vcl-e2e-${prefix}-`)), 'varnish-site');
  cpSync(join(FIXTURES, 'workspace'), dir, { recursive: true });
  return dir;
}

/** Removes a workspace made by `copyWorkspace`, with its temp folder. */
export function removeWorkspace(dir: string): void {
  rmSync(dirname(dir), { recursive: true, force: true });
}
