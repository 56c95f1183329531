/**
 * Data-driven tests of the parameter table, the value readers/writers and
 * validation. Every expected verdict here was checked with varnishd 7.1.1
 * (`varnishd -C -p name=value`); the differential test re-checks the readers
 * against the live varnishd on many more values.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { allParams, paramFact, paramNames, paramRelations, paramVersions, valueSyntax } from '../../server/src/facts/params.js';
import { VARNISH_VERSIONS, type VarnishVersion } from '../../server/src/facts/versions.js';
import {
  formatBits,
  formatBoolean,
  formatBytes,
  formatDuration,
  formatUint,
  parseBits,
  parseBoolean,
  parseBytes,
  parseDecimal,
  parseDuration,
  parsePool,
  parseUint,
  splitArgs,
} from '../../server/src/params/units.js';
import { checkRelations, settingNote, suggestParamName, validateSetting, validateSettings } from '../../server/src/params/validate.js';
import { projectRoot } from '../conformance/corpus.js';
import { skipBecause } from '../helpers/skip.js';

describe('params: table', () => {
  it('has the 109 parameters of varnishd 7.1, sorted', () => {
    const names = paramNames();
    assert.equal(names.length, 109);
    assert.deepEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), names);
  });

  // [name, type, units, default text, default value, min value, max value, flags]
  const facts: [string, string, string | undefined, string, number | boolean | undefined, number | undefined, number | undefined, string[]][] = [
    ['http_resp_size', 'bytes', 'bytes', '32k', 32768, 256, undefined, []],
    ['http_resp_hdr_len', 'bytes', 'bytes', '8k', 8192, 40, undefined, []],
    ['workspace_backend', 'bytes', 'bytes', '96k', 98304, 1024, undefined, ['delayed']],
    ['workspace_thread', 'bytes', 'bytes', '2k', 2048, 256, 8192, ['delayed']],
    ['fetch_maxchunksize', 'bytes', 'bytes', '0.25G', 268435456, 65536, undefined, ['experimental']],
    ['vsl_space', 'bytes', 'bytes', '80M', 83886080, 1048576, 4294967296, ['must_restart']],
    ['first_byte_timeout', 'duration', 'seconds', '60.000', 60, 0, undefined, []],
    ['critbit_cooloff', 'duration', 'seconds', '180.000', 180, 60, 254, ['wizard']],
    ['acceptor_sleep_decay', 'double', undefined, '0.9', 0.9, 0, 1, ['experimental']],
    ['clock_skew', 'uint', 'seconds', '10', 10, 0, undefined, []],
    ['gzip_level', 'uint', undefined, '6', 6, 0, 9, []],
    ['thread_pools', 'uint', 'pools', '2', 2, 1, 32, ['delayed', 'experimental']],
    ['http_gzip_support', 'bool', 'bool', 'on', true, undefined, undefined, []],
    ['vcc_allow_inline_c', 'bool', 'bool', 'off', false, undefined, undefined, []],
    ['feature', 'bits', undefined, '+validate_headers', undefined, undefined, undefined, []],
    ['pool_req', 'pool', undefined, '10,100,10', undefined, undefined, undefined, []],
    ['h2_rxbuf_storage', 'storage', undefined, 'Transient', undefined, undefined, undefined, ['must_restart']],
    ['cc_command', 'string', undefined, 'exec $CC $CFLAGS %w -shared -o %o %s', undefined, undefined, undefined, ['must_reload']],
  ];
  for (const [name, type, units, defText, defValue, min, max, flags] of facts) {
    it(`${name}: ${type}, default ${defText}`, () => {
      const f = paramFact(name)!;
      assert.ok(f, name);
      assert.equal(f.type, type);
      assert.equal(f.units, units);
      assert.equal(f.default.text, defText);
      assert.equal(f.default.value, defValue);
      assert.equal(f.min?.value, min);
      assert.equal(f.max?.value, max);
      assert.deepEqual(f.flags, flags);
    });
  }

  it('keeps the dependent limits as data', () => {
    assert.deepEqual(
      paramRelations().map((r) => `${r.param}.${r.bound} <- ${r.ref}${r.percent ? ` ${r.percent}%` : ''}${r.offset ? ` ${r.offset > 0 ? '+' : ''}${r.offset}` : ''}`),
      ['thread_pool_max.min <- thread_pool_min', 'thread_pool_min.max <- thread_pool_max', 'thread_pool_reserve.max <- thread_pool_min 95%', 'vsl_buffer.min <- vsl_reclen +12', 'vsl_reclen.max <- vsl_buffer -12'],
    );
    assert.equal(paramFact('thread_pool_min')!.max!.value, 5000);
    assert.equal(paramFact('thread_pool_reserve')!.max!.value, 95);
    assert.equal(paramFact('vsl_reclen')!.max!.value, 16372);
    assert.equal(paramFact('thread_pool_stack')!.min!.platform, true);
  });

  it('lists the bit names and words of the bit sets', () => {
    assert.ok(paramFact('feature')!.bits!.names.includes('http2'));
    assert.deepEqual(paramFact('feature')!.bits!.words, ['default', 'none']);
    assert.deepEqual(paramFact('debug')!.bits!.words, ['none']);
    assert.deepEqual(paramFact('vsl_mask')!.bits!.words, ['default']);
    assert.equal(paramFact('vsl_mask')!.bits!.set, '-');
    assert.ok(paramFact('vsl_mask')!.bits!.names.includes('VCL_trace'));
    assert.deepEqual(paramFact('experimental')!.bits!.names, ['drop_pools']);
    assert.deepEqual(paramFact('feature')!.default.bits, ['validate_headers']);
  });

  it('is case-sensitive on names and has no description copied from the reference', () => {
    assert.equal(paramFact('HTTP_RESP_SIZE'), undefined);
    const described = allParams().filter((p) => p.description);
    assert.ok(described.length >= 40, `${described.length} descriptions`);
    for (const p of described) assert.ok(p.description.length < 220, `${p.name}: keep descriptions short`);
  });

  it('scripts/gen-params.mjs reproduces the committed JSON byte for byte, and each release\'s table as the script built it', function () {
    const refDir = process.env.VARNISH_VERSIONS_DIR || path.resolve(projectRoot, '..', 'shared', 'varnish-versions');
    if (!existsSync(path.join(refDir, '9.0-params.txt'))) skipBecause(this, 'per-version reference texts not found (set VARNISH_VERSIONS_DIR)');
    const dir = mkdtempSync(path.join(tmpdir(), 'vcl-params-gen-'));
    try {
      const out = path.join(dir, 'params.json');
      const releasesOut = path.join(dir, 'releases.json');
      const run = spawnSync(process.execPath, [path.join(projectRoot, 'scripts', 'gen-params.mjs'), '--ref-dir', refDir, '--out', out, '--releases-out', releasesOut], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      const committed = readFileSync(path.join(projectRoot, 'server', 'src', 'facts', 'params.json'), 'utf8');
      assert.ok(readFileSync(out, 'utf8') === committed, 'params.json differs from a fresh run: run `npm run gen:params`');
      // Each fact is stored once with its releases; putting a release back together must give the script's own table.
      const whole = JSON.parse(readFileSync(releasesOut, 'utf8')) as Record<string, unknown[]>;
      assert.deepEqual(Object.keys(whole), [...VARNISH_VERSIONS]);
      for (const v of VARNISH_VERSIONS) assert.deepEqual(sortedKeys(allParams(v)), sortedKeys(whole[v]), `release ${v}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The same value with object keys in one order, for comparing facts built in different key orders. */
