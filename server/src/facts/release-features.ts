/**
 * VCL constructs that only some releases' compilers accept: backend and
 * probe fields, ACL flags and socket address forms. The syntax layer accepts
 * every one of them (it judges no release); the `release-feature` rule says
 * when the selected release lacks one.
 *
 * Written by hand from Varnish's change records (the syntax table of the
 * shared FACTS.md), each with the release that brought it; the per-release
 * conformance tests check them against the real 6.5, 7.1, 7.7 and 9.0
 * compilers over their own test programs.
 */
import type { VersionSpan } from './versions.js';

/** One construct and the releases that accept it. */
export interface ReleaseFeature extends VersionSpan {
  /** How messages name the construct: "the backend field '.via'". */
  readonly what: string;
}

/** Backend fields that not every release knows, by field name. */
export const BACKEND_FIELD_FEATURES: Readonly<Record<string, ReleaseFeature>> = {
  // 6.5's compiler refuses it and 7.1's accepts it; the change records do not
  // date it, so it is placed at the newer checked release (7.1), as the vmod
  // and builtin tables place such changes.
  preamble: { since: '7.1', what: "the backend field '.preamble'" },
  via: { since: '7.3', what: "the backend field '.via' (connect through another backend, a proxy)" },
  authority: { since: '7.3', what: "the backend field '.authority'" },
  wait_timeout: { since: '7.6', what: "the backend field '.wait_timeout' (queue for a free connection)" },
  wait_limit: { since: '7.6', what: "the backend field '.wait_limit' (queue for a free connection)" },
};

/** Probe fields that not every release knows, by field name. */
export const PROBE_FIELD_FEATURES: Readonly<Record<string, ReleaseFeature>> = {
  expect_close: { since: '7.3', what: "the probe field '.expect_close'" },
};

/** ACL flags that not every release knows, by flag name. */
export const ACL_FLAG_FEATURES: Readonly<Record<string, ReleaseFeature>> = {
  log: { since: '7.0', what: "the ACL flag '+log'" },
  table: { since: '7.0', what: "the ACL flag '+table'" },
  pedantic: { since: '7.0', what: "the ACL flag '-pedantic'" },
  fold: { since: '7.5', what: "the ACL flag '+fold'" },
};

/** `include +glob "..."`. */
export const INCLUDE_GLOB_FEATURE: ReleaseFeature = { since: '7.0', what: "'include +glob'" };

/** The `%` operator on INT. */
export const MODULO_FEATURE: ReleaseFeature = { since: '6.6', what: "the '%' operator" };

/** Long strings between triple quotes. */
export const LONG_STRING_FEATURE: ReleaseFeature = { since: '6.6', what: 'a long string between triple quotes' };

/** A regular expression written as constants joined with `+` (`"^/a" + "b"`). */
export const REGEX_CONCAT_FEATURE: ReleaseFeature = { since: '7.1', what: "a regular expression made of constants joined with '+'" };

/** A quoted header name, `req.http."x.y"`. */
export const QUOTED_HEADER_FEATURE: ReleaseFeature = { since: '7.0', what: 'a quoted header name' };

/**
 * A backend or probe used before the line that defines it (6.5's compiler
 * says "Symbol not found" there; ACLs and subs could always come later).
 */
export const FORWARD_REFERENCE_FEATURE: ReleaseFeature = { since: '7.0', what: 'a backend or probe used above its definition' };

/** Every expression-level feature: the rule walks expressions only for a release older than the newest of them. */
export const EXPRESSION_FEATURES: readonly ReleaseFeature[] = [MODULO_FEATURE, LONG_STRING_FEATURE, REGEX_CONCAT_FEATURE, QUOTED_HEADER_FEATURE];

/** The top-level `unused name;` statement. */
export const UNUSED_STATEMENT_FEATURE: ReleaseFeature = { since: '9.0', what: "the 'unused' statement" };

/** A backend `.path` naming a Linux abstract socket (`"@name"`). */
export const ABSTRACT_SOCKET_FEATURE: ReleaseFeature = { since: '7.3', what: "an abstract socket in .path ('@name')" };
