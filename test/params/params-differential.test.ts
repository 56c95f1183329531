/**
 * Differential test: for every varnishd parameter, a generated set of values
 * (default, limits, just outside the limits, unit spellings, garbage, empty,
 * negative, every boolean spelling, valid and unknown bits, ...) is given to
 * both validateSetting/validateSettings and the installed
 * `varnishd -C -f minimal.vcl -n FRESH -p name=value`; the verdicts must agree
 * (accepted, or refused as unknown name / invalid value, on the same setting).
 * A few multi-setting command lines check the order-dependent limits.
 *
 * Speed: a refused value makes varnishd stop within milliseconds, but an
 * accepted one costs a full VCL compile (~0.3 s). So values that we predict
 * accepted are checked in batches of independent settings: varnishd reads
 * every `-p` on its own as it meets it, so a batch that passes proves that
 * each of its values is accepted; a batch that fails is re-run one value at a
 * time. Values of a parameter that moves another's limits (thread_pool_*,
 * vsl_buffer/vsl_reclen) or the VCL build (cc_command, cc_warnings) are only
 * batched with values of the same parameter. PARAMS_DIFF_SINGLE=1 runs every
 * value alone (slow: about ten minutes).
 */
import assert from 'node:assert/strict';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { allParams, type ParamFact } from '../../server/src/facts/params.js';
import { formatBytes } from '../../server/src/params/units.js';
import { validateSettings, type ValidateOptions } from '../../server/src/params/validate.js';
import { projectRoot } from '../conformance/corpus.js';
import { findVarnishd } from '../helpers/varnishd.js';
import { settingsAccepted, VarnishdCompiler, type SettingsVerdict } from '../helpers/varnishd-async.js';
import { skipBecause } from '../helpers/skip.js';

interface Case {
  /** Settings in command-line order. */
  settings: [string, string][];
  /** Extra varnishd arguments before the settings (e.g. `-s`). */
  before?: string[];
  options?: ValidateOptions;
  /** Why this value is in the set, for reports. */
  why: string;
}

