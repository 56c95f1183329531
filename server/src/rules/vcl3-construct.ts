/**
 * `vcl3-construct`: VCL 3 spellings that Varnish 4 and later refuse. Each
 * finding names the VCL 4 spelling, and carries it as a fix where the
 * rewrite is mechanical.
 */
import type * as A from '../syntax/ast.js';
import { walk } from '../syntax/walk.js';
import type { DeclarationPass, Finding, Rule, RuleContext } from './rule.js';
import { vcl4VariableName } from './vcl3-variables.js';
import { keptPass, passFindings } from './per-declaration.js';
import { own } from '../text/own.js';

const renamedSubs: Record<string, string> = {
  vcl_fetch: 'vcl_backend_response',
  vcl_error: 'vcl_synth',
};

/** VCL 3 actions by the sub they were returned from (`lookup` is still right in vcl_hash). */
const renamedActions: Record<string, Record<string, string>> = {
  vcl_recv: { lookup: 'hash' },
  vcl_fetch: { hit_for_pass: 'pass' },
  vcl_backend_response: { hit_for_pass: 'pass' },
};

/** The VCL 4 spelling of return action `word` in VCL 3's sub `sub`, when it changed. */
function ownAction(sub: string, word: string): string | undefined {
  const actions = own(renamedActions, sub);
  return actions && own(actions, word);
}

export const vcl3ConstructRule: Rule = {
  id: 'vcl3-construct',
  defaultSeverity: 'error',
  description: 'A VCL 3 construct that Varnish 4 and later refuse; the message gives the VCL 4 spelling.',
  byDeclaration,
  check: (ctx) => passFindings(byDeclaration(ctx), ctx.parse.ast),
};

function byDeclaration(ctx: RuleContext): DeclarationPass {
  return keptPass('vcl3-construct', '', (d) => vcl3Findings(d, ctx.parse.ast, ctx.text));
}

/** The VCL 3 constructs of one declaration (`text` is the whole document's; only the declaration's part is read). */
function vcl3Findings(d: A.Declaration, program: A.Program, text: string): Finding[] {
  const out: Finding[] = [];
  let sub = '';
  walk(d, (n) => {
    switch (n.kind) {
      case 'SubDecl': {
        sub = n.name?.text ?? '';
        const to = n.name && own(renamedSubs, n.name.text);
        if (n.name && to) out.push(rename(n.name, to, `'sub ${n.name.text}' is VCL 3; in VCL 4 it is 'sub ${to}'`));
        break;
      }
      case 'Name': {
        const to = vcl4VariableName(sub, n.text);
        if (to) out.push(rename(n, to, variableMessage(sub, n.text, to)));
        break;
      }
      case 'ReturnStmt': {
        const to = n.action && ownAction(sub, n.action.text);
        if (n.action && to) out.push(rename(n.action, to, actionMessage(n.action.text, to)));
        return false;
      }
      case 'LegacyRemoveStmt':
        out.push({
          ...n.keyword,
          message: "'remove' is VCL 3; in VCL 4 it is 'unset'",
          fixes: [{ title: "Replace 'remove' with 'unset'", edits: [{ ...n.keyword, newText: 'unset' }] }],
        });
        break;
      case 'LegacyErrorStmt':
        out.push(errorStatement(n, text));
        return false;
      case 'LegacySyntheticStmt':
        out.push(syntheticStatement(n, text));
        break;
      case 'LegacyBareStmt':
        out.push(bareStatement(n, sub));
        break;
      case 'LegacyDirectorDecl':
        out.push({
          ...n.keyword,
          message: `VCL 3 'director' declarations are gone; in VCL 4 'import directors;' and create the director in vcl_init, e.g. 'new ${n.name?.text ?? 'd'} = directors.${directorKind(n.directorType?.text)}();'`,
        });
        break;
      default:
        break;
    }
    return undefined;
  }, program);
  return out;
}

