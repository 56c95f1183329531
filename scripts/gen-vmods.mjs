#!/usr/bin/env node
// Generates server/src/facts/vmods.json: the interfaces of the vmods shipped
// with Varnish 7.1 and varnish-modules, read from the JSON each installed
// libvmod_<name>.so embeds. The files are only read as bytes; a vmod is never
// loaded, so nothing in it runs.
//
// Usage (after `npm run compile-tests`, which builds the reader into out/):
//   node scripts/gen-vmods.mjs [--vmod-dir DIR] [--out FILE]
//   --vmod-dir  default $VARNISH_VMOD_DIR, else the first usual vmod directory
//               that holds libvmod_std.so
//   --out       default server/src/facts/vmods.json
// Exit status: 0 written, 1 a required vmod is missing or unreadable, 2 usage.
// Output is sorted with a 2-space indent and a trailing newline, so re-running
// on the same installation gives no diff.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Vmods the table must hold; `debug` is a test vmod that not every package installs. */
const REQUIRED = [
  'accept', 'blob', 'bodyaccess', 'cookie', 'directors', 'header', 'proxy', 'purge', 'saintmode',
  'std', 'str', 'tcp', 'unix', 'var', 'vsthrottle', 'vtc', 'xkey',
];
const OPTIONAL = ['debug'];

// Same list as DEFAULT_VMOD_PATH in server/src/vmods/index.ts (not imported:
// that module needs the very file this script writes).
const USUAL_DIRS = [
  '/usr/lib/x86_64-linux-gnu/varnish/vmods',
  '/usr/lib/aarch64-linux-gnu/varnish/vmods',
  '/usr/lib64/varnish/vmods',
  '/usr/lib/varnish/vmods',
  '/usr/local/lib/varnish/vmods',
];

function usage(message) {
  process.stderr.write(`gen-vmods: ${message}\nusage: node scripts/gen-vmods.mjs [--vmod-dir DIR] [--out FILE]\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    vmodDir: process.env.VARNISH_VMOD_DIR || USUAL_DIRS.find((d) => existsSync(path.join(d, 'libvmod_std.so'))),
    out: path.join(projectRoot, 'server', 'src', 'facts', 'vmods.json'),
  };
  for (let i = 0; i < argv.length; i++) {
    const [key, inline] = argv[i].split(/=(.*)/s);
    const value = () => inline ?? argv[++i] ?? usage(`${key} needs a value`);
    if (key === '--vmod-dir') opts.vmodDir = path.resolve(value());
    else if (key === '--out') opts.out = path.resolve(value());
    else if (key === '-h' || key === '--help') usage('help');
    else usage(`unknown argument '${argv[i]}'`);
  }
  if (!opts.vmodDir) usage(`no vmod directory found (tried ${USUAL_DIRS.join(', ')}); give --vmod-dir`);
  if (!existsSync(opts.vmodDir)) usage(`vmod directory ${opts.vmodDir} does not exist`);
  return opts;
}

/** Re-serialises with object keys sorted, so the output does not depend on insertion order. */
function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
  }
  return value;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const readerPath = path.join(projectRoot, 'out', 'server', 'src', 'vmods', 'read-vmod-json.js');
  if (!existsSync(readerPath)) usage(`${path.relative(projectRoot, readerPath)} missing; run \`npm run compile-tests\` first`);
  const { readVmodInterface } = await import(pathToFileURL(readerPath).href);

  const table = {};
  const problems = [];
  for (const name of [...REQUIRED, ...OPTIONAL].sort()) {
    const file = path.join(opts.vmodDir, `libvmod_${name}.so`);
    if (!existsSync(file)) {
      if (REQUIRED.includes(name)) problems.push(`${file}: missing`);
      else process.stderr.write(`gen-vmods: optional vmod '${name}' not installed, left out\n`);
      continue;
    }
    const vmod = readVmodInterface(readFileSync(file), { name });
    if ('error' in vmod) problems.push(`${file}: ${vmod.error}`);
    else table[name] = vmod;
  }
  if (problems.length) {
    process.stderr.write(`gen-vmods: not written, fix these first:\n  ${problems.join('\n  ')}\n`);
    process.exit(1);
  }
  writeFileSync(opts.out, JSON.stringify(sortKeys(table), null, 2) + '\n');
  const counts = Object.values(table).reduce(
    (n, v) => ({ f: n.f + v.functions.length, o: n.o + v.objects.length, m: n.m + v.objects.reduce((k, o) => k + o.methods.length, 0) }),
    { f: 0, o: 0, m: 0 },
  );
  process.stdout.write(
    `gen-vmods: ${Object.keys(table).length} vmods, ${counts.f} functions, ${counts.o} objects, ${counts.m} methods -> ${path.relative(projectRoot, opts.out)}\n`,
  );
}

main().catch((e) => {
  process.stderr.write(`gen-vmods: ${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
