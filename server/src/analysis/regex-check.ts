/**
 * A structural check of PCRE2 patterns, for the errors every PCRE2 build
 * reports whatever its options: an unterminated character class or comment,
 * unbalanced parentheses, a quantifier with nothing to repeat, a trailing
 * backslash, a `{n,m}` quantifier with its numbers out of order.
 *
 * It knows PCRE2's group and escape syntax (comments, named and branch-reset
 * groups, conditionals, callouts, recursion, backtracking verbs, `\Q..\E`,
 * braced escapes, extended mode) well enough to find where an item starts and
 * ends, and it is permissive on purpose: whatever it does not understand it
 * takes as an item PCRE2 accepts. References to groups, option letters,
 * lookbehind lengths and Unicode property names are not checked.
 */

export interface RegexProblem {
  /** Offset in the pattern. */
  index: number;
  message: string;
  /** Set for a backslash before a letter or digit PCRE2 gives no meaning: PCRE (Varnish 6) read it as that character. */
  unknownEscape?: true;
}

/**
 * Letters PCRE2 knows after a backslash outside a character class. Any
 * other ASCII letter there is an error in PCRE2 ("unrecognized character
 * follows \"); the PCRE of Varnish 6 took it as the letter itself.
 */
const KNOWN_LETTER_ESCAPES = new Set('aAbBcCdDeEfgGhHkKnNopPQrRsStvVwWxXzZ'.split(''));

/**
 * What a quantifier at the current place would apply to: nothing (start of
 * the pattern, of a group or an alternative, after an assertion, an option
 * setting, a callout or a verb), an item, an item just quantified (which may
 * still take one `+` or `?`), or a quantified item already so marked.
 */
type Prev = 'none' | 'item' | 'quantified' | 'marked';

/** The `(*name:` group forms (PCRE2 10.34+): lookarounds, atomic groups, script runs. Lower case only. */
const VERB_GROUPS = new Set([
  'pla', 'positive_lookahead', 'nla', 'negative_lookahead',
  'plb', 'positive_lookbehind', 'nlb', 'negative_lookbehind',
  'napla', 'non_atomic_positive_lookahead', 'naplb', 'non_atomic_positive_lookbehind',
  'atomic', 'sr', 'script_run', 'asr', 'atomic_script_run',
]);

/** Escapes that are assertions: a quantifier cannot follow them. */
const ASSERTION_ESCAPES = new Set(['b', 'B', 'A', 'Z', 'z', 'G', 'K']);

/** Escapes whose argument is in brackets right after them, e.g. \x{41} \p{L} \g{-1} \k<n>. */
const BRACED_ESCAPES = new Set(['x', 'o', 'p', 'P', 'N', 'g', 'k']);

const CLOSERS: Record<string, string> = { '{': '}', '<': '>', "'": "'" };

/** Callout string delimiters (the end delimiter equals the start one, except `{`). */
const CALLOUT_DELIMITERS: Record<string, string> = { '`': '`', "'": "'", '"': '"', '^': '^', '%': '%', '#': '#', $: '$', '{': '}' };

/**
 * The first structural error of `pattern`, or undefined. `pcre2` (default)
 * also refuses backslashes before letters PCRE2 does not know, as Varnish
 * 7.0 and later do.
 */
