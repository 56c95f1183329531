// `npm run compile-tests`: the TypeScript of the server, client, tests,
// benchmarks and scripts into out/, one JavaScript module per source file
// (the layout tsc gives with tsconfig.json's outDir and rootDir), with
// esbuild. esbuild only removes the types: it takes about a second where tsc
// takes twelve, and `npm test` runs it before every run. The types are
// checked by `npm run typecheck` (tsc --noEmit; .ci/run runs it before the
// tests), and tsconfig.json's `isolatedModules` makes tsc refuse what a
// file-by-file transpiler would get wrong (a type re-exported as a value).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Files under `dir` (relative to the root) whose name passes `keep`, fixtures left out. */
function filesUnder(dir, keep) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(join(root, d), { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== 'fixtures') walk(p);
      } else if (keep(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

const isSource = (name) => name.endsWith('.ts') && !name.endsWith('.d.ts');
// tsconfig.json's `include`.
const sources = [...['server/src', 'client/src', 'test', 'bench'].flatMap((d) => filesUnder(d, isSource)), ...filesUnder('scripts', isSource)];

await build({
  absWorkingDir: root,
  entryPoints: sources,
  outdir: 'out',
  outbase: '.',
  bundle: false,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Node 20.10 reads `with { type: 'json' }`, which esbuild's node20 target would drop.
  supported: { 'import-attributes': true },
  sourcemap: true,
  logLevel: 'warning',
});

// The JSON the modules import (`with { type: 'json' }`) sits beside them, as tsc copies it.
for (const file of filesUnder('server/src', (n) => n.endsWith('.json'))) {
  const to = join(root, 'out', file);
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(join(root, file), to);
}
console.log(`compiled ${sources.length} files into ${relative(process.cwd(), join(root, 'out')) || 'out'}/`);
