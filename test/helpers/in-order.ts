/**
 * Per-file work for suites with one test per corpus file, started ahead of
 * the tests: a `before` hook starts it, each test awaits its own file's
 * result. The work runs file after file, giving way to the event loop in
 * between, so that the varnishd compiles it queues start and finish while
 * the next file is being worked on.
 */

/**
 * `work` (synchronous: what it starts, such as compiles, it returns as
 * promises in its result) applied to each item in turn, with a turn of the
 * event loop between items; one promise per item, in the order of `items`.
 * A failure belongs to its item's promise only: the others go on, and no
 * rejection is left unhandled before a test awaits it.
 */
export function inOrder<T, R extends object>(items: readonly T[], work: (item: T) => R): Promise<R>[] {
  const out: Promise<R>[] = [];
  let turn: Promise<unknown> = Promise.resolve();
  for (const item of items) {
    const result = turn.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(() => work(item));
    turn = result.catch(() => undefined);
    out.push(result);
  }
  return out;
}
