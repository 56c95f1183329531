/**
 * The VCL grammar as a pure chevrotain CST parser: no actions, no AST
 * building (that happens in cst-to-ast.ts). Precedence follows VCC's
 * vcc_expr.c: `||` < `&&` < `!` < one comparison or match < `+ -` <
 * `* / %` < unary minus < primary.
 */
import { CstParser, EOF, getLookaheadPaths, NoViableAltException, type Rule, type CstNode, type IParserErrorMessageProvider, type IRecognitionException, type TokenType, type IToken, type ITokenGrammarPath, type IOrAlt, type ConsumeMethodOpts } from 'chevrotain';
import * as T from './tokens.js';
import { DeferredLookahead, grammarTables, TableLookaheadStrategy, recordLookahead, restoreFollows, restoreRules, serializeFollows, serializeProduction, tokensByName, type GrammarTables } from './grammar-tables.js';

declare module 'chevrotain' {
  /** chevrotain's LL(k) analysis of one decision (exported, not in its typings): alternatives → paths → token types. */
  export function getLookaheadPaths(options: { occurrence: number; rule: Rule; prodType: string; maxLookahead: number }): TokenType[][][];
}


/** Formats parser errors the way VCC words them ("Expected ';' got 'if'"). */
const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    const what = expected.name === 'EOF' ? describeRule(ruleName === 'program' ? 'declaration' : ruleName, []) : label(expected);
    return `Expected ${what} got ${show(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `Syntax error at ${show(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const firsts = new Set<string>();
    for (const alt of expectedPathsPerAlt) for (const path of alt) if (path[0]) firsts.add(label(path[0]));
    if (pendingAlternatives !== undefined) alternativesCache.set(pendingAlternatives, [...firsts]);
    return noViableAltMessage(ruleName, [...firsts], actual[0]);
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual }) {
    const firsts = new Set<string>();
    for (const path of expectedIterationPaths) if (path[0]) firsts.add(label(path[0]));
    return `Expected ${[...firsts].join(' or ')} got ${show(actual[0])}`;
  },
};

function noViableAltMessage(ruleName: string, firsts: string[], actual: IToken | undefined): string {
  return `Expected ${describeRule(ruleName, firsts)} got ${show(actual)}`;
}

/**
 * What the grammar expects where an alternative failed, and what may follow
 * a token where recovery looks: both depend on the place in the grammar
 * only, yet chevrotain works each out again at every error (a search of the
 * grammar that was most of the cost of a declaration with errors). They are
 * kept by place the first time they are worked out: the alternatives here
 * (the message provider is shared), what may follow and where recovery
 * may skip to by each grammar (its constructor), as they come from its
 * tables.
 */
const alternativesCache = new Map<string, string[]>();
/** The place whose alternatives the message provider is about to see (see buildNoViableAltMessage). */
let pendingAlternatives: string | undefined;

function label(t: TokenType): string {
  return t.LABEL ?? t.name;
}

function show(t: IToken | undefined): string {
  if (!t || t.tokenType.name === 'EOF') return 'end of file';
  const image = t.image.length > 40 ? `${t.image.slice(0, 40)}...` : t.image;
  return `'${image}'`;
}

const ruleDescriptions: Record<string, string> = {
  declaration: "one of 'vcl', 'import', 'include', 'backend', 'probe', 'acl', 'sub' or C{ }C",
  statement: "an action, 'if', '{' or '}'",
  primary: 'an expression',
  unary: 'an expression',
  name: 'a name',
};

function describeRule(ruleName: string, firsts: string[]): string {
  return ruleDescriptions[ruleName] ?? (firsts.length ? `one of ${firsts.join(', ')}` : 'something else');
}

/** Thrown out of a parse that reached {@link VclGrammar.errorLimit} errors; `token` is where the last one stands. */
export class TooManyErrors extends Error {
  constructor(readonly token: IToken) {
    super('too many syntax errors');
  }
}

