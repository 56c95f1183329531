/**
 * Locates and reads the VCL conformance corpus (Varnish 7.1.1's test-suite
 * programs and production VCL, each with varnishd's verdict). The corpus is
 * not part of the project: it is found through VCL_CORPUS_DIR or next to the
 * project at ../shared/corpus.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface VarnishdVerdict {
  /** 'reject' in the 7.1.1 verdicts, 'refuse' (or 'crash', when VCC itself failed) in each release's. */
  result: 'accept' | 'reject' | 'refuse' | 'crash';
  message: string | null;
  line: number | null;
  col: number | null;
  file?: string;
}

export interface CorpusEntry {
  /** Absolute path of the VCL file. */
  path: string;
  /** Path relative to the corpus root, for reports. */
  name: string;
  varnishd: VarnishdVerdict;
  fragment: boolean;
  varnishdArgs?: string[];
  needsUnixSockets?: boolean;
  /** The verdict of each release's real compiler (6.5, 7.1, 7.7, 9.0), where one was run. */
  versions?: Record<string, VarnishdVerdict>;
}

/** The project root (compiled files live in out/test/conformance). */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The corpus folder, or undefined when it is not available here. */
export function findCorpus(): string | undefined {
  const candidates = [process.env['VCL_CORPUS_DIR'], join(projectRoot, '../shared/corpus')];
  return candidates.find((c): c is string => !!c && existsSync(join(c, 'vtc/manifest.json')));
}

/**
 * Every corpus entry, test-suite programs first. `vtc-new` (newer releases'
 * test-suite programs, with no 7.1.1 `varnishd` verdict of their own) is
 * read only when asked for.
 */
export function loadCorpus(root: string, parts: readonly string[] = ['vtc', 'real']): CorpusEntry[] {
  const out: CorpusEntry[] = [];
  for (const part of parts) {
    const manifest = join(root, part, 'manifest.json');
    if (!existsSync(manifest)) continue;
    const entries = JSON.parse(readFileSync(manifest, 'utf8')) as Array<Record<string, unknown>>;
    for (const e of entries) {
      const file = e['file'] as string;
      out.push({
        path: join(root, part, file),
        name: `${part}/${file}`,
        varnishd: e['varnishd'] as VarnishdVerdict,
        fragment: e['fragment'] === true,
        varnishdArgs: e['varnishdArgs'] as string[] | undefined,
        needsUnixSockets: e['needsUnixSockets'] as boolean | undefined,
        versions: e['versions'] as Record<string, VarnishdVerdict> | undefined,
      });
    }
  }
  return out;
}

/**
 * Whether varnishd's message is a syntax-level one: the parser or the lexer
 * refused the text before any meaning was looked at.
 */
export function isSyntaxMessage(message: string | null): boolean {
  if (!message) return false;
  return /^(Expected |Unterminated |Syntax error|Unknown token |Too many digits|include |\/\* \.\.\. \*\/ comment contains|Missing colon at end of BLOB)/.test(message);
}
