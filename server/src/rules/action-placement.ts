/**
 * `action-placement`: statements that VCC allows in some built-in
 * subroutines only ("Not a valid action in subroutine 'vcl_recv'.", or
 * "... from subroutine 'vcl_recv'." for a custom sub it calls). Checked
 * against varnishd 7.1.1: `new` only in vcl_init, `synthetic` only in
 * vcl_synth and vcl_backend_error, `hash_data` only in vcl_hash. A custom
 * sub may hold them when every built-in subroutine that calls it allows
 * them; a sub that nothing calls is not checked, as in VCC.
 */
import type * as A from '../syntax/ast.js';
import type { DeclarationPass, Finding, Rule, RuleContext } from './rule.js';
import { nodeKinds, walkKinds } from '../syntax/walk.js';
import { declarationFindings, passFindings } from './per-declaration.js';

interface Placement {
  what: string;
  allowed: readonly string[];
  advice: string;
}

/** The statements whose place is checked (see {@link statement}). */
const PLACED = nodeKinds('NewStmt', 'ExpressionStmt');

const placements: Record<string, Placement> = {
  new: { what: "'new'", allowed: ['vcl_init'], advice: 'Create objects in sub vcl_init; they can be used everywhere afterwards.' },
  synthetic: {
    what: 'synthetic()',
    allowed: ['vcl_synth', 'vcl_backend_error'],
    advice: 'To answer from vcl_recv and the like, return (synth(status, "reason")) and build the body in vcl_synth (set resp.body in 7.x).',
  },
  hash_data: { what: 'hash_data()', allowed: ['vcl_hash'], advice: 'Add to the hash in sub vcl_hash.' },
};

export const actionPlacementRule: Rule = {
  id: 'action-placement',
  defaultSeverity: 'error',
  description: "'new', synthetic() or hash_data() used in a subroutine where VCC does not allow it.",
  byDeclaration,
  check: (ctx) => passFindings(byDeclaration(ctx), ctx.parse.ast),
};

function byDeclaration(ctx: RuleContext): DeclarationPass {
  const model = ctx.semantic();
  return {
    declaration(d) {
      if (d.kind !== 'SubDecl' || !d.name || !d.body) return [];
      const sub = d.name.text.toLowerCase();
      const direct = model.facts.builtinSubroutine(sub) !== undefined;
      const methods = direct ? [sub] : [...model.methodsReaching(sub)].sort();
      // What a sub may hold depends on the built-in subroutines that reach it: the key of its kept findings.
      return declarationFindings('action-placement', d, `${direct}:${methods.join(',')}`, () => placementFindings(d, direct, methods));
    },
    end: (found) => found,
  };
}

/** The statements of sub `d` that the built-in subroutines `methods` (which reach it) do not allow. */
function placementFindings(d: A.SubDecl, direct: boolean, methods: readonly string[]): Finding[] {
  const out: Finding[] = [];
  // From the sub (its name holds neither), so that the walk reads the sub's kept visiting order.
  walkKinds(d, PLACED, (n) => {
    const found = statement(n);
    if (!found) return;
    const p = placements[found.key]!;
    const bad = methods.find((m) => !p.allowed.includes(m));
    if (bad) {
      const where = direct ? `in subroutine '${bad}'` : `in sub '${d.name!.text}', which runs from '${bad}'`;
      out.push({ ...found.span, message: `${p.what} is not allowed ${where}; it is only allowed in ${p.allowed.join(' and ')}. ${p.advice}` });
    }
  });
  return out;
}

function statement(n: A.Node): { key: string; span: A.Span } | undefined {
  if (n.kind === 'NewStmt') return { key: 'new', span: { start: n.start, end: n.start + 3 } };
  if (n.kind === 'ExpressionStmt' && !n.expression.receiver) {
    // VCC's names ignore letter case: `Synthetic(...)` is the same action.
    const name = n.expression.callee.text.toLowerCase();
    if (name === 'synthetic' || name === 'hash_data') return { key: name, span: { start: n.expression.callee.start, end: n.expression.callee.end } };
  }
  return undefined;
}

