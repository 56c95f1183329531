/**
 * Every quick fix, applied alone to the VCL it was offered for, must be
 * safe: the result still parses, the finding is gone, no new error appears,
 * and varnishd 7.1 still compiles it. So must all of a file's fixes applied
 * together, as fix-all and `--fix` apply them. Checked over the accepted
 * programs of the corpus and the project's own example and fixture files,
 * one test per file; varnishd compiles every distinct result once, two at a
 * time, queued as soon as a file's fixes are worked out.
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
import { sharedCompileQueue, type BatchVerdict } from '../helpers/varnishd-batch.js';
import { inOrder } from '../helpers/in-order.js';
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

/** What one file's fixes did, before varnishd's verdicts. */
interface FileFixes {
  /** Problems seen by the linter: a finding left, an error added. */
  problems: string[];
  /** Each distinct fixed text (one by one, and all together) with where it came from. */
  results: Map<string, string>;
  fixes: number;
  rules: Set<string>;
  together: boolean;
}

/** Applies each of a file's fixes alone, then all together, and lints the results. */
function applyFixes(src: Source): FileFixes {
  const out: FileFixes = { problems: [], results: new Map(), fixes: 0, rules: new Set(), together: false };
  const before = lintText(src.text, src.options);
  const beforeCount = count(before);
  for (const d of before) {
    for (const fix of d.fixes ?? []) {
      out.fixes++;
      out.rules.add(d.rule);
      const where = `${src.name}:${d.range.start.line + 1} ${d.rule} "${fix.title}"`;
      const fixed = applyEdits(src.text, fix.edits);
      const after = lintText(fixed, src.options);
      const afterCount = count(after);
      if ((afterCount.get(key(d)) ?? 0) >= beforeCount.get(key(d))!) out.problems.push(`${where}: the finding is still there`);
      const added = after.filter((x) => x.severity === 'error' && (afterCount.get(key(x)) ?? 0) > (beforeCount.get(key(x)) ?? 0));
      if (added.length) out.problems.push(`${where}: new error ${key(added[0]!)}`);
      if (!out.results.has(fixed)) out.results.set(fixed, where);
    }
  }
  // All together, as fix-all and --fix do (manual fixes are left out there).
  const all = fixText(src.text, (t) => lintText(t, src.options));
  if (all.text !== src.text) {
    out.together = true;
    const where = `${src.name}: all ${all.applied} fixes together`;
    const errors = lintText(all.text, src.options).filter((x) => x.severity === 'error');
    if (errors.length) out.problems.push(`${where}: error ${key(errors[0]!)}`);
    if (!out.results.has(all.text)) out.results.set(all.text, where);
  }
  return out;
}

describe('every fix is safe on the corpus and the project files (live)', function () {
  this.timeout(300_000);
  const corpusRoot = findCorpus();
  const varnishd = findVarnishd();
  const files = sources(corpusRoot);
  const queue = varnishd ? sharedCompileQueue(varnishd) : undefined;
  /** Per file: its fixes, and varnishd's verdict on each distinct result (queued at once). */
  let checked: Promise<{ fixes: FileFixes; verdicts: Map<string, Promise<BatchVerdict>> }>[] = [];

  before(function () {
    checked = inOrder(files, (src) => {
      const fixes = applyFixes(src);
      const verdicts = new Map([...fixes.results.keys()].map((text) => [text, queue ? queue.compile({ text, args: src.varnishdArgs }) : Promise.resolve({ accepted: true, message: '' })]));
      return { fixes, verdicts };
    });
  });

  files.forEach((src, i) => {
    it(src.name, async function () {
      const { fixes, verdicts } = await checked[i]!;
      const problems = [...fixes.problems];
      for (const [text, where] of fixes.results) {
        const v = await verdicts.get(text)!;
        if (!v.accepted) problems.push(`${where}: varnishd refuses the result: ${v.message}`);
      }
      assert.deepEqual(problems, []);
      if (fixes.fixes === 0 && !fixes.together) this.test!.title += ' (no fixes)';
      // What could run passed; a check left out makes the test pending, not a pass.
      if (!varnishd && fixes.results.size > 0) skipBecause(this, 'varnishd not found: fixed programs not compiled');
    });
  });

  it('checked a fix of each rule the project files carry one of, and all fixes of a file together', async function () {
    const all = await Promise.all(checked);
    const rulesFixed = new Set(all.flatMap(({ fixes }) => [...fixes.rules]));
    const fixes = all.reduce((n, c) => n + c.fixes.fixes, 0);
    const together = all.filter((c) => c.fixes.together).length;
    const compiled = new Set(all.flatMap((c) => [...c.verdicts.keys()])).size;
    console.log(`    ${fixes} fixes of ${rulesFixed.size} rules checked one by one, ${together} files with all fixes together; ${varnishd ? compiled : 0} distinct results compiled by varnishd`);
    // The project's own fixtures carry a fix of each of these rules: the test cannot pass by finding none.
    for (const rule of ['backend-probe-missing', 'probe-sanity', 'retry-after-missing', 'rate-limit-status']) assert.ok(rulesFixed.has(rule), `no fix of ${rule} was checked`);
    assert.ok(together > 0, 'no file had fixes to apply together');
  });

  if (!corpusRoot) {
    it('corpus not found: fixes not checked on the corpus', function () {
      skipBecause(this, 'corpus not found');
    });
  }
});
