/**
 * What the extension package (.vsix) must hold and must not: the bundles,
 * grammars, language configurations, rule pages, icon, README and
 * CHANGELOG; no node_modules, compiled tests, sources or source maps; and
 * at most 1.5 MB in all.
 */
import type { ZipEntry } from './zip-entries.js';

/** The size budget of the .vsix file, in bytes. */
export const VSIX_BUDGET_BYTES = 1.5 * 1024 * 1024;

/** What the package must contain besides the rule pages. */
export const REQUIRED_FILES = [
  'extension/package.json',
  'extension/dist/extension.cjs',
  'extension/dist/server.cjs',
  'extension/dist/cli.cjs',
  'extension/dist/cli-main.cjs',
  'extension/syntaxes/vcl.tmLanguage.json',
  'extension/syntaxes/varnish-params.tmLanguage.json',
  'extension/syntaxes/varnishlog.tmLanguage.json',
  'extension/language-configuration.json',
  'extension/language-configuration-params.json',
  'extension/images/icon.png',
  'extension/readme.md',
  'extension/changelog.md',
] as const;

/** Paths that have no place in the package, with the reason. */
const FORBIDDEN: { pattern: RegExp; why: string }[] = [
  { pattern: /(^|\/)node_modules\//, why: 'dependencies are bundled into dist/' },
  { pattern: /^extension\/out\//, why: 'compiled tests' },
  { pattern: /^extension\/test\//, why: 'tests' },
  { pattern: /^extension\/(server|client|scripts|bench)\//, why: 'sources; the bundles in dist/ are what runs' },
  { pattern: /\.map$/, why: 'source maps more than double the size' },
  { pattern: /\.vsix$/, why: 'an earlier package' },
];

/**
 * Everything wrong with a package: `entries` are its files, `fileSize` its
 * size on disk, `rulePages` the names of the pages under docs/rules/ that
 * it must carry (e.g. `syntax.md`). Empty when the package is right.
 */
export function vsixProblems(entries: readonly ZipEntry[], fileSize: number, rulePages: readonly string[]): string[] {
  const problems: string[] = [];
  if (fileSize > VSIX_BUDGET_BYTES) {
    problems.push(`the package is ${kb(fileSize)}, over the budget of ${kb(VSIX_BUDGET_BYTES)}`);
  }
  // vsce lower-cases README and CHANGELOG; compare without case.
  const names = new Set(entries.map((e) => e.name.toLowerCase()));
  for (const required of REQUIRED_FILES) {
    if (!names.has(required.toLowerCase())) problems.push(`${required} is missing`);
  }
  for (const page of rulePages) {
    if (!names.has(`extension/docs/rules/${page}`.toLowerCase())) problems.push(`extension/docs/rules/${page} is missing`);
  }
  for (const entry of entries) {
    const rule = FORBIDDEN.find((f) => f.pattern.test(entry.name));
    if (rule) problems.push(`${entry.name} should not be packaged (${rule.why})`);
  }
  return problems;
}

function kb(bytes: number): string {
  return `${Math.round(bytes / 1024)} KB`;
}
