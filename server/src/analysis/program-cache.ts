/**
 * Programs analysed through their top-level file, kept for as long as the
 * files they read stay the same. Every file of a program split over
 * includes is analysed as part of the whole program; without this, a run
 * over the N files of one program would load and model the program N times.
 * The owner of an include host (one CLI run, one state of the editor's
 * workspace) makes one cache per host and drops it with the host.
 */
import { releaseParse, type ParseResult } from '../syntax/parse.js';

/** Most programs kept; a workspace has a few top-level files. */
const MAX_PROGRAMS = 64;

export class ProgramCache {
  private readonly entries = new Map<string, { value: unknown; parses: ParseResult[] }>();

  /**
   * The program kept under `key`, else the one `build` makes. The cache
   * owns the parses `build` returns: nothing else may release them.
   */
  get<T>(key: string, build: () => { value: T; parses: ParseResult[] }): T {
    const hit = this.entries.get(key);
    if (hit) return hit.value as T;
    const made = build();
    this.entries.set(key, made);
    if (this.entries.size > MAX_PROGRAMS) {
      const oldest = this.entries.keys().next().value!;
      this.drop(oldest);
    }
    return made.value;
  }

  /** Forgets every program and lets the parser reuse their trees. */
  clear(): void {
    for (const key of [...this.entries.keys()]) this.drop(key);
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    for (const p of entry?.parses ?? []) releaseParse(p);
  }
}
