/** Where the end-to-end tests find the project and their fixtures. */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root; this file runs as out/test/e2e/paths.js, so any cwd works. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** test/e2e/fixtures in the sources (fixtures are not compiled). */
export const FIXTURES = join(PROJECT_ROOT, 'test', 'e2e', 'fixtures');

/** A fresh copy of the fixture workspace in a temp folder, so the tests may change its files. */
export function copyWorkspace(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `vcl-e2e-${prefix}-`));
  cpSync(join(FIXTURES, 'workspace'), dir, { recursive: true });
  return dir;
}
