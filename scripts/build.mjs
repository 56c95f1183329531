// Bundles the extension client, the language server and the CLI into dist/.
// VS Code loads CommonJS, so every bundle is CJS with `vscode` left external.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// The yaml package is needed only for compose files, Kubernetes manifests
// and Helm values, yet a bundle runs every module's top level at start:
// yaml's took 1.4% of a 3-line file's whole CLI run (instructions counted
// with valgrind, alternated runs). In the bundles, `import ... from 'yaml'`
// gets a stand-in whose exports load the real package on first use (each
// of its names, read here from the package itself, is a getter). The
// tests run the sources with the real package; test/cli/cli.test.ts holds
// the bundled CLI to them on the YAML fixtures.
const yamlNames = Object.keys(await import('yaml')).filter((name) => name !== 'default');
const lazyYaml = {
  name: 'lazy-yaml',
  setup(b) {
    // The stand-in's own require goes to the real package.
    b.onResolve({ filter: /^yaml$/ }, (args) => (args.namespace === 'lazy-yaml' ? undefined : { path: 'yaml', namespace: 'lazy-yaml' }));
    b.onLoad({ filter: /^yaml$/, namespace: 'lazy-yaml' }, () => ({
      loader: 'js',
      resolveDir: root,
      contents: [
        'let real;',
        "const load = () => (real ??= require('yaml'));",
        `for (const name of ${JSON.stringify(yamlNames)}) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });`,
      ].join('\n'),
    }));
  },
};

// The fact tables (facts/*.json, the grammar's tables) go into the bundles
// as JSON.parse of their text, not as object literals: V8 reads JSON faster
// than it builds the same objects from code, and the bundle's code cache
// then holds a string, not their construction. 1.5% fewer instructions in a
// 3-line file's whole CLI run (valgrind, alternated runs); same values.
const jsonAsParse = {
  name: 'json-as-parse',
  setup(b) {
    b.onLoad({ filter: /\.json$/ }, (args) => ({
      loader: 'js',
      // Parsed here first: a file that is not JSON fails the build, as esbuild's own loader would.
      contents: `export default JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(readFileSync(args.path, 'utf8'))))});`,
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: process.argv.includes('--minify'),
  external: ['vscode'],
  logLevel: 'warning',
  plugins: [lazyYaml, jsonAsParse],
};

// `import.meta.url` (how the server and CLI find the rule pages next to
// themselves) has no CJS equivalent: it becomes the bundle's own file URL.
const selfUrl = {
  define: { 'import.meta.url': 'import_meta_url' },
  inject: ['scripts/import-meta-url.js'],
  banner: { js: '#!/usr/bin/env node' },
};

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.cjs' }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.cjs', ...selfUrl }),
  // The CLI: its bundle, and the small first file that loads it with V8's code cache (cli-cached.ts).
  // Every `vcl-lint` run reads and loads the whole bundle: without comments and blanks it is a third
  // smaller, which took 7% off a small file's whole run. Names are kept, so messages and profiles read
  // as the source does (the source map has the rest).
  build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli-main.cjs', ...selfUrl, minifyWhitespace: true, minifySyntax: true }),
  build({ ...common, entryPoints: ['server/src/cli-cached.ts'], outfile: 'dist/cli.cjs', banner: { js: '#!/usr/bin/env node' } }),
]);
