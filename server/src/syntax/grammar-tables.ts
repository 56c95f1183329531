/**
 * The grammar's self-analysis kept as data. When a parser is built,
 * chevrotain works out the grammar's tree (by running every rule in a
 * recording mode), what may follow each rule call (for error recovery) and,
 * for every decision point, the token paths that choose each way, from
 * which it makes the lookahead functions. All of it depends only on the
 * grammar, yet it cost about 45 ms of a cold process, most of a short CLI
 * run beyond node's own start-up. `npm run gen:grammar` writes it to
 * `grammar-tables.json`, and the parser reads it back here; a test
 * (test/unit/grammar-tables.test.ts) compares the file with what chevrotain
 * works out from the grammar today, so a grammar change cannot leave it
 * stale unnoticed. The lookahead functions, closures, are made from the
 * stored paths the first time a parse reaches their decision point
 * ({@link DeferredLookahead}, {@link TableLookaheadStrategy}).
 */
import {
  Alternation,
  Alternative,
  LLkLookaheadStrategy,
  NonTerminal,
  Option,
  Repetition,
  RepetitionMandatory,
  RepetitionMandatoryWithSeparator,
  RepetitionWithSeparator,
  Rule,
  Terminal,
  tokenMatcher,
  type IProduction,
  type ILookaheadStrategy,
  type ILookaheadValidationError,
  type IOrAlt,
  type IToken,
  type OptionalProductionType,
  type TokenType,
} from 'chevrotain';
import grammarTablesJson from './grammar-tables.json' with { type: 'json' };

/** One node of the grammar's tree: its kind, its fields, its children. */
export interface SerializedProduction {
  type: string;
  definition?: SerializedProduction[];
  [field: string]: unknown;
}

/** What `grammar-tables.json` holds. */
export interface GrammarTables {
  /** Every rule's tree, in the order the grammar defines them. */
  rules: SerializedProduction[];
  /** chevrotain's follow sets for recovery: key → names of the token types. */
  follows: Record<string, string[]>;
  /** Each decision's lookahead paths by {@link decisionKey}: alternatives → paths → names of the token types. */
  lookahead: Record<string, string[][][]>;
}

/** The tables as `npm run gen:grammar` last wrote them. */
export const grammarTables = grammarTablesJson as unknown as GrammarTables;

type ProductionClass = new (options: never) => IProduction;

/**
 * chevrotain's node classes by the name the file gives them. Each is a
 * direct subclass of its abstract production, so the exact constructor
 * names the kind.
 */
const classes: ReadonlyArray<readonly [string, ProductionClass]> = [
  ['Rule', Rule],
  ['NonTerminal', NonTerminal],
  ['Alternative', Alternative],
  ['Alternation', Alternation],
  ['Option', Option],
  ['Repetition', Repetition],
  ['RepetitionMandatory', RepetitionMandatory],
  ['RepetitionWithSeparator', RepetitionWithSeparator],
  ['RepetitionMandatoryWithSeparator', RepetitionMandatoryWithSeparator],
  ['Terminal', Terminal],
] as unknown as ReadonlyArray<readonly [string, ProductionClass]>;

/** The name the file gives a node's kind; undefined for a class it does not know. */
function kindOf(node: IProduction): string | undefined {
  return classes.find(([, C]) => node.constructor === C)?.[0];
}

/** Fields that hold a token type, kept by the token's name. */
const tokenFields = new Set(['terminalType', 'separator']);

/**
 * A node as data. Every own field is kept, so a field a later chevrotain
 * adds is kept too; one whose value is not plain data stops the writing
 * (the generator and the test then fail, rather than drop it).
 */
export function serializeProduction(node: IProduction): SerializedProduction {
  const kind = kindOf(node);
  if (kind === undefined) throw new Error(`grammar tables: unknown production ${node.constructor.name}`);
  const out: SerializedProduction = { type: kind };
  for (const [field, value] of Object.entries(node)) {
    // The called rule's tree: chevrotain links it again by name (resolveGrammar).
    if (field === 'referencedRule') continue;
    if (field === '_definition') {
      // A call's definition is the called rule's; only its name is kept.
      if (!(node instanceof NonTerminal)) out.definition = (value as IProduction[]).map(serializeProduction);
    } else if (tokenFields.has(field)) {
      out[field] = (value as TokenType | undefined)?.name;
    } else if (value === undefined || ['string', 'number', 'boolean'].includes(typeof value)) {
      out[field] = value;
    } else {
      throw new Error(`grammar tables: field ${field} of a ${kind} is not plain data`);
    }
  }
  return out;
}

/** The follow sets as data: each token type by its name. */
export function serializeFollows(follows: Record<string, TokenType[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const key of Object.keys(follows).sort()) out[key] = (follows[key] ?? []).map((t) => t.name);
  return out;
}

/**
 * Builds a node back from data, token types looked up by name. The node is
 * made from its class's prototype with its fields set as recorded, not by
 * its constructor: the constructors copy their options through lodash,
 * which took 4 ms for the grammar's thousand nodes in a cold process. Every
 * field the constructor would set is in the data (serializeProduction kept
 * them all); the tests compare the two ways field for field.
 */