/** What chevrotain's error recording and recovery look like from inside (not in its typings). */
interface ErrorRecorder {
  SAVE_ERROR(error: IRecognitionException): IRecognitionException;
  _errors: IRecognitionException[];
  raiseNoAltException(occurrence: number, errMsgTypes: string | undefined): never;
  getNextPossibleTokenTypes(grammarPath: ITokenGrammarPath): TokenType[];
  getCurrRuleFullName(): string;
  flattenFollowSet(): TokenType[];
  RULE_STACK: number[];
  RULE_OCCURRENCE_STACK: number[];
  RULE_STACK_IDX: number;
}

/** The parts of chevrotain's self-analysis the tables stand in for (not in its typings). */
interface SelfAnalysis {
  recoveryEnabled: boolean;
  resyncFollows: Record<string, TokenType[]>;
  lookAheadFuncsCache: Map<number, unknown>;
  getGAstProductions(): Record<string, Rule>;
}

/** chevrotain's own recording, for a grammar built without the tables. */
const recording = CstParser.prototype as unknown as {
  topLevelRuleRecord(this: VclGrammar, name: string, def: () => void): Rule;
  enableRecording(this: VclGrammar): void;
  disableRecording(this: VclGrammar): void;
};

/** The grammar's k: decisions look at most this many tokens ahead. */
const MAX_LOOKAHEAD = 3;

/** The token types the tables name, by name: the grammar's and chevrotain's end of input. */
const tableTokens = tokensByName([...T.allTokens, EOF]);

/**
 * The tables as chevrotain works them out from the grammar as it is now,
 * for `npm run gen:grammar` and for the test that the file is current.
 */
export function recordGrammarTables(): GrammarTables {
  const live = new VclGrammar({ live: true }) as unknown as SelfAnalysis;
  const rules = Object.values(live.getGAstProductions());
  return {
    rules: rules.map(serializeProduction),
    follows: serializeFollows(live.resyncFollows),
    lookahead: recordLookahead(rules, MAX_LOOKAHEAD, getLookaheadPaths),
  };
}

/** Labels passed on every operator and prefix token: made once, not per token. */
const OP: ConsumeMethodOpts = { LABEL: 'op' };
const PREFIX: ConsumeMethodOpts = { LABEL: 'prefix' };

/** The grammar. One instance is created lazily and reused (see parse.ts). */
export class VclGrammar extends CstParser {
  /**
   * Each `OR`'s alternatives, made on its first run and handed to it again
   * on every later one (chevrotain takes the same array each time). Written
   * inline, a statement made its fifteen alternatives, closures included,
   * every time one was parsed: most of what a parse allocated besides the
   * tree, and a fifth of a small file's analysis went to collecting it.
   */
  private readonly alts: Record<string, IOrAlt<unknown>[]> = {};

  /**
   * Most errors one parse records before it gives up: recovery costs a
   * search per error, and input that is an error at every token would
   * otherwise cost seconds per kilobyte. Not counted at the end of input.
   */
  errorLimit = Infinity;

