/** The registry of rules over varnishd parameter files, in reporting order. */
import type { ParamsRule } from './params-rule.js';
import { paramsReadRule } from './params-read.js';
import { paramUnknownRule } from './param-unknown.js';
import { paramInvalidRule } from './param-invalid.js';
import { paramUnitIgnoredRule } from './param-unit-ignored.js';
import { respBufferTooSmallRule } from './resp-buffer-too-small.js';
import { reqBufferTooSmallRule } from './req-buffer-too-small.js';
import { respTooManyHeadersParamsRule } from './resp-too-many-headers.js';

export const paramsRules: readonly ParamsRule[] = [
  paramsReadRule,
  paramUnknownRule,
  paramInvalidRule,
  paramUnitIgnoredRule,
  respBufferTooSmallRule,
  reqBufferTooSmallRule,
  respTooManyHeadersParamsRule,
];

export type { ObservedNeed, ParamsRule, ParamsRuleContext, TagHeaderUse } from './params-rule.js';