export function checkRegex(pattern: string, pcre2 = true): RegexProblem | undefined {
  const p = pattern;
  const open: number[] = [];
  let prev: Prev = 'none';
  // Extended mode ((?x) anywhere): whitespace and # comments are ignored. Its scope is not tracked: permissive either way.
  let extended = false;

  const quantifier = (at: number, text: string): RegexProblem | undefined => {
    if (prev === 'none' || prev === 'marked') return { index: at, message: `quantifier '${text}' does not follow a repeatable item` };
    if (prev === 'quantified') {
      if (text === '+' || text === '?') {
        prev = 'marked';
        return undefined;
      }
      return { index: at, message: `quantifier '${text}' does not follow a repeatable item` };
    }
    prev = 'quantified';
    return undefined;
  };

  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (extended && /\s/.test(c)) continue;
    if (extended && c === '#') {
      const nl = p.indexOf('\n', i);
      i = nl < 0 ? p.length : nl;
      continue;
    }
    if (c === '\\') {
      if (i + 1 >= p.length) return { index: i, message: 'a backslash at the end of the pattern escapes nothing' };
      const e = p[i + 1]!;
      if (e === 'Q') {
        // \Q...\E quotes everything up to \E (or the end); an empty quote is no item.
        const end = p.indexOf('\\E', i + 2);
        const stop = end < 0 ? p.length : end;
        if (stop > i + 2) prev = 'item';
        i = end < 0 ? p.length : end + 1;
        continue;
      }
      if (e === 'E') {
        i++;
        continue;
      }
      if (e === 'c') {
        if (i + 2 >= p.length) return { index: i, message: '\\c at the end of the pattern' };
        i += 2;
        prev = 'item';
        continue;
      }
      if (pcre2 && /[A-Za-z]/.test(e) && !KNOWN_LETTER_ESCAPES.has(e)) {
        return { index: i, message: `unrecognized character follows \\ ('\\${e}')`, unknownEscape: true };
      }
      i++;
      if (BRACED_ESCAPES.has(e) && CLOSERS[p[i + 1] ?? ''] !== undefined) {
        const end = p.indexOf(CLOSERS[p[i + 1]!]!, i + 2);
        if (end >= 0) i = end;
      }
      prev = ASSERTION_ESCAPES.has(e) ? 'none' : 'item';
      continue;
    }
    if (c === '[') {
      const end = classEnd(p, i);
      if (end < 0) return { index: i, message: "missing terminating ']' for the character class" };
      i = end;
      prev = 'item';
      continue;
    }
    if (c === '(') {
      const g = groupStart(p, i);
      if ('problem' in g) return g.problem;
      if (g.options?.includes('x')) extended = true;
      if (g.opens) open.push(i);
      // A comment leaves the place as it was; an atom (recursion, back reference) can be repeated.
      if (g.after !== 'keep') prev = g.after;
      i = g.next - 1;
      continue;
    }
    if (c === ')') {
      if (open.length === 0) return { index: i, message: "unmatched closing parenthesis ')'" };
      open.pop();
      prev = 'item';
      continue;
    }
    if (c === '|') {
      prev = 'none';
      continue;
    }
    if (c === '^' || c === '$') {
      prev = 'none';
      continue;
    }
    if (c === '*' || c === '+' || c === '?') {
      const problem = quantifier(i, c);
      if (problem) return problem;
      continue;
    }
    if (c === '{') {
      const m = /^\{(\d+)(?:,(\d*))?\}/.exec(p.slice(i));
      if (m) {
        if (m[2] !== undefined && m[2] !== '' && Number(m[2]) < Number(m[1])) {
          return { index: i, message: 'numbers out of order in {} quantifier' };
        }
        const problem = quantifier(i, m[0]);
        if (problem) return problem;
        i += m[0].length - 1;
        continue;
      }
      // Not a quantifier: a literal brace.
    }
    prev = 'item';
  }
  if (open.length) return { index: open[open.length - 1]!, message: "missing closing parenthesis ')'" };
  return undefined;
}

interface GroupStart {
  /** True when a group opens (a `)` will close it). */
  opens: boolean;
  /** Where scanning goes on. */
  next: number;
  /** The quantifier state afterwards; 'keep' leaves it as it was. */
  after: Prev | 'keep';
  /** Option letters set by `(?letters)` or `(?letters:`. */
  options?: string;
}

