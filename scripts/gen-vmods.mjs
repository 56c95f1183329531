#!/usr/bin/env node
// Generates server/src/facts/vmods.json: the interfaces of the vmods each
// checked release ships (Varnish's own and varnish-modules, as Debian
// packages them), read from the JSON each libvmod_<name>.so embeds. The
// files are only read as bytes; a vmod is never loaded, so nothing in it runs.
//
// Each function, object, method and alias is written once with the releases
// it holds in (`since`/`until`). A change seen between two checked releases
// is placed in the release Varnish's change records name (CHANGED_IN, from
// the shared FACTS.md); one they do not name is placed at the newer checked
// release, so a derived release between the two keeps the older interface.
//
// Usage (after `npm run compile-tests`, which builds the reader into out/):
//   node scripts/gen-vmods.mjs [--release X.Y=DIR ...] [--out FILE]
//   --release  a checked release and its vmod directory; default: 7.1 from
//              $VARNISH_VMOD_DIR or the first usual vmod directory that holds
//              libvmod_std.so, 6.5, 7.7 and 9.0 from the compilers' chroots
//              in $VARNISH_ORACLES (default /opt/varnish-oracles)
//   --out      default server/src/facts/vmods.json
// Exit status: 0 written, 1 a required vmod is missing or unreadable, 2 usage.
// Output is sorted with a 2-space indent and a trailing newline, so re-running
// on the same installations gives no diff.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Vmods read where a release ships them; `std` must be there. */
const KNOWN = [
  'accept', 'blob', 'bodyaccess', 'cookie', 'debug', 'directors', 'h2', 'header', 'math', 'proxy', 'purge',
  'saintmode', 'std', 'str', 'tcp', 'unix', 'var', 'vsthrottle', 'vtc', 'xkey',
];

/** The checked releases, oldest first, and where their compilers' chroots keep the vmods. */
const CHECKED = ['6.5', '7.1', '7.7', '9.0'];
const ORACLE_VMOD_DIRS = {
  '6.5': 'bullseye/usr/lib/x86_64-linux-gnu/varnish/vmods',
  '7.7': 'trixie/usr/lib/x86_64-linux-gnu/varnish/vmods',
  '9.0': 'sid/usr/lib/x86_64-linux-gnu/vinyl-cache/vmods',
};

/**
 * The release that made a change, by `vmod`, `vmod.function`,
 * `vmod.object` or `vmod.object.method` (Varnish's change records).
 */
const CHANGED_IN = {
  cookie: '6.4',
  'std.ban': '6.6',
  'std.ban_error': '6.6',
  'std.strftime': '7.1',
  'std.now': '7.2',
  'std.timed_call': '7.2',
  'std.real2integer': '8.0',
  'std.real2time': '8.0',
  'std.time2integer': '8.0',
  'std.time2real': '8.0',
  'std.rfc_ttl': '9.0',
  'cookie.format_rfc1123': '7.1',
  h2: '7.5',
  math: '9.0',
};

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
  const oracles = process.env.VARNISH_ORACLES || '/opt/varnish-oracles';
  const dirs = {
    '7.1': process.env.VARNISH_VMOD_DIR || USUAL_DIRS.find((d) => existsSync(path.join(d, 'libvmod_std.so'))),
    ...Object.fromEntries(Object.entries(ORACLE_VMOD_DIRS).map(([v, d]) => [v, path.join(oracles, d)])),
  };
  const opts = { dirs, out: path.join(projectRoot, 'server', 'src', 'facts', 'vmods.json') };
  for (let i = 0; i < argv.length; i++) {
    const [key, inline] = argv[i].split(/=(.*)/s);
    const value = () => inline ?? argv[++i] ?? usage(`${key} needs a value`);
    if (key === '--release') {
      const [release, dir] = value().split(/=(.*)/s);
      if (!CHECKED.includes(release) || !dir) usage(`--release wants X.Y=DIR with X.Y one of ${CHECKED.join(', ')}`);
      dirs[release] = path.resolve(dir);
    } else if (key === '--out') opts.out = path.resolve(value());
    else if (key === '-h' || key === '--help') usage('help');
    else usage(`unknown argument '${argv[i]}'`);
  }
  for (const release of CHECKED) {
    if (!dirs[release] || !existsSync(path.join(dirs[release], 'libvmod_std.so'))) usage(`no vmods of ${release} found (${dirs[release] ?? 'no directory'}); give --release ${release}=DIR`);
  }
  return opts;
}

