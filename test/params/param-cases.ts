/**
 * The parameter values the differential tests try, per release: for every
 * parameter its default, its limits as written and in base units, one unit
 * below and above, spellings of units and numbers, garbage, empty, negative,
 * every boolean spelling, words and valid/unknown bits; then unknown names,
 * order-dependent sequences and `-s` before `h2_rxbuf_storage`.
 */
import { allParams, type ParamFact } from '../../server/src/facts/params.js';
import type { VarnishVersion } from '../../server/src/facts/versions.js';
import { formatBytes } from '../../server/src/params/units.js';
import type { ValidateOptions } from '../../server/src/params/validate.js';

export interface Case {
  /** Settings in command-line order. */
  settings: [string, string][];
  /** Extra varnishd arguments before the settings (e.g. `-s`). */
  before?: string[];
  options?: ValidateOptions;
  /** Why this value is in the set, for reports. */
  why: string;
}

/** Parameters that move another parameter's limits or the VCL build: never batched with others. */
export const ALONE = new Set(['cc_command', 'cc_warnings', 'thread_pool_min', 'thread_pool_max', 'thread_pool_reserve', 'vsl_buffer', 'vsl_reclen']);

/** Stable pick of `n` items from a list, varying with `seed`. */
function pick<T>(list: readonly T[], seed: number, n: number): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.min(n, list.length); i++) out.push(list[(seed * 7 + i * 13) % list.length]!);
  return [...new Set(out)];
}

function limitNumber(fact: ParamFact, which: 'min' | 'max'): number | undefined {
  return fact[which]?.value;
}

