/**
 * The extension's TextMate grammars loaded as VS Code loads them: from
 * package.json's `contributes.grammars`, tokenized by vscode-textmate with
 * the oniguruma regex engine. The C grammar that `C{ }C` embeds comes with
 * VS Code; here it comes from the tm-grammars package.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import vsctm from 'vscode-textmate';
import oniguruma from 'vscode-oniguruma';
import { projectRoot } from '../conformance/corpus.js';

const require = createRequire(import.meta.url);

/** One entry of package.json's `contributes.grammars`. */
export interface ContributedGrammar {
  language?: string;
  scopeName: string;
  path: string;
  embeddedLanguages?: Record<string, string>;
}

/** The grammars package.json contributes. */
export function contributedGrammars(): ContributedGrammar[] {
  const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
    contributes: { grammars: ContributedGrammar[] };
  };
  return manifest.contributes.grammars;
}

let registry: vsctm.Registry | undefined;

/** A registry that knows the contributed grammars and source.c; built once. */
export function grammarRegistry(): vsctm.Registry {
  if (registry) return registry;
  const files = new Map<string, string>();
  for (const g of contributedGrammars()) files.set(g.scopeName, join(projectRoot, g.path));
  files.set('source.c', require.resolve('tm-grammars/grammars/c.json'));
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  const onigLib = oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength)).then(() => ({
    createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
    createOnigString: (text: string) => new oniguruma.OnigString(text),
  }));
  registry = new vsctm.Registry({
    onigLib,
    // Grammars the C grammar embeds for asm blocks (source.asm, ...) are not needed here.
    loadGrammar: async (scopeName) => {
      const path = files.get(scopeName);
      return path === undefined ? null : vsctm.parseRawGrammar(readFileSync(path, 'utf8'), path);
    },
  });
  return registry;
}

/** A token of one line: its text and its scopes, outermost first. */
export interface Token {
  text: string;
  scopes: string[];
}

/** Tokenizes `text` line by line with the grammar of `scopeName`. */
export async function tokenize(scopeName: string, text: string): Promise<Token[][]> {
  const grammar = await grammarRegistry().loadGrammar(scopeName);
  if (!grammar) throw new Error(`no grammar for ${scopeName}`);
  let state = vsctm.INITIAL;
  return text.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}
