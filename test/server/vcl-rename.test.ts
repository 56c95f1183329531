/**
 * Rename in VCL, from the service, on test/fixtures/editor/rename/ (a
 * program whose sub lives in an included file): every place changes, in
 * both files, and the renamed program still resolves every name.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintText } from '../../server/src/service/lint.js';
import { programModel } from '../helpers/program-model.js';
import { prepareRename, renameSymbol } from '../../server/src/service/vcl-rename.js';
import { DEFAULT_VCL_PATH, IncludeIndex } from '../../server/src/analysis/includes.js';
import type { IncludeHost } from '../../server/src/analysis/include-tree.js';
import type { Place } from '../../server/src/service/vcl-features.js';
import { fixturePath, withCursors } from '../helpers/cursors.js';

const dir = fixturePath('editor/rename');
const MAIN = join(dir, 'main.vcl');
const PART = join(dir, 'parts/recv.vcl');
const marked = withCursors(readFileSync(MAIN, 'utf8'));
const partText = readFileSync(PART, 'utf8');

function host(texts: Record<string, string>): IncludeHost {
  const index = new IncludeIndex(Object.entries(texts).map(([path, text]) => ({ path, text })), DEFAULT_VCL_PATH);
  return { searchPath: DEFAULT_VCL_PATH, readFile: (p) => index.text(p), resolve: (c) => index.resolve(c), includersOf: (p) => index.includersOf(p) };
}

const program = () => programModel(marked.text, { path: MAIN, includeHost: host({ [MAIN]: marked.text, [PART]: partText }) });

/** Applies the places of a rename to both files (later places first, so offsets stay valid). */
function apply(places: Place[], pathOf: (id: string) => string | undefined, newName: string): Record<string, string> {
  const texts: Record<string, string> = { [MAIN]: marked.text, [PART]: partText };
  for (const p of [...places].sort((a, b) => b.start - a.start)) {
    const file = pathOf(p.file)!;
    texts[file] = texts[file]!.slice(0, p.start) + newName + texts[file]!.slice(p.end);
  }
  return texts;
}

/** cursor -> new name, and how many places change in main.vcl and in parts/recv.vcl. */
const RENAMES: Array<{ cursor: string; old: string; to: string; main: number; part: number }> = [
  { cursor: 'backend-def', old: 'app', to: 'origin', main: 2, part: 1 },
  { cursor: 'call-ref', old: 'normalize', to: 'clean_request', main: 1, part: 1 },
  { cursor: 'object-def', old: 'rr', to: 'pool', main: 3, part: 0 },
  { cursor: 'object-ref', old: 'rr', to: 'pool', main: 3, part: 0 },
  { cursor: 'probe-def', old: 'health', to: 'ping', main: 2, part: 0 },
  { cursor: 'acl-def', old: 'purgers', to: 'admins', main: 2, part: 0 },
  { cursor: 'backend-def', old: 'app', to: 'APP', main: 2, part: 1 },
];

describe('VCL rename (service)', () => {
  for (const r of RENAMES) {
    it(`renames ${r.old} to ${r.to} from ${r.cursor}, across the include`, () => {
      const p = program();
      const result = renameSymbol(p.model, p.selfId, marked.at(r.cursor), r.to);
      assert.ok('places' in result, JSON.stringify(result));
      const files = result.places.map((x) => p.pathOf(x.file));
      assert.equal(files.filter((f) => f === MAIN).length, r.main);
      assert.equal(files.filter((f) => f === PART).length, r.part);
      const texts = apply(result.places, p.pathOf, r.to);
      for (const [file, text] of Object.entries(texts)) {
        assert.doesNotMatch(text.replace(/"[^"]*"/g, ''), new RegExp(`(?<![\\w.-])${r.old}(?![\\w-])`), `${r.old} left in ${file}`);
      }
      // The renamed program still resolves every name, in both files.
      const renamedHost = host(texts);
      for (const file of [MAIN, PART]) {
        const names = lintText(texts[file]!, { path: file, includeHost: renamedHost }).filter((d) => ['symbol-unknown', 'unused-definition', 'redefinition'].includes(d.rule));
        assert.deepEqual(names.map((d) => d.message), [], file);
      }
    });
  }

  it('prepares the rename on the name under the cursor', () => {
    const p = program();
    const at = marked.at('object-ref');
    const r = prepareRename(p.model, p.selfId, at);
    assert.ok(r.ok);
    assert.equal(marked.text.slice(r.start, r.end), 'rr');
    assert.equal(r.name, 'rr');
  });

  const REFUSED: Array<{ cursor: string; to: string; why: RegExp }> = [
    { cursor: 'builtin', to: 'my_recv', why: /built-in subroutine/ },
    { cursor: 'field', to: 'x', why: /can be renamed/ },
    { cursor: 'backend-def', to: 'purgers', why: /already the name of an acl/ },
    { cursor: 'call-ref', to: 'health', why: /already the name of a probe/ },
    { cursor: 'backend-def', to: 'a.b', why: /not a VCL name/ },
    { cursor: 'backend-def', to: '1st', why: /not a VCL name/ },
    { cursor: 'backend-def', to: 'req', why: /built-in VCL variable/ },
    { cursor: 'call-ref', to: 'vcl_clean', why: /reserved/ },
    { cursor: 'acl-def', to: 'regsub', why: /built-in VCL function/ },
  ];
  for (const c of REFUSED) {
    it(`refuses to rename at ${c.cursor} to '${c.to}'`, () => {
      const p = program();
      const r = renameSymbol(p.model, p.selfId, marked.at(c.cursor), c.to);
      assert.ok('error' in r, JSON.stringify(r));
      assert.match(r.error, c.why);
    });
  }

  it('refuses a built-in sub already when preparing', () => {
    const p = program();
    const r = prepareRename(p.model, p.selfId, marked.at('builtin'));
    assert.equal(r.ok, false);
  });
});
