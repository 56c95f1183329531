#!/usr/bin/env node
// Generates the VCL fact tables in server/src/facts/ (variables, built-in
// subroutines, return actions) for every supported release, from the texts
// Varnish ships: the 7.1 reference (vcl_var.rst, vcl-built-in-subs.rst) and
// each checked release's `man vcl-var` and `varnishd -x builtin` output.
//
// Usage: node scripts/gen-facts.mjs [--ref-dir DIR] [--versions-dir DIR] [--out-dir DIR]
//   --ref-dir       7.1 reference texts; default $VARNISH_REF_DIR or ../shared/varnish-7.1
//   --versions-dir  per-release texts (<v>-vcl-var.txt, <v>-builtin.vcl); default
//                   $VARNISH_VERSIONS_DIR or ../shared/varnish-versions
//   --out-dir       where the JSON goes; default $VARNISH_FACTS_OUT_DIR or server/src/facts
// (relative defaults are to the project root)
//
// Only structured facts are extracted (names, types, where a variable can be
// used, return actions); the reference prose is deliberately not copied.
// Each fact is written once with the releases it holds in (`since`/`until`).
// The output is deterministic so that re-running the script produces no diff.

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function usage(message) {
  process.stderr.write(`gen-facts: ${message}\nusage: node scripts/gen-facts.mjs [--ref-dir DIR] [--versions-dir DIR] [--out-dir DIR]\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    refDir: process.env.VARNISH_REF_DIR || path.resolve(projectRoot, '..', 'shared', 'varnish-7.1'),
    outDir: process.env.VARNISH_FACTS_OUT_DIR || path.join(projectRoot, 'server', 'src', 'facts'),
    versionsDir: process.env.VARNISH_VERSIONS_DIR || path.resolve(projectRoot, '..', 'shared', 'varnish-versions'),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const key = eq >= 0 ? arg.slice(0, eq) : arg;
    const value = () => {
      if (eq >= 0) return arg.slice(eq + 1);
      if (i + 1 >= argv.length) usage(`${key} needs a value`);
      return argv[++i];
    };
    if (key === '--ref-dir') opts.refDir = path.resolve(value());
    else if (key === '--out-dir') opts.outDir = path.resolve(value());
    else if (key === '--versions-dir') opts.versionsDir = path.resolve(value());
    else if (key === '-h' || key === '--help') usage('help');
    else usage(`unknown argument '${arg}'`);
  }
  return opts;
}

/** Code-point order, independent of the locale the script runs under. */
function cmp(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function fail(file, lineNo, message) {
  throw new Error(`${file}:${lineNo}: ${message}`);
}

// ---------------------------------------------------------------------------
// vcl-built-in-subs.rst: sections "client side", "Backend Side" and
// "During vcl.load / vcl.discard" (underlined with '-') hold one sub each
// (underlined with '~'); a sub's return actions are the ``name`` or
// ``name(args)`` items indented by exactly two spaces.

function sideOfSection(title, file, lineNo) {
  const t = title.toLowerCase();
  if (t.includes('client')) return 'client';
  if (t.includes('backend')) return 'backend';
  if (t.includes('vcl.load') || t.includes('vcl.discard')) return 'housekeeping';
  return fail(file, lineNo, `unknown section '${title}'`);
}

function parseSubroutines(text, file) {
  const lines = text.split(/\r?\n/);
  const subs = [];
  let side;
  let current;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const next = lines[i + 1] ?? '';
    if (line.trim() && /^-{3,}\s*$/.test(next) && !/^\s/.test(line)) {
      side = sideOfSection(line.trim(), file, i + 1);
      current = undefined;
      continue;
    }
    if (line.trim() && /^~{3,}\s*$/.test(next) && !/^\s/.test(line)) {
      const title = line.trim();
      if (/^vcl_[a-z_]+$/.test(title)) {
        if (!side) fail(file, i + 1, `subroutine ${title} outside a section`);
        if (subs.some((s) => s.name === title)) fail(file, i + 1, `duplicate subroutine ${title}`);
        current = { name: title, side, returns: [] };
        subs.push(current);
      } else {
        current = undefined; // e.g. "304 handling": notes, not a subroutine
      }
      continue;
    }
    const action = /^ {2}``([a-z_]+)(?:\([^`]*\))?``\s*$/.exec(line);
    if (action && current && !current.returns.includes(action[1])) current.returns.push(action[1]);
  }
  for (const s of subs) {
    if (s.returns.length === 0) fail(file, 0, `no return actions found for ${s.name}`);
    s.returns.sort(cmp);
  }
  if (subs.length === 0) fail(file, 0, 'no built-in subroutines found');
  return subs;
}

