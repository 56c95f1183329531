/**
 * The Project owns one analysis per document version: lint and every editor
 * feature read it, so editing a document builds its semantic model once per
 * version however many requests follow. Driven without a server process,
 * through the same LanguageFeatures methods the server binds.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { semanticModelBuilds } from '../../server/src/analysis/semantic-model.js';
import { LanguageFeatures } from '../../server/src/service/language-features.js';
import { Project } from '../../server/src/service/project.js';
import { CheckPlan } from '../../server/src/service/check-plan.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const REALISTIC = readFileSync(join(ROOT, 'bench', 'fixtures', 'realistic-2000.vcl'), 'utf8');
const URI = 'file:///tmp/vcl-project-test/default.vcl';

function started(): { project: Project; features: LanguageFeatures } {
  const project = new Project();
  project.start({ folders: [], includePaths: [], vmodPath: [], trusted: false });
  return { project, features: new LanguageFeatures(project) };
}

/** Every request an editor sends after an edit, as the server would route them. */
function everyRequest(features: LanguageFeatures, project: Project, document: TextDocument, position: { line: number; character: number }): void {
  const textDocument = { uri: document.uri };
  project.analysis(document.uri)!.diagnostics();
  features.semanticTokens({ textDocument });
  features.semanticTokensDelta({ textDocument, previousResultId: '1' });
  features.semanticTokensRange({ textDocument, range: { start: { line: 0, character: 0 }, end: position } });
  features.hover({ textDocument, position });
  features.completion({ textDocument, position, context: { triggerKind: 1 } });
  features.signatureHelp({ textDocument, position });
  features.highlights({ textDocument, position });
  features.navigate({ textDocument, position }, false);
  features.navigate({ textDocument, position }, true);
  features.prepareRename({ textDocument, position });
  features.documentSymbols({ textDocument });
  features.foldingRanges({ textDocument });
  features.codeActions({ textDocument, range: { start: position, end: position }, context: { diagnostics: [], only: ['source.fixAll.vcl'] } });
}

