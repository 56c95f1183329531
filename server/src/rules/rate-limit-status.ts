/**
 * `rate-limit-status`: a rate limiter that turns clients away with a 5xx.
 * A 503 or 502 says the server is broken: monitoring raises alarms, CDNs and
 * crawlers treat the site as down, and clients retry at once, which is what
 * the limiter is there to stop. RFC 6585 gives rate limiting its own status,
 * 429 Too Many Requests, with a Retry-After header saying when to come back.
 *
 * Found: `return (synth(5xx, ...))` in the branch of an `if` whose condition
 * asks a limiter (vsthrottle's `is_denied`, or a vmod function named for
 * throttling or rate limiting) and is not negated. The fix (offered, not
 * applied by --fix, as clients and dashboards see the new status) answers
 * 429, and sets Retry-After for 429 in vcl_synth when nothing does, to the
 * limiter's period when the call gives it as a literal.
 */
import type * as A from '../syntax/ast.js';
import { nodeKinds, walk, walkKinds } from '../syntax/walk.js';
import { keptValue } from '../syntax/kept.js';
import type { DeclarationPass, Finding, OffsetEdit, Rule, RuleContext } from './rule.js';
import { passFindings } from './per-declaration.js';
import { durationSeconds } from './duration-literal.js';
import { covers, headerCoverage, setHeaderEdit } from './status-header.js';
import { synthReturn, type SynthReturn } from './synth-status.js';

/** Reason phrases of the 5xx statuses, replaced together with the status. */
const FIVE_XX_REASONS = /^(internal server error|not implemented|bad gateway|service unavailable|gateway timeout)$/i;

/** Retry-After when the limiter's period is not a literal. */
const DEFAULT_RETRY_SECONDS = 60;

const BRANCHES = nodeKinds('IfBranch');

export const rateLimitStatusRule: Rule = {
  id: 'rate-limit-status',
  defaultSeverity: 'warning',
  description: 'A rate limiter that denies with a 5xx status instead of 429 Too Many Requests.',
  byDeclaration,
  check: (ctx) => passFindings(byDeclaration(ctx), ctx.parse.ast),
};

function byDeclaration(ctx: RuleContext): DeclarationPass {
  return {
    declaration: (d) =>
      deniedWith5xx(d).map(
        ({ s, limiter }): Finding => ({
          start: s.statusNode.start,
          end: s.statusNode.end,
          message: `Requests the rate limiter (${limiter.callee.text}) turns away get ${s.status}, which says the server is failing: monitoring alarms, crawlers and CDNs treat the site as down and clients retry at once. Answer 429 Too Many Requests with a Retry-After header.`,
          fixes: [{ title: 'Answer 429 Too Many Requests (with Retry-After)', edits: fixEdits(ctx, s, limiter), manual: true }],
        }),
      ),
    end: (found) => found,
  };
}

/** A 5xx synth a rate limiter's `if` answers with, and the limiter's call. */
type Denial = { s: ReturnType<typeof directSynths>[number]; limiter: A.CallExpr };

/**
 * The 5xx synths a rate limiter's `if` answers with in one declaration. They
 * hold the declaration's own nodes, which move with it, so they are kept
 * while it is the same object (the fix, which reads the rest of the
 * program, is made each time).
 */
function deniedWith5xx(d: A.Declaration): Denial[] {
  return keptValue(d, 'rate-limit-status:denials', () => {
    const list: Denial[] = [];
    walkKinds(d, BRANCHES, (n) => {
      if (!n.body) return;
      const limiter = limiterCall(n.condition);
      if (!limiter) return;
      for (const s of directSynths(n.body)) if (s.status >= 500 && s.status <= 599) list.push({ s, limiter });
    });
    return list;
  });
}

/** A call in `cond` that asks a rate limiter, outside any `!`. */
function limiterCall(cond: A.Expression | undefined): A.CallExpr | undefined {
  if (!cond) return undefined;
  let found: A.CallExpr | undefined;
  walk(cond, (n) => {
    if (found) return false;
    if (n.kind === 'UnaryExpr' && n.operator === '!') return false;
    if (n.kind === 'CallExpr' && isLimiter(n.callee.text)) found = n;
    return undefined;
  });
  return found;
}

function isLimiter(callee: string): boolean {
  return /(^|\.)is_denied$/i.test(callee) || /throttl|rate_?limit/i.test(callee);
}

/** synth returns in a branch body, nested blocks and ifs included. */
function directSynths(body: A.Block): SynthReturn[] {
  const out: SynthReturn[] = [];
  walk(body, (n) => {
    const s = synthReturn(n);
    if (s) out.push(s);
    return n.kind === 'ReturnStmt' ? false : undefined;
  });
  return out;
}

function fixEdits(ctx: RuleContext, s: SynthReturn, limiter: A.CallExpr): OffsetEdit[] {
  const edits: OffsetEdit[] = [{ start: s.statusNode.start, end: s.statusNode.end, newText: '429' }];
  if (s.reason && FIVE_XX_REASONS.test(s.reason.value.trim())) {
    edits.push({ start: s.reason.start, end: s.reason.end, newText: '"Too Many Requests"' });
  }
  if (ctx.wholeProgram) {
    const model = ctx.semantic();
    if (!covers(headerCoverage(model, 'vcl_synth', 'Retry-After'), 429)) {
      const edit = setHeaderEdit(ctx.text, ctx.parse.ast, model, 'vcl_synth', 429, 'Retry-After', String(retrySeconds(limiter)), !ctx.isIncluded);
      if (edit) edits.push(edit);
    }
  }
  return edits;
}

/** vsthrottle.is_denied(key, limit, period, block): the block time if given, else the period, in whole seconds. */
function retrySeconds(limiter: A.CallExpr): number {
  const byName = (name: string) => limiter.args.find((a) => a.name?.text === name)?.value;
  const positional = (i: number) => (limiter.args[i] && !limiter.args[i]!.name ? limiter.args[i]!.value : undefined);
  const block = durationSeconds(byName('block') ?? positional(3));
  const period = durationSeconds(byName('period') ?? positional(2));
  const s = block && block > 0 ? block : period;
  return s && s > 0 ? Math.ceil(s) : DEFAULT_RETRY_SECONDS;
}
