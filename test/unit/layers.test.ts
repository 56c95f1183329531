/**
 * The layers of server/src, kept by reading every import of every source
 * file. Dependencies point one way, downwards; from the bottom up:
 *
 *   1. text, io, facts, protocol  shared types and text helpers, file
 *                                 reading, the generated Varnish tables,
 *                                 the client/server notifications
 *   2. syntax                     tokens, parser, AST, walkers
 *   3. params, vmods, varnishlog  parameter-file, vmod and varnishlog readers
 *   4. analysis, format           program model, types, includes; formatter
 *   5. rules                      one file per lint rule
 *   6. service                    the language service
 *   7. cli, transport, debounce   front-end parts: the CLI's pieces, the
 *                                 stdio guard, the edit pause
 *   8. server.ts, cli.ts          the two entry points
 *
 * A file may import from its own folder and from any lower layer. Two
 * folders of one layer do not import each other, so that each stays usable
 * without the other. The front ends (server.ts, cli.ts, cli/) reach the
 * engine through the service only: they may import the service and the
 * shared bottom (text, io, protocol), never syntax, readers, analysis or
 * rules directly, so that every front end gets the same answers. Only
 * server.ts knows the LSP connection (`vscode-languageserver`), and the
 * VS Code client shares nothing with the server but protocol/.
 * docs/architecture.md draws the same order.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import ts from 'typescript';
import { projectRoot } from '../conformance/corpus.js';

/** The layers, lowest first. A module is a folder of server/src, or a file directly in it. */
const LAYERS: ReadonlyArray<readonly string[]> = [
  ['text', 'io', 'facts', 'protocol'],
  ['syntax'],
  ['params', 'vmods', 'varnishlog'],
  ['analysis', 'format'],
  ['rules'],
  ['service'],
  ['cli', 'transport', 'debounce.ts'],
  ['server.ts', 'cli.ts', 'cli-cached.ts'],
];

/** The front ends, and the modules below them they may import. */
const FRONT_ENDS = new Set(['server.ts', 'cli.ts', 'cli']);
const FRONT_END_MAY_IMPORT = new Set(['service', 'text', 'io', 'protocol', 'transport', 'debounce.ts', 'cli']);
/**
 * Single files below the service that front ends may name: the Varnish
 * releases are the vocabulary of the command line, the configuration file
 * and the reports (`--varnish-version 7.7`), not analysis.
 */
const FRONT_END_MAY_IMPORT_FILES = new Set(['facts/versions.ts']);

/**
 * Imports that break the order today, each `from -> to` (paths below
 * server/src), with why it is still there. Remove an entry when its import
 * goes: the test fails on an entry that no longer matches, so the list only
 * shrinks.
 */
/**
 * Imports that may break the order, each with why. Empty: the front ends
 * reach the engine through the service's Project. A new entry needs a
 * reason; the test below fails when an entry's import is gone.
 */
const ALLOWED: ReadonlyMap<string, string> = new Map<string, string>([]);

const SRC = join(projectRoot, 'server/src');

interface Import {
  /** The importing file, below server/src, with `/` separators. */
  from: string;
  /** The imported file, below server/src (or outside it, starting with `..`), or a package name. */
  to: string;
  line: number;
  /** True for a package (not a relative path). */
  external: boolean;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const toPosix = (p: string) => p.split(sep).join('/');

/** Every import of `file` (static, `export ... from`, `import type`, `import()`), as written or resolved. */
function importsOf(file: string, root: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const from = toPosix(relative(root, file));
  const lineOf = (pos: number) => text.slice(0, pos).split('\n').length;
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => {
    const spec = f.fileName;
    if (!spec.startsWith('.')) return { from, to: spec, line: lineOf(f.pos), external: true };
    // Sources import each other by their compiled names: ./x.js is ./x.ts.
    const target = posix.normalize(posix.join(posix.dirname(from), spec.replace(/\.js$/, '.ts')));
    return { from, to: target, line: lineOf(f.pos), external: false };
  });
}

/** The module of a path below server/src: its first folder, or the file itself at the top. */
function moduleOf(path: string): string {
  const slash = path.indexOf('/');
  return slash < 0 ? path : path.slice(0, slash);
}

function layerOf(module: string): number {
  return LAYERS.findIndex((l) => l.includes(module));
}

