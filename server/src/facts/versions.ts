/**
 * The Varnish releases the tools know, by major.minor, and how a fact says
 * in which of them it holds.
 *
 * A fact is written once with a {@link VersionSpan} (or a list of them):
 * "from 7.0", "before 7.2", "6.0, then again from 7.3". Spans name release
 * numbers, not entries of the supported list, so a fact can keep the release
 * that introduced it (6.3) even though 6.3 itself is not offered; membership
 * is decided by comparing numbers.
 *
 * Four releases are *checked*: their facts come from that release's own
 * output (`varnishd -x parameter`, `-x builtin`, the vcl-var manual) and the
 * tests compare the tools with its real compiler. The others are *derived*:
 * their facts are a checked release's, changed as Varnish's own change
 * records say (the shared FACTS.md), with no compiler here to confirm them.
 */

/** A supported release series, written `major.minor`. */
export type VarnishVersion = '6.0' | '6.5' | '6.6' | '7.0' | '7.1' | '7.2' | '7.3' | '7.4' | '7.5' | '7.6' | '7.7' | '8.0' | '9.0';

/** How the tools know a release's facts. */
export type VersionEvidence = 'checked' | 'derived';

/** One supported release series. */
export interface VarnishRelease {
  readonly version: VarnishVersion;
  readonly major: number;
  readonly minor: number;
  /** Varnish Cache up to 8.0; the project is called Vinyl Cache from 9.0 (its daemon is `vinyld`). */
  readonly product: 'Varnish Cache' | 'Vinyl Cache';
  readonly evidence: VersionEvidence;
  /** For a checked release, the exact release its facts and compiler come from. */
  readonly checkedRelease?: string;
}

function release(version: VarnishVersion, checkedRelease?: string): VarnishRelease {
  const [major, minor] = version.split('.').map(Number) as [number, number];
  return {
    version,
    major,
    minor,
    product: major >= 9 ? 'Vinyl Cache' : 'Varnish Cache',
    evidence: checkedRelease ? 'checked' : 'derived',
    ...(checkedRelease ? { checkedRelease } : {}),
  };
}

/**
 * Every supported release, oldest first. 6.0 is the long-term-support
 * series (its latest patch release: LTS fixes such as the HTTP/2 rapid-reset
 * parameters count); 6.6 is Ubuntu 22.04's; 7.1 Debian 12's and Ubuntu
 * 24.04's; 7.7 Debian 13's; 8.0 the official container image's; 9.0 is
 * Vinyl Cache, the project's new name.
 */
export const RELEASES: readonly VarnishRelease[] = [
  release('6.0'),
  release('6.5', '6.5.1'),
  release('6.6'),
  release('7.0'),
  release('7.1', '7.1.1'),
  release('7.2'),
  release('7.3'),
  release('7.4'),
  release('7.5'),
  release('7.6'),
  release('7.7', '7.7.0'),
  release('8.0'),
  release('9.0', '9.0.1'),
];

/** Every supported version, oldest first. */
export const VARNISH_VERSIONS: readonly VarnishVersion[] = RELEASES.map((r) => r.version);

/** The versions whose facts were read from their own compiler and are tested against it. */
export const CHECKED_VERSIONS: readonly VarnishVersion[] = RELEASES.filter((r) => r.evidence === 'checked').map((r) => r.version);

/**
 * The version assumed when nothing chooses one (no `--varnish-version`, no
 * `varnishVersion` in `.vcl-lint.json`, no `vcl.varnishVersion` setting).
 * 7.1 is the release of Debian 12 and Ubuntu 24.04, the packaged Varnish
 * most servers run today, and a checked one; it is also what every fact of
 * the tools described before they knew other releases, so choosing no
 * version changes nothing for existing users. docs/versions.md says more.
 */
export const DEFAULT_VARNISH_VERSION: VarnishVersion = '7.1';

const byVersion = new Map<string, VarnishRelease>(RELEASES.map((r) => [r.version, r]));

/** The release `version` names. */
export function releaseOf(version: VarnishVersion): VarnishRelease {
  return byVersion.get(version)!;
}

/** True when `text` is exactly one of the supported versions (`7.7`, not `7.7.0`). */
export function isVarnishVersion(text: unknown): text is VarnishVersion {
  return typeof text === 'string' && byVersion.has(text);
}

/**
 * Reads a version as a user writes it: `7.7`, `7.7.0`, `9.0.1`, with
 * blanks around it; a patch number is accepted and dropped. Undefined when
 * the text is not a version or names a series the tools do not know
 * (`6.4`, `10.0`): use {@link versionListText} to say which ones they do.
 */
