#!/usr/bin/env node
// Generates the Varnish 7.1 fact tables in server/src/facts/ from the
// reference texts shipped with Varnish (vcl_var.rst, vcl-built-in-subs.rst).
//
// Usage: node scripts/gen-facts.mjs [--ref-dir DIR] [--out-dir DIR]
//   --ref-dir  reference texts; default $VARNISH_REF_DIR or ../shared/varnish-7.1
//              (relative to the project root)
//   --out-dir  where the JSON goes; default $VARNISH_FACTS_OUT_DIR or server/src/facts
//
// Only structured facts are extracted (names, types, where a variable can be
// used, return actions); the reference prose is deliberately not copied.
// The output is deterministic so that re-running the script produces no diff.

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function usage(message) {
  process.stderr.write(`gen-facts: ${message}\nusage: node scripts/gen-facts.mjs [--ref-dir DIR] [--out-dir DIR]\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    refDir: process.env.VARNISH_REF_DIR || path.resolve(projectRoot, '..', 'shared', 'varnish-7.1'),
    outDir: process.env.VARNISH_FACTS_OUT_DIR || path.join(projectRoot, 'server', 'src', 'facts'),
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

function parseVariables(text, subs, file) {
  const lines = text.split(/\r?\n/);
  const vars = [];
  for (let i = 0; i < lines.length; i++) {
    const head = VAR_HEAD.exec(lines[i]);
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

    for (; j < lines.length && (!lines[j].trim() || /^\s/.test(lines[j])); j++) {
      const body = lines[j].trim();
      let m;
      if ((m = /^Type:\s*([A-Z_]+)\s*$/.exec(body))) v.type = m[1];
      else if ((m = /^Readable from:\s*(.*)$/.exec(body))) v.readable = expandGroups(m[1], subs, file, j + 1);
      else if ((m = /^Writable from:\s*(.*)$/.exec(body))) v.writable = expandGroups(m[1], subs, file, j + 1);
      else if ((m = /^Unsetable from:\s*(.*)$/.exec(body))) v.unsettable = expandGroups(m[1], subs, file, j + 1);
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

function main() {
  const { refDir, outDir } = parseArgs(process.argv.slice(2));
  const read = (name) => {
    const file = path.join(refDir, name);
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
  const vars = parseVariables(varsSrc.text, subs, varsSrc.file);
  const actions = [...new Set(subs.flatMap((s) => s.returns))].sort(cmp);

  mkdirSync(outDir, { recursive: true });
  const out = {
    'variables.json': vars,
    'subroutines.json': subs,
    'return-actions.json': actions,
  };
  for (const [name, data] of Object.entries(out)) writeFileSync(path.join(outDir, name), json(data));

  const families = vars.filter((v) => v.family).length;
  process.stdout.write(
    `gen-facts: ${vars.length} variables (${families} header families), ${subs.length} subroutines, ` +
      `${actions.length} return actions -> ${path.relative(process.cwd(), outDir) || '.'}\n`,
  );
}

main();