// ---------------------------------------------------------------------------
// vcl_var.rst: a variable is an unindented heading line ("req.url", optionally
// followed by ``VCL <= 4.0`` or ``VCL >= 4.1``) whose next non-blank line is an
// indented "Type: X". The indented block holds "Readable from:", "Writable
// from:" and "Unsetable from:" lists of sub names or groups.

const VAR_HEAD = /^([A-Za-z_][A-Za-z0-9_.*<>-]*)(?:\s+``VCL\s*(<=|>=)\s*(\d+\.\d+)``)?\s*$/;

function expandGroups(list, subs, file, lineNo) {
  const groups = {
    all: subs.map((s) => s.name),
    client: subs.filter((s) => s.side === 'client').map((s) => s.name),
    backend: subs.filter((s) => s.side === 'backend').map((s) => s.name),
    both: subs.filter((s) => s.side !== 'housekeeping').map((s) => s.name),
    housekeeping: subs.filter((s) => s.side === 'housekeeping').map((s) => s.name),
  };
  const wanted = new Set();
  for (const raw of list.split(',')) {
    const token = raw.trim();
    if (!token) continue;
    if (groups[token]) groups[token].forEach((n) => wanted.add(n));
    else if (subs.some((s) => s.name === token)) wanted.add(token);
    else fail(file, lineNo, `unknown subroutine or group '${token}'`);
  }
  // Keep the reference's own order of the built-in subs: recv, pipe, ..., fini.
  return subs.map((s) => s.name).filter((n) => wanted.has(n));
}

// Where varnishd 7.1.1 itself disagrees with the reference text, varnishd
// wins: the linter must not report code that compiles. Each entry names the
// lists it replaces (same syntax as the rst). A stale key is an error.
const OVERRIDES = {
  // VCC builds the storage.<name>.* symbols per stevedore without the
  // "client, backend" restriction: reading them in vcl_init/vcl_fini compiles.
  'storage.<name>.free_space': { readable: 'all' },
  'storage.<name>.happy': { readable: 'all' },
  'storage.<name>.used_space': { readable: 'all' },
};

// The same manual as `man vcl-var` prints it (the per-release texts): a
// variable heading is indented by exactly seven spaces ("       req.url",
// "       req.proto       VCL >= 4.1"), its block by ten; a list that does
// not fit on a line ends in a comma and goes on on the next one.
const MAN_HEAD = /^ {7}([A-Za-z_][A-Za-z0-9_.*<>-]*)(?:\s+VCL\s*(<=|>=)\s*(\d+\.\d+))?\s*$/;

