/**
 * backend-probe-missing: when it reports, how loudly, and that each of its
 * fixes leaves a VCL without the finding that varnishd compiles.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintText } from '../../server/src/service/lint.js';
import { compileWithVarnishd, findVarnishd } from '../helpers/varnishd.js';
import { applyEdits } from '../helpers/apply-edits.js';
import { skipBecause } from '../helpers/skip.js';

const DIRECTOR = `vcl 4.1;
import directors;

backend web1 {
    .host = "127.0.0.1";
    .port = "8080";
}

backend web2 { .host = "127.0.0.1"; .port = "8081"; }

sub vcl_init {
    new pool = directors.round_robin();
    pool.add_backend(web1);
    pool.add_backend(web2);
}

sub vcl_recv {
    set req.backend_hint = pool.backend();
}
`;
const SINGLE = 'vcl 4.1;\nbackend app {\n    .host = "127.0.0.1";\n    .port = "8080";\n}\n';
const WITH_PROBE = 'vcl 4.1;\nprobe p { .url = "/"; }\nbackend app {\n    .host = "127.0.0.1";\n    .probe = p;\n}\n';
const DEFAULT_PROBE = 'vcl 4.1;\nprobe default { .url = "/"; }\nbackend app {\n    .host = "127.0.0.1";\n}\n';
const NONE = 'vcl 4.1;\nbackend app none;\n';
const MAGENTO = 'vcl 4.1;\nbackend app {\n    .host = "127.0.0.1";\n}\nsub vcl_backend_response {\n    set beresp.http.X-Magento-Tags = "x";\n}\n';

const TWO = 'vcl 4.1;\nbackend a { .host = "127.0.0.1"; }\nbackend b { .host = "127.0.0.2"; }\nsub vcl_recv {\n    if (req.url ~ "^/b") { set req.backend_hint = b; } else { set req.backend_hint = a; }\n}\n';
const MANY = 'vcl 4.1;\n' + Array.from({ length: 46 }, (_, i) => `backend b${i} { .host = "127.0.0.1"; .port = "${8000 + i}"; }\n`).join('');

const found = (text: string) => lintText(text).filter((d) => d.rule === 'backend-probe-missing');

const apply = applyEdits;

describe('backend-probe-missing', () => {
  const cases: Array<[string, string, string[]]> = [
    ['backends in a director: one finding, on the first', DIRECTOR, ['warning@3']],
    ['a single backend: a hint', SINGLE, ['hint@1']],
    ['two backends and no director: information', TWO, ['info@1']],
    ['46 backends: one finding', MANY, ['info@1']],
    ['a backend with a probe', WITH_PROBE, []],
    ['a probe named default', DEFAULT_PROBE, []],
    ['backend none', NONE, []],
  ];
  for (const [name, text, expected] of cases) {
    it(`${name}: ${expected.join(', ') || 'nothing'}`, () => {
      assert.deepEqual(found(text).map((d) => `${d.severity}@${d.range.start.line}`), expected);
    });
  }

  it('names the backends once, the others as related information, and promises failover only with a director', () => {
    const [director] = found(DIRECTOR);
    assert.equal(director!.message, "Backends 'web1' and 'web2' have no health probe: they are in a director, which routes around a dead backend only when a probe marks it sick. Add a .probe.");
    assert.deepEqual(director!.related?.map((r) => `${r.range.start.line}:${r.range.start.character} ${r.message}`), ["8:8 Backend 'web2' has no .probe (it is in a director)"]);
    const [single] = found(SINGLE);
    assert.doesNotMatch(single!.message, /director|fail ?over|route/);
    assert.equal(single!.related, undefined);
    const [two] = found(TWO);
    assert.doesNotMatch(two!.message, /director|fail ?over|route/);
    const [many] = found(MANY);
    assert.match(many!.message, /^Backends 'b0', 'b1', 'b2' and 43 more have no health probe/);
    assert.equal(many!.related?.length, 45);
  });

  it('offers inline, shared and existing-probe fixes, and Magento values on Magento VCL', () => {
    assert.deepEqual(found(DIRECTOR)[0]!.fixes!.map((f) => f.title), ["Add a health probe to backend 'web1'", "Create probe 'health' and use it for all 2 backends without one"]);
    const magento = apply(MAGENTO, found(MAGENTO)[0]!.fixes![0]!.edits);
    assert.match(magento, /\.url = "\/pub\/health_check\.php";/);
  });

  it('offers only probes declared before the backend (VCC resolves names in order)', () => {
    const later = 'vcl 4.1;\nprobe early { .url = "/"; }\nbackend app { .host = "127.0.0.1"; }\nprobe late { .url = "/"; }\n';
    const titles = found(later)[0]!.fixes!.map((f) => f.title);
    assert.ok(titles.includes("Use the probe 'early' for backend 'app'"), titles.join(', '));
    assert.ok(!titles.some((t) => t.includes("'late'")), titles.join(', '));
  });

  it('every fix removes the finding, and varnishd compiles the result (live)', function () {
    this.timeout(120_000);
    const varnishd = findVarnishd();
    const dir = mkdtempSync(join(tmpdir(), 'vcl-probe-fix-'));
    chmodSync(dir, 0o755);
    const problems: string[] = [];
    let n = 0;
    try {
      for (const text of [DIRECTOR, SINGLE, MAGENTO, TWO]) {
        for (const d of found(text)) {
          for (const fix of d.fixes ?? []) {
            const fixed = apply(text, fix.edits);
            const left = found(fixed).filter((x) => x.range.start.line === d.range.start.line && x.message === d.message);
            if (left.length) problems.push(`${fix.title}: finding still there in\n${fixed}`);
            const errors = lintText(fixed).filter((x) => x.severity === 'error');
            if (errors.length) problems.push(`${fix.title}: ${errors[0]!.message}\n${fixed}`);
            if (varnishd) {
              const file = join(dir, `f${n++}.vcl`);
              writeFileSync(file, fixed);
              const v = compileWithVarnishd(varnishd, file);
              if (!v.accepted) problems.push(`${fix.title}: varnishd refuses: ${v.message}\n${fixed}`);
            }
          }
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual(problems, []);
    // The linter's half passed; without varnishd the test is not a pass.
    if (!varnishd) skipBecause(this, 'varnishd not found: the fixed texts were linted, not compiled');
  });
});
