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
  subroutinesOfAllReleases,
  variablesOfAllReleases,
  variableTypeSupportsCompoundAssign,
  vclFacts,
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

describe('facts: one view per release', () => {
  // [release, name, type in that release or undefined when it does not exist there]
  // Each row is a change Varnish's manuals of 6.5, 7.1, 7.7 and 9.0 show,
  // placed in the release its change log names.
  const types: [string, string, string | undefined][] = [
    ['7.1', 'req.filters', undefined],
    ['7.7', 'req.filters', 'STRING'],
    ['7.2', 'req.xid', 'STRING'],
    ['7.3', 'req.xid', 'INT'],
    ['9.0', 'req.xid', 'INT'],
    ['6.5', 'req.hash_ignore_vary', undefined],
    ['7.0', 'req.hash_ignore_vary', 'BOOL'],
    ['7.2', 'beresp.transit_buffer', undefined],
    ['7.3', 'beresp.transit_buffer', 'BYTES'],
    ['7.7', 'param.max_retries', undefined],
    ['8.0', 'param.max_retries', 'INT'],
    ['8.0', 'obj_stale.ttl', 'DURATION'],
    ['7.7', 'req.max_age', undefined],
    ['9.0', 'req.max_age', 'DURATION'],
    ['9.0', 'bereq.retry_connect', 'BOOL'],
  ];
  for (const [release, name, type] of types) {
    it(`${release}: ${name} is ${type ?? 'unknown'}`, () => assert.equal(vclFacts(release).lookupVariable(name)?.type, type));
  }

  it('beresp.storage_hint is gone in 9.0, even under vcl 4.0', () => {
    assert.ok(vclFacts('7.7').lookupVariable('beresp.storage_hint', '4.0'));
    assert.equal(vclFacts('9.0').lookupVariable('beresp.storage_hint', '4.0'), undefined);
  });

  it('access changes land in their release: unset timeouts from 7.5, protected headers from 7.4', () => {
    assert.deepEqual(vclFacts('7.4').lookupVariable('bereq.first_byte_timeout')?.unsettable, []);
    assert.ok(vclFacts('7.5').lookupVariable('bereq.first_byte_timeout')?.unsettable.includes('vcl_backend_fetch'));
    assert.ok(vclFacts('7.3').lookupVariable('req.http.content-length')?.unsettable.includes('vcl_recv'));
    assert.deepEqual(vclFacts('7.4').lookupVariable('req.http.content-length')?.unsettable, []);
    assert.equal(vclFacts('7.4').lookupVariable('req.http.content-length')?.name, 'req.http.content-length');
  });

  it('vcl_backend_refresh and its actions exist from 8.0', () => {
    assert.equal(vclFacts('7.7').builtinSubroutine('vcl_backend_refresh'), undefined);
    assert.equal(vclFacts('7.7').isReturnAction('merge'), false);
    const refresh = vclFacts('8.0').builtinSubroutine('vcl_backend_refresh');
    assert.ok(refresh?.returns.includes('merge') && refresh.returns.includes('obj_stale'));
    assert.ok(vclFacts('9.0').isReturnAction('merge'));
    assert.ok(vclFacts('9.0').lookupVariable('beresp.ttl')?.readable.includes('vcl_backend_refresh'));
    assert.ok(!vclFacts('7.7').lookupVariable('beresp.ttl')?.readable.includes('vcl_backend_refresh'));
  });

  it('the default view is 7.1 and holds exactly one form of each name per VCL version', () => {
    assert.equal(vclFacts().release, '7.1');
    for (const release of ['6.0', '6.5', '7.1', '7.3', '7.7', '8.0', '9.0']) {
      const seen = new Set<string>();
      for (const v of vclFacts(release).variables) {
        const key = `${v.name}|${v.minVcl ?? ''}|${v.maxVcl ?? ''}`;
        assert.ok(!seen.has(key), `${release}: ${key} twice`);
        seen.add(key);
      }
    }
  });

  it('every entry is in at least one release, and every access list names subs of its releases', () => {
    for (const v of variablesOfAllReleases) {
      const releases = ['6.0', '6.5', '6.6', '7.0', '7.1', '7.2', '7.3', '7.4', '7.5', '7.6', '7.7', '8.0', '9.0'].filter((r) => vclFacts(r).variables.includes(v));
      assert.ok(releases.length > 0, `${v.name} holds nowhere`);
      for (const r of releases) {
        for (const sub of [...v.readable, ...v.writable, ...v.unsettable]) assert.ok(vclFacts(r).builtinSubroutine(sub), `${r}: ${v.name} names ${sub}`);
      }
    }
    assert.ok(subroutinesOfAllReleases.length > allSubroutines.length);
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
  it('scripts/gen-builtin-vcl.ts reproduces builtin-vcl.json byte for byte', function () {
    const versionsDir = process.env.VARNISH_VERSIONS_DIR || path.resolve(projectRoot, '..', 'shared', 'varnish-versions');
    if (!existsSync(path.join(versionsDir, '9.0-builtin.vcl'))) skipBecause(this, 'per-release builtin.vcl texts not found (set VARNISH_VERSIONS_DIR)');
    const outDir = mkdtempSync(path.join(tmpdir(), 'vcl-builtin-'));
    try {
      const out = path.join(outDir, 'builtin-vcl.json');
      const run = spawnSync(process.execPath, [path.join(projectRoot, 'out', 'scripts', 'gen-builtin-vcl.js'), out], { encoding: 'utf8', env: { ...process.env, VARNISH_VERSIONS_DIR: versionsDir } });
      assert.equal(run.status, 0, run.stderr);
      const committed = readFileSync(path.join(projectRoot, 'server', 'src', 'facts', 'builtin-vcl.json'), 'utf8');
      assert.ok(readFileSync(out, 'utf8') === committed, 'builtin-vcl.json differs from a fresh run: run `npm run gen:builtin-vcl`');
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });

  it('scripts/gen-facts.mjs reproduces the committed JSON byte for byte', function () {
    const refDir = process.env.VARNISH_REF_DIR || path.resolve(projectRoot, '..', 'shared', 'varnish-7.1');
    const versionsDir = process.env.VARNISH_VERSIONS_DIR || path.resolve(projectRoot, '..', 'shared', 'varnish-versions');
    if (!existsSync(path.join(refDir, 'vcl_var.rst'))) skipBecause(this, 'reference texts not found (set VARNISH_REF_DIR)');
    if (!existsSync(path.join(versionsDir, '9.0-vcl-var.txt'))) skipBecause(this, 'per-release manuals not found (set VARNISH_VERSIONS_DIR)');
    const outDir = mkdtempSync(path.join(tmpdir(), 'vcl-facts-'));
    try {
      const run = spawnSync(process.execPath, [path.join(projectRoot, 'scripts', 'gen-facts.mjs'), '--ref-dir', refDir, '--versions-dir', versionsDir, '--out-dir', outDir], {
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
