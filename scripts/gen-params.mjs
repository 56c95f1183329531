#!/usr/bin/env node
// Generates server/src/facts/params.json: the varnishd 7.1 parameter table
// (name, type, units, default, limits, flags, bit names) from the text of
// `varnishd -x parameter` (and, for `vsl_mask`, the tag names of
// `varnishd -x vsl`).
//
// Usage: node scripts/gen-params.mjs [--source auto|varnishd|rst] [--check]
//                                    [--ref-dir DIR] [--out FILE] [--varnishd PATH]
//   --source   auto (default): read both the installed varnishd (if it is 7.1)
//              and the reference text; when both exist and disagree, warn and
//              use the reference text, so the output never depends on the
//              machine. `varnishd` / `rst` force one source.
//   --check    generate from every available source, fail (exit 1) if they
//              differ or if the committed file is not what would be written.
//   --ref-dir  directory holding varnishd-x-parameter.rst; default
//              $VARNISH_REF_DIR or ../shared/varnish-7.1 (next to the project)
//   --out      default server/src/facts/params.json
//
// Only structured facts are extracted. The reference prose is not copied: the
// `description` of the most used parameters is written in the project's own
// words below (DESCRIPTIONS); the others have an empty description.
// The output is deterministic: parameters sorted by name, bit names sorted,
// two-space indentation, trailing newline.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VARNISH_SERIES = '7.1';

function usage(message) {
  process.stderr.write(
    `gen-params: ${message}\nusage: node scripts/gen-params.mjs [--source auto|varnishd|rst] [--check] [--ref-dir DIR] [--out FILE] [--varnishd PATH]\n`,
  );
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    source: 'auto',
    check: false,
    refDir: process.env.VARNISH_REF_DIR || path.resolve(projectRoot, '..', 'shared', 'varnish-7.1'),
    out: path.join(projectRoot, 'server', 'src', 'facts', 'params.json'),
    varnishd: undefined,
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
    if (key === '--source') {
      opts.source = value();
      if (!['auto', 'varnishd', 'rst'].includes(opts.source)) usage(`unknown source '${opts.source}'`);
    } else if (key === '--check') opts.check = true;
    else if (key === '--ref-dir') opts.refDir = path.resolve(value());
    else if (key === '--out') opts.out = path.resolve(value());
    else if (key === '--varnishd') opts.varnishd = value();
    else if (key === '-h' || key === '--help') usage('help');
    else usage(`unknown argument '${arg}'`);
  }
  return opts;
}

