/**
 * The one custom message between the VS Code client and the server: the
 * server says when it has analysis pending and when it is idle again, so the
 * client's status bar item can show it. Shared by both sides (DESIGN
 * principle 10); it imports nothing, so the client bundle stays small.
 *
 * Why not `$/progress` (work-done progress): an analysis takes a few
 * milliseconds after each pause in typing, and server-initiated progress
 * costs a `window/workDoneProgress/create` request per analysis and makes
 * VS Code flash a progress indicator each time. This notification is sent
 * only when the server goes from idle to busy and back (twice per burst of
 * edits, not per keystroke), and the client decides how long "busy" must
 * last before it is shown.
 *
 * A client asks for it with `initializationOptions.statusNotification:
 * true`; other editors never receive a method they do not know.
 */

/** Method name of the server -> client notification. */
export const STATUS_NOTIFICATION = 'vcl/status';

/** Key in `initializationOptions` by which a client asks for status notifications. */
export const STATUS_OPT_IN = 'statusNotification';

/** Parameters of `vcl/status`. */
export interface StatusParams {
  /** True while documents are waiting for analysis (the debounce) or being analysed. */
  busy: boolean;
  /** How many documents are waiting for analysis when `busy` turns true; 0 when idle. */
  pending: number;
  /** When idle: the release the analyses were checked against, and why that one. */
  release?: StatusRelease;
}

/** The release in effect, for the status bar. */
export interface StatusRelease {
  /** `7.6`, `9.0`. */
  version: string;
  /** `Varnish 7.6`, `Vinyl Cache 9.0`. */
  name: string;
  /** True when no compiler of that release was checked against (its facts are derived). */
  derived: boolean;
  /** Why this release: `the vcl.varnishVersion setting`, `./Dockerfile:1 (FROM varnish:7.6)`, `the default`. */
  source: string;
}
