/**
 * vmod functions that a release removed, with the call that replaces each.
 * Varnish 8.0 dropped std's old conversion functions; vmod_std's own
 * documentation named the replacement of each while they were deprecated
 * (`std.integer(real=std.round(...))`, `std.real(time=...)`, ...). The
 * fallback argument keeps its meaning: the value when the conversion fails.
 * test/varnishd/upgrade-fixes.test.ts compiles each rewrite with the real
 * 7.7 and 9.0 compilers.
 */
import type { VersionSpan } from './versions.js';

/** A removed function and how to write its call in the releases after it. */
export interface RemovedFunction extends VersionSpan {
  /** `std.real2integer`. */
  readonly name: string;
  /** The function to call instead. */
  readonly callee: string;
  /** Written around the first argument: `real=std.round(` ... `)`. */
  readonly valuePrefix: string;
  readonly valueSuffix: string;
}

/** By `vmod.function`; `until` is the release that removed it. The second argument becomes `fallback=`. */
export const REMOVED_FUNCTIONS: ReadonlyMap<string, RemovedFunction> = new Map(
  [
    { name: 'std.real2integer', until: '8.0', callee: 'std.integer', valuePrefix: 'real=std.round(', valueSuffix: ')' },
    { name: 'std.real2time', until: '8.0', callee: 'std.time', valuePrefix: 'real=', valueSuffix: '' },
    { name: 'std.time2integer', until: '8.0', callee: 'std.integer', valuePrefix: 'time=', valueSuffix: '' },
    { name: 'std.time2real', until: '8.0', callee: 'std.real', valuePrefix: 'time=', valueSuffix: '' },
  ].map((r) => [r.name, r] as const),
);
