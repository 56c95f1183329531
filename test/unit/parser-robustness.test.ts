/**
 * The parser's robustness contract (DESIGN principle 2): `parse` never
 * throws, every span it hands out lies inside the text, it stays linear on
 * large and hostile input, and nesting too deep for a recursive parser
 * becomes one `syntax` error instead of a stack overflow.
 *
 * Random inputs come from fixed seeds so a failure reproduces; set FC_SEED
 * (property tests) or FUZZ_SEED (mutation fuzzer) to explore other seeds.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { parse, MAX_NESTING } from '../../server/src/syntax/parse.js';
import { lintText } from '../../server/src/service/lint.js';
import { findCorpus, projectRoot } from '../conformance/corpus.js';
import { prng } from '../helpers/prng.js';
import { fuzzSources, inputArb, int, mutate, soupArb } from '../helpers/fuzz-inputs.js';

const FC_SEED = Number(process.env['FC_SEED'] ?? 20250917);
const FUZZ_SEED = Number(process.env['FUZZ_SEED'] ?? 7109);

/**
 * Every span in the tree and every error lies inside the text.
 * Iterative, so that a very deep tree cannot overflow the test's own stack.
 * Returns the problems found (empty when all is well).
 */
function spanProblems(text: string): string[] {
  let result;
  try {
    result = parse(text);
  } catch (e) {
    return [`parse threw: ${(e as Error).stack ?? String(e)}`];
  }
  const problems: string[] = [];
  const len = text.length;
  const bad = (s: unknown, e: unknown) =>
    typeof s !== 'number' || typeof e !== 'number' || !Number.isInteger(s) || !Number.isInteger(e) || s < 0 || s > e || e > len;
  for (const err of result.errors) {
    if (bad(err.start, err.end)) problems.push(`error span ${err.start}..${err.end} (length ${len}): ${err.message}`);
  }
  const seen = new Set<object>();
  const stack: Array<[unknown, string]> = [[result.ast, 'ast']];
  while (stack.length && problems.length < 10) {
    const [x, where] = stack.pop()!;
    if (!x || typeof x !== 'object' || seen.has(x)) continue;
    seen.add(x);
    if (Array.isArray(x)) {
      x.forEach((y, i) => stack.push([y, `${where}[${i}]`]));
      continue;
    }
    const o = x as Record<string, unknown>;
    // Nodes (anything with a kind) must have a span; bare spans such as
    // operatorSpan and argsSpan are checked too.
    if (typeof o['kind'] === 'string' || 'start' in o || 'end' in o) {
      if (bad(o['start'], o['end'])) problems.push(`${where} (${String(o['kind'] ?? 'span')}) has span ${String(o['start'])}..${String(o['end'])}, text length ${len}`);
    }
    for (const [k, v] of Object.entries(o)) if (v && typeof v === 'object') stack.push([v, `${where}.${k}`]);
  }
  return problems;
}

function lintThrows(text: string): string | undefined {
  try {
    lintText(text);
    return undefined;
  } catch (e) {
    return `lintText threw: ${(e as Error).stack ?? String(e)}`;
  }
}

describe('parser robustness: property tests', () => {
  it(`parse never throws and all spans lie inside the text (fast-check seed ${FC_SEED})`, () => {
    fc.assert(
      fc.property(inputArb, (text) => {
        const problems = spanProblems(text);
        assert.deepEqual(problems, [], `input ${JSON.stringify(text)}`);
      }),
      { seed: FC_SEED, numRuns: 600 },
    );
  });

  it(`lintText never throws (fast-check seed ${FC_SEED + 1})`, () => {
    fc.assert(
      fc.property(inputArb, (text) => {
        assert.equal(lintThrows(text), undefined, `input ${JSON.stringify(text)}`);
      }),
      { seed: FC_SEED + 1, numRuns: 250 },
    );
  });

  it('token soup inside a subroutine body never throws (fast-check)', () => {
    // The same soup, but starting where statements and expressions are parsed.
    const inSub = fc.tuple(fc.constantFrom('sub vcl_recv {\n', 'sub s { set req.http.x = ', 'backend b { .host = ', 'acl a { '), soupArb).map(([a, b]) => a + b);
    fc.assert(
      fc.property(inSub, (text) => {
        assert.deepEqual(spanProblems(text), [], `input ${JSON.stringify(text)}`);
        assert.equal(lintThrows(text), undefined, `input ${JSON.stringify(text)}`);
      }),
      { seed: FC_SEED + 2, numRuns: 250 },
    );
  });
});

