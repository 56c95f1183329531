/**
 * Live comparison with the installed varnishd: on the project's examples and
 * fixtures and on a sample of the corpus, varnishd's verdict today and the
 * linter's must agree (no error where varnishd accepts; a `syntax` error on
 * varnishd's line where it stops with a syntax-level message). The corpus
 * sample also re-checks that the recorded verdicts are still varnishd's.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintText } from '../../server/src/service/lint.js';
import { findCorpus, isSyntaxMessage, loadCorpus, projectRoot, type CorpusEntry } from '../conformance/corpus.js';
import { compileWithVarnishd, findVarnishd } from '../helpers/varnishd.js';
import { lintOptionsFor } from '../conformance/evaluate.js';
import { vclFilesUnder } from '../helpers/vcl-files.js';
import { skipBecause } from '../helpers/skip.js';


/**
 * Every 25th corpus entry whose verdict does not depend on the test run's
 * environment: no UNIX sockets or other files under the test's /tmp/vtc, and
 * no includes of /etc/varnish paths that only the recording machine had.
 */
function corpusSample(): CorpusEntry[] {
  const root = findCorpus();
  if (!root) return [];
  return loadCorpus(root).filter(
    (e, i) => i % 25 === 0 && !e.needsUnixSockets && !e.name.startsWith('real/eksiscloud') && !readFileSync(e.path, 'utf8').includes('/tmp/vtc'),
  );
}

describe('agreement with the installed varnishd (live)', function () {
  this.timeout(600_000);
  const varnishd = findVarnishd();
  const projectFiles = [...vclFilesUnder(join(projectRoot, 'examples')), ...vclFilesUnder(join(projectRoot, 'test/fixtures'))];
  if (!varnishd) {
    it(`varnishd not found: ${projectFiles.length} live comparisons not run`, function () {
      skipBecause(this, 'varnishd not found');
    });
    return;
  }

  it(`agrees on the project's ${projectFiles.length} example and fixture files`, () => {
    const problems: string[] = [];
    for (const file of projectFiles) {
      const verdict = compileWithVarnishd(varnishd, file);
      const errors = lintText(readFileSync(file, 'utf8'), { path: file }).filter((d) => d.severity === 'error');
      const rel = file.slice(projectRoot.length + 1);
      if (verdict.accepted && errors.length) problems.push(`${rel}: varnishd accepts, we report ${errors[0]!.message}`);
      if (!verdict.accepted && isSyntaxMessage(verdict.message ?? null) && verdict.line !== undefined) {
        if (!errors.some((d) => d.rule === 'syntax' && d.range.start.line + 1 === verdict.line)) {
          problems.push(`${rel}: varnishd stops at line ${verdict.line} (${verdict.message}); we do not flag that line`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  const sample = corpusSample();
  if (sample.length === 0) {
    it('corpus not found: live corpus sample not run', function () {
      skipBecause(this, 'corpus not found');
    });
    return;
  }
  it(`re-checks ${sample.length} corpus files against varnishd and agrees with it`, () => {
    const problems: string[] = [];
    for (const e of sample) {
      const verdict = compileWithVarnishd(varnishd, e.path, e.varnishdArgs ?? []);
      const recorded = e.varnishd.result === 'accept';
      if (verdict.accepted !== recorded) problems.push(`${e.name}: recorded ${e.varnishd.result}, varnishd now says ${verdict.accepted ? 'accept' : verdict.message}`);
      const errors = lintText(readFileSync(e.path, 'utf8'), lintOptionsFor(e)).filter(
        (d) => d.severity === 'error',
      );
      if (verdict.accepted && errors.length) problems.push(`${e.name}: varnishd accepts, we report ${errors[0]!.message}`);
    }
    assert.deepEqual(problems, []);
  });
});