/** What is wrong with one import, or undefined when it keeps the order. */
function problem(i: Import): string | undefined {
  if (i.external) {
    const connection = i.to === 'vscode-languageserver' || i.to.startsWith('vscode-languageserver/');
    return connection && i.from !== 'server.ts' ? 'only server.ts knows the LSP connection' : undefined;
  }
  if (i.to.startsWith('../')) return 'imports from outside server/src';
  const a = moduleOf(i.from);
  const b = moduleOf(i.to);
  if (a === b) return undefined;
  if (FRONT_ENDS.has(a) && !FRONT_END_MAY_IMPORT.has(b) && !FRONT_END_MAY_IMPORT_FILES.has(i.to)) return `front end ${a} reaches ${b} around the service`;
  const la = layerOf(a);
  const lb = layerOf(b);
  if (lb > la) return `${a} (layer ${la + 1}) imports ${b} (layer ${lb + 1}), above it`;
  if (lb === la) return `${a} and ${b} share layer ${la + 1} and do not import each other`;
  return undefined;
}

/** The imports of the files under `root` that break the order, as `from -> to` with where and why. */
function layerViolations(root: string): Array<{ key: string; where: string; why: string }> {
  const out: Array<{ key: string; where: string; why: string }> = [];
  for (const file of sourceFiles(root)) {
    for (const i of importsOf(file, root)) {
      const why = problem(i);
      if (why) out.push({ key: `${i.from} -> ${i.to}`, where: `server/src/${i.from}:${i.line}`, why });
    }
  }
  return out;
}

describe('layers of server/src', () => {
  it('places every folder and top-level file of server/src in a layer', () => {
    const modules = new Set(sourceFiles(SRC).map((f) => moduleOf(toPosix(relative(SRC, f)))));
    const unplaced = [...modules].filter((m) => layerOf(m) < 0);
    assert.deepEqual(unplaced, [], 'add these to LAYERS in test/unit/layers.test.ts and to docs/architecture.md');
  });

  it('has no import against the order, beyond the listed ones', () => {
    const found = layerViolations(SRC).filter((v) => !ALLOWED.has(v.key));
    assert.deepEqual(found.map((v) => `${v.where}: ${v.key} (${v.why})`), []);
  });

  it('lists no allowed import that is gone', () => {
    const keys = new Set(layerViolations(SRC).map((v) => v.key));
    const stale = [...ALLOWED.keys()].filter((k) => !keys.has(k));
    assert.deepEqual(stale, [], 'these imports are gone: remove them from ALLOWED');
  });

  it('lets the VS Code client share only protocol/ with the server', () => {
    const client = join(projectRoot, 'client/src');
    const wrong: string[] = [];
    for (const file of sourceFiles(client)) {
      for (const i of importsOf(file, client)) {
        if (i.external || !i.to.startsWith('../')) continue;
        const target = toPosix(relative(projectRoot, join(client, i.to)));
        if (!target.startsWith('server/src/protocol/')) wrong.push(`client/src/${i.from}:${i.line} -> ${target}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('catches an import that runs upwards, a sibling import and a front end around the service', () => {
    // The checks above pass only if they can fail: judge made-up imports.
    const judge = (from: string, to: string) => problem({ from, to, line: 1, external: false });
    assert.match(judge('rules/x.ts', 'service/types.ts') ?? '', /above it/);
    assert.match(judge('syntax/x.ts', 'analysis/y.ts') ?? '', /above it/);
    assert.match(judge('params/x.ts', 'vmods/y.ts') ?? '', /share layer/);
    assert.match(judge('varnishlog/x.ts', 'params/y.ts') ?? '', /share layer/);
    assert.match(judge('varnishlog/x.ts', 'service/y.ts') ?? '', /above it/);
    assert.match(judge('cli/x.ts', 'rules/index.ts') ?? '', /around the service/);
    assert.match(problem({ from: 'service/x.ts', to: 'vscode-languageserver/node.js', line: 1, external: true }) ?? '', /LSP connection/);
    assert.equal(judge('rules/x.ts', 'syntax/ast.ts'), undefined);
    assert.equal(judge('server.ts', 'service/lint.ts'), undefined);
    assert.equal(judge('service/x.ts', 'service/y.ts'), undefined);
  });
});
