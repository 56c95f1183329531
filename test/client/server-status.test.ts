/**
 * The status bar item's model: the status after each sequence of client
 * events, and how each status is shown and what clicking it does.
 */
import assert from 'node:assert/strict';
import { INITIAL_STATUS, nextStatus, statusView, type StatusEvent } from '../../client/src/server-status.js';

const starting: StatusEvent = { kind: 'starting' };
const running: StatusEvent = { kind: 'running' };
const stopped: StatusEvent = { kind: 'stopped' };
const busy = (pending: number): StatusEvent => ({ kind: 'analysis', busy: true, pending });
const idle: StatusEvent = { kind: 'analysis', busy: false, pending: 0 };
const failed = (message: string): StatusEvent => ({ kind: 'failed', message });
const docker = { version: '7.6', name: 'Varnish 7.6', derived: true, source: './Dockerfile:1 (FROM varnish:7.6)' };
const setting = { version: '9.0', name: 'Vinyl Cache 9.0', derived: false, source: 'the vcl.varnishVersion setting' };
const idleWith = (release: typeof docker): StatusEvent => ({ kind: 'analysis', busy: false, pending: 0, release });

// [what happens, events in order, expected text, expected tooltip (part), click action]
const cases: Array<[string, StatusEvent[], string, RegExp, 'showOutput' | 'restart']> = [
  ['activation, before the client reports anything', [], '$(sync~spin) VCL', /starting/, 'showOutput'],
  ['the client is starting the server', [starting], '$(sync~spin) VCL', /starting/, 'showOutput'],
  ['the server answered initialize', [starting, running], '$(check) VCL', /ready/, 'showOutput'],
  ['analysis pending for one document', [starting, running, busy(1)], '$(sync~spin) VCL', /analysing 1 document\./, 'showOutput'],
  ['analysis pending for three documents', [starting, running, busy(3)], '$(sync~spin) VCL', /analysing 3 documents/, 'showOutput'],
  ['analysis done', [starting, running, busy(2), idle], '$(check) VCL', /ready/, 'showOutput'],
  ['a late busy notification while starting again', [starting, running, stopped, starting, busy(1)], '$(sync~spin) VCL', /starting/, 'showOutput'],
  ['a busy notification after the server stopped', [starting, running, stopped, busy(1)], '$(circle-slash) VCL', /stopped/, 'restart'],
  ['the start was refused', [starting, failed('spawn node ENOENT'), stopped], '$(error) VCL', /failed: spawn node ENOENT/, 'restart'],
  ['the client gave up after crashes (stop first, then the error handler)', [starting, running, busy(1), stopped, failed('crashed 5 times')], '$(error) VCL', /failed: crashed 5 times/, 'restart'],
  ['a restart after a failure', [starting, failed('x'), stopped, starting], '$(sync~spin) VCL', /starting/, 'showOutput'],
  ['a restart after a failure that succeeds', [starting, failed('x'), starting, running], '$(check) VCL', /ready/, 'showOutput'],
  ['stopped by the user or VS Code', [starting, running, stopped], '$(circle-slash) VCL', /stopped/, 'restart'],
  ['idle, checked against a release a Dockerfile names', [starting, running, busy(1), idleWith(docker)], '$(check) VCL 7.6', /Checked against Varnish 7\.6 \(facts derived from the checked releases\), from \.\/Dockerfile:1/, 'showOutput'],
  ['busy again: the release stays in sight', [starting, running, idleWith(docker), busy(2)], '$(sync~spin) VCL 7.6', /analysing 2 documents\. Checked against Varnish 7\.6/, 'showOutput'],
  ['the setting changes the release', [starting, running, idleWith(docker), busy(1), idleWith(setting)], '$(check) VCL 9.0', /Checked against Vinyl Cache 9\.0, from the vcl\.varnishVersion setting/, 'showOutput'],
  ['a restarted server has no release until it says', [starting, running, idleWith(docker), stopped, starting, running], '$(check) VCL', /ready\. Click/, 'showOutput'],
];

describe('client: server status model', function () {
  for (const [what, events, text, tooltip, action] of cases) {
    it(what, function () {
      const status = events.reduce(nextStatus, INITIAL_STATUS);
      const view = statusView(status);
      assert.equal(view.text, text);
      assert.match(view.tooltip, tooltip);
      assert.equal(view.action, action);
      assert.equal(view.error, status.phase === 'failed');
    });
  }

  it('keeps the reason of a failure when the stop arrives after it', function () {
    const status = [starting, failed('the server crashed'), stopped].reduce(nextStatus, INITIAL_STATUS);
    assert.deepEqual(status, { phase: 'failed', pending: 0, message: 'the server crashed' });
  });
});
