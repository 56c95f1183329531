/**
 * Shapes of the positions and ranges a client sends. LSP positions are
 * unsigned integers; a client that sends `1.5`, `"x"` or `null` gets the
 * feature's empty answer instead of an answer computed from NaN.
 */

/** A position as LSP defines it: 0-based line and UTF-16 character. */
export interface Position {
  line: number;
  character: number;
}

/** Largest value of an LSP `uinteger`. */
const MAX_UINTEGER = 2 ** 31 - 1;

function isUinteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_UINTEGER;
}

/** True for `{ line, character }` with both unsigned integers (a position past the text is fine: it is clamped). */
export function isPosition(v: unknown): v is Position {
  return typeof v === 'object' && v !== null && isUinteger((v as Position).line) && isUinteger((v as Position).character);
}

/** True for `{ start, end }` with two valid positions. */
export function isRange(v: unknown): v is { start: Position; end: Position } {
  return typeof v === 'object' && v !== null && isPosition((v as { start?: unknown }).start) && isPosition((v as { end?: unknown }).end);
}
