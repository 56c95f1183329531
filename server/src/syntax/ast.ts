/**
 * The VCL abstract syntax tree.
 *
 * Every node carries `start`/`end` UTF-16 offsets into the source (end
 * exclusive). Children are optional wherever broken input can leave them out:
 * while a user types, a half-written statement is the normal case.
 */

/** Offsets of a piece of source text, end exclusive. */
export interface Span {
  start: number;
  end: number;
}

/** A name as written, with its own span: sub, backend, variable, vmod, ... */
export interface Name extends Span {
  kind: 'Name';
  text: string;
}

export interface Comment extends Span {
  kind: 'Comment';
  style: '#' | '//' | '/*';
  text: string;
}

export interface Program extends Span {
  kind: 'Program';
  declarations: Declaration[];
  comments: Comment[];
}

export type Declaration =
  | VersionDecl
  | ImportDecl
  | IncludeDecl
  | BackendDecl
  | ProbeDecl
  | AclDecl
  | SubDecl
  | InlineC
  | LegacyDirectorDecl
  | UnusedDecl;

/**
 * `unused name;` (Vinyl Cache 9.0): marks a backend, probe, ACL or sub as
 * deliberately unused. `unused` is no keyword: before 9.0 it is a plain name.
 */
export interface UnusedDecl extends Span {
  kind: 'UnusedDecl';
  keyword: Span;
  name?: Name;
}

/** VCL 3 `director name type { ... }` (VCL 4: vmod directors in vcl_init). */
export interface LegacyDirectorDecl extends Span {
  kind: 'LegacyDirectorDecl';
  keyword: Span;
  name?: Name;
  directorType?: Name;
}

/** `vcl 4.1;` */
export interface VersionDecl extends Span {
  kind: 'VersionDecl';
  version?: NumberLiteral;
}

/** `import name [from "path"];` */
export interface ImportDecl extends Span {
  kind: 'ImportDecl';
  name?: Name;
  /** `import vmod as alias;` */
  alias?: Name;
  from?: StringLiteral;
}

/** `include [+glob] "file";` — also allowed inside a subroutine body. */
export interface IncludeDecl extends Span {
  kind: 'IncludeDecl';
  flag?: Name;
  path?: StringLiteral;
}

/** `backend name { ... }` or `backend name none;` */
export interface BackendDecl extends Span {
  kind: 'BackendDecl';
  name?: Name;
  /** True for `backend name none;`. */
  none: boolean;
  /** True when the backend has a `{ ... }` body (possibly empty). */
  hasBody: boolean;
  attributes: Attribute[];
}

/** `probe name { ... }` */
export interface ProbeDecl extends Span {
  kind: 'ProbeDecl';
  name?: Name;
  attributes: Attribute[];
}

/** `.name = value;` inside a backend or probe, or `.probe = { ... }`. */
export interface Attribute extends Span {
  kind: 'Attribute';
  name?: Name;
  /** The value expression; absent for an inline probe block. */
  value?: Expression;
  /** Further juxtaposed strings (a probe's multi-line `.request`). */
  moreStrings: StringLiteral[];
  /** Attributes of an inline `.probe = { ... }`. */
  block?: Attribute[];
  /** Span of the inline probe's braces. */
  blockSpan?: Span;
}

/** `acl name [+flag ...] { entries }` */
export interface AclDecl extends Span {
  kind: 'AclDecl';
  name?: Name;
  flags: AclFlag[];
  entries: AclEntry[];
}

export interface AclFlag extends Span {
  kind: 'AclFlag';
  sign: '+' | '-';
  name?: Name;
}

/** `[!] ["(" ] "address" [/ mask] [")"] ;` */
export interface AclEntry extends Span {
  kind: 'AclEntry';
  negated: boolean;
  /** Parenthesised entries are skipped when the name does not resolve. */
  optional: boolean;
  address?: StringLiteral;
  mask?: NumberLiteral;
}

/** `sub name { ... }` */
export interface SubDecl extends Span {
  kind: 'SubDecl';
  name?: Name;
  body?: Block;
}

/** Inline C `C{ ... }C`, kept opaque. */
export interface InlineC extends Span {
  kind: 'InlineC';
  code: string;
}

export interface Block extends Span {
  kind: 'Block';
  statements: Statement[];
}

export type Statement =
  | SetStmt
  | UnsetStmt
  | CallStmt
  | ReturnStmt
  | IfStmt
  | NewStmt
  | ExpressionStmt
  | IncludeDecl
  | InlineC
  | Block
  | LegacyErrorStmt
  | LegacyRemoveStmt
  | LegacySyntheticStmt
  | LegacyBareStmt;

export type AssignOperator = '=' | '+=' | '-=' | '*=' | '/=';

/** `set target op value;` */
export interface SetStmt extends Span {
  kind: 'SetStmt';
  target?: Name;
  operator?: AssignOperator;
  operatorSpan?: Span;
  value?: Expression;
}

/** `unset target;` */
export interface UnsetStmt extends Span {
  kind: 'UnsetStmt';
  target?: Name;
}

