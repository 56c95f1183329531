/**
 * Completion, signature help and hover for a vmod that is not in the
 * Varnish 7.1 table: its interface is read from the bytes of a
 * libvmod_<name>.so found along vmod_path (a synthetic file here).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vmodResolverFor } from '../../server/src/service/lint.js';
import { programModel } from '../helpers/program-model.js';
import { vclCompletions } from '../../server/src/service/vcl-completion.js';
import { vclSignatureHelp } from '../../server/src/service/vcl-signature-help.js';
import { vmodHover } from '../../server/src/service/vcl-vmod-hover.js';
import { vmodScope } from '../../server/src/service/vmod-scope.js';
import { fakeVmod } from '../helpers/fake-vmod.js';
import { withCursors } from '../helpers/cursors.js';

const GREET = [
  ['$VMOD', '1.0', 'greet', 'Vmod_vmod_greet_Func', 'Varnish 7.1.1 7cee1c581bead20e88d101ab3d72afb29f14d87a'],
  ['$FUNC', 'hello', [['STRING'], 'Vmod_vmod_greet_Func.hello', '', ['STRING', 'who'], ['ENUM', 'tone', 'WARM', ['WARM', 'COOL']]]],
  ['$OBJ', 'counter', {}, 'struct vmod_greet_counter',
    ['$INIT', [['VOID'], 'Vmod_vmod_greet_Func.counter__init', '', ['INT', 'start', '0']]],
    ['$FINI', [['VOID'], 'Vmod_vmod_greet_Func.counter__fini', '']],
    ['$METHOD', 'next', [['INT'], 'Vmod_vmod_greet_Func.counter_next', '']]],
];

const VCL = `vcl 4.1;
import greet;
backend app { .host = "127.0.0.1"; }
sub vcl_init {
    new c = greet.⟨constructor⟩counter(start = 1);
}
sub vcl_recv {
    set req.http.X-Hello = greet.⟨member⟩hello("you", ⟨enum⟩COOL);
    set req.http.X-N = c.⟨method⟩next();
}
`;

describe('a vmod read from its bytes along vmod_path', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vcl-vmods-'));
    writeFileSync(join(dir, 'libvmod_greet.so'), fakeVmod(GREET));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const setup = () => {
    const { text, at } = withCursors(VCL);
    const program = programModel(text, { vmodPath: [dir] });
    return { text, at, program, scope: vmodScope(program.model, vmodResolverFor([dir])) };
  };

  it('completes its functions, objects and methods', () => {
    const { text, at, program, scope } = setup();
    const offered = (cursor: string) => vclCompletions(text, at(cursor), { model: program.model, scope }).map((c) => c.insertText).sort();
    assert.deepEqual(offered('member'), ['greet.hello']);
    assert.deepEqual(offered('constructor'), ['greet.counter']);
    assert.deepEqual(offered('method'), ['c.next']);
    assert.deepEqual(offered('enum'), ['COOL', 'WARM']);
  });

  it('gives the signature of a function and hover on it', () => {
    const { text, at, program, scope } = setup();
    const sig = vclSignatureHelp(text, at('enum'), scope)!;
    assert.equal(sig.label, 'greet.hello(STRING who, ENUM {WARM, COOL} tone = WARM) → STRING');
    assert.equal(sig.label.slice(...sig.parameters[sig.activeParameter]!.label), 'ENUM {WARM, COOL} tone = WARM');
    const hover = vmodHover(program.model, program.selfId, scope, at('member'))!;
    assert.match(hover.contents, /STRING greet\.hello\(STRING who, ENUM \{WARM, COOL\} tone = WARM\)/);
    const ctor = vmodHover(program.model, program.selfId, scope, at('constructor'))!;
    assert.match(ctor.contents, /greet\.counter\(INT start = 0\)/);
  });

  it('knows nothing of it without the vmod_path', () => {
    const { text, at } = withCursors(VCL);
    const program = programModel(text, {});
    const scope = vmodScope(program.model, vmodResolverFor([]));
    assert.deepEqual(vclCompletions(text, at('member'), { model: program.model, scope }), []);
  });
});
