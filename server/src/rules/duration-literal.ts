/**
 * Reading VCL duration literals (`500ms`, `2s`, `1.5m`) in rules that
 * judge timeouts and intervals. Anything but a literal (an expression, a
 * number without a unit) is left to the syntax and type checks: undefined.
 */
import type * as A from '../syntax/ast.js';
import { own } from '../text/own.js';

/** Seconds per VCL duration unit. */
const SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/** The literal duration `e` in seconds, or undefined when it is not a duration literal. */
export function durationSeconds(e: A.Expression | undefined): number | undefined {
  if (!e || e.kind !== 'NumberLiteral' || !e.unit) return undefined;
  const per = own(SECONDS, e.unit.text);
  return per === undefined || !Number.isFinite(e.value) ? undefined : e.value * per;
}

/** A duration for messages: `500ms`, `2s`, `1.5s`. */
export function formatSeconds(s: number): string {
  return s < 1 ? `${Math.round(s * 1000)}ms` : `${Number(s.toFixed(3))}s`;
}
