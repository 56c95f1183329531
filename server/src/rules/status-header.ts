/**
 * Whether a built-in subroutine (vcl_synth, vcl_backend_error) sets a
 * response header for a given status, across the files of the program and
 * the subs it calls, and the edit that adds it. Shared by the rules that
 * want a `Retry-After` on 503 and 429 responses.
 *
 * A `set` inside `if (resp.status == N)` counts for N only; any other `set`
 * counts for every status (the rule cannot tell which statuses reach it,
 * and a false "missing" is worse than a missed one).
 */
import type * as A from '../syntax/ast.js';
import { walkStatements, type StatementNode } from '../syntax/walk.js';
import type { SemanticModel } from '../analysis/semantic-model.js';
import type { OffsetEdit } from './rule.js';
import { lineStartAt, trailingLineBreaks } from '../text/line-breaks.js';

/** The response object of each method: what holds the status and the headers there. */
const RESPONSE: Record<string, string> = { vcl_synth: 'resp', vcl_backend_error: 'beresp' };

/** Statuses for which `method` sets header `header`; `all` when some set is not tied to a status. */
export interface HeaderCoverage {
  all: boolean;
  statuses: Set<number>;
}

/** Where `method` (vcl_synth or vcl_backend_error) sets `header`, in every file of the program. */
export function headerCoverage(model: SemanticModel, method: string, header: string): HeaderCoverage {
  // Every file of a program is checked against the same model: work the answer out once per model.
  let byQuery = coverages.get(model);
  if (!byQuery) coverages.set(model, (byQuery = new Map()));
  const key = `${method}\n${header}`;
  let found = byQuery.get(key);
  if (!found) byQuery.set(key, (found = computeCoverage(model, method, header)));
  return found;
}

const coverages = new WeakMap<SemanticModel, Map<string, HeaderCoverage>>();

function computeCoverage(model: SemanticModel, method: string, header: string): HeaderCoverage {
  const obj = RESPONSE[method]!;
  const target = `${obj}.http.${header}`.toLowerCase();
  const subs = new Map<string, A.SubDecl[]>();
  for (const f of model.files) {
    for (const d of f.program.declarations) {
      if (d.kind === 'SubDecl' && d.name) {
        const key = d.name.text.toLowerCase();
        const list = subs.get(key);
        if (list) list.push(d);
        else subs.set(key, [d]);
      }
    }
  }
  const out: HeaderCoverage = { all: false, statuses: new Set() };
  const seen = new Set<string>();
  const visitSub = (name: string, guard: number[] | undefined) => {
    const key = `${name.toLowerCase()}:${guard?.join(',') ?? '*'}`;
    if (seen.has(key)) return;
    seen.add(key);
    for (const s of subs.get(name.toLowerCase()) ?? []) if (s.body) walkStatements(s.body, guard, visit);
  };
  // The context handed down is the guard: the statuses the enclosing `if`s limit the statements to.
  const visit = (st: StatementNode, guard: number[] | undefined): number[] | undefined => {
    switch (st.kind) {
      case 'SetStmt':
        if (st.target?.text.toLowerCase() === target) {
          if (guard) for (const g of guard) out.statuses.add(g);
          else out.all = true;
        }
        break;
      case 'IfBranch':
        return statusGuard(st.condition, `${obj}.status`) ?? guard;
      case 'CallStmt':
        if (st.target) visitSub(st.target.text, guard);
        break;
      default:
        break;
    }
    return undefined;
  };
  visitSub(method, undefined);
  return out;
}

/** True when the coverage includes `status`. */
export function covers(c: HeaderCoverage, status: number): boolean {
  return c.all || c.statuses.has(status);
}

/** The statuses `cond` limits a branch to: `resp.status == 503`, `503 == resp.status`, joined by `||`. */
function statusGuard(cond: A.Expression | undefined, variable: string): number[] | undefined {
  if (!cond) return undefined;
  if (cond.kind === 'ParenExpr') return statusGuard(cond.expression, variable);
  if (cond.kind !== 'BinaryExpr' || !cond.right) return undefined;
  if (cond.operator === '||') {
    const l = statusGuard(cond.left, variable);
    const r = statusGuard(cond.right, variable);
    return l && r ? [...l, ...r] : undefined;
  }
  if (cond.operator !== '==') return undefined;
  const [a, b] = [cond.left, cond.right];
  const isVar = (e: A.Expression) => e.kind === 'Identifier' && e.name.text.toLowerCase() === variable;
  const num = (e: A.Expression) => (e.kind === 'NumberLiteral' && !e.unit && /^\d+$/.test(e.text) ? Number(e.text) : undefined);
  if (isVar(a) && num(b) !== undefined) return [num(b)!];
  if (isVar(b) && num(a) !== undefined) return [num(a)!];
  return undefined;
}

/**
 * The edit that sets `header` to `value` for `status` in `method`: at the
 * top of the document's first definition of it, so it runs before any
 * `return`; or, when the program has none, a new sub at the end of the
 * document (VCL appends it to the built-in one, which then still runs).
 * Undefined when the method is defined only in another file, or would have
 * to be created in a file that another includes (`create` false).
 */
export function setHeaderEdit(text: string, program: A.Program, model: SemanticModel, method: string, status: number, header: string, value: string, create = true): OffsetEdit | undefined {
  const obj = RESPONSE[method]!;
  const sub = program.declarations.find((d): d is A.SubDecl => d.kind === 'SubDecl' && d.name?.text === method && !!d.body);
  const lines = (indent: string) => [`if (${obj}.status == ${status}) {`, `    set ${obj}.http.${header} = "${value}";`, '}'].map((l) => indent + l);
  if (sub?.body) {
    const first = sub.body.statements[0];
    let indent = '    ';
    if (first) {
      const lineStart = lineStartAt(text, first.start);
      const lead = text.slice(lineStart, first.start);
      if (/^[ \t]+$/.test(lead)) indent = lead;
    }
    const open = sub.body.start + 1;
    return { start: open, end: open, newText: `\n${lines(indent).join('\n')}` + (first && /[\r\n]/.test(text.slice(open, first.start)) ? '' : '\n') };
  }
  if (!create || model.lookup(method).some((d) => d.kind === 'sub')) return undefined;
  const end = text.length;
  const sep = text.length === 0 ? '' : ['\n\n', '\n', ''][trailingLineBreaks(text)];
  return { start: end, end, newText: `${sep}sub ${method} {\n${lines('    ').join('\n')}\n}\n` };
}
