/**
 * Depth-first traversal of the AST: `walk` visits every node, and
 * `walkStatements` the statements of a sub with what the visitor carries
 * down them. Checks use these instead of hand-written recursion so that a
 * new node kind is handled in one place.
 */
import { keptFor } from './kept.js';
import type * as A from './ast.js';

/** Called for every node; return false to skip the node's children. */
export type Visitor = (node: A.Node, parent: A.Node | undefined) => boolean | void;

/**
 * A subtree in visiting order: `parents[i]` is the parent of `nodes[i]`
 * (undefined for the root), and `after[i]` is the index just past the
 * subtree of `nodes[i]`, where a visit goes on when children are skipped.
 */
interface Flattened {
  nodes: A.Node[];
  parents: Array<A.Node | undefined>;
  after: number[];
}

// Rules walk the whole program many times per analysis: each large
// declaration is put in visiting order once, and every later walk of it is
// a loop over arrays. Trees are never changed in shape once built, and an
// edit leaves the declarations it did not touch as they were (the parser
// moves them in place), so an order stays right for as long as its
// declaration lives: after a keystroke only the edited declaration is put
// in order again (an order per program, as before, cost a 20,000-line
// document a fifth of each edit's analysis). Small declarations are walked
// directly: keeping an order for each of 10,000 small declarations cost
// more in memory and collection than the walks it saved. The orders are kept
// with the rest of what is kept per declaration (kept.ts), whose size
// threshold decides which declarations are small.

/** Visits `root` and everything below it, in source order. */
export function walk(root: A.Node, visit: Visitor, parent?: A.Node): void {
  if (root.kind !== 'Program') {
    walkSubtree(root, visit, parent);
    return;
  }
  if (visit(root, parent) === false) return;
  const declarations = root.declarations;
  for (let d = 0; d < declarations.length; d++) {
    const decl = declarations[d]!;
    const kept = keptFor(decl);
    if (!kept) {
      walkSubtree(decl, visit, root);
      continue;
    }
    let f = kept.get('walk:order') as Flattened | undefined;
    if (!f) kept.set('walk:order', (f = flatten(decl)));
    const { nodes, parents, after } = f;
    for (let i = 0; i < nodes.length; ) {
      if (visit(nodes[i]!, i === 0 ? root : parents[i]) === false) i = after[i]!;
      else i++;
    }
  }
}

/** A statement, or a branch of an `if` (its condition and body). */
export type StatementNode = A.Statement | A.IfBranch;

/**
 * Called for a statement with the context its enclosing blocks handed down.
 * Returns false to skip the statements nested in it, a context to hand to
 * them instead, or nothing to hand them the same context.
 */
export type StatementVisitor<C> = (node: StatementNode, context: C) => C | false | void;

/**
 * Visits the statements of `block` and of every block nested in it, in
 * source order: the one statement walk of the checks. A nested block (a
 * bare `{ }`, an `if` branch's body, the `else` body) is visited before its
 * statements, and each `if` branch before its body, so a branch's condition
 * is seen where it stands. Expressions are left to the visitor: the checks
 * carry something down them (an expected type, whether bare names may be
 * enum values) that a plain node walk does not.
 */
export function walkStatements<C>(block: A.Block, context: C, visit: StatementVisitor<C>): void {
  for (const s of block.statements) walkStatement(s, context, visit);
}

function walkStatement<C>(node: StatementNode, context: C, visit: StatementVisitor<C>): void {
  const inner = visit(node, context);
  if (inner === false) return;
  const c = inner === undefined ? context : inner;
  switch (node.kind) {
    case 'Block':
      walkStatements(node, c, visit);
      break;
    case 'IfStmt':
      for (const b of node.branches) walkStatement(b, c, visit);
      if (node.elseBody) walkStatement(node.elseBody, c, visit);
      break;
    case 'IfBranch':
      if (node.body) walkStatement(node.body, c, visit);
      break;
    default:
      break;
  }
}