function parseVariables(text, subs, file, man = false) {
  const lines = text.split(/\r?\n/);
  const vars = [];
  for (let i = 0; i < lines.length; i++) {
    const head = (man ? MAN_HEAD : VAR_HEAD).exec(lines[i]);
    if (!head) continue;
    let j = i + 1;
    while (j < lines.length && !lines[j].trim()) j++;
    if (j >= lines.length || !/^\s+Type:/.test(lines[j])) continue; // a section title

    const [, rawName, rel, version] = head;
    const v = { name: rawName, type: '', readable: [], writable: [], unsettable: [] };
    if (rawName.endsWith('.*')) {
      v.name = rawName.slice(0, -1); // "req.http.*" -> "req.http."
      v.family = true;
    } else if (rawName.includes('*')) {
      fail(file, i + 1, `unexpected '*' in ${rawName}`);
    }
    if (/<[a-z]+>/.test(v.name)) v.placeholder = true; // storage.<name>.happy
    if (rel === '>=') v.minVcl = version;
    if (rel === '<=') v.maxVcl = version;

    const inBlock = (line) => !line.trim() || (man ? /^ {8}/.test(line) : /^\s/.test(line));
    for (; j < lines.length && inBlock(lines[j]); j++) {
      let body = lines[j].trim();
      while (man && /from:.*,$/.test(body) && j + 1 < lines.length) body += ' ' + lines[++j].trim();
      let m;
      if ((m = /^Type:\s*([A-Z_]+)\s*$/.exec(body))) v.type = m[1];
      else if ((m = /^Readable from:\s*(.*)$/.exec(body))) v.readable = expandGroups(m[1], subs, file, j + 1);
      else if ((m = /^Writable from:\s*(.*)$/.exec(body))) v.writable = expandGroups(m[1], subs, file, j + 1);
      else if ((m = /^Unset+able from:\s*(.*)$/.exec(body))) v.unsettable = expandGroups(m[1], subs, file, j + 1);
      else if (/\bdeprecated\b/i.test(body)) v.deprecated = true;
    }
    if (!v.type) fail(file, i + 1, `no type for ${rawName}`);
    if (vars.some((o) => o.name === v.name && o.minVcl === v.minVcl && o.maxVcl === v.maxVcl)) {
      fail(file, i + 1, `duplicate variable ${rawName}`);
    }
    vars.push(v);
    i = j - 1;
  }
  if (vars.length === 0) fail(file, 0, 'no variables found');
  for (const [name, lists] of Object.entries(OVERRIDES)) {
    const targets = vars.filter((v) => v.name === name);
    if (targets.length === 0) fail(file, 0, `override for unknown variable ${name}`);
    for (const v of targets) {
      for (const [key, list] of Object.entries(lists)) v[key] = expandGroups(list, subs, file, 0);
    }
  }
  // Fixed key order so the JSON does not depend on parse order.
  const ordered = vars.map((v) => {
    const o = { name: v.name, type: v.type, readable: v.readable, writable: v.writable, unsettable: v.unsettable };
    if (v.family) o.family = true;
    if (v.placeholder) o.placeholder = true;
    if (v.minVcl) o.minVcl = v.minVcl;
    if (v.maxVcl) o.maxVcl = v.maxVcl;
    if (v.deprecated) o.deprecated = true;
    return o;
  });
  // By name; for a name that changed between VCL versions, the older form first.
  return ordered.sort((a, b) => cmp(a.name, b.name) || cmp(a.maxVcl ?? '~', b.maxVcl ?? '~') || cmp(a.minVcl ?? '', b.minVcl ?? ''));
}

// ---------------------------------------------------------------------------

function json(value) {
  return JSON.stringify(value, null, 2) + '\n';
}

// ---------------------------------------------------------------------------
// Variables per release. The checked releases' own manuals (`man vcl-var`
// of 6.5, 7.1, 7.7 and 9.0, in --versions-dir) say which variables exist
// and where; between two checked releases the release that made a change
// comes from CHANGED_IN (Varnish's change records, summarised in the
// shared FACTS.md). A change the table does not place stops the script, so
// no boundary is guessed.

/** The releases whose manual is read, oldest first, and the file it is in. */
const CHECKED = ['6.5', '7.1', '7.7', '9.0'];

/**
 * Built-in subs that only some releases have, with the release that added
 * them. Their existence is confirmed from each checked release's
 * `varnishd -x builtin` output (a sub defined there exists in that release).
 */
const VERSIONED_SUBS = [
  { name: 'vcl_backend_refresh', side: 'backend', returns: ['abandon', 'beresp', 'error', 'fail', 'merge', 'obj_stale', 'retry'], since: '8.0', after: 'vcl_backend_fetch' },
];

/**
 * The release that made each change seen between two checked manuals (or,
 * for the oldest checked manual, the release before which a variable did not
 * exist yet: 6.0 is derived). Keyed by variable name; a value is the first
 * release with the newer form.
 */
