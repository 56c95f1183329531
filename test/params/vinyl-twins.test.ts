/**
 * Vinyl Cache 9.0's files read like Varnish's: each fixture under
 * test/fixtures/params/vinyl (a `vinyl-cache.service` and its drop-in,
 * `/etc/default/vinyl-cache`, a `-I` file, a Dockerfile, a compose file and
 * a script that run `vinyld`) has a Varnish twin, the same text with
 * Varnish's names (`varnishd`, `varnish.service`, `/etc/varnish`). Both must
 * be found by name, read as the same kind with the same settings, and get
 * the same findings and fixes, for the release checked by default and for
 * 9.0.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { discoverFiles } from '../../server/src/cli/discover.js';
import { detectParamsKind, readParamsFile } from '../../server/src/params/detect.js';
import type { ParamsFile, ParamsFileKind } from '../../server/src/params/model.js';
import { lintParamsText } from '../../server/src/service/lint-params.js';
import { Project } from '../../server/src/service/project.js';
import type { LintDiagnostic } from '../../server/src/service/types.js';
import type { VarnishVersion } from '../../server/src/facts/versions.js';
import { applyEdits, textOf } from '../helpers/apply-edits.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const vinylDir = path.join(root, 'test', 'fixtures', 'params', 'vinyl');

/** Varnish's name for each Vinyl Cache name: `vinyld`, `vinyl-cache.service`, `/etc/vinyl-cache`, `vinylreload`. */
const toVarnish = (s: string): string => s.replace(/vinyl-cache/g, 'varnish').replace(/Vinyl Cache/g, 'Varnish Cache').replace(/vinyl/g, 'varnish');

// [fixture under vinyl/, its kind, its findings as rule@line at the default release, and at 9.0 where they differ]
const fixtures: [string, ParamsFileKind, string[], string[]?][] = [
  ['lib/systemd/system/vinyl-cache.service', 'systemd', []],
  ['etc/systemd/system/vinyl-cache.service.d/override.conf', 'systemd', ['resp-buffer-too-small@13', 'param-unknown@14']],
  ['etc/default/vinyl-cache', 'shell-env', ['req-buffer-too-small@12', 'req-buffer-too-small@12']],
  ['etc/vinyl-cache/startup.cli', 'cli-init', ['resp-buffer-too-small@5', 'resp-buffer-too-small@5']],
  ['docker/image/Dockerfile', 'dockerfile', ['resp-buffer-too-small@13']],
  // A vinyld command says nothing about the release: at 7.1, 7.1's reading of `1h` holds.
  ['docker/compose/docker-compose.yml', 'docker-compose', ['resp-buffer-too-small@12', 'resp-buffer-too-small@26', 'param-unit-ignored@30'], ['resp-buffer-too-small@12', 'resp-buffer-too-small@26']],
  ['scripts/start-vinyl.sh', 'shell-script', ['resp-buffer-too-small@12']],
];

const releases: (VarnishVersion | undefined)[] = [undefined, '9.0'];

/** `name=value` per setting, per command. */
const settingsOf = (file: ParamsFile | undefined): string[][] => (file?.commands ?? []).map((c) => c.settings.map((s) => `${s.name}=${s.value}`));
/** `flag value` per option, per command. */
const optionsOf = (file: ParamsFile | undefined): string[][] =>
  (file?.commands ?? []).map((c) => c.options.map((o) => (o.value === undefined ? o.flag : `${o.flag} ${o.value}`)));

/** Diagnostics in a stable order. */
function lint(text: string, file: string, varnishVersion: VarnishVersion | undefined): LintDiagnostic[] {
  return lintParamsText(text, { path: file, varnishVersion }).sort((a, b) => a.range.start.line - b.range.start.line || (a.rule + a.message < b.rule + b.message ? -1 : 1));
}

/** What a diagnostic points at: its line and the text of its range. */
function target(text: string, d: LintDiagnostic): string {
  return `${d.range.start.line}:${textOf(text, d.range)}`;
}

