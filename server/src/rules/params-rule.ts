/**
 * The shape of a rule over a varnishd parameter file. Like VCL rules, one
 * rule per file; the id is the diagnostic code and the docs page name.
 */
import type { ParamsFile } from '../params/model.js';
import type { VarnishVersion } from '../facts/versions.js';
import type { Severity } from '../text/severity.js';
import type { Finding } from './rule.js';

/** Tag headers the workspace's VCL handles (Magento's, xkey, Surrogate-Key, ...). */
export interface TagHeaderUse {
  header: string;
  /** Where, for the message: `path:line`. */
  where: string;
}

export interface ParamsRuleContext {
  text: string;
  file: ParamsFile;
  /** The Varnish release whose parameters, defaults and limits apply. */
  version: VarnishVersion;
  /** The largest backend response header the user expects, in bytes (setting). */
  maxResponseHeaderBytes?: number;
  /** Tag headers found in the workspace's VCL. */
  tagHeaders: TagHeaderUse[];
  /**
   * A varnishlog capture of the same run proved that a backend header was
   * longer than http_resp_hdr_len: the size that would have fitted, and the
   * sentence that says where the capture shows it.
   */
  observedLongHeader?: ObservedNeed;
  /** Likewise for a backend response with more header lines than http_max_hdr. */
  observedTooManyHeaders?: ObservedNeed;
  /**
   * Likewise for a backend response whose whole header block overflowed
   * http_resp_size (or the free workspace_backend): the head size that
   * would have fitted.
   */
  observedHeadOverflow?: ObservedNeed;
}

/** A size that a capture proved too small, and the words that name the proof. */
export interface ObservedNeed {
  need: number;
  why: string;
}

export interface ParamsRule {
  id: string;
  defaultSeverity: Severity;
  description: string;
  check(ctx: ParamsRuleContext): Finding[];
}
