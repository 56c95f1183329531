/** The registry of every rule, in reporting order. */
import type { Rule } from './rule.js';
import { syntaxRule } from './syntax.js';
import { vclVersionRule } from './vcl-version.js';
import { vcl3ConstructRule } from './vcl3-construct.js';
import { symbolUnknownRule } from './symbol-unknown.js';
import { unusedDefinitionRule } from './unused-definition.js';
import { variableAccessRule } from './variable-access.js';
import { returnActionRule } from './return-action.js';
import { subRecursionRule } from './sub-recursion.js';
import { typeMismatchRule } from './type-mismatch.js';
import { callArgumentsRule } from './call-arguments.js';
import { includeMissingRule } from './include-missing.js';
import { includeGlobRule } from './include-glob.js';
import { includeCycleRule } from './include-cycle.js';
import { untrustedPathRule } from './untrusted-path.js';
import { includeDepthRule } from './include-depth.js';
import { redefinitionRule } from './redefinition.js';
import { probeConstraintRule } from './probe-constraint.js';
import { aclEntryRule } from './acl-entry.js';
import { nameLegalityRule } from './name-legality.js';
import { actionPlacementRule } from './action-placement.js';
import { inlineCRule } from './inline-c.js';
import { noBackendRule } from './no-backend.js';
import { backendAddressRule } from './backend-address.js';
import { backendHostPlaceholderRule } from './backend-host-placeholder.js';
import { vmodNotFoundRule } from './vmod-not-found.js';
import { returnActionRemovedRule } from './return-action-removed.js';
import { vclFeatureVersionRule } from './vcl-feature-version.js';
import { releaseFeatureRule } from './release-feature.js';
import { deprecatedVariableRule } from './deprecated-variable.js';
import { tagHeaderSizeRule } from './tag-header-size.js';
import { regexInvalidRule } from './regex-invalid.js';
import { backendProbeMissingRule } from './backend-probe-missing.js';
import { probeSanityRule } from './probe-sanity.js';
import { retryAfterMissingRule } from './retry-after-missing.js';
import { rateLimitStatusRule } from './rate-limit-status.js';
import { backendTimeoutRiskRule } from './backend-timeout-risk.js';
import { cacheDisabledRule } from './cache-disabled.js';

export const rules: readonly Rule[] = [
  syntaxRule,
  vclVersionRule,
  vcl3ConstructRule,
  symbolUnknownRule,
  unusedDefinitionRule,
  variableAccessRule,
  returnActionRule,
  returnActionRemovedRule,
  subRecursionRule,
  typeMismatchRule,
  callArgumentsRule,
  includeMissingRule,
  includeGlobRule,
  includeCycleRule,
  untrustedPathRule,
  includeDepthRule,
  redefinitionRule,
  probeConstraintRule,
  aclEntryRule,
  nameLegalityRule,
  actionPlacementRule,
  inlineCRule,
  noBackendRule,
  backendAddressRule,
  backendHostPlaceholderRule,
  vmodNotFoundRule,
  vclFeatureVersionRule,
  releaseFeatureRule,
  deprecatedVariableRule,
  tagHeaderSizeRule,
  regexInvalidRule,
  backendProbeMissingRule,
  probeSanityRule,
  retryAfterMissingRule,
  rateLimitStatusRule,
  backendTimeoutRiskRule,
  cacheDisabledRule,
];

export type { Rule, RuleContext, Finding, FindingFix, OffsetEdit } from './rule.js';