function compareVersions(a, b) {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am - bm || an - bn;
}

/**
 * The release in (older, newer] that changed `key`: the change records' for
 * the key or, for a member that came with its vmod, the vmod's; else `newer`.
 */
function changedIn(key, older, newer) {
  const parts = key.split('.');
  for (let n = parts.length; n > 0; n--) {
    const at = CHANGED_IN[parts.slice(0, n).join('.')];
    if (at && compareVersions(at, older) > 0 && compareVersions(at, newer) <= 0) return at;
  }
  return newer;
}

/**
 * Merges one item's form in each checked release (undefined where absent)
 * into entries with the span each form holds in.
 */
function spans(key, forms) {
  const out = [];
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  for (let i = 0; i < forms.length; ) {
    if (!forms[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < forms.length && forms[j + 1] && same(forms[j + 1], forms[i])) j++;
    const entry = { ...forms[i] };
    if (i > 0) entry.since = changedIn(key, CHECKED[i - 1], CHECKED[i]);
    else if (CHANGED_IN[key.split('.')[0]] && key.split('.').length === 1 && compareVersions(CHANGED_IN[key], CHECKED[0]) <= 0) entry.since = CHANGED_IN[key];
    if (j < forms.length - 1) entry.until = changedIn(key, CHECKED[j], CHECKED[j + 1]);
    out.push(entry);
    i = j + 1;
  }
  return out;
}

/** Items of one list (by name) over the releases, each with its span. */
function mergeList(prefix, lists, nested) {
  const names = [...new Set(lists.flatMap((l) => (l ?? []).map((x) => x.name)))].sort();
  return names.flatMap((name) => {
    const forms = lists.map((l) => l?.find((x) => x.name === name));
    if (!nested) return spans(`${prefix}.${name}`, forms);
    // An object: its constructor spans as a whole, its methods one by one.
    const heads = forms.map((o) => (o ? { ...o, methods: undefined } : undefined));
    const methods = mergeList(`${prefix}.${name}`, forms.map((o) => o?.methods), false);
    return spans(`${prefix}.${name}`, heads).map((h) => ({ ...h, methods }));
  });
}

/** One vmod over the checked releases: its own fields spanned, and each member. */
function mergeVmod(name, perRelease) {
  const heads = perRelease.map((v) => (v ? { name: v.name, jsonVersion: v.jsonVersion, abi: v.abi, hasEvent: v.hasEvent } : undefined));
  return {
    name,
    releases: spans(name, heads),
    functions: mergeList(name, perRelease.map((v) => v?.functions), false),
    objects: mergeList(name, perRelease.map((v) => v?.objects), true),
    aliases: mergeList(name, perRelease.map((v) => v?.aliases), false),
  };
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

  const perRelease = {};
  const problems = [];
  for (const release of CHECKED) {
    perRelease[release] = {};
    for (const name of KNOWN) {
      const file = path.join(opts.dirs[release], `libvmod_${name}.so`);
      if (!existsSync(file)) continue;
      const vmod = readVmodInterface(readFileSync(file), { name });
      if ('error' in vmod) problems.push(`${file}: ${vmod.error}`);
      else perRelease[release][name] = vmod;
    }
  }
  if (problems.length) {
    process.stderr.write(`gen-vmods: not written, fix these first:\n  ${problems.join('\n  ')}\n`);
    process.exit(1);
  }
  const table = {};
  for (const name of KNOWN) {
    const forms = CHECKED.map((r) => perRelease[r][name]);
    if (forms.some(Boolean)) table[name] = mergeVmod(name, forms);
  }
  writeFileSync(opts.out, JSON.stringify(sortKeys(table), null, 2) + '\n');
  const counts = Object.values(table).reduce((n, v) => ({ f: n.f + v.functions.length, o: n.o + v.objects.length }), { f: 0, o: 0 });
  process.stdout.write(
    `gen-vmods: ${Object.keys(table).length} vmods over ${CHECKED.join(', ')}, ${counts.f} function entries, ${counts.o} object entries -> ${path.relative(projectRoot, opts.out)}\n`,
  );
}

main().catch((e) => {
  process.stderr.write(`gen-vmods: ${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
