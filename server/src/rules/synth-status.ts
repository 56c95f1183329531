/**
 * `return (synth(STATUS, ...))` statements with a literal status, in every
 * sub of a program: where the rules about 503 and 429 responses look.
 */
import type * as A from '../syntax/ast.js';
import { nodeKinds, walkKinds } from '../syntax/walk.js';

/** One `return (synth(...))` with a literal status. */
export interface SynthReturn {
  statement: A.ReturnStmt;
  status: number;
  /** The status literal, for findings and edits. */
  statusNode: A.NumberLiteral;
  /** The reason argument when it is a plain string literal. */
  reason?: A.StringLiteral;
}

/** The literal status of a `return (synth(...))`, or undefined for any other statement. */
export function synthReturn(n: A.Node): SynthReturn | undefined {
  if (n.kind !== 'ReturnStmt' || n.action?.text !== 'synth') return undefined;
  const first = n.args?.[0]?.value;
  if (first?.kind !== 'NumberLiteral' || first.unit || !/^\d+$/.test(first.text)) return undefined;
  const second = n.args?.[1]?.value;
  return { statement: n, status: Number(first.text), statusNode: first, reason: second?.kind === 'StringLiteral' ? second : undefined };
}

const RETURNS = nodeKinds('ReturnStmt');

/** Every `return (synth(...))` with a literal status in `program`, in source order. */
export function synthReturns(program: A.Program): SynthReturn[] {
  const out: SynthReturn[] = [];
  walkKinds(program, RETURNS, (n) => {
    const s = synthReturn(n);
    if (s) out.push(s);
  });
  return out;
}