/** VCL 3 `remove target;` (VCL 4: `unset`). */
export interface LegacyRemoveStmt extends Span {
  kind: 'LegacyRemoveStmt';
  keyword: Span;
  target?: Name;
}

/** VCL 2/3 one-word statements: `purge;`, `esi;`, `pass;` ... */
export interface LegacyBareStmt extends Span {
  kind: 'LegacyBareStmt';
  word: Name;
}

/** VCL 3 `synthetic "...";` without parentheses (VCL 4: `synthetic("...");`). */
export interface LegacySyntheticStmt extends Span {
  kind: 'LegacySyntheticStmt';
  keyword: Span;
  value?: Expression;
}

/** VCL 3 `error [status] [reason];` (VCL 4: `return (synth(...))`). */
export interface LegacyErrorStmt extends Span {
  kind: 'LegacyErrorStmt';
  keyword: Span;
  args: Expression[];
}

/** `call name;` */
export interface CallStmt extends Span {
  kind: 'CallStmt';
  target?: Name;
  /** Arguments when the callee is a function returning a SUB. */
  args?: Argument[];
}

/** `return;`, `return (action);` or `return (action(args));` */
export interface ReturnStmt extends Span {
  kind: 'ReturnStmt';
  keyword: Span;
  action?: Name;
  /** Present when the action has an argument list, even an empty one. */
  args?: Argument[];
  /** Where the argument list stands, from `(` to `)`, when there is one. */
  argsSpan?: Span;
}

/** `if (c) {} elsif (c) {} else {}` with `elseif` and `else if` too. */
export interface IfStmt extends Span {
  kind: 'IfStmt';
  branches: IfBranch[];
  elseBody?: Block;
}

export interface IfBranch extends Span {
  kind: 'IfBranch';
  /** How the branch was introduced: `if`, `elsif`, `elseif` or `else if`. */
  keyword: string;
  condition?: Expression;
  body?: Block;
}

/** `new name = vmod.object(args);` */
export interface NewStmt extends Span {
  kind: 'NewStmt';
  name?: Name;
  value?: Expression;
}

/** A function or method call used as a statement: `std.log("x");` */
export interface ExpressionStmt extends Span {
  kind: 'ExpressionStmt';
  expression: CallExpr;
}

export type Expression =
  | BinaryExpr
  | UnaryExpr
  | MatchExpr
  | CallExpr
  | Identifier
  | StringLiteral
  | StringConcat
  | NumberLiteral
  | BlobLiteral
  | ParenExpr;

export type BinaryOperator = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';

export interface BinaryExpr extends Span {
  kind: 'BinaryExpr';
  operator: BinaryOperator;
  operatorSpan: Span;
  left: Expression;
  right?: Expression;
}

export interface UnaryExpr extends Span {
  kind: 'UnaryExpr';
  operator: '!' | '-';
  operand?: Expression;
}

/** `subject ~ "regex"`, `subject !~ "regex"` or `client.ip ~ acl_name`. */
export interface MatchExpr extends Span {
  kind: 'MatchExpr';
  operator: '~' | '!~';
  subject: Expression;
  /** A regular expression (literal or `+`-joined literals), an ACL name or another expression. */
  pattern?: Expression;
}

export interface CallExpr extends Span {
  kind: 'CallExpr';
  /** For a method called on an expression, `(x).lower()`: that expression. */
  receiver?: Expression;
  /** The function, or the method name when there is a receiver. */
  callee: Name;
  args: Argument[];
  /** Span of the parentheses, for signature help and fixes. */
  argsSpan: Span;
}

/** A positional or `name = value` argument. */
export interface Argument extends Span {
  kind: 'Argument';
  name?: Name;
  value?: Expression;
}

/** A symbol used as a value: variable, backend, acl, enum, `true`, ... */
export interface Identifier extends Span {
  kind: 'Identifier';
  name: Name;
}

export interface StringLiteral extends Span {
  kind: 'StringLiteral';
  /** The text between the delimiters. */
  value: string;
  style: '"' | '{"' | '"""';
}

/** Literals joined with `+` where only literals may stand (regular expressions). */
export interface StringConcat extends Span {
  kind: 'StringConcat';
  parts: StringLiteral[];
}

export interface NumberLiteral extends Span {
  kind: 'NumberLiteral';
  text: string;
  value: number;
  /** Unit as written: `ms s m h d w y` or `B KB MB GB TB`. */
  unit?: Name;
}

export interface BlobLiteral extends Span {
  kind: 'BlobLiteral';
  text: string;
}

export interface ParenExpr extends Span {
  kind: 'ParenExpr';
  expression?: Expression;
}

/** Any node of the tree. */
export type Node =
  | Program | Declaration | Attribute | AclFlag | AclEntry | Statement | IfBranch
  | Expression | Argument | Name | Comment;

/** True for expression nodes (walkers that only look at statements skip them). */
export function isExpression(n: Node): n is Expression {
  switch (n.kind) {
    case 'BinaryExpr': case 'UnaryExpr': case 'MatchExpr': case 'CallExpr': case 'Identifier':
    case 'StringLiteral': case 'StringConcat': case 'NumberLiteral': case 'BlobLiteral': case 'ParenExpr':
      return true;
    default:
      return false;
  }
}
