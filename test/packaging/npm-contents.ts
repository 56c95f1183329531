/**
 * What the npm package (`npm pack`) must hold and must not. The CLI and the
 * language server are single bundles that read only the rule pages next to
 * them at run time (service/rule-docs.ts), so those, with README, LICENSE,
 * CHANGELOG and package.json, are what they need. The package.json `files`
 * list is also what the .vsix is built from (vsce refuses a .vscodeignore
 * next to it), so the extension's few files are allowed as well; npm adds
 * `main` (dist/extension.cjs) whatever `files` says.
 */

/** Paths the package must contain besides the rule pages. */
export const NPM_REQUIRED_FILES = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist/cli.cjs', 'dist/cli-main.cjs', 'dist/server.cjs'] as const;

/** Paths the package may contain because the extension package needs them. */
export const EXTENSION_FILES = [
  'dist/extension.cjs',
  'syntaxes/vcl.tmLanguage.json',
  'syntaxes/varnish-params.tmLanguage.json',
  'syntaxes/varnishlog.tmLanguage.json',
  'language-configuration.json',
  'language-configuration-params.json',
  'images/icon.png',
] as const;

/**
 * Everything wrong with a package whose files are `paths` (as `npm pack
 * --json` lists them), given the names of the pages under docs/rules/
 * (`syntax.md`). Empty when the package is right.
 */
export function npmPackageProblems(paths: readonly string[], rulePages: readonly string[]): string[] {
  const problems: string[] = [];
  const present = new Set(paths);
  const expected = [...NPM_REQUIRED_FILES, ...rulePages.map((p) => `docs/rules/${p}`)];
  for (const path of expected) {
    if (!present.has(path)) problems.push(`${path} is missing`);
  }
  const allowed = new Set<string>([...expected, ...EXTENSION_FILES]);
  for (const path of paths) {
    if (!allowed.has(path)) problems.push(`${path} should not be packaged (${whyNot(path)})`);
  }
  return problems;
}

function whyNot(path: string): string {
  if (/(^|\/)node_modules\//.test(path)) return 'dependencies are bundled into dist/';
  if (/^(out|test)\//.test(path)) return 'tests';
  if (/^(server|client|scripts|bench)\//.test(path)) return 'sources; the bundles in dist/ are what runs';
  if (path.endsWith('.map')) return 'source maps more than double the size';
  return 'nothing the CLI, the server or the extension reads';
}
