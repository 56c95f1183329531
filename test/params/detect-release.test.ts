/**
 * The release a workspace runs, read from its files: one line per case,
 * the file's name and text and the release expected (or none).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectRelease, supportedAtOrBefore } from '../../server/src/params/detect-release.js';
import { runCli } from '../../server/src/cli/run.js';

describe('params: the release a workspace runs', () => {
  // [file name, text, release, line]
  const cases: [string, string, string | undefined, number?][] = [
    ['Dockerfile', 'FROM varnish:7.6\nCOPY default.vcl /etc/varnish/\n', '7.6', 1],
    ['Dockerfile', '# build\nFROM --platform=linux/amd64 docker.io/library/varnish:7.7.1-alpine AS cache\n', '7.7', 2],
    ['Dockerfile', 'FROM varnish:6.0\n', '6.0', 1],
    ['Dockerfile', 'FROM varnish:6.4\n', '6.0', 1],
    ['Dockerfile', 'FROM varnish:8.1\n', '8.0', 1],
    ['Dockerfile', 'FROM varnish:stable\n', undefined],
    ['Dockerfile', 'FROM varnish:5.2\n', undefined],
    ['Dockerfile', 'FROM nginx:1.27\n', undefined],
    ['docker-compose.yml', 'services:\n  cache:\n    image: "varnish:7.5"\n', '7.5', 3],
    ['deploy.yaml', 'spec:\n  containers:\n    - image: registry.example.com:5000/ops/varnish:7.4.2\n', '7.4', 3],
    ['vinyl-cache.service', '[Service]\nExecStart=/usr/sbin/vinyld -a :80 -f /etc/vinyl-cache/default.vcl\n', '9.0', 2],
    ['varnish.service', '[Service]\nExecStart=/usr/sbin/varnishd -a :80 -f /etc/varnish/default.vcl\n', undefined],
    ['Dockerfile', `FROM varnish:7.6 ${'x'.repeat(5000)}\n`, undefined],
  ];
  for (const [name, text, release, line] of cases) {
    it(`${name}: ${JSON.stringify(text.split('\n').find((l) => l && !l.startsWith('#'))?.slice(0, 60))} -> ${release ?? 'none'}`, () => {
      const found = detectRelease([{ path: `/w/${name}`, text }]);
      assert.equal(found?.version, release);
      if (release) assert.equal(found?.line, line);
    });
  }

  it('takes the first file in path order when several name a release', () => {
    const found = detectRelease([
      { path: '/w/b/Dockerfile', text: 'FROM varnish:7.7\n' },
      { path: '/w/a/Dockerfile', text: 'FROM varnish:6.6\n' },
    ]);
    assert.equal(found?.version, '6.6');
    assert.equal(found?.path, '/w/a/Dockerfile');
  });

  it('maps a release to the nearest supported one at or before it', () => {
    assert.equal(supportedAtOrBefore('7.1'), '7.1');
    assert.equal(supportedAtOrBefore('6.3'), '6.0');
    assert.equal(supportedAtOrBefore('10.2'), '9.0');
    assert.equal(supportedAtOrBefore('5.2'), undefined);
  });

  it('vcl-lint checks a folder against the release its Dockerfile runs, and says so; an explicit choice wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vcl-detect-'));
    try {
      writeFileSync(join(dir, 'Dockerfile'), 'FROM varnish:7.6-alpine\nCOPY default.vcl /etc/varnish/\n');
      writeFileSync(join(dir, 'default.vcl'), 'vcl 4.1;\nbackend b { .host = "127.0.0.1"; .port = "8080"; }\nsub vcl_recv { set req.filters = ""; }\n');
      const run = (args: string[]) => {
        let stdout = '';
        let stderr = '';
        const status = runCli([...args, '--format', 'json', dir], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
        return { status, json: JSON.parse(stdout) as { varnishVersion?: string }, stderr };
      };
      const detected = run([]);
      assert.equal(detected.status, 1, 'req.filters needs 7.7: an error with 7.6');
      assert.equal(detected.json.varnishVersion, '7.6');
      assert.match(detected.stderr, /checking against Varnish 7\.6, as .*Dockerfile:1 runs it/);
      const chosen = run(['--varnish-version', '7.7']);
      assert.equal(chosen.status, 0);
      assert.equal(chosen.json.varnishVersion, '7.7');
      assert.doesNotMatch(chosen.stderr, /checking against/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
