/** Completion in VCL, from the service: one case per cursor of test/fixtures/editor/completion.vcl. */
import assert from 'node:assert/strict';
import { vmodResolverFor } from '../../server/src/service/lint.js';
import { programModel } from '../helpers/program-model.js';
import { vclCompletions, type VclCompletion } from '../../server/src/service/vcl-completion.js';
import { vmodScope } from '../../server/src/service/vmod-scope.js';
import { headerNamesIn } from '../../server/src/service/header-names.js';
import { readMarked } from '../helpers/cursors.js';

interface Case {
  cursor: string;
  /** Inserted texts that must be offered. */
  has?: string[];
  /** Inserted texts that must not be offered. */
  not?: string[];
  /** When set: exactly these, in any order. */
  exactly?: string[];
  trigger?: string;
}

const CASES: Case[] = [
  { cursor: 'top', has: ['backend', 'probe', 'acl', 'sub', 'sub vcl_deliver', 'sub vcl_backend_fetch'], not: ['sub vcl_recv', 'sub vcl_init', 'set', 'req.url', 'vcl 4.1'] },
  { cursor: 'top', trigger: ' ', exactly: [] },
  { cursor: 'backend-field', has: ['host', 'port', 'probe', 'connect_timeout', 'first_byte_timeout'], not: ['url', 'interval', 'window'] },
  { cursor: 'inline-probe-field', has: ['url', 'interval', 'window', 'threshold', 'expected_response'], not: ['host', 'port'] },
  { cursor: 'probe-ref', exactly: ['healthcheck'] },
  { cursor: 'new-member', has: ['directors.round_robin', 'directors.fallback', 'directors.shard', 'directors.hash'], not: ['directors.lookup'] },
  { cursor: 'object-member', exactly: ['rr.add_backend', 'rr.backend', 'rr.remove_backend'] },
  { cursor: 'set-custom', has: ['req.url', 'req.http.'], not: ['beresp.ttl', 'resp.status', 'client.ip'] },
  { cursor: 'call', exactly: ['normalize'] },
  { cursor: 'call', trigger: ' ', exactly: ['normalize'] },
  { cursor: 'set-recv', has: ['req.url', 'req.http.', 'req.backend_hint', 'req.ttl'], not: ['beresp.ttl', 'resp.status', 'client.ip', 'now', 'req.xid', 'bereq.url'] },
  { cursor: 'std-member', has: ['std.tolower', 'std.log', 'std.integer', 'std.querysort'], not: ['std.round_robin', 'directors.round_robin', 'req.url'] },
  { cursor: 'vmod-arg', has: ['s = ', 'req.url', 'std', 'regsub'], not: ['app', 'fallback = '] },
  { cursor: 'builtin-arg', has: ['req.url', 'std'], not: ['str = ', 's = '] },
  { cursor: 'unset-recv', has: ['req.http.'], not: ['req.url', 'beresp.http.', 'resp.http.'] },
  { cursor: 'backend-hint', exactly: ['app', 'other', 'rr.backend()', 'sh.backend()'] },
  { cursor: 'backend-arg', exactly: ['app', 'other', 'rr.backend()', 'sh.backend()'] },
  { cursor: 'enum-arg', exactly: ['HASH', 'URL', 'KEY', 'BLOB'] },
  { cursor: 'acl', exactly: ['purgers'] },
  { cursor: 'return-recv', exactly: ['fail', 'hash', 'pass', 'pipe', 'purge', 'restart', 'synth', 'vcl'] },
  { cursor: 'header', has: ['req.http.X-Normalized', 'req.http.Cookie', 'req.http.Cache-Control', 'req.http.X-Note'], not: ['req.url'] },
  { cursor: 'statement-recv', has: ['set', 'unset', 'call', 'ban', 'std', 'rr', 'sh', 'directors'], not: ['new', 'hash_data', 'synthetic', 'regsub', 'req.url'] },
  { cursor: 'statement-recv', trigger: ' ', exactly: [] },
  { cursor: 'set-beresp', has: ['beresp.ttl', 'beresp.http.', 'bereq.http.', 'beresp.uncacheable'], not: ['req.url', 'resp.status', 'req.http.'] },
  { cursor: 'beresp-header', has: ['beresp.http.Cache-Control', 'beresp.http.X-Normalized'], not: ['beresp.ttl'] },
  { cursor: 'return-beresp', exactly: ['abandon', 'deliver', 'error', 'fail', 'pass', 'retry'] },
  { cursor: 'comment', exactly: [] },
  { cursor: 'string', exactly: [] },
];

