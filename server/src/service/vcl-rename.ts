/**
 * Rename of subs, backends, probes, ACLs and vmod objects (`new x = ...`),
 * in every file of the program (includes too). Built-in subs cannot be
 * renamed, and a new name must be one VCC accepts for that kind and must
 * not be taken by another definition (VCC's names are case-insensitive).
 */
import type { Definition, DefinitionKind, SemanticModel } from '../analysis/semantic-model.js';
import { builtinVclSub } from '../facts/builtin-vcl.js';
import { nameProblem, type NameKind } from '../rules/name-legality.js';
import { findReferences, symbolAt, type Place } from './vcl-features.js';

const RENAMEABLE: Partial<Record<DefinitionKind, NameKind>> = { sub: 'subroutine', backend: 'backend', probe: 'probe', acl: 'ACL', object: 'object' };

/** The symbol under the cursor that can be renamed, or why not. */
export type PrepareRename = { ok: true; start: number; end: number; name: string } | { ok: false; reason: string };

/** Whether the symbol at `offset` can be renamed, and the span of the name to edit. */
export function prepareRename(model: SemanticModel, selfId: string, offset: number): PrepareRename {
  const def = symbolAt(model, selfId, offset);
  if (!def) return { ok: false, reason: 'Only subs, backends, probes, ACLs and vmod objects can be renamed.' };
  const refused = refusal(def, model);
  if (refused) return { ok: false, reason: refused };
  const here = findReferences(model, selfId, offset).find((p) => p.file === selfId && offset >= p.start && offset <= p.end);
  const span = here ?? { start: def.nameSpan.start, end: def.nameSpan.end };
  return { ok: true, start: span.start, end: span.end, name: def.name };
}

/** Every place to change to rename the symbol at `offset` to `newName`, or why it cannot be done. */
export function renameSymbol(model: SemanticModel, selfId: string, offset: number, newName: string): { places: Place[] } | { error: string } {
  const def = symbolAt(model, selfId, offset);
  if (!def) return { error: 'Only subs, backends, probes, ACLs and vmod objects can be renamed.' };
  const refused = refusal(def, model);
  if (refused) return { error: refused };
  const kind = RENAMEABLE[def.kind]!;
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(newName)) return { error: `'${newName}' is not a VCL name: it must start with a letter and hold only letters, digits, '_' and '-'.` };
  const problem = nameProblem(newName, kind, model.facts);
  if (problem) return { error: problem };
  if (def.kind === 'sub' && newName.toLowerCase().startsWith('vcl_')) return { error: `Names starting with 'vcl_' are reserved for VCL's built-in subroutines.` };
  const taken = model.lookup(newName).find((d) => d !== def);
  if (taken) return { error: `'${newName}' is already the name of ${taken.kind === 'acl' ? 'an' : 'a'} ${taken.kind}${taken.file ? ` in ${taken.file.split('/').pop()}` : ''}; VCC would refuse the second definition.` };
  return { places: findReferences(model, selfId, offset) };
}

function refusal(def: Definition, model: SemanticModel): string | undefined {
  if (!RENAMEABLE[def.kind]) return `A vmod import cannot be renamed here; change the import's 'as' name.`;
  if (def.kind === 'sub' && (model.facts.builtinSubroutine(def.name) || builtinVclSub(def.name, model.facts.release))) return `'${def.name}' is a built-in subroutine; its name is fixed.`;
  return undefined;
}
