/**
 * Which open documents to check when a document's debounce fires: the
 * document itself unless its version was published already, and after a
 * user's edit the documents related to it that have not been checked since
 * that edit. Only bookkeeping, no analysis: the language server asks it,
 * and it is tested without a server.
 */

/** The part of an editor document the plan reads. */
export interface VersionedDocument {
  readonly uri: string;
  readonly version: number;
}

export class CheckPlan {
  /** Documents changed by the user since they were last checked: their related documents need a re-check. */
  private readonly edits = new Set<string>();
  /**
   * When each document last changed and was last checked, on one counter:
   * a related document checked after this one changed has already seen its
   * text and needs no re-check.
   */
  private clock = 0;
  private readonly changedAt = new Map<string, number>();
  private readonly checkedAt = new Map<string, number>();
  /** Last version published per uri, so an older result can never overwrite a newer one. */
  private readonly publishedVersion = new Map<string, number>();

  /** The user changed the document (open or edit). */
  edited(uri: string): void {
    this.edits.add(uri);
    this.changedAt.set(uri, ++this.clock);
  }

  /** The same version must be checked again (a setting or a related file changed). */
  recheck(uri: string): void {
    this.publishedVersion.delete(uri);
  }

  /** A version's diagnostics were sent. */
  published(uri: string, version: number): void {
    this.publishedVersion.set(uri, version);
  }

  /** Forgets a closed document. */
  closed(uri: string): void {
    this.edits.delete(uri);
    this.changedAt.delete(uri);
    this.checkedAt.delete(uri);
    this.publishedVersion.delete(uri);
  }

  /**
   * The documents to check now, in order, for `document` whose debounce
   * fired; `related` names the documents whose diagnostics may change with it.
   */
  toCheck<D extends VersionedDocument>(document: D, related: (document: D) => D[]): D[] {
    const out: D[] = [];
    const wasEdited = this.edits.delete(document.uri);
    if (this.due(document)) out.push(document);
    if (!wasEdited) return out;
    const changed = this.changedAt.get(document.uri) ?? 0;
    for (const other of related(document)) {
      if (other.uri === document.uri || (this.checkedAt.get(other.uri) ?? -1) > changed) continue;
      this.publishedVersion.delete(other.uri);
      if (this.due(other)) out.push(other);
    }
    return out;
  }

  /** Whether the document's version still needs checking; if so it counts as checked from now. */
  private due(document: VersionedDocument): boolean {
    const last = this.publishedVersion.get(document.uri);
    if (last !== undefined && last >= document.version) return false;
    this.checkedAt.set(document.uri, ++this.clock);
    return true;
  }
}
