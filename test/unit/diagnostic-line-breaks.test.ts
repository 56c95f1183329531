/**
 * Diagnostics whose range depends on where a line ends: the same program
 * with LF, CRLF and lone-CR line breaks gives the same findings, on the same
 * lines and columns, ending where the line ends. One case per rule that
 * looks for a line's end.
 */
import assert from 'node:assert/strict';
import { lintText } from '../../server/src/service/lint.js';

interface Case {
  name: string;
  rule: string;
  /** With LF line breaks. */
  text: string;
  /** Findings of the rule as `line:col-line:col`, 1-based. */
  ranges: string[];
}

const B = 'backend b { .host = "127.0.0.1"; .port = "8080"; }';
const CASES: Case[] = [
  { name: 'inline C: the first line of the block', rule: 'inline-c', text: `vcl 4.1;\n${B}\nC{\n  int x;\n}C\n`, ranges: ['3:1-3:3'] },
  { name: 'a missing vcl line: the first line of the first declaration', rule: 'vcl-version', text: `${B}\nsub vcl_recv {\n}\n`, ranges: ['1:1-1:51'] },
  { name: 'syntax: one error per line, on two lines', rule: 'syntax', text: `vcl 4.1;\n${B}\nsub vcl_recv {\n  set req.url = ;\n  set req.url = ;\n}\n`, ranges: ['4:17-4:18', '5:17-5:18'] },
];

const breaks: Array<[string, string]> = [['LF', '\n'], ['CRLF', '\r\n'], ['CR', '\r']];

describe('diagnostic ranges with every kind of line break', () => {
  for (const c of CASES) {
    for (const [kind, eol] of breaks) {
      it(`${c.name} (${kind})`, () => {
        const text = c.text.replace(/\n/g, eol);
        const got = lintText(text)
          .filter((d) => d.rule === c.rule)
          .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1}`);
        assert.deepEqual(got, c.ranges);
      });
    }
  }
});