  /**
   * `validate`: run chevrotain's grammar validations (left recursion,
   * ambiguous alternatives, ...). They find nothing in a grammar that passed
   * them once and cost a third of a short CLI run's start-up, so they run in
   * a test (test/unit/grammar-validation.test.ts), not on every start.
   */
  constructor(options: { validate?: boolean; live?: boolean } = {}) {
    const fromTables = options.validate !== true && options.live !== true;
    super(T.allTokens, {
      recoveryEnabled: true,
      maxLookahead: MAX_LOOKAHEAD,
      errorMessageProvider: messages,
      nodeLocationTracking: 'onlyOffset',
      skipValidations: options.validate !== true,
      ...(fromTables ? { lookaheadStrategy: new TableLookaheadStrategy(MAX_LOOKAHEAD, grammarTables.lookahead, tableTokens) } : {}),
    });
    const internals = this as unknown as SelfAnalysis;
    if (fromTables) {
      // The rules' trees and the follow sets come from grammar-tables.json
      // (see grammar-tables.ts); recovery is off while chevrotain analyses
      // so that it does not work the follow sets out again.
      this.tableRules = restoreRules(grammarTables, tableTokens);
      internals.recoveryEnabled = false;
    }
    this.performSelfAnalysis();
    if (fromTables) {
      internals.recoveryEnabled = true;
      internals.resyncFollows = restoreFollows(grammarTables, tableTokens);
    }
    const recorder = this as unknown as ErrorRecorder;
    const save = recorder.SAVE_ERROR.bind(this);
    recorder.SAVE_ERROR = (error) => {
      const saved = save(error);
      const t = error.token;
      // A non-recognition exception passes chevrotain's recovery untouched, out of the parse.
      if (recorder._errors.length >= this.errorLimit && t.tokenType.name !== 'EOF' && !Number.isNaN(t.startOffset)) throw new TooManyErrors(t);
      return saved;
    };
    const raise = recorder.raiseNoAltException.bind(this);
    recorder.raiseNoAltException = (occurrence, errMsgTypes) => {
      const ruleName = recorder.getCurrRuleFullName();
      const key = `${ruleName}#${occurrence}#${errMsgTypes ?? ''}`;
      const firsts = alternativesCache.get(key);
      if (firsts === undefined) {
        pendingAlternatives = key;
        try {
          return raise(occurrence, errMsgTypes);
        } finally {
          pendingAlternatives = undefined;
        }
      }
      throw recorder.SAVE_ERROR(new NoViableAltException(noViableAltMessage(ruleName, firsts, this.LA(1)), this.LA(1), this.LA(0)));
    };
    // Recovery looks for a token to skip to in what may follow each rule on
    // the stack; chevrotain builds that list anew for every rule the error
    // unwinds through (a key object per level, then the lists joined): at
    // the end of a truncated declaration ten levels deep, a tenth of its
    // parse. The list depends only on the stack of rules and their places.
    const flatten = recorder.flattenFollowSet.bind(this);
    /** The tokens recovery may skip to, by the stack of rules it stands in. */
    const resyncCache = new Map<string, TokenType[]>();
    recorder.flattenFollowSet = () => {
      let key = '';
      for (let i = 0; i <= recorder.RULE_STACK_IDX; i++) key += `${recorder.RULE_STACK[i]}:${recorder.RULE_OCCURRENCE_STACK[i]}/`;
      let found = resyncCache.get(key);
      if (found === undefined) {
        // Bounded: deeply nested broken input makes a new stack per level.
        if (resyncCache.size >= 10_000) resyncCache.clear();
        resyncCache.set(key, (found = flatten()));
      }
      return found;
    };
    const follows = recorder.getNextPossibleTokenTypes.bind(this);
    const followsCache = new Map<string, TokenType[]>();
    recorder.getNextPossibleTokenTypes = (path) => {
      const key = `${path.ruleStack.join('/')}#${path.occurrenceStack.join('/')}#${path.lastTok.name}#${path.lastTokOccurrence}`;
      let found = followsCache.get(key);
      if (found === undefined) followsCache.set(key, (found = follows(path)));
      return found;
    };
  }

  /** The rules' trees read from grammar-tables.json, handed to chevrotain in place of recording them. */
  private tableRules: Map<string, Rule> | undefined;
  /** Lookahead functions not built yet, by chevrotain's key (see DeferredLookahead). */
  private readonly deferredLookahead = new Map<number, DeferredLookahead>();

  /** chevrotain records each rule's tree through here; with the tables it is read instead. */
  topLevelRuleRecord(name: string, def: () => void): Rule {
    if (this.tableRules === undefined) return recording.topLevelRuleRecord.call(this, name, def);
    const rule = this.tableRules.get(name);
    if (!rule) throw new Error(`grammar-tables.json has no rule ${name}: run \`npm run gen:grammar\``);
    return rule;
  }

  /**
   * chevrotain puts recording versions of its eighty DSL methods on the
   * instance before it records and deletes them after (the deletes alone
   * took 4 ms of a cold start); with the tables nothing is recorded.
   */
  enableRecording(): void {
    if (this.tableRules === undefined) return recording.enableRecording.call(this);
    (this as unknown as { RECORDING_PHASE: boolean }).RECORDING_PHASE = true;
  }

