/**
 * Differential tests: parameter validation against the real varnishd of
 * each checked release.
 *
 * For every parameter, a generated set of values (test/params/param-cases.ts:
 * default, limits, just outside the limits, unit spellings, garbage, empty,
 * negative, every boolean spelling, valid and unknown bits, ...) is given to
 * both validateSettings (with that release selected) and the release's
 * varnishd; the verdicts must agree (accepted, or refused as unknown name /
 * invalid value, on the same setting). A few multi-setting command lines
 * check the order-dependent limits.
 *
 * Varnish 7.1: the installed varnishd, every value. Values that we predict
 * accepted are given to `varnishd -C -f probe.vcl -n FRESH -p ...` in batches
 * of independent settings: varnishd reads every `-p` on its own as it meets
 * it, so a batch that passes proves that each of its values is accepted; a
 * batch that fails is re-run one value at a time. Values of a parameter that
 * moves another's limits (thread_pool_*, vsl_buffer/vsl_reclen) or the VCL
 * build (cc_command, cc_warnings) are only batched with values of the same
 * parameter. A refused `-p` ends the process, so the other command lines
 * (a thousand, mostly refused) go to one `varnishd -d` as `param.set`
 * commands (test/helpers/varnishd-cli.ts), which run the same function as
 * `-p`, with every parameter reset after each question; a sample of them is
 * also run as `-C -p` command lines, and both answers must be the same.
 * Command lines with options before the settings (`-s`) always run whole.
 * PARAMS_DIFF_SINGLE=1 runs every value alone as `-C -p` (slow: about ten
 * minutes).
 *
 * 6.5, 7.7 and Vinyl Cache 9.0: their compilers `vcc-<version>` (see
 * test/helpers/oracles.ts), at most two at a time. Each call costs about
 * half a second, refused or not, so a run asks about every value we predict
 * accepted in a few long command lines (test/helpers/oracle-settings.ts) and
 * about a fixed sample of the refused ones (param-cases.ts sampleCases);
 * every parameter of the release is covered. PARAMS_DIFF_ALL=1 tries every
 * value (several minutes per release); docs/params.md gives those numbers.
 */
import assert from 'node:assert/strict';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { allParams, paramVersions } from '../../server/src/facts/params.js';
import { DEFAULT_VARNISH_VERSION, type VarnishVersion } from '../../server/src/facts/versions.js';
import { validateSettings } from '../../server/src/params/validate.js';
import { projectRoot } from '../conformance/corpus.js';
import { findVarnishd } from '../helpers/varnishd.js';
import { classifyRun, settingsAccepted, VarnishdCompiler, type SettingsVerdict } from '../helpers/varnishd-async.js';
import { OracleSettings } from '../helpers/oracle-settings.js';
import { VarnishdCli } from '../helpers/varnishd-cli.js';
import { oracleMissing, oraclePath } from '../helpers/oracles.js';
import { skipBecause } from '../helpers/skip.js';
import { ALONE, generateCases, sampleCases, type Case } from './param-cases.js';

/**
 * Parameters whose check depends on what varnishd set up after reading its
 * `-p` options: `h2_rxbuf_storage` names a storage, and the default storage
 * `s0` exists in a running varnishd but not yet while `-p` is read. Asked
 * only as whole `-C -p` command lines.
 */
const AT_START_UP = new Set(['h2_rxbuf_storage']);

interface Ours {
  accepted: boolean;
  kind?: 'unknown' | 'invalid';
  index?: number;
  message?: string;
}

