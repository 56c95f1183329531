/**
 * The VCL editing features never throw and keep their answers inside the
 * text, whatever is typed: fragments of the fixtures cut and joined at random,
 * with the cursor anywhere (fast-check, fixed seed).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { vmodResolverFor } from '../../server/src/service/lint.js';
import { programModel } from '../helpers/program-model.js';
import { vclCompletions } from '../../server/src/service/vcl-completion.js';
import { vclSignatureHelp } from '../../server/src/service/vcl-signature-help.js';
import { vmodHover } from '../../server/src/service/vcl-vmod-hover.js';
import { vmodScope } from '../../server/src/service/vmod-scope.js';
import { documentHighlights } from '../../server/src/service/vcl-highlights.js';
import { prepareRename, renameSymbol } from '../../server/src/service/vcl-rename.js';
import { encodeSemanticTokens, semanticTokens } from '../../server/src/service/semantic-tokens.js';
import { readMarked } from '../helpers/cursors.js';

const FC_SEED = Number(process.env['FC_SEED'] ?? 20261126);
const sources = ['editor/completion.vcl', 'editor/signature-help.vcl', 'editor/vmod-hover.vcl', 'editor/highlights.vcl'].map((f) => readMarked(f).text);
const lines = sources.flatMap((s) => s.split('\n'));
const textArb = fc.oneof(
  // Lines of real VCL, shuffled and cut: half-written statements and unbalanced blocks,
  // ending in LF, CRLF or a lone CR (each ends a line for the editor).
  fc
    .array(fc.tuple(fc.constantFrom(...lines), fc.nat(80), fc.constantFrom('\n', '\r\n', '\r')), { maxLength: 40 })
    .map((parts) => parts.map(([l, cut, eol]) => l.slice(0, cut) + eol).join('')),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(...sources).chain((s) => fc.nat(s.length).map((n) => s.slice(0, n))),
);

describe('VCL editing features: robustness', () => {
  it(`no feature throws and every span lies inside the text (fast-check seed ${FC_SEED})`, () => {
    const resolve = vmodResolverFor([]);
    fc.assert(
      fc.property(textArb, fc.nat(), (text, at) => {
        const offset = text.length ? at % (text.length + 1) : 0;
        const program = programModel(text, {});
        const scope = vmodScope(program.model, resolve);
        const inside = (s: { start: number; end: number }) => s.start >= 0 && s.start <= s.end && s.end <= text.length;
        for (const c of vclCompletions(text, offset, { model: program.model, scope, headerNames: () => ['X-A'] })) assert.ok(inside(c), JSON.stringify(c));
        const sig = vclSignatureHelp(text, offset, scope);
        if (sig) for (const p of sig.parameters) assert.ok(p.label[0] <= p.label[1] && p.label[1] <= sig.label.length);
        const hover = vmodHover(program.model, program.selfId, scope, offset);
        if (hover) assert.ok(inside(hover));
        for (const h of documentHighlights(program.model, program.selfId, offset)) assert.ok(inside(h));
        const prepared = prepareRename(program.model, program.selfId, offset);
        if (prepared.ok) assert.ok(inside(prepared));
        const renamed = renameSymbol(program.model, program.selfId, offset, 'renamed_x');
        if ('places' in renamed) for (const p of renamed.places) assert.ok(p.file !== '' || inside(p));
        const tokens = semanticTokens(program.model, program.selfId, scope);
        for (const t of tokens) assert.ok(inside(t));
        assert.equal(encodeSemanticTokens(text, tokens).length % 5, 0);
      }),
      { seed: FC_SEED, numRuns: 300 },
    );
  });
});
