/**
 * Checks that VCC makes while parsing, beyond what a context-free grammar
 * can say: the value kind of each backend and probe field, ACL flags,
 * return action names, `return;` in built-in subs, compound assignment on
 * variables whose type has no arithmetic, and calls that name no function.
 * They share the `syntax` id because varnishd refuses these texts with a
 * parser message ("Expected CSTR got ...", "Expected '=' got '+='", ...).
 */
import type * as A from './ast.js';
import type { SyntaxError } from './parse-result.js';
import { nodeKinds, walkKinds } from './walk.js';
import { ACL_FLAG_FEATURES } from '../facts/release-features.js';
import { builtinSubroutineOfAnyRelease, isReturnActionOfAnyRelease, lookupVariable, variableTypeSupportsCompoundAssign } from '../facts/index.js';
import { own } from '../text/own.js';
import { builtinFunction } from '../facts/builtin-functions.js';

type FieldKind = 'string' | 'strings' | 'duration' | 'integer' | 'probe' | 'blob' | 'backend' | 'bool';

const backendFields: Record<string, FieldKind> = {
  host: 'string',
  port: 'string',
  path: 'string',
  host_header: 'string',
  connect_timeout: 'duration',
  first_byte_timeout: 'duration',
  between_bytes_timeout: 'duration',
  max_connections: 'integer',
  proxy_header: 'integer',
  probe: 'probe',
  preamble: 'blob',
  // Fields of later releases (facts/release-features.ts): accepted here,
  // judged against the selected release by the release-feature rule.
  via: 'backend',
  authority: 'string',
  wait_timeout: 'duration',
  wait_limit: 'integer',
};

const probeFields: Record<string, FieldKind> = {
  url: 'string',
  request: 'strings',
  expected_response: 'integer',
  timeout: 'duration',
  interval: 'duration',
  window: 'integer',
  threshold: 'integer',
  initial: 'integer',
  expect_close: 'bool',
};

/** Units VCC knows after a number. */
export const durationUnits = new Set(['ms', 's', 'm', 'h', 'd', 'w', 'y']);
/** VCC reads size units without regard to case, with or without the B. */
export function isByteUnit(unit: string): boolean {
  return /^(?:[kmgtp]b?|b)$/i.test(unit);
}

/** Every ACL flag some release knows; which release has which is release-feature's to say. */
const aclFlags = new Set(Object.keys(ACL_FLAG_FEATURES));

/** Return actions that take arguments: synth(status, reason), error(...), pass(ttl), fail(reason), vcl(label). */
const actionsWithArguments = new Set(['synth', 'error', 'pass', 'fail', 'vcl']);

/** Findings of one declaration, kept while the declaration object lives (offsets from `base`, its start then). */
interface CachedChecks {
  vmods: string;
  base: number;
  errors: SyntaxError[];
}
const checked = new WeakMap<A.Declaration, CachedChecks>();

/**
 * Runs every structural check over a parsed program. The checks of a
 * declaration depend only on it and the imported vmods, so a declaration
 * the parser reused after an edit is not checked again.
 */
export function checkStructure(program: A.Program): SyntaxError[] {
  const vmods = new Set<string>();
  for (const d of program.declarations) {
    if (d.kind === 'ImportDecl') {
      const n = d.alias ?? d.name;
      if (n) vmods.add(n.text);
    }
  }
  const vmodKey = [...vmods].join(' ');
  const errors: SyntaxError[] = [];
  for (const d of program.declarations) {
    let c = checked.get(d);
    if (!c || c.vmods !== vmodKey) {
      c = { vmods: vmodKey, base: d.start, errors: checkDeclaration(d, vmods) };
      checked.set(d, c);
    }
    const delta = d.start - c.base;
    for (const e of c.errors) errors.push({ message: e.message, start: e.start + delta, end: e.end + delta });
  }
  return errors;
}