describe('Vinyl Cache files read like their Varnish twins', () => {
  for (const [rel, kind, findings, findings90] of fixtures) {
    describe(rel, () => {
      const vinyl = readFileSync(path.join(vinylDir, rel), 'utf8');
      const varnish = toVarnish(vinyl);
      // Relative paths: the checkout's own folder names must not decide.
      const vinylPath = rel;
      const varnishPath = toVarnish(rel);

      it(`is a ${kind} file, as its twin ${varnishPath} is`, () => {
        assert.notEqual(varnish, vinyl, 'the twin differs');
        assert.equal(detectParamsKind(varnishPath, varnish), kind);
        assert.equal(detectParamsKind(vinylPath, vinyl), kind);
        assert.equal(detectParamsKind(vinylPath, vinyl, { byContent: false }), detectParamsKind(varnishPath, varnish, { byContent: false }));
      });

      it('has the settings and options of its twin', () => {
        const want = readParamsFile(varnishPath, varnish);
        const got = readParamsFile(vinylPath, vinyl);
        assert.ok(want && got, 'both are read');
        assert.ok(want.commands.length > 0, 'the twin has a command');
        assert.deepEqual(settingsOf(got), settingsOf(want));
        assert.deepEqual(optionsOf(got).map((o) => o.map(toVarnish)), optionsOf(want));
        assert.deepEqual(got.problems.map((p) => toVarnish(p.message)), want.problems.map((p) => p.message));
      });

      for (const release of releases) {
        it(`gets its twin's findings and fixes (${release ?? 'default release'})`, () => {
          const want = lint(varnish, varnishPath, release);
          const got = lint(vinyl, vinylPath, release);
          assert.deepEqual(want.map((d) => `${d.rule}@${d.range.start.line}`), release === '9.0' ? (findings90 ?? findings) : findings, 'the twin finds what the table says');
          // Varnish's names on both sides: a message may name the release ("Vinyl Cache 9.0's default").
          assert.deepEqual(got.map((d) => `${d.rule}: ${toVarnish(d.message)}`), want.map((d) => `${d.rule}: ${toVarnish(d.message)}`));
          assert.deepEqual(got.map((d) => toVarnish(target(vinyl, d))), want.map((d) => target(varnish, d)));
          got.forEach((d, i) => {
            const wantFixes = want[i]!.fixes ?? [];
            assert.deepEqual((d.fixes ?? []).map((f) => toVarnish(f.title)), wantFixes.map((f) => toVarnish(f.title)));
            (d.fixes ?? []).forEach((fix, j) => {
              const fixed = applyEdits(vinyl, fix.edits);
              assert.equal(toVarnish(fixed), applyEdits(varnish, wantFixes[j]!.edits), fix.title);
            });
          });
        });
      }
    });
  }

  it('an editor that opens one under another language (systemd, Dockerfile, compose, shell) gets its twin\'s diagnostics', () => {
    const languages: Record<ParamsFileKind, string> = {
      systemd: 'systemd-unit-file',
      'shell-env': 'shellscript',
      'cli-init': 'plaintext',
      dockerfile: 'dockerfile',
      'docker-compose': 'dockercompose',
      'shell-script': 'shellscript',
      kubernetes: 'yaml',
      'helm-values': 'yaml',
      'helm-template': 'yaml',
    };
    const published = (rel: string, text: string, languageId: string): string[] => {
      const project = new Project();
      project.start({ folders: [], includePaths: [], vmodPath: [], trusted: false });
      // The release is chosen: which one a vinyld file makes the workspace run is not this test's question.
      project.configure({ varnishVersion: '9.0' });
      const uri = `file:///srv/deploy/${rel}`;
      project.update(TextDocument.create(uri, languageId, 1, text));
      return project.analysis(uri)!.diagnostics().map((d) => `${String(d.code)}@${d.range.start.line}`).sort();
    };
    for (const [rel, kind, findings, findings90] of fixtures) {
      const vinyl = readFileSync(path.join(vinylDir, rel), 'utf8');
      const want = published(toVarnish(rel), toVarnish(vinyl), languages[kind]);
      assert.deepEqual(want, [...(findings90 ?? findings)].sort(), `${rel}'s twin`);
      assert.deepEqual(published(rel, vinyl, languages[kind]), want, rel);
    }
  });

  it('VS Code gives a Vinyl Cache file the parameter language when it gives its twin the language', () => {
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: { languages: { id: string; filenames?: string[]; filenamePatterns?: string[] }[] } };
    const params = manifest.contributes.languages.find((l) => l.id === 'varnish-params')!;
    // VS Code's globs as these patterns use them: `**/` any folders, `*` within a name.
    const globs = (params.filenamePatterns ?? []).map(
      (g) => new RegExp(`^${g.split('**/').map((part) => part.split('*').map((t) => t.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')).join('(?:.*/)?')}$`),
    );
    const named = (p: string): boolean => (params.filenames ?? []).includes(path.posix.basename(p)) || globs.some((g) => g.test(`/${p}`));
    const byName = fixtures.map(([rel]) => rel).filter((rel) => named(toVarnish(rel)));
    assert.deepEqual(byName, ['lib/systemd/system/vinyl-cache.service', 'etc/systemd/system/vinyl-cache.service.d/override.conf', 'etc/default/vinyl-cache']);
    assert.deepEqual(fixtures.map(([rel]) => rel).filter(named), byName);
  });

  it('vcl-lint finds every Vinyl Cache file when it walks their folder', () => {
    const found = discoverFiles([vinylDir]);
    assert.deepEqual(found.errors, []);
    const files = found.files.map((f) => `${path.relative(vinylDir, f.path).split(path.sep).join('/')}:${f.language}`).sort();
    assert.deepEqual(files, fixtures.map(([rel]) => `${rel}:varnish-params`).sort());
  });
});