function ours(c: Case, version: VarnishVersion): Ours {
  const problems = validateSettings(c.settings, { ...c.options, version });
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

/** The disagreements of a run, one line each. */
function disagreements(cases: readonly Case[], predictions: readonly Ours[], verdicts: readonly (SettingsVerdict | undefined)[], compiler: string): string[] {
  const out: string[] = [];
  cases.forEach((c, i) => {
    const mine = predictions[i]!;
    const theirs = verdicts[i]!;
    if (agree(c, mine, theirs)) return;
    const vd = settingsAccepted(theirs) ? `accepts (${theirs.kind})` : `refuses${theirs.name !== undefined ? ` ${theirs.name}` : ''} as ${theirs.kind}: ${theirs.message}`;
    const we = mine.accepted ? 'we accept' : `we refuse setting #${mine.index} as ${mine.kind}: ${mine.message}`;
    out.push(`${show(c)} [${c.why}]: ${compiler} ${vd}; ${we}`);
  });
  return out;
}

describe('parameters: agreement with varnishd -C -p (differential)', function () {
  this.timeout(600_000);
  const version = DEFAULT_VARNISH_VERSION;
  const cases = generateCases(version);
  const varnishd = findVarnishd();
  if (!varnishd) {
    it(`varnishd not found: ${cases.length} parameter comparisons not run`, function () {
      skipBecause(this, 'varnishd not found');
    });
    return;
  }

  it('covers every parameter with its default, an invalid value and, where it has limits, values outside them', () => {
    for (const fact of allParams(version)) {
      const mine = cases.filter((c) => c.settings.length === 1 && c.settings[0]![0] === fact.name).map((c) => c.settings[0]![1]);
      assert.ok(mine.includes('abc') && mine.includes(''), `${fact.name}: no invalid value`);
      if (!fact.default.platform) assert.ok(mine.includes(fact.default.text.split(' (')[0]!), `${fact.name}: no default`);
      if (fact.min?.value !== undefined && fact.type !== 'bits') assert.ok(mine.length >= 8, `${fact.name}: too few values`);
    }
  });

  it(`agrees with varnishd ${version} on ${cases.length} command lines for ${allParams(version).length} parameters`, async () => {
    const started = Date.now();
    const concurrency = Math.max(2, Math.min(4, cpus().length));
    // The probe program: the settings are what is asked, so VCC stops at once after reading them.
    const compiler = new VarnishdCompiler(varnishd, 'PROBE', concurrency);
    const cli = new VarnishdCli(varnishd);
    try {
      const single = process.env.PARAMS_DIFF_SINGLE === '1';
      const predictions = cases.map((c) => ours(c, version));
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
      let asked = 0;
      /** The sample asked both ways: each parameter's first command line asked through the CLI, and every 16th. */
      const both: { i: number; cli: SettingsVerdict; whole: SettingsVerdict }[] = [];
      const seen = new Set<string>();
      const runWhole = async (i: number) => {
        runs++;
        return compiler.runSettings(cases[i]!.settings, cases[i]!.before);
      };
      const runOne = async (i: number) => {
        if (single || cases[i]!.before || cases[i]!.settings.some(([n]) => AT_START_UP.has(n))) {
          verdicts[i] = await runWhole(i);
          return;
        }
        const { answer } = await cli.ask(cases[i]!.settings);
        // The CLI's text is what varnishd writes to stderr when a -p is refused.
        const v = answer.status === 200 ? { kind: 'accepted' as const, message: '', exitCode: 0 } : classifyRun(2, answer.body);
        verdicts[i] = v;
        const first = !seen.has(cases[i]!.settings[0]![0]);
        seen.add(cases[i]!.settings[0]![0]);
        if (asked++ % 16 === 0 || first) both.push({ i, cli: v, whole: await runWhole(i) });
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

      // param.set and -p must be the same question: the sample's answers agree in kind and in the setting refused.
      const same = (v: SettingsVerdict) => `${settingsAccepted(v) ? 'accepted' : v.kind} ${v.name ?? ''} ${v.value ?? ''}`;
      const differ = both.filter(({ cli, whole }) => same(cli) !== same(whole)).map(({ i, cli, whole }) => `${show(cases[i]!)}: param.set ${same(cli)}, -C -p ${same(whole)}`);
      assert.deepEqual(differ, [], 'param.set and -p answer differently');
      assert.ok(both.length >= 100 || single, `only ${both.length} command lines asked both ways`);

      const found = disagreements(cases, predictions, verdicts, 'varnishd');
      const agreed = cases.length - found.length;
      const pct = ((100 * agreed) / cases.length).toFixed(2);
      const accepted = verdicts.filter((v) => v && settingsAccepted(v)).length;
      console.log(
        `    ${agreed}/${cases.length} agree (${pct}%): ${accepted} accepted, ${cases.length - accepted} refused by varnishd; ` +
          `${runs} varnishd runs (${batches.length} batches, ${failedBatches} re-run one by one), ${concurrency} at a time; ` +
          `${asked} command lines as ${cli.commands} CLI commands, ${both.length} of them also as varnishd runs; ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      assert.deepEqual(found, [], `${found.length} disagreements with varnishd`);
    } finally {
      compiler.dispose();
      cli.dispose();
    }
  });
});

/**
 * The other checked releases, each against its own compiler. 7.1 is
 * covered above by the installed varnishd (the same release as vcc-7.1).
 */
for (const version of ['6.5', '7.7', '9.0'] as const satisfies readonly VarnishVersion[]) {
  describe(`parameters: agreement with vcc-${version} (differential)`, function () {
    this.timeout(900_000);
    const all = process.env['PARAMS_DIFF_ALL'] === '1';
    const cases = generateCases(version);
    const predictions = new Map(cases.map((c) => [c, ours(c, version)] as const));
    const tried = all ? cases : sampleCases(cases, (c) => predictions.get(c)!.accepted, version, DEFAULT_VARNISH_VERSION, (n) => paramVersions(n).length > 0);
    const missing = oracleMissing(version);
    if (missing) {
      it(`${missing}: ${tried.length} parameter comparisons for ${version} not run`, function () {
        skipBecause(this, missing);
      });
      return;
    }

    it(`tries every parameter of ${version}, each with at least its default`, () => {
      for (const fact of allParams(version)) {
        const mine = tried.filter((c) => c.settings.length === 1 && c.settings[0]![0] === fact.name);
        assert.ok(mine.length > 0, `${fact.name}: not tried`);
        if (!fact.default.platform && fact.default.text !== 'defined when Varnish is built') {
          assert.ok(mine.some((c) => c.why === 'default'), `${fact.name}: default not tried`);
        }
      }
    });

    it(`agrees with vcc-${version} on ${all ? 'every value' : 'a sample'}: ${tried.length} of ${cases.length} command lines`, async () => {
      const started = Date.now();
      const oracle = new OracleSettings(oraclePath(version), 2);
      try {
        const verdicts = new Map<Case, SettingsVerdict>();
        // Independent single settings: a few long command lines (each refusal costs one more run).
        const single = tried.filter((c) => c.settings.length === 1 && !c.before);
        const groups = new Map<string, Case[]>();
        single.forEach((c, i) => {
          const name = c.settings[0]![0];
          // Two groups of independent settings keep both compiler slots busy.
          const key = ALONE.has(name) ? name : `shared-${i % 2}`;
          groups.set(key, [...(groups.get(key) ?? []), c]);
        });
        await Promise.all([
          ...[...groups.values()].map(async (group) => {
            const vs = await oracle.each(group.map((c) => c.settings[0]!));
            group.forEach((c, i) => verdicts.set(c, vs[i]!));
          }),
          ...tried.filter((c) => !single.includes(c)).map(async (c) => verdicts.set(c, await oracle.run(c.settings, c.before))),
        ]);
        const found = disagreements(tried, tried.map((c) => predictions.get(c)!), tried.map((c) => verdicts.get(c)), `vcc-${version}`);
        const accepted = tried.filter((c) => settingsAccepted(verdicts.get(c)!)).length;
        console.log(
          `    ${tried.length - found.length}/${tried.length} agree: ${accepted} accepted, ${tried.length - accepted} refused by vcc-${version}; ` +
            `${oracle.runs} compiler runs, 2 at a time, ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
        assert.deepEqual(found, [], `${found.length} disagreements with vcc-${version}`);
      } finally {
        oracle.dispose();
      }
    });
  });
}
