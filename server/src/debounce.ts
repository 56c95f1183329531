/**
 * How long the language server waits after a change before it analyses the
 * document: typing produces a change per keystroke, and only the text after
 * a pause is worth analysing. Its own module so that the editor benchmark
 * can report latency with and without it.
 */
export const DEBOUNCE_MS = 150;
