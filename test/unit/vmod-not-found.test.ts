/**
 * vmod-not-found: an import the analysis cannot resolve is a warning that
 * names the settings that settle it; a vmod found in the table, on the vmod
 * path or at its `from` path is not reported.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintText } from '../../server/src/service/lint.js';
import { compileTextWithVarnishd, findVarnishd } from '../helpers/varnishd.js';
import { fakeVmod } from '../helpers/fake-vmod.js';

/** A minimal interface: one function. */
const BROTLI = [
  ['$VMOD', '1.0', 'brotli', 'Vmod_vmod_brotli_Func', 'Varnish 7.1.1 7cee1c581bead20e88d101ab3d72afb29f14d87a'],
  ['$FUNC', 'level', [['INT'], 'Vmod_vmod_brotli_Func.level', '']],
];

const V = 'vcl 4.1;\nbackend b { .host = "127.0.0.1"; }\n';
const found = (text: string, vmodPath?: string[]) => lintText(text, { vmodPath }).filter((d) => d.rule === 'vmod-not-found');

describe('vmod-not-found', () => {
  it('warns on an import of a vmod that is neither known nor on the vmod path, naming the settings', () => {
    const [d, ...rest] = found(`${V}import brotli;\n`);
    assert.equal(rest.length, 0);
    assert.equal(d!.severity, 'warning');
    assert.equal(d!.range.start.line, 2);
    assert.match(d!.message, /^vmod 'brotli' was not found on the vmod path \(no vmod path is set; .*\); its calls are not checked\./);
    for (const setting of ['vcl.vmodPath', '"vmodPath" in .vcl-lint.json', '--vmod-path', 'libvmod_brotli.so']) assert.ok(d!.message.includes(setting), `${setting} in: ${d!.message}`);
    assert.match(found(`${V}import brotli;\n`, ['/nowhere/vmods'])[0]!.message, /not found on the vmod path \(\/nowhere\/vmods;/);
  });

  it('is silent for vmods of the table (std, directors, varnish-modules)', () => {
    assert.deepEqual(found(`${V}import std;\nimport directors;\nimport header;\n`), []);
  });

  it('is silent when the vmod path holds the library, and warns on an unreadable `from` path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmod-nf-'));
    try {
      writeFileSync(join(dir, 'libvmod_brotli.so'), fakeVmod(BROTLI));
      assert.deepEqual(found(`${V}import brotli;\n`, [dir]), []);
      assert.deepEqual(found(`${V}import brotli from "${join(dir, 'libvmod_brotli.so')}";\n`), []);
      const [d] = found(`${V}import brotli from "${join(dir, 'nope.so')}";\n`);
      assert.match(d!.message, /could not be read from/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('varnishd refuses the import it warns about (live)', function () {
    const varnishd = findVarnishd();
    if (!varnishd) this.skip(); // varnishd not found
    const v = compileTextWithVarnishd(varnishd!, `${V}import brotli;\n`);
    assert.equal(v.accepted, false);
    assert.match(v.message ?? '', /Could not find VMOD brotli/);
  });
});
