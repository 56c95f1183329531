/**
 * `backend-timeout-risk`: backend timeouts that turn slow answers into
 * "503 Backend fetch failed". A `first_byte_timeout` or
 * `between_bytes_timeout` under one second fails every response that takes
 * a little longer to start or that stalls for a moment (a cold cache, a
 * garbage collection, a large page), in a backend declaration or set on
 * `bereq` in VCL. A `connect_timeout` longer than the same backend's
 * `first_byte_timeout` has them the wrong way round: opening a connection
 * is the quick step, and a backend that needs that long to accept one is
 * down or overloaded, while a page that takes that long to render fails.
 * `0s` is left alone (its meaning depends on the Varnish version).
 */
import type * as A from '../syntax/ast.js';
import { nodeKinds, walkKinds } from '../syntax/walk.js';
import type { DeclarationPass, Finding, Rule, RuleContext } from './rule.js';
import { durationSeconds, formatSeconds } from './duration-literal.js';
import { keptPass, passFindings } from './per-declaration.js';

/** Below this, ordinary slow responses start failing. */
const MIN_SECONDS = 1;

const READ_TIMEOUTS = ['first_byte_timeout', 'between_bytes_timeout'];

export const backendTimeoutRiskRule: Rule = {
  id: 'backend-timeout-risk',
  defaultSeverity: 'warning',
  description: 'Backend timeouts that make fetch failures (503) likely: first_byte_timeout or between_bytes_timeout under 1s, connect_timeout above first_byte_timeout.',
  byDeclaration,
  check: (ctx) => passFindings(byDeclaration(ctx), ctx.parse.ast),
};

function byDeclaration(ctx: RuleContext): DeclarationPass {
  const out: Finding[] = [];
  for (const d of ctx.parse.ast.declarations) {
    if (d.kind !== 'BackendDecl') continue;
    const who = `Backend '${d.name?.text ?? '?'}'`;
    const field = (name: string) => d.attributes.find((a) => a.name?.text === name);
    for (const name of READ_TIMEOUTS) {
      const a = field(name);
      const s = durationSeconds(a?.value);
      if (a?.value && s !== undefined) tooShort(out, a.value, `${who}: .${name}`, name, s);
    }
    const connect = field('connect_timeout');
    const firstByte = field('first_byte_timeout');
    const c = durationSeconds(connect?.value);
    const f = durationSeconds(firstByte?.value);
    if (connect?.value && c !== undefined && f !== undefined && f > 0 && c > f) {
      out.push({
        start: connect.value.start,
        end: connect.value.end,
        message: `${who}: .connect_timeout (${formatSeconds(c)}) is longer than .first_byte_timeout (${formatSeconds(f)}). Connecting is the quick step: a backend that needs that long to accept a connection is down or overloaded, while a page that takes more than ${formatSeconds(f)} fails with 503. Make connect_timeout short (a few seconds) and first_byte_timeout the longest a page may take.`,
      });
    }
  }
  // The statements that set a timeout for one fetch: found per declaration, and kept while it is the same.
  return keptPass('backend-timeout-risk', '', (d) => setFindings(d, ctx.parse.ast), out);
}

const SETS = nodeKinds('SetStmt');

/** `set bereq.first_byte_timeout = 0.5s;` and the like in one declaration. */
function setFindings(d: A.Declaration, program: A.Program): Finding[] {
  const out: Finding[] = [];
  walkKinds(
    d,
    SETS,
    (n) => {
      const name = n.operator === '=' ? /^bereq\.(first_byte_timeout|between_bytes_timeout)$/.exec(n.target?.text ?? '')?.[1] : undefined;
      const s = durationSeconds(n.value);
      if (name && n.value && s !== undefined) tooShort(out, n.value, `'${n.target!.text}'`, name, s);
    },
    program,
  );
  return out;
}

function tooShort(out: Finding[], at: A.Span, what: string, name: string, s: number): void {
  if (s <= 0 || s >= MIN_SECONDS) return;
  const step = name === 'first_byte_timeout' ? 'take longer than that to start answering' : 'pause longer than that between two reads';
  out.push({
    start: at.start,
    end: at.end,
    message: `${what} is ${formatSeconds(s)}: responses that ${step} (a cold cache, a busy database, a large page) fail with "503 Backend fetch failed". Give it at least a few seconds.`,
  });
}
