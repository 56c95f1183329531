/**
 * A few recent results of an analysis, keyed by the text and the options it
 * ran with. An editor asks about the same version of a document again and
 * again (hover after hover, outline, definition) and the text string of an
 * unchanged document is the same string, so the lookup is a few identity
 * comparisons. Options are compared shallowly: callers pass stable objects
 * (an include host and settings arrays that are replaced, not mutated, when
 * they change).
 */
export class RecentResults<O extends object, R> {
  private entries: Array<{ text: string; options: O; result: R }> = [];

  constructor(private readonly size: number) {}

  /** The remembered result for this text and options, or a new one from `compute`. */
  get(text: string, options: O, compute: () => R): R {
    const i = this.entries.findIndex((e) => e.text === text && shallowEqual(e.options, options));
    if (i >= 0) {
      const [hit] = this.entries.splice(i, 1);
      this.entries.unshift(hit!);
      return hit!.result;
    }
    const result = compute();
    this.entries.unshift({ text, options: { ...options }, result });
    this.entries.length = Math.min(this.entries.length, this.size);
    return result;
  }
}

function shallowEqual(a: object, b: object): boolean {
  const ka = Object.keys(a) as Array<keyof typeof a>;
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.is(a[k], (b as typeof a)[k]));
}
