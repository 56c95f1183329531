/**
 * The semantic model of one document's program, for tests of the features
 * that read it (hover, rename, completion...). The server gets it from its
 * Project, once per document version; a test makes it directly.
 */
import { analyseVcl, modelOf, type ProgramModel } from '../../server/src/service/lint.js';
import type { LintOptions } from '../../server/src/service/types.js';

/** The model of the program `text` belongs to, analysed with `options`. */
export function programModel(text: string, options: LintOptions = {}): ProgramModel {
  return modelOf(analyseVcl(text, options));
}