function checkDeclaration(d: A.Declaration, vmods: Set<string>): SyntaxError[] {
  const errors: SyntaxError[] = [];
  const err = (span: A.Span, message: string) => errors.push({ message, start: span.start, end: span.end });
  switch (d.kind) {
    case 'BackendDecl':
      if (d.hasBody && d.name) {
        checkFields(d.attributes, backendFields, err);
        const addresses = d.attributes.filter((a) => a.name?.text === 'host' || a.name?.text === 'path');
        if (addresses.length === 0) err(d.name, 'Expected .host or .path.');
        // A backend is reached either over TCP (.host) or a UNIX socket (.path).
        const both = addresses.find((a) => a.name!.text !== addresses[0]!.name!.text);
        if (both?.name) err(both.name, 'Address redefinition: a backend takes .host or .path, not both');
      }
      break;
    case 'ProbeDecl':
      checkFields(d.attributes, probeFields, err);
      break;
    case 'AclDecl':
      for (const f of d.flags) {
        if (!f.name || f.name.start !== f.start + 1) err(f, 'Expected a flag at:');
        else if (!aclFlags.has(f.name.text)) err(f.name, `Unknown ACL flag: '${f.name.text}' (known: +log, +table, -pedantic, +fold)`);
      }
      break;
    default:
      break;
  }
  checkNodes(d, vmods, err);
  return errors;
}

type Report = (span: A.Span, message: string) => void;

function checkFields(attrs: A.Attribute[], kinds: Record<string, FieldKind>, err: Report): void {
  const seen = new Set<string>();
  for (const a of attrs) {
    if (!a.name) continue;
    const field = a.name.text;
    const kind = own(kinds, field);
    if (!kind) {
      err(a.name, `Unknown field: '${field}' (expected one of ${Object.keys(kinds).map((k) => `.${k}`).join(', ')})`);
      continue;
    }
    if (seen.has(field)) err(a.name, `Field '${field}' redefined`);
    seen.add(field);
    checkFieldValue(a, kind, err);
  }
}

function checkFieldValue(a: A.Attribute, kind: FieldKind, err: Report): void {
  if (a.block) {
    if (kind !== 'probe') err(a.blockSpan ?? a, `Expected ${expectation(kind)} got '{'`);
    else checkFields(a.block, probeFields, err);
    return;
  }
  const v = a.value;
  if (!v) return;
  const extra = a.moreStrings[0];
  if (extra && kind !== 'strings') err(extra, `Expected ';' got a second string`);
  const got = (span: A.Span) => err(span, `Expected ${expectation(kind)} for .${a.name?.text}`);
  switch (kind) {
    case 'string':
    case 'strings':
      if (v.kind !== 'StringLiteral') got(v);
      break;
    case 'duration':
      if (v.kind !== 'NumberLiteral') got(v);
      else if (!v.unit) err(v, `Expected a duration unit (${[...durationUnits].join(', ')}) after ${v.text}`);
      // Units that are no unit at all are reported once, by walkNumbers.
      else if (!durationUnits.has(v.unit.text) && isByteUnit(v.unit.text)) err(v.unit, `Expected a duration unit, got the size unit '${v.unit.text}'`);
      break;
    case 'integer':
      if (v.kind !== 'NumberLiteral' || v.text.includes('.')) got(v);
      else if (v.unit) err(v.unit, `Expected ';' got '${v.unit.text}' (.${a.name?.text} takes a plain number)`);
      break;
    case 'probe':
      if (v.kind !== 'Identifier') err(v, "Expected '{' or name of probe");
      break;
    case 'blob':
      if (v.kind !== 'BlobLiteral') got(v);
      break;
    case 'backend':
      if (v.kind !== 'Identifier') got(v);
      break;
    case 'bool':
      if (v.kind !== 'Identifier' || !/^(?:true|false)$/.test(v.name.text)) got(v);
      break;
  }
}

function expectation(kind: FieldKind): string {
  switch (kind) {
    case 'string':
    case 'strings':
      return 'a string constant';
    case 'duration':
      return 'a duration such as 5s';
    case 'integer':
      return 'an integer';
    case 'probe':
      return "'{' or name of probe";
    case 'blob':
      return 'a BLOB literal (:base64:)';
    case 'backend':
      return 'the name of a backend';
    case 'bool':
      return 'true or false';
  }
}

/** VCL 3 actions that vcl3-construct reports with their VCL 4 spelling, so they are no syntax error too. */
function renamedElsewhere(action: string, sub: string): boolean {
  return action === 'hit_for_pass' && (sub === 'vcl_fetch' || sub === 'vcl_backend_response');
}

const CHECKED_NODES = nodeKinds('NumberLiteral', 'ReturnStmt', 'SetStmt', 'CallStmt', 'MatchExpr', 'CallExpr');

/**
 * The checks of single nodes, in one walk over the declaration: units
 * after numbers anywhere, and in a sub's body its returns, compound
 * assignments and vmod calls.
 */
