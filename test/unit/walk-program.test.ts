/**
 * walk over a whole program: every node once, in source order, children
 * skipped on request. The visiting order of each declaration is kept for as
 * long as the declaration lives, and an edit moves the declarations after
 * it in place, so the walk of an edited document must see exactly what a
 * walk of a fresh parse of the same text sees, edit after edit. Likewise
 * the program's includes (includeDeclsOf), found once per declaration.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as A from '../../server/src/syntax/ast.js';
import { Parser, releaseParse } from '../../server/src/syntax/parse.js';
import { nodeKinds, walk, walkKinds } from '../../server/src/syntax/walk.js';
import { includeDeclsOf } from '../../server/src/analysis/include-tree.js';
import { projectRoot } from '../conformance/corpus.js';
import { prng } from '../helpers/prng.js';

/** Each visited node as kind@start-end, with its parent's kind, and '-' where children were skipped. */
function trace(program: A.Program, skip: (n: A.Node) => boolean = () => false): string[] {
  const out: string[] = [];
  walk(program, (n, p) => {
    out.push(`${n.kind}@${n.start}-${n.end}<${p?.kind ?? ''}`);
    if (skip(n)) {
      out.push('-');
      return false;
    }
    return undefined;
  });
  return out;
}

const includes = (program: A.Program) => includeDeclsOf(program).map((d) => `${d.path!.value}@${d.start}`);

