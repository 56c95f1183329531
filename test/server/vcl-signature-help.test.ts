/** Signature help in VCL, from the service: one case per cursor of test/fixtures/editor/signature-help.vcl. */
import assert from 'node:assert/strict';
import { vmodResolverFor } from '../../server/src/service/lint.js';
import { programModel } from '../helpers/program-model.js';
import { vclSignatureHelp } from '../../server/src/service/vcl-signature-help.js';
import { vmodScope } from '../../server/src/service/vmod-scope.js';
import { readMarked } from '../helpers/cursors.js';

/** cursor -> the signature's start, and the text of the active parameter (undefined: none is active). */
const CASES: Array<{ cursor: string; label?: string; active?: string; doc?: RegExp }> = [
  { cursor: 'none' },
  { cursor: 'ctor', label: 'directors.round_robin() → directors.round_robin', doc: /in turn/ },
  { cursor: 'method', label: 'rr.add_backend(BACKEND', active: 'BACKEND' },
  { cursor: 'regsub-2', label: 'regsub(STRING str, REGEX regex, STRING sub) → STRING', active: 'REGEX regex' },
  { cursor: 'integer-2', label: 'std.integer([STRING s], [INT fallback]', active: '[INT fallback]', doc: /INT/ },
  { cursor: 'integer-named', label: 'std.integer(', active: '[INT fallback]' },
  { cursor: 'nested', label: 'std.toupper(STRANDS s) → STRING', active: 'STRANDS s' },
  { cursor: 'after-nested', label: 'std.log(STRANDS s) → VOID', active: 'STRANDS s' },
  { cursor: 'ban', label: 'ban(STRING expression) → VOID', active: 'STRING expression', doc: /ban/ },
  { cursor: 'synth-2', label: 'synth(INT status, [STRING reason]) → return action', active: '[STRING reason]' },
  { cursor: 'hash-data', label: 'hash_data(STRING_LIST input) → VOID', active: 'STRING_LIST input' },
  { cursor: 'synthetic', label: 'synthetic(STRING_LIST body) → VOID', active: 'STRING_LIST body' },
];

describe('VCL signature help (service)', () => {
  const { text, at, names } = readMarked('editor/signature-help.vcl');
  const program = programModel(text, {});
  const scope = vmodScope(program.model, vmodResolverFor([]));

  for (const c of CASES) {
    it(c.cursor, () => {
      const sig = vclSignatureHelp(text, at(c.cursor), scope);
      if (!c.label) {
        assert.equal(sig, undefined);
        return;
      }
      assert.ok(sig, 'no signature');
      assert.ok(sig.label.startsWith(c.label), sig.label);
      if (c.doc) assert.match(sig.documentation ?? '', c.doc);
      if (c.active === undefined) assert.equal(sig.activeParameter, -1);
      else assert.equal(sig.label.slice(...sig.parameters[sig.activeParameter]!.label), c.active);
    });
  }

  it('every cursor of the fixture has a case', () => {
    assert.deepEqual(names.filter((n) => !CASES.some((c) => c.cursor === n)), []);
  });

  it('shows defaults and enum values of vmod arguments', () => {
    const t = 'vcl 4.1;\nimport directors;\nsub vcl_init {\n    new s = directors.shard();\n}\nsub vcl_recv {\n    set req.backend_hint = s.backend(by = ';
    const p = programModel(t, {});
    const sig = vclSignatureHelp(t, t.length, vmodScope(p.model, vmodResolverFor([])))!;
    assert.match(sig.label, /ENUM \{HASH, URL, KEY, BLOB\} by = HASH/);
    assert.equal(sig.label.slice(...sig.parameters[sig.activeParameter]!.label), '[ENUM {HASH, URL, KEY, BLOB} by = HASH]');
    assert.equal(sig.parameters[sig.activeParameter]!.documentation, 'One of HASH, URL, KEY, BLOB');
  });

  it("shows the selected release's signatures: a function only some releases have, and one whose arguments changed", () => {
    const sigAt = (t: string, release: '7.1' | '7.7' | '9.0') => {
      const p = programModel(t, { varnishVersion: release });
      return vclSignatureHelp(t, t.length, vmodScope(p.model, vmodResolverFor([], undefined, release)));
    };
    const strftime = 'vcl 4.1;\nimport std;\nsub vcl_deliver {\n    set resp.http.x = std.strftime(';
    assert.ok(sigAt(strftime, '7.1')?.label.startsWith('std.strftime(TIME time, STRING format)'));
    const rfc = 'vcl 4.1;\nimport std;\nsub vcl_backend_response {\n    std.rfc_ttl(';
    assert.equal(sigAt(rfc, '7.7'), undefined, 'std.rfc_ttl is 9.0 only');
    assert.ok(sigAt(rfc, '9.0')?.label.startsWith('std.rfc_ttl()'));
    const h2 = 'vcl 4.1;\nimport h2;\nsub vcl_recv {\n    if (h2.is(';
    assert.equal(sigAt(h2, '7.1'), undefined, 'no h2 vmod in 7.1');
    assert.ok(sigAt(h2, '7.7')?.label.startsWith('h2.is('));
  });
});
