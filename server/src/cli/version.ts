/**
 * The tool's name and version, in one place so the JSON and SARIF outputs,
 * `--version` and the tests agree. Keep `VERSION` equal to package.json's
 * `version` (a test checks it); it is a constant rather than a read of
 * package.json because the CLI ships as a single bundled file.
 */
import { DEFAULT_VARNISH_VERSION, RELEASES, type VarnishRelease } from '../facts/versions.js';

/** Name reported as `tool` in JSON and as the SARIF driver name. */
export const TOOL_NAME = 'vcl-lint';

/** The release version, as in package.json. */
export const VERSION = '0.1.0';

/**
 * What `vcl-lint --version` prints: `vcl-lint <version>` on the first line,
 * then the Varnish releases it knows, split by how it knows them, because a
 * finding for a derived release deserves less trust than one for a release
 * whose own compiler the tools were tested against.
 */
export function versionText(): string {
  const checked = RELEASES.filter((r) => r.evidence === 'checked').map((r) => `${r.version} (${productPrefix(r)}${r.checkedRelease})`);
  const derived = RELEASES.filter((r) => r.evidence === 'derived').map((r) => `${productPrefix(r)}${r.version}`);
  return (
    `${TOOL_NAME} ${VERSION}\n` +
    `Varnish releases known (--varnish-version; default ${DEFAULT_VARNISH_VERSION}):\n` +
    `  checked against their own compiler: ${checked.join(', ')}\n` +
    `  derived from a checked release and Varnish's change records: ${derived.join(', ')}\n`
  );
}

// Only Vinyl Cache is named: every other release is a Varnish Cache one, as the heading says.
function productPrefix(r: VarnishRelease): string {
  return r.product === 'Vinyl Cache' ? 'Vinyl Cache ' : '';
}
