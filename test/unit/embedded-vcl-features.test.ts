/**
 * Hover, completion, go-to-definition, references, highlights, signature
 * help and rename inside the VCL a Kubernetes manifest's ConfigMap holds:
 * the answers VCL gets in a .vcl file of its own (the same program, the
 * key's includes read from the ConfigMap), with their ranges in the
 * manifest (a definition in another key of the ConfigMap: in that key's
 * block). Outside the VCL the manifest keeps its parameter hover.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem, Hover, Location, MarkupContent, Range } from 'vscode-languageserver-types';
import { LanguageFeatures } from '../../server/src/service/language-features.js';
import { Project } from '../../server/src/service/project.js';
import { embeddedVcl } from '../../server/src/params/embedded-vcl.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const MANIFEST = readFileSync(join(ROOT, 'test', 'fixtures', 'kubernetes', 'varnish.yaml'), 'utf8');
const YAML_URI = 'file:///tmp/vcl-embedded/varnish.yaml';
const VCL_URI = 'file:///tmp/vcl-embedded/default.vcl';

function editor(): { project: Project; features: LanguageFeatures } {
  const project = new Project();
  project.start({ folders: [], includePaths: [], vmodPath: [], trusted: false });
  return { project, features: new LanguageFeatures(project) };
}

/** The manifest open as YAML, and default.vcl's text (as the pod sees it) open as a VCL file with backends.vcl beside it. */
function open(manifest: string): { features: LanguageFeatures; yaml: TextDocument; vcl: TextDocument; vclText: string } {
  const { project, features } = editor();
  const yaml = TextDocument.create(YAML_URI, 'yaml', 1, manifest);
  const parts = embeddedVcl(manifest);
  const vclText = parts.find((p) => p.key === 'default.vcl')!.text;
  const vcl = TextDocument.create(VCL_URI, 'vcl', 1, vclText.replace('include "backends.vcl";', parts.find((p) => p.key === 'backends.vcl')!.text));
  project.update(yaml);
  project.update(vcl);
  return { features, yaml, vcl, vclText };
}

const textAt = (doc: TextDocument, r: Range): string => doc.getText(r);
const hoverValue = (h: Hover | null): string => (h?.contents as MarkupContent | undefined)?.value ?? '';

describe('hover and completion in the VCL of a ConfigMap', () => {
  it('hover on a variable, a function and a sub: what the same VCL gets in a .vcl file, placed in the manifest', () => {
    const { features, yaml, vcl } = open(MANIFEST);
    for (const word of ['req.url', 'regsub', 'beresp.ttl', 'vcl_hit']) {
      // After the manifest's opening comment, which names some of them.
      const inYaml = MANIFEST.indexOf(word, MANIFEST.indexOf('default.vcl: |')) + 2;
      const inVcl = vcl.getText().indexOf(word) + 2;
      const h = features.hover({ textDocument: { uri: YAML_URI }, position: yaml.positionAt(inYaml) });
      const reference = features.hover({ textDocument: { uri: VCL_URI }, position: vcl.positionAt(inVcl) });
      assert.ok(hoverValue(reference).length > 0, `${word}: the .vcl file has a hover`);
      assert.equal(hoverValue(h), hoverValue(reference), word);
      assert.equal(textAt(yaml, h!.range!), textAt(vcl, reference!.range!), `${word}: the same text is covered`);
    }
  });

  it('hover on the parameter in the args is the parameter hover, as before', () => {
    const { features, yaml } = open(MANIFEST);
    const h = features.hover({ textDocument: { uri: YAML_URI }, position: yaml.positionAt(MANIFEST.indexOf('http_resp_hdr_len', MANIFEST.indexOf('args:')) + 3) });
    assert.match(hoverValue(h), /http_resp_hdr_len/);
  });

  it('completion while typing in the block: the .vcl file\'s items, with edits on the typed line of the manifest', () => {
    const typedYaml = MANIFEST.replace('        set req.http.X-Forwarded-Proto', '        set req.http.X-Forwarded-Proto = "https";\n        set req.\n        set req.http.X-Forwarded-Proto');
    const { features, yaml, vcl } = open(typedYaml);
    const atYaml = typedYaml.indexOf('set req.\n') + 'set req.'.length;
    const atVcl = vcl.getText().indexOf('set req.\n') + 'set req.'.length;
    const items = features.completion({ textDocument: { uri: YAML_URI }, position: yaml.positionAt(atYaml), context: { triggerKind: 2, triggerCharacter: '.' } });
    const reference = features.completion({ textDocument: { uri: VCL_URI }, position: vcl.positionAt(atVcl), context: { triggerKind: 2, triggerCharacter: '.' } });
    const labels = (xs: CompletionItem[]) => xs.map((c) => c.label).sort();
    assert.ok(reference.length > 5, 'the .vcl file has items here');
    assert.deepEqual(labels(items), labels(reference));
    const line = yaml.positionAt(atYaml).line;
    for (const item of items) {
      const edit = item.textEdit as { range: Range; newText: string };
      assert.equal(edit.range.start.line, line, item.label);
      assert.equal(edit.range.end.line, line, item.label);
    }
  });

  it('no VCL completion in a folded block (its lines are not the VCL\'s lines)', () => {
    const manifest = readFileSync(join(ROOT, 'test', 'fixtures', 'kubernetes', 'operators.yaml'), 'utf8');
    const { project, features } = editor();
    const yaml = TextDocument.create(YAML_URI, 'yaml', 1, manifest);
    project.update(yaml);
    const part = embeddedVcl(manifest).find((p) => !p.editable && !p.template)!;
    const at = part.map[part.text.indexOf('sub vcl_recv') + 4]!;
    assert.deepEqual(features.completion({ textDocument: { uri: YAML_URI }, position: yaml.positionAt(at), context: { triggerKind: 1 } }), []);
    // Hover still works there: it needs no edit.
    const h = features.hover({ textDocument: { uri: YAML_URI }, position: yaml.positionAt(at) });
    assert.ok(h === null || hoverValue(h).length > 0);
  });
});