/** The values tried for one parameter. */
export function valuesFor(fact: ParamFact, seed: number): [string, string][] {
  const v: [string, string][] = [];
  const add = (value: string, why: string) => v.push([value, why]);
  const def = fact.default.text.split(' (')[0]!;
  if (!fact.default.platform) add(def, 'default');
  add('', 'empty');
  add('abc', 'garbage');
  add('12q', 'bad unit');
  add('-1', 'negative');
  const lo = limitNumber(fact, 'min');
  const hi = limitNumber(fact, 'max');
  switch (fact.type) {
    case 'bytes': {
      if (fact.min) add(fact.min.text, 'minimum as written');
      if (fact.max) add(fact.max.text, 'maximum as written');
      if (lo !== undefined) add(String(lo), 'minimum in bytes');
      if (lo !== undefined && lo > 0) add(`${lo - 1}`, 'minimum - 1 byte');
      if (lo !== undefined && lo > 0) add(`${lo - 1}b`, 'minimum - 1 byte, b suffix');
      if (hi !== undefined) add(`${hi}`, 'maximum in bytes');
      if (hi !== undefined) add(`${hi + 1}`, 'maximum + 1 byte');
      if (hi !== undefined) add(formatBytes(hi * 2), 'twice the maximum');
      const base = Math.max(lo ?? 0, fact.default.value as number);
      const k = Math.ceil(base / 1024) + 1;
      const spellings = [`${k}k`, `${k}K`, `${k}kb`, `${k}KB`, `${k}kB`, `${k} k`, ` ${k}k`, `${k}k `, `${k}.5k`, `${k}.125k`, `${k}.1234k`, `${k}kib`, `${k}KiB`, `${k}kk`, `+${k}k`, `0x${k}`, `${k}e3`, `${k}.5`, `${k}.`, `.5k`, `${k} . 5k`, `${k} .5k`, '-0'];
      for (const s of pick(spellings, seed, 7)) add(s, 'size spelling');
      add(hi === undefined ? '1M' : '1m', 'megabytes');
      add(hi === undefined ? '1g' : '1G', 'gigabytes');
      if (hi === undefined) add('9999P', 'huge');
      add('9999999999999999', '16 digits');
      break;
    }
    case 'duration':
    case 'double': {
      if (fact.min) add(fact.min.text, 'minimum as written');
      if (fact.max) add(fact.max.text, 'maximum as written');
      if (lo !== undefined) add((lo - 0.001).toFixed(3), 'minimum - 1 ms');
      if (lo !== undefined) add((lo - 0.0001).toFixed(4), 'minimum - 0.1 ms (below resolution)');
      if (hi !== undefined) add((hi + 0.001).toFixed(3), 'maximum + 1 ms');
      if (hi !== undefined) add((hi + 0.0005).toFixed(4), 'maximum + 0.5 ms (below resolution)');
      const base = Math.max(lo ?? 0, typeof fact.default.value === 'number' ? fact.default.value : lo ?? 1);
      const n = Math.floor(base) + 1;
      const spellings = [`${n}s`, `${n}m`, `${n}ms`, `${n}h`, `${n}q`, `${n} s`, ` ${n}`, `${n} `, `${n}.5`, `${n}.`, `.5`, `-.5`, `- 5`, `${n}e2`, `0x${n}`, `+${n}`, '-0', `${n}.1234`, '1234567890123', '123456789012', `${n} 5`, '.', '-'];
      for (const s of pick(spellings, seed, 8)) add(s, 'duration spelling');
      // Read differently across releases: units from 7.2, `never` for timeouts from 7.5.
      for (const s of ['never', 'NEVER', '2m', '1.5m', '100ms', '5q']) add(s, 'unit or never');
      if (hi === undefined) add('999999', 'large');
      break;
    }
    case 'uint': {
      if (lo !== undefined) add(String(lo), 'minimum');
      if (lo !== undefined && lo > 0) add(String(lo - 1), 'minimum - 1');
      if (hi !== undefined) add(String(hi), 'maximum');
      if (hi !== undefined) add(String(hi + 1), 'maximum + 1');
      const n = Math.max(lo ?? 0, typeof fact.default.value === 'number' ? fact.default.value : 0) + 1;
      const spellings = ['unlimited', 'UNLIMITED', `0x${n.toString(16)}`, `0${n.toString(8)}`, '08', ` ${n}`, `${n} `, `${n}.5`, `${n}.0`, `${n}k`, `+${n}`, '4294967296', `${4294967296 + n}`, '99999999999999999999999', '0x', `-${4294967296 - n}`];
      for (const s of pick(spellings, seed, 8)) add(s, 'integer spelling');
      break;
    }
    case 'bool':
      for (const s of ['on', 'off', 'true', 'false', 'yes', 'no', 'enable', 'disable', 'ON', 'Off', 'TRUE', 'Yes', 'Enable', 'DISABLE', '1', '0', 'y', 'enabled', ' on', 'on ']) add(s, 'boolean spelling');
      break;
    case 'bits': {
      const bits = fact.bits!;
      for (const w of bits.words) add(w, 'word');
      for (const w of ['none', 'default', 'all', 'NONE', 'Default']) if (!bits.words.includes(w)) add(w, 'word not of this set');
      const names = pick(bits.names, seed, 3);
      const [a, b = a] = names as [string, string?];
      for (const n of names) {
        add(`+${n}`, 'valid bit');
        add(`-${n}`, 'valid bit, cleared');
      }
      add(`+${a!.toUpperCase()}`, 'valid bit, upper case');
      add(a!, 'bit without sign');
      add('+nosuchbit', 'unknown bit');
      add(`+${a}x`, 'bit with a typo');
      add(`+${a},-${b}`, 'two bits');
      add(`+${a} -${b}`, 'two bits, blank separated');
      add(`+${a} , -${b}`, 'two bits, blank and comma');
      add(`+${a},,-${b}`, 'empty item');
      add(`+${a},`, 'trailing comma');
      add(`,+${a}`, 'leading comma');
      add(`"+${a}"`, 'quoted bit');
      add(`"+${a}" "-${b}"`, 'quoted bits, no separator');
      add(`"+${a}`, 'open quote');
      add(`+${a}\\`, 'lone backslash');
      add(`+${a}\\x41`, 'escape');
      add(`none,+${a}`, 'word in a list');
      add(' ', 'blank');
      break;
    }
    case 'pool':
      for (const s of ['10,100,10', '10, 100, 10', '10 100 10', '10,100', '10,100,10,5', '100,10,10', '10,100,10.5', '10,100,1000000', '10,100,1000001', '10,100,-1', '10,100,abc', '0,0,0', '10,0x64,10', '"10",100,10', 'unlimited,unlimited,1', '-1,5,1', '10,100,10x']) add(s, 'pool spelling');
      break;
    case 'storage':
      for (const s of ['Transient', 'transient', 's0', 'foo']) add(s, 'storage name');
      break;
    case 'string':
      for (const s of ['x', '/nonexistent', 'a b']) add(s, 'string');
      break;
  }
  // Deduplicate, keeping the first reason.
  const seen = new Set<string>();
  return v.filter(([value]) => !seen.has(value) && seen.add(value) !== undefined) as [string, string][];
}

/**
 * Every command line tried for `version`: each parameter's values on their
 * own, names unknown in some or all releases, order-dependent sequences
 * and `-s` before `h2_rxbuf_storage`.
 */