function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedKeys((v as Record<string, unknown>)[k])]));
  return v;
}

describe('params: the table of each release', () => {
  // [version, parameter count]
  const counts: [VarnishVersion, number][] = [
    ['6.0', 112], ['6.5', 106], ['6.6', 107], ['7.0', 108], ['7.1', 109], ['7.2', 110], ['7.3', 115],
    ['7.4', 116], ['7.5', 117], ['7.6', 120], ['7.7', 122], ['8.0', 123], ['9.0', 123],
  ];
  for (const [version, count] of counts) {
    it(`${version} has ${count} parameters`, () => assert.equal(paramNames(version).length, count));
  }

  // [parameter, version, field, expected] where field is default/min/max (value) or type
  const facts: [string, VarnishVersion, 'default' | 'min' | 'max' | 'type' | 'units', unknown][] = [
    ['workspace_backend', '6.0', 'default', 65536],
    ['workspace_backend', '6.5', 'default', 65536],
    ['workspace_backend', '6.6', 'default', 65536],
    ['workspace_backend', '7.0', 'default', 98304],
    ['workspace_backend', '9.0', 'default', 98304],
    ['workspace_client', '6.5', 'default', 65536],
    ['workspace_client', '7.7', 'default', 98304],
    ['workspace_session', '6.0', 'default', 512],
    ['workspace_session', '6.5', 'min', 256],
    ['workspace_session', '7.1', 'min', 384],
    ['thread_pool_stack', '6.5', 'default', 57344],
    ['thread_pool_stack', '6.5', 'min', 16384],
    ['thread_pool_stack', '7.7', 'default', 81920],
    ['thread_pools', '6.5', 'max', 32],
    ['vsl_buffer', '6.6', 'default', 4096],
    ['vsl_buffer', '7.0', 'default', 16384],
    ['cli_limit', '7.1', 'default', 49152],
    ['cli_limit', '7.7', 'default', 65536],
    ['default_ttl', '7.7', 'default', 120],
    ['default_ttl', '7.7', 'type', 'duration'],
    ['ban_any_variant', '7.7', 'default', 10000],
    ['ban_any_variant', '8.0', 'default', 0],
    ['rush_exponent', '7.7', 'min', 2],
    ['rush_exponent', '8.0', 'min', 1],
    ['http_req_overflow_status', '7.7', 'max', 499],
    ['http_req_overflow_status', '9.0', 'max', 500],
    ['h2_initial_window_size', '6.5', 'min', 0],
    ['h2_initial_window_size', '7.1', 'min', 65535],
    ['idle_send_timeout', '7.1', 'max', undefined],
    ['idle_send_timeout', '7.5', 'max', 3600],
    ['vcc_allow_inline_c', '7.1', 'type', 'bool'],
    ['vcc_allow_inline_c', '7.7', 'type', 'bool'],
    ['http1_iovs', '6.5', 'default', 64],
  ];
  for (const [name, version, field, want] of facts) {
    it(`${name} in ${version}: ${field} ${String(want)}`, () => {
      const f = paramFact(name, version);
      assert.ok(f, `${name} missing in ${version}`);
      const got = field === 'type' || field === 'units' ? f[field] : f[field]?.value;
      assert.equal(got, want);
    });
  }

  // [parameter, the releases that have it]
  const existence: [string, string][] = [
    ['pcre_match_limit', '6.0 6.5 6.6'],
    ['pcre2_match_limit', '7.0 7.1 7.2 7.3 7.4 7.5 7.6 7.7 8.0 9.0'],
    ['vcc_acl_pedantic', '6.5 6.6'],
    ['vcc_feature', '7.2 7.3 7.4 7.5 7.6 7.7 8.0 9.0'],
    ['vsm_space', '6.0 6.5 6.6 7.0'],
    ['esi_iovs', '6.0'],
    ['http1_iovs', '6.5 6.6 7.0 7.1 7.2 7.3 7.4 7.5 7.6 7.7 8.0 9.0'],
    ['h2_rapid_reset', '6.0 7.3 7.4 7.5 7.6 7.7 8.0 9.0'],
    ['uncacheable_ttl', '8.0 9.0'],
    ['transit_buffer', '7.3 7.4 7.5 7.6 7.7 8.0 9.0'],
    ['cc_warnings', '7.1 7.2 7.3 7.4 7.5 7.6 7.7 8.0 9.0'],
    ['http_resp_size', VARNISH_VERSIONS.join(' ')],
    ['no_such_param', ''],
  ];
  for (const [name, want] of existence) {
    it(`${name} exists in: ${want || 'none'}`, () => assert.equal(paramVersions(name).join(' '), want));
  }

  it('knows which parameter replaced an older one', () => {
    assert.equal(paramFact('pcre_match_limit', '6.5')!.replacedBy, 'pcre2_match_limit');
    assert.equal(paramFact('pcre_match_limit_recursion', '6.5')!.replacedBy, 'pcre2_depth_limit');
    assert.deepEqual(paramFact('vcc_err_unref', '7.7')!.alias, { of: 'vcc_feature', bit: 'err_unref' });
    assert.equal(paramFact('vcc_err_unref', '7.1')!.alias, undefined);
  });

  it('gives derived releases every bit name a neighbouring checked release knows', () => {
    assert.ok(paramFact('feature', '6.6')!.bits!.names.includes('validate_headers'));
    assert.ok(!paramFact('feature', '6.5')!.bits!.names.includes('validate_headers'));
    assert.ok(paramFact('vsl_mask', '8.0')!.bits!.names.includes('ReqTarget'));
    assert.ok(!paramFact('vsl_mask', '7.7')!.bits!.names.includes('ReqTarget'));
    assert.ok(paramFact('vsl_mask', '9.0')!.bits!.names.includes('ReqTarget'));
  });
});