function actionMessage(from: string, to: string): string {
  // varnishd 7.1 compiles a bare `return (pass)` there to VRT_handling(PASS) without VRT_hit_for_pass:
  // the object becomes hit-for-pass for beresp.ttl, as VCL 3's hit_for_pass did.
  if (from === 'hit_for_pass') return "'return (hit_for_pass)' is VCL 3; in VCL 4 vcl_backend_response says 'return (pass)' (hit-for-pass for beresp.ttl, as before) or 'return (pass(DURATION))'";
  return `'return (${from})' is VCL 3; in VCL 4 it is 'return (${to})'`;
}

function variableMessage(sub: string, from: string, to: string): string {
  switch (sub) {
    case 'vcl_fetch':
      return `'${from}' in VCL 3's vcl_fetch is '${to}' in VCL 4's vcl_backend_response, which sees the backend request (bereq) and response (beresp)`;
    case 'vcl_error':
      return `'${from}' in VCL 3's vcl_error is '${to}' in VCL 4's vcl_synth, which builds the response in resp`;
    case 'vcl_deliver':
      if (from.startsWith('obj.')) return `'${from}' is VCL 3; VCL 4's vcl_deliver reads and sets the response as '${to}'`;
      break;
    default:
      break;
  }
  return `'${from}' is VCL 3; in VCL 4 it is '${to}'`;
}

function rename(span: A.Span, to: string, message: string): Finding {
  return { start: span.start, end: span.end, message, fixes: [{ title: `Rename to '${to}'`, edits: [{ start: span.start, end: span.end, newText: to }] }] };
}

/** `purge;`, `esi;` and VCL 2's bare actions (`pass;`), with their VCL 4 form. */
function bareStatement(n: A.LegacyBareStmt, sub: string): Finding {
  const word = n.word.text;
  const at = { start: n.word.start, end: n.word.end };
  if (word === 'purge') {
    return { ...at, message: "'purge;' is VCL 3; in VCL 4 a purge is 'return (purge);' in vcl_recv (vcl_hit and vcl_miss no longer purge)" };
  }
  const replacement = word === 'esi' ? 'set beresp.do_esi = true;' : `return (${ownAction(sub, word) ?? (word === 'hit_for_pass' ? 'pass' : word)});`;
  return {
    ...at,
    message: `'${word};' is VCL ${word === 'esi' ? '2' : '2 (VCL 3 already wrote return (...))'}; in VCL 4 write '${replacement}'`,
    fixes: [{ title: `Replace with '${replacement}'`, edits: [{ start: n.start, end: n.end, newText: replacement }] }],
  };
}

/** `synthetic {"..."} + obj.status;` becomes `synthetic({"..."} + obj.status);` (the variables are renamed by their own findings). */
function syntheticStatement(n: A.LegacySyntheticStmt, text: string): Finding {
  const finding: Finding = { ...n.keyword, message: "'synthetic' without parentheses is VCL 3; in VCL 4 it is a function: 'synthetic(...);' in vcl_synth or vcl_backend_error" };
  if (n.value) {
    finding.fixes = [{ title: "Write 'synthetic(...)'", edits: [{ start: n.keyword.end, end: n.value.start, newText: '(' }, { start: n.value.end, end: n.value.end, newText: ')' }] }];
  }
  return finding;
}

/** `error 503 "reason";` becomes `return (synth(503, "reason"));`. */
function errorStatement(n: A.LegacyErrorStmt, text: string): Finding {
  const args = n.args.map((a) => text.slice(a.start, a.end));
  const finding: Finding = { ...n.keyword, message: `'error' is VCL 3; in VCL 4 write 'return (synth(${args.join(', ') || '503'}));'` };
  if (args.length <= 2 && text[n.end - 1] === ';') {
    finding.fixes = [{ title: 'Replace with return (synth(...))', edits: [{ start: n.start, end: n.end, newText: `return (synth(${args.join(', ') || '503'}));` }] }];
  }
  return finding;
}

function directorKind(type: string | undefined): string {
  switch (type) {
    case 'random': return 'random';
    case 'hash': return 'hash';
    case 'fallback': return 'fallback';
    default: return 'round_robin';
  }
}
