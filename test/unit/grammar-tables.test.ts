/**
 * The parser reads its grammar's tree and follow sets from
 * grammar-tables.json instead of working them out at start-up
 * (server/src/syntax/grammar-tables.ts). These tests hold the file to what
 * chevrotain works out from the grammar as it is, and the parser built
 * from it to the parser chevrotain builds on its own.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordGrammarTables, VclGrammar } from '../../server/src/syntax/grammar.js';
import { Alternation, createTokenInstance, EOF, LLkLookaheadStrategy, NonTerminal } from 'chevrotain';
import { alternationLookahead, formatGrammarTables, optionalLookahead, restoreRules, serializeProduction, tokensByName } from '../../server/src/syntax/grammar-tables.js';
import { allTokens } from '../../server/src/syntax/tokens.js';
import { lex } from '../../server/src/syntax/lexer.js';
import { projectRoot } from '../conformance/corpus.js';

const file = join(projectRoot, 'server/src/syntax/grammar-tables.json');

describe('grammar tables', () => {
  it('grammar-tables.json is what chevrotain records from the grammar today', () => {
    assert.equal(readFileSync(file, 'utf8'), formatGrammarTables(recordGrammarTables()), 'run `npm run gen:grammar` after changing the grammar');
  });

  it('the trees built from the file are the recorded ones, field for field', () => {
    const recorded = recordGrammarTables();
    const restored = [...restoreRules(recorded, tokensByName(allTokens)).values()].map(serializeProduction);
    assert.deepEqual(restored, recorded.rules);
  });

  it('a parser built from the tables has the recorded trees and follow sets', () => {
    type Internals = { getGAstProductions(): Record<string, never>; resyncFollows: Record<string, { name: string }[]> };
    const fromTables = new VclGrammar() as unknown as Internals;
    const live = new VclGrammar({ live: true }) as unknown as Internals;
    assert.deepEqual(Object.values(fromTables.getGAstProductions()).map(serializeProduction), Object.values(live.getGAstProductions()).map(serializeProduction));
    const names = (f: Record<string, { name: string }[]>) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v.map((t) => t.name)]));
    assert.deepEqual(names(fromTables.resyncFollows), names(live.resyncFollows));
  });

  it('a stale file is refused by name, not parsed with the wrong tree', () => {
    const tables = recordGrammarTables();
    tables.rules = tables.rules.filter((r) => r['name'] !== 'statement');
    assert.throws(() => {
      const g = new VclGrammar() as unknown as { tableRules: unknown; topLevelRuleRecord(name: string, def: () => void): unknown };
      g.tableRules = restoreRules(tables, tokensByName(allTokens));
      g.topLevelRuleRecord('statement', () => undefined);
    }, /grammar-tables\.json has no rule statement/);
  });

  it("decides every decision as chevrotain's LL(k) functions do, on token sequences near each decision's paths", () => {
    const tables = recordGrammarTables();
    const live = new VclGrammar({ live: true });
    const rules = live.getGAstProductions();
    const byName = tokensByName([...allTokens, EOF]);
    const llk = new LLkLookaheadStrategy({ maxLookahead: 3 });
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    let compared = 0;
    for (const [key, stored] of Object.entries(tables.lookahead)) {
      const [ruleName, kind, occurrence] = key.split(':') as [string, string, string];
      const rule = rules[ruleName]!;
      const paths = stored.map((alt) => alt.map((path) => path.map((n) => byName.get(n)!)));
      const alternation = kind === 'Alternation';
      const hasPredicates = alternation && findDecision(rule, Number(occurrence))?.hasPredicates === true;
      const options = { prodOccurrence: Number(occurrence), rule, maxLookahead: 3, hasPredicates, dynamicTokensEnabled: false };
      const theirs = alternation ? llk.buildLookaheadForAlternation(options) : llk.buildLookaheadForOptional({ ...options, prodType: kind as never });
      const ours = alternation ? alternationLookahead(paths, hasPredicates) : optionalLookahead(paths[0]!);
      // Tokens of the paths, their category members and a few others; sequences cut short too (EOF).
      const near = [...new Set(paths.flat(2).flatMap((t) => [t, ...allTokens.filter((m) => t.categoryMatches?.includes(m.tokenTypeIdx!))]))];
      const pool = [...near, ...near, byName.get('Semi')!, byName.get('Ident')!, byName.get('RCurly')!];
      for (let n = 0; n < 500; n++) {
        const input = Array.from({ length: random(4) }, () => createTokenInstance(pool[random(pool.length)]!, 'x', 0, 0, 0, 0, 0, 0));
        const gates = stored.map(() => ({ ALT: () => undefined, ...(random(3) === 0 ? { GATE: () => false } : {}) }));
        // As chevrotain pads the input before a parse (its functions read past the end unchecked).
        live.input = [...input, ...Array.from({ length: 4 }, () => createTokenInstance(EOF, '', NaN, NaN, NaN, NaN, NaN, NaN))];
        assert.equal(ours.call(live, gates as never), (theirs as (this: unknown, alts: unknown) => unknown).call(live, gates), `${key} on ${input.map((t) => t.tokenType.name).join(' ')}`);
        compared++;
      }
    }
    assert.ok(compared >= 40 * 500, `only ${compared} comparisons`);
  });

  it('parses every fixture, whole and cut short, as the grammar chevrotain analyses itself does: trees, errors and recovery', () => {
    const fromTables = new VclGrammar();
    const live = new VclGrammar({ live: true });
    const run = (g: VclGrammar, text: string) => {
      g.input = lex(text).tokens;
      const cst = g.program();
      return JSON.stringify({ cst, errors: g.errors.map((e) => [e.message, e.token.startOffset, e.resyncedTokens.length]) });
    };
    let cuts = 0;
    for (const path of vclFixtures(join(projectRoot, 'test/fixtures'))) {
      const text = readFileSync(path, 'utf8');
      assert.equal(run(fromTables, text), run(live, text), path);
      // Cut inside declarations, where recovery and the follow sets are used.
      for (let at = 17; at < text.length; at += 97, cuts++) assert.equal(run(fromTables, text.slice(0, at)), run(live, text.slice(0, at)), `${path} cut at ${at}`);
    }
    assert.ok(cuts > 100, `only ${cuts} cut texts`);
  });
});

/** The decision of `rule` with that occurrence index that is an alternation. */
function findDecision(node: { definition?: unknown[]; idx?: number; hasPredicates?: boolean }, occurrence: number): { hasPredicates?: boolean } | undefined {
  if (node instanceof Alternation && node.idx === occurrence) return { hasPredicates: (node as { hasPredicates?: boolean }).hasPredicates };
  if (node instanceof NonTerminal) return undefined;
  for (const child of (node.definition ?? []) as (typeof node)[]) {
    const found = findDecision(child, occurrence);
    if (found) return found;
  }
  return undefined;
}

function vclFixtures(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.vcl'))
    .map((e) => join(e.parentPath ?? e.path, e.name));
}

