/** Result types of parsing, shared by the lexer, parser and checks. */
import type { Program } from './ast.js';
import { atLeast } from '../facts/versions.js';

/** A syntax problem at source offsets (end exclusive). */
export interface SyntaxError {
  message: string;
  start: number;
  end: number;
  /**
   * The release from which VCC refuses this (`7.0` for its number limits);
   * older releases accepted the text. The parser judges no release: the
   * `syntax` rule keeps such an error only for a release at or after it.
   */
  since?: string;
}

export interface ParseResult {
  ast: Program;
  errors: SyntaxError[];
}

/** The errors that hold for `release`: those of a later release's rules (`since`) are left out. */
export function errorsIn(errors: readonly SyntaxError[], release: string): SyntaxError[] {
  return errors.filter((e) => e.since === undefined || atLeast(release, e.since));
}
