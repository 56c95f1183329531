/**
 * Places in a text and replacements of them, counted as LSP and the CLI's
 * JSON count them: 0-based lines and UTF-16 characters. They sit at the
 * bottom layer so that the line model, the rules and the service share
 * them without any of them reaching up to the service.
 */

/** 0-based line and UTF-16 character offset, as in LSP. */
export interface Position {
  line: number;
  character: number;
}

/** From `start` up to, not including, `end`. */
export interface Range {
  start: Position;
  end: Position;
}

/**
 * One replacement of a text by lines and characters: what leaves the
 * service (LSP edits, the JSON report's fixes). Inside the engine edits are
 * `OffsetEdit`s (text/offset-edits.ts); the line model turns one into the other.
 */
export interface TextEdit {
  range: Range;
  newText: string;
}