  /** See {@link enableRecording}. */
  disableRecording(): void {
    if (this.tableRules === undefined) return recording.disableRecording.call(this);
    (this as unknown as { RECORDING_PHASE: boolean }).RECORDING_PHASE = false;
  }

  /** Where chevrotain stores each lookahead function; deferred ones wait apart. */
  setLaFuncCache(key: number, value: unknown): void {
    if (value instanceof DeferredLookahead) this.deferredLookahead.set(key, value);
    else (this as unknown as SelfAnalysis).lookAheadFuncsCache.set(key, value);
  }

  /** Where a parse takes each lookahead function from; a deferred one is built on its first use. */
  getLaFuncFromCache(key: number): unknown {
    const cache = (this as unknown as SelfAnalysis).lookAheadFuncsCache;
    const found = cache.get(key);
    if (found !== undefined) return found;
    const deferred = this.deferredLookahead.get(key);
    if (deferred === undefined) return undefined;
    const built = deferred.build();
    cache.set(key, built);
    this.deferredLookahead.delete(key);
    return built;
  }

  program = this.RULE('program', () => {
    this.MANY(() => this.SUBRULE(this.declaration));
  });

  declaration = this.RULE('declaration', () => {
    this.OR((this.alts.declaration ??= [
      { ALT: () => this.SUBRULE(this.versionDecl) },
      { ALT: () => this.SUBRULE(this.importDecl) },
      { ALT: () => this.SUBRULE(this.includeDecl) },
      { ALT: () => this.SUBRULE(this.backendDecl) },
      { ALT: () => this.SUBRULE(this.probeDecl) },
      { ALT: () => this.SUBRULE(this.aclDecl) },
      { ALT: () => this.SUBRULE(this.subDecl) },
      { ALT: () => this.CONSUME(T.InlineC) },
      { ALT: () => this.SUBRULE(this.legacyDirectorDecl) },
      // `unused name;` of 9.0: `unused` is an ordinary name, a statement only here.
      { GATE: () => this.LA(1).image === 'unused', ALT: () => this.SUBRULE(this.unusedDecl) },
    ]));
  });

  unusedDecl = this.RULE('unusedDecl', () => {
    this.CONSUME(T.Ident, { LABEL: 'keyword' });
    this.SUBRULE(this.anyName);
    this.CONSUME(T.Semi);
  });

  /** VCL 3 `director name type { { .backend = b; } ... }`, parsed to be reported whole. */
  legacyDirectorDecl = this.RULE('legacyDirectorDecl', () => {
    this.CONSUME(T.DirectorKw);
    this.SUBRULE(this.anyName);
    this.OPTION(() => this.SUBRULE2(this.anyName, { LABEL: 'type' }));
    this.SUBRULE(this.legacyDirectorBody);
  });

