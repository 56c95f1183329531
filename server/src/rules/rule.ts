/**
 * The shape of a lint rule. One rule per file; the id is the diagnostic
 * code, the configuration key and the name of its page under docs/rules/.
 */
import type { ParseResult } from '../syntax/parse.js';
import type { Severity } from '../service/types.js';

/** What a rule sees: the source and its parse. */
export interface RuleContext {
  text: string;
  parse: ParseResult;
}

/** A finding at source offsets; the service turns it into a diagnostic. */
export interface Finding {
  start: number;
  end: number;
  message: string;
  /** Overrides the rule's default severity for this finding. */
  severity?: Severity;
}

export interface Rule {
  id: string;
  defaultSeverity: Severity;
  /** One sentence for listings and hovers. */
  description: string;
  check(ctx: RuleContext): Finding[];
}
