/**
 * The spawner the compiler suites run their thousands of commands through:
 * exit codes, stderr, commands that cannot start and commands that run over
 * their time must all come back as the command left them.
 */
import assert from 'node:assert/strict';
import { Spawner } from '../helpers/spawner.js';

describe('spawner (bash workers for short commands)', function () {
  let spawner: Spawner;
  before(() => {
    spawner = new Spawner(2);
  });
  after(() => spawner.dispose());

  it('returns the exit code and stderr, with arguments passed exactly (spaces, quotes, newlines, empty ones)', async () => {
    const odd = ['a b', "it's", 'line\nbreak', '', '$HOME', '*'];
    const r = await spawner.run('/bin/sh', ['-c', 'for a in "$@"; do printf "[%s]" "$a" >&2; done; exit 3', 'sh', ...odd]);
    assert.equal(r.code, 3);
    assert.equal(r.stderr, odd.map((a) => `[${a}]`).join(''));
  });

  it('kills a command that runs over its time and says so (code null), quickly', async () => {
    const t0 = Date.now();
    const r = await spawner.run('/bin/sleep', ['30'], 300);
    assert.equal(r.code, null);
    assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
    // The worker goes on with the next command.
    assert.equal((await spawner.run('/bin/sh', ['-c', 'exit 0'])).code, 0);
  });

  it('says when a command cannot be run', async () => {
    const r = await spawner.run('/nonexistent/command', []);
    assert.equal(r.code, 127);
    assert.match(r.stderr, /cannot run \(exit 127\)/);
  });

  it('answers every one of many commands asked at once with its own result', async () => {
    const runs = Array.from({ length: 40 }, (_, i) => spawner.run('/bin/sh', ['-c', `echo ${i} >&2; exit ${i % 7}`]));
    const results = await Promise.all(runs);
    results.forEach((r, i) => {
      assert.equal(r.code, i % 7);
      assert.equal(r.stderr.trim(), String(i));
    });
  });

  it('keeps only the head and the tail of a stderr past 64 KB', async () => {
    const r = await spawner.run('/bin/sh', ['-c', 'echo HEAD >&2; head -c 200000 /dev/zero | tr "\\0" x >&2; echo TAIL >&2']);
    assert.equal(r.code, 0);
    assert.equal(r.stderr.length, 65536);
    assert.ok(r.stderr.startsWith('HEAD\n') && r.stderr.endsWith('TAIL\n'));
  });
});
