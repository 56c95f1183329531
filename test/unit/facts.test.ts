import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  allReturnActions,
  allSubroutines,
  allVariables,
  builtinSubroutine,
  compoundAssignOperandType,
  isBuiltinSubName,
  isReturnAction,
  lookupVariable,
  variableTypeSupportsCompoundAssign,
  type CompoundAssignOp,
} from '../../server/src/facts/index.js';
import { skipBecause } from '../helpers/skip.js';

// out/test/unit/facts.test.js -> project root
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('facts: variables', () => {
  // [name looked up, canonical name, type, sub, readable, writable, unsettable]
  const access: [string, string, string, string, boolean, boolean, boolean][] = [
    ['req.url', 'req.url', 'STRING', 'vcl_recv', true, true, false],
    ['req.url', 'req.url', 'STRING', 'vcl_synth', true, true, false],
    ['req.url', 'req.url', 'STRING', 'vcl_backend_fetch', false, false, false],
    ['req.url', 'req.url', 'STRING', 'vcl_init', false, false, false],
    ['beresp.ttl', 'beresp.ttl', 'DURATION', 'vcl_backend_response', true, true, false],
    ['beresp.ttl', 'beresp.ttl', 'DURATION', 'vcl_backend_error', true, true, false],
    ['beresp.ttl', 'beresp.ttl', 'DURATION', 'vcl_recv', false, false, false],
    ['req.http.X-Foo', 'req.http.', 'HEADER', 'vcl_recv', true, true, true],
    ['req.http.x-foo', 'req.http.', 'HEADER', 'vcl_deliver', true, true, true],
    ['req.http."a.b"', 'req.http.', 'HEADER', 'vcl_recv', true, true, true],
    ['bereq.http.Host', 'bereq.http.', 'HEADER', 'vcl_pipe', true, true, true],
    ['beresp.http.Cache-Control', 'beresp.http.', 'HEADER', 'vcl_backend_response', true, true, true],
    ['obj.http.Etag', 'obj.http.', 'HEADER', 'vcl_hit', true, false, false],
    ['obj.http.Etag', 'obj.http.', 'HEADER', 'vcl_deliver', false, false, false],
    ['resp.http.Age', 'resp.http.', 'HEADER', 'vcl_synth', true, true, true],
    ['req_top.http.Host', 'req_top.http.', 'HEADER', 'vcl_recv', true, false, false],
    ['bereq.backend', 'bereq.backend', 'BACKEND', 'vcl_pipe', true, true, false],
    ['bereq.url', 'bereq.url', 'STRING', 'vcl_pass', false, false, false],
    ['bereq.body', 'bereq.body', 'BODY', 'vcl_backend_fetch', false, false, true],
    ['resp.body', 'resp.body', 'BODY', 'vcl_synth', false, true, false],
    ['beresp.body', 'beresp.body', 'BODY', 'vcl_backend_error', false, true, false],
    ['server.hostname', 'server.hostname', 'STRING', 'vcl_init', true, false, false],
    ['now', 'now', 'TIME', 'vcl_fini', true, false, false],
    ['client.ip', 'client.ip', 'IP', 'vcl_init', false, false, false],
    ['client.identity', 'client.identity', 'STRING', 'vcl_backend_fetch', true, false, false],
    ['req.hash', 'req.hash', 'BLOB', 'vcl_recv', false, false, false],
    ['req.hash', 'req.hash', 'BLOB', 'vcl_hit', true, false, false],
    ['storage.s0.free_space', 'storage.<name>.free_space', 'BYTES', 'vcl_recv', true, false, false],
    ['storage.Transient.happy', 'storage.<name>.happy', 'BOOL', 'vcl_backend_response', true, false, false],
    // varnishd 7.1.1 accepts these in vcl_init although the rst says "client, backend"
    ['storage.s0.happy', 'storage.<name>.happy', 'BOOL', 'vcl_init', true, false, false],
    ['Req.URL', 'req.url', 'STRING', 'vcl_recv', true, true, false],
  ];
  for (const [name, canonical, type, sub, r, w, u] of access) {
    it(`${name} in ${sub}: ${type} r=${r} w=${w} u=${u}`, () => {
      const v = lookupVariable(name);
      assert.ok(v, `${name} not found`);
      assert.equal(v.name, canonical);
      assert.equal(v.type, type);
      assert.equal(v.readable.includes(sub), r, 'readable');
      assert.equal(v.writable.includes(sub), w, 'writable');
      assert.equal(v.unsettable.includes(sub), u, 'unsettable');
    });
  }

  const unknown = ['req.request', 'req.http', 'req.http.', 'req.http.a.b', 'beresp.ttl-1s', 'foo', 'storage.s0', 'req.esi'];
  for (const name of unknown) {
    it(`${name} is not a VCL 4.1 variable`, () => assert.equal(lookupVariable(name), undefined));
  }

  it('VCL 4.0 and 4.1 variants differ where varnishd says so', () => {
    assert.deepEqual(lookupVariable('req.proto', '4.1')?.writable, []);
    assert.ok(lookupVariable('req.proto', '4.0')?.writable.includes('vcl_recv'));
    assert.ok(lookupVariable('req.esi', '4.0'));
    assert.equal(lookupVariable('resp.do_esi', '4.0'), undefined);
    assert.ok(lookupVariable('resp.do_esi', '4.1'));
    assert.equal(lookupVariable('beresp.storage_hint', '4.0')?.deprecated, true);
  });

  it('is sorted by name, with header families as prefixes', () => {
    const names = allVariables.map((v) => v.name);
    assert.deepEqual(names, [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const families = allVariables.filter((v) => v.family).map((v) => v.name);
    assert.deepEqual(families, ['bereq.http.', 'beresp.http.', 'obj.http.', 'req.http.', 'req_top.http.', 'resp.http.']);
  });

  it('only names built-in subs in access lists', () => {
    for (const v of allVariables) {
      for (const sub of [...v.readable, ...v.writable, ...v.unsettable]) {
        assert.ok(isBuiltinSubName(sub), `${v.name}: ${sub}`);
      }
    }
  });
});

describe('facts: subroutines and return actions', () => {
  const returns: [string, string, string[]][] = [
    ['vcl_recv', 'client', ['fail', 'hash', 'pass', 'pipe', 'purge', 'restart', 'synth', 'vcl']],
    ['vcl_hash', 'client', ['fail', 'lookup']],
    ['vcl_synth', 'client', ['deliver', 'fail', 'restart']],
    ['vcl_backend_fetch', 'backend', ['abandon', 'error', 'fail', 'fetch']],
    ['vcl_backend_response', 'backend', ['abandon', 'deliver', 'error', 'fail', 'pass', 'retry']],
    ['vcl_init', 'housekeeping', ['fail', 'ok']],
    ['vcl_fini', 'housekeeping', ['ok']],
  ];
  for (const [name, side, actions] of returns) {
    it(`${name} (${side}) returns ${actions.join(', ')}`, () => {
      const sub = builtinSubroutine(name);
      assert.ok(sub);
      assert.equal(sub.side, side);
      assert.deepEqual(sub.returns, actions);
    });
  }

  it('has the 14 built-in subs', () => {
    assert.deepEqual(
      allSubroutines.map((s) => s.name),
      ['vcl_recv', 'vcl_pipe', 'vcl_pass', 'vcl_hash', 'vcl_purge', 'vcl_miss', 'vcl_hit', 'vcl_deliver', 'vcl_synth',
        'vcl_backend_fetch', 'vcl_backend_response', 'vcl_backend_error', 'vcl_init', 'vcl_fini'],
    );
  });

  const subNames: [string, boolean][] = [['vcl_recv', true], ['VCL_RECV', true], ['vcl_fini', true], ['vcl_foo', false], ['recv', false], ['my_sub', false]];
  for (const [name, expected] of subNames) {
    it(`isBuiltinSubName(${name}) is ${expected}`, () => assert.equal(isBuiltinSubName(name), expected));
  }

  const actions: [string, boolean][] = [
    ['hash', true], ['lookup', true], ['ok', true], ['vcl', true], ['abandon', true], ['error', true],
    ['foobar', false], ['FETCH', false], ['synth(200)', false], ['', false],
  ];
  for (const [name, expected] of actions) {
    it(`isReturnAction(${JSON.stringify(name)}) is ${expected}`, () => assert.equal(isReturnAction(name), expected));
  }

  it('return actions are the union of every sub’s returns', () => {
    assert.deepEqual(allReturnActions, [...new Set(allSubroutines.flatMap((s) => s.returns))].sort());
    assert.equal(allReturnActions.length, 15);
  });
});

describe('facts: compound assignment (checked against varnishd 7.1.1)', () => {
  const ops: CompoundAssignOp[] = ['+=', '-=', '*=', '/='];
  // type -> allowed ops, in the order of `ops`
  const table: [string, boolean[]][] = [
    ['STRING', [true, false, false, false]],
    ['HEADER', [true, false, false, false]],
    ['BODY', [true, false, false, false]],
    ['INT', [true, true, true, true]],
    ['DURATION', [true, true, true, true]],
    ['BOOL', [false, false, false, false]],
    ['BACKEND', [false, false, false, false]],
    ['STEVEDORE', [false, false, false, false]],
  ];
  for (const [type, allowed] of table) {
    it(`${type}: ${ops.filter((_, i) => allowed[i]).join(' ') || 'none'}`, () => {
      ops.forEach((op, i) => assert.equal(variableTypeSupportsCompoundAssign(type, op), allowed[i], op));
    });
  }

  it('DURATION scales by REAL and adds DURATION', () => {
    assert.equal(compoundAssignOperandType('DURATION', '+='), 'DURATION');
    assert.equal(compoundAssignOperandType('DURATION', '*='), 'REAL');
    assert.equal(compoundAssignOperandType('INT', '/='), 'INT');
    assert.equal(compoundAssignOperandType('STRING', '-='), undefined);
  });
});

describe('facts: regeneration', () => {
  it('scripts/gen-facts.mjs reproduces the committed JSON byte for byte', function () {
    const refDir = process.env.VARNISH_REF_DIR || path.resolve(projectRoot, '..', 'shared', 'varnish-7.1');
    if (!existsSync(path.join(refDir, 'vcl_var.rst'))) skipBecause(this, 'reference texts not found (set VARNISH_REF_DIR)');
    const outDir = mkdtempSync(path.join(tmpdir(), 'vcl-facts-'));
    try {
      const run = spawnSync(process.execPath, [path.join(projectRoot, 'scripts', 'gen-facts.mjs'), '--ref-dir', refDir, '--out-dir', outDir], {
        encoding: 'utf8',
      });
      assert.equal(run.status, 0, run.stderr);
      for (const file of ['variables.json', 'subroutines.json', 'return-actions.json']) {
        const committed = readFileSync(path.join(projectRoot, 'server', 'src', 'facts', file), 'utf8');
        const fresh = readFileSync(path.join(outDir, file), 'utf8');
        assert.ok(fresh === committed, `${file} differs from a fresh run: run \`npm run gen:facts\``);
      }
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
