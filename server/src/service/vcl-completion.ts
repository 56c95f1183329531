/**
 * Completion in VCL: only what is valid where the cursor stands. Variables
 * the current sub may read (or, after `set`/`unset`, write), header names
 * after `req.http.` and the other header families, vmod functions after
 * `std.`, methods after an object's name, the return actions of the sub in
 * `return (`, subs after `call`, probes after `.probe =`, backends where a
 * backend is assigned, ACLs after `client.ip ~`, fields in `backend {}` and
 * `probe {}`, and declaration snippets at the top level.
 */
import type { IToken } from 'chevrotain';
import type { SemanticModel, DefinitionKind } from '../analysis/semantic-model.js';
import { variableInVcl, type VariableFact, type VclFacts } from '../facts/index.js';
import { builtinFunctions } from '../facts/builtin-functions.js';
import { builtinVmodNames } from '../vmods/index.js';
import { cursorContext, type CursorContext } from './vcl-cursor.js';
import { formatArg, type VmodScope } from './vmod-scope.js';
import { availableIn, methodsFor } from './sub-methods.js';
import { callAt } from './vcl-signature-help.js';

/** What a completion item is, for the editor's icon. */
export type CompletionKindName = 'variable' | 'function' | 'method' | 'module' | 'class' | 'interface' | 'constant' | 'keyword' | 'snippet' | 'property' | 'value' | 'field' | 'struct' | 'enum';

/** One completion, with the text span it replaces (offsets in the document). */
export interface VclCompletion {
  label: string;
  kind: CompletionKindName;
  detail?: string;
  documentation?: string;
  /** Text that replaces `start..end`; a snippet with `$1` placeholders when `snippet` is set. */
  insertText: string;
  snippet?: boolean;
  /** True when the inserted text ends where more completion makes sense (`req.http.`). */
  retrigger?: boolean;
  start: number;
  end: number;
}

/** What completion knows besides the text. */
export interface CompletionEnv {
  model: SemanticModel;
  scope: VmodScope;
  /** Header names used in the workspace (called only after a header family). */
  headerNames?: () => Iterable<string>;
  /**
   * The character that triggered completion. After a space only places that
   * expect one kind of name answer (`call `, `set `, `return (`, ...), so
   * that typing a space in an expression pops nothing up.
   */
  trigger?: string;
}

const BACKEND_FIELDS: Record<string, string> = {
  host: 'Host name or IP address of the backend (STRING)',
  port: 'Port or service name (STRING)',
  path: 'Path of a UNIX domain socket, instead of .host (STRING)',
  host_header: 'Host header sent to the backend when the request has none (STRING)',
  connect_timeout: 'Time to wait for a connection (DURATION)',
  first_byte_timeout: 'Time to wait for the first byte of the response (DURATION)',
  between_bytes_timeout: 'Time to wait between bytes of the response (DURATION)',
  max_connections: 'Most connections to this backend at once (INT)',
  proxy_header: 'PROXY protocol version sent to the backend: 1 or 2 (INT)',
  probe: 'Health probe: the name of a probe, or an inline { } block',
  preamble: 'Bytes sent to the backend before each request (BLOB)',
};

const PROBE_FIELDS: Record<string, string> = {
  url: 'URL requested (STRING, default "/")',
  request: 'The whole request, one string per line (instead of .url)',
  expected_response: 'Status code that counts as healthy (INT, default 200)',
  timeout: 'How long a probe may take (DURATION)',
  interval: 'Time between probes (DURATION)',
  window: 'How many of the latest probes are considered (INT, at most 64)',
  threshold: 'How many of them must be good for a healthy backend (INT)',
  initial: 'How many probes count as good at start (INT)',
};

const TOP_SNIPPETS: Array<{ label: string; detail: string; body: string }> = [
  { label: 'backend', detail: 'backend declaration', body: 'backend ${1:name} {\n    .host = "${2:127.0.0.1}";\n    .port = "${3:8080}";\n}' },
  { label: 'probe', detail: 'health probe', body: 'probe ${1:name} {\n    .url = "${2:/health}";\n    .interval = ${3:5s};\n    .timeout = ${4:1s};\n    .window = ${5:5};\n    .threshold = ${6:3};\n}' },
  { label: 'acl', detail: 'access control list', body: 'acl ${1:name} {\n    "${2:127.0.0.1}";\n}' },
  { label: 'sub', detail: 'subroutine', body: 'sub ${1:name} {\n    $0\n}' },
  { label: 'import', detail: 'import a vmod', body: 'import ${1:std};' },
  { label: 'include', detail: 'include a VCL file', body: 'include "${1:file.vcl}";' },
  { label: 'vcl 4.1', detail: 'VCL version line', body: 'vcl 4.1;' },
];