/** Parameters that move another parameter's limits or the VCL build: never batched with others. */
const ALONE = new Set(['cc_command', 'cc_warnings', 'thread_pool_min', 'thread_pool_max', 'thread_pool_reserve', 'vsl_buffer', 'vsl_reclen']);

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
function valuesFor(fact: ParamFact, seed: number): [string, string][] {
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

function generateCases(): Case[] {
  const cases: Case[] = [];
  allParams().forEach((fact, i) => {
    for (const [value, why] of valuesFor(fact, i)) cases.push({ settings: [[fact.name, value]], options: { storages: [] }, why });
  });
  for (const name of ['http_resp_sise', 'HTTP_RESP_SIZE', 'http-resp-size', 'sess_timeout', 'shm_reclen', 'vcc_feature', 'nosuch', '', ' http_resp_size']) {
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

interface Ours {
  accepted: boolean;
  kind?: 'unknown' | 'invalid';
  index?: number;
  message?: string;
}

function ours(c: Case): Ours {
  const problems = validateSettings(c.settings, c.options);
  if (!problems.length) return { accepted: true };
  const p = problems[0]!;
  return { accepted: false, kind: p.rule === 'param-unknown' ? 'unknown' : 'invalid', index: p.index, message: p.message };
}

/** Which setting varnishd refused, as an index into the case's settings. */
function refusedIndex(c: Case, v: SettingsVerdict): number | undefined {
  for (let i = 0; i < c.settings.length; i++) {
    const [n, val] = c.settings[i]!;
    if (n === v.name && (v.value === undefined || v.value === val)) return i;
  }
  return undefined;
}

function agree(c: Case, mine: Ours, theirs: SettingsVerdict): boolean {
  if (theirs.kind === 'other') return false;
  if (mine.accepted) return settingsAccepted(theirs);
  if (settingsAccepted(theirs)) return false;
  return mine.kind === theirs.kind && mine.index === refusedIndex(c, theirs);
}

function show(c: Case): string {
  return [...(c.before ?? []), ...c.settings.map(([n, v]) => `-p ${JSON.stringify(`${n}=${v}`)}`)].join(' ');
}

describe('parameters: agreement with varnishd -C -p (differential)', function () {
  this.timeout(600_000);
  const cases = generateCases();
  const varnishd = findVarnishd();
  if (!varnishd) {
    it(`varnishd not found: ${cases.length} parameter comparisons not run`, function () {
      skipBecause(this, 'varnishd not found');
    });
    return;
  }

  it('covers every parameter with its default, an invalid value and, where it has limits, values outside them', () => {
    for (const fact of allParams()) {
      const mine = cases.filter((c) => c.settings.length === 1 && c.settings[0]![0] === fact.name).map((c) => c.settings[0]![1]);
      assert.ok(mine.includes('abc') && mine.includes(''), `${fact.name}: no invalid value`);
      if (!fact.default.platform) assert.ok(mine.includes(fact.default.text.split(' (')[0]!), `${fact.name}: no default`);
      if (fact.min?.value !== undefined && fact.type !== 'bits') assert.ok(mine.length >= 8, `${fact.name}: too few values`);
    }
  });

  it(`agrees with varnishd on ${cases.length} command lines for ${allParams().length} parameters`, async () => {
    const started = Date.now();
    const concurrency = Math.max(2, Math.min(4, cpus().length));
    const compiler = new VarnishdCompiler(varnishd, join(projectRoot, 'test/fixtures/params/minimal.vcl'), concurrency);
    try {
      const single = process.env.PARAMS_DIFF_SINGLE === '1';
      const predictions = cases.map(ours);
      const verdicts: (SettingsVerdict | undefined)[] = new Array(cases.length);
      // Batches of single settings we predict accepted: independent
      // parameters together; a parameter whose value moves another's limit
      // only with its own values (setting it never changes its own limits).
      const batchable = cases
        .map((c, i) => i)
        .filter((i) => !single && predictions[i]!.accepted && cases[i]!.settings.length === 1 && !cases[i]!.before);
      const groups = new Map<string, number[]>();
      for (const i of batchable) {
        const name = cases[i]!.settings[0]![0];
        const key = ALONE.has(name) ? name : '';
        groups.set(key, [...(groups.get(key) ?? []), i]);
      }
      const batches: number[][] = [];
      for (const group of groups.values()) for (let i = 0; i < group.length; i += 40) batches.push(group.slice(i, i + 40));
      const inBatch = new Set(batchable);
      let runs = 0;
      let failedBatches = 0;
      const runOne = async (i: number) => {
        runs++;
        verdicts[i] = await compiler.runSettings(cases[i]!.settings, cases[i]!.before);
      };
      await Promise.all([
        ...batches.map(async (batch) => {
          runs++;
          const v = await compiler.runSettings(batch.map((i) => cases[i]!.settings[0]!));
          if (settingsAccepted(v)) for (const i of batch) verdicts[i] = v;
          else {
            failedBatches++;
            await Promise.all(batch.map(runOne));
          }
        }),
        ...cases.map((_, i) => i).filter((i) => !inBatch.has(i)).map(runOne),
      ]);

      const disagreements: string[] = [];
      cases.forEach((c, i) => {
        const mine = predictions[i]!;
        const theirs = verdicts[i]!;
        if (agree(c, mine, theirs)) return;
        const vd = settingsAccepted(theirs) ? `accepts (${theirs.kind})` : `refuses${theirs.name !== undefined ? ` ${theirs.name}` : ''} as ${theirs.kind}: ${theirs.message}`;
        const we = mine.accepted ? 'we accept' : `we refuse setting #${mine.index} as ${mine.kind}: ${mine.message}`;
        disagreements.push(`${show(c)} [${c.why}]: varnishd ${vd}; ${we}`);
      });
      const agreed = cases.length - disagreements.length;
      const pct = ((100 * agreed) / cases.length).toFixed(2);
      const accepted = verdicts.filter((v) => v && settingsAccepted(v)).length;
      console.log(
        `    ${agreed}/${cases.length} agree (${pct}%): ${accepted} accepted, ${cases.length - accepted} refused by varnishd; ` +
          `${runs} varnishd runs (${batches.length} batches, ${failedBatches} re-run one by one), ${concurrency} at a time, ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      assert.deepEqual(disagreements, [], `${disagreements.length} disagreements with varnishd`);
    } finally {
      compiler.dispose();
    }
  });
});
