/**
 * Skipping a test that cannot run on this machine (no varnishd, no corpus,
 * no reference texts), so that it shows as pending, never as a pass.
 */

/**
 * Skips the running test because `reason` (what is missing); mocha lists it
 * as pending, with the reason in its title. Under CI=true the root hook in
 * ci-skips.ts fails the run instead: CI provides everything tests need.
 */
export function skipBecause(ctx: Mocha.Context, reason: string): never {
  const test = ctx.test;
  if (test && !test.title.includes(reason)) test.title += ` (skipped: ${reason})`;
  ctx.skip();
}
