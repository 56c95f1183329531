/**
 * Mocha root hook plugin (`require` in .mocharc.json): with CI=true, a run
 * in which any test was skipped fails at the end, listing the skipped
 * tests. Tests skip only when something they need is missing (varnishd, the
 * corpus, reference texts), and CI (`.ci/run`) provides all of it, so a skip
 * there means a check silently did not run. Outside CI, skips stay pending.
 */
import type { RootHookObject } from 'mocha';

function pendingTests(suite: Mocha.Suite): string[] {
  const out = suite.tests.filter((t) => t.isPending()).map((t) => t.fullTitle());
  for (const child of suite.suites) out.push(...pendingTests(child));
  return out;
}

export const mochaHooks: RootHookObject = {
  afterAll(this: Mocha.Context) {
    if (process.env['CI'] !== 'true') return;
    let root = this.test?.parent;
    while (root?.parent) root = root.parent;
    const skipped = root ? pendingTests(root) : [];
    if (skipped.length > 0) throw new Error(`CI=true, but ${skipped.length} test(s) were skipped:\n  ${skipped.join('\n  ')}`);
  },
};
