/**
 * Source offsets of YAML scalars: strings written by the `yaml` package in
 * every scalar style (folded at a short line width, with escapes, blanks,
 * quotes and empty lines) decode to the package's own value, and every
 * character points at its source (itself, the end of its escape, or the
 * line break it was folded from). Fast-check on a fixed seed (FC_SEED).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isMap, isScalar, parseDocument, Scalar, stringify } from 'yaml';
import { scalarWord } from '../../server/src/params/yaml-words.js';

const FC_SEED = Number(process.env['FC_SEED'] ?? 20250917);

/** The value scalar of `text`'s first key (`v: ...`). */
function valueScalar(text: string): Scalar | undefined {
  const doc = parseDocument(text, { keepSourceTokens: true, schema: 'failsafe' });
  const pair = isMap(doc.contents) ? doc.contents.items[0] : undefined;
  return pair && isScalar(pair.value) ? pair.value : undefined;
}

/** What is wrong with the word of `text`'s value; empty when it is exact and every offset fits. */
function wordProblems(text: string): string[] {
  const node = valueScalar(text);
  if (!node) return [];
  const word = scalarWord(node, text);
  if (!word) return ['no word'];
  const bad: string[] = [];
  if (!word.exact) bad.push(`not exact: ${JSON.stringify(node.value)} (${node.type})`);
  if (word.map.length !== word.text.length + 1) bad.push('map length');
  for (let i = 0; i < word.text.length; i++) {
    const src = text[word.map[i]!];
    if (src !== word.text[i] && !word.escapes.has(word.map[i]!) && src !== '\n' && src !== '\r') bad.push(`char ${i} ${JSON.stringify(word.text[i])} maps to ${JSON.stringify(src)}`);
  }
  return bad;
}

const styles = [Scalar.PLAIN, Scalar.QUOTE_DOUBLE, Scalar.QUOTE_SINGLE, Scalar.BLOCK_LITERAL, Scalar.BLOCK_FOLDED] as const;

describe('YAML scalars: source offsets', () => {
  const cases: [string, string, [number, string][]][] = [
    // [source, value, [offset of value char, that char] pairs worth pinning]
    ['v: a b\n', 'a b', [[3, 'a'], [5, 'b']]],
    ['v: "-p a=\\u0041"\n', '-p a=A', [[4, '-'], [14, 'A']]],
    ["v: 'it''s'\n", "it's", [[7, "'"], [8, 's']]],
    ['v: >-\n  varnishd\n  -p x=1\n', 'varnishd -p x=1', [[19, '-'], [22, 'x']]],
    ['v: |\n  a\n   b\n', 'a\n b\n', [[7, 'a'], [12, 'b']]],
    ['v: "a\n\n  b"\n', 'a\nb', [[5, '\n'], [9, 'b']]],
    ['v: "a \\\n  b"\n', 'a b', [[10, 'b']]],
    ['v: >\n  a\n\n  b\n   c\n  d\n', 'a\nb\n c\nd\n', [[12, 'b'], [17, 'c']]],
    ['v:\r\n  - x\r\nw: |\r\n  y\r\n', '', []],
  ];
  for (const [text, value, pins] of cases) {
    it(JSON.stringify(text), () => {
      const node = valueScalar(text);
      if (!value) return assert.equal(node, undefined);
      const word = scalarWord(node!, text)!;
      assert.equal(word.text, value);
      assert.ok(word.exact);
      for (const [at, c] of pins) {
        const i = word.map.indexOf(at);
        assert.ok(i >= 0, `offset ${at} is mapped`);
        assert.equal(word.text[i], c);
      }
    });
  }

  it(`strings written in every style read back with exact offsets (fast-check seed ${FC_SEED})`, () => {
    const charArb = fc.constantFrom('a', 'b', 'x', '=', '-', ' ', ' ', '  ', '\t', '\n', '\n\n', '\r\n', '\r', "'", '"', '\\', '#', ':', '$', 'é', '\u{1F600}', ',', '[', '{');
    const stringArb = fc.array(charArb, { minLength: 1, maxLength: 30 }).map((a) => a.join(''));
    fc.assert(
      fc.property(stringArb, fc.constantFrom(...styles), fc.constantFrom(8, 20, 80), fc.constantFrom('', '  ', '    '), (s, style, lineWidth, indent) => {
        const body = stringify({ v: s }, { defaultStringType: style, lineWidth, minContentWidth: 4 });
        // The same value one level deeper, to move the indentation.
        const text = indent ? `w:\n${body.replace(/\n$/, '').replace(/^/gm, indent)}\n` : body;
        const doc = parseDocument(text, { keepSourceTokens: true, schema: 'failsafe' });
        const m = isMap(doc.contents) ? doc.contents.items[0]?.value : undefined;
        const node = indent && isMap(m) ? m.items[0]?.value : m;
        if (!isScalar(node)) return;
        const word = scalarWord(node, text);
        assert.ok(word, text);
        // The package's reading, which is not always what it wrote (`|+` with blank lines).
        assert.equal(word.text, node.value, text);
        assert.ok(word.exact, `not exact for ${JSON.stringify(text)}`);
        for (let i = 0; i < word.text.length; i++) {
          const src = text[word.map[i]!];
          assert.ok(src === word.text[i] || word.escapes.has(word.map[i]!) || src === '\n' || src === '\r', `char ${i} of ${JSON.stringify(text)} maps to ${JSON.stringify(src)}`);
        }
      }),
      { seed: FC_SEED, numRuns: 1000 },
    );
  });

  it('odd scalars give a word or none, never an exception', () => {
    const odd = ['v: "a\\', 'v: |0\n x\n', 'v: |\n', 'v: >+\n\n\n', 'v: |-\n  \t\n', 'v: "\\x4"', 'v: "\\UFFFFFFFF"', "v: 'a\n\n\n  b'", 'v: |2\n     x\n    y\n'];
    for (const text of odd) assert.doesNotThrow(() => wordProblems(text), text);
  });
});