function restoreProduction(data: SerializedProduction, tokens: ReadonlyMap<string, TokenType>): IProduction {
  const C = classes.find(([name]) => name === data.type)?.[1];
  if (!C) throw new Error(`grammar tables: unknown production ${data.type}`);
  const node = Object.create(C.prototype) as Record<string, unknown>;
  // A call's definition is the called rule's (linked by chevrotain); it keeps an empty one of its own.
  if (data.type === 'NonTerminal') node['_definition'] = [];
  for (const field in data) {
    const value = data[field];
    if (field === 'type') continue;
    if (field === 'definition') node['_definition'] = (value as SerializedProduction[]).map((d) => restoreProduction(d, tokens));
    else if (tokenFields.has(field)) node[field] = token(tokens, value as string);
    else node[field] = value;
  }
  return node as unknown as IProduction;
}

function token(tokens: ReadonlyMap<string, TokenType>, name: string): TokenType {
  const t = tokens.get(name);
  if (!t) throw new Error(`grammar tables: no token type ${name}`);
  return t;
}

/** Token types by the name the tables give them. */
export type TokensByName = ReadonlyMap<string, TokenType>;

/** The map the restoring functions look token types up in. */
export function tokensByName(tokens: readonly TokenType[]): TokensByName {
  return new Map(tokens.map((t) => [t.name, t]));
}

/** The rules' trees by rule name, built from the tables. */
export function restoreRules(tables: GrammarTables, tokens: TokensByName): Map<string, Rule> {
  const rules = new Map<string, Rule>();
  for (const data of tables.rules) rules.set(data['name'] as string, restoreProduction(data, tokens) as Rule);
  return rules;
}

/** The follow sets, built from the tables. */
export function restoreFollows(tables: GrammarTables, tokens: TokensByName): Record<string, TokenType[]> {
  const out: Record<string, TokenType[]> = {};
  for (const [key, names] of Object.entries(tables.follows)) out[key] = names.map((n) => token(tokens, n));
  return out;
}

type LookaheadFunction = (this: unknown, alts?: IOrAlt<unknown>[]) => number | boolean | undefined;

/**
 * What a lookahead function reads from the parser: the token `i` ahead.
 * chevrotain pads the input with EOF tokens for as far as the grammar
 * looks ahead before a parse, and its own lookahead functions read the
 * tokens unchecked through LA_FAST (not in its typings); these do too.
 */
interface Reader {
  LA_FAST(i: number): IToken;
}

/**
 * A lookahead function not built yet: what chevrotain's LL(k) strategy
 * would build, and the way to build it. The parser keeps these apart from
 * chevrotain's cache and builds one when a parse first asks for it, so a
 * run builds only the decisions its input reaches (a short file reaches a
 * few dozen of the grammar's hundreds).
 */
export class DeferredLookahead {
  constructor(readonly build: () => LookaheadFunction) {}
}

/** A decision's key in the tables: the rule, the kind of production, its occurrence in the rule. */
export function decisionKey(rule: string, kind: string, occurrence: number): string {
  return `${rule}:${kind}:${occurrence}`;
}

/** The kinds of production a parse decides on: the alternation, and the optional ones (enter or not). */
const decisionKinds = new Set(['Alternation', 'Option', 'Repetition', 'RepetitionMandatory', 'RepetitionMandatoryWithSeparator', 'RepetitionWithSeparator']);

/**
 * Every decision of the rules with the token paths that choose each way,
 * as chevrotain's LL(k) analysis finds them (`pathsOf` is its
 * getLookaheadPaths): for an alternation, the paths of each alternative;
 * for an optional production, the paths into it (what its function tests).
 */
export function recordLookahead(
  rules: readonly Rule[],
  maxLookahead: number,
  pathsOf: (options: { occurrence: number; rule: Rule; prodType: string; maxLookahead: number }) => TokenType[][][],
): Record<string, string[][][]> {
  const out: Record<string, string[][][]> = {};
  const visit = (rule: Rule, node: IProduction): void => {
    const kind = kindOf(node) ?? '';
    if (decisionKinds.has(kind)) {
      const decision = node as IProduction & { idx: number; maxLookahead?: number };
      const paths = pathsOf({ occurrence: decision.idx, rule, prodType: kind, maxLookahead: decision.maxLookahead || maxLookahead });
      out[decisionKey(rule.name, kind, decision.idx)] = (kind === 'Alternation' ? paths : paths.slice(0, 1)).map((alt) => alt.map((path) => path.map((t) => t.name)));
    }
    if (!(node instanceof NonTerminal)) for (const child of (node as IProduction & { definition?: IProduction[] }).definition ?? []) visit(rule, child);
  };
  for (const rule of rules) visit(rule, rule);
  return out;
}

