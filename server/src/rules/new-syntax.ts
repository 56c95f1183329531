/**
 * What VCC's parser refuses after `new x =` in vcl_init, for the `syntax`
 * rule: a value that is no name ("Expected ID got '...'"), and a vmod
 * object's constructor written without its parentheses ("Expected '(' got
 * ';'"), checked with varnishd 6.5, 7.1 and 9.0. A name of something that
 * is no object type is the type checker's ("has wrong type").
 */
import type * as A from '../syntax/ast.js';
import type { Finding, RuleContext } from './rule.js';
import { walkStatements } from '../syntax/walk.js';
import { vmodObject } from '../vmods/index.js';

/** The findings for the `new` statements of this file's vcl_init subs. */
export function newStatementProblems(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  let imports: Map<string, A.ImportDecl> | undefined;
  for (const d of ctx.parse.ast.declarations) {
    // `new` belongs in vcl_init (action-placement says so elsewhere): only there is it read.
    if (d.kind !== 'SubDecl' || d.name?.text !== 'vcl_init' || !d.body) continue;
    walkStatements(d.body, undefined, (s) => {
      if (s.kind !== 'NewStmt' || !s.value || s.value.kind === 'CallExpr') return;
      const v = s.value;
      if (v.kind !== 'Identifier') {
        out.push({ start: v.start, end: v.end, message: `Expected ID got '${ctx.text.slice(v.start, Math.min(v.end, v.start + 40))}' (new makes an object with a vmod's constructor, as in new x = directors.round_robin())` });
        return;
      }
      imports ??= importsOf(ctx.parse.ast);
      const [head, className] = v.name.text.split('.');
      const decl = head ? imports.get(head.toLowerCase()) : undefined;
      const vmod = decl?.name ? ctx.resolveVmod(decl.name.text, decl.from?.value) : undefined;
      const obj = vmod && className ? vmodObject(vmod, className) : undefined;
      if (!obj) return;
      const finding: Finding = { start: v.end, end: v.end + 1, message: `Expected '(' got ';' (the constructor is called: ${v.name.text}(...))` };
      // Nothing to fill in when every argument may be left out: the parentheses are all that is missing.
      if (obj.constructorArgs.every((a) => a.hidden || a.optional || a.default !== undefined)) {
        finding.fixes = [{ title: `Write ${v.name.text}()`, edits: [{ start: v.end, end: v.end, newText: '()' }] }];
      }
      out.push(finding);
    });
  }
  return out;
}

/** This file's imports by the name the program calls them (the alias when there is one), in lower case. */
function importsOf(program: A.Program): Map<string, A.ImportDecl> {
  const out = new Map<string, A.ImportDecl>();
  for (const d of program.declarations) {
    const name = d.kind === 'ImportDecl' ? (d.alias ?? d.name) : undefined;
    if (name) out.set(name.text.toLowerCase(), d as A.ImportDecl);
  }
  return out;
}
