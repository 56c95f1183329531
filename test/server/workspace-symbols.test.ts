/** Workspace symbols from the service: the workspace's files and what they include, filtered by a query. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceSymbols } from '../../server/src/service/workspace-symbols.js';
import { DEFAULT_VCL_PATH } from '../../server/src/analysis/includes.js';
import type { IncludeHost } from '../../server/src/analysis/include-tree.js';
import { fixturePath } from '../helpers/cursors.js';

const dir = fixturePath('includes/program');
const main = join(dir, 'main.vcl');
const read = (p: string) => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
};
const host: IncludeHost = { searchPath: DEFAULT_VCL_PATH, readFile: read };
const files = [{ path: main, text: read(main)! }];
const names = (query: string, h?: IncludeHost) => workspaceSymbols(files, query, h).map((s) => `${s.name}:${s.detail}@${s.path.slice(dir.length + 1)}:${s.selectionRange.start.line}`);

describe('VCL workspace symbols (service)', () => {
  it('lists the symbols of the files and of the files they include', () => {
    assert.deepEqual(names('', host).sort(), ['app:backend@parts/backends.vcl:8', 'health:probe@parts/backends.vcl:0', 'normalize:sub@parts/recv.vcl:0', 'vcl_recv:sub@main.vcl:6']);
  });

  it('filters by the letters of the query, in order, in any case', () => {
    assert.deepEqual(names('NRM', host), ['normalize:sub@parts/recv.vcl:0']);
    assert.deepEqual(names('recv', host), ['vcl_recv:sub@main.vcl:6']);
    assert.deepEqual(names('zz', host), []);
  });

  it('stays with the given files when includes cannot be read', () => {
    assert.deepEqual(names(''), ['vcl_recv:sub@main.vcl:6']);
  });
});
