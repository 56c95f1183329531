/**
 * Which Varnish release a workspace runs, read from the files that start
 * it: a Dockerfile's `FROM varnish:7.6`, a compose file's or a Kubernetes
 * manifest's `image: varnish:7.7-alpine`, a systemd unit or script that runs
 * `vinyld` or reads `/etc/vinyl-cache` (Vinyl Cache 9.0). Used when no
 * release is chosen (`--varnish-version`, `"varnishVersion"`,
 * `vcl.varnishVersion`), so that a workspace built on the official image is
 * judged by that image's compiler without any setting.
 */
import { VARNISH_VERSIONS, compareVersions, type VarnishVersion } from '../facts/versions.js';

/** A release found in a file, and where. */
export interface DetectedRelease {
  /** The supported release used: the one named, or the nearest older supported one. */
  readonly version: VarnishVersion;
  /** What the file names (`7.6`, `7.4.3`, or `vinyld` for a Vinyl Cache command). */
  readonly named: string;
  readonly path: string;
  /** 1-based line of the evidence. */
  readonly line: number;
  /** The line, trimmed and cut to 120 characters. */
  readonly evidence: string;
}

// Lines longer than this are not looked at: real `FROM`/`image:` lines are short,
// and the patterns then never run over megabytes of one line.
const MAX_LINE = 2_000;
// Files past this many characters are read up to it only.
const MAX_TEXT = 1_000_000;

/** `FROM [--platform=...] [registry/][library/]varnish:7.6...` and `image: ...varnish:7.6...`. */
const IMAGE = /^\s*(?:FROM\s+(?:--\S+\s+)*|-?\s*image\s*:\s*["']?)(?:[\w.-]+(?::\d+)?\/)*(?:varnish|vinyl-cache|vinyl):(\d+)\.(\d+)(?:\.(\d+))?/i;
/** Vinyl Cache's daemon or configuration folder. */
const VINYL = /(?:^|[\s/"'=])(?:vinyld\b|\/etc\/vinyl-cache\b)/;

/**
 * The release the first of `files` (in path order) that names one names;
 * undefined when none does or it is older than every supported release.
 */
export function detectRelease(files: ReadonlyArray<{ path: string; text: string }>): DetectedRelease | undefined {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of sorted) {
    const lines = file.text.slice(0, MAX_TEXT).split(/\r\n|\r|\n/);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.length > MAX_LINE) continue;
      const image = IMAGE.exec(line);
      const named = image ? `${image[1]}.${image[2]}${image[3] !== undefined ? `.${image[3]}` : ''}` : VINYL.test(line) ? 'vinyld' : undefined;
      if (!named) continue;
      const version = image ? supportedAtOrBefore(`${image[1]}.${image[2]}`) : '9.0';
      if (!version) continue;
      return { version, named, path: file.path, line: i + 1, evidence: line.trim().slice(0, 120) };
    }
  }
  return undefined;
}

/** The release itself when supported, else the newest supported one before it (6.4 -> 6.0, 8.1 -> 8.0). */
export function supportedAtOrBefore(majorMinor: string): VarnishVersion | undefined {
  let best: VarnishVersion | undefined;
  for (const v of VARNISH_VERSIONS) if (compareVersions(v, majorMinor) <= 0) best = v;
  return best;
}