describe('navigation and signature help in the VCL of a ConfigMap', () => {
  // The fixture with a sub called twice, the backend of backends.vcl used, and a vmod call.
  const manifest = MANIFEST.replace(
    '    sub vcl_recv {\n',
    '    import std;\n\n    sub clean {\n        unset req.http.Cookie;\n    }\n\n    sub vcl_recv {\n        call clean;\n        set req.backend_hint = shop;\n        set req.http.X-Lower = std.tolower(req.url);\n        call clean;\n',
  );
  const at = (doc: TextDocument, text: string, needle: string, from: string, plus = 1) => doc.positionAt(text.indexOf(needle, text.indexOf(from)) + plus);
  const texts = (doc: TextDocument, ls: Location[]) => ls.map((l) => doc.getText(l.range));

  it('go-to-definition on a backend defined in another key lands on its name in that key\'s block', () => {
    const { features, yaml, vcl } = open(manifest);
    const found = features.navigate({ textDocument: { uri: YAML_URI }, position: at(yaml, manifest, 'shop;', 'backend_hint') }, false);
    const reference = features.navigate({ textDocument: { uri: VCL_URI }, position: at(vcl, vcl.getText(), 'shop;', 'backend_hint') }, false);
    assert.deepEqual(texts(vcl, reference), ['shop'], 'the .vcl file finds the definition');
    assert.equal(found.length, 1);
    assert.equal(found[0]!.uri, YAML_URI);
    assert.equal(yaml.getText(found[0]!.range), 'shop');
    assert.ok(yaml.offsetAt(found[0]!.range.start) > manifest.indexOf('backends.vcl: |-'), 'in the backends.vcl block');
  });

  it('references and highlights of a sub: the .vcl file\'s, placed in the manifest', () => {
    const { features, yaml, vcl } = open(manifest);
    const params = (doc: TextDocument, text: string) => ({ textDocument: { uri: doc.uri }, position: at(doc, text, 'clean;', 'sub vcl_recv') });
    const refs = features.navigate(params(yaml, manifest), true);
    const reference = features.navigate(params(vcl, vcl.getText()), true);
    assert.equal(reference.length, 3, 'the definition and two calls');
    assert.deepEqual(texts(yaml, refs), texts(vcl, reference));
    assert.ok(refs.every((l) => l.uri === YAML_URI));
    const marks = features.highlights(params(yaml, manifest));
    const referenceMarks = features.highlights(params(vcl, vcl.getText()));
    assert.deepEqual(marks.map((h) => [yaml.getText(h.range), h.kind]), referenceMarks.map((h) => [vcl.getText(h.range), h.kind]));
    assert.equal(marks.length, 3);
  });

  it('signature help inside a vmod call: the .vcl file\'s', () => {
    const { features, yaml, vcl } = open(manifest);
    const sig = features.signatureHelp({ textDocument: { uri: YAML_URI }, position: at(yaml, manifest, 'req.url)', 'std.tolower(', 0) });
    const reference = features.signatureHelp({ textDocument: { uri: VCL_URI }, position: at(vcl, vcl.getText(), 'req.url)', 'std.tolower(', 0) });
    assert.ok(reference, 'the .vcl file has signature help there');
    assert.deepEqual(sig, reference);
  });

  it('rename of a sub and of a backend of another key: every place, in the blocks of both keys; the program reads as before under the new name', () => {
    const { features, yaml } = open(manifest);
    const renameAt = (needle: string, from: string, newName: string): string => {
      const position = at(yaml, manifest, needle, from);
      const prepared = features.prepareRename({ textDocument: { uri: YAML_URI }, position }) as { range: Range; placeholder: string };
      assert.equal(yaml.getText(prepared.range), needle.replace(';', ''));
      const edit = features.rename({ textDocument: { uri: YAML_URI }, position, newName }) as { changes: Record<string, Array<{ range: Range; newText: string }>> };
      assert.deepEqual(Object.keys(edit.changes), [YAML_URI]);
      return TextDocument.applyEdits(yaml, edit.changes[YAML_URI]!);
    };
    const scrubbed = renameAt('clean;', 'sub vcl_recv', 'scrub');
    const vclOf = (m: string, key: string) => embeddedVcl(m).find((p) => p.key === key)!.text;
    assert.equal(vclOf(scrubbed, 'default.vcl'), vclOf(manifest, 'default.vcl').replace(/\bclean\b/g, 'scrub'));
    const moved = renameAt('shop;', 'backend_hint', 'cdn');
    assert.equal(vclOf(moved, 'default.vcl'), vclOf(manifest, 'default.vcl').replace('= shop;', '= cdn;'));
    assert.equal(vclOf(moved, 'backends.vcl'), vclOf(manifest, 'backends.vcl').replace('backend shop', 'backend cdn'));
  });

  it('rename is refused, with the reason, where the VCL is a folded block', () => {
    const folded = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: m}', 'data:', '  default.vcl: >', '    vcl 4.1;', '', '    backend origin { .host = "127.0.0.1"; }', '', '    sub vcl_recv { set req.backend_hint = origin; }', ''].join('\n');
    const { project, features } = editor();
    const yaml = TextDocument.create(YAML_URI, 'yaml', 1, folded);
    project.update(yaml);
    assert.equal(embeddedVcl(folded)[0]!.editable, false, 'a folded block');
    const position = yaml.positionAt(folded.indexOf('= origin') + 4);
    // The name itself can be renamed (a definition of the program), but not in place.
    assert.deepEqual(features.navigate({ textDocument: { uri: YAML_URI }, position }, true).map((l) => yaml.getText(l.range)), ['origin', 'origin']);
    const prepared = features.prepareRename({ textDocument: { uri: YAML_URI }, position }) as { failed?: string };
    assert.match(prepared.failed ?? '', /literal block/);
    const edit = features.rename({ textDocument: { uri: YAML_URI }, position, newName: 'cdn' }) as { failed?: string };
    assert.match(edit.failed ?? '', /literal block/);
  });

  it('outside the VCL (the args) no location and no signature', () => {
    const { features, yaml } = open(manifest);
    const position = yaml.positionAt(manifest.indexOf('http_resp_hdr_len', manifest.indexOf('args:')) + 3);
    assert.deepEqual(features.navigate({ textDocument: { uri: YAML_URI }, position }, false), []);
    assert.equal(features.signatureHelp({ textDocument: { uri: YAML_URI }, position }), null);
    assert.deepEqual(features.highlights({ textDocument: { uri: YAML_URI }, position }), []);
  });
});