describe('params: reading values like varnishd', () => {
  // [text, bytes or error]
  const bytes: [string, number | string][] = [
    ['32k', 32768], ['32K', 32768], ['32kb', 32768], ['32KB', 32768], ['32kB', 32768], ['32 k', 32768], [' 32k', 32768], ['32k ', 32768],
    ['32768', 32768], ['255b', 255], ['255B', 255], ['0.25k', 256], ['1.5k', 1536], ['32.5k', 33280], ['1.3M', 1363148], ['1 .5k', 1536],
    ['1M', 1048576], ['1g', 1073741824], ['1T', 2 ** 40], ['1p', 2 ** 50], ['0032k', 32768], ['-0', 0], ['999999999999999', 999999999999999],
    ['', 'empty value'], ['abc', 'not a number'], ['12q', "unknown unit 'q'"], ['-32k', 'negative size'], ['+32k', 'not a number'], ['.5m', 'not a number'],
    ['5.', 'not a number'], ['1.k', 'not a number'], ['1. 5k', 'not a number'], ['1.5', 'fractional bytes'], ['1.5b', 'fractional bytes'],
    ['1.2345k', 'more than three decimals'], ['1e5', "unknown unit 'e5'"], ['0x8000', "unknown unit 'x8000'"], ['32%', "unknown unit '%'"],
    ['32kib', "unknown unit 'kib'"], ['1kK', "unknown unit 'kK'"], ['1.5kbb', "unknown unit 'kbb'"], ['9999999999999999', 'too many digits'],
  ];
  for (const [text, want] of bytes) {
    it(`bytes ${JSON.stringify(text)} -> ${want}`, () => {
      const r = parseBytes(text);
      if (typeof want === 'number') assert.deepEqual(r, { ok: true, value: want });
      else assert.deepEqual(r, { ok: false, error: want });
    });
  }

  // [text, seconds, ignored text] or [text, error]
  const durations: ([string, number, string] | [string, string])[] = [
    ['60', 60, ''], ['60s', 60, 's'], ['60.5', 60.5, ''], ['60.123', 60.123, ''], ['60.1234', 60.123, ''], ['60 s', 60, 's'], [' 60', 60, ''],
    ['1m', 1, 'm'], ['100ms', 100, 'ms'], ['1h', 1, 'h'], ['60q', 60, 'q'], ['.5', 0.5, ''], ['5.', 5, ''], ['1e2', 1, 'e2'], ['0x10', 0, 'x10'],
    ['-1', -1, ''], ['-.5', -0.5, ''], ['6 0', 6, '0'], ['123456789012', 123456789012, ''],
    ['', 'not a number'], ['abc', 'not a number'], ['+5', 'not a number'], ['-', 'not a number'], ['.', 'not a number'], ['- 5', 'not a number'],
    ['1234567890123', 'too many digits'], ['9999999999999999', 'too many digits'],
  ];
  for (const d of durations) {
    it(`duration ${JSON.stringify(d[0])} -> ${d.slice(1).join(' ')}`, () => {
      const r = parseDuration(d[0]);
      if (d.length === 3) {
        assert.ok(r.ok, JSON.stringify(r));
        // varnishd adds the decimals one by one in floating point: 60.123 is 60.123000000000005.
        assert.ok(Math.abs(r.value.seconds - d[1]) < 1e-9, String(r.value.seconds));
        assert.equal(r.value.ignored, d[2]);
      }
      else assert.deepEqual(r, { ok: false, error: d[1] });
    });
  }

  const uints: [string, number | undefined][] = [
    ['5', 5], ['0x10', 16], ['0X10', 16], ['010', 8], [' 5', 5], ['+5', 5], ['unlimited', 4294967295], ['UNLIMITED', 4294967295],
    ['-1', 4294967295], ['4294967296', 0], ['4294967301', 5], ['99999999999999999999999', 4294967295], ['-4294967295', 1],
    ['08', undefined], ['5 ', undefined], ['5.0', undefined], ['5k', undefined], ['', undefined], ['0x', undefined], ['abc', undefined], ['+', undefined],
  ];
  for (const [text, want] of uints) {
    it(`uint ${JSON.stringify(text)} -> ${want ?? 'refused'}`, () => {
      const r = parseUint(text);
      assert.equal(r.ok ? r.value : undefined, want);
    });
  }

  const booleans: [string, boolean | undefined][] = [
    ['on', true], ['ON', true], ['true', true], ['Yes', true], ['enable', true], ['off', false], ['False', false], ['no', false], ['DISABLE', false],
    ['1', undefined], ['0', undefined], ['y', undefined], ['enabled', undefined], [' on', undefined], ['on ', undefined], ['', undefined],
  ];
  for (const [text, want] of booleans) {
    it(`boolean ${JSON.stringify(text)} -> ${want ?? 'refused'}`, () => {
      const r = parseBoolean(text);
      assert.equal(r.ok ? r.value : undefined, want);
    });
  }

  const lists: [string, string[] | string][] = [
    ['+a,-b', ['+a', '-b']], ['+a -b', ['+a', '-b']], ['+a , -b', ['+a', '-b']], ['+a ,+b', ['+a', '+b']], [' +a ', ['+a']], ['', []], [' ', []],
    ['+a,', ['+a', '']], ['+a, ', ['+a', '']], [',+a', ['', '+a']], ['+a,,-b', ['+a', '', '-b']], ['"+a b"', ['+a b']], ['"+a"+b', ['+a', '+b']],
    ['+\\x41', ['+A']], ['+a\\000b', ['+a']], ['"10",100', ['10', '', '100']],
    ['"+a', "missing closing '\"'"], ['+a"', 'misplaced \'"\''], ['"+a" "+b"', 'missing separator between quoted items'], ['+a\\', 'invalid backslash sequence'], ['+a\\q', 'invalid backslash sequence'],
  ];
  for (const [text, want] of lists) {
    it(`list ${JSON.stringify(text)} -> ${JSON.stringify(want)}`, () => {
      const r = splitArgs(text);
      if (Array.isArray(want)) assert.deepEqual(r, { ok: true, value: want });
      else assert.deepEqual(r, { ok: false, error: want });
    });
  }

  it('bit sets: words alone and exactly, names in any case', () => {
    const f = paramFact('feature')!.bits!;
    assert.deepEqual(parseBits('none', f.names, f.words), { ok: true, value: { word: 'none' } });
    assert.deepEqual(parseBits('+HTTP2,-esi_remove_bom', f.names, f.words), {
      ok: true,
      value: { changes: [{ sign: '+', name: 'http2' }, { sign: '-', name: 'esi_remove_bom' }] },
    });
    assert.equal(parseBits('NONE', f.names, f.words).ok, false);
    assert.equal(parseBits('none,+http2', f.names, f.words).ok, false);
    assert.deepEqual(parseBits('+http3', f.names, f.words), { ok: false, error: 'unknown name', item: '+http3', kind: 'unknown' });
    assert.deepEqual(parseBits('http2', f.names, f.words), { ok: false, error: 'missing + or -', item: 'http2', kind: 'sign' });
  });

  const pools: [string, boolean][] = [
    ['10,100,10', true], ['10 100 10', true], ['10,100,10,5', true], ['0,0,0', true], ['10,0x64,10', true], ['10,100,10x', true], ['unlimited,unlimited,1', true],
    ['10,100', false], ['100,10,10', false], ['10,100,1000001', false], ['10,100,-1', false], ['"10",100,10', false], ['-1,5,1', false], ['', false],
  ];
  for (const [text, ok] of pools) {
    it(`pool ${JSON.stringify(text)} -> ${ok ? 'accepted' : 'refused'}`, () => assert.equal(parsePool(text).ok, ok));
  }
});

