/**
 * The YAML of a compose file, read with the `yaml` package (YAML 1.2, with
 * source tokens kept): documents, the mappings as compose sees them (merge
 * keys `<<` resolved, aliases followed to their anchors) and the file's
 * YAML errors as read problems. Never throws.
 */
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, visit, type Alias, type Document, type Node, type Scalar, type YAMLMap } from 'yaml';
import type { ReadProblem, TextSpan } from './model.js';

/** A key of a mapping and its value, aliases followed. */
export interface ComposeEntry {
  key: string;
  /** The key node, in the mapping that holds it (an anchor's mapping for merged keys). */
  keyNode: Scalar;
  value: Node | undefined;
}

/** Merge keys nested deeper than this are ignored (they are always a mistake or an attack). */
const MAX_MERGE_DEPTH = 32;
/** At most this many YAML errors are reported per file. */
const MAX_PROBLEMS = 20;
/** Plain scalars that YAML's core schema (and so compose) reads as null. */
const NULL = /^(~|null|Null|NULL)$/;

/** One YAML document of a file, with its anchors. */
export class ComposeDocument {
  /** Nodes with an anchor and aliases, in document order. */
  private anchored?: Node[];
  private readonly unknownAliases = new Set<Alias>();
  private readonly entryCache = new WeakMap<YAMLMap, Map<string, ComposeEntry>>();

  constructor(
    readonly doc: Document.Parsed,
    private readonly problems: ReadProblem[],
  ) {}

  /** The document's top-level node. */
  get root(): Node | undefined {
    return this.deref(this.doc.contents ?? undefined);
  }

  /**
   * `node`, or the node its alias names: the last node before the alias with
   * that anchor. An alias with no such anchor is a problem and no value.
   */
  deref(node: Node | null | undefined): Node | undefined {
    if (!node) return undefined;
    if (!isAlias(node)) return isScalar(node) && isNullScalar(node) ? undefined : node;
    const target = this.resolve(node);
    if (!target && !this.unknownAliases.has(node)) {
      this.unknownAliases.add(node);
      const at = node.range?.[0] ?? 0;
      this.problems.push({ message: `No anchor '&${node.source}' before this alias`, span: { start: at, end: node.range?.[1] ?? at }, severity: 'error' });
    }
    return target && isScalar(target) && isNullScalar(target) ? undefined : target;
  }

  private resolve(alias: Alias): Node | undefined {
    if (!this.anchored) {
      const nodes: Node[] = [];
      visit(this.doc, {
        Node: (_key, n) => {
          if (isAlias(n) || n.anchor) nodes.push(n);
        },
      });
      this.anchored = nodes;
    }
    let found: Node | undefined;
    for (const n of this.anchored) {
      if (n === alias) break;
      if (!isAlias(n) && n.anchor === alias.source) found = n;
    }
    return found;
  }

  /**
   * The entries of a mapping as compose reads them: its own keys first
   * (the first of a repeated key; YAML reports the repetition), then the keys
   * of the mappings merged in with `<<: *a` or `<<: [*a, *b]` that it does
   * not set itself, an earlier mapping of the list winning over a later one.
   */
  entries(map: YAMLMap, depth = 0): Map<string, ComposeEntry> {
    const cached = this.entryCache.get(map);
    if (cached) return cached;
    const out = new Map<string, ComposeEntry>();
    const merges: Node[] = [];
    for (const pair of map.items) {
      const key = pair.key;
      if (!isScalar(key) || typeof key.value !== 'string') continue;
      if (key.value === '<<' && key.type === 'PLAIN') {
        const source = this.deref(pair.value as Node | null);
        if (source) merges.push(source);
        continue;
      }
      if (!out.has(key.value)) out.set(key.value, { key: key.value, keyNode: key, value: this.deref(pair.value as Node | null) });
    }
    this.entryCache.set(map, out);
    if (depth >= MAX_MERGE_DEPTH) return out;
    const sources = merges.flatMap((m) => (isSeq(m) ? m.items.map((i) => this.deref(i as Node)) : [m]));
    for (const source of sources) {
      if (!isMap(source) || source === map) continue;
      for (const [k, e] of this.entries(source, depth + 1)) if (!out.has(k)) out.set(k, e);
    }
    return out;
  }

  /** The value of `key` in `node` when it is a mapping. */
  get(node: Node | undefined, key: string): Node | undefined {
    return isMap(node) ? this.entries(node).get(key)?.value : undefined;
  }
}

/** A node's extent in the text (empty at 0 for a node the parser did not place). */
export function spanOf(node: Node): TextSpan {
  return { start: node.range?.[0] ?? 0, end: node.range?.[1] ?? 0 };
}

/** The string a scalar node holds, or undefined for anything else. */
export function stringOf(node: Node | undefined): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

function isNullScalar(node: Scalar): boolean {
  return node.value === null || (node.type === 'PLAIN' && typeof node.value === 'string' && (node.value === '' || NULL.test(node.value)));
}

/** YAML's message for a problem, in the words the other readers use where one fits. */
function problemMessage(code: string, message: string): string {
  if (code === 'MISSING_CHAR' && /quote/i.test(message)) return 'Unbalanced quote: this YAML string never closes';
  // YAML says so too when a line inside the brackets is indented less than the key.
  if (/^flow sequence .*end with a \]/i.test(message)) return "Unclosed '[': this YAML list never ends (or a line of it is not indented enough)";
  if (/^flow map .*end with a \}/i.test(message)) return "Unclosed '{': this YAML mapping never ends (or a line of it is not indented enough)";
  return `YAML: ${message.split('\n')[0]}`;
}

/**
 * Every document of `text` (`---` separates them), each as far as it could
 * be read, and the YAML errors as problems. Warnings (unknown tags such as
 * compose's `!reset`) are not problems.
 */
export function parseComposeYaml(text: string): { documents: ComposeDocument[]; problems: ReadProblem[] } {
  const problems: ReadProblem[] = [];
  let docs: Document.Parsed[];
  try {
    // failsafe: every scalar stays a string, as written; compose reads commands as strings.
    const parsed = parseAllDocuments(text, { keepSourceTokens: true, schema: 'failsafe', prettyErrors: false });
    docs = Array.isArray(parsed) ? parsed : [];
  } catch (e) {
    problems.push({ message: `YAML: ${e instanceof Error ? e.message : String(e)}`, span: { start: 0, end: 0 }, severity: 'error' });
    return { documents: [], problems };
  }
  const seen = new Set<string>();
  for (const d of docs) {
    for (const err of d.errors) {
      if (problems.length >= MAX_PROBLEMS) break;
      const start = Math.min(Math.max(0, err.pos[0]), text.length);
      const end = Math.min(Math.max(start, err.pos[1]), text.length);
      const message = problemMessage(err.code, err.message);
      const key = `${start}:${message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push({ message, span: { start, end }, severity: 'error' });
    }
  }
  return { documents: docs.map((d) => new ComposeDocument(d, problems)), problems };
}
