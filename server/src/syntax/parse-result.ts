/** Result types of parsing, shared by the lexer, parser and checks. */
import type { Program } from './ast.js';

/** A syntax problem at source offsets (end exclusive). */
export interface SyntaxError {
  message: string;
  start: number;
  end: number;
}

export interface ParseResult {
  ast: Program;
  errors: SyntaxError[];
}