export function parseVarnishVersion(text: string): VarnishVersion | undefined {
  const m = /^\s*(\d{1,3})\.(\d{1,3})(?:\.\d{1,4})?\s*$/.exec(text);
  if (!m) return undefined;
  const version = `${Number(m[1])}.${Number(m[2])}`;
  return isVarnishVersion(version) ? version : undefined;
}

/** The supported versions for a message: `6.0, 6.5, 6.6, 7.0, ..., 9.0`. */
export function versionListText(): string {
  return VARNISH_VERSIONS.join(', ');
}

/** `major * 1000 + minor`, so that 7.10 would sort after 7.9. */
function versionKey(version: string): number {
  let key = versionKeys.get(version);
  if (key === undefined) {
    const [major = 'NaN', minor = '0'] = version.split('.');
    key = Number(major) * 1000 + Number(minor);
    // Bounded: the texts compared are the releases and the `since` of facts, a few dozen.
    if (versionKeys.size < 1000) versionKeys.set(version, key);
  }
  return key;
}

/**
 * Each text's key, worked out once: checks compare releases for every node
 * they look at, and splitting the two texts each time was 1% of a 10,000-file
 * run, and more in the garbage it left.
 */
const versionKeys = new Map<string, number>();

/** Orders two `major.minor` texts (supported or not): negative when `a` is older. */
export function compareVersions(a: string, b: string): number {
  return versionKey(a) - versionKey(b);
}

/** True when `version` is `min` or newer. */
export function atLeast(version: string, min: string): boolean {
  return compareVersions(version, min) >= 0;
}

/**
 * The releases a fact holds in: from `since` (included) up to `until`
 * (excluded, the release that removed or changed it). Either end may be
 * open. Both are `major.minor` texts and need not be supported versions.
 */
export interface VersionSpan {
  readonly since?: string;
  readonly until?: string;
}

/** Where a fact holds: one span, or several (a parameter backported to an older series). */
export type VersionSpans = VersionSpan | readonly VersionSpan[];

/** True when `version` lies in `spans`; an absent span holds everywhere. */
export function holdsIn(version: string, spans: VersionSpans | undefined): boolean {
  if (spans === undefined) return true;
  const list: readonly VersionSpan[] = Array.isArray(spans) ? spans : [spans as VersionSpan];
  return list.some((s) => (s.since === undefined || atLeast(version, s.since)) && (s.until === undefined || !atLeast(version, s.until)));
}

/** The supported versions in which a fact holds, oldest first. */
export function versionsIn(spans: VersionSpans | undefined): VarnishVersion[] {
  return VARNISH_VERSIONS.filter((v) => holdsIn(v, spans));
}

/** `Varnish 7.7`, or `Vinyl Cache 9.0`: how messages name a release. */
export function productName(version: string): string {
  return `${atLeast(version, '9.0') ? 'Vinyl Cache' : 'Varnish'} ${version}`;
}

/**
 * Says in words which supported versions a list covers, as runs of
 * consecutive releases: `from Varnish 7.0`, `up to Varnish 6.6`,
 * `in Varnish 7.3 to 7.6`, `in Varnish 6.0 and from 7.3`. Empty for an empty list.
 */
export function describeVersions(versions: readonly string[]): string {
  const set = new Set(versions);
  const runs: Array<[VarnishVersion, VarnishVersion]> = [];
  let start: VarnishVersion | undefined;
  let last: VarnishVersion | undefined;
  for (const v of VARNISH_VERSIONS) {
    if (set.has(v)) {
      start ??= v;
      last = v;
    } else if (start) {
      runs.push([start, last!]);
      start = undefined;
    }
  }
  if (start) runs.push([start, last!]);
  if (runs.length === 0) return '';
  const oldest = VARNISH_VERSIONS[0]!;
  const newest = VARNISH_VERSIONS[VARNISH_VERSIONS.length - 1]!;
  // The first release named gets the product's name, the others only their number.
  const parts = runs.map(([a, b], i) => {
    const first = (v: string): string => (i === 0 ? productName(v) : v);
    if (a === oldest && b === newest) return 'in every version';
    if (b === newest) return `from ${first(a)}`;
    if (a === oldest) return `up to ${first(b)}`;
    if (a === b) return `in ${first(a)}`;
    return `in ${first(a)} to ${b}`;
  });
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]!}`;
}
