/** Semantic tokens of VCL, from the service: what each name is, and the LSP encoding. */
import assert from 'node:assert/strict';
import { vmodResolverFor } from '../../server/src/service/lint.js';
import { programModel } from '../helpers/program-model.js';
import { encodeSemanticTokens, semanticTokens, TOKEN_MODIFIERS, TOKEN_TYPES } from '../../server/src/service/semantic-tokens.js';
import { vmodScope } from '../../server/src/service/vmod-scope.js';

const TEXT = [
  'vcl 4.1;',
  'import std;',
  'import directors;',
  'probe hp { .url = "/"; }',
  'backend app { .host = "h"; .probe = hp; }',
  'acl local { "127.0.0.1"; }',
  'sub vcl_init {',
  '    new rr = directors.round_robin();',
  '    rr.add_backend(app);',
  '}',
  'sub vcl_recv {',
  '    if (client.ip ~ local) { return (synth(403)); }',
  '    set req.url = regsub(std.tolower(req.url), "x", "");',
  '    set req.http.n = std.integer(s = "1", fallback = 0);',
  '    set req.backend_hint = rr.backend();',
  '}',
  '',
].join('\n');

describe('VCL semantic tokens (service)', () => {
  const program = programModel(TEXT, {});
  const tokens = semanticTokens(program.model, program.selfId, vmodScope(program.model, vmodResolverFor([])));

  it('names what each name is', () => {
    const got = tokens.map((t) => `${TEXT.slice(t.start, t.end)}:${t.type}${t.modifiers.length ? `:${t.modifiers.join('+')}` : ''}`);
    assert.deepEqual(got, [
      'std:namespace:declaration',
      'directors:namespace:declaration',
      'hp:interface:declaration',
      'url:property',
      'app:class:declaration',
      'host:property',
      'probe:property',
      'hp:interface',
      'local:enum:declaration',
      'vcl_init:function:declaration',
      'rr:struct:declaration',
      'directors:namespace',
      'round_robin:struct',
      'rr:struct',
      'add_backend:method',
      'app:class',
      'vcl_recv:function:declaration',
      'client.ip:variable:readonly+defaultLibrary',
      'local:enum',
      'req.url:variable:defaultLibrary',
      'regsub:function:defaultLibrary',
      'std:namespace',
      'tolower:function',
      'req.url:variable:defaultLibrary',
      'req.http.n:variable:defaultLibrary',
      'std:namespace',
      'integer:function',
      's:parameter',
      'fallback:parameter',
      'req.backend_hint:variable:defaultLibrary',
      'rr:struct',
      'backend:method',
    ]);
  });

  it('encodes positions relative to the previous token, types and modifiers as the legend says', () => {
    const data = encodeSemanticTokens(TEXT, tokens);
    assert.equal(data.length, tokens.length * 5);
    // Decode again and compare with the offsets.
    let line = 0;
    let char = 0;
    const lines = TEXT.split('\n');
    for (let i = 0; i < tokens.length; i++) {
      const [dl, dc, len, type, mods] = data.slice(i * 5, i * 5 + 5) as [number, number, number, number, number];
      line += dl;
      char = dl === 0 ? char + dc : dc;
      const t = tokens[i]!;
      assert.equal(lines[line]!.slice(char, char + len), TEXT.slice(t.start, t.end));
      assert.equal(TOKEN_TYPES[type], t.type);
      assert.deepEqual(TOKEN_MODIFIERS.filter((_, bit) => mods & (1 << bit)), [...t.modifiers].sort((a, b) => TOKEN_MODIFIERS.indexOf(a) - TOKEN_MODIFIERS.indexOf(b)));
    }
  });

  it('keeps only the tokens of a range', () => {
    const start = TEXT.indexOf('sub vcl_recv');
    const data = encodeSemanticTokens(TEXT, tokens, { start, end: TEXT.length });
    assert.equal(data.length / 5, tokens.filter((t) => t.start >= start).length);
    assert.equal(data[0], 10); // first token on line 10, relative to line 0
  });
});
