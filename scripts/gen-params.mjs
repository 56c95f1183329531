#!/usr/bin/env node
// Generates server/src/facts/params.json: the varnishd parameters of every
// supported release (name, type, units, default, limits, flags, bit names),
// each fact written once with the releases where it holds.
//
// Checked releases (6.5, 7.1, 7.7, 9.0) are read from their own
// `varnishd -x parameter` text (and, for `vsl_mask`, their VSL tag names).
// The other supported releases are derived from the nearest checked one
// with the changes Varnish's sources record (FACTS.md, section 6), listed in
// DERIVED below; see docs/params.md for the rules.
//
// Usage: node scripts/gen-params.mjs [--check] [--ref-dir DIR] [--oracles DIR] [--out FILE]
//   --ref-dir  folder with <version>-params.txt for each checked release;
//              default $VARNISH_VERSIONS_DIR or ../shared/varnish-versions
//   --oracles  folder with the vcc-<version> compilers; when present, each
//              checked release's VSL tags are read with `vcc-<v> -x vsl`
//              and compared with the lists kept here (VSL_TAGS); default
//              $VARNISH_ORACLES or /opt/varnish-oracles
//   --check    fail (exit 1) if the committed file is not what would be
//              written, or a compiler's tags differ from the lists here
//   --out      default server/src/facts/params.json
//   --releases-out FILE  also write every release's whole table (as the
//              project puts it back together), for the tests to compare
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

/** Every supported release, oldest first (as server/src/facts/versions.ts). */
const VERSIONS = ['6.0', '6.5', '6.6', '7.0', '7.1', '7.2', '7.3', '7.4', '7.5', '7.6', '7.7', '8.0', '9.0'];
/** The checked releases and the exact package release their texts come from. */
const CHECKED = { '6.5': '6.5.1', '7.1': '7.1.1', '7.7': '7.7.0', '9.0': '9.0.1' };