describe('parser robustness: half-typed input', () => {
  // What an editor sends while the user types; each once failed or could fail.
  const rows: string[] = [
    'sub vcl_recv { x; }',
    'sub vcl_recv { foo = 1; }',
    'sub vcl_recv { std.log }',
    'sub vcl_recv { std.log(',
    'sub vcl_recv { set req.http.x = ',
    'sub vcl_recv { if (',
    'sub vcl_recv { if (req.url) { } else',
    'sub vcl_recv { return (',
    'sub vcl_recv { return (synth(',
    'sub vcl_recv { new',
    'sub vcl_recv { call',
    'sub vcl_recv { (req.url + "x").',
    'backend b { .probe = {',
    'backend b { .host',
    'backend',
    'probe p { .request = "a" "b"',
    'acl a { !',
    'acl a { ( "x" /',
    'acl a +',
    'import',
    'import std from',
    'include +',
    'vcl',
    'vcl 4.1',
    '"',
    '{"',
    '"""',
    'C{',
    '/*',
    ':',
    'sub vcl_recv { set req.http."x',
  ];
  for (const text of rows) {
    it(JSON.stringify(text), () => {
      assert.deepEqual(spanProblems(text), []);
      assert.equal(lintThrows(text), undefined);
    });
  }
});


describe('parser robustness: mutation fuzzer over real VCL', () => {
  const { files, from } = fuzzSources();
  if (!findCorpus()) {
    console.log(`corpus not found: mutation fuzzer uses ${files.length} project fixture/example files instead`);
  }

  it(`mutated files never make parse or lintText throw (${files.length} files from ${from}, seed ${FUZZ_SEED})`, () => {
    const rand = prng(FUZZ_SEED);
    const failures: string[] = [];
    let variants = 0;
    for (const file of files) {
      const original = readFileSync(file, 'utf8');
      // Large files get fewer variants so the budget stays the same.
      const count = original.length > 20000 ? 2 : original.length > 5000 ? 4 : 8;
      for (let v = 0; v < count; v++) {
        let text = original;
        const steps: string[] = [];
        for (let m = 1 + int(rand, 3); m > 0; m--) {
          const [next, what] = mutate(text, rand);
          text = next;
          steps.push(what);
        }
        variants++;
        const problems = spanProblems(text);
        const threw = lintThrows(text);
        if (threw) problems.push(threw);
        if (problems.length) failures.push(`${path.relative(projectRoot, file)} after ${steps.join(', ')}:\n    ${problems.slice(0, 3).join('\n    ')}`);
      }
    }
    assert.ok(variants >= files.length, 'every file was mutated');
    assert.ok(failures.length === 0, `${failures.length} of ${variants} mutated files failed; the first ones:\n  ${failures.slice(0, 5).join('\n  ')}`);
  });
});

/** Time of the fastest of three runs of `reps` parses of `text`. */
function bestTime(text: string, reps: number): number {
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) parse(text);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

const validVcl = (n: number) => {
  let s = 'vcl 4.1;\n';
  for (let i = 0; i < n; i++) s += `sub s_${i} { if (req.url ~ "^/a") { set req.http.x-${i} = "v"; } }\n`;
  return s;
};

describe('parser robustness: time grows linearly with input size', () => {
  // [what, input of size n, n]. The big input is built with 8n; its time per
  // byte may be at most 4x the small one's (the small input is parsed 8 times
  // per measurement so both measure the same amount of work). A complexity
  // check, not a benchmark: no absolute times are asserted.
  const cases: Array<[string, (n: number) => string, number]> = [
    ['valid VCL (n and 8n subs)', validVcl, 400],
    ['unclosed ( (10,000)', (n) => '('.repeat(n), 1250],
    ['unclosed { (10,000)', (n) => '{'.repeat(n), 1250],
    ['unclosed ( in an expression (10,000)', (n) => `sub vcl_recv { set req.http.x = ${'('.repeat(n)}`, 1250],
    ['1 MB of """', (n) => '"""'.repeat(n), 43690],
    ['100k lines of #', (n) => '#\n'.repeat(n), 12500],
    ['50k }', (n) => '}'.repeat(n), 6250],
    ['a syntax error on every line', (n) => 'sub vcl_recv { set }\n'.repeat(n), 100],
    ['an unterminated string on every line', (n) => 'sub vcl_recv { set req.http.x = "a;\n'.repeat(n), 250],
  ];
  for (const [what, make, n] of cases) {
    it(what, () => {
      const small = make(n);
      const big = make(8 * n);
      bestTime(small, 2); // warm up the JIT
      // A load spike on a shared machine can spoil one measurement; a
      // super-linear parser fails every attempt.
      let report = '';
      for (let attempt = 0; attempt < 3; attempt++) {
        const tSmall = bestTime(small, 8);
        const tBig = bestTime(big, 1);
        const ratio = tBig / Math.max(tSmall, 0.05);
        if (ratio <= 4) return;
        report += `\n  ${big.length} chars took ${tBig.toFixed(1)} ms, 8 x ${small.length} chars took ${tSmall.toFixed(1)} ms: ${ratio.toFixed(1)}x slower per byte`;
      }
      assert.fail(`time per byte grows with input size:${report}`);
    });
  }
});

