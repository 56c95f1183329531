/**
 * Semantic-token deltas: after a keystroke most of a file's token data is
 * unchanged, so the server can send the one stretch that changed instead
 * of the whole array (LSP `textDocument/semanticTokens/full/delta`).
 */

/** One LSP semantic-tokens edit: replace `deleteCount` integers at `start` with `data`. */
export interface TokenDataEdit {
  start: number;
  deleteCount: number;
  data: number[];
}

/**
 * The edits that turn `previous` into `next`: none when they are equal,
 * else one edit covering what lies between their common prefix and suffix.
 */
export function tokenDataEdits(previous: readonly number[], next: readonly number[]): TokenDataEdit[] {
  const max = Math.min(previous.length, next.length);
  let prefix = 0;
  while (prefix < max && previous[prefix] === next[prefix]) prefix++;
  if (prefix === previous.length && prefix === next.length) return [];
  let suffix = 0;
  while (suffix < max - prefix && previous[previous.length - 1 - suffix] === next[next.length - 1 - suffix]) suffix++;
  return [{ start: prefix, deleteCount: previous.length - prefix - suffix, data: next.slice(prefix, next.length - suffix) }];
}

/**
 * The last token data sent per document, under a result id, so a delta
 * request can be answered. Ids are never reused within a server's life.
 */
export class SentTokens {
  private readonly byDocument = new Map<string, { resultId: string; data: number[] }>();
  private counter = 0;

  /** Remembers `data` as what `document` was last sent; returns its result id. */
  remember(document: string, data: number[]): string {
    const resultId = String(++this.counter);
    this.byDocument.set(document, { resultId, data });
    return resultId;
  }

  /** The data last sent under `resultId`, if that is still the document's latest. */
  previous(document: string, resultId: string): number[] | undefined {
    const sent = this.byDocument.get(document);
    return sent && sent.resultId === resultId ? sent.data : undefined;
  }

  /** Forgets a closed document. */
  forget(document: string): void {
    this.byDocument.delete(document);
  }
}
