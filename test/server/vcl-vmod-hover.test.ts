/** Hover on vmod functions, objects, methods and imports, from the service, on test/fixtures/editor/vmod-hover.vcl. */
import assert from 'node:assert/strict';
import { vmodResolverFor } from '../../server/src/service/lint.js';
import { programModel } from '../helpers/program-model.js';
import { vmodHover } from '../../server/src/service/vcl-vmod-hover.js';
import { vmodScope } from '../../server/src/service/vmod-scope.js';
import { readMarked } from '../helpers/cursors.js';

/** cursor -> what the hover must say (all of it), and the text it covers; no `covers`: no vmod hover. */
const CASES: Array<{ cursor: string; says?: RegExp[]; covers?: string }> = [
  { cursor: 'import', says: [/\*\*vmod directors\*\*/, /Objects: .*round_robin/], covers: 'directors' },
  { cursor: 'alias', says: [/\*\*vmod std\*\*/, /Functions: .*\binteger\b.*\blog\b/], covers: 'util' },
  { cursor: 'constructor', says: [/directors\.round_robin directors\.round_robin\(\)/, /Object type of vmod directors/, /in turn/, /Methods: add_backend, backend, remove_backend/], covers: 'directors.round_robin' },
  { cursor: 'method', says: [/VOID rr\.add_backend\(BACKEND/, /Method of rr, a directors\.round_robin object/, /Adds a backend/], covers: 'rr.add_backend' },
  { cursor: 'function', says: [/INT util\.integer\(\[STRING s\], \[INT fallback\], \[BOOL bool\]/, /Function of vmod std/, /Converts a string into an INT/], covers: 'util.integer' },
  { cursor: 'variable' },
  { cursor: 'builtin', says: [/STRING regsuball\(STRING str, REGEX regex, STRING sub\)/, /Built-in function of VCL/, /Replaces every match/], covers: 'regsuball' },
  { cursor: 'restricted', says: [/VOID hash_data\(STRING_LIST input\)/, /Only in: vcl_hash/], covers: 'hash_data' },
];

describe('VCL vmod hover (service)', () => {
  const { text, at } = readMarked('editor/vmod-hover.vcl');
  const program = programModel(text, {});
  const scope = vmodScope(program.model, vmodResolverFor([]));
  for (const c of CASES) {
    it(c.cursor, () => {
      const h = vmodHover(program.model, program.selfId, scope, at(c.cursor));
      if (!c.covers) {
        assert.equal(h, undefined);
        return;
      }
      assert.ok(h, 'no hover');
      for (const re of c.says ?? []) assert.match(h.contents, re);
      assert.equal(text.slice(h.start, h.end), c.covers);
    });
  }
});
