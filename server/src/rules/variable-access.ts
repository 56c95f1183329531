/**
 * `variable-access`: a variable read, set or unset in a subroutine where
 * VCC does not allow it. For a custom sub, every built-in method that calls
 * it (directly or through other subs) must allow the access, as in VCC.
 * The messages follow varnishd's wording and add where it is allowed.
 * A header name too long for VCC is refused here too, wherever it is used.
 */
import type { Finding, Rule } from './rule.js';
import type { VariableUse } from '../analysis/semantic-model.js';
import { setStatementAt } from './program-files.js';
import { isSubSpecificRename } from './vcl3-variables.js';
import { own } from '../text/own.js';

export const variableAccessRule: Rule = {
  id: 'variable-access',
  defaultSeverity: 'error',
  description: 'A variable used where VCC does not allow it: not available in this subroutine, read-only, or not unsettable; or a header name too long for VCC.',
  check(ctx) {
    const model = ctx.semantic();
    const out: Finding[] = [];
    // Uses are many and subs few: the sorted methods reaching each sub, and whether it is a built-in one, are worked out once.
    const subs = new Map<string, { methods: string[]; direct: boolean }>();
    const subOf = (sub: string) => {
      let known = subs.get(sub);
      if (!known) subs.set(sub, (known = { methods: [...model.methodsReaching(sub)].sort(), direct: model.facts.builtinSubroutine(sub) !== undefined }));
      return known;
    };
    for (const use of model.variableUses) {
      const long = headerTooLong(use);
      if (long) out.push({ file: use.file, start: use.span.start, end: use.span.end, message: long });
      const { methods, direct } = subOf(use.sub);
      const message = problem(use, methods, direct);
      if (!message) continue;
      // VCL 3 spellings (obj.status in vcl_deliver, req.url in vcl_fetch) get their VCL 4 name from vcl3-construct.
      // Asked only of a use that is refused: most uses are allowed, and the lookup cost 2 ms a keystroke on a big program.
      if (isSubSpecificRename(use.sub, use.name)) continue;
      const finding: Finding = { file: use.file, start: use.span.start, end: use.span.end, message };
      const lower = use.name.toLowerCase();
      const body = use.access === 'unset' ? own(BODY_OF_LENGTH, lower) : undefined;
      if (body) {
        // From 7.4 Content-Length belongs to Varnish; dropping the body is what unsetting it was for.
        finding.message += `. Varnish manages Content-Length from 7.4; to send no body, unset ${body}`;
        finding.fixes = [{ title: `Write unset ${body}`, edits: [{ start: use.span.start, end: use.span.end, newText: body }], manual: true }];
      }
      if (use.access === 'write' && lower === 'resp.proto' && use.fact.writable.length === 0) {
        // Read only from 6.6: the statement can only go (the response then keeps its protocol).
        const stmt = setStatementAt(model, use.file, use.span.start);
        if (stmt) finding.fixes = [{ title: 'Remove the statement (resp.proto is read only from Varnish 6.6)', edits: [{ start: stmt.start, end: stmt.end, newText: '' }], manual: true }];
      }
      out.push(finding);
    }
    return out;
  },
};

/**
 * The protected Content-Length header of a backend request and its body:
 * `unset bereq.http.content-length` was the way to send no body, which
 * `unset bereq.body` says directly. Offered, never applied by itself: the
 * body goes, where the old line only dropped its length.
 */
const BODY_OF_LENGTH: Readonly<Record<string, string>> = {
  'bereq.http.content-length': 'bereq.body',
};

/**
 * VCC keeps a header's name with its length in one signed byte, the colon
 * included: a name of 127 characters or more is refused wherever it is
 * used ("HTTP header (...) is too long.", checked with varnishd 6.5 to 9.0
 * at 126 and 127).
 */
export const MAX_HEADER_NAME = 126;

function headerTooLong(use: VariableUse): string | undefined {
  const family = use.fact.name;
  if (use.fact.type !== 'HEADER' || !family.endsWith('.')) return undefined;
  let header = use.name.slice(family.length);
  if (header.startsWith('"') && header.endsWith('"')) header = header.slice(1, -1);
  if (header.length <= MAX_HEADER_NAME) return undefined;
  return `HTTP header (${header.slice(0, 20)}..) is too long. VCC takes header names of up to ${MAX_HEADER_NAME} characters; this one has ${header.length}`;
}

function problem(use: VariableUse, methods: string[], direct: boolean): string | undefined {
  const f = use.fact;
  if (use.access === 'read') {
    const bad = firstNotIn(methods, f.readable);
    if (bad) return `'${use.name}' is not available ${whereFrom(use, direct, bad)}; it can be read in ${namesOrNone(f.readable)}`;
    return undefined;
  }
  if (use.access === 'write') {
    if (f.writable.length === 0) {
      if (f.readable.length === 0) return `'${use.name}' cannot be set (it can only be unset)`;
      const bad = firstNotIn(methods, f.readable);
      if (bad) return `'${use.name}' is not available ${whereFrom(use, direct, bad)}; it can be read in ${namesOrNone(f.readable)}`;
      return `'${use.name}' is read only: VCL can read it but never set it`;
    }
    const bad = firstNotIn(methods, f.writable);
    if (bad) return `'${use.name}' cannot be set ${whereFrom(use, direct, bad)}; it can be set in ${namesOrNone(f.writable)}`;
    return undefined;
  }
  if (f.unsettable.length === 0) return `'${use.name}' cannot be unset; ${f.writable.length ? 'set it to another value instead' : 'it is read only'}`;
  const bad = firstNotIn(methods, f.unsettable);
  if (bad) return `'${use.name}' cannot be unset ${whereFrom(use, direct, bad)}; it can be unset in ${namesOrNone(f.unsettable)}`;
  return undefined;
}

/** Where a use is refused (module functions, not closures: `problem` runs for every variable use, nearly all allowed): in built-in method `m` itself (`direct`), or in a sub `m` calls. */
function whereFrom(use: VariableUse, direct: boolean, m: string): string {
  return direct ? `in subroutine '${m}'` : `from subroutine '${m}' (which calls ${use.sub})`;
}

/** The subroutines of a list, for a message. */
function namesOrNone(xs: readonly string[]): string {
  return xs.length ? xs.join(', ') : 'no subroutine';
}

/** The first of `methods` that is not in `allowed`. */
function firstNotIn(methods: readonly string[], allowed: readonly string[]): string | undefined {
  for (const m of methods) if (!allowed.includes(m)) return m;
  return undefined;
}
