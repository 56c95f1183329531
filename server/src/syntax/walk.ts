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
 * A subtree in visiting order, `nodes`, and three numbers per node in
 * `links`, for n nodes: `links[i]` is the kind of `nodes[i]` as its {@link
 * kindCode}; `nodes[links[n + i]]` is its parent (the root's is -1); and
 * `links[2n + i]` is the index just past its subtree, where a visit goes on
 * when children are skipped. One typed array, the nodes in an array of
 * their exact length: kept for every declaration of some size, these orders
 * were a ninth of what an analysis keeps as three arrays grown by push, and
 * a typed array object costs about 180 bytes besides its numbers.
 */
interface Flattened {
  nodes: A.Node[];
  links: Int32Array;
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
    const f = orderOf(root);
    if (f) walkOrder(f, visit, parent);
    else walkSubtree(root, visit, parent);
    return;
  }
  if (visit(root, parent) === false) return;
  const declarations = root.declarations;
  for (let d = 0; d < declarations.length; d++) {
    const decl = declarations[d]!;
    const f = orderOf(decl);
    if (f) walkOrder(f, visit, root);
    else walkSubtree(decl, visit, root);
  }
}

/** A walk of a stored order; `parent` is the parent of its first node. */
function walkOrder(f: Flattened, visit: Visitor, parent: A.Node | undefined): void {
  const { nodes, links } = f;
  const n = nodes.length;
  for (let i = 0; i < n; ) {
    if (visit(nodes[i]!, i === 0 ? parent : nodes[links[n + i]!]) === false) i = links[2 * n + i]!;
    else i++;
  }
}

/** The kinds a program's declarations have (the roots whose orders are kept). */
const DECLARATION_KINDS: ReadonlySet<string> = new Set<A.Declaration['kind']>([
  'VersionDecl',
  'ImportDecl',
  'IncludeDecl',
  'BackendDecl',
  'ProbeDecl',
  'AclDecl',
  'SubDecl',
  'InlineC',
  'LegacyDirectorDecl',
  'UnusedDecl',
]);

/**
 * The kept visiting order of `d`, made on first use; undefined for a
 * declaration too small to keep one, and for a node that is no declaration.
 */
function orderOf(d: A.Node): Flattened | undefined {
  if (!DECLARATION_KINDS.has(d.kind)) return undefined;
  const kept = keptFor(d as A.Declaration);
  if (!kept) return undefined;
  let f = kept.get('walk:order') as Flattened | undefined;
  if (!f) kept.set('walk:order', (f = flatten(d)));
  return f;
}

/**
 * A set of node kinds for {@link walkKinds}, made once (at module load)
 * and reused: a walk then tests each node with one array lookup.
 */
export interface KindFilter<K extends A.Node['kind']> {
  /** `wanted[code]` is 1 for the codes of the kinds in the set (see {@link kindCode}). */
  readonly wanted: Uint8Array;
  readonly kinds: ReadonlySet<K>;
}

/** The node kinds the tree has, by their small number: given in the order first met, never changed, and known to this process only. */
const KIND_CODES = new Map<string, number>();

/** The small number of a node kind (see {@link KindFilter}). */
function kindCode(kind: string): number {
  let code = KIND_CODES.get(kind);
  if (code === undefined) {
    code = KIND_CODES.size;
    // A fixed-size filter: far more than the tree's forty-odd kinds.
    if (code >= MAX_KINDS) throw new Error(`walk: more than ${MAX_KINDS} node kinds`);
    KIND_CODES.set(kind, code);
  }
  return code;
}

const MAX_KINDS = 256;

/** The filter of `kinds`, for {@link walkKinds}. */
export function nodeKinds<K extends A.Node['kind']>(...kinds: K[]): KindFilter<K> {
  const wanted = new Uint8Array(MAX_KINDS);
  for (const k of kinds) wanted[kindCode(k)] = 1;
  return { wanted, kinds: new Set(kinds) };
}

/**
 * Visits the nodes of `root` and below whose kind is in `filter`, in
 * source order, with their parents. Most checks look for a few kinds of
 * node: with a declaration's kept order (see {@link walk}) the others cost a
 * byte's test each, not a call to the visitor, so the checks of an analysis
 * share one real walk of each declaration instead of each making its own.
 * (Measured, whole processes alternated: a 10,000-file run 4% faster; a
 * single cold file no faster, as there the walk that makes each order
 * costs about what the later walks save.)
 */
export function walkKinds<K extends A.Node['kind']>(
  root: A.Node,
  filter: KindFilter<K>,
  visit: (node: Extract<A.Node, { kind: K }>, parent: A.Node | undefined) => void,
  parent?: A.Node,
): void {
  if (root.kind === 'Program') {
    if (filter.kinds.has(root.kind as K)) visit(root as Extract<A.Node, { kind: K }>, parent);
    for (const d of root.declarations) walkKinds(d, filter, visit, root);
    return;
  }
  const f = orderOf(root);
  if (!f) {
    walkSubtree(
      root,
      (n, p) => {
        if (filter.kinds.has(n.kind as K)) visit(n as Extract<A.Node, { kind: K }>, p);
      },
      parent,
    );
    return;
  }
  const { nodes, links } = f;
  const n = nodes.length;
  const wanted = filter.wanted;
  if (wanted[links[0]!] === 1) visit(nodes[0] as Extract<A.Node, { kind: K }>, parent);
  for (let i = 1; i < n; i++) {
    if (wanted[links[i]!] === 1) visit(nodes[i] as Extract<A.Node, { kind: K }>, nodes[links[n + i]!]);
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

/**
 * Room the orders are first listed in, reused from one declaration to the
 * next and copied out at their exact length: grown anew for each
 * declaration, they were a tenth of an analysis's garbage.
 */
let scratchNodes: Array<A.Node | undefined> = [];
/** Two numbers per node: its parent's index, then the index just past its subtree. */
let scratchLinks = new Int32Array(2048);

function flatten(root: A.Node): Flattened {
  let count = 0;
  // The index of the node whose children are being listed.
  let up = -1;
  const many = (ns: readonly A.Node[] | undefined) => {
    if (ns) for (let i = 0; i < ns.length; i++) node(ns[i]!);
  };
  const node = (n: A.Node | undefined): void => {
    if (!n) return;
    const at = count++;
    if (2 * at === scratchLinks.length) {
      const grown = new Int32Array(scratchLinks.length * 2);
      grown.set(scratchLinks);
      scratchLinks = grown;
    }
    scratchNodes[at] = n;
    scratchLinks[2 * at] = up;
    const outer = up;
    up = at;
    children(n, node, many);
    up = outer;
    scratchLinks[2 * at + 1] = count;
  };
  try {
    node(root);
    const nodes = scratchNodes.slice(0, count) as A.Node[];
    const links = new Int32Array(3 * count);
    for (let i = 0; i < count; i++) {
      links[i] = kindCode(nodes[i]!.kind);
      links[count + i] = scratchLinks[2 * i]!;
      links[2 * count + i] = scratchLinks[2 * i + 1]!;
    }
    return { nodes, links };
  } finally {
    // The room holds no node once done: it would keep a dropped tree alive.
    scratchNodes.fill(undefined, 0, count);
    if (scratchNodes.length > 1 << 16) scratchNodes = [];
  }
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