/** Code-point order, independent of the locale the script runs under. */
function cmp(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------
// Knowledge that the text of `varnishd -x parameter` does not carry, found by
// running varnishd 7.1.1 (see docs/params.md). Kept here, small and explicit.

/**
 * VSL tag names accepted by `vsl_mask` in Varnish 7.1 (the section titles of
 * `varnishd -x vsl`). Used when varnishd is not installed; when it is, the
 * generator reads them from varnishd and --check compares the two.
 */
const VSL_TAGS_7_1 = [
  'Debug', 'Error', 'CLI', 'SessOpen', 'SessClose', 'BackendOpen', 'BackendReuse', 'BackendClose',
  'HttpGarbage', 'Proxy', 'ProxyGarbage', 'Backend', 'Length', 'FetchError', 'ReqMethod', 'ReqURL',
  'ReqProtocol', 'ReqStatus', 'ReqReason', 'ReqHeader', 'ReqUnset', 'ReqLost', 'RespMethod', 'RespURL',
  'RespProtocol', 'RespStatus', 'RespReason', 'RespHeader', 'RespUnset', 'RespLost', 'BereqMethod',
  'BereqURL', 'BereqProtocol', 'BereqStatus', 'BereqReason', 'BereqHeader', 'BereqUnset', 'BereqLost',
  'BerespMethod', 'BerespURL', 'BerespProtocol', 'BerespStatus', 'BerespReason', 'BerespHeader',
  'BerespUnset', 'BerespLost', 'ObjMethod', 'ObjURL', 'ObjProtocol', 'ObjStatus', 'ObjReason',
  'ObjHeader', 'ObjUnset', 'ObjLost', 'BogoHeader', 'LostHeader', 'TTL', 'Fetch_Body', 'VCL_acl',
  'VCL_call', 'VCL_trace', 'VCL_return', 'ReqStart', 'Hit', 'HitPass', 'ExpBan', 'ExpKill', 'WorkThread',
  'ESI_xmlerror', 'Hash', 'Backend_health', 'VCL_Log', 'VCL_Error', 'Gzip', 'Link', 'Begin', 'End', 'VSL',
  'Storage', 'Timestamp', 'ReqAcct', 'PipeAcct', 'BereqAcct', 'VfpAcct', 'Witness', 'BackendStart',
  'H2RxHdr', 'H2RxBody', 'H2TxHdr', 'H2TxBody', 'HitMiss', 'Filters', 'SessError', 'VCL_use', 'Notice',
  'VdpAcct',
];

/**
 * Platform facts for the Linux builds the project targets (Debian/Ubuntu
 * packages, x86-64): `accept_filter` is refused whatever its value ("not
 * available on this platform"), and sysconf(_SC_THREAD_STACK_MIN) is 16k.
 */
const LINUX = {
  unavailable: ['accept_filter'],
  threadStackMin: 16384,
};

/** Own-words summaries for the parameters people actually tune. */
const DESCRIPTIONS = {
  backend_idle_timeout: 'How long an unused backend connection is kept open for reuse before Varnish closes it.',
  ban_lurker_age: 'Bans younger than this are left to request-time checks; the background ban lurker only processes older ones.',
  ban_lurker_sleep: 'Pause of the background ban lurker after each batch of objects.',
  between_bytes_timeout: 'Longest silence allowed between two reads of a backend response body before the fetch fails.',
  cli_timeout: 'How long the manager waits for the worker process to answer a CLI command before it declares it dead.',
  connect_timeout: 'How long to wait for a TCP connection to a backend to be established (default for backends without .connect_timeout).',
  debug: 'Bit set of debugging switches (+name / -name, or none); for development and troubleshooting only.',
  default_grace: 'Grace period given to new objects when VCL does not set one: how long a stale object may still be served while it is refreshed.',
  default_keep: 'Extra time an expired object is kept for conditional revalidation when VCL does not set beresp.keep.',
  default_ttl: 'Time to live given to an object when neither the backend headers nor VCL set one.',
  experimental: 'Bit set of experimental switches (+name / -name, or none).',
  feature: 'Bit set of optional behaviours (+name / -name, none or default), for example +http2 to accept HTTP/2.',
  fetch_chunksize: 'Size of the storage chunks allocated while a body of unknown length is fetched.',
  first_byte_timeout: 'Longest wait for the first byte of a backend response (default for backends without .first_byte_timeout).',
  gzip_level: 'Compression level (0-9) Varnish uses when it gzips content itself.',
  h2_rxbuf_storage: 'Storage backend that buffers HTTP/2 request bodies; must name a -s storage given earlier, or Transient.',
  http_gzip_support: 'Let Varnish normalize Accept-Encoding and handle gzip itself (compressed objects, gunzip for clients that need it).',
  http_max_hdr: 'Maximum number of header lines in a request or response; more makes the request or fetch fail.',
  http_range_support: 'Answer Range requests from cached objects.',
  http_req_hdr_len: 'Longest single request header line accepted from a client; a longer one is rejected.',
  http_req_size: 'Space for the whole request head (request line plus all headers) taken from workspace_client; a larger head is rejected.',
  http_resp_hdr_len: 'Longest single header line accepted in a backend response; a longer one makes the fetch fail (503).',
  http_resp_size: 'Space for the whole backend response head (status line plus all headers), taken from workspace_backend; a larger head makes the fetch fail (503).',
  idle_send_timeout: 'Longest time a single write to a client may block before the connection is dropped.',
  listen_depth: 'Length of the kernel queue of connections waiting to be accepted on each listening socket.',
  lru_interval: 'Minimum time between two moves of the same object in the LRU list, to limit lock contention.',
  max_esi_depth: 'Deepest level of nested ESI includes that Varnish will process.',
  max_restarts: 'How many times a client request may be restarted from VCL before Varnish gives up with an error.',
  max_retries: 'How many times a backend fetch may be retried from VCL before it fails.',
  nuke_limit: 'How many objects may be evicted to make room for one new object before the fetch fails.',
  pipe_timeout: 'Idle time after which a piped connection is closed.',
  send_timeout: 'Total time allowed to send a response to a client before the connection is dropped.',
  shortlived: 'Objects with a TTL below this are stored in Transient storage instead of the main storage.',
  thread_pool_max: 'Largest number of worker threads in each pool; must not be below thread_pool_min.',
  thread_pool_min: 'Number of worker threads each pool keeps ready; must not exceed thread_pool_max.',
  thread_pool_reserve: 'Threads kept back in each pool for backend fetches and other vital work (0 lets Varnish choose); at most 95% of thread_pool_min.',
  thread_pool_stack: 'Stack size of each worker thread; deeply nested VCL, ESI or regular expressions may need more.',
  thread_pool_timeout: 'Idle time after which a worker thread above thread_pool_min is destroyed.',
  thread_pools: 'Number of worker thread pools; total threads are thread_pools times the per-pool limits.',
  thread_queue_limit: 'Number of requests allowed to wait for a worker thread in each pool before new ones are dropped.',
  timeout_idle: 'How long an idle client connection is kept open waiting for its next request.',
  timeout_linger: 'How long a worker stays with an idle connection before handing it to the waiter.',
  vcc_allow_inline_c: 'Allow C{ ... }C inline C code in VCL.',
  vcc_err_unref: 'Treat unused subroutines, backends, probes and ACLs in VCL as errors (off makes them warnings).',
  vcc_unsafe_path: 'Allow include and import with absolute paths outside vcl_path and vmod_path.',
  vcl_path: 'Colon-separated directories searched for relative include and vcl.load paths.',
  vmod_path: 'Colon-separated directories searched for VMOD libraries named in import.',
  vsl_buffer: 'Part of each client and backend workspace used to buffer log records before they are written to the shared log.',
  vsl_mask: 'Log record tags left out of the shared log (-Tag masks, +Tag unmasks, or default).',
  vsl_reclen: 'Largest single record written to the shared log; longer records are truncated.',
  vsl_space: 'Size of the shared memory log (varnishlog reads it); more space keeps more history.',
  workspace_backend: 'Memory for each backend fetch: the response head (http_resp_size) is taken from it, plus VCL and VMOD work during the fetch.',
  workspace_client: 'Memory for each client request: the request head (http_req_size) is taken from it, plus VCL and VMOD work for the request.',
  workspace_session: 'Memory for each client connection (addresses, protocol state).',
  workspace_thread: 'Scratch memory for each worker thread, mostly I/O vectors used when sending responses.',
};

// ---------------------------------------------------------------------------
// Reading the sources.

function findVarnishd(explicit) {
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  for (const c of ['/usr/sbin/varnishd', '/usr/local/sbin/varnishd', '/usr/bin/varnishd']) if (existsSync(c)) return c;
  return undefined;
}

function runVarnishd(bin, args) {
  const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 60_000, maxBuffer: 32 * 1024 * 1024 });
  if (r.error || r.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed: ${r.error?.message ?? r.stderr}`);
  return r.stdout;
}

/** The text and VSL tags from the installed varnishd, or a reason why not. */
function fromVarnishd(bin) {
  if (!bin) return { reason: 'varnishd not found' };
  const v = spawnSync(bin, ['-V'], { encoding: 'utf8' });
  const version = /varnish-(\d+\.\d+)(\.\d+)?/.exec(`${v.stdout}${v.stderr}`);
  if (!version) return { reason: `cannot read the version of ${bin}` };
  if (version[1] !== VARNISH_SERIES) return { reason: `${bin} is varnish-${version[1]}${version[2] ?? ''}, not ${VARNISH_SERIES}` };
  try {
    const text = runVarnishd(bin, ['-x', 'parameter']);
    const vsl = runVarnishd(bin, ['-x', 'vsl']);
    // Each tag is a section title underlined with '-'.
    const lines = vsl.split('\n');
    const tags = [];
    for (let i = 1; i < lines.length; i++) if (/^-+$/.test(lines[i]) && lines[i - 1].trim()) tags.push(lines[i - 1].trim());
    return { text, tags, label: `${bin} -x parameter` };
  } catch (err) {
    return { reason: err.message };
  }
}

function fromRst(refDir) {
  const file = path.join(refDir, 'varnishd-x-parameter.rst');
  if (!existsSync(file)) return { reason: `${file} not found` };
  return { text: readFileSync(file, 'utf8'), tags: VSL_TAGS_7_1, label: file };
}

// ---------------------------------------------------------------------------
// Parsing the text of `varnishd -x parameter`.

const BYTE_SCALE = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

function parseBytesLiteral(text, where) {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)b?$/i.exec(text.trim());
  if (!m) throw new Error(`${where}: cannot read byte value '${text}'`);
  return Math.trunc(Number(m[1]) * BYTE_SCALE[m[2].toLowerCase()]);
}

function parseNumberLiteral(text, where) {
  if (!/^-?\d+(\.\d+)?$/.test(text.trim())) throw new Error(`${where}: cannot read number '${text}'`);
  return Number(text);
}

/** Splits the text into one block per parameter. */
function splitBlocks(text) {
  const lines = text.split(/\r?\n/);
  const blocks = [];
  let cur;
  for (const line of lines) {
    const m = /^\.\. _ref_param_([a-z0-9_]+):\s*$/.exec(line);
    if (m) {
      cur = { name: m[1], lines: [] };
      blocks.push(cur);
    } else if (cur) cur.lines.push(line);
  }
  return blocks;
}

function parseBlock(block) {
  const where = `parameter ${block.name}`;
  const fields = {};
  let platformDependent = false;
  let buildDependent = false;
  const items = []; // *name* items, with whether they come after the "+/- prefix" line
  let afterPrefixLine = false;
  for (const line of block.lines) {
    const f = /^\t\* ([A-Za-z]+): (.*)$/.exec(line);
    if (f) {
      fields[f[1].toLowerCase()] = f[2].trim();
      continue;
    }
    if (/^NB: This parameter depends on a feature/.test(line)) platformDependent = true;
    if (/^NB: The actual default value for this parameter depends on the Varnish build/.test(line)) buildDependent = true;
    if (/^Use \+\/- prefix/.test(line)) afterPrefixLine = true;
    const it = /^\t\*([A-Za-z0-9_]+)\*\s*$/.exec(line);
    if (it) items.push({ name: it[1], bit: afterPrefixLine });
  }
  if (fields.default === undefined) throw new Error(`${where}: no Default`);
  const title = block.lines.find((l) => l.trim())?.trim();
  if (title !== block.name) throw new Error(`${where}: title '${title}' does not match the anchor`);
  return { name: block.name, fields, platformDependent, buildDependent, items, isBits: afterPrefixLine };
}

/** Decides the value syntax varnishd uses for a parameter (see docs/params.md). */
function typeOf(p) {
  const units = p.fields.units;
  const def = p.fields.default;
  const numericTexts = [def, p.fields.minimum, p.fields.maximum].filter((t) => t !== undefined && /^-?\d/.test(t));
  const hasFraction = numericTexts.some((t) => /^-?\d+\.\d+/.test(t));
  if (p.isBits || p.name === 'vsl_mask') return 'bits';
  if (units === 'bool') return 'bool';
  if (units === 'bytes') return 'bytes';
  if (/^\d+,\d+,\d+$/.test(def)) return 'pool';
  if (def === 'Transient') return 'storage';
  if (units === 'seconds') return hasFraction ? 'duration' : 'uint';
  if (numericTexts.length === 0) return 'string';
  if (hasFraction) return 'double';
  return 'uint';
}

/** Parses a limit ("Minimum:" / "Maximum:") into {text, value?, ref?, ...}. */
function parseLimit(text, type, name, which) {
  const where = `parameter ${name} ${which}`;
  if (text === undefined) return undefined;
  let m;
  if ((m = /^([a-z_][a-z0-9_]*)$/.exec(text)) && !/^\d/.test(text)) return { text, ref: m[1] };
  if ((m = /^(\d+)% of ([a-z_][a-z0-9_]*)$/.exec(text))) return { text, ref: m[2], percent: Number(m[1]) };
  if ((m = /^([a-z_][a-z0-9_]*) ([+-]) (\d+) bytes$/.exec(text))) return { text, ref: m[1], offset: (m[2] === '-' ? -1 : 1) * Number(m[3]) };
  if (/^sysconf\(/.test(text)) return { text, platform: true };
  if (type === 'bytes') return { text, value: parseBytesLiteral(text, where) };
  return { text, value: parseNumberLiteral(text, where) };
}

function parseDefault(text, type, name) {
  const where = `parameter ${name} default`;
  const out = { text };
  if (text === 'platform dependent') return { ...out, platform: true };
  const lead = text.split(' (')[0];
  switch (type) {
    case 'bytes':
      out.value = parseBytesLiteral(lead, where);
      break;
    case 'duration':
    case 'double':
    case 'uint':
      out.value = parseNumberLiteral(lead, where);
      break;
    case 'bool':
      if (lead !== 'on' && lead !== 'off') throw new Error(`${where}: '${text}'`);
      out.value = lead === 'on';
      break;
    case 'bits':
      out.bits = lead === 'none' ? [] : lead.split(',').map((b) => b.replace(/^[+-]/, '')).sort(cmp);
      break;
    case 'pool': {
      const [minPool, maxPool, maxAge] = lead.split(',').map(Number);
      out.pool = { minPool, maxPool, maxAge };
      break;
    }
    default:
      break;
  }
  return out;
}

function buildTable(text, tags, label) {
  const blocks = splitBlocks(text).map(parseBlock);
  if (blocks.length < 50) throw new Error(`${label}: only ${blocks.length} parameters found`);
  const params = blocks.map((p) => {
    const type = typeOf(p);
    const fact = { name: p.name, type };
    if (p.fields.units) fact.units = p.fields.units;
    fact.default = parseDefault(p.fields.default, type, p.name);
    const min = parseLimit(p.fields.minimum, type, p.name, 'minimum');
    const max = parseLimit(p.fields.maximum, type, p.name, 'maximum');
    if (min) fact.min = min;
    if (max) fact.max = max;
    fact.flags = p.fields.flags ? p.fields.flags.split(',').map((s) => s.trim()).filter(Boolean).sort(cmp) : [];
    if (type === 'bits') {
      const bits = p.name === 'vsl_mask' ? tags : p.items.filter((i) => i.bit).map((i) => i.name);
      if (!bits.length) throw new Error(`parameter ${p.name}: no bit names`);
      fact.bits = {
        names: [...new Set(bits)].sort(cmp),
        // Words accepted alone instead of a list (listed before the "+/-" line).
        words: p.items.filter((i) => !i.bit).map((i) => i.name).sort(cmp),
        // The sign that turns a bit on in the stored set: vsl_mask stores masked tags.
        set: p.name === 'vsl_mask' ? '-' : '+',
      };
    }
    if (p.platformDependent) fact.platformDependent = true;
    if (p.buildDependent) fact.buildDependent = true;
    if (LINUX.unavailable.includes(p.name)) fact.unavailableOnLinux = true;
    if (fact.min?.platform && p.name === 'thread_pool_stack') fact.min.value = LINUX.threadStackMin;
    fact.description = DESCRIPTIONS[p.name] ?? '';
    return fact;
  });
  params.sort((a, b) => cmp(a.name, b.name));
  const byName = new Map(params.map((p) => [p.name, p]));
  for (const name of Object.keys(DESCRIPTIONS)) if (!byName.has(name)) throw new Error(`description for unknown parameter ${name}`);

  // Dynamic limits: also give the value in force when the other parameter is
  // at its default (what varnishd checks against when nothing else is set).
  for (const p of params) {
    for (const lim of [p.min, p.max]) {
      if (!lim?.ref) continue;
      const other = byName.get(lim.ref);
      if (!other || typeof other.default.value !== 'number') throw new Error(`parameter ${p.name}: limit refers to ${lim.ref}`);
      const base = other.default.value;
      lim.value = lim.percent !== undefined ? Math.floor((base * lim.percent * 10) / 1000) : base + (lim.offset ?? 0);
    }
  }
  return { varnish: VARNISH_SERIES, source: 'varnishd -x parameter', params };
}

/** Stable JSON: keys in a fixed order per object, two-space indent, final newline. */
function json(data) {
  const order = ['varnish', 'source', 'params', 'name', 'type', 'units', 'text', 'value', 'ref', 'percent', 'offset', 'platform', 'bits', 'pool', 'minPool', 'maxPool', 'maxAge', 'default', 'min', 'max', 'flags', 'names', 'words', 'set', 'platformDependent', 'buildDependent', 'unavailableOnLinux', 'description'];
  const rank = (k) => {
    const i = order.indexOf(k);
    if (i < 0) throw new Error(`json: no order for key '${k}'`);
    return i;
  };
  const sortKeys = (v) => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v).sort((a, b) => rank(a) - rank(b)).map((k) => [k, sortKeys(v[k])]));
    }
    return v;
  };
  return `${JSON.stringify(sortKeys(data), null, 2)}\n`;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const wantVarnishd = opts.source !== 'rst';
  const wantRst = opts.source !== 'varnishd';
  const vd = wantVarnishd ? fromVarnishd(findVarnishd(opts.varnishd)) : { reason: 'not asked' };
  const rst = wantRst ? fromRst(opts.refDir) : { reason: 'not asked' };
  const outputs = [];
  for (const src of [rst, vd]) if (src.text) outputs.push({ label: src.label, out: json(buildTable(src.text, src.tags, src.label)) });
  if (!outputs.length) {
    process.stderr.write(`gen-params: no source: ${[vd.reason, rst.reason].filter((r) => r !== 'not asked').join('; ')}\n`);
    process.exit(2);
  }
  const differ = outputs.length === 2 && outputs[0].out !== outputs[1].out;
  if (differ) {
    process.stderr.write(`gen-params: warning: ${outputs[1].label} and ${outputs[0].label} give different tables; using ${outputs[0].label}\n`);
  }
  const chosen = outputs[0];
  const rel = path.relative(process.cwd(), opts.out) || opts.out;
  const count = JSON.parse(chosen.out).params.length;
  if (opts.check) {
    const current = existsSync(opts.out) ? readFileSync(opts.out, 'utf8') : '';
    const problems = [];
    if (differ) problems.push('sources differ');
    if (outputs.length < 2) problems.push(`only one source (${[vd.reason, rst.reason].filter(Boolean).join('; ')})`);
    if (current !== chosen.out) problems.push(`${rel} is not up to date`);
    const fatal = problems.filter((p) => !p.startsWith('only one source'));
    process.stdout.write(`gen-params --check: ${count} parameters; ${outputs.map((o) => o.label).join(' and ')}${problems.length ? `: ${problems.join('; ')}` : ': identical, committed file up to date'}\n`);
    process.exit(fatal.length ? 1 : 0);
  }
  mkdirSync(path.dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, chosen.out);
  process.stdout.write(`gen-params: ${count} parameters from ${chosen.label}${outputs.length === 2 && !differ ? ' (varnishd and the reference text agree)' : ''} -> ${rel}\n`);
}

main();