describe('params: writing values in the user\'s style', () => {
  const bytes: [number, string | undefined, string][] = [
    [65536, '8k', '64k'], [65536, '8K', '64K'], [65536, '8192', '65536'], [98304, '1MB', '96KB'], [65536, '8 KB', '64 KB'], [512, '0.25k', '0.5k'],
    [100, '8k', '100'], [100, '8b', '100b'], [2097152, '1M', '2M'], [65536, undefined, '64k'], [1048576, undefined, '1M'], [255, undefined, '255b'], [0, undefined, '0b'],
  ];
  for (const [n, like, want] of bytes) {
    it(`bytes ${n} like ${JSON.stringify(like)} -> ${want}`, () => {
      assert.equal(formatBytes(n, like), want);
      const back = parseBytes(want);
      assert.equal(back.ok ? back.value : NaN, n);
    });
  }
  const durations: [number, string | undefined, string][] = [[120, '60', '120'], [120, '60s', '120s'], [120.5, '60.000', '120.500'], [120, '1m', '120'], [0.1, undefined, '0.1']];
  for (const [n, like, want] of durations) it(`duration ${n} like ${JSON.stringify(like)} -> ${want}`, () => assert.equal(formatDuration(n, like), want));
  const bools: [boolean, string | undefined, string][] = [[false, 'on', 'off'], [false, 'Yes', 'No'], [true, 'DISABLE', 'ENABLE'], [false, 'true', 'false'], [true, undefined, 'on']];
  for (const [b, like, want] of bools) it(`boolean ${b} like ${JSON.stringify(like)} -> ${want}`, () => assert.equal(formatBoolean(b, like), want));
  it('integers, bit lists', () => {
    assert.equal(formatUint(4294967295, 'unlimited'), 'unlimited');
    assert.equal(formatUint(4294967295), '4294967295');
    assert.equal(formatBits({ changes: [{ sign: '+', name: 'http2' }, { sign: '-', name: 'short_panic' }] }), '+http2,-short_panic');
  });
});

