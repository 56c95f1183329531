/** The one did-you-mean, as VCL names and parameter words each use it. */
import assert from 'node:assert/strict';
import { closest, PARAM_WORDS, VCL_NAMES, type Nearness } from '../../server/src/text/did-you-mean.js';

const cases: Array<[string, Nearness, string, string[], string | undefined]> = [
  ['VCL: one typo in a short name', VCL_NAMES, 'req.ulr', ['req.url', 'req.http'], 'req.url'],
  ['VCL: a swap counts as two edits', VCL_NAMES, 'rul', ['url'], undefined],
  ['VCL: a third of the name may be wrong', VCL_NAMES, 'vcl_recieve', ['vcl_recv', 'vcl_deliver'], 'vcl_recv'],
  ['VCL: no more than a third', VCL_NAMES, 'vcl_xyzzy', ['vcl_hit', 'vcl_pass'], undefined],
  ['VCL: case is ignored', VCL_NAMES, 'WEB2', ['web1'], 'web1'],
  ['VCL: a case variant is the same name, not offered', VCL_NAMES, 'Web1', ['web1', 'web12'], 'web12'],
  ['VCL: the first of equals wins', VCL_NAMES, 'web3', ['web1', 'web2'], 'web1'],
  ['params: a swap counts as one edit', PARAM_WORDS, 'ture', ['true', 'false'], 'true'],
  ['params: at most a quarter of the word', PARAM_WORDS, 'thread_pool_mni', ['thread_pool_min'], 'thread_pool_min'],
  ['params: at most three edits', PARAM_WORDS, 'workspace_clientxxxxxxx', ['workspace_client'], undefined],
  ['params: a case variant is offered', PARAM_WORDS, 'Esi', ['esi', 'req'], 'esi'],
  ['params: nothing near', PARAM_WORDS, 'maybe', ['on', 'off'], undefined],
];

describe('did-you-mean', () => {
  for (const [title, near, name, candidates, expected] of cases) {
    it(title, () => assert.equal(closest(name, candidates, near), expected));
  }
});