const CHANGED_IN = {
  // Before 6.5 (6.0 LTS has what its backports added, not these).
  'beresp.filters': '6.1',
  'resp.filters': '6.2',
  'sess.send_timeout': '6.4',
  'sess.idle_send_timeout': '6.4',
  'sess.timeout_linger': '6.4',
  'obj.can_esi': '6.5',
  // 6.5 -> 7.1
  'bereq.is_hitmiss': '6.6',
  'bereq.is_hitpass': '6.6',
  'client.identity': '6.6',
  'bereq.xid': ['6.6', '7.3'],
  'resp.proto': '6.6',
  'req.hash_ignore_vary': '7.0',
  'req.time': '7.1',
  'req_top.time': '7.1',
  'resp.time': '7.1',
  'bereq.time': '7.1',
  'beresp.time': '7.1',
  'obj.time': '7.1',
  'req.transport': '7.1',
  // 7.1 -> 7.7
  'beresp.transit_buffer': '7.3',
  'req.xid': '7.3',
  'sess.xid': '7.3',
  'req.trace': '7.4',
  'bereq.trace': '7.4',
  // Protected headers: readable, no longer set or unset.
  'req.http.content-length': '7.4',
  'req.http.transfer-encoding': '7.4',
  'resp.http.content-length': '7.4',
  'resp.http.transfer-encoding': '7.4',
  'bereq.http.content-length': '7.4',
  'bereq.http.transfer-encoding': '7.4',
  'beresp.http.content-length': '7.4',
  'beresp.http.transfer-encoding': '7.4',
  'bereq.task_deadline': '7.5',
  // Timeouts that can be unset (back to the parameter).
  'bereq.between_bytes_timeout': '7.5',
  'bereq.connect_timeout': '7.5',
  'bereq.first_byte_timeout': '7.5',
  'sess.idle_send_timeout': ['6.4', '7.5'],
  'sess.send_timeout': ['6.4', '7.5'],
  'sess.timeout_idle': '7.5',
  'sess.timeout_linger': ['6.4', '7.5'],
  'req.filters': '7.7',
  'bereq.filters': '7.7',
  'req.grace': '7.7',
  'req.ttl': ['7.7', '9.0'],
  'req.is_hitmiss': '7.7',
  'req.is_hitpass': '7.7',
  'req.hash': '7.7',
  // 7.7 -> 9.0
  'req.max_age': '9.0',
  'bereq.retry_connect': '9.0',
  'beresp.storage_hint': '9.0',
};

/** Where every `param.*` and `obj_stale.*` variable and the vcl_backend_refresh access came from. */
const CHANGED_IN_PREFIX = [
  ['param.', '8.0'],
  ['obj_stale.', '8.0'],
];

/** Releases that changed `name`, oldest first (a name may change more than once). */
function changesOf(name) {
  const exact = CHANGED_IN[name];
  if (exact) return Array.isArray(exact) ? exact : [exact];
  const prefix = CHANGED_IN_PREFIX.find(([p]) => name.startsWith(p))?.[1];
  return prefix ? [prefix] : [];
}

/**
 * The release in (older, newer] that changed `name`: a change that only
 * adds a new built-in sub to the variable's access lists dates from that
 * sub's release; any other from CHANGED_IN.
 */
function changedIn(name, older, newer, oldForm, newForm) {
  if (oldForm && newForm) {
    for (const sub of VERSIONED_SUBS) {
      if (compareVersions(sub.since, older) <= 0 || compareVersions(sub.since, newer) > 0) continue;
      const strip = (list) => list.filter((s) => s !== sub.name);
      const stripped = { ...newForm, readable: strip(newForm.readable), writable: strip(newForm.writable), unsettable: strip(newForm.unsettable) };
      if (JSON.stringify(stripped) === JSON.stringify(oldForm)) return { at: sub.since };
    }
  }
  const known = changesOf(name);
  if (known.length === 0) return { missing: `${name} (between ${older} and ${newer})` };
  const at = known.find((v) => compareVersions(v, older) > 0 && compareVersions(v, newer) <= 0);
  if (!at) return { missing: `${name} (between ${older} and ${newer}; CHANGED_IN has only ${known.join(', ')})` };
  return { at };
}

function compareVersions(a, b) {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am - bm || an - bn;
}

function subsOf(version, baseSubs, builtinText, file) {
  const subs = [...baseSubs];
  for (const extra of VERSIONED_SUBS) {
    const has = compareVersions(version, extra.since) >= 0;
    const defined = new RegExp(`^sub ${extra.name}\\b`, 'm').test(builtinText);
    if (has !== defined) fail(file, 0, `${extra.name}: VERSIONED_SUBS says ${has ? '' : 'not '}in ${version}, its builtin.vcl ${defined ? 'defines' : 'lacks'} it`);
    if (has) subs.splice(subs.findIndex((s) => s.name === extra.after) + 1, 0, { name: extra.name, side: extra.side, returns: extra.returns });
  }
  return subs;
}

/**
 * Merges the checked releases' variable lists into one list where each
 * entry holds in a span of releases (`since`/`until`), written once.
 */