export function generateCases(version: VarnishVersion): Case[] {
  const cases: Case[] = [];
  allParams(version).forEach((fact, i) => {
    for (const [value, why] of valuesFor(fact, i)) cases.push({ settings: [[fact.name, value]], options: { storages: [] }, why });
  });
  for (const name of ['http_resp_sise', 'HTTP_RESP_SIZE', 'http-resp-size', 'sess_timeout', 'shm_reclen', 'vcc_feature', 'nosuch', '', ' http_resp_size', 'pcre_match_limit', 'pcre2_match_limit', 'vcc_acl_pedantic', 'esi_iovs', 'uncacheable_ttl']) {
    cases.push({ settings: [[name, '1']], why: 'unknown name' });
  }
  // Order-dependent limits.
  const seqs: [string, string][][] = [
    [['thread_pool_max', '10000'], ['thread_pool_min', '6000']],
    [['thread_pool_min', '6000'], ['thread_pool_max', '10000']],
    [['thread_pool_min', '10'], ['thread_pool_max', '50']],
    [['thread_pool_max', '50'], ['thread_pool_min', '10']],
    [['thread_pool_min', '50'], ['thread_pool_reserve', '47']],
    [['thread_pool_min', '50'], ['thread_pool_reserve', '48']],
    [['thread_pool_reserve', '90'], ['thread_pool_min', '50']],
    [['thread_pool_min', '200'], ['thread_pool_reserve', '190'], ['thread_pool_min', '10']],
    [['thread_pool_max', 'unlimited'], ['thread_pool_min', '4294967295'], ['thread_pool_reserve', '4']],
    [['thread_pool_max', 'unlimited'], ['thread_pool_min', '4294967295'], ['thread_pool_reserve', '5']],
    [['vsl_reclen', '1000'], ['vsl_buffer', '1011']],
    [['vsl_reclen', '1000'], ['vsl_buffer', '1012']],
    [['vsl_buffer', '500'], ['vsl_reclen', '488']],
    [['vsl_buffer', '500'], ['vsl_reclen', '489']],
    [['vsl_buffer', '2k'], ['vsl_reclen', '2036b']],
    [['thread_pool_min', 'abc'], ['thread_pool_max', '1']],
    [['http_resp_hdr_len', '64k'], ['http_resp_size', '32k'], ['workspace_backend', '1k']],
    [['http_req_size', '200k'], ['workspace_client', '9k']],
    [['gzip_level', '1'], ['gzip_level', '10']],
  ];
  for (const s of seqs) cases.push({ settings: s, why: 'sequence' });
  cases.push({ settings: [['h2_rxbuf_storage', 'foo']], before: ['-s', 'foo=malloc,10m'], options: { storages: ['foo'] }, why: 'storage given before' });
  cases.push({ settings: [['h2_rxbuf_storage', 's0']], before: ['-s', 'malloc,10m'], options: { storages: ['s0'] }, why: 'unnamed storage' });
  return cases;
}


/** Refusals always tried for a release other than 7.1: names and limits that differ between releases. */
const MUST_REFUSE_MAX = 14;
/** Refusals tried per release in the default (sampled) run, the must-haves included. */
export const SAMPLED_REFUSALS = 60;

/**
 * The cases of a sampled run for `version`: every single setting we predict
 * accepted (they cost a few compiler runs in all, see OracleSettings.each),
 * and a fixed sample of the rest, each of which costs one run: first the
 * names that only some releases know and the limits of parameters whose
 * range differs from `reference`'s, then every n-th remaining case in
 * order, up to {@link SAMPLED_REFUSALS}. Deterministic: the same cases every run.
 */
export function sampleCases(cases: readonly Case[], predictedAccepted: (c: Case) => boolean, version: VarnishVersion, reference: VarnishVersion, knownSomewhere: (name: string) => boolean): Case[] {
  const accepted = cases.filter((c) => c.settings.length === 1 && !c.before && predictedAccepted(c));
  const rest = cases.filter((c) => !accepted.includes(c));
  const differs = (name: string): boolean => {
    const a = allParams(version).find((p) => p.name === name);
    const b = allParams(reference).find((p) => p.name === name);
    return !!a && (!b || JSON.stringify([a.min, a.max, a.type]) !== JSON.stringify([b.min, b.max, b.type]));
  };
  const must = rest
    .filter((c) => {
      if (c.settings.length !== 1) return false;
      const [name] = c.settings[0]!;
      const exists = allParams(version).some((p) => p.name === name);
      if (!exists) return knownSomewhere(name);
      return differs(name) && /^(minimum|maximum)/.test(c.why);
    })
    .slice(0, MUST_REFUSE_MAX);
  const others = rest.filter((c) => !must.includes(c));
  const room = Math.max(0, SAMPLED_REFUSALS - must.length);
  const stride = Math.max(1, Math.floor(others.length / Math.max(1, room)));
  const strided = others.filter((_, i) => i % stride === 0).slice(0, room);
  return [...accepted, ...must, ...strided];
}