function checkNodes(d: A.Declaration, vmods: Set<string>, err: Report): void {
  const sub = d.kind === 'SubDecl' ? (d.name?.text ?? '') : undefined;
  // Vmod calls are checked in the expressions of every statement but
  // `call f(...)`, whose arguments no check of the program types either.
  // Nodes come in source order: a node that starts before the end of the
  // last `call` seen is inside it.
  let callEnd = -1;
  walkKinds(d, CHECKED_NODES, (n) => {
    switch (n.kind) {
      case 'NumberLiteral':
        if (n.unit && !durationUnits.has(n.unit.text) && !isByteUnit(n.unit.text)) {
          err(n.unit, `Unknown unit '${n.unit.text}' (durations: ${[...durationUnits].join(' ')}; sizes: B KB MB GB TB PB)`);
        }
        break;
      case 'ReturnStmt':
        if (sub !== undefined) checkReturn(n, sub, err);
        break;
      case 'SetStmt':
        if (sub !== undefined) checkSet(n, err);
        break;
      case 'CallStmt':
        callEnd = n.end;
        break;
      case 'MatchExpr':
        if (sub !== undefined) checkIpMatch(n, err);
        break;
      case 'CallExpr':
        if (sub !== undefined && n.start >= callEnd) checkCallee(n, vmods, err);
        if (sub !== undefined && !n.receiver) checkBuiltinArity(n, err);
        break;
    }
  });
}

function checkReturn(s: A.ReturnStmt, sub: string, err: Report): void {
  if (!s.action) {
    // `return;` ends a custom sub; the built-in methods must name an
    // action (builtin.vcl's own helpers such as vcl_req_cookie are custom).
    if (builtinSubroutineOfAnyRelease(sub) && s.end > s.keyword.end) err({ start: s.end - 1, end: s.end }, `Expected '(' got ';' (${sub} must return an action)`);
  } else if (!isReturnActionOfAnyRelease(s.action.text) && !renamedElsewhere(s.action.text, sub) && !(s.action.text === 'miss' && sub === 'vcl_hit' && !s.args)) {
    // (vcl_hit's `return (miss)` of Varnish 6.0 is return-action-removed's, with its rewrite;
    // VCL 3's hit_for_pass in vcl_fetch is vcl3-construct's, with its VCL 4 spelling.)
    err(s.action, `Expected return action name, got '${s.action.text}'`);
  } else if (s.args && !actionsWithArguments.has(s.action.text)) {
    err(s.action, `Arguments not allowed: return (${s.action.text}) takes none (only ${[...actionsWithArguments].join(', ')} do)`);
  } else {
    checkReturnArguments(s, s.action, err);
  }
}

/**
 * What VCC reads between the parentheses of each action that takes
 * arguments (vcc_action.c), in order: `synth` and `error` a status and a
 * reason, `pass` how long to remember the hit-for-pass, `fail` a reason,
 * `vcl` a label. `synth` and `vcl` cannot go without theirs.
 */
const RETURN_ARGUMENTS: Readonly<Record<string, { wants: readonly string[]; required: boolean; example: string }>> = {
  synth: { wants: ['INT', 'STRING'], required: true, example: 'return (synth(404, "Not Found"))' },
  error: { wants: ['INT', 'STRING'], required: false, example: 'return (error(503, "Service Unavailable"))' },
  pass: { wants: ['DURATION'], required: false, example: 'return (pass(10s))' },
  fail: { wants: ['STRING'], required: false, example: 'return (fail("reason"))' },
  vcl: { wants: ['ID'], required: true, example: 'return (vcl(label))' },
};

/** The argument list of a return action against what VCC reads there (checked with varnishd 6.5 to 9.0: the same in each). */
function checkReturnArguments(s: A.ReturnStmt, action: A.Name, err: Report): void {
  const shape = own(RETURN_ARGUMENTS, action.text);
  if (!shape) return;
  const { wants, required, example } = shape;
  if (!s.args) {
    if (required) err(action, `Missing argument. return (${action.text}) needs ${action.text === 'vcl' ? 'the label of the VCL to switch to' : 'a status'}: ${example}`);
    return;
  }
  const where = s.argsSpan ?? action;
  if (s.args.length === 0) {
    // VCC reads the first argument where the ')' stands.
    const close = { start: where.end - 1, end: where.end };
    err(close, wants[0] === 'ID' ? `Expected ID got ')' (${example})` : `Unknown token ')' when looking for ${wants[0]} (${example}${required ? '' : `, or return (${action.text}) without parentheses`})`);
    return;
  }
  const extra = s.args[wants.length];
  if (extra) err(extra, `Expected ')' got ',' (return (${action.text}) takes at most ${wants.length === 1 ? 'one argument' : `${wants.length} arguments`}: ${example})`);
}

