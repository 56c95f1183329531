/** Every rule id the tools can report, for checking configuration. */
import { rules } from '../rules/index.js';
import { paramsRules } from '../rules/params-index.js';
import { CAUSE_IDS } from '../varnishlog/causes.js';

/** Ids reported by the service itself rather than by a rule of the registries. */
export const SERVICE_RULE_IDS = ['input', 'internal-error', 'unused-suppression', 'included-file-errors', 'vcl-template'];

export const knownRuleIds: ReadonlySet<string> = new Set([...rules.map((r) => r.id), ...paramsRules.map((r) => r.id), ...SERVICE_RULE_IDS, ...CAUSE_IDS]);