describe('VCL completion (service)', () => {
  const { text, at, names } = readMarked('editor/completion.vcl');
  const program = programModel(text, {});
  const scope = vmodScope(program.model, vmodResolverFor([]));
  const headers = () => headerNamesIn([{ path: 'completion.vcl', text }]);
  const complete = (offset: number, trigger?: string): VclCompletion[] => vclCompletions(text, offset, { model: program.model, scope, headerNames: headers, trigger });

  for (const c of CASES) {
    it(`${c.cursor}${c.trigger ? ` (after a typed '${c.trigger}')` : ''}`, () => {
      const items = complete(at(c.cursor), c.trigger);
      const offered = items.map((i) => (i.snippet ? i.label : i.insertText));
      if (c.exactly) assert.deepEqual([...offered].sort(), [...c.exactly].sort());
      for (const x of c.has ?? []) assert.ok(offered.includes(x), `${x} missing from ${offered.join(', ')}`);
      for (const x of c.not ?? []) assert.ok(!offered.includes(x), `${x} offered`);
    });
  }

  it('every cursor of the fixture has a case', () => {
    assert.deepEqual(names.filter((n) => !CASES.some((c) => c.cursor === n)), []);
  });

  it('offers what is valid somewhere in a sub that nothing calls yet', () => {
    const t = 'vcl 4.1;\nsub helper {\n    return (';
    const p = programModel(t, {});
    const env = { model: p.model, scope: vmodScope(p.model, vmodResolverFor([])) };
    const actions = vclCompletions(t, t.length, env).map((i) => i.label);
    for (const a of ['hash', 'deliver', 'lookup', 'retry', 'ok']) assert.ok(actions.includes(a), a);
    const set = 'vcl 4.1;\nsub helper {\n    set ';
    const vars = vclCompletions(set, set.length, { ...env, model: programModel(set, {}).model }).map((i) => i.label);
    for (const v of ['req.url', 'beresp.ttl', 'resp.status']) assert.ok(vars.includes(v), v);
    assert.ok(!vars.includes('client.ip'));
  });

  it('offers what the selected release has: variables, subs, return actions and vmods', () => {
    const offered = (t: string, release: '7.1' | '7.7' | '9.0') => {
      const p = programModel(t, { varnishVersion: release });
      const env = { model: p.model, scope: vmodScope(p.model, vmodResolverFor([], undefined, release)) };
      return vclCompletions(t, t.length, env).map((i) => (i.snippet ? i.label : i.insertText ?? i.label));
    };
    const set = 'vcl 4.1;\nsub vcl_recv {\n    set ';
    assert.ok(!offered(set, '7.1').includes('req.filters'));
    assert.ok(offered(set, '7.7').includes('req.filters'));
    assert.ok(offered(set, '9.0').includes('req.max_age'));
    const top = 'vcl 4.1;\n';
    assert.ok(!offered(top, '7.7').includes('sub vcl_backend_refresh'));
    assert.ok(offered(top, '9.0').includes('sub vcl_backend_refresh'));
    const refresh = 'vcl 4.1;\nsub vcl_backend_refresh {\n    return (';
    assert.ok(offered(refresh, '9.0').includes('merge'));
    const imp = 'vcl 4.1;\nimport ';
    assert.ok(!offered(imp, '7.1').includes('h2'));
    assert.ok(offered(imp, '7.7').includes('h2'));
    assert.ok(offered(imp, '9.0').includes('math'));
  });

  it('replaces the word typed so far, dots included', () => {
    const offset = at('std-member');
    const item = complete(offset).find((i) => i.insertText === 'std.log')!;
    assert.equal(text.slice(item.start, item.end), 'std.');
  });

  it('offers a header family so that header names follow', () => {
    const item = complete(at('set-recv')).find((i) => i.insertText === 'req.http.')!;
    assert.equal(item.retrigger, true);
  });

  it('never throws, wherever the cursor is', () => {
    for (let offset = 0; offset <= text.length; offset++) complete(offset);
    const broken = 'sub vcl_recv {\n    set req.http.X = std.integer("1", ;\n    if (( {\n';
    const p = programModel(broken, {});
    for (let offset = 0; offset <= broken.length; offset++) vclCompletions(broken, offset, { model: p.model, scope: vmodScope(p.model, vmodResolverFor([])) });
  });
});