describe('parser robustness: deep nesting', () => {
  const deepExpression = (d: number) => `vcl 4.1;\nsub vcl_recv {\n  set req.http.x = ${'('.repeat(d)}1${')'.repeat(d)};\n}\n`;
  const deepIfs = (d: number) => `vcl 4.1;\nsub vcl_recv {\n${'if (req.url) {\n'.repeat(d)}set req.http.x = "1";\n${'}\n'.repeat(d)}}\n`;

  for (const [what, text] of [
    ['a 10,000-deep parenthesised expression', deepExpression(10000)],
    ['10,000 nested if blocks', deepIfs(10000)],
    ['10,000 unary minus signs', `sub vcl_recv { set req.http.x = ${'- '.repeat(10000)}1; }`],
  ] as const) {
    it(`${what} gives a 'syntax' error about nesting, no exception`, () => {
      assert.deepEqual(spanProblems(text), []);
      const diagnostics = lintText(text);
      // A run of prefix operators is refused by the operator-chain limit.
      const nesting = diagnostics.filter((d) => d.rule === 'syntax' && /nest|more than \d+ operators/i.test(d.message));
      assert.equal(nesting.length, 1, JSON.stringify(diagnostics.map((d) => `${d.rule}: ${d.message}`)));
      assert.equal(nesting[0]!.severity, 'error');
    });
  }

  it(`nesting just under MAX_NESTING (${MAX_NESTING}) parses without errors, also in a fresh process`, () => {
    // Depth counted: the sub's `{` (1) plus 2 per parenthesis, or 1 per if
    // block plus 2 while its condition's parenthesis is open.
    const texts = { expression: deepExpression(Math.floor((MAX_NESTING - 1) / 2)), ifs: deepIfs(MAX_NESTING - 2) };
    for (const [what, text] of Object.entries(texts)) {
      assert.deepEqual(parse(text).errors, [], `${what}, in this process`);
    }
    const cold = inFreshProcess(texts);
    for (const what of Object.keys(texts)) {
      assert.deepEqual(cold[what], { errors: [] }, `${what}, in a fresh node process`);
    }
  });

  // Long flat chains are not nesting to the reader, but a left-associative
  // tree of 10,000 binary nodes is 10,000 deep to any recursive walker.
  const chains: Record<string, string> = {
    '10,000 terms joined by +': `sub vcl_recv { set req.http.x = "a"${' + "a"'.repeat(10000)}; }`,
    '10,000 conditions joined by &&': `sub vcl_recv { if (req.url${' && req.url'.repeat(10000)}) { return (pass); } }`,
    '10,000 conditions joined by ||': `sub vcl_recv { if (req.url${' || req.url'.repeat(10000)}) { return (pass); } }`,
    '10,000 chained method calls': `sub vcl_recv { set req.http.x = o${'.m()'.repeat(10000)}; }`,
  };
  it(`long operator chains (${Object.keys(chains).join('; ')}): no throw, valid spans, also in a fresh process`, () => {
    for (const [what, text] of Object.entries(chains)) {
      assert.deepEqual(spanProblems(text), [], what);
      assert.equal(lintThrows(text), undefined, what);
    }
    const cold = inFreshProcess(chains);
    for (const what of Object.keys(chains)) {
      const r = cold[what]!;
      assert.deepEqual([r.parseThrew, r.lintThrew, r.errors.filter((m) => /internal/i.test(m))], [undefined, undefined, []], `${what}, in a fresh node process`);
    }
  });
});

interface ColdResult {
  errors: string[];
  parseThrew?: string;
  lintThrew?: string;
}

/**
 * Parses and lints texts in a new node process. A freshly started language
 * server runs cold code, whose stack frames are larger than those of this
 * warmed-up test process: recursion that fits here can overflow there.
 */
function inFreshProcess(texts: Record<string, string>): Record<string, ColdResult> {
  const url = (p: string) => JSON.stringify(pathToFileURL(path.join(projectRoot, p)).href);
  const script = `
    import { parse } from ${url('out/server/src/syntax/parse.js')};
    import { lintText } from ${url('out/server/src/service/lint.js')};
    let input = '';
    for await (const chunk of process.stdin) input += chunk;
    const out = {};
    for (const [k, t] of Object.entries(JSON.parse(input))) {
      const r = (out[k] = { errors: [] });
      try { r.errors = parse(t).errors.map((e) => e.message); } catch (e) { r.parseThrew = String(e); }
      try { lintText(t); } catch (e) { r.lintThrew = String(e); }
    }
    console.log(JSON.stringify(out));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as Record<string, ColdResult>;
}
