/**
 * Rules that keep their findings (or what they found) per declaration
 * (rules/per-declaration.ts: regex-invalid, vcl3-construct, action-placement,
 * inline-c, name-legality, backend-timeout-risk; redefinition's and
 * rate-limit-status's walks), and the
 * semantic model that keeps each declaration's uses, give after every edit
 * of a document the project re-analyses exactly the diagnostics and the
 * model a fresh project gives for the same text: random edit sequences on real files,
 * and the edits that change what a kept entry depends on (a new caller of
 * a sub, another Varnish release).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Project } from '../../server/src/service/project.js';
import type { Diagnostic } from 'vscode-languageserver-types';
import { projectRoot } from '../conformance/corpus.js';
import { prng } from '../helpers/prng.js';
import { vclFilesUnder } from '../helpers/vcl-files.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 777);
const URI = 'file:///kept/edited.vcl';

/** A project holding one open document, as the language server does. */
class Editor {
  readonly project = new Project();
  private version = 1;
  /** `settings`: the editor's `vcl` settings section. */
  constructor(settings?: { varnishVersion?: string }) {
    this.project.start({ folders: [], includePaths: [], vmodPath: [], trusted: false });
    if (settings) this.project.configure(settings);
  }
  diagnostics(text: string): Diagnostic[] {
    this.project.update(TextDocument.create(URI, 'vcl', this.version++, text));
    return this.project.analysis(URI)!.diagnostics();
  }
  /** The semantic model of the text last given, written out with every span and every reference's target. */
  model(): string {
    const m = this.project.analysis(URI)!.model().model;
    const span = (x: { start: number; end: number }) => `${x.start}-${x.end}`;
    return JSON.stringify({
      definitions: m.definitions.map((d) => `${d.file}|${d.kind}|${d.name}|${span(d.nameSpan)}`),
      references: m.references.map((r) => `${r.file}|${r.kind}|${r.name}|${span(r.span)}|${r.sub}|${r.target ? `${r.target.kind}:${r.target.name}@${span(r.target.nameSpan)}` : '-'}`),
      variableUses: m.variableUses.map((v) => `${v.file}|${v.name}|${span(v.span)}|${v.access}|${v.sub}|${v.fact.name}`),
      unknown: m.unknown.map((x) => `${x.file}|${x.name}|${span(x.span)}|${x.sub}|${x.versionNote}`),
      calls: m.calls.map((c) => `${c.file}|${c.from}>${c.to}|${span(c.span)}`),
      returns: m.returns.map((r) => `${r.file}|${r.sub}|${r.action.text}|${span(r.action)}`),
      includes: m.includes.map((i) => span(i)),
      reaching: m.definitions.filter((d) => d.kind === 'sub').map((d) => `${d.name}:${[...m.methodsReaching(d.name)].sort().join(',')}`),
    });
  }
}

const fresh = (text: string, settings?: { varnishVersion?: string }): Diagnostic[] => new Editor(settings).diagnostics(text);

/** The semantic model a fresh project builds for `text`. */
function freshModel(text: string): string {
  const editor = new Editor();
  editor.diagnostics(text);
  return editor.model();
}

/** Pieces typed or pasted: ordinary text, and the constructs the three rules look at. */
const snippets = ['x', ' ', 'C{ int x; }C\n', '\n', ';', '}', '{', 'hash_data(req.url);\n', 'synthetic("x");\n', 'call helper;\n', 'if (req.url ~ "(") { }\n', 'if (req.url ~ "\\d") { }\n', 'remove req.http.X;\n', 'set req.backend = b;\n', 'sub helper { hash_data(req.url); }\n', 'error 503;\n', 'if (client.ip ~ vcl_list) { }\n', 'acl vcl_list { "127.0.0.1"; }\n', 'call default;\n', 'new vcl_o = directors.round_robin();\n', 'if (vsthrottle.is_denied(client.identity, 10, 1s)) { return (synth(503)); }\n', 'set bereq.first_byte_timeout = 0.2s;\n'];

function randomEdit(text: string, rnd: () => number): string {
  const at = Math.floor(rnd() * (text.length + 1));
  if (rnd() < 0.6) return text.slice(0, at) + snippets[Math.floor(rnd() * snippets.length)]! + text.slice(at);
  return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(rnd() * 40)));
}

// Each sub is long enough to keep what is worked out for it (syntax/kept.ts: KEEP_FROM_CHARS): a comment pads it.
const PAD = '# a comment that makes the declaration long enough to keep its findings\n';
const HELPER = `vcl 4.1;
backend b { .host = "127.0.0.1"; }
sub helper { ${PAD} hash_data(req.http.host); }
sub vcl_hash { ${PAD} call helper; }
sub vcl_recv { ${PAD} if (req.url ~ "^/a(") { return (pass); } }
`;

