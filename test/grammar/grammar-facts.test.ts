/**
 * The VCL grammar knows the names Varnish 7.1 defines: every built-in sub
 * and every return action of the fact tables is highlighted as such, and a
 * name that is not one of them is not.
 */
import assert from 'node:assert/strict';
import { allReturnActions, allSubroutines } from '../../server/src/facts/index.js';
import { tokenize, type Token } from './textmate.js';

/** The scopes of the token that holds `word` in the first line of `text`. */
async function scopesOf(text: string, word: string): Promise<string[]> {
  const [line] = await tokenize('source.vcl', text);
  const token = (line ?? []).find((t: Token) => t.text === word);
  assert.ok(token, `"${word}" is not one token in ${JSON.stringify(text)}: ${JSON.stringify(line)}`);
  return token.scopes;
}

describe('VCL grammar and the Varnish 7.1 fact tables', () => {
  for (const sub of allSubroutines) {
    it(`highlights sub ${sub.name} as a built-in sub`, async () => {
      assert.ok((await scopesOf(`sub ${sub.name} {`, sub.name)).includes('entity.name.function.builtin.vcl'));
      assert.ok((await scopesOf(`call ${sub.name};`, sub.name)).includes('entity.name.function.builtin.vcl'));
    });
  }
  for (const action of allReturnActions) {
    it(`highlights return (${action}) as a return action`, async () => {
      assert.ok((await scopesOf(`return (${action});`, action)).includes('support.constant.return-action.vcl'));
    });
  }
  it('does not take near misses for built-in names', async () => {
    for (const name of ['vcl_recv2', 'vcl_fetch', 'my_vcl_recv', 'vcl_recv-x']) {
      assert.ok(!(await scopesOf(`sub ${name} {`, name)).includes('entity.name.function.builtin.vcl'), name);
    }
    for (const name of ['hashes', 'passs', 'lookups']) {
      assert.ok(!(await scopesOf(`return (${name});`, name)).includes('support.constant.return-action.vcl'), name);
    }
  });
});
