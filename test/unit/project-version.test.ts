/**
 * The Varnish release chosen in the editor (`vcl.varnishVersion`, read by
 * Project.configure): what parameter files report, hover and complete with
 * it. Driven through LanguageFeatures without a server process; one line
 * per case.
 */
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LanguageFeatures } from '../../server/src/service/language-features.js';
import { Project } from '../../server/src/service/project.js';

const URI = 'file:///tmp/vcl-version-test/etc/default/varnish';
const TEXT = 'DAEMON_OPTS="-a :6081 -p workspace_backend=80k -p pcre2_match_limit=5000 -p pcre"\n';

function open(setting: unknown): { project: Project; features: LanguageFeatures; warnings: string[] } {
  const project = new Project();
  project.start({ folders: [], includePaths: [], vmodPath: [], trusted: true });
  const warnings = project.configure({ varnishVersion: setting });
  project.update(TextDocument.create(URI, 'varnish-params', 1, TEXT));
  return { project, features: new LanguageFeatures(project), warnings };
}

const at = (needle: string, delta = 1) => {
  const offset = TEXT.indexOf(needle) + delta;
  return { line: 0, character: offset };
};

describe('Project: the Varnish version setting', () => {
  // [setting, version in effect, diagnostic codes, a warning for the log]
  const cases: Array<[unknown, string, string[], boolean]> = [
    [undefined, '7.1', ['resp-buffer-too-small'], false],
    ['', '7.1', ['resp-buffer-too-small'], false],
    ['6.5', '6.5', ['param-unknown'], false],
    ['6.5.1', '6.5', ['param-unknown'], false],
    ['9.0', '9.0', ['resp-buffer-too-small'], false],
    ['6.4', '7.1', ['resp-buffer-too-small'], true],
    [7.7, '7.1', ['resp-buffer-too-small'], true],
  ];
  for (const [setting, version, codes, warned] of cases) {
    it(`${JSON.stringify(setting)} -> ${version}: ${codes.join(', ')}${warned ? ', with a warning' : ''}`, () => {
      const { project, warnings } = open(setting);
      assert.equal(project.varnishVersion, version);
      // The unfinished `-p pcre` at the end (for completion) is params-read's, whatever the release.
      const found = project.analysis(URI)!.diagnostics().map((d) => d.code).filter((c) => c !== 'params-read');
      assert.deepEqual(found, codes);
      assert.equal(warnings.length > 0, warned, warnings.join('\n'));
      if (warned) assert.match(warnings[0]!, /vcl\.varnishVersion: .* is not a supported Varnish version \(6\.0, 6\.5, .*9\.0\); using 7\.1/);
    });
  }

  // [setting, where, what the hover says]
  const hovers: Array<[string, string, RegExp]> = [
    ['6.5', 'workspace_backend', /In Varnish 6\.5:  \nDefault: `64k`/],
    ['7.7', 'workspace_backend', /In Varnish 7\.7:  \nDefault: `96k`/],
    ['7.6', 'workspace_backend', /In Varnish 7\.6 \(derived from neighbouring releases, not read from its own varnishd\):/],
    ['6.5', 'pcre2_match_limit', /Not a parameter of Varnish 6\.5: it exists from Varnish 7\.0\./],
  ];
  for (const [setting, where, want] of hovers) {
    it(`hover on ${where} with ${setting}: ${want.source}`, () => {
      const { features } = open(setting);
      const hover = features.hover({ textDocument: { uri: URI }, position: at(where) });
      assert.ok(hover, 'no hover');
      assert.match((hover.contents as { value: string }).value, want);
    });
  }

  // [setting, names completed after `-p pcre`]
  const completions: Array<[string, string[]]> = [
    ['6.5', ['pcre_match_limit', 'pcre_match_limit_recursion']],
    ['7.1', ['pcre2_depth_limit', 'pcre2_jit_compilation', 'pcre2_match_limit']],
  ];
  for (const [setting, want] of completions) {
    it(`completes -p pcre with ${setting}: ${want.join(' ')}`, () => {
      const { features } = open(setting);
      const items = features.completion({ textDocument: { uri: URI }, position: at('-p pcre"', 7) });
      assert.deepEqual(items.map((i) => i.label).sort(), want);
    });
  }
});
