/**
 * package.json's grammar contributions match the grammar files: each file
 * exists and declares the scope it is registered under, every contributed
 * language has a grammar, and the scope mapped to embedded C is one the VCL
 * grammar produces.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../conformance/corpus.js';
import { contributedGrammars, tokenize } from './textmate.js';

const languages = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
  contributes: { languages: { id: string }[] };
}).contributes.languages.map((l) => l.id);

describe('grammar contributions in package.json', () => {
  for (const grammar of contributedGrammars()) {
    it(`${grammar.path} exists and is ${grammar.scopeName}`, () => {
      const file = join(projectRoot, grammar.path);
      assert.ok(existsSync(file), `${grammar.path} is missing`);
      assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { scopeName: string }).scopeName, grammar.scopeName);
    });
  }

  it('gives every contributed language a grammar', () => {
    const withGrammar = new Set(contributedGrammars().map((g) => g.language));
    assert.deepEqual(languages.filter((id) => !withGrammar.has(id)), []);
  });

  it('maps the scope of C{ }C blocks to the C language', async () => {
    const vcl = contributedGrammars().find((g) => g.scopeName === 'source.vcl');
    const embedded = Object.entries(vcl?.embeddedLanguages ?? {});
    assert.deepEqual(embedded, [['meta.embedded.block.c', 'c']]);
    const lines = await tokenize('source.vcl', 'C{\n  int x;\n}C');
    assert.ok(lines[1]!.every((t) => t.scopes.includes('meta.embedded.block.c')));
  });
});