describe('params: validateSetting', () => {
  // [name, value, rule or undefined, suggestion, words the message must contain]
  const table: [string, string, string | undefined, string | undefined, string[]][] = [
    ['http_resp_size', '64k', undefined, undefined, []],
    ['http_resp_size', '32 KB', undefined, undefined, []],
    ['http_resp_sise', '64k', 'param-unknown', 'http_resp_size', ['did you mean']],
    ['HTTP_RESP_SIZE', '64k', 'param-unknown', 'http_resp_size', []],
    ['http-resp-size', '64k', 'param-unknown', 'http_resp_size', []],
    ['sess_timeout', '5', 'param-unknown', 'timeout_idle', []],
    ['pcre_match_limit', '5', 'param-unknown', 'pcre2_match_limit', []],
    ['vcc_feature', '+err_unref', 'param-unknown', undefined, []],
    ['', '5', 'param-unknown', undefined, []],
    ['http_resp_size', '12q', 'param-invalid', undefined, ['not a size', 'k, m, g']],
    ['http_resp_size', '64kib', 'param-invalid', '64k', []],
    ['http_resp_size', '128', 'param-invalid', '256', ['minimum', '256 bytes']],
    ['http_resp_size', '0.1k', 'param-invalid', '0.25k', []],
    ['workspace_thread', '9k', 'param-invalid', '8k', ['maximum', '8k (8192 bytes)']],
    ['vsl_space', '4097M', 'param-invalid', '4096M', []],
    ['thread_pool_stack', '8k', 'param-invalid', '16k', []],
    ['h2_initial_window_size', '2147483648b', 'param-invalid', '2147483647b', []],
    ['http_req_size', '9999P', undefined, undefined, []],
    ['first_byte_timeout', '2m', undefined, undefined, []],
    ['first_byte_timeout', 'abc', 'param-invalid', undefined, ['number of seconds']],
    ['first_byte_timeout', '-1', 'param-invalid', '0', ['minimum']],
    ['critbit_cooloff', '30', 'param-invalid', '60', ['60 seconds to 254 seconds']],
    ['critbit_cooloff', '254.0009', undefined, undefined, []],
    ['critbit_cooloff', '254.001', 'param-invalid', '254.000', []],
    ['critbit_cooloff', '250.000', undefined, undefined, []],
    ['thread_pool_watchdog', '0.1', undefined, undefined, []],
    ['thread_pool_watchdog', '0.099', 'param-invalid', '0.100', []],
    ['acceptor_sleep_decay', '1.0001', undefined, undefined, []],
    ['acceptor_sleep_decay', '1.001', 'param-invalid', '1.000', []],
    ['gzip_level', '10', 'param-invalid', '9', ['from 0 to 9']],
    ['gzip_level', '1.5', 'param-invalid', '1', ['whole number']],
    ['gzip_level', '4294967296', undefined, undefined, []],
    ['gzip_level', 'unlimited', 'param-invalid', '9', []],
    ['thread_pools', '0', 'param-invalid', '1', ['1 pool to 32 pools']],
    ['clock_skew', 'unlimited', undefined, undefined, []],
    ['http_gzip_support', 'Yes', undefined, undefined, []],
    ['http_gzip_support', '1', 'param-invalid', 'on', ['on or off']],
    ['http_gzip_support', 'enabled', 'param-invalid', 'enable', []],
    ['http_gzip_support', 'ture', 'param-invalid', 'true', []],
    ['feature', '+http2', undefined, undefined, []],
    ['feature', '', undefined, undefined, []],
    ['feature', 'http2', 'param-invalid', '+http2', ['+ or -']],
    ['feature', '+http3', 'param-invalid', '+http2', ['unknown feature bit', 'did you mean']],
    ['feature', '+http2,,+short_panic', 'param-invalid', '+http2,+short_panic', ['empty item']],
    ['feature', 'NONE', 'param-invalid', 'none', []],
    ['debug', 'default', 'param-invalid', undefined, []],
    ['vsl_mask', 'default', undefined, undefined, []],
    ['vsl_mask', '+vcl_trace', undefined, undefined, []],
    ['vsl_mask', 'none', 'param-invalid', undefined, []],
    ['vsl_mask', '+VCL_trac', 'param-invalid', '+VCL_trace', ['VSL tag']],
    ['pool_req', '10,100', 'param-invalid', undefined, ['three fields']],
    ['h2_rxbuf_storage', 'Transient', undefined, undefined, []],
    ['h2_rxbuf_storage', 's0', undefined, undefined, []],
    ['accept_filter', 'on', 'param-invalid', undefined, ['not available on Linux']],
    ['cc_warnings', '', undefined, undefined, []],
  ];
  for (const [name, value, rule, suggestion, words] of table) {
    it(`${name}=${JSON.stringify(value)} -> ${rule ?? 'accepted'}${suggestion ? ` (${suggestion})` : ''}`, () => {
      const p = validateSetting(name, value);
      assert.equal(p?.rule, rule, p?.message);
      assert.equal(p?.suggestion, suggestion, p?.message);
      for (const w of words) assert.ok(p!.message.includes(w), `${p!.message} lacks '${w}'`);
      if (p?.suggestion !== undefined && rule === 'param-invalid') assert.equal(validateSetting(name, p.suggestion), undefined, `suggestion ${p.suggestion} is refused`);
    });
  }

  it('knows the storages given with -s', () => {
    assert.equal(validateSetting('h2_rxbuf_storage', 's0', { storages: [] })?.rule, 'param-invalid');
    assert.equal(validateSetting('h2_rxbuf_storage', 'foo', { storages: ['foo'] }), undefined);
    assert.equal(validateSetting('h2_rxbuf_storage', '', {})?.rule, 'param-invalid');
    assert.equal(validateSetting('accept_filter', 'on', { platform: 'other' }), undefined);
  });

  it('suggests names', () => {
    assert.equal(suggestParamName('thread_pool_minimum'), undefined);
    assert.equal(suggestParamName('thread_pol_min'), 'thread_pool_min');
    assert.equal(suggestParamName('workspace_backnd'), 'workspace_backend');
    assert.equal(suggestParamName('zzz'), undefined);
  });
});

