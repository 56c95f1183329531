/**
 * `node out/bench/walk-order.js`: whether the order in which the checks
 * walk a program matters as the program grows. Thirty kind-filtered walks
 * (`walkKinds`, each wanting two common node kinds and reading two fields
 * of what it finds) over the generated programs of part 3, in two orders:
 * check by check, each walking every declaration (how the rules run
 * today), and declaration by declaration, each walked by every check in
 * turn. Each order and size in processes of their own, alternated; the
 * kept visiting orders are made before the timing.
 *
 * Why: part 3 measures a 100k program's rules costing more per line than a
 * 10k one's; if the reason is a working set larger than the processor's
 * cache, the first order grows with size and the second does not.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parse } from '../server/src/syntax/parse.js';
import { nodeKinds, walkKinds, type KindFilter } from '../server/src/syntax/walk.js';
import type * as A from '../server/src/syntax/ast.js';
import { generateProgram } from './bench.js';
import { median, ms, table } from './report.js';

const KINDS: Array<A.Node['kind']> = ['SetStmt', 'IfStmt', 'CallStmt', 'ReturnStmt', 'UnsetStmt', 'StringLiteral', 'Identifier', 'Name', 'BinaryExpr', 'MatchExpr', 'CallExpr', 'NumberLiteral', 'Block', 'IfBranch', 'Argument', 'SubDecl'];
const CHECKS = 30;
const ORDERS = ['check by check', 'declaration by declaration'] as const;
const SIZES = [10_000, 100_000];

/** One measurement, in this process: ms per 10,000 lines (median of 9 timings) on stdout. */
function measureOne(lines: number, order: (typeof ORDERS)[number]): void {
  const filters: Array<KindFilter<A.Node['kind']>> = [];
  for (let i = 0; i < CHECKS; i++) filters.push(nodeKinds(KINDS[i % KINDS.length]!, KINDS[(i * 7 + 3) % KINDS.length]!));
  const program = parse(generateProgram(lines)).ast;
  const declarations = program.declarations;
  for (const d of declarations) walkKinds(d, filters[0]!, () => {});
  let sink = 0;
  const visit = (node: A.Node): void => {
    sink += node.start + (node.end & 1);
  };
  const run =
    order === 'check by check'
      ? () => {
          for (const f of filters) for (const d of declarations) walkKinds(d, f, visit, program);
        }
      : () => {
          for (const d of declarations) for (const f of filters) walkKinds(d, f, visit, program);
        };
  for (let i = 0; i < 5; i++) run();
  const repeat = Math.max(1, Math.round(200_000 / lines));
  const times: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < repeat; k++) run();
    times.push(((Number(process.hrtime.bigint() - t0) / 1e6 / repeat) * 10_000) / lines);
  }
  times.sort((a, b) => a - b);
  // The sink keeps the visits from being optimized away.
  process.stdout.write(`${JSON.stringify({ ms: median(times), sink: sink > 0 })}\n`);
}

function main(): void {
  const rounds = process.argv.includes('--quick') ? 1 : 3;
  const script = fileURLToPath(import.meta.url);
  const results = new Map<string, number[]>();
  for (let r = 0; r < rounds; r++) {
    for (const lines of SIZES) {
      for (const order of r % 2 === 0 ? ORDERS : [...ORDERS].reverse()) {
        const child = spawnSync(process.execPath, [script, '--one', String(lines), order], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
        if (child.status !== 0) throw new Error(`the process measuring ${order} at ${lines} lines failed`);
        const key = `${order}\0${lines}`;
        results.set(key, [...(results.get(key) ?? []), (JSON.parse(child.stdout) as { ms: number }).ms]);
      }
    }
  }
  console.log(`## Walk order (${CHECKS} kind-filtered walks over the generated programs; ms per 10,000 lines, median of ${rounds} process(es))`);
  console.log('');
  const at = (order: string, lines: number): number => median([...results.get(`${order}\0${lines}`)!].sort((a, b) => a - b));
  table(
    ['order', ...SIZES.map((n) => `${n / 1000}k lines`), '100k / 10k per line'],
    ORDERS.map((o) => [o, ...SIZES.map((n) => ms(at(o, n))), (at(o, 100_000) / at(o, 10_000)).toFixed(2)]),
  );
}

const one = process.argv.indexOf('--one');
if (one > 0) measureOne(Number(process.argv[one + 1]), process.argv[one + 2] as (typeof ORDERS)[number]);
else main();