describe('findings kept per declaration, across edits', () => {
  it('a sub that gains a caller where its statements are not allowed gets the finding; losing it drops it', () => {
    const editor = new Editor();
    const rule = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'action-placement').map((d) => d.message);
    assert.deepEqual(rule(editor.diagnostics(HELPER)), []);
    const called = HELPER.replace('sub vcl_recv { ', 'sub vcl_recv { call helper; ');
    const after = editor.diagnostics(called);
    assert.equal(rule(after).length, 1);
    assert.deepEqual(after, fresh(called));
    assert.deepEqual(editor.diagnostics(HELPER), fresh(HELPER));
    assert.deepEqual(rule(editor.diagnostics(HELPER)), []);
  });

  it('a reserved vcl_ name used in an unchanged sub is judged again when another declaration defines it', () => {
    const before = `vcl 4.1;\nbackend b { .host = "127.0.0.1"; }\nsub vcl_recv { ${PAD} if (client.ip ~ vcl_list) { return (pass); } }\n`;
    const after = `${before}acl vcl_list { "127.0.0.1"; }\n`;
    const editor = new Editor();
    const names = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'name-legality').map((d) => `${d.range.start.line}:${d.message.slice(0, 40)}`);
    assert.deepEqual(editor.diagnostics(before), fresh(before));
    assert.deepEqual(editor.diagnostics(after), fresh(after));
    assert.notDeepEqual(names(fresh(before)), names(fresh(after)), 'the definition changes what the use in vcl_recv gets');
  });

  it('findings of declarations after an edit move with them (a kept regex error lands on its new place)', () => {
    const editor = new Editor();
    editor.diagnostics(HELPER);
    const longer = HELPER.replace('sub helper {', '# a comment line\nsub helper {');
    const diagnostics = editor.diagnostics(longer);
    const regex = diagnostics.find((d) => d.code === 'regex-invalid');
    assert.ok(regex, 'the bad regex is still reported');
    assert.equal(regex.range.start.line, longer.slice(0, longer.indexOf('"^/a("')).split('\n').length - 1);
    assert.deepEqual(diagnostics, fresh(longer));
  });

  it('the same text checked again for another release is checked anew (PCRE before 7.0 read unknown escapes as the letter)', () => {
    const text = `vcl 4.1;\nbackend b { .host = "127.0.0.1"; }\nsub vcl_recv { ${PAD} if (req.url ~ "\\q") { return (pass); } }\n`;
    const editor = new Editor({ varnishVersion: '7.1' });
    const regex = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'regex-invalid');
    assert.equal(regex(editor.diagnostics(text)).length, 1);
    editor.project.configure({ varnishVersion: '6.0' });
    const six = editor.diagnostics(text);
    assert.deepEqual(regex(six), []);
    assert.deepEqual(six, fresh(text, { varnishVersion: '6.0' }));
  });

  it("an unchanged sub's type findings follow the definitions and imports elsewhere (the type checker's kept findings)", () => {
    const sub = `sub vcl_recv { ${PAD} if (b) { return (pass); } if (std.random(0, 1)) { return (pass); } }\n`;
    const base = 'vcl 4.1;\nbackend default { .host = "127.0.0.1"; }\n';
    const texts = [
      `${base}backend b { .host = "127.0.0.1"; }\n${sub}`,
      // b becomes an ACL (not a condition), then std is imported (std.random gives a REAL, not a condition).
      `${base}acl b { "127.0.0.1"; }\n${sub}`,
      `${base}import std;\nacl b { "127.0.0.1"; }\n${sub}`,
      `${base}import std;\nbackend b { .host = "127.0.0.1"; }\n${sub}`,
      `${base}backend b { .host = "127.0.0.1"; }\n${sub}`,
    ];
    const types = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'type-mismatch').map((d) => d.message);
    const editor = new Editor();
    const seen = texts.map((text) => {
      const incremental = editor.diagnostics(text);
      assert.deepEqual(incremental, fresh(text), text);
      return types(incremental).length;
    });
    assert.deepEqual(seen, [0, 1, 2, 1, 0], 'each change elsewhere changes the findings in vcl_recv');
  });

  it('random edit sequences on real files give what a fresh project gives, after every edit', function () {
    this.timeout(120_000);
    const rnd = prng(SEED);
    const files = [path.join(projectRoot, 'bench/fixtures/realistic-2000.vcl'), ...vclFilesUnder(path.join(projectRoot, 'examples')), ...vclFilesUnder(path.join(projectRoot, 'test/fixtures'))];
    let steps = 0;
    for (const file of files) {
      const editor = new Editor();
      let text = readFileSync(file, 'utf8');
      editor.diagnostics(text);
      const edits = file.includes('realistic') ? 6 : 5;
      for (let s = 0; s < edits; s++) {
        text = randomEdit(text, rnd);
        const incremental = editor.diagnostics(text);
        const reference = fresh(text);
        if (JSON.stringify(incremental) !== JSON.stringify(reference)) {
          assert.deepEqual(incremental, reference, `${path.relative(projectRoot, file)}, edit ${s} (FUZZ_SEED=${SEED})`);
        }
        // The semantic model too (it keeps each declaration's uses): hover, definition and rename read it.
        const model = editor.model();
        const freshOne = freshModel(text);
        if (model !== freshOne) assert.deepEqual(JSON.parse(model), JSON.parse(freshOne), `${path.relative(projectRoot, file)}, edit ${s}: the model (FUZZ_SEED=${SEED})`);
        steps++;
      }
    }
    assert.ok(steps > 200, `only ${steps} edits checked`);
  });
});