/** Whether the next tokens follow one of the paths (an empty path always does). */
function onAPath(reader: Reader, paths: readonly (readonly TokenType[])[]): boolean {
  next: for (const path of paths) {
    for (let i = 0; i < path.length; i++) if (!tokenMatcher(reader.LA_FAST(i + 1), path[i]!)) continue next;
    return true;
  }
  return false;
}

/** Token type indexes (a category's members included) → the first alternative that starts with one. */
function firstTokenChoice(alts: readonly TokenType[][][]): (number | undefined)[] {
  const choice: (number | undefined)[] = [];
  alts.forEach((alt, i) => {
    for (const [type] of alt) for (const idx of [type!.tokenTypeIdx!, ...(type!.categoryMatches ?? [])]) choice[idx] ??= i;
  });
  return choice;
}

/**
 * The lookahead function of an alternation: the index of the first
 * alternative whose gate (if any) lets it through and whose paths the next
 * tokens follow; undefined when none. When every path is one token long and
 * there are no gates, one table lookup decides.
 */
export function alternationLookahead(alts: readonly TokenType[][][], hasPredicates: boolean): LookaheadFunction {
  if (!hasPredicates && alts.every((alt) => alt.every((path) => path.length === 1))) {
    const choice = firstTokenChoice(alts);
    return function (this: unknown) {
      return choice[(this as Reader).LA_FAST(1).tokenTypeIdx];
    };
  }
  return function (this: unknown, orAlts?: IOrAlt<unknown>[]) {
    for (let i = 0; i < alts.length; i++) {
      const gate = hasPredicates ? orAlts?.[i]?.GATE : undefined;
      if (gate !== undefined && gate.call(this) === false) continue;
      if (onAPath(this as Reader, alts[i]!)) return i;
    }
    return undefined;
  };
}

/** The lookahead function of an optional production: whether the next tokens follow a path into it. */
export function optionalLookahead(paths: TokenType[][]): LookaheadFunction {
  if (paths.every((path) => path.length === 1)) {
    const choice = firstTokenChoice([paths]);
    return function (this: unknown) {
      return choice[(this as Reader).LA_FAST(1).tokenTypeIdx] === 0;
    };
  }
  return function (this: unknown) {
    return onAPath(this as Reader, paths);
  };
}

/**
 * The grammar's lookahead from the tables: each decision's function is
 * made from its stored paths, on its first use ({@link DeferredLookahead}).
 * A decision the tables lack (they are older than the grammar; a test
 * fails then) gets chevrotain's own LL(k) function, as does everything
 * with dynamic tokens. The grammar's validation, which only tests run, is
 * the LL(k) strategy's.
 */
export class TableLookaheadStrategy implements ILookaheadStrategy {
  private readonly llk: ILookaheadStrategy;

  constructor(
    maxLookahead: number,
    private readonly paths: Readonly<Record<string, string[][][]>>,
    private readonly tokens: TokensByName,
  ) {
    this.llk = new LLkLookaheadStrategy({ maxLookahead });
  }

  validate(options: { rules: Rule[]; tokenTypes: TokenType[]; grammarName: string }): ILookaheadValidationError[] {
    return this.llk.validate(options);
  }

  buildLookaheadForAlternation(options: { prodOccurrence: number; rule: Rule; maxLookahead: number; hasPredicates: boolean; dynamicTokensEnabled: boolean }): (orAlts?: IOrAlt<unknown>[] | undefined) => number | undefined {
    const stored = options.dynamicTokensEnabled ? undefined : this.paths[decisionKey(options.rule.name, 'Alternation', options.prodOccurrence)];
    return new DeferredLookahead(() =>
      stored ? alternationLookahead(this.types(stored), options.hasPredicates) : (this.llk.buildLookaheadForAlternation(options) as LookaheadFunction),
    ) as never;
  }

  buildLookaheadForOptional(options: { prodOccurrence: number; prodType: OptionalProductionType; rule: Rule; maxLookahead: number; dynamicTokensEnabled: boolean }): () => boolean {
    const stored = options.dynamicTokensEnabled ? undefined : this.paths[decisionKey(options.rule.name, options.prodType, options.prodOccurrence)];
    return new DeferredLookahead(() => (stored ? optionalLookahead(this.types(stored)[0] ?? []) : (this.llk.buildLookaheadForOptional(options) as LookaheadFunction))) as never;
  }

  private types(stored: string[][][]): TokenType[][][] {
    return stored.map((alt) => alt.map((path) => path.map((name) => token(this.tokens, name))));
  }
}

/** The file's text: one rule and one follow set per line, so that a grammar change shows as the lines it changes. */
export function formatGrammarTables(tables: GrammarTables): string {
  const rules = tables.rules.map((r) => `    ${JSON.stringify(r)}`).join(',\n');
  const entries = (table: Record<string, unknown>) => Object.entries(table).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n');
  return `{\n  "rules": [\n${rules}\n  ],\n  "follows": {\n${entries(tables.follows)}\n  },\n  "lookahead": {\n${entries(tables.lookahead)}\n  }\n}\n`;
}
