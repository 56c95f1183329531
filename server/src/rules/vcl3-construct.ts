/**
 * `vcl3-construct`: VCL 3 spellings that Varnish 4 and later refuse. Each
 * finding names the VCL 4 spelling, and carries it as a fix where the
 * rewrite is mechanical.
 */
import type * as A from '../syntax/ast.js';
import { walk } from '../syntax/walk.js';
import type { Finding, Rule } from './rule.js';

const renamedSubs: Record<string, string> = {
  vcl_fetch: 'vcl_backend_response',
  vcl_error: 'vcl_synth',
};

const renamedVariables: Record<string, string> = {
  'req.request': 'req.method',
  'bereq.request': 'bereq.method',
  'req.backend': 'req.backend_hint',
};

/** VCL 3 actions by the sub they were returned from (`lookup` is still right in vcl_hash). */
const renamedActions: Record<string, Record<string, string>> = {
  vcl_recv: { lookup: 'hash' },
  vcl_fetch: { hit_for_pass: 'pass' },
  vcl_backend_response: { hit_for_pass: 'pass' },
};

export const vcl3ConstructRule: Rule = {
  id: 'vcl3-construct',
  defaultSeverity: 'error',
  description: 'A VCL 3 construct that Varnish 4 and later refuse; the message gives the VCL 4 spelling.',
  check(ctx) {
    const out: Finding[] = [];
    const text = ctx.text;
    let sub = '';
    walk(ctx.parse.ast, (n) => {
      switch (n.kind) {
        case 'SubDecl': {
          sub = n.name?.text ?? '';
          const to = n.name && renamedSubs[n.name.text];
          if (n.name && to) out.push(rename(n.name, to, `'sub ${n.name.text}' is VCL 3; in VCL 4 it is 'sub ${to}'`));
          break;
        }
        case 'Name': {
          const to = renamedVariables[n.text];
          if (to) out.push(rename(n, to, `'${n.text}' is VCL 3; in VCL 4 it is '${to}'`));
          break;
        }
        case 'ReturnStmt': {
          const to = n.action && renamedActions[sub]?.[n.action.text];
          if (n.action && to) out.push(rename(n.action, to, `'return (${n.action.text})' is VCL 3; in VCL 4 it is 'return (${to})'`));
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
    });
    return out;
  },
};

function rename(span: A.Span, to: string, message: string): Finding {
  return { start: span.start, end: span.end, message, fixes: [{ title: `Rename to '${to}'`, edits: [{ start: span.start, end: span.end, newText: to }] }] };
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
