/**
 * Names a VCL or parameter file may hold that every JavaScript object
 * inherits (`constructor`, `toString`, `__proto__`...), in every place a
 * name stands: a sub, backend, probe, ACL, header, return action, function,
 * backend field, variable. Tables indexed with such a name once answered
 * with what the object inherits: `sub constructor {}` got a false error
 * whose message held a JavaScript function's source, and `.toString = "x";`
 * in a backend passed as a known field. Each program is compiled by the
 * installed varnishd: ours has an error exactly when varnishd refuses it,
 * and no message shows JavaScript.
 */
import assert from 'node:assert/strict';
import { lintText } from '../../server/src/service/lint.js';
import { lintParamsText } from '../../server/src/service/lint-params.js';
import { findVarnishd } from '../helpers/varnishd.js';
import { compileAll, type BatchVerdict } from '../helpers/varnishd-batch.js';
import { skipBecause } from '../helpers/skip.js';

const NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__proto__', '__defineGetter__', '__lookupSetter__'];

/** Programs that use `p` in one place each, by what the place is. */
const PLACES: Record<string, (p: string) => string> = {
  'sub and header': (p) => `vcl 4.1;\nbackend default { .host = "127.0.0.1"; }\nsub ${p} { set req.http.${p} = "1"; unset req.http.${p}; }\nsub vcl_recv { call ${p}; if (req.http.${p}) { return (pass); } }\n`,
  'backend, probe and ACL': (p) =>
    `vcl 4.1;\nimport std;\nprobe ${p} { .url = "/"; }\nbackend ${p} { .host = "127.0.0.1"; .probe = ${p}; }\nacl ${p}_acl { "127.0.0.1"; }\nsub vcl_recv { set req.backend_hint = ${p}; if (client.ip ~ ${p}_acl) { return (pass); } }\nsub vcl_backend_response { set beresp.http.${p} = std.tolower(beresp.http.${p}); }\n`,
  'return action': (p) => `vcl 4.1;\nbackend default { .host = "127.0.0.1"; }\nsub vcl_recv { return (${p}); }\n`,
  'return action of a VCL 3 sub': (p) => `vcl 4.1;\nbackend default { .host = "127.0.0.1"; }\nsub vcl_fetch { return (${p}); }\n`,
  function: (p) => `vcl 4.1;\nbackend default { .host = "127.0.0.1"; }\nsub vcl_recv { set req.http.x = ${p}("a"); }\n`,
  'backend field': (p) => `vcl 4.1;\nbackend default { .host = "127.0.0.1"; .${p} = "x"; }\n`,
  'probe field': (p) => `vcl 4.1;\nbackend default { .host = "127.0.0.1"; .probe = { .${p} = "x"; } }\n`,
  variable: (p) => `vcl 4.1;\nbackend default { .host = "127.0.0.1"; }\nsub vcl_recv { set req.http.x = ${p}; }\n`,
  'variable member': (p) => `vcl 4.1;\nbackend default { .host = "127.0.0.1"; }\nsub vcl_recv { set req.${p} = "1"; }\n`,
  'duration unit': (p) => `vcl 4.1;\nbackend default { .host = "127.0.0.1"; }\nsub vcl_backend_response { set beresp.ttl = 1${p}; }\n`,
};

const cases = NAMES.flatMap((name) => Object.entries(PLACES).map(([place, make]) => ({ name, place, text: make(name) })));

/** Words of JavaScript that no message of ours has reason to hold. */
const JAVASCRIPT = /native code|function |\[object |undefined|NaN/;

describe('names every JavaScript object inherits, in VCL and parameter files', function () {
  this.timeout(300_000);

  it('no message shows JavaScript, and nothing throws', () => {
    for (const c of cases) {
      for (const d of lintText(c.text)) assert.doesNotMatch(d.message, JAVASCRIPT, `${c.place} ${c.name}: ${d.message}`);
    }
  });

  it('an error exactly when varnishd refuses the program', async function () {
    const varnishd = findVarnishd();
    if (!varnishd) skipBecause(this, 'varnishd not found: the programs are not compiled');
    const verdicts: BatchVerdict[] = await compileAll(varnishd!, cases.map((c) => ({ text: c.text })));
    const wrong: string[] = [];
    cases.forEach((c, i) => {
      const errors = lintText(c.text).filter((d) => d.severity === 'error');
      const refused = !verdicts[i]!.accepted;
      if (refused !== errors.length > 0) wrong.push(`${c.place} '${c.name}': varnishd ${refused ? `refuses (${verdicts[i]!.message.split('\n').find((l) => l.trim()) ?? ''})` : 'accepts'}, we report ${errors.map((e) => `'${e.message}'`).join(', ') || 'no error'}`);
    });
    assert.deepEqual(wrong, []);
  });

  it('a parameter of such a name is unknown, in -p and in a variable of /etc/default/varnish', () => {
    for (const name of NAMES) {
      const unit = lintParamsText(`[Service]\nExecStart=/usr/sbin/varnishd -a :80 -f /etc/varnish/default.vcl -p ${name}=1\n`, { path: '/etc/systemd/system/varnish.service' });
      assert.deepEqual(
        unit.map((d) => d.rule),
        ['param-unknown'],
        `${name}: ${unit.map((d) => d.message).join('; ')}`,
      );
      const defaults = lintParamsText(`${name}=1\nDAEMON_OPTS="-a :80 -p ${name}=2"\n`, { path: '/etc/default/varnish' });
      assert.deepEqual(
        defaults.map((d) => d.rule),
        ['param-unknown'],
        `${name}: ${defaults.map((d) => d.message).join('; ')}`,
      );
      for (const d of [...unit, ...defaults]) assert.doesNotMatch(d.message, JAVASCRIPT);
    }
  });
});
