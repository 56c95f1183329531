/**
 * The grammars close everything they open: after the last line of a
 * program varnishd accepts, no string, comment, `C{ }C` block, return or
 * regsub call is left open, so a construct the grammar misreads cannot
 * colour the rest of a file. Runs over the project's own VCL and parameter
 * files and, when it is there, every accepted program of the corpus.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vsctm from 'vscode-textmate';
import { loadCorpus, projectRoot } from '../conformance/corpus.js';
import { grammarRegistry } from './textmate.js';
import { corpusOrSkip } from '../helpers/corpus-or-skip.js';

/** Names of the files after whose last line the grammar is not back at the top level. */
async function leftOpen(files: { name: string; path: string }[], scopeName = 'source.vcl'): Promise<string[]> {
  const grammar = await grammarRegistry().loadGrammar(scopeName);
  assert.ok(grammar);
  const open: string[] = [];
  for (const file of files) {
    let state = vsctm.INITIAL;
    for (const line of readFileSync(file.path, 'utf8').split('\n')) state = grammar.tokenizeLine(line, state).ruleStack;
    if (state.depth !== vsctm.INITIAL.depth) open.push(file.name);
  }
  return open;
}

describe('grammars close what they open', function () {
  this.timeout(120_000);

  it('on the example and fixture parameter files', async () => {
    const names = [
      'examples/varnish.params',
      'test/fixtures/params/debian/etc/default/varnish',
      'test/fixtures/params/debian/lib/systemd/system/varnish.service',
      'test/fixtures/params/debian/etc/systemd/system/varnish.service.d/override.conf',
      'test/fixtures/params/rhel7/etc/varnish/varnish.params',
      'test/fixtures/params/rhel6/etc/sysconfig/varnish',
      'test/fixtures/params/cli/startup.cli',
    ];
    assert.deepEqual(await leftOpen(names.map((name) => ({ name, path: join(projectRoot, name) })), 'source.varnish-params'), []);
  });

  it('on the examples and the benchmark VCL', async () => {
    const names = ['examples/good.vcl', 'examples/director-without-probes.vcl', 'examples/vcl3-legacy.vcl', 'bench/fixtures/realistic-2000.vcl'];
    assert.deepEqual(await leftOpen(names.map((name) => ({ name, path: join(projectRoot, name) }))), []);
  });

  it('notices a long string left open', async () => {
    const grammar = await grammarRegistry().loadGrammar('source.vcl');
    const state = grammar!.tokenizeLine('set req.http.x = {"never closed', vsctm.INITIAL).ruleStack;
    assert.notEqual(state.depth, vsctm.INITIAL.depth);
  });

  const root = corpusOrSkip('grammar not run on it');
  if (!root) return;
  it('on every corpus program varnishd accepts', async () => {
    const accepted = loadCorpus(root).filter((e) => e.varnishd.result === 'accept');
    assert.ok(accepted.length > 900, `only ${accepted.length} accepted corpus programs`);
    assert.deepEqual(await leftOpen(accepted), []);
  });
});