describe('params: relations replayed in order', () => {
  // [settings, [index, related] of each refused one]
  const table: [[string, string][], [number, string][]][] = [
    [[['thread_pool_min', '6000']], [[0, 'thread_pool_max']]],
    [[['thread_pool_max', '10000'], ['thread_pool_min', '6000']], []],
    [[['thread_pool_min', '6000'], ['thread_pool_max', '10000']], [[0, 'thread_pool_max']]],
    [[['thread_pool_max', '99']], [[0, 'thread_pool_min']]],
    [[['thread_pool_min', '10'], ['thread_pool_max', '50']], []],
    [[['thread_pool_max', '50'], ['thread_pool_min', '10']], [[0, 'thread_pool_min']]],
    [[['thread_pool_reserve', '95']], []],
    [[['thread_pool_reserve', '96']], [[0, 'thread_pool_min']]],
    [[['thread_pool_min', '50'], ['thread_pool_reserve', '48']], [[1, 'thread_pool_min']]],
    [[['thread_pool_reserve', '90'], ['thread_pool_min', '50']], []],
    [[['vsl_reclen', '16372']], []],
    [[['vsl_reclen', '16k']], [[0, 'vsl_buffer']]],
    [[['vsl_buffer', '266']], [[0, 'vsl_reclen']]],
    [[['vsl_reclen', '1000'], ['vsl_buffer', '1011']], [[1, 'vsl_reclen']]],
    [[['vsl_buffer', '2k'], ['vsl_reclen', '2036b']], []],
    [[['thread_pool_min', 'abc'], ['thread_pool_max', '1']], [[1, 'thread_pool_min']]],
    [[['http_resp_hdr_len', '64k'], ['http_resp_size', '32k'], ['workspace_backend', '1k']], []],
  ];
  for (const [settings, want] of table) {
    it(`${settings.map(([n, v]) => `${n}=${v}`).join(' ')} -> ${want.length ? want.map(([i, r]) => `#${i} (${r})`).join(', ') : 'accepted'}`, () => {
      assert.deepEqual(checkRelations(settings).map((p) => [p.index, p.related]), want);
      const map = new Map(settings);
      if (map.size === settings.length) assert.deepEqual(checkRelations(map).map((p) => [p.index, p.related]), want);
    });
  }

  it('validateSettings combines both checks in order', () => {
    const problems = validateSettings([
      ['http_resp_size', 'abc'],
      ['thread_pool_min', '6000'],
      ['nosuch', '1'],
    ]);
    assert.deepEqual(problems.map((p) => [p.index, p.rule]), [[0, 'param-invalid'], [1, 'param-invalid'], [2, 'param-unknown']]);
  });
});

