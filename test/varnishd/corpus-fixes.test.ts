/**
 * Every quick fix, applied alone to the VCL it was offered for, must be
 * safe: the result still parses, the finding is gone, no new error appears,
 * and varnishd 7.1 still compiles it. So must all of a file's fixes applied
 * together, as fix-all and `--fix` apply them. Checked over the accepted
 * programs of the corpus and the project's own example and fixture files;
 * varnishd compiles every distinct result.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintText } from '../../server/src/service/lint.js';
import type { LintDiagnostic, LintOptions } from '../../server/src/service/types.js';
import { findCorpus, loadCorpus, projectRoot } from '../conformance/corpus.js';
import { lintOptionsFor } from '../conformance/evaluate.js';
import { applyEdits } from '../helpers/apply-edits.js';
import { findVarnishd } from '../helpers/varnishd.js';
import { compileAll, type CompileJob } from '../helpers/varnishd-batch.js';
import { fixText } from '../../server/src/cli/fix.js';
import { vclFilesUnder } from '../helpers/vcl-files.js';
import { skipBecause } from '../helpers/skip.js';

interface Source {
  name: string;
  text: string;
  options: LintOptions;
  varnishdArgs: readonly string[];
}


/** Programs varnishd accepts as they are, self-contained (no includes, no sockets or files of a test run). */
function sources(corpusRoot: string | undefined): Source[] {
  const out: Source[] = [];
  // Parts of other programs (no `vcl 4.x;`, or includes) would be judged out of their context.
  const selfContained = (text: string) => /^\s*vcl\s+4\.[01]\s*;/m.test(text) && !/^\s*include\s/m.test(text) && !text.includes('/tmp/vtc');
  for (const file of [...vclFilesUnder(join(projectRoot, 'examples')), ...vclFilesUnder(join(projectRoot, 'test/fixtures'))]) {
    const text = readFileSync(file, 'utf8');
    const options = { path: file };
    if (selfContained(text) && !lintText(text, options).some((d) => d.severity === 'error')) {
      out.push({ name: file.slice(projectRoot.length + 1), text, options, varnishdArgs: [] });
    }
  }
  if (corpusRoot) {
    for (const e of loadCorpus(corpusRoot)) {
      if (e.varnishd.result !== 'accept' || e.fragment || e.needsUnixSockets) continue;
      const text = readFileSync(e.path, 'utf8');
      if (selfContained(text)) out.push({ name: e.name, text, options: lintOptionsFor(e), varnishdArgs: e.varnishdArgs ?? [] });
    }
  }
  return out;
}

const key = (d: LintDiagnostic) => `${d.rule}: ${d.message}`;

function count(list: readonly LintDiagnostic[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const d of list) m.set(key(d), (m.get(key(d)) ?? 0) + 1);
  return m;
}

describe('every fix is safe on the corpus and the project files (live)', function () {
  this.timeout(900_000);
  const corpusRoot = findCorpus();
  const varnishd = findVarnishd();

  it('parses, removes its finding, adds no error, and varnishd compiles the result; also all fixes of a file together', async function () {
    const problems: string[] = [];
    const rulesFixed = new Set<string>();
    // Distinct fixed texts -> where they came from, compiled at the end in parallel.
    const toCompile = new Map<string, { where: string; args: readonly string[] }>();
    let fixes = 0;
    let together = 0;
    for (const src of sources(corpusRoot)) {
      const before = lintText(src.text, src.options);
      const beforeCount = count(before);
      for (const d of before) {
        for (const fix of d.fixes ?? []) {
          fixes++;
          rulesFixed.add(d.rule);
          const where = `${src.name}:${d.range.start.line + 1} ${d.rule} "${fix.title}"`;
          const fixed = applyEdits(src.text, fix.edits);
          const after = lintText(fixed, src.options);
          const afterCount = count(after);
          if ((afterCount.get(key(d)) ?? 0) >= beforeCount.get(key(d))!) problems.push(`${where}: the finding is still there`);
          const added = after.filter((x) => x.severity === 'error' && (afterCount.get(key(x)) ?? 0) > (beforeCount.get(key(x)) ?? 0));
          if (added.length) problems.push(`${where}: new error ${key(added[0]!)}`);
          if (!toCompile.has(fixed)) toCompile.set(fixed, { where, args: src.varnishdArgs });
        }
      }
      // All together, as fix-all and --fix do (manual fixes are left out there).
      const all = fixText(src.text, (t) => lintText(t, src.options));
      if (all.text !== src.text) {
        together++;
        const where = `${src.name}: all ${all.applied} fixes together`;
        const errors = lintText(all.text, src.options).filter((x) => x.severity === 'error');
        if (errors.length) problems.push(`${where}: error ${key(errors[0]!)}`);
        if (!toCompile.has(all.text)) toCompile.set(all.text, { where, args: src.varnishdArgs });
      }
    }
    if (varnishd) {
      const jobs: CompileJob[] = [...toCompile].map(([text, { args }]) => ({ text, args }));
      const verdicts = await compileAll(varnishd, jobs);
      [...toCompile.values()].forEach(({ where }, i) => {
        if (!verdicts[i]!.accepted) problems.push(`${where}: varnishd refuses the result: ${verdicts[i]!.message}`);
      });
    }
    console.log(`    ${fixes} fixes of ${rulesFixed.size} rules checked one by one, ${together} files with all fixes together; ${varnishd ? toCompile.size : 0} distinct results compiled by varnishd`);
    assert.deepEqual(problems, []);
    // The project's own fixtures carry a fix of each of these rules: the test cannot pass by finding none.
    for (const rule of ['backend-probe-missing', 'probe-sanity', 'retry-after-missing', 'rate-limit-status']) assert.ok(rulesFixed.has(rule), `no fix of ${rule} was checked`);
    assert.ok(together > 0, 'no file had fixes to apply together');
    // What could run passed; a check left out makes the test pending, not a pass.
    const missing = [corpusRoot ? '' : 'corpus not found: fixes checked on the project files only', varnishd ? '' : 'varnishd not found: fixed programs not compiled'].filter(Boolean);
    if (missing.length) skipBecause(this, missing.join('; '));
  });
});
