// Typed access to the varnishd 7.1 parameter table. params.json is generated
// by scripts/gen-params.mjs from `varnishd -x parameter`; do not edit it by
// hand, re-run `npm run gen:params` instead.

import paramsJson from './params.json' with { type: 'json' };

/**
 * How varnishd reads a value (each has its own parser in varnishd 7.1):
 * - `bytes`: number with an optional k/m/g/t/p suffix and optional b (`64k`, `1MB`);
 * - `duration`: seconds, up to three decimals (varnishd 7.1 ignores any text after the number);
 * - `double`: plain decimal number (read like a duration);
 * - `uint`: unsigned integer as C's strtoul reads it (also `0x..` and octal), or `unlimited`;
 * - `bool`: on/off, true/false, yes/no, enable/disable (any case);
 * - `bits`: comma/space separated `+name` / `-name` list, or one of the bit set's words;
 * - `pool`: `min_pool,max_pool,max_age`;
 * - `string`: anything;
 * - `storage`: `Transient` or the name of a storage given with an earlier `-s`.
 */
export type ParamType = 'bytes' | 'duration' | 'double' | 'uint' | 'bool' | 'bits' | 'pool' | 'string' | 'storage';

/** A minimum or maximum. */
export interface ParamLimit {
  /** As varnishd prints it: `0.25k`, `1.000`, `thread_pool_max`, `95% of thread_pool_min`. */
  readonly text: string;
  /**
   * In base units (bytes, seconds, count). For a limit that depends on another
   * parameter (`ref`), the value in force while that parameter has its default.
   */
  readonly value?: number;
  /** The limit is another parameter's current value (varnishd updates it whenever that one is set). */
  readonly ref?: string;
  /** With `ref`: the limit is this percentage of it (integer arithmetic, rounded down). */
  readonly percent?: number;
  /** With `ref`: the limit is the other value plus this many bytes (may be negative). */
  readonly offset?: number;
  /** The limit depends on the platform; `value` is the Linux x86-64 one. */
  readonly platform?: boolean;
}

export interface ParamDefault {
  /** As varnishd prints it, with any remark: `32k`, `0 (auto-tune: ...)`, `platform dependent`. */
  readonly text: string;
  /** Number in base units, or a boolean, when the default is one. */
  readonly value?: number | boolean;
  /** Bit parameters: the names set by default (for `vsl_mask`, the masked tags). */
  readonly bits?: readonly string[];
  /** Pool parameters. */
  readonly pool?: { readonly minPool: number; readonly maxPool: number; readonly maxAge: number };
  /** The default depends on the platform (no `value`). */
  readonly platform?: boolean;
}

export interface ParamBits {
  /** Bit names, sorted; varnishd compares them case-insensitively. */
  readonly names: readonly string[];
  /** Words accepted on their own instead of a list (`none`, `default`), matched exactly. */
  readonly words: readonly string[];
  /** The prefix that adds a name to the stored set: `+`, or `-` for vsl_mask (which stores masked tags). */
  readonly set: '+' | '-';
}

/** One varnishd parameter. */
export interface ParamFact {
  readonly name: string;
  readonly type: ParamType;
  /** Units as varnishd names them (`bytes`, `seconds`, `threads`, `bool`, ...). */
  readonly units?: string;
  readonly default: ParamDefault;
  readonly min?: ParamLimit;
  readonly max?: ParamLimit;
  /** varnishd flags: `delayed`, `experimental`, `must_reload`, `must_restart`, `obj_sticky`, `wizard`. */
  readonly flags: readonly string[];
  readonly bits?: ParamBits;
  /** Depends on an operating-system feature not available everywhere. */
  readonly platformDependent?: boolean;
  /** The default depends on how Varnish was built (paths, compiler). */
  readonly buildDependent?: boolean;
  /** varnishd on Linux refuses to set this parameter at all. */
  readonly unavailableOnLinux?: boolean;
  /** What it does, in the project's own words; empty for the rarely tuned ones. */
  readonly description: string;
}

interface ParamsTable {
  readonly varnish: string;
  readonly source: string;
  readonly params: readonly ParamFact[];
}

const table = paramsJson as unknown as ParamsTable;
const byName = new Map<string, ParamFact>(table.params.map((p) => [p.name, p]));

/** Varnish release series the table describes (`7.1`). */
export const PARAMS_VARNISH_VERSION = table.varnish;

/** The parameter called exactly `name` (names are case-sensitive), or undefined. */
export function paramFact(name: string): ParamFact | undefined {
  return byName.get(name);
}

/** All parameters, sorted by name. */
export function allParams(): readonly ParamFact[] {
  return table.params;
}

/** All parameter names, sorted. */
export function paramNames(): readonly string[] {
  return table.params.map((p) => p.name);
}

/**
 * A limit of one parameter that varnishd keeps equal to (a function of)
 * another parameter's current value, e.g. thread_pool_min <= thread_pool_max.
 */
export interface ParamRelation {
  /** The parameter whose limit moves. */
  readonly param: string;
  readonly bound: 'min' | 'max';
  /** The parameter the limit follows. */
  readonly ref: string;
  readonly percent?: number;
  readonly offset?: number;
}

/** The dependent limits of the table (varnishd enforces them when the limited parameter is set). */
export function paramRelations(): readonly ParamRelation[] {
  const out: ParamRelation[] = [];
  for (const p of table.params) {
    for (const bound of ['min', 'max'] as const) {
      const lim = p[bound];
      if (lim?.ref) out.push({ param: p.name, bound, ref: lim.ref, percent: lim.percent, offset: lim.offset });
    }
  }
  return out;
}