  legacyDirectorBody = this.RULE('legacyDirectorBody', () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => this.OR((this.alts.legacyDirectorBody ??= [{ ALT: () => this.SUBRULE(this.legacyDirectorBody) }, { ALT: () => this.SUBRULE(this.attribute) }])));
    this.CONSUME(T.RCurly);
  });

  versionDecl = this.RULE('versionDecl', () => {
    this.CONSUME(T.Vcl);
    this.CONSUME(T.NumberLit);
    this.CONSUME(T.Semi);
  });

  importDecl = this.RULE('importDecl', () => {
    this.CONSUME(T.Import);
    this.SUBRULE(this.anyName);
    this.OPTION2(() => {
      this.CONSUME(T.As);
      this.SUBRULE2(this.anyName, { LABEL: 'alias' });
    });
    this.OPTION(() => {
      this.CONSUME(T.From);
      this.CONSUME(T.AnyString);
    });
    this.CONSUME(T.Semi);
  });

  includeDecl = this.RULE('includeDecl', () => {
    this.CONSUME(T.Include);
    this.OPTION(() => {
      this.CONSUME(T.Plus);
      this.SUBRULE(this.anyName);
    });
    this.CONSUME(T.AnyString);
    this.CONSUME(T.Semi);
  });

  backendDecl = this.RULE('backendDecl', () => {
    this.CONSUME(T.Backend);
    this.SUBRULE(this.anyName);
    this.OR((this.alts.backendDecl ??= [
      { ALT: () => this.SUBRULE(this.attributeBlock) },
      {
        // `backend name none;` — `none` is not reserved, so any name parses here
        // and cst-to-ast reports anything else.
        ALT: () => {
          this.SUBRULE2(this.anyName, { LABEL: 'none' });
          this.CONSUME(T.Semi);
        },
      },
    ]));
  });

  probeDecl = this.RULE('probeDecl', () => {
    this.CONSUME(T.Probe);
    this.SUBRULE(this.anyName);
    this.SUBRULE(this.attributeBlock);
  });

  attributeBlock = this.RULE('attributeBlock', () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.attribute));
    this.CONSUME(T.RCurly);
  });

  attribute = this.RULE('attribute', () => {
    this.CONSUME(T.Dot);
    this.SUBRULE(this.anyName);
    this.CONSUME(T.Equals);
    this.OR((this.alts.attribute ??= [
      // An inline probe takes no semicolon after its closing brace.
      { ALT: () => this.SUBRULE(this.attributeBlock) },
      {
        ALT: () => {
          this.SUBRULE(this.expression);
          this.MANY(() => this.CONSUME(T.AnyString));
          this.CONSUME(T.Semi);
        },
      },
    ]));
  });

  aclDecl = this.RULE('aclDecl', () => {
    this.CONSUME(T.Acl);
    this.SUBRULE(this.anyName);
    this.MANY(() => this.SUBRULE(this.aclFlag));
    this.CONSUME(T.LCurly);
    this.MANY2(() => this.SUBRULE(this.aclEntry));
    this.CONSUME(T.RCurly);
  });

  aclFlag = this.RULE('aclFlag', () => {
    this.OR((this.alts.aclFlag ??= [{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]));
    this.SUBRULE(this.anyName);
  });

  /** VCC takes the `!` before or inside the parentheses. */
  aclEntry = this.RULE('aclEntry', () => {
    this.OPTION(() => this.CONSUME(T.Bang));
    this.OR((this.alts.aclEntry ??= [
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.OPTION2(() => this.CONSUME2(T.Bang));
          this.SUBRULE(this.aclAddress);
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => this.SUBRULE2(this.aclAddress) },
    ]));
    this.CONSUME(T.Semi);
  });

  aclAddress = this.RULE('aclAddress', () => {
    this.CONSUME(T.AnyString);
    this.OPTION(() => {
      this.CONSUME(T.Slash);
      this.CONSUME(T.NumberLit);
    });
  });

  subDecl = this.RULE('subDecl', () => {
    this.CONSUME(T.Sub);
    this.SUBRULE(this.anyName);
    this.SUBRULE(this.block);
  });

  block = this.RULE('block', () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.statement));
    this.CONSUME(T.RCurly);
  });

  statement = this.RULE('statement', () => {
    this.OR((this.alts.statement ??= [
      { ALT: () => this.SUBRULE(this.setStmt) },
      { ALT: () => this.SUBRULE(this.unsetStmt) },
      { ALT: () => this.SUBRULE(this.callStmt) },
      { ALT: () => this.SUBRULE(this.returnStmt) },
      { ALT: () => this.SUBRULE(this.ifStmt) },
      { ALT: () => this.SUBRULE(this.newStmt) },
      // VCL 3's `synthetic "...";` (no parentheses): one statement, so that it gets one finding, not a cascade.
      { GATE: () => this.LA(1).image === 'synthetic' && this.LA(2).tokenType !== T.LParen, ALT: () => this.SUBRULE(this.legacySyntheticStmt), IGNORE_AMBIGUITIES: true },
      // VCL 2/3's bare actions (`purge;`, `esi;`, `pass;`): never valid VCL 4, one finding each instead of a cascade.
      { GATE: () => T.LEGACY_BARE_WORDS.has(this.LA(1).image) && this.LA(2).tokenType === T.Semi, ALT: () => this.SUBRULE(this.legacyBareStmt), IGNORE_AMBIGUITIES: true },
      { ALT: () => this.SUBRULE(this.callExprStmt) },
      { ALT: () => this.SUBRULE(this.includeDecl) },
      { ALT: () => this.CONSUME(T.InlineC) },
      { ALT: () => this.SUBRULE(this.block) },
      { ALT: () => this.SUBRULE(this.legacyErrorStmt) },
      { ALT: () => this.SUBRULE(this.legacyRemoveStmt) },
    ]));
  });

  setStmt = this.RULE('setStmt', () => {
    this.CONSUME(T.Set);
    this.SUBRULE(this.name);
    this.OR((this.alts.setStmt ??= [
      { ALT: () => this.CONSUME(T.Equals) },
      { ALT: () => this.CONSUME(T.PlusEq) },
      { ALT: () => this.CONSUME(T.MinusEq) },
      { ALT: () => this.CONSUME(T.StarEq) },
      { ALT: () => this.CONSUME(T.SlashEq) },
    ]));
    this.SUBRULE(this.expression);
    this.CONSUME(T.Semi);
  });

  unsetStmt = this.RULE('unsetStmt', () => {
    this.CONSUME(T.Unset);
    this.SUBRULE(this.name);
    this.CONSUME(T.Semi);
  });

  legacyRemoveStmt = this.RULE('legacyRemoveStmt', () => {
    this.CONSUME(T.RemoveKw);
    this.SUBRULE(this.name);
    this.CONSUME(T.Semi);
  });

  legacyBareStmt = this.RULE('legacyBareStmt', () => {
    this.CONSUME(T.Ident);
    this.CONSUME(T.Semi);
  });

  legacySyntheticStmt = this.RULE('legacySyntheticStmt', () => {
    this.CONSUME(T.Ident);
    this.SUBRULE(this.expression);
    this.CONSUME(T.Semi);
  });

  legacyErrorStmt = this.RULE('legacyErrorStmt', () => {
    this.CONSUME(T.ErrorKw);
    this.MANY(() => this.SUBRULE(this.expression));
    this.CONSUME(T.Semi);
  });

  /** `call name;` or `call vmod.f(args);` (a function returning a SUB). */
  callStmt = this.RULE('callStmt', () => {
    this.CONSUME(T.Call);
    this.SUBRULE(this.name);
    this.OPTION(() => this.SUBRULE(this.argumentList));
    this.CONSUME(T.Semi);
  });

  returnStmt = this.RULE('returnStmt', () => {
    this.CONSUME(T.Return);
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.SUBRULE(this.anyName);
      this.OPTION2(() => this.SUBRULE(this.argumentList));
      this.CONSUME(T.RParen);
    });
    this.CONSUME(T.Semi);
  });

  ifStmt = this.RULE('ifStmt', () => {
    this.CONSUME(T.If);
    this.SUBRULE(this.condition);
    this.SUBRULE(this.block);
    this.MANY(() => this.SUBRULE(this.elseIfClause));
    this.OPTION(() => {
      this.CONSUME(T.Else);
      this.SUBRULE2(this.block);
    });
  });

  elseIfClause = this.RULE('elseIfClause', () => {
    this.OR((this.alts.elseIfClause ??= [
      { ALT: () => this.CONSUME(T.Elsif) },
      { ALT: () => this.CONSUME(T.Elseif) },
      { ALT: () => this.CONSUME(T.Elif) },
      {
        ALT: () => {
          this.CONSUME(T.Else);
          this.CONSUME(T.If);
        },
      },
    ]));
    this.SUBRULE(this.condition);
    this.SUBRULE(this.block);
  });

  condition = this.RULE('condition', () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
  });

  newStmt = this.RULE('newStmt', () => {
    this.CONSUME(T.New);
    this.SUBRULE(this.anyName);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
    this.CONSUME(T.Semi);
  });

  /** `name(args);` — VCC accepts only calls as expression statements. */
  callExprStmt = this.RULE('callExprStmt', () => {
    this.SUBRULE(this.name);
    this.SUBRULE(this.argumentList);
    this.CONSUME(T.Semi);
  });

  argumentList = this.RULE('argumentList', () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.argument);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.argument);
      });
      // VCC takes a trailing comma in function calls (not in return actions).
      this.OPTION2(() => this.CONSUME2(T.Comma, { LABEL: 'trailingComma' }));
    });
    this.CONSUME(T.RParen);
  });

  argument = this.RULE('argument', () => {
    this.OPTION(() => {
      this.SUBRULE(this.anyName);
      this.CONSUME(T.Equals);
    });
    this.SUBRULE(this.expression);
  });

  /**
   * An expression as a flat sequence of operands and binary operators.
   * Precedence, VCC's single comparison and single `!`, and its rule that a
   * regular expression is made of string literals only are applied when the
   * AST is built (cst-to-ast.ts): a flat CST is several times cheaper to
   * build than one node per precedence level.
   */
  expression = this.RULE('expression', () => {
    this.SUBRULE(this.operand);
    this.MANY(() => {
      this.OR((this.alts.expression ??= [
        { ALT: () => this.CONSUME(T.OrOr, OP) },
        { ALT: () => this.CONSUME(T.AndAnd, OP) },
        { ALT: () => this.CONSUME(T.EqEq, OP) },
        { ALT: () => this.CONSUME(T.NotEq, OP) },
        { ALT: () => this.CONSUME(T.Less, OP) },
        { ALT: () => this.CONSUME(T.LessEq, OP) },
        { ALT: () => this.CONSUME(T.Greater, OP) },
        { ALT: () => this.CONSUME(T.GreaterEq, OP) },
        { ALT: () => this.CONSUME(T.Tilde, OP) },
        { ALT: () => this.CONSUME(T.NoMatch, OP) },
        { ALT: () => this.CONSUME(T.Plus, OP) },
        { ALT: () => this.CONSUME(T.Minus, OP) },
        { ALT: () => this.CONSUME(T.Star, OP) },
        { ALT: () => this.CONSUME(T.Slash, OP) },
        { ALT: () => this.CONSUME(T.Percent, OP) },
      ]));
      this.SUBRULE2(this.operand);
    });
  });

  /** Prefix operators, a primary, and method calls after it: `-x`, `!c`, `(a + "x").lower()`. */
  operand = this.RULE('operand', () => {
    this.MANY(() => this.OR((this.alts.operand ??= [{ ALT: () => this.CONSUME(T.Bang, PREFIX) }, { ALT: () => this.CONSUME(T.Minus, PREFIX) }])));
    this.OR2((this.alts.operand2 ??= [
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.expression);
          this.CONSUME(T.RParen);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.NumberLit);
          this.OPTION(() => this.CONSUME(T.Ident, { LABEL: 'unit' }));
        },
      },
      { ALT: () => this.CONSUME(T.AnyString) },
      { ALT: () => this.CONSUME(T.Blob) },
      {
        ALT: () => {
          this.SUBRULE(this.name);
          this.OPTION2(() => this.SUBRULE(this.argumentList));
        },
      },
      // Enum values such as `backend` in vtc.workspace_free(backend).
      { ALT: () => this.CONSUME(T.Keyword) },
    ]));
    this.MANY2(() => {
      this.CONSUME(T.Dot, { LABEL: 'methodDot' });
      this.SUBRULE(this.anyName, { LABEL: 'method' });
      this.SUBRULE2(this.argumentList, { LABEL: 'methodArgs' });
    });
  });

  /** A symbol: `req.http.Host`, also with spaces around the dots as VCC allows. */
  name = this.RULE('name', () => {
    this.CONSUME(T.Ident);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      // Quoted header names: req.http."X-Weird" (checked in cst-to-ast).
      this.OR((this.alts.name ??= [{ ALT: () => this.SUBRULE(this.anyName) }, { ALT: () => this.CONSUME(T.AnyString) }]));
    });
  });

  /** Where a declaration's name stands, keywords are plain names too. */
  anyName = this.RULE('anyName', () => {
    this.OR((this.alts.anyName ??= [{ ALT: () => this.CONSUME(T.Ident) }, { ALT: () => this.CONSUME(T.Keyword) }]));
  });
}

export type { CstNode };