describe('Project: one analysis per document version', function () {
  this.timeout(60_000);

  it('builds the semantic model once per version while lint and every feature ask about it', () => {
    const { project, features } = started();
    let document = TextDocument.create(URI, 'vcl', 1, REALISTIC);
    project.update(document);
    const position = document.positionAt(REALISTIC.indexOf('req.url') + 2);
    for (let version = 1; version <= 6; version++) {
      const before = semanticModelBuilds.count;
      everyRequest(features, project, document, position);
      everyRequest(features, project, document, position);
      assert.equal(semanticModelBuilds.count - before, 1, `version ${version}: models built`);
      // A one-character edit, as typing makes; the document object moves on in place, as the editor's does.
      const at = document.offsetAt(position);
      document = TextDocument.update(document, [{ range: { start: document.positionAt(at), end: document.positionAt(at) }, text: version % 2 ? ' ' : '' }], version + 1);
      project.update(document);
    }
  });

  it('answers the features of a version from that version even after the editor object moved on', () => {
    const { project } = started();
    const document = TextDocument.create(URI, 'vcl', 1, 'vcl 4.1;\nbackend b { .host = "127.0.0.1"; }\n');
    project.update(document);
    const first = project.analysis(URI)!;
    TextDocument.update(document, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# x\n' }], 2);
    project.update(document);
    const second = project.analysis(URI)!;
    assert.notEqual(second, first);
    assert.equal(first.version, 1);
    assert.equal(second.version, 2);
    assert.ok(second.text.startsWith('# x\n'));
  });

  it('makes a new analysis when another document the program reads changes, and keeps it otherwise', () => {
    const { project } = started();
    project.update(TextDocument.create(URI, 'vcl', 1, 'vcl 4.1;\nbackend b { .host = "127.0.0.1"; }\n'));
    const first = project.analysis(URI)!;
    assert.equal(project.analysis(URI), first, 'the same version, nothing else changed');
    project.update(TextDocument.create('file:///tmp/vcl-project-test/varnish.params', 'varnish-params', 1, 'DAEMON_OPTS="-p http_resp_hdr_len=4k"\n'));
    assert.notEqual(project.analysis(URI), first, 'a parameter file changes what the VCL lint says');
  });

  it('owns its parser: a closed document leaves no previous version, and another project shares nothing', () => {
    const { project } = started();
    const other = started().project;
    project.update(TextDocument.create(URI, 'vcl', 1, REALISTIC));
    project.analysis(URI)!.diagnostics();
    const kept = project.parserCaches();
    assert.ok(kept.documents >= 1 && kept.declarations > 20, JSON.stringify(kept));
    assert.deepEqual(other.parserCaches(), { declarations: 0, documents: 0 }, 'a second project parsed nothing');
    project.close(URI);
    assert.equal(project.parserCaches().documents, kept.documents - 1, 'the closed document is forgotten');
  });

  it('keeps one version of an edited declaration: earlier versions leave the parser\'s cache as the document moves on', () => {
    const { project } = started();
    let document = TextDocument.create(URI, 'vcl', 1, REALISTIC);
    project.update(document);
    project.analysis(URI)!.diagnostics();
    const open = project.parserCaches().declarations;
    const at = REALISTIC.indexOf('sub vcl_recv {') + 'sub vcl_recv {'.length;
    for (let version = 2; version <= 201; version++) {
      const pos = document.positionAt(at);
      document = TextDocument.update(document, [{ range: { start: pos, end: pos }, text: 'x'.repeat(version % 7) + ' ' }], version);
      project.update(document);
      project.analysis(URI)!.diagnostics();
    }
    // Without dropping superseded versions the cache held one more vcl_recv per edit (and the heap grew 19x over 1,000 edits).
    assert.equal(project.parserCaches().declarations, open);
  });

  it('refuses an 11 MB document in every feature at once, with one diagnostic', () => {
    const { project, features } = started();
    const big = 'vcl 4.1;\n' + 'sub vcl_recv { set req.http.x = "y"; }\n'.repeat(11 * 1024 * 1024 / 38);
    const document = TextDocument.create(URI, 'vcl', 1, big);
    project.update(document);
    const before = semanticModelBuilds.count;
    const t0 = Date.now();
    everyRequest(features, project, document, { line: 4, character: 10 });
    assert.equal(semanticModelBuilds.count, before, 'nothing was analysed');
    assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
    const diagnostics = project.analysis(URI)!.diagnostics();
    assert.deepEqual(diagnostics.map((d) => d.code), ['input']);
    assert.deepEqual(features.hover({ textDocument: { uri: URI }, position: { line: 1, character: 2 } }), null);
    assert.deepEqual(features.semanticTokens({ textDocument: { uri: URI } }), { data: [] });
  });
});

describe('CheckPlan: which documents a debounce checks', () => {
  const doc = (uri: string, version: number) => ({ uri, version });

  it('checks an edited document and its related documents once; an unchanged version is not checked again', () => {
    const plan = new CheckPlan();
    const a = doc('a', 1);
    const b = doc('b', 1);
    plan.edited('a');
    plan.edited('b');
    const first = plan.toCheck(a, () => [a, b]);
    assert.deepEqual(first.map((d) => d.uri), ['a', 'b']);
    for (const d of first) plan.published(d.uri, d.version);
    // b's own debounce: b was checked after its edit already, a after b changed.
    assert.deepEqual(plan.toCheck(b, () => [a]).map((d) => d.uri), []);
    // A setting changed: the same version is checked again.
    plan.recheck('a');
    assert.deepEqual(plan.toCheck(a, () => [b]).map((d) => d.uri), ['a']);
  });

  it('never checks an older version than the one published', () => {
    const plan = new CheckPlan();
    plan.published('a', 5);
    assert.deepEqual(plan.toCheck(doc('a', 4), () => []), []);
    assert.deepEqual(plan.toCheck(doc('a', 6), () => []).map((d) => d.version), [6]);
  });
});
