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
  // Children are visited straight from the switch: rules walk the tree many
  // times per keystroke, and collecting them into arrays first doubled the cost.
  const v = (n: A.Node | undefined) => {
    if (n) walk(n, visit, root);
  };
  const all = (ns: readonly A.Node[] | undefined) => {
    if (ns) for (const n of ns) walk(n, visit, root);
  };
  const n = root;
  switch (n.kind) {
    case 'Program': all(n.declarations); break;
    case 'VersionDecl': v(n.version); break;
    case 'ImportDecl': v(n.name); v(n.alias); v(n.from); break;
    case 'IncludeDecl': v(n.flag); v(n.path); break;
    case 'BackendDecl': v(n.name); all(n.attributes); break;
    case 'ProbeDecl': v(n.name); all(n.attributes); break;
    case 'Attribute': v(n.name); v(n.value); all(n.moreStrings); all(n.block); break;
    case 'AclDecl': v(n.name); all(n.flags); all(n.entries); break;
    case 'AclFlag': v(n.name); break;
    case 'AclEntry': v(n.address); v(n.mask); break;
    case 'SubDecl': v(n.name); v(n.body); break;
    case 'LegacyDirectorDecl': v(n.name); v(n.directorType); break;
    case 'Block': all(n.statements); break;
    case 'SetStmt': v(n.target); v(n.value); break;
    case 'UnsetStmt': v(n.target); break;
    case 'LegacyRemoveStmt': v(n.target); break;
    case 'LegacyErrorStmt': all(n.args); break;
    case 'CallStmt': v(n.target); all(n.args); break;
    case 'ReturnStmt': v(n.action); all(n.args); break;
    case 'IfStmt': all(n.branches); v(n.elseBody); break;
    case 'IfBranch': v(n.condition); v(n.body); break;
    case 'NewStmt': v(n.name); v(n.value); break;
    case 'ExpressionStmt': v(n.expression); break;
    case 'BinaryExpr': v(n.left); v(n.right); break;
    case 'UnaryExpr': v(n.operand); break;
    case 'MatchExpr': v(n.subject); v(n.pattern); break;
    case 'CallExpr': v(n.receiver); v(n.callee); all(n.args); break;
    case 'Argument': v(n.name); v(n.value); break;
    case 'Identifier': v(n.name); break;
    case 'StringConcat': all(n.parts); break;
    case 'NumberLiteral': v(n.unit); break;
    case 'ParenExpr': v(n.expression); break;
    default: break;
  }
}
