/**
 * Runs the grammar test cases in test/grammar/ (vscode-tmgrammar-test's
 * format: a `SYNTAX TEST "scope"` header, then source lines followed by
 * comment lines whose `^^^` marks name the scopes expected at those columns,
 * `- scope` the scopes that must not be there). Each file is one mocha test,
 * so the cases count in the suite's summary; `npm run test:grammar` runs the
 * same files with vscode-tmgrammar-test's own command.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import tmUnit from 'vscode-tmgrammar-test/dist/unit/index.js';
import { projectRoot } from '../conformance/corpus.js';
import { contributedGrammars, grammarRegistry } from './textmate.js';

const casesDir = join(projectRoot, 'test/grammar');

/**
 * An assertion line vscode-tmgrammar-test can read: marks, scopes, and at
 * most one `-` before the excluded scopes. Checked first because the
 * runner's own pattern backtracks for minutes on a line it cannot read.
 */
const ASSERTION_LINE = /^(\S+)\s*(?:\^[\s^]*|<~*-+)(?:\s+[\w.-]*\w)*(?:\s+-(?:\s+[\w.-]*\w)+)?\s*$/;
const ASSERTION_START = /^\S+\s*(?:\^|<~*-)/;

/** The comment token and scope of a case file's `SYNTAX TEST "scope"` header. */
function caseHeader(text: string): { comment: string; scope: string } | undefined {
  const m = /^(\S+)\s+SYNTAX\s+TEST\s+"([^"]+)"/.exec(text);
  return m ? { comment: m[1]!, scope: m[2]! } : undefined;
}

function malformedAssertions(text: string): string[] {
  const comment = caseHeader(text)?.comment ?? '#';
  return text.split(/\r?\n/)
    .map((line, i) => ({ line, n: i + 1 }))
    .filter(({ line }) => line.startsWith(comment) && ASSERTION_START.test(line) && !ASSERTION_LINE.test(line))
    .map(({ line, n }) => `line ${n}: ${line}`);
}

const caseFiles = readdirSync(casesDir).filter((f) => /\.test\.(vcl|params|service|cli|varnishlog)$/.test(f)).sort();

describe('TextMate grammar test cases', () => {
  it('finds case files for every contributed grammar', () => {
    const tested = new Set(caseFiles.map((f) => caseHeader(readFileSync(join(casesDir, f), 'utf8'))?.scope));
    assert.deepEqual(contributedGrammars().map((g) => g.scopeName).filter((s) => !tested.has(s)), []);
  });

  for (const file of caseFiles) {
    it(file, async () => {
      const text = readFileSync(join(casesDir, file), 'utf8');
      assert.deepEqual(malformedAssertions(text), [], `${file} has assertion lines that cannot be read`);
      const testCase = tmUnit.parseGrammarTestCase(text);
      const assertions = testCase.assertions.reduce((n, a) => n + a.scopeAssertions.length, 0);
      assert.ok(assertions > 0, `${file} asserts nothing`);
      const failures = await tmUnit.runGrammarTestCase(grammarRegistry(), testCase);
      const report = failures.map((f) => {
        const source = testCase.source[f.srcLine] ?? '';
        return `${file}:${f.line + 1}: "${source.slice(f.start, f.end)}" (columns ${f.start}-${f.end} of "${source}")` +
          (f.missing.length ? `\n    missing: ${f.missing.join(' ')}` : '') +
          (f.unexpected.length ? `\n    unexpected: ${f.unexpected.join(' ')}` : '') +
          `\n    actual: ${f.actual.join(' ')}`;
      });
      assert.equal(report.length, 0, `${report.length} of ${assertions} assertions failed:\n${report.join('\n')}`);
    });
  }
});
