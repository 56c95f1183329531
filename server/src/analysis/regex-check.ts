/**
 * A structural check of PCRE2 patterns, for the errors every PCRE2 build
 * reports whatever its options: an unterminated character class, unbalanced
 * parentheses, a quantifier with nothing to repeat, a trailing backslash.
 * It does not try to accept exactly PCRE2's language (JavaScript's RegExp
 * differs from it), so it never flags a pattern PCRE2 might accept.
 */

export interface RegexProblem {
  /** Offset in the pattern. */
  index: number;
  message: string;
}

/** The first structural error of `pattern`, or undefined. */
export function checkRegex(pattern: string): RegexProblem | undefined {
  const open: number[] = [];
  // True where a quantifier would have nothing to repeat.
  let atStart = true;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      if (i + 1 >= pattern.length) return { index: i, message: 'a backslash at the end of the pattern escapes nothing' };
      if (pattern[i + 1] === 'Q') {
        // \Q...\E quotes everything up to \E (or the end).
        const end = pattern.indexOf('\\E', i + 2);
        i = end < 0 ? pattern.length : end + 1;
      } else {
        i++;
      }
      atStart = false;
      continue;
    }
    if (c === '[') {
      const end = classEnd(pattern, i);
      if (end < 0) return { index: i, message: "missing terminating ']' for the character class" };
      i = end;
      atStart = false;
      continue;
    }
    if (c === '(') {
      open.push(i);
      atStart = true;
      // Skip the group's kind, e.g. (?: (?i) (?<name> (?=
      if (pattern[i + 1] === '?' || pattern[i + 1] === '*') {
        const close = pattern.indexOf(')', i);
        const colon = pattern.slice(i + 2, close < 0 ? undefined : close).search(/[:>=!)]|<[=!]|<\w+>|'\w+'|P<\w+>/);
        // Option settings like (?i) and verbs like (*UTF) end at once and leave the outer context as it was.
        if (close >= 0 && /^(\?[a-zA-Z^-]*|\*[A-Z_]+(=\d+)?)$/.test(pattern.slice(i + 1, close))) {
          open.pop();
          i = close;
          continue;
        }
        if (colon >= 0) i += 1 + colon;
      }
      continue;
    }
    if (c === ')') {
      if (open.length === 0) return { index: i, message: "unmatched closing parenthesis ')'" };
      open.pop();
      atStart = false;
      continue;
    }
    if (c === '|') {
      atStart = true;
      continue;
    }
    if ((c === '*' || c === '+' || c === '?') && atStart) {
      return { index: i, message: `quantifier '${c}' does not follow a repeatable item` };
    }
    atStart = false;
  }
  if (open.length) return { index: open[open.length - 1]!, message: "missing closing parenthesis ')'" };
  return undefined;
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
