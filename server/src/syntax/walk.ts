/**
 * Depth-first traversal of the AST. Rules use it instead of hand-written
 * recursion so that a new node kind is handled in one place.
 */
import type * as A from './ast.js';

/** Called for every node; return false to skip the node's children. */
export type Visitor = (node: A.Node, parent: A.Node | undefined) => boolean | void;

/** Visits `root` and everything below it, in source order. */
export function walk(root: A.Node, visit: Visitor, parent?: A.Node): void {
  if (visit(root, parent) === false) return;
  for (const child of children(root)) walk(child, visit, root);
}

function children(n: A.Node): A.Node[] {
  const out: A.Node[] = [];
  const add = (...xs: Array<A.Node | undefined>) => {
    for (const x of xs) if (x) out.push(x);
  };
  switch (n.kind) {
    case 'Program': add(...n.declarations); break;
    case 'VersionDecl': add(n.version); break;
    case 'ImportDecl': add(n.name, n.alias, n.from); break;
    case 'IncludeDecl': add(n.flag, n.path); break;
    case 'BackendDecl': add(n.name, ...n.attributes); break;
    case 'ProbeDecl': add(n.name, ...n.attributes); break;
    case 'Attribute': add(n.name, n.value, ...n.moreStrings, ...(n.block ?? [])); break;
    case 'AclDecl': add(n.name, ...n.flags, ...n.entries); break;
    case 'AclFlag': add(n.name); break;
    case 'AclEntry': add(n.address, n.mask); break;
    case 'SubDecl': add(n.name, n.body); break;
    case 'LegacyDirectorDecl': add(n.name, n.directorType); break;
    case 'Block': add(...n.statements); break;
    case 'SetStmt': add(n.target, n.value); break;
    case 'UnsetStmt': add(n.target); break;
    case 'LegacyRemoveStmt': add(n.target); break;
    case 'LegacyErrorStmt': add(...n.args); break;
    case 'CallStmt': add(n.target, ...(n.args ?? [])); break;
    case 'ReturnStmt': add(n.action, ...(n.args ?? [])); break;
    case 'IfStmt': add(...n.branches, n.elseBody); break;
    case 'IfBranch': add(n.condition, n.body); break;
    case 'NewStmt': add(n.name, n.value); break;
    case 'ExpressionStmt': add(n.expression); break;
    case 'BinaryExpr': add(n.left, n.right); break;
    case 'UnaryExpr': add(n.operand); break;
    case 'MatchExpr': add(n.subject, n.pattern); break;
    case 'CallExpr': add(n.receiver, n.callee, ...n.args); break;
    case 'Argument': add(n.name, n.value); break;
    case 'Identifier': add(n.name); break;
    case 'StringConcat': add(...n.parts); break;
    case 'NumberLiteral': add(n.unit); break;
    case 'ParenExpr': add(n.expression); break;
    default: break;
  }
  return out;
}