function usage(message) {
  process.stderr.write(`gen-params: ${message}\nusage: node scripts/gen-params.mjs [--check] [--ref-dir DIR] [--oracles DIR] [--out FILE] [--releases-out FILE]\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    check: false,
    refDir: process.env.VARNISH_VERSIONS_DIR || path.resolve(projectRoot, '..', 'shared', 'varnish-versions'),
    oracles: process.env.VARNISH_ORACLES || '/opt/varnish-oracles',
    out: path.join(projectRoot, 'server', 'src', 'facts', 'params.json'),
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
    if (key === '--check') opts.check = true;
    else if (key === '--ref-dir') opts.refDir = path.resolve(value());
    else if (key === '--oracles') opts.oracles = path.resolve(value());
    else if (key === '--out') opts.out = path.resolve(value());
    else if (key === '--releases-out') opts.releasesOut = path.resolve(value());
    else if (key === '-h' || key === '--help') usage('help');
    else usage(`unknown argument '${arg}'`);
  }
  return opts;
}

/** Code-point order, independent of the locale the script runs under. */
function cmp(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

const vkey = (v) => {
  const [a, b] = v.split('.').map(Number);
  return a * 1000 + b;
};

// ---------------------------------------------------------------------------
// Knowledge that the text of `varnishd -x parameter` does not carry, found by
// running each release's varnishd (see docs/params.md). Kept here, small and explicit.

/**
 * VSL tag names accepted by `vsl_mask` (the section titles of
 * `varnishd -x vsl`): Varnish 7.1's list, and how each checked release
 * differs from it. With the compilers present, --check compares these with
 * their own output.
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
const VSL_TAG_CHANGES = {
  '6.5': { remove: ['VdpAcct'] },
  '7.1': {},
  '7.7': { remove: ['Backend', 'BackendReuse', 'BackendStart'] },
  '9.0': { remove: ['Backend', 'BackendReuse', 'BackendStart'], add: ['ReqTarget'] },
};

function vslTags(version) {
  const c = VSL_TAG_CHANGES[version];
  return [...VSL_TAGS_7_1.filter((t) => !(c.remove ?? []).includes(t)), ...(c.add ?? [])];
}

/**
 * Platform facts for the Linux builds the project targets (Debian/Ubuntu
 * packages, x86-64): `accept_filter` is refused whatever its value ("not
 * available on this platform"), and sysconf(_SC_THREAD_STACK_MIN) is 16k.
 */
const LINUX = {
  unavailable: ['accept_filter'],
  threadStackMin: 16384,
};

/**
 * Where a checked release's text is wrong or says "defined when Varnish is
 * built" (6.5): the values its varnishd really uses, found by trying it.
 * 6.5's text swaps thread_pool_stack's default and minimum; its default is
 * 56k (FACTS.md) and its minimum the platform's (16k refused below).
 */
const TEXT_FIXES = {
  '6.5': {
    thread_pool_stack: (p) => {
      p.default = { text: '56k', value: 56 * 1024 };
      p.min = { text: 'sysconf(_SC_THREAD_STACK_MIN)', platform: true, value: LINUX.threadStackMin };
    },
    thread_pools: (p) => {
      p.max = { text: '32', value: 32 };
    },
  },
};

/**
 * Deprecated aliases whose text is only "Deprecated alias for the X
 * parameter." (7.2 and later): what they accept. The vcc_* ones are on/off
 * switches of one vcc_feature bit (varnishd 7.7 and 9.0 accept on/off and
 * refuse bit lists there).
 */
const ALIASES = {
  vcc_allow_inline_c: { of: 'vcc_feature', bit: 'allow_inline_c' },
  vcc_err_unref: { of: 'vcc_feature', bit: 'err_unref' },
  vcc_unsafe_path: { of: 'vcc_feature', bit: 'unsafe_path' },
};

/** Names replaced by another parameter in a later release, for did-you-mean across releases. */
const REPLACED_BY = {
  esi_iovs: 'http1_iovs',
  pcre_match_limit: 'pcre2_match_limit',
  pcre_match_limit_recursion: 'pcre2_depth_limit',
  shm_reclen: 'vsl_reclen',
  vcl_dir: 'vcl_path',
  vmod_dir: 'vmod_path',
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

/** Own-words summaries of parameters newer than 7.1. */
Object.assign(DESCRIPTIONS, {
  backend_wait_limit: 'How many fetches may queue for a free connection to a backend that reached .max_connections (0: none wait, the fetch fails at once).',
  backend_wait_timeout: 'How long a queued fetch waits for a free backend connection before it fails.',
  ban_any_variant: 'How many variants of an object that do not match the request are checked against the ban list during a lookup.',
  pcre2_match_limit: 'Upper bound on the work one regular-expression match may do before it fails (PCRE2 match limit).',
  pcre2_depth_limit: 'Upper bound on the backtracking depth of one regular-expression match (PCRE2 depth limit).',
  pcre_match_limit: 'Upper bound on the work one regular-expression match may do before it fails (PCRE match limit).',
  pcre_match_limit_recursion: 'Upper bound on the recursion depth of one regular-expression match (PCRE recursion limit).',
  pipe_task_deadline: 'Longest time a piped connection may last, however busy it is (0: no deadline).',
  startup_timeout: 'How long the manager waits for the worker process to start, if longer than cli_timeout (0: cli_timeout).',
  transit_buffer: 'How far ahead of the client an uncacheable streaming fetch may read from the backend (0: no limit).',
  uncacheable_ttl: 'Time to live the built-in VCL gives objects it marks uncacheable (hit-for-miss).',
  vcc_feature: 'Bit set of VCL compiler switches (+err_unref, +allow_inline_c, +unsafe_path; none or default).',
});

// ---------------------------------------------------------------------------
// Parsing the text of `varnishd -x parameter`.

const BYTE_SCALE = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };
const DURATION_SCALE = { '': 1, ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

function parseBytesLiteral(text, where) {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)b?$/i.exec(text.trim());
  if (!m) throw new Error(`${where}: cannot read byte value '${text}'`);
  return Math.trunc(Number(m[1]) * BYTE_SCALE[m[2].toLowerCase()]);
}

/** A number as varnishd prints it; durations may carry a unit from 7.2 on (`2m`, `10s`). */
function parseNumberLiteral(text, where, units = false) {
  const m = /^(-?\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)?$/.exec(text.trim());
  if (!m || (m[2] && !units)) throw new Error(`${where}: cannot read number '${text}'`);
  return Number((Number(m[1]) * DURATION_SCALE[m[2] ?? '']).toFixed(3));
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
  let aliasOf;
  const items = []; // *name* items, with whether they come after the "+/- prefix" line
  let afterPrefixLine = false;
  for (const line of block.lines) {
    const f = /^\t\* ([A-Za-z]+): (.*)$/.exec(line);
    if (f) {
      fields[f[1].toLowerCase()] = f[2].trim();
      continue;
    }
    if (/^NB: This parameter depends on a feature/.test(line)) platformDependent = true;
    if (/^NB: The actual default value for this parameter depends on the (Varnish|Vinyl Cache) build/.test(line)) buildDependent = true;
    const alias = /^Deprecated alias for the ([a-z0-9_]+) parameter\.$/.exec(line);
    if (alias) aliasOf = alias[1];
    if (/^Use \+\/- prefix/.test(line)) afterPrefixLine = true;
    const it = /^\t\*([A-Za-z0-9_]+)\*\s*$/.exec(line);
    if (it) items.push({ name: it[1], bit: afterPrefixLine });
  }
  if (fields.default === undefined && !aliasOf) throw new Error(`${where}: no Default`);
  const title = block.lines.find((l) => l.trim())?.trim();
  if (title !== block.name) throw new Error(`${where}: title '${title}' does not match the anchor`);
  return { name: block.name, fields, platformDependent, buildDependent, aliasOf, items, isBits: afterPrefixLine };
}

const BUILT = 'defined when Varnish is built';

/** Decides the value syntax varnishd uses for a parameter (see docs/params.md). */
function typeOf(p) {
  const units = p.fields.units;
  const def = p.fields.default;
  const numericTexts = [def, p.fields.minimum, p.fields.maximum].filter((t) => t !== undefined && /^-?\d/.test(t));
  const hasFraction = numericTexts.some((t) => /^-?\d+\.\d+/.test(t));
  const hasDurationUnit = numericTexts.some((t) => /^-?\d+(\.\d+)?(ms|s|m|h|d|w|y)$/.test(t));
  if (p.isBits || p.name === 'vsl_mask') return 'bits';
  if (units === 'bool') return 'bool';
  if (units === 'bytes') return 'bytes';
  if (/^\d+,\d+,\d+$/.test(def)) return 'pool';
  if (def === 'Transient') return 'storage';
  if (units === 'seconds') return hasFraction || hasDurationUnit ? 'duration' : 'uint';
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
  if (text === BUILT) return { text, build: true };
  if (type === 'bytes') return { text, value: parseBytesLiteral(text, where) };
  return { text, value: parseNumberLiteral(text, where, type === 'duration') };
}

function parseDefault(text, type, name) {
  const where = `parameter ${name} default`;
  const out = { text };
  if (text === 'platform dependent' || /^sysconf\(/.test(text)) return { ...out, platform: true };
  if (text === BUILT) return out;
  const lead = text.split(' (')[0];
  switch (type) {
    case 'bytes':
      out.value = parseBytesLiteral(lead, where);
      break;
    case 'duration':
    case 'double':
    case 'uint':
      out.value = parseNumberLiteral(lead, where, type === 'duration');
      break;
    case 'bool':
      if (lead !== 'on' && lead !== 'off') throw new Error(`${where}: '${text}'`);
      out.value = lead === 'on';
      break;
    case 'bits':
      // `none,+a,+b` (7.7) lists what is set after clearing everything; `+a` (7.1) the same.
      out.bits = lead === 'none' ? [] : lead.split(',').filter((b) => b !== 'none' && b !== 'all').map((b) => b.replace(/^[+-]/, '')).sort(cmp);
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

/** One checked release's parameters, by name. */
function readRelease(text, tags, version) {
  const blocks = splitBlocks(text).map(parseBlock);
  if (blocks.length < 50) throw new Error(`${version}: only ${blocks.length} parameters found`);
  const table = new Map();
  for (const p of blocks) {
    if (p.aliasOf) continue;
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
      if (!bits.length) throw new Error(`${version} parameter ${p.name}: no bit names`);
      fact.bits = {
        names: [...new Set(bits)].sort(cmp),
        // Words accepted alone instead of a list (listed before the "+/-" line).
        words: p.items.filter((i) => !i.bit).map((i) => i.name).sort(cmp),
        // The sign that turns a bit on in the stored set: vsl_mask stores masked tags.
        set: p.name === 'vsl_mask' ? '-' : '+',
      };
    }
    if (p.platformDependent) fact.platformDependent = true;
    if (p.buildDependent || p.fields.default === BUILT) fact.buildDependent = true;
    // 6.5 lets accept_filter be set on Linux (it then does nothing); 7.1 refuses it.
    if (LINUX.unavailable.includes(p.name) && vkey(version) >= vkey('7.0')) fact.unavailableOnLinux = true;
    // "HTTP status code or 0 to disable": 0 passes below the minimum.
    const zero = / or 0 to disable$/.exec(fact.units ?? '');
    if (zero) {
      fact.units = fact.units.slice(0, zero.index);
      fact.zeroDisables = true;
    }
    if (fact.min?.platform && p.name === 'thread_pool_stack') fact.min.value = LINUX.threadStackMin;
    TEXT_FIXES[version]?.[p.name]?.(fact);
    table.set(p.name, fact);
  }
  for (const p of blocks) {
    if (!p.aliasOf) continue;
    const alias = ALIASES[p.name];
    const target = table.get(p.aliasOf);
    if (!alias || alias.of !== p.aliasOf || !target?.bits?.names.includes(alias.bit)) throw new Error(`${version}: alias ${p.name} of ${p.aliasOf} is not known to this script`);
    const on = target.default.bits.includes(alias.bit);
    table.set(p.name, { name: p.name, type: 'bool', units: 'bool', default: { text: on ? 'on' : 'off', value: on }, flags: [], alias: { of: p.aliasOf, bit: alias.bit } });
  }
  for (const [name, of] of Object.entries(REPLACED_BY)) if (table.has(name)) table.get(name).replacedBy = of;
  return table;
}

// ---------------------------------------------------------------------------
// Derived releases (no compiler here): a checked release's table, changed as
// FACTS.md section 6 records. Differences between two checked releases that
// FACTS.md does not date stay with the newer one (derived releases keep the
// older one's value), except bit names: a derived release accepts a bit name
// either neighbouring checked release accepts, so that it never reports a
// name its own varnishd may know.

const clone = (v) => JSON.parse(JSON.stringify(v));

/** Steps that turn one table into another release's. */
const op = {
  /** A parameter as `from` (a checked release) has it. */
  add: (name, from) => (t, all) => {
    const p = all[from].get(name);
    if (!p) throw new Error(`derived: ${name} not in ${from}`);
    t.set(name, clone(p));
  },
  remove: (name) => (t) => {
    if (!t.delete(name)) throw new Error(`derived: cannot remove ${name}: not there`);
  },
  /** Set fields of a parameter from another checked release's fact. */
  fieldsFrom: (name, from, fields) => (t, all) => {
    const p = t.get(name);
    const q = all[from].get(name);
    for (const f of fields) {
      if (q[f] === undefined) delete p[f];
      else p[f] = clone(q[f]);
    }
  },
  set: (name, field, value) => (t) => {
    t.get(name)[field] = clone(value);
  },
  /** A parameter of `from` under another name (a rename undone). */
  renameFrom: (name, from, oldName) => (t, all) => {
    t.set(oldName, { ...clone(all[from].get(name)), name: oldName });
    t.delete(name);
  },
  /** A string parameter that accepts anything (an alias kept for compatibility). */
  addString: (name, defaultText) => (t) => {
    t.set(name, { name, type: 'string', default: { text: defaultText }, flags: [] });
  },
  /** An alias with another parameter's syntax and limits. */
  addAlias: (name, of) => (t) => {
    t.set(name, { ...clone(t.get(of)), name });
  },
  addBit: (name, bit) => (t) => {
    const b = t.get(name).bits;
    b.names = [...new Set([...b.names, bit])].sort(cmp);
  },
  /** The `timeout` flag (the value `never` accepted) on every parameter that has it in `from`. */
  timeoutFlags: (from) => (t, all) => {
    for (const [name, q] of all[from]) {
      if (q.flags.includes('timeout') && t.has(name)) t.get(name).flags = [...new Set([...t.get(name).flags, 'timeout'])].sort(cmp);
    }
  },
};

/** HTTP/2 parameters of the security releases of October 2023 and March 2024, backported to 6.0 LTS and 7.3/7.4. */
const H2_BACKPORTS = ['h2_rapid_reset', 'h2_rapid_reset_limit', 'h2_rapid_reset_period', 'h2_window_timeout'];

/**
 * Each derived release: the release it starts from (checked, or derived
 * earlier in this list) and the changes FACTS.md records in between.
 */
const DERIVED = [
  // 6.0 LTS, as its latest patch release.
  ['6.0', '6.5', [
    op.remove('pipe_sess_max'), // 6.3
    op.remove('vcc_acl_pedantic'), // 6.5
    op.renameFrom('http1_iovs', '6.5', 'esi_iovs'), // 6.2 renamed esi_iovs to http1_iovs
    op.addAlias('shm_reclen', 'vsl_reclen'), // aliases removed in 6.2
    op.addString('vcl_dir', '${sysconfdir}/varnish:${datadir}/varnish/vcl'),
    op.addString('vmod_dir', '${libdir}/varnish/vmods'),
    op.addString('waiter', 'platform dependent'),
    op.set('workspace_session', 'default', { text: '0.50k', value: 512 }),
    op.set('thread_pool_stack', 'default', { text: '64k', value: 65536 }),
    op.set('cli_limit', 'default', { text: '64k', value: 65536 }),
    ...H2_BACKPORTS.map((n) => op.add(n, '7.7')),
  ]],
  ['6.6', '6.5', [op.add('vary_notice', '7.1'), op.addBit('feature', 'validate_headers')]],
  // 7.0 starts from 7.1: the two came six months apart, and most of 6.x to 7.1's changes are 7.0's.
  ['7.0', '7.1', [op.remove('cc_warnings'), op.remove('experimental'), op.add('vsm_space', '6.5')]],
  ['7.2', '7.1', [
    op.add('vcc_feature', '7.7'),
    ...['vcc_allow_inline_c', 'vcc_err_unref', 'vcc_unsafe_path'].map((n) => op.add(n, '7.7')),
  ]],
  ['7.3', '7.2', [op.add('transit_buffer', '7.7'), ...H2_BACKPORTS.map((n) => op.add(n, '7.7'))]],
  ['7.4', '7.3', [op.add('startup_timeout', '7.7')]],
  ['7.5', '7.4', [
    op.add('pipe_task_deadline', '7.7'),
    op.timeoutFlags('7.7'),
    op.fieldsFrom('idle_send_timeout', '7.7', ['max']),
    op.fieldsFrom('timeout_idle', '7.7', ['max']),
  ]],
  ['7.6', '7.5', [op.add('backend_wait_timeout', '7.7'), op.add('backend_wait_limit', '7.7'), op.add('panic_buffer', '7.7')]],
  // 8.0 starts from 9.0, which renamed the project and changed little else.
  ['8.0', '9.0', [op.fieldsFrom('vcl_path', '7.7', ['default']), op.fieldsFrom('vmod_path', '7.7', ['default']), op.fieldsFrom('vsl_mask', '7.7', ['default'])]],
];

/** The checked releases just below and above `version`. */
function neighbours(version) {
  const checked = Object.keys(CHECKED);
  return [checked.filter((c) => vkey(c) < vkey(version)).pop(), checked.find((c) => vkey(c) > vkey(version))].filter(Boolean);
}

function deriveAll(tables) {
  for (const [version, from, steps] of DERIVED) {
    const t = new Map([...tables[from]].map(([k, v]) => [k, clone(v)]));
    for (const step of steps) step(t, tables);
    for (const p of t.values()) {
      if (!p.bits) continue;
      for (const n of neighbours(version)) {
        const q = tables[n].get(p.name);
        if (q?.bits) p.bits.names = [...new Set([...p.bits.names, ...q.bits.names])].sort(cmp);
      }
    }
    tables[version] = t;
  }
}

/** Limits that follow another parameter: the value in force while that one has its default. */
function resolveRefs(table, version) {
  for (const p of table.values()) {
    for (const lim of [p.min, p.max]) {
      if (!lim?.ref) continue;
      const other = table.get(lim.ref);
      if (!other || typeof other.default.value !== 'number') throw new Error(`${version} parameter ${p.name}: limit refers to ${lim.ref}`);
      const base = other.default.value;
      lim.value = lim.percent !== undefined ? Math.floor((base * lim.percent * 10) / 1000) : base + (lim.offset ?? 0);
    }
  }
}

// ---------------------------------------------------------------------------
// One entry per parameter: the newest release's fact, the releases it exists
// in, and per-release changes only where a field differs.

/** The fields that may differ between releases (name and description never do). */
const FIELDS = ['type', 'units', 'default', 'min', 'max', 'flags', 'bits', 'alias', 'replacedBy', 'platformDependent', 'buildDependent', 'unavailableOnLinux', 'zeroDisables'];

/** Runs of consecutive releases of `list` (a subset of VERSIONS) as spans: since (included), until (excluded). */
function spans(list) {
  const out = [];
  let start;
  VERSIONS.forEach((v, i) => {
    if (list.includes(v)) start ??= v;
    else if (start) {
      out.push({ since: start, until: v });
      start = undefined;
    }
    if (i === VERSIONS.length - 1 && start) out.push({ since: start });
  });
  for (const s of out) if (s.since === VERSIONS[0]) delete s.since;
  return out;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** What `fact` changes relative to `base`: whole fields, except bit sets as names added/removed and the words. */
function delta(base, fact) {
  const d = {};
  for (const f of FIELDS) {
    if (same(base[f], fact[f])) continue;
    if (f === 'bits' && base.bits && fact.bits && base.bits.set === fact.bits.set) {
      const add = fact.bits.names.filter((n) => !base.bits.names.includes(n));
      const remove = base.bits.names.filter((n) => !fact.bits.names.includes(n));
      if (add.length || remove.length) d.bitNames = { ...(add.length ? { add } : {}), ...(remove.length ? { remove } : {}) };
      if (!same(base.bits.words, fact.bits.words)) d.bitWords = fact.bits.words;
      continue;
    }
    // An absent field is written as null, so that the change removes it.
    d[f] = fact[f] === undefined ? null : fact[f];
  }
  return d;
}

function merge(tables) {
  const names = [...new Set(VERSIONS.flatMap((v) => [...tables[v].keys()]))].sort(cmp);
  return names.map((name) => {
    const present = VERSIONS.filter((v) => tables[v].has(name));
    const newest = present[present.length - 1];
    const base = tables[newest].get(name);
    const entry = { name };
    const exist = spans(present);
    if (exist.length !== 1 || exist[0].since || exist[0].until) entry.versions = exist;
    for (const f of FIELDS) if (base[f] !== undefined) entry[f] = base[f];
    entry.description = DESCRIPTIONS[name] ?? '';
    const changes = [];
    let run;
    for (const v of VERSIONS) {
      const d = tables[v].has(name) ? delta(base, tables[v].get(name)) : undefined;
      const key = d && Object.keys(d).length ? JSON.stringify(d) : undefined;
      if (key && run?.key === key && run.last === VERSIONS[VERSIONS.indexOf(v) - 1]) run.last = v;
      else if (key) changes.push((run = { key, first: v, last: v, d }));
    }
    if (changes.length) {
      entry.changes = changes.map((c) => {
        const s = spans(VERSIONS.slice(VERSIONS.indexOf(c.first), VERSIONS.indexOf(c.last) + 1))[0];
        return { ...s, ...c.d };
      });
    }
    return entry;
  });
}

/** Stable JSON: keys in a fixed order per object, two-space indent, final newline. */
function json(data) {
  const order = ['source', 'checked', 'derived', 'params', 'name', 'versions', 'since', 'until', 'type', 'units', 'text', 'value', 'ref', 'percent', 'offset', 'platform', 'build', 'bits', 'pool', 'minPool', 'maxPool', 'maxAge', 'default', 'min', 'max', 'flags', 'names', 'words', 'set', 'bitNames', 'add', 'remove', 'bitWords', 'alias', 'of', 'bit', 'replacedBy', 'platformDependent', 'buildDependent', 'unavailableOnLinux', 'zeroDisables', 'description', 'changes'];
  const rank = (k) => {
    const i = order.indexOf(k);
    if (i < 0 && !/^\d/.test(k)) throw new Error(`json: no order for key '${k}'`);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const sortKeys = (v) => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v).sort((a, b) => rank(a) - rank(b) || cmp(a, b)).map((k) => [k, sortKeys(v[k])]));
    }
    return v;
  };
  return `${JSON.stringify(sortKeys(data), null, 2)}\n`;
}

// ---------------------------------------------------------------------------

/** `vcc-<v> -x vsl`'s tag names, or undefined when that compiler is not here. */
function oracleTags(oracles, version) {
  const bin = path.join(oracles, `vcc-${version}`);
  if (!existsSync(bin)) return undefined;
  const r = spawnSync(bin, ['-x', 'vsl'], { encoding: 'utf8', timeout: 60_000, maxBuffer: 32 * 1024 * 1024 });
  if (r.error || r.status !== 0) return undefined;
  const lines = r.stdout.split('\n');
  const tags = [];
  // Each tag is a section title underlined with '-'.
  for (let i = 1; i < lines.length; i++) if (/^-+$/.test(lines[i]) && lines[i - 1].trim()) tags.push(lines[i - 1].trim());
  return tags;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const tables = {};
  const problems = [];
  let compared = 0;
  for (const version of Object.keys(CHECKED)) {
    const file = path.join(opts.refDir, `${version}-params.txt`);
    if (!existsSync(file)) {
      process.stderr.write(`gen-params: ${file} not found (set VARNISH_VERSIONS_DIR or --ref-dir)\n`);
      process.exit(2);
    }
    const tags = vslTags(version);
    if (opts.check) {
      const live = oracleTags(opts.oracles, version);
      if (live) {
        compared++;
        if (!same([...live].sort(cmp), [...tags].sort(cmp))) problems.push(`vcc-${version} -x vsl gives other tags than VSL_TAG_CHANGES['${version}']`);
      }
    }
    tables[version] = readRelease(readFileSync(file, 'utf8'), tags, version);
  }
  deriveAll(tables);
  for (const v of VERSIONS) resolveRefs(tables[v], v);
  const out = json({
    source: `varnishd -x parameter of ${Object.entries(CHECKED).map(([v, r]) => `${v} (${r})`).join(', ')}; the other releases derived from those with the changes Varnish's sources record`,
    checked: Object.keys(CHECKED),
    derived: VERSIONS.filter((v) => !CHECKED[v]),
    params: merge(tables),
  });
  const rel = path.relative(process.cwd(), opts.out) || opts.out;
  const count = JSON.parse(out).params.length;
  if (opts.check) {
    const current = existsSync(opts.out) ? readFileSync(opts.out, 'utf8') : '';
    if (current !== out) problems.push(`${rel} is not up to date`);
    process.stdout.write(`gen-params --check: ${count} parameter names over ${VERSIONS.length} releases; VSL tags compared with ${compared} compiler(s)${problems.length ? `: ${problems.join('; ')}` : '; committed file up to date'}\n`);
    process.exit(problems.length ? 1 : 0);
  }
  mkdirSync(path.dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, out);
  if (opts.releasesOut) {
    const whole = Object.fromEntries(VERSIONS.map((v) => [v, [...tables[v].values()].sort((a, b) => cmp(a.name, b.name)).map((p) => ({ ...p, description: DESCRIPTIONS[p.name] ?? '' }))]));
    writeFileSync(opts.releasesOut, json(whole));
  }
  process.stdout.write(`gen-params: ${count} parameter names over ${VERSIONS.length} releases (${Object.keys(CHECKED).join(', ')} checked) -> ${rel}\n`);
}

main();