function mergeVersions(perVersion, file) {
  const keyOf = (v) => `${v.name}|${v.minVcl ?? ''}|${v.maxVcl ?? ''}`;
  const keys = [];
  const maps = perVersion.map(({ vars }) => {
    const m = new Map();
    for (const v of vars) {
      if (!keys.includes(keyOf(v))) keys.push(keyOf(v));
      m.set(keyOf(v), v);
    }
    return m;
  });
  const missing = [];
  const out = [];
  for (const key of keys) {
    const seq = maps.map((m) => m.get(key));
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    let i = 0;
    while (i < seq.length) {
      if (!seq[i]) { i++; continue; }
      let j = i;
      while (j + 1 < seq.length && seq[j + 1] && same(seq[j + 1], seq[i])) j++;
      const entry = { ...seq[i] };
      const name = entry.name;
      if (i > 0) {
        const since = changedIn(name, CHECKED[i - 1], CHECKED[i], seq[i - 1], seq[i]);
        if (since.missing) missing.push(since.missing);
        else entry.since = since.at;
      } else if (changesOf(name).length && compareVersions(changesOf(name)[0], CHECKED[0]) <= 0) {
        // In the oldest checked manual: older releases have it unless CHANGED_IN
        // places its arrival at or before that release (a later date there is
        // the change that ends this form, handled below).
        entry.since = changesOf(name)[0];
      }
      if (j < seq.length - 1) {
        const until = changedIn(name, CHECKED[j], CHECKED[j + 1], seq[j], seq[j + 1]);
        if (until.missing) missing.push(until.missing);
        else entry.until = until.at;
      }
      out.push(entry);
      i = j + 1;
    }
  }
  if (missing.length) fail(file, 0, `CHANGED_IN does not say when these changed:\n  ${[...new Set(missing)].join('\n  ')}`);
  return out.sort((a, b) => cmp(a.name, b.name) || cmp(a.maxVcl ?? '~', b.maxVcl ?? '~') || cmp(a.minVcl ?? '', b.minVcl ?? '') || compareVersions(a.since ?? '0.0', b.since ?? '0.0'));
}

function main() {
  const { refDir, outDir, versionsDir } = parseArgs(process.argv.slice(2));
  const read = (name, dir = refDir) => {
    const file = path.join(dir, name);
    try {
      return { file, text: readFileSync(file, 'utf8') };
    } catch (err) {
      process.stderr.write(`gen-facts: cannot read ${file}: ${err.message}\n`);
      process.exit(2);
    }
  };
  const subsSrc = read('vcl-built-in-subs.rst');
  const varsSrc = read('vcl_var.rst');

  const subs = parseSubroutines(subsSrc.text, subsSrc.file);
  const vars71 = parseVariables(varsSrc.text, subs, varsSrc.file);
  const perVersion = CHECKED.map((version) => {
    const src = read(`${version}-vcl-var.txt`, versionsDir);
    const builtin = read(`${version}-builtin.vcl`, versionsDir);
    const versionSubs = subsOf(version, subs, builtin.text, builtin.file);
    return { version, vars: parseVariables(src.text, versionSubs, src.file, true) };
  });
  // The 7.1 manual page and the 7.1 reference text are the same document in two forms.
  const man71 = perVersion.find((p) => p.version === '7.1').vars;
  if (json(man71) !== json(vars71)) fail(varsSrc.file, 0, '7.1: the manual page and vcl_var.rst disagree; the reader of one of them is wrong');
  const vars = mergeVersions(perVersion, varsSrc.file);
  const allSubs = [...subs];
  for (const extra of VERSIONED_SUBS) {
    allSubs.splice(allSubs.findIndex((s) => s.name === extra.after) + 1, 0, { name: extra.name, side: extra.side, returns: extra.returns, since: extra.since });
  }
  const actions = [...new Set(allSubs.flatMap((s) => s.returns))].sort(cmp);

  mkdirSync(outDir, { recursive: true });
  const out = {
    'variables.json': vars,
    'subroutines.json': allSubs,
    'return-actions.json': actions,
  };
  for (const [name, data] of Object.entries(out)) writeFileSync(path.join(outDir, name), json(data));

  const families = vars.filter((v) => v.family).length;
  process.stdout.write(
    `gen-facts: ${vars.length} variable entries (${families} header families) over ${CHECKED.join(', ')}, ${allSubs.length} subroutines, ` +
      `${actions.length} return actions -> ${path.relative(process.cwd(), outDir) || '.'}\n`,
  );
}

main();
