/**
 * The rules' runner (service/findings.ts) hands the declarations to the
 * rules that have a pass over them (Rule.byDeclaration) a declaration at a
 * time, all such rules in turn, and puts their findings at their rule's
 * place. Held here to running each rule's own `check`, one rule after the
 * other, on every fixture and the corpus (each side parsed apart, so that
 * nothing kept for a declaration by one side serves the other); and a
 * failing pass, wherever it fails, to one internal error of its own rule.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../../server/src/rules/index.js';
import type { DeclarationPass, Finding, Rule, RuleContext } from '../../server/src/rules/rule.js';
import { runRules } from '../../server/src/service/findings.js';
import { analyseVcl, releaseVcl } from '../../server/src/service/lint.js';
import type { LintDiagnostic } from '../../server/src/service/types.js';
import { Parser } from '../../server/src/syntax/parse.js';
import { lineIndexFor } from '../../server/src/text/line-index.js';
import { loadCorpus, projectRoot } from '../conformance/corpus.js';
import { corpusOrSkip } from '../helpers/corpus-or-skip.js';
import { vclFilesUnder } from '../helpers/vcl-files.js';

/** The diagnostics of every rule on `text`: with the passes run together, or each rule's `check` alone. */
function diagnostics(text: string, together: boolean): LintDiagnostic[] {
  const analysis = analyseVcl(text, { parser: new Parser() });
  try {
    const { ctx } = analysis;
    return runRules(rules, ctx, lineIndexFor(text), () => true, together ? ctx.parse.ast.declarations : undefined);
  } finally {
    releaseVcl(analysis);
  }
}

const PASS_RULES = rules.filter((r) => r.byDeclaration).map((r) => r.id);

/** Besides the fixtures: names VCC refuses and actions in the wrong sub, used where other declarations stand around them. */
const EXTRA = [
  'vcl 4.1;\nbackend default { .host = "127.0.0.1"; }\nsub vcl_recv { synthetic("x"); hash_data(req.url); }\nsub vcl_foo { }\nsub req { }\n',
  'vcl 4.1;\nimport directors;\nbackend default { .host = "127.0.0.1"; }\nsub vcl_recv { new rr = directors.round_robin(); }\nsub vcl_init { new a.b = directors.round_robin(); }\n',
];

describe('rules run declaration by declaration', function () {
  it('some rules have a pass over the declarations', function () {
    assert.ok(PASS_RULES.length >= 6, PASS_RULES.join(', '));
  });

  it('give on every fixture (and two texts more) what each rule gives alone, in the same order', function () {
    const seen = new Set<string>();
    const files = [...vclFilesUnder(join(projectRoot, 'test/fixtures')), ...vclFilesUnder(join(projectRoot, 'bench/fixtures'))];
    for (const [name, text] of [...files.map((f) => [f, readFileSync(f, 'utf8')]), ...EXTRA.map((t, i) => [`extra text ${i}`, t])] as Array<[string, string]>) {
      const together = diagnostics(text, true);
      assert.deepEqual(together, diagnostics(text, false), name);
      for (const d of together) seen.add(d.rule);
    }
    // Not a comparison of empty lists: every rule with a pass finds something somewhere.
    assert.deepEqual(
      PASS_RULES.filter((id) => !seen.has(id)),
      [],
    );
  });

  describe('on the corpus', function () {
    const root = corpusOrSkip('the rules run declaration by declaration against each rule alone, on the corpus');
    if (!root) return;
    it('give on every corpus file what each rule gives alone, in the same order', function () {
      for (const e of loadCorpus(root)) {
        const text = readFileSync(e.path, 'utf8');
        assert.deepEqual(diagnostics(text, true), diagnostics(text, false), e.name);
      }
    });
  });

  it('a pass that fails gives its rule one internal error, at its place, and stops there; the others run', function () {
    const calls = new Map<string, number>();
    const count = (id: string): void => {
      calls.set(id, (calls.get(id) ?? 0) + 1);
    };
    /** A rule with a pass that finds each declaration's start, failing at `failAt` ('start', the `n`th declaration, or 'end'). */
    const passRule = (id: string, failAt?: 'start' | 'end' | number): Rule => {
      const pass = (ctx: RuleContext): DeclarationPass => {
        if (failAt === 'start') throw new Error(`${id} cannot start`);
        let n = 0;
        return {
          declaration(d) {
            count(id);
            if (n++ === failAt) throw new Error(`${id} failed in a declaration`);
            return [{ start: d.start, end: d.start + 1, message: `${id} ${d.kind}` }];
          },
          end(found) {
            if (failAt === 'end') throw new Error(`${id} failed at the end`);
            return [{ start: 0, end: 0, message: `${id} before` }, ...found, { start: ctx.text.length, end: ctx.text.length, message: `${id} after` }];
          },
        };
      };
      return { id, defaultSeverity: 'info', description: id, byDeclaration: pass, check: () => assert.fail(`${id}: check is not called when the passes run together`) };
    };
    const plain: Rule = { id: 'plain', defaultSeverity: 'info', description: 'plain', check: (): Finding[] => [{ start: 1, end: 2, message: 'plain' }] };
    const test = [passRule('a'), passRule('b', 1), plain, passRule('c', 'start'), passRule('d', 'end'), passRule('e')];
    const text = 'vcl 4.1;\nbackend b { .host = "127.0.0.1"; }\nsub vcl_recv { return (pass); }\nsub vcl_deliver { }\n';
    const analysis = analyseVcl(text, { parser: new Parser() });
    try {
      const { ctx } = analysis;
      const out = runRules(test, ctx, lineIndexFor(text), () => true, ctx.parse.ast.declarations);
      const shown = out.map((d) => (d.rule === 'internal-error' ? `internal-error: ${d.message}` : `${d.rule}: ${d.message}`));
      const declarations = ctx.parse.ast.declarations.map((d) => d.kind);
      const expected = (id: string): string[] => [`${id}: ${id} before`, ...declarations.map((k) => `${id}: ${id} ${k}`), `${id}: ${id} after`];
      assert.deepEqual(shown, [
        ...expected('a'),
        "internal-error: Rule 'b' failed: b failed in a declaration. Other rules still ran.",
        'plain: plain',
        "internal-error: Rule 'c' failed: c cannot start. Other rules still ran.",
        "internal-error: Rule 'd' failed: d failed at the end. Other rules still ran.",
        ...expected('e'),
      ]);
      // b stopped at its second declaration; the others saw every declaration once.
      assert.equal(calls.get('b'), 2);
      for (const id of ['a', 'd', 'e']) assert.equal(calls.get(id), declarations.length, id);
      assert.equal(calls.get('c'), undefined);
    } finally {
      releaseVcl(analysis);
    }
  });
});