describe('params: notes on accepted values', () => {
  const table: [string, string, string | undefined][] = [
    ['first_byte_timeout', '2m', '120'],
    ['first_byte_timeout', '100ms', '0.1'],
    ['first_byte_timeout', '1.5h', '5400'],
    ['first_byte_timeout', '60q', '60'],
    ['first_byte_timeout', '60s', undefined],
    ['first_byte_timeout', '60', undefined],
    ['http_resp_size', '64k', undefined],
    ['first_byte_timeout', 'abc', undefined],
  ];
  for (const [name, value, suggestion] of table) {
    it(`${name}=${value} -> ${suggestion ?? 'no note'}`, () => assert.equal(settingNote(name, value)?.suggestion, suggestion));
  }
});

describe('params: reading values as each release does', () => {
  // [release, type, text, verdict] — verdict: a number (accepted, its value) or 'refused'. Each checked with that release's varnishd.
  const cases: Array<[VarnishVersion, 'bytes' | 'duration' | 'decimal', string, number | 'refused']> = [
    // 6.x reads numbers with exponents, signs and any decimals; a negative size wraps to a huge one.
    ['6.5', 'bytes', '1e5', 100000],
    ['6.5', 'bytes', '+5k', 5120],
    ['6.5', 'bytes', '.5k', 512],
    ['6.5', 'bytes', '5.5', 5],
    ['6.5', 'bytes', '49.1234k', 50302],
    ['6.5', 'bytes', '5k ', 5120],
    ['6.5', 'bytes', '-1', 2 ** 64 - 1],
    ['6.5', 'bytes', '9999999999999999', 9999999999999999],
    ['6.5', 'bytes', '0x10', 'refused'],
    ['6.5', 'bytes', '12q', 'refused'],
    ['6.5', 'duration', '1e2', 100],
    ['6.5', 'duration', '+61', 61],
    ['6.5', 'duration', '1.0005', 1.0005],
    ['6.5', 'duration', '61s', 'refused'],
    ['6.5', 'duration', '0x10', 'refused'],
    ['6.5', 'decimal', '10x', 'refused'],
    // 7.0 and 7.1: structured-field numbers; text after a duration is ignored.
    ['7.1', 'bytes', '1e5', 'refused'],
    ['7.1', 'bytes', '5.5', 'refused'],
    ['7.1', 'duration', '2m', 2],
    ['7.1', 'duration', '1.0005', 1],
    ['7.1', 'decimal', '10x', 10],
    // 7.2 and later: a duration takes a unit; other text is refused, as after a decimal.
    ['7.7', 'duration', '2m', 120],
    ['7.7', 'duration', '1.5h', 5400],
    ['7.7', 'duration', '10 ms', 0.01],
    ['9.0', 'duration', '10ms ', 0.01],
    ['9.0', 'duration', '10. s', 10],
    ['9.0', 'duration', '10S', 'refused'],
    ['9.0', 'duration', '5q', 'refused'],
    ['9.0', 'duration', '1e2', 'refused'],
    ['9.0', 'decimal', '1s', 'refused'],
    ['9.0', 'decimal', ' 0.5 ', 0.5],
  ];
  for (const [version, kind, text, want] of cases) {
    it(`${version} ${kind} ${JSON.stringify(text)} -> ${want}`, () => {
      const syntax = valueSyntax(version);
      const r = kind === 'bytes' ? parseBytes(text, syntax) : kind === 'duration' ? parseDuration(text, syntax) : parseDecimal(text, syntax);
      if (want === 'refused') assert.equal(r.ok, false, JSON.stringify(r));
      else {
        assert.ok(r.ok, JSON.stringify(r));
        const value = typeof r.value === 'number' ? r.value : r.value.seconds;
        assert.ok(Math.abs(value - want) <= Math.abs(want) * 1e-12, `${value}`);
      }
    });
  }

  // [release, parameter, value, accepted] for lists and bit words
  const lists: Array<[VarnishVersion, string, string, boolean]> = [
    ['6.5', 'debug', '+vcl_keep,', true],
    ['6.5', 'debug', '+vcl_keep , -lurker', false],
    ['6.5', 'debug', '"+vcl_keep" "-lurker"', true],
    ['6.5', 'debug', 'none,+vcl_keep', false],
    ['7.1', 'debug', '+vcl_keep,', false],
    ['7.1', 'debug', '+vcl_keep , -lurker', true],
    ['7.1', 'debug', '"+vcl_keep" "-lurker"', false],
    ['7.1', 'debug', 'default', false],
    ['7.7', 'debug', '"+vcl_keep",', true],
    ['7.7', 'debug', '"+vcl_keep" "-lurker"', true],
    ['9.0', 'debug', '"+vcl_keep""-lurker"', false],
    ['9.0', 'debug', 'none,+vcl_keep', true],
    ['9.0', 'debug', 'all,-vcl_keep', true],
    ['9.0', 'debug', 'default', true],
    ['9.0', 'debug', '+vcl_keep,default', false],
    ['9.0', 'debug', 'NONE', false],
    ['9.0', 'vsl_mask', 'none,-Debug', true],
    ['7.7', 'pool_req', '"10",100,10', true],
    ['7.1', 'pool_req', '"10",100,10', false],
    ['6.5', 'pool_req', '10,100,10x', false],
    ['7.1', 'pool_req', '10,100,10x', true],
    ['9.0', 'pool_req', '10,100,10x', false],
  ];
  for (const [version, name, value, accepted] of lists) {
    it(`${version} ${name}=${value}: ${accepted ? 'accepted' : 'refused'}`, () => {
      assert.equal(validateSetting(name, value, { version }) === undefined, accepted);
    });
  }

  // [release, parameter, value, accepted] for words and limits only some releases have
  // (7.5 and 8.0 are derived: they follow from the changes dated in Varnish's sources)
  const special: Array<[VarnishVersion, string, string, boolean]> = [
    ['7.1', 'first_byte_timeout', 'never', false],
    ['7.5', 'first_byte_timeout', 'never', true],
    ['9.0', 'first_byte_timeout', 'never', true],
    ['9.0', 'idle_send_timeout', 'never', true],
    ['9.0', 'default_ttl', 'never', false],
    ['9.0', 'first_byte_timeout', 'NEVER', false],
    ['7.7', 'http_req_overflow_status', '0', true],
    ['7.7', 'http_req_overflow_status', '4294967296', false],
    ['7.7', 'http_req_overflow_status', '500', false],
    ['8.0', 'http_req_overflow_status', '500', true],
    ['6.5', 'accept_filter', 'on', true],
    ['7.1', 'accept_filter', 'on', false],
    ['6.5', 'thread_pool_stack', '15k', false],
    ['6.5', 'thread_pools', '33', false],
  ];
  for (const [version, name, value, accepted] of special) {
    it(`${version} ${name}=${value}: ${accepted ? 'accepted' : 'refused'}`, () => {
      assert.equal(validateSetting(name, value, { version }) === undefined, accepted);
    });
  }

  it('replays order-dependent limits with the release\'s own readers', () => {
    // 6.5 reads -1 as a huge size: above vsl_buffer - 12.
    assert.deepEqual(checkRelations([['vsl_reclen', '-1']], '6.5').map((p) => p.related), ['vsl_buffer']);
    assert.deepEqual(checkRelations([['vsl_reclen', '-1']], '7.1'), []);
  });
});