describe('walk over a program, and its includes, across edits', () => {
  const base = readFileSync(join(projectRoot, 'bench/fixtures/realistic-2000.vcl'), 'utf8');
  // Includes at the top and inside subs (nested in an if), so that both kinds are followed across edits.
  const original = `${base}\ninclude "top.vcl";\nsub vcl_deliver {\n  if (resp.status == 200) {\n    include "inner.vcl";\n  }\n}\n`;

  it('visits the program, then each declaration and everything below it, once, in source order', () => {
    const seen = trace(new Parser().parse(original).ast);
    assert.match(seen[0]!, /^Program@/);
    const starts = seen.map((s) => Number(/@(\d+)/.exec(s)![1]));
    for (let i = 1; i < starts.length; i++) assert.ok(starts[i]! >= starts[i - 1]!, `out of order at ${seen[i]}`);
    assert.equal(new Set(seen).size, seen.length, 'a node visited twice');
    assert.deepEqual(includes(new Parser().parse(original).ast).map((s) => s.split('@')[0]), ['top.vcl', 'inner.vcl']);
  });

  it('skips the children of a node whose visit returns false, and goes on after them', () => {
    const program = new Parser().parse(original).ast;
    const seen = trace(program, (n) => n.kind === 'IfStmt' || n.kind === 'BackendDecl');
    const firstIf = seen.findIndex((s) => s.startsWith('IfStmt@'));
    assert.equal(seen[firstIf + 1], '-');
    assert.doesNotMatch(seen[firstIf + 2]!, /^IfBranch/);
    assert.ok(!seen.some((s) => s.endsWith('<BackendDecl')), 'a child of a skipped backend was visited');
  });

  it('an edited document walks as a fresh parse of its text does, over 60 random edits', () => {
    const edited = new Parser();
    const rnd = prng(4242);
    let text = original;
    let previous = edited.parse(text, '/doc.vcl');
    trace(previous.ast);
    for (let k = 0; k < 60; k++) {
      // Insert or delete a blank or a comment line at a random line start: declarations after it move.
      const lines = text.split('\n');
      const at = Math.floor(rnd() * lines.length);
      if (rnd() < 0.5 || lines.length < 10) lines.splice(at, 0, k % 3 === 0 ? '' : `# edit ${k}`);
      else if (/^\s*(#.*)?$/.test(lines[at]!)) lines.splice(at, 1);
      else lines[at] = ` ${lines[at]}`;
      text = lines.join('\n');
      // The previous version is released first, as the server does, so that the parser moves its declarations in place.
      releaseParse(previous);
      const next = edited.parse(text, '/doc.vcl');
      previous = next;
      const fresh = new Parser().parse(text);
      assert.deepEqual(trace(next.ast), trace(fresh.ast), `edit ${k}`);
      assert.deepEqual(includes(next.ast), includes(fresh.ast), `edit ${k}: includes`);
    }
  });
});

/** Each node as kind@start-end with its parent's kind, as walk and walkKinds hand them over. */
const shown = (n: A.Node, p: A.Node | undefined) => `${n.kind}@${n.start}-${n.end}<${p?.kind ?? ''}`;

describe('walkKinds: the nodes of some kinds, as a full walk finds them', () => {
  const files = readdirSync(join(projectRoot, 'test/fixtures'), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.vcl'))
    .map((e) => join(e.parentPath ?? e.path, e.name));
  // Kinds the checks ask for: common ones, rare ones, a declaration kind, and the program itself.
  const sets = [
    nodeKinds('CallExpr'),
    nodeKinds('MatchExpr', 'CallExpr'),
    nodeKinds('NumberLiteral', 'ReturnStmt', 'SetStmt', 'CallStmt', 'MatchExpr', 'CallExpr'),
    nodeKinds('NewStmt', 'IncludeDecl'),
    nodeKinds('InlineC', 'SubDecl', 'Identifier', 'Name'),
    nodeKinds('Program', 'BackendDecl', 'Attribute'),
  ];

  it(`over the programs of ${files.length} fixtures, their declarations and their sub bodies: the same nodes, parents and order`, () => {
    assert.ok(files.length > 20, 'fixtures not found');
    let compared = 0;
    for (const file of files) {
      const program = new Parser().parse(readFileSync(file, 'utf8')).ast;
      // Twice over: the first walk of a kept declaration makes its order, the second reads it.
      for (const round of [1, 2]) {
        const roots: A.Node[] = [program, ...program.declarations, ...program.declarations.flatMap((d) => (d.kind === 'SubDecl' && d.body ? [d.body] : []))];
        for (const root of roots) {
          for (const filter of sets) {
            const expected: string[] = [];
            walk(root, (n, p) => {
              if ((filter.kinds as ReadonlySet<string>).has(n.kind)) expected.push(shown(n, p));
            });
            const got: string[] = [];
            walkKinds(root, filter, (n, p) => got.push(shown(n, p)));
            assert.deepEqual(got, expected, `${file}, round ${round}, root ${root.kind}@${root.start}, kinds ${[...filter.kinds].join(' ')}`);
            compared += got.length;
          }
        }
      }
    }
    assert.ok(compared > 1000, `only ${compared} nodes compared`);
  });

  it('walks a declaration of thousands of nodes, nested 150 deep, as a recursive walk over the nodes\' own fields does, skipping too', () => {
    // Orders are listed in room that grows past 1,024 nodes and is reused from one declaration to the next.
    const calls = Array.from({ length: 1500 }, (_, i) => `  if (req.url ~ "^/s${i}/" && req.http.X-N == "${i}") { set req.http.X-S = "s${i}"; call s${i}; }`).join('\n');
    const nested = `${'if (req.url) { '.repeat(150)}set req.http.X = "deep";${' }'.repeat(150)}`;
    const text = `vcl 4.1;\nbackend b { .host = "127.0.0.1"; }\nsub vcl_recv {\n${calls}\n  ${nested}\n}\nsub small { set req.http.Y = "1"; }\nsub vcl_deliver {\n${calls}\n}\n`;
    const program = new Parser().parse(text).ast;
    /** Every node below `n` in source order with its parent, found from the nodes' own fields alone. */
    const reference = (n: A.Node, parent: A.Node | undefined, out: string[], skip?: string): void => {
      out.push(shown(n, parent));
      if (n.kind === skip) return;
      const kids: A.Node[] = [];
      for (const value of Object.values(n)) {
        for (const v of Array.isArray(value) ? value : [value]) if (v && typeof v === 'object' && typeof (v as A.Node).kind === 'string') kids.push(v as A.Node);
      }
      kids.sort((x, y) => x.start - y.start);
      for (const k of kids) reference(k, n, out, skip);
    };
    for (const round of [1, 2]) {
      for (const d of program.declarations) {
        const expected: string[] = [];
        reference(d, program, expected);
        const got: string[] = [];
        walk(d, (n, p) => void got.push(shown(n, p)), program);
        assert.deepEqual(got, expected, `round ${round}, ${d.kind}@${d.start}`);
        // Children skipped: the walk goes on after the skipped node's subtree.
        const expectedSkipping: string[] = [];
        reference(d, program, expectedSkipping, 'IfBranch');
        const skipping: string[] = [];
        walk(d, (n, p) => (skipping.push(shown(n, p)), n.kind !== 'IfBranch'), program);
        assert.deepEqual(skipping, expectedSkipping, `skipping, round ${round}, ${d.kind}@${d.start}`);
      }
    }
    assert.ok(program.declarations.length === 5);
  });

  it('hands the given parent to a root that is found', () => {
    const program = new Parser().parse('backend b { .host = "x"; }\nsub vcl_recv { call f; }\nsub f { }\n').ast;
    const got: string[] = [];
    for (const d of program.declarations) walkKinds(d, nodeKinds('BackendDecl', 'SubDecl', 'CallStmt'), (n, p) => got.push(`${n.kind}<${p?.kind ?? ''}`), program);
    assert.deepEqual(got, ['BackendDecl<Program', 'SubDecl<Program', 'CallStmt<Block', 'SubDecl<Program']);
  });
});
