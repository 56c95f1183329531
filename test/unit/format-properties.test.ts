/**
 * Properties of the VCL formatter on random input, from fixed seeds so a
 * failure reproduces (set FC_SEED to explore others):
 * - the layout depends only on where the author put line breaks (and blank
 *   lines), never on how many blanks or tabs stood anywhere: re-spacing a
 *   file at random gives the same formatted text;
 * - random bytes never make it throw, and whatever it formats it formats
 *   idempotently and whitespace-only.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { formatVcl, isFormatted } from '../../server/src/format/format.js';
import { lex } from '../../server/src/syntax/lexer.js';
import { projectRoot } from '../conformance/corpus.js';
import { tokenSequence } from '../helpers/token-sequence.js';

const FC_SEED = Number(process.env['FC_SEED'] ?? 20261126);
const DIR = join(projectRoot, 'test/fixtures/format');
const inputs = readdirSync(DIR).filter((f) => f.endsWith('.in.vcl')).sort().map((f) => readFileSync(join(DIR, f), 'utf8'));

/** Offsets of the whitespace gaps between tokens and comments (and before the first / after the last). */
function gapsOf(text: string): Array<[number, number]> {
  const { tokens, comments } = lex(text);
  const spans = [
    ...tokens.map((t) => [t.startOffset, t.startOffset + t.image.length] as const),
    ...comments.map((c) => [c.start, c.end] as const),
  ].sort((a, b) => a[0] - b[0]);
  const gaps: Array<[number, number]> = [];
  let at = 0;
  for (const [s, e] of spans) {
    gaps.push([at, s]);
    at = e;
  }
  gaps.push([at, text.length]);
  return gaps;
}

/** `text` with every gap's blanks replaced by `pick(i)` blanks/tabs, its line breaks kept in number. */
function respaced(text: string, pick: (i: number) => number): string {
  let out = '';
  let at = 0;
  let n = 0;
  const blanks = () => [' ', '  ', '\t', '   \t ', ' '][pick(n++) % 5]!;
  for (const [s, e] of gapsOf(text)) {
    out += text.slice(at, s);
    const gap = text.slice(s, e);
    const breaks = (gap.match(/\n/g) ?? []).length;
    // An empty gap stays empty: separating two tokens could change how they read (a number and its unit).
    out += gap === '' ? '' : breaks === 0 ? blanks() : Array.from({ length: breaks }, () => `${pick(n++) % 2 ? blanks() : ''}\n`).join('') + (pick(n++) % 2 ? blanks() : '');
    at = e;
  }
  return out + text.slice(at);
}

describe('VCL formatter: properties', () => {
  it('gives the same text whatever blanks and tabs stood between the tokens', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: inputs.length - 1 }), fc.array(fc.nat(100), { minLength: 1, maxLength: 50 }), (which, choices) => {
        const input = inputs[which]!;
        const shaken = respaced(input, (i) => choices[i % choices.length]!);
        const a = formatVcl(input);
        const b = formatVcl(shaken);
        assert.ok(isFormatted(a) && isFormatted(b));
        assert.equal(b.text, a.text);
      }),
      { seed: FC_SEED, numRuns: 200 },
    );
  });

  it('never throws on random text, and what it formats it formats idempotently and whitespace-only', () => {
    let formatted = 0;
    const alphabet = ['vcl 4.1;', 'sub', ' s ', '{', '}', '(', ')', ';', ' ', '\n', '\r\n', '\r', '"x"', '{"', '"}', '#c', '/*', '*/', 'C{', '}C', '-', '!', '~', '=', '1', 's', '.', ',', 'if', 'else', 'acl', '/', '+'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        const r = formatVcl(text);
        if (!isFormatted(r)) return;
        if (r.edits.length > 0) formatted++;
        assert.deepEqual(tokenSequence(r.text), tokenSequence(text));
        const again = formatVcl(r.text);
        assert.ok(isFormatted(again) && again.edits.length === 0, JSON.stringify(text));
      }),
      { seed: FC_SEED, numRuns: 2000 },
    );
    // Most random texts are not valid VCL; enough of them must be, or the checks above say nothing.
    assert.ok(formatted >= 20, `only ${formatted} random texts formatted`);
  });
});
