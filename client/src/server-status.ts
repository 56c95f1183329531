/**
 * What the status bar item says about the language server, as pure
 * functions of the events the client sees (no `vscode` import, so they are
 * unit-tested without VS Code): the client's state changes, the server's
 * `vcl/status` notifications, and failures (start refused, crashes the
 * error handler gave up on).
 */

import type { StatusRelease } from '../../server/src/protocol/status-notification.js';

/** Where the server is in its life, as the user should see it. */
export type ServerPhase = 'starting' | 'ready' | 'busy' | 'failed' | 'stopped';

/** The status the item shows. */
export interface ServerStatus {
  phase: ServerPhase;
  /** Documents waiting for analysis while busy. */
  pending: number;
  /** Why the server failed. */
  message?: string;
  /** The release the server last said it checks against. */
  release?: StatusRelease;
}

/** Something the client observed. */
export type StatusEvent =
  | { kind: 'starting' }
  | { kind: 'running' }
  | { kind: 'stopped' }
  | { kind: 'analysis'; busy: boolean; pending: number; release?: StatusRelease }
  | { kind: 'failed'; message: string };

/** Before the client has started anything. */
export const INITIAL_STATUS: ServerStatus = { phase: 'starting', pending: 0 };

/** The status after an event. */
export function nextStatus(status: ServerStatus, event: StatusEvent): ServerStatus {
  switch (event.kind) {
    case 'starting':
      return { phase: 'starting', pending: 0 };
    case 'running':
      return { phase: 'ready', pending: 0 };
    case 'stopped':
      // A failure says more than the stop that follows (or precedes) it.
      return status.phase === 'failed' ? status : { phase: 'stopped', pending: 0 };
    case 'analysis':
      // Late notifications of a server that is gone or restarting change nothing.
      if (status.phase !== 'ready' && status.phase !== 'busy') return status;
      {
        // The release stays known while busy; an idle notification may bring a new one.
        const release = event.release ?? status.release;
        const keep = release ? { release } : {};
        return event.busy ? { phase: 'busy', pending: event.pending, ...keep } : { phase: 'ready', pending: 0, ...keep };
      }
    case 'failed':
      return { phase: 'failed', pending: 0, message: event.message };
  }
}

/** What clicking the item does. */
export type StatusAction = 'showOutput' | 'restart';

/** The item's text (with a codicon), tooltip and click action for a status. */
export interface StatusView {
  text: string;
  tooltip: string;
  action: StatusAction;
  /** Shown with the error colours. */
  error: boolean;
}

/** How a status is shown. */
export function statusView(status: ServerStatus): StatusView {
  const log = 'Click to show its log.';
  const r = status.release;
  // The release in effect is always in sight: users run several, and the verdicts depend on it.
  const version = r ? ` ${r.version}` : '';
  const checked = r ? ` Checked against ${r.name}${r.derived ? ' (facts derived from the checked releases)' : ''}, from ${r.source}.` : '';
  switch (status.phase) {
    case 'starting':
      return { text: '$(sync~spin) VCL', tooltip: `VCL language server: starting. ${log}`, action: 'showOutput', error: false };
    case 'ready':
      return { text: `$(check) VCL${version}`, tooltip: `VCL language server: ready.${checked} ${log}`, action: 'showOutput', error: false };
    case 'busy': {
      const what = status.pending === 1 ? '1 document' : `${status.pending} documents`;
      return { text: `$(sync~spin) VCL${version}`, tooltip: `VCL language server: analysing ${what}.${checked} ${log}`, action: 'showOutput', error: false };
    }
    case 'failed':
      return { text: '$(error) VCL', tooltip: `VCL language server failed: ${status.message ?? 'unknown error'}. Click to restart it.`, action: 'restart', error: true };
    case 'stopped':
      return { text: '$(circle-slash) VCL', tooltip: 'VCL language server: stopped. Click to start it again.', action: 'restart', error: false };
  }
}