/** What the `(` at `i` starts: a group, an option setting, a comment, a callout, a verb, a recursion. */
function groupStart(p: string, i: number): GroupStart | { problem: RegexProblem } {
  const next = p[i + 1];
  if (next === '*') {
    const name = /^[A-Za-z_]*/.exec(p.slice(i + 2))![0];
    const after = i + 2 + name.length;
    if (p[after] === ':' && VERB_GROUPS.has(name)) return { opens: true, next: after + 1, after: 'none' };
    // A verb or a start-of-pattern option, with or without an argument: (*UTF) (*SKIP) (*MARK:x) (*LIMIT_MATCH=10)
    const close = p.indexOf(')', after);
    if (close < 0) return { problem: { index: i, message: "missing closing parenthesis ')'" } };
    return { opens: false, next: close + 1, after: 'none' };
  }
  if (next !== '?') return { opens: true, next: i + 1, after: 'none' };
  const rest = p.slice(i + 2);
  const k = rest[0];
  if (k === '#') {
    const close = p.indexOf(')', i + 3);
    if (close < 0) return { problem: { index: i, message: "missing ')' after the (?# comment" } };
    return { opens: false, next: close + 1, after: 'keep' };
  }
  if (k === 'C') {
    // Callout: (?C) (?C12) (?C"text"), a doubled delimiter stands for itself.
    let j = i + 3;
    const end = CALLOUT_DELIMITERS[p[j] ?? ''];
    if (end !== undefined) {
      j++;
      for (; j < p.length; j++) {
        if (p[j] === end) {
          if (p[j + 1] === end) j++;
          else break;
        }
      }
      j++;
    }
    const close = p.indexOf(')', j);
    if (close < 0) return { problem: { index: i, message: "missing closing parenthesis ')'" } };
    return { opens: false, next: close + 1, after: 'none' };
  }
  if (k === '(') {
    // Conditional group. An assertion as the condition is a group of its own, scanned next.
    if (rest[1] === '?' || rest[1] === '*') return { opens: true, next: i + 2, after: 'none' };
    const close = p.indexOf(')', i + 3);
    if (close < 0) return { problem: { index: i, message: "missing closing parenthesis ')'" } };
    return { opens: true, next: close + 1, after: 'none' };
  }
  // Recursion, subroutine calls and back references by name: atoms ending at the next `)`.
  if (/^(R|[+-]?\d+|&|P>|P=)/.test(rest)) {
    const close = p.indexOf(')', i + 2);
    if (close < 0) return { problem: { index: i, message: "missing closing parenthesis ')'" } };
    return { opens: false, next: close + 1, after: 'item' };
  }
  // Named groups: (?<n> (?'n' (?P<n>
  const named = /^(?:P?<[A-Za-z_]\w*>|'[A-Za-z_]\w*')/.exec(rest);
  if (named) return { opens: true, next: i + 2 + named[0].length, after: 'none' };
  // Lookarounds, non-capturing, atomic, branch reset, non-atomic lookarounds: (?= (?! (?<= (?<! (?: (?> (?| (?* (?<*
  const kind = /^(?:<[=!*]|[=!:>|*])/.exec(rest);
  if (kind) return { opens: true, next: i + 2 + kind[0].length, after: 'none' };
  // Option settings: (?i) alone, or (?i: opening a group.
  const opts = /^[A-Za-z^-]*(?=[:)])/.exec(rest);
  if (opts) {
    const end = i + 2 + opts[0].length;
    if (p[end] === ')') return { opens: false, next: end + 1, after: 'none', options: opts[0] };
    return { opens: true, next: end + 1, after: 'none', options: opts[0] };
  }
  // Something else after (?: PCRE2 may know it; scan on as a group.
  return { opens: true, next: i + 2, after: 'none' };
}

/** Index of the `]` that closes the class opened at `start`, or -1. */
function classEnd(p: string, start: number): number {
  let i = start + 1;
  if (p[i] === '^') i++;
  // A `]` right after `[` or `[^` is a literal.
  if (p[i] === ']') i++;
  for (; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      if (p[i + 1] === 'Q') {
        const end = p.indexOf('\\E', i + 2);
        if (end < 0) return -1;
        i = end + 1;
        continue;
      }
      i++;
      continue;
    }
    if (c === '[' && p[i + 1] === ':') {
      const end = p.indexOf(':]', i + 2);
      if (end >= 0) {
        i = end + 1;
        continue;
      }
    }
    if (c === ']') return i;
  }
  return -1;
}
