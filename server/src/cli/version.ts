/**
 * The tool's name and version, in one place so the JSON and SARIF outputs,
 * `--version` and the tests agree. Keep `VERSION` equal to package.json's
 * `version` (a test checks it); it is a constant rather than a read of
 * package.json because the CLI ships as a single bundled file.
 */

/** Name reported as `tool` in JSON and as the SARIF driver name. */
export const TOOL_NAME = 'vcl-lint';

/** The release version, as in package.json. */
export const VERSION = '0.1.0';
