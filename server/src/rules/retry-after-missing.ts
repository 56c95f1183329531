/**
 * `retry-after-missing`: a 503 that tells the client nothing about when to
 * come back. RFC 9110 (section 10.2.3) gives 503 a `Retry-After` header for
 * that; without it clients and crawlers retry at once, or give up. Reported
 * for each `return (synth(503, ...))` when vcl_synth sets no Retry-After for
 * 503, and for a vcl_backend_error the VCL defines that sets none. The fix
 * adds the header for that status at the top of the sub (or a new
 * `sub vcl_synth`, which VCL runs before the built-in one): the answer only
 * gains a header.
 */
import type { Finding, Rule } from './rule.js';
import { covers, headerCoverage, setHeaderEdit } from './status-header.js';
import { synthReturns } from './synth-status.js';

/** Seconds a client is asked to wait: long enough to spare a struggling backend, short enough to recover quickly. */
const RETRY_SECONDS = '5';

export const retryAfterMissingRule: Rule = {
  id: 'retry-after-missing',
  defaultSeverity: 'hint',
  description: 'A 503 answer (synth(503) or vcl_backend_error) without a Retry-After header telling clients when to come back.',
  check(ctx) {
    // Only the whole program shows whether vcl_synth sets the header.
    if (!ctx.wholeProgram) return [];
    const model = ctx.semantic();
    const program = ctx.parse.ast;
    const out: Finding[] = [];
    const synth = headerCoverage(model, 'vcl_synth', 'Retry-After');
    if (!covers(synth, 503)) {
      for (const s of synthReturns(program)) {
        if (s.status !== 503) continue;
        const edit = setHeaderEdit(ctx.text, program, model, 'vcl_synth', 503, 'Retry-After', RETRY_SECONDS, !ctx.isIncluded);
        out.push({
          start: s.statusNode.start,
          end: s.statusNode.end,
          message: `This 503 goes out without a Retry-After header (vcl_synth sets none for 503): clients and crawlers get no hint when to come back, so they retry at once or give up. Set resp.http.Retry-After for status 503 in vcl_synth.`,
          fixes: edit ? [{ title: `Set Retry-After: ${RETRY_SECONDS} on 503 answers in vcl_synth`, edits: [edit] }] : undefined,
        });
      }
    }
    const backendError = program.declarations.find((d) => d.kind === 'SubDecl' && d.name?.text === 'vcl_backend_error');
    if (backendError?.kind === 'SubDecl' && backendError.name && !covers(headerCoverage(model, 'vcl_backend_error', 'Retry-After'), 503)) {
      const edit = setHeaderEdit(ctx.text, program, model, 'vcl_backend_error', 503, 'Retry-After', RETRY_SECONDS);
      out.push({
        start: backendError.name.start,
        end: backendError.name.end,
        message: `vcl_backend_error builds the 503 for failed fetches without a Retry-After header: clients get no hint when to come back. Set beresp.http.Retry-After for status 503 here.`,
        fixes: edit ? [{ title: `Set Retry-After: ${RETRY_SECONDS} on 503 answers in vcl_backend_error`, edits: [edit] }] : undefined,
      });
    }
    return out;
  },
};
