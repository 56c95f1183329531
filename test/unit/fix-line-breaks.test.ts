/**
 * Quick fixes as an editor applies them: the edits of the service's
 * diagnostics go into the document as they are (no `--fix` in between to
 * rewrite their line breaks), so a multi-line fix on a CRLF document must
 * carry CRLF lines, and on a lone-CR document lone CRs. Each case is an LF
 * text and the whole text after the rule's first fix; the same text with
 * CRLF and with CR line breaks must give the same result with those breaks.
 */
import assert from 'node:assert/strict';
import { lintText } from '../../server/src/service/lint.js';
import { applyEdits } from '../helpers/apply-edits.js';

interface Case {
  name: string;
  rule: string;
  before: string;
  after: string;
}

const CASES: Case[] = [
  {
    name: 'return (miss) in vcl_hit: the restart and a new vcl_recv at the end',
    rule: 'return-action-removed',
    before: 'vcl 4.1;\n\nbackend default { .host = "127.0.0.1"; }\n\nsub vcl_hit {\n    return (miss);\n}\n',
    after:
      'vcl 4.1;\n\nbackend default { .host = "127.0.0.1"; }\n\nsub vcl_hit {\n    set req.http.X-Hit-Miss = "1"; return (restart);\n}\n\nsub vcl_recv {\n' +
      '    if (req.restarts == 0) {\n        unset req.http.X-Hit-Miss;\n    } elsif (req.http.X-Hit-Miss) {\n        unset req.http.X-Hit-Miss;\n        set req.hash_always_miss = true;\n    }\n}\n',
  },
  {
    name: 'return (miss) in vcl_hit: the check above the first statement of vcl_recv, in its indentation',
    rule: 'return-action-removed',
    before: 'vcl 4.1;\n\nbackend default {\n    .host = "127.0.0.1";\n}\n\nsub vcl_recv {\n    set req.http.X-A = "1";\n}\n\nsub vcl_hit {\n    return (miss);\n}\n',
    after:
      'vcl 4.1;\n\nbackend default {\n    .host = "127.0.0.1";\n}\n\nsub vcl_recv {\n' +
      '    if (req.restarts == 0) {\n        unset req.http.X-Hit-Miss;\n    } elsif (req.http.X-Hit-Miss) {\n        unset req.http.X-Hit-Miss;\n        set req.hash_always_miss = true;\n    }\n' +
      '    set req.http.X-A = "1";\n}\n\nsub vcl_hit {\n    set req.http.X-Hit-Miss = "1"; return (restart);\n}\n',
  },
  {
    name: "backend-probe-missing's inline probe in a one-line backend",
    rule: 'backend-probe-missing',
    before: 'vcl 4.1;\n\nbackend default { .host = "127.0.0.1"; }\n\nsub vcl_hit {\n    return (miss);\n}\n',
    after:
      'vcl 4.1;\n\nbackend default { .host = "127.0.0.1";  .probe = {\n    .url = "/";\n    .timeout = 2s;\n    .interval = 5s;\n    .window = 5;\n    .threshold = 3;\n} }\n\nsub vcl_hit {\n    return (miss);\n}\n',
  },
  {
    name: "backend-probe-missing's inline probe on its own lines, above the backend's '}'",
    rule: 'backend-probe-missing',
    before: 'vcl 4.1;\n\nbackend default {\n    .host = "127.0.0.1";\n}\n',
    after:
      'vcl 4.1;\n\nbackend default {\n    .host = "127.0.0.1";\n    .probe = {\n        .url = "/";\n        .timeout = 2s;\n        .interval = 5s;\n        .window = 5;\n        .threshold = 3;\n    }\n}\n',
  },
  {
    name: 'retry-after-missing: a new vcl_synth after the last line',
    rule: 'retry-after-missing',
    before: 'vcl 4.1;\nbackend b { .host = "127.0.0.1"; .probe = { .url = "/"; } }\nsub vcl_recv {\n  return (synth(503, "Down"));\n}\n',
    after:
      'vcl 4.1;\nbackend b { .host = "127.0.0.1"; .probe = { .url = "/"; } }\nsub vcl_recv {\n  return (synth(503, "Down"));\n}\n\nsub vcl_synth {\n    if (resp.status == 503) {\n        set resp.http.Retry-After = "5";\n    }\n}\n',
  },
];

const EOLS: Array<[name: string, eol: string]> = [
  ['LF', '\n'],
  ['CRLF', '\r\n'],
  ['lone CR', '\r'],
];

/** Every line break in `text`, each as the string it is. */
function lineBreaks(text: string): string[] {
  return text.match(/\r\n|\r|\n/g) ?? [];
}

describe("quick fixes keep the document's line breaks (service, as an editor applies them)", () => {
  for (const c of CASES) {
    for (const [eolName, eol] of EOLS) {
      it(`${c.rule}: ${c.name} (${eolName})`, () => {
        const text = c.before.replace(/\n/g, eol);
        const d = lintText(text).find((x) => x.rule === c.rule && x.fixes?.length);
        assert.ok(d, `no ${c.rule} fix offered`);
        const edits = d.fixes![0]!.edits;
        assert.ok(
          edits.some((e) => lineBreaks(e.newText).length > 0),
          'the case must have a multi-line fix',
        );
        for (const e of edits) assert.deepEqual(new Set(lineBreaks(e.newText)), new Set(lineBreaks(e.newText).length ? [eol] : []), JSON.stringify(e.newText));
        assert.equal(applyEdits(text, edits), c.after.replace(/\n/g, eol));
      });
    }
  }
});