/** Completions at `offset` of a VCL document. Never throws on half-written text. */
export function vclCompletions(text: string, offset: number, env: CompletionEnv): VclCompletion[] {
  const ctx = cursorContext(text, offset);
  if (ctx.inert) return [];
  const out = new Out(ctx);
  switch (ctx.block) {
    case 'top': topLevel(ctx, env, out); break;
    case 'backend': fields(ctx, BACKEND_FIELDS, env, out); break;
    case 'probe': fields(ctx, PROBE_FIELDS, env, out); break;
    case 'sub': inSub(ctx, env, out); break;
    default: break;
  }
  return out.items;
}

/** Collects items over the word's span, keeping only those that start with what is typed. */
class Out {
  readonly items: VclCompletion[] = [];
  private readonly seen = new Set<string>();
  private readonly typed: string;

  constructor(private readonly ctx: CursorContext) {
    this.typed = ctx.word.text.toLowerCase();
  }

  add(item: Omit<VclCompletion, 'start' | 'end' | 'insertText'> & { insertText?: string }): void {
    const insertText = item.insertText ?? item.label;
    const filter = item.snippet ? item.label : insertText;
    if (!filter.toLowerCase().startsWith(this.typed.slice(0, this.typed.lastIndexOf('.') + 1))) return;
    const key = `${item.kind}\u0000${insertText}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push({ ...item, insertText, start: this.ctx.word.start, end: this.ctx.word.end });
  }
}

function topLevel(ctx: CursorContext, env: CompletionEnv, out: Out): void {
  const s = ctx.statement;
  if (s.length === 0) {
    if (env.trigger === ' ') return;
    // One version line per program: the first file's counts.
    const hasVersion = env.model.files[0]?.program.declarations.some((d) => d.kind === 'VersionDecl') === true;
    for (const sn of TOP_SNIPPETS) if (!(hasVersion && sn.label.startsWith('vcl '))) out.add({ label: sn.label, kind: 'snippet', detail: sn.detail, insertText: sn.body, snippet: true });
    const defined = new Set(env.model.definitions.filter((d) => d.kind === 'sub').map((d) => d.name.toLowerCase()));
    for (const sub of env.model.facts.subroutines) {
      if (defined.has(sub.name)) continue;
      out.add({ label: `sub ${sub.name}`, kind: 'snippet', detail: `built-in subroutine (${sub.side})`, insertText: `sub ${sub.name} {\n    $0\n}`, snippet: true });
    }
    return;
  }
  if (s.length === 1 && s[0]!.tokenType.name === 'Sub') {
    for (const sub of env.model.facts.subroutines) out.add({ label: sub.name, kind: 'function', detail: `built-in subroutine; return (${sub.returns.join(', ')})` });
    return;
  }
  if (s.length === 1 && s[0]!.tokenType.name === 'Import') {
    for (const name of builtinVmodNames(env.model.facts.release)) out.add({ label: name, kind: 'module', detail: 'vmod' });
  }
}

function fields(ctx: CursorContext, table: Record<string, string>, env: CompletionEnv, out: Out): void {
  const s = ctx.statement;
  if (ctx.fieldDot && s.length === 0) {
    for (const [name, doc] of Object.entries(table)) out.add({ label: name, kind: 'field', detail: doc });
    return;
  }
  // `.probe = name`
  if (s.length === 3 && s[0]!.tokenType.name === 'Dot' && s[1]!.image === 'probe' && s[2]!.tokenType.name === 'Equals') {
    definitionsOf(env.model, 'probe', out);
  }
}

function inSub(ctx: CursorContext, env: CompletionEnv, out: Out): void {
  const s = ctx.statement;
  const sub = ctx.declaration ?? '';
  const methods = methodsFor(env.model, sub);
  const first = s[0]?.tokenType.name;
  const last = s[s.length - 1];
  if (ctx.word.text.includes('.')) {
    member(ctx, env, methods, s, out);
    return;
  }
  if (s.length === 0) {
    if (env.trigger !== ' ') statementStart(sub, methods, env, out);
    return;
  }
  if (s.length === 1 && first === 'Call') {
    definitionsOf(env.model, 'sub', out, (name) => !env.model.facts.builtinSubroutine(name));
    return;
  }
  if (s.length === 1 && (first === 'Set' || first === 'Unset')) {
    variables(env.model.facts, env.model.version, methods, first === 'Set' ? 'writable' : 'unsettable', out);
    return;
  }
  if (first === 'Return' && s.length === 2 && s[1]!.tokenType.name === 'LParen') {
    returnActions(env.model.facts, sub, methods, out);
    return;
  }
  if (first === 'New' && s.length === 3 && s[2]!.tokenType.name === 'Equals') {
    for (const v of env.scope.vmods.values()) if (v.vmod.objects.length) out.add({ label: v.name, kind: 'module', detail: `vmod ${v.vmod.name}` });
    return;
  }
  if (first === 'New') return;
  if (last && (last.tokenType.name === 'Tilde' || last.tokenType.name === 'NoMatch')) {
    const subject = s[s.length - 2];
    const fact = subject?.tokenType.name === 'Ident' ? env.model.facts.lookupVariable(subject.image, env.model.version) : undefined;
    if (fact?.type === 'IP') definitionsOf(env.model, 'acl', out);
    return;
  }
  if (first === 'Set' && s.length === 3 && isAssignment(s[2]!)) {
    const target = env.model.facts.lookupVariable(s[1]!.image, env.model.version);
    if (target?.type === 'BACKEND') {
      backends(env, out);
      return;
    }
  }
  if (argumentOfType(s, env, out)) return;
  if (env.trigger !== ' ') expression(methods, env, out);
}

function backends(env: CompletionEnv, out: Out): void {
  definitionsOf(env.model, 'backend', out);
  for (const o of env.scope.objects.values()) {
    const m = o.type.methods.find((x) => x.returnType === 'BACKEND' && x.args.every((a) => a.hidden || a.optional || a.default !== undefined));
    if (m) out.add({ label: `${o.name}.${m.name}()`, kind: 'method', detail: `${o.vmod.name}.${o.type.name} director` });
  }
}

/**
 * At the start of an argument whose type names one kind of thing (a
 * BACKEND, ACL, PROBE, SUB or ENUM argument of a vmod call), only those
 * things. True when the argument was such a one.
 */
function argumentOfType(s: IToken[], env: CompletionEnv, out: Out): boolean {
  const last = s[s.length - 1]?.tokenType.name;
  if (last !== 'LParen' && last !== 'Comma' && last !== 'Equals') return false;
  const call = callAt(s, env.scope);
  const arg = call && call.active >= 0 ? call.args[call.active] : undefined;
  switch (arg?.type) {
    case 'BACKEND': backends(env, out); return true;
    case 'ACL': definitionsOf(env.model, 'acl', out); return true;
    case 'PROBE': definitionsOf(env.model, 'probe', out); return true;
    case 'SUB': definitionsOf(env.model, 'sub', out, (name) => !env.model.facts.builtinSubroutine(name)); return true;
    case 'ENUM':
      for (const v of arg.enum ?? []) out.add({ label: v, kind: 'value', detail: `${arg.name ?? 'ENUM'}${arg.default === v ? ' (default)' : ''}` });
      return true;
    default:
      // Where an argument starts, its name may come first: `std.integer(fallback = 0, ...)`.
      if (call?.namedArguments && last !== 'Equals') {
        for (const a of call.args) if (a.name) out.add({ label: `${a.name} =`, kind: 'field', detail: formatArg(a), insertText: `${a.name} = ` });
      }
      return false;
  }
}

function isAssignment(t: IToken): boolean {
  return ['Equals', 'PlusEq', 'MinusEq', 'StarEq', 'SlashEq'].includes(t.tokenType.name);
}

/** After a dot: vmod members, object methods, header names or longer variable names. */
function member(ctx: CursorContext, env: CompletionEnv, methods: readonly string[] | undefined, s: IToken[], out: Out): void {
  const word = ctx.word.text;
  const head = word.slice(0, word.lastIndexOf('.'));
  const imported = env.scope.vmods.get(head.toLowerCase());
  if (imported) {
    const inNew = s[0]?.tokenType.name === 'New';
    if (inNew) {
      for (const o of imported.vmod.objects) out.add({ label: o.name, kind: 'class', detail: `new x = ${head}.${o.name}(${o.constructorArgs.filter((a) => !a.hidden).map(formatArg).join(', ')})`, insertText: `${head}.${o.name}` });
      return;
    }
    for (const f of imported.vmod.functions) {
      out.add({ label: f.name, kind: 'function', detail: `${f.returnType} ${head}.${f.name}(${f.args.filter((a) => !a.hidden).map(formatArg).join(', ')})`, insertText: `${head}.${f.name}` });
    }
    for (const a of imported.vmod.aliases) if (!a.name.includes('.')) out.add({ label: a.name, kind: 'function', detail: `alias of ${head}.${a.target}`, insertText: `${head}.${a.name}` });
    return;
  }
  const object = env.scope.objects.get(head.toLowerCase());
  if (object) {
    for (const m of object.type.methods) {
      out.add({ label: m.name, kind: 'method', detail: `${m.returnType} ${head}.${m.name}(${m.args.filter((a) => !a.hidden).map(formatArg).join(', ')})`, insertText: `${head}.${m.name}` });
    }
    return;
  }
  const setLike = s.length === 1 && (s[0]!.tokenType.name === 'Set' || s[0]!.tokenType.name === 'Unset') ? (s[0]!.tokenType.name === 'Set' ? 'writable' : 'unsettable') : s.length === 0 ? undefined : 'readable';
  const family = env.model.facts.variables.find((v) => v.family && v.name.toLowerCase() === `${head.toLowerCase()}.`);
  if (family) {
    if (!availableIn(family, setLike ?? 'readable', methods)) return;
    const prefix = `${head}.`;
    const names = new Set<string>(env.headerNames?.() ?? []);
    for (const name of [...names].sort()) out.add({ label: name, kind: 'property', detail: `header (${family.name}NAME)`, insertText: `${prefix}${name}` });
    return;
  }
  variables(env.model.facts, env.model.version, methods, setLike ?? 'readable', out);
}

function statementStart(sub: string, methods: readonly string[] | undefined, env: CompletionEnv, out: Out): void {
  const kw = (label: string, detail: string, body?: string) => out.add({ label, kind: body ? 'snippet' : 'keyword', detail, insertText: body ?? label, snippet: body !== undefined });
  kw('set', 'set a variable');
  kw('unset', 'remove a variable (header)');
  kw('call', 'call a subroutine');
  kw('return', 'leave the subroutine with an action', 'return (${1});');
  kw('if', 'condition', 'if (${1}) {\n    $0\n}');
  if (sub.toLowerCase() === 'vcl_init') kw('new', 'create a vmod object', 'new ${1:name} = ${2}');
  for (const f of builtinFunctions) {
    if (f.returnType !== 'VOID') continue;
    if (f.restrictedTo && methods && !methods.every((m) => f.restrictedTo!.includes(m))) continue;
    out.add({ label: f.name, kind: 'function', detail: `${f.name}(${f.args.map((a) => `${a.type} ${a.name}`).join(', ')})`, documentation: f.description });
  }
  vmodsAndObjects(env, out);
}

function expression(methods: readonly string[] | undefined, env: CompletionEnv, out: Out): void {
  variables(env.model.facts, env.model.version, methods, 'readable', out);
  for (const f of builtinFunctions) {
    if (f.returnType === 'VOID') continue;
    out.add({ label: f.name, kind: 'function', detail: `${f.returnType} ${f.name}(${f.args.map((a) => `${a.type} ${a.name}`).join(', ')})`, documentation: f.description });
  }
  for (const c of ['true', 'false']) out.add({ label: c, kind: 'constant', detail: 'BOOL' });
  vmodsAndObjects(env, out);
}

function vmodsAndObjects(env: CompletionEnv, out: Out): void {
  for (const v of env.scope.vmods.values()) out.add({ label: v.name, kind: 'module', detail: `vmod ${v.vmod.name}` });
  for (const o of env.scope.objects.values()) out.add({ label: o.name, kind: 'struct', detail: `${o.vmod.name}.${o.type.name} object` });
}

function variables(facts: VclFacts, version: string, methods: readonly string[] | undefined, access: 'readable' | 'writable' | 'unsettable', out: Out): void {
  for (const v of facts.variables) {
    if (v.placeholder || !variableInVcl(v, version) || !availableIn(v, access, methods)) continue;
    out.add({ label: v.name, kind: 'variable', detail: variableDetail(v), retrigger: v.family === true });
  }
}

function variableDetail(v: VariableFact): string {
  return `${v.type}${v.family ? ' (any header)' : ''}${v.writable.length ? '' : ', read-only'}${v.deprecated ? ', deprecated' : ''}`;
}

function returnActions(facts: VclFacts, sub: string, methods: readonly string[] | undefined, out: Out): void {
  const own = facts.builtinSubroutine(sub);
  // A sub nothing calls yet may return what is valid somewhere.
  const lists = own ? [own.returns] : methods ? methods.map((m) => facts.builtinSubroutine(m)?.returns ?? []) : [facts.returnActions];
  if (lists.length === 0) return;
  // A custom sub may only return what every built-in method that calls it allows.
  const allowed = lists[0]!.filter((a) => lists.every((l) => l.includes(a)));
  for (const a of allowed) out.add({ label: a, kind: 'keyword', detail: own ? `return action of ${own.name}` : methods ? `allowed in ${methods.join(', ')}` : 'return action' });
}

function definitionsOf(model: SemanticModel, kind: DefinitionKind, out: Out, keep: (name: string) => boolean = () => true): void {
  const kindName: Record<DefinitionKind, 'function' | 'class' | 'interface' | 'enum' | 'struct' | 'module'> = { sub: 'function', backend: 'class', probe: 'interface', acl: 'enum', object: 'struct', vmod: 'module' };
  for (const d of model.definitions) {
    if (d.kind !== kind || !keep(d.name)) continue;
    out.add({ label: d.name, kind: kindName[kind], detail: `${kind}${d.file ? ` (${d.file.split('/').pop()})` : ''}` });
  }
}