/** A walk without a stored order; nesting is bounded by the parser (MAX_NESTING, MAX_CHAIN), so recursion is safe. */
function walkSubtree(root: A.Node, visit: Visitor, parent: A.Node | undefined): void {
  const node = (n: A.Node | undefined, p: A.Node | undefined): void => {
    if (n && visit(n, p) !== false) children(n, node, many);
  };
  const many = (ns: readonly A.Node[] | undefined, p: A.Node) => {
    if (ns) for (let i = 0; i < ns.length; i++) node(ns[i]!, p);
  };
  node(root, parent);
}

function flatten(root: A.Node): Flattened {
  const f: Flattened = { nodes: [], parents: [], after: [] };
  const many = (ns: readonly A.Node[] | undefined, p: A.Node) => {
    if (ns) for (let i = 0; i < ns.length; i++) node(ns[i]!, p);
  };
  const node = (n: A.Node | undefined, p: A.Node | undefined): void => {
    if (!n) return;
    const at = f.nodes.length;
    f.nodes.push(n);
    f.parents.push(p);
    f.after.push(0);
    children(n, node, many);
    f.after[at] = f.nodes.length;
  };
  node(root, undefined);
  return f;
}

/** Calls `node`/`many` on the children of `n`, in source order. */
function children(
  n: A.Node,
  node: (c: A.Node | undefined, p: A.Node) => void,
  many: (cs: readonly A.Node[] | undefined, p: A.Node) => void,
): void {
  switch (n.kind) {
    case 'Program': many(n.declarations, n); break;
    case 'VersionDecl': node(n.version, n); break;
    case 'ImportDecl': node(n.name, n); node(n.alias, n); node(n.from, n); break;
    case 'IncludeDecl': node(n.flag, n); node(n.path, n); break;
    case 'BackendDecl': node(n.name, n); many(n.attributes, n); break;
    case 'ProbeDecl': node(n.name, n); many(n.attributes, n); break;
    case 'Attribute': node(n.name, n); node(n.value, n); many(n.moreStrings, n); many(n.block, n); break;
    case 'AclDecl': node(n.name, n); many(n.flags, n); many(n.entries, n); break;
    case 'AclFlag': node(n.name, n); break;
    case 'AclEntry': node(n.address, n); node(n.mask, n); break;
    case 'SubDecl': node(n.name, n); node(n.body, n); break;
    case 'LegacyDirectorDecl': node(n.name, n); node(n.directorType, n); break;
    case 'Block': many(n.statements, n); break;
    case 'SetStmt': node(n.target, n); node(n.value, n); break;
    case 'UnsetStmt': node(n.target, n); break;
    case 'LegacyRemoveStmt': node(n.target, n); break;
    case 'LegacyErrorStmt': many(n.args, n); break;
    case 'LegacySyntheticStmt': node(n.value, n); break;
    case 'LegacyBareStmt': break;
    case 'CallStmt': node(n.target, n); many(n.args, n); break;
    case 'ReturnStmt': node(n.action, n); many(n.args, n); break;
    case 'IfStmt': many(n.branches, n); node(n.elseBody, n); break;
    case 'IfBranch': node(n.condition, n); node(n.body, n); break;
    case 'NewStmt': node(n.name, n); node(n.value, n); break;
    case 'ExpressionStmt': node(n.expression, n); break;
    case 'BinaryExpr': node(n.left, n); node(n.right, n); break;
    case 'UnaryExpr': node(n.operand, n); break;
    case 'MatchExpr': node(n.subject, n); node(n.pattern, n); break;
    case 'CallExpr': node(n.receiver, n); node(n.callee, n); many(n.args, n); break;
    case 'Argument': node(n.name, n); node(n.value, n); break;
    case 'Identifier': node(n.name, n); break;
    case 'StringConcat': many(n.parts, n); break;
    case 'NumberLiteral': node(n.unit, n); break;
    case 'ParenExpr': node(n.expression, n); break;
    default: break;
  }
}