function checkSet(s: A.SetStmt, err: Report): void {
  if (s.target && s.operator && s.operator !== '=' && s.operatorSpan) {
    const v = lookupVariable(s.target.text);
    if (v && !variableTypeSupportsCompoundAssign(v.type, s.operator)) {
      err(s.operatorSpan, `Expected '=' got '${s.operator}' (${s.target.text} is ${v.type})`);
    }
  }
  if (s.target && s.value?.kind === 'NumberLiteral' && s.value.unit) checkUnitFor(s.target.text, s.value.unit, err);
}

/**
 * An IP variable matched against a string (`client.ip ~ "^10\\."`): VCC
 * reads the name of an ACL after `~` on an IP and stops at the string
 * ("Expected ID got '...'"), in every release from 6.5 to 9.0.
 */
function checkIpMatch(e: A.MatchExpr, err: Report): void {
  const p = e.pattern;
  if (e.subject.kind !== 'Identifier' || (p?.kind !== 'StringLiteral' && p?.kind !== 'StringConcat')) return;
  if (lookupVariable(e.subject.name.text)?.type !== 'IP') return;
  err(p, `Expected ID got '${p.kind === 'StringLiteral' ? `"${p.value.slice(0, 30)}"` : 'a string'}' (an IP address is matched against an ACL: acl name { "10.0.0.0"/8; } and ${e.subject.name.text} ${e.operator} name)`);
}

/**
 * The number of arguments of a built-in function (`regsub`, `ban`,
 * `hash_data`, ...), which VCC's parser reads one by one: none where one
 * is wanted ("Unknown token ')' when looking for STRING"), one too few
 * ("Expected ',' got ')'"), one too many ("Expected ')' got ','"). Checked
 * with 6.5, 7.1, 7.7 and 9.0.
 */
function checkBuiltinArity(e: A.CallExpr, err: Report): void {
  const fn = builtinFunction(e.callee.text);
  if (!fn || fn.name !== e.callee.text) return;
  const want = fn.args.length;
  const shape = `${fn.name}(${fn.args.map((a) => a.name).join(', ')})`;
  const close = { start: e.argsSpan.end - 1, end: e.argsSpan.end };
  if (e.args.length === 0 && want > 0) {
    const type = fn.args[0]!.type === 'STRING_LIST' ? 'STRING' : fn.args[0]!.type;
    err(close, `Unknown token ')' when looking for ${type} (${shape})`);
  } else if (e.args.length < want) {
    err(close, `Expected ',' got ')' (${shape} takes ${want} arguments)`);
  } else if (e.args.length > want) {
    err(e.args[want]!, `Expected ')' got ',' (${shape} takes ${want === 1 ? 'one argument' : `${want} arguments`})`);
  }
}

function checkCallee(e: A.CallExpr, vmods: Set<string>, err: Report): void {
  const parts = e.callee.text.split('.');
  // A vmod's functions and object constructors are `vmod.name`; a third
  // component can only be an object method, and objects come from `new`.
  if (!e.receiver && parts.length > 2 && vmods.has(parts[0]!)) {
    err(e.callee, `Syntax error. While compiling function call: '${e.callee.text}' is not a function of vmod '${parts[0]}'; create an object with 'new' in vcl_init and call its methods`);
  }
}

/** A unit of the wrong kind for the variable it is assigned to. */
function checkUnitFor(variable: string, unit: A.Name, err: Report): void {
  const type = lookupVariable(variable)?.type;
  if (type === 'DURATION' && !durationUnits.has(unit.text)) {
    err(unit, `Unknown duration unit '${unit.text}'; ${variable} is a DURATION (units: ${[...durationUnits].join(', ')})`);
  } else if (type === 'BYTES' && !isByteUnit(unit.text)) {
    err(unit, `Unknown BYTES unit '${unit.text}'; ${variable} is BYTES (units: B, KB, MB, GB, TB)`);
  }
}
