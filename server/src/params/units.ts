/**
 * Reading and writing varnishd parameter values the way each release does.
 *
 * Each reader mirrors one of varnishd's own (checked value by value against
 * varnishd 6.5.1, 7.1.1, 7.7.0 and Vinyl Cache 9.0.1 by
 * test/params/params-differential.test.ts; see docs/params.md), including
 * its quirks. The readers take a {@link ValueSyntax} (facts/params.ts
 * valueSyntax(version)); without one they read as Varnish 7.1 does:
 * durations ignore whatever follows the number (`2m` is 2 seconds), integers
 * are read by C's strtoul (`0x10`, `010` octal, `-1` wraps) and truncated to
 * 32 bits, sizes allow at most three decimals and only k/m/g/t/p with an
 * optional b. 6.x reads numbers with exponents and any number of decimals
 * and refuses text after a duration; 7.2 and later read a duration's unit.
 *
 * The writers keep the user's style: `8k` doubled is `16k`, `8192` doubled is
 * `16384`, `yes` negated is `no`.
 */

import type { ValueSyntax } from '../facts/params.js';

/** How Varnish 7.1 reads values: what every reader assumes when given no syntax. */
export const SYNTAX_7_1: ValueSyntax = { numbers: 'sf', durationTail: 'ignored', lists: 'v7.0', looseBitWords: false };

/** A reader's verdict: the value, or why varnishd would refuse the text. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

function fail<T>(error: string): ParseResult<T> {
  return { ok: false, error };
}

const isOws = (c: string | undefined): boolean => c === ' ' || c === '\t';
/** varnishd's vct_issp: blanks and line ends. */
const isSp = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
/** C isspace() in the C locale. */
const isCSpace = (c: string | undefined): boolean => c !== undefined && ' \t\n\v\f\r'.includes(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** VRT_DECIMAL_MAX: varnishd's largest decimal (12 integer digits, 3 decimals). */
export const DECIMAL_MAX = 999999999999.999;
/** UINT_MAX, what `unlimited` means for integer parameters. */
export const UINT_MAX = 4294967295;

interface NumberScan {
  value: number;
  /** Index of the first character not consumed. */
  end: number;
  error?: string;
}

/**
 * varnishd's SF_Parse_Number: optional blanks, optional `-`, up to 15 digits,
 * blanks, then optionally `.` and up to three decimals. `strict` (sizes)
 * needs digits before and after the point and refuses a fourth decimal;
 * otherwise (durations, decimals) `.5` and `5.` are fine and further
 * decimals are skipped.
 */
function scanNumber(s: string, strict: boolean): NumberScan {
  let i = 0;
  while (isOws(s[i])) i++;
  let sign = 1;
  if (s[i] === '-') {
    sign = -1;
    i++;
  }
  let int = 0;
  let ndig = 0;
  while (isDigit(s[i])) {
    ndig++;
    if (ndig > 15) return { value: 0, end: i, error: 'too many digits' };
    int = int * 10 + (s.charCodeAt(i) - 48);
    i++;
  }
  const noDigits = ndig === 0;
  if (noDigits && strict) return { value: 0, end: i, error: 'not a number' };
  // Blanks after the integer part are skipped only when there was one.
  if (!noDigits) while (isOws(s[i])) i++;
  if (s[i] !== '.') return noDigits ? { value: 0, end: i, error: 'not a number' } : { value: int * sign, end: i };
  if (int > DECIMAL_MAX) return { value: 0, end: i, error: 'too many digits' };
  if (noDigits && !isDigit(s[i + 1])) return { value: 0, end: i, error: 'not a number' };
  i++;
  // Same floating-point steps as varnishd, so that limits compare alike.
  let value = int;
  let scale = 1;
  let nfrac = 0;
  for (; nfrac < 3; nfrac++) {
    scale *= 0.1;
    if (!isDigit(s[i])) break;
    value += scale * (s.charCodeAt(i) - 48);
    i++;
  }
  if (strict && nfrac === 0) return { value: 0, end: i, error: 'not a number' };
  if (strict && isDigit(s[i])) return { value: 0, end: i, error: 'more than three decimals' };
  while (isDigit(s[i])) i++;
  while (isOws(s[i])) i++;
  return { value: value * sign, end: i };
}

// ---------------------------------------------------------------------------
// Sizes

const BYTE_UNITS: Record<string, number> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 };
/** What varnishd stores for any size of 2^63 bytes or more (its conversion saturates). */
const BYTES_SATURATED = 2 ** 63;

/**
 * Reads a size like varnishd's VNUM_2bytes: `65536`, `64k`, `64 KB`, `1.5M`,
 * `0.25k`, `255b`. Suffixes k, m, g, t, p (either case, powers of 1024), each
 * optionally followed by b/B; b/B alone means bytes. At most three decimals,
 * and a fraction needs a k..p suffix. No sign, no exponent, no hex.
 */
export function parseBytes(text: string, syntax: ValueSyntax = SYNTAX_7_1): ParseResult<number> {
  if (text === '') return fail('empty value');
  if (syntax.numbers === 'vnum') return parseBytesVnum(text);
  const n = scanNumber(text, true);
  if (n.error) return fail(n.error);
  if (n.value < 0) return fail('negative size');
  let i = n.end;
  while (isSp(text[i])) i++;
  const fractional = !Number.isInteger(n.value);
  if (i >= text.length) return fractional ? fail('fractional bytes') : { ok: true, value: saturate(n.value) };
  const c = text[i]!.toLowerCase();
  let scale = 1;
  if (BYTE_UNITS[c] !== undefined) {
    scale = BYTE_UNITS[c]!;
    i++;
    if (text[i] === 'b' || text[i] === 'B') i++;
  } else if (c === 'b') {
    if (fractional) return fail('fractional bytes');
    i++;
  } else {
    return fail(`unknown unit '${text.slice(i).trim()}'`);
  }
  while (isSp(text[i])) i++;
  if (i < text.length) return fail(`unknown unit '${text.slice(n.end).trim()}'`);
  return { ok: true, value: saturate(Math.trunc(n.value * scale)) };
}

/**
 * varnishd 6.x's VNUMpfx: blanks, an optional sign, digits with at most one
 * point, an optional exponent (`e3`, `E-2`), blanks. `tail` is where unread
 * text starts (absent when all was read); `value` is NaN without a digit.
 * Same floating-point steps as varnishd, so that limits compare alike.
 */
function scanVnum(s: string): { value: number; tail?: number } {
  let i = 0;
  while (isCSpace(s[i])) i++;
  let sign = 1;
  if (s[i] === '-' || s[i] === '+') sign = s[i++] === '-' ? -1 : 1;
  // `exp` is 1 until a digit is seen, then the power of ten of the last digit read.
  let mantissa = 0;
  let exp = 1;
  let next = 0;
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (isDigit(c)) {
      mantissa = mantissa * 10 + (c.charCodeAt(0) - 48);
      exp = next;
      if (exp) next = exp - 1;
    } else if (c === '.' && next === 0) next = -1;
    else break;
  }
  if (exp > 0) return { value: NaN };
  let expSign = 1;
  let power = 0;
  if (s[i] === 'e' || s[i] === 'E') {
    i++;
    if (s[i] === '-' || s[i] === '+') expSign = s[i++] === '-' ? -1 : 1;
    if (!isDigit(s[i])) return { value: NaN };
    for (; isDigit(s[i]); i++) power = power * 10 + (s.charCodeAt(i) - 48);
  }
  while (isCSpace(s[i])) i++;
  const value = sign * mantissa * Math.pow(10, exp + expSign * power);
  return i < s.length ? { value, tail: i } : { value };
}

/** C's conversion of a double to an unsigned 64-bit integer as x86-64 does it (negative values wrap). */
function toUintmax(v: number): number {
  if (v >= 2 ** 64) return 0;
  const t = Math.trunc(v);
  return t < 0 ? 2 ** 64 + t : t;
}

/**
 * A size as varnishd 6.x's VNUM_2bytes reads it: a number as scanVnum
 * reads it (`1e5`, `+5k`, `.5k`, `5.5` and `-1` are numbers), then
 * optionally k/m/g/t/p in either case and b/B, then only blanks. Without a
 * suffix the value is truncated, with one rounded; a negative value wraps
 * to a huge one (so `-1` passes a minimum and fails any maximum).
 */
function parseBytesVnum(text: string): ParseResult<number> {
  const n = scanVnum(text);
  if (!Number.isFinite(n.value)) return fail('not a number');
  if (n.tail === undefined) return { ok: true, value: toUintmax(n.value) };
  let i = n.tail;
  let value = n.value;
  const scale = BYTE_UNITS[text[i]!.toLowerCase()];
  if (scale !== undefined) {
    value *= scale;
    i++;
  }
  if (text[i] === 'b' || text[i] === 'B') i++;
  while (isCSpace(text[i])) i++;
  if (i < text.length) return fail(`unknown unit '${text.slice(n.tail).trim()}'`);
  return { ok: true, value: toUintmax(Math.round(value)) };
}

function saturate(v: number): number {
  // `+ 0` turns the -0 of "-0" into 0.
  return v >= BYTES_SATURATED ? BYTES_SATURATED : v + 0;
}

// ---------------------------------------------------------------------------
// Durations and decimals

/** A number of seconds; `ignored` is the text varnishd 7.1 silently skips after the number. */
export interface DurationValue {
  seconds: number;
  ignored: string;
}

/**
 * Reads a duration or decimal like varnishd 7.1's parameter code: an optional
 * `-`, up to 12 integer digits and up to three decimals (more are dropped).
 * Anything after the number is ignored by varnishd 7.1, unit letters
 * included: `2m` is 2 seconds, `100ms` is 100 seconds. The ignored text is
 * returned so that callers can warn about it.
 */
export function parseDuration(text: string, syntax: ValueSyntax = SYNTAX_7_1): ParseResult<DurationValue> {
  if (syntax.numbers === 'vnum') return parseDecimal(text, syntax).ok ? { ok: true, value: { seconds: scanVnum(text).value, ignored: '' } } : fail('not a number');
  if (syntax.durationTail === 'unit') return parseDurationUnit(text);
  const n = scanNumber(text, false);
  if (n.error) return fail(n.error === 'too many digits' ? 'too many digits' : 'not a number');
  if (Math.abs(n.value) > DECIMAL_MAX) return fail('too many digits');
  return { ok: true, value: { seconds: n.value, ignored: text.slice(n.end).trim() } };
}

/** Seconds per unit letter in VCL durations, for explaining what a suffix was probably meant to be. */
export const DURATION_UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/**
 * A duration as varnishd 7.2 and later read it: a number as in 7.1, then
 * optionally one of the units ms, s, m, h, d, w, y (lower case, blanks
 * around allowed); any other text is refused. `2m` is 120 seconds.
 */
function parseDurationUnit(text: string): ParseResult<DurationValue> {
  const n = scanNumber(text, false);
  if (n.error) return fail(n.error === 'too many digits' ? 'too many digits' : 'not a number');
  if (Math.abs(n.value) > DECIMAL_MAX) return fail('too many digits');
  const rest = text.slice(n.end);
  if (rest === '') return { ok: true, value: { seconds: n.value, ignored: '' } };
  const unit = /^(ms|s|m|h|d|w|y)[ \t]*$/.exec(rest);
  if (!unit) return fail(`unknown unit '${rest.trim()}' (use ms, s, m, h, d, w or y)`);
  return { ok: true, value: { seconds: n.value * DURATION_UNITS[unit[1]!]!, ignored: '' } };
}

/**
 * A plain decimal (a `double` parameter, a pool's max_age): 6.x reads it
 * with scanVnum and refuses any text after it; 7.0 and 7.1 read it like a
 * duration and ignore what follows; 7.2 and later refuse what follows.
 */
export function parseDecimal(text: string, syntax: ValueSyntax = SYNTAX_7_1): ParseResult<number> {
  if (syntax.numbers === 'vnum') {
    const n = scanVnum(text);
    return Number.isFinite(n.value) && n.tail === undefined ? { ok: true, value: n.value } : fail('not a number');
  }
  if (syntax.durationTail === 'ignored') {
    const r = parseDuration(text, syntax);
    return r.ok ? { ok: true, value: r.value.seconds } : r;
  }
  const n = scanNumber(text, false);
  if (n.error) return fail(n.error === 'too many digits' ? 'too many digits' : 'not a number');
  if (Math.abs(n.value) > DECIMAL_MAX) return fail('too many digits');
  return n.end === text.length ? { ok: true, value: n.value } : fail(`'${text.slice(n.end).trim()}' after the number`);
}

// ---------------------------------------------------------------------------
// Unsigned integers

/**
 * Reads an unsigned integer like varnishd (C strtoul with base 0, stored in
 * 32 bits): optional leading white space and sign, `0x` hexadecimal, leading
 * `0` octal; nothing may follow. `unlimited` (any case) is 4294967295.
 * Negative and too large numbers wrap as in C: `-1` is 4294967295.
 */
export function parseUint(text: string): ParseResult<number> {
  if (text === '') return fail('empty value');
  if (text.toLowerCase() === 'unlimited') return { ok: true, value: UINT_MAX };
  let i = 0;
  while (isCSpace(text[i])) i++;
  let negative = false;
  if (text[i] === '+' || text[i] === '-') {
    negative = text[i] === '-';
    i++;
  }
  let base = 10;
  if (text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X') && /[0-9a-fA-F]/.test(text[i + 2] ?? '')) {
    base = 16;
    i += 2;
  } else if (text[i] === '0') base = 8;
  const digitsStart = i;
  let v = 0n;
  for (; i < text.length; i++) {
    const d = parseInt(text[i]!, 36);
    if (Number.isNaN(d) || d >= base) break;
    v = v * BigInt(base) + BigInt(d);
  }
  if (i === digitsStart || i < text.length) return fail('not a whole number');
  const ULONG_MAX = 2n ** 64n - 1n;
  if (v > ULONG_MAX) v = ULONG_MAX;
  else if (negative) v = (2n ** 64n - v) % 2n ** 64n;
  return { ok: true, value: Number(v % 2n ** 32n) };
}

// ---------------------------------------------------------------------------
// Booleans

const TRUE_WORDS = ['on', 'true', 'yes', 'enable'] as const;
const FALSE_WORDS = ['off', 'false', 'no', 'disable'] as const;

/** Reads on/off, true/false, yes/no, enable/disable in any case; nothing else (not 1/0, no blanks). */
export function parseBoolean(text: string): ParseResult<boolean> {
  const t = text.toLowerCase();
  if ((TRUE_WORDS as readonly string[]).includes(t)) return { ok: true, value: true };
  if ((FALSE_WORDS as readonly string[]).includes(t)) return { ok: true, value: false };
  return fail('not a boolean');
}

// ---------------------------------------------------------------------------
// Argument lists (varnishd's VAV_Parse with commas as separators)

/**
 * Splits a list like varnishd's VAV_Parse(ARGV_COMMA): items are separated by
 * white space and/or one comma; `"..."` quotes an item; backslash escapes
 * (\n \r \t \" \\ \ooo \xhh) are decoded. An empty item arises from `,,`, a
 * leading comma or a trailing comma.
 */
export function splitArgs(s: string, lists: ValueSyntax['lists'] = 'v7.0'): ParseResult<string[]> {
  if (lists === 'v6') return splitArgs6(s);
  const out: string[] = [];
  const e = s.length;
  let b = 0;
  let sep = -1;
  while (b < e) {
    const c = s[b]!;
    if (isCSpace(c)) {
      b++;
      continue;
    }
    if (sep >= 0 && isCSpace(s[sep]) && c === ',') {
      sep = -1;
      b++;
      continue;
    }
    if (sep >= 0 && s[sep] === '"' && c === '"') return fail('missing separator between quoted items');
    sep = -1;
    let quote = false;
    let p = b;
    if (c === '"') {
      p = ++b;
      quote = true;
    }
    while (b < e) {
      if (s[b] === '\\') {
        const n = backslashLength(s, b);
        if (n === 0) return fail('invalid backslash sequence');
        b += n;
        continue;
      }
      if (!quote) {
        if (isCSpace(s[b]) || s[b] === ',') {
          sep = b;
          break;
        }
        if (s[b] === '"') return fail('misplaced \'"\'');
        b++;
        continue;
      }
      if (s[b] === '"') {
        sep = b;
        quote = false;
        break;
      }
      b++;
    }
    if (sep < 0 && quote) return fail('missing closing \'"\'');
    out.push(decodeBackslashes(s.slice(p, b)));
    if (b < e) b++;
    // From 7.2 a quoted item is followed by its separator (which it takes), or the end.
    if (lists === 'v7.2' && sep >= 0 && s[sep] === '"' && b < e) {
      if (s[b] === ',') {
        sep = -1;
        b++;
      } else if (isCSpace(s[b])) sep = b;
      else return fail('missing separator between items');
    }
  }
  if (sep >= 0 && s[sep] === ',') out.push('');
  return { ok: true, value: out };
}

/**
 * Splits a list as varnishd 6.x's VAV_Parse does: blanks separate items,
 * and so does one comma right after an item (a trailing comma is fine); a
 * comma anywhere else starts an empty item (`a , b`, `,a`, `a,,b`). A
 * quoted item may be followed directly by the next one.
 */
function splitArgs6(s: string): ParseResult<string[]> {
  const out: string[] = [];
  const e = s.length;
  let b = 0;
  while (b < e) {
    if (isCSpace(s[b])) {
      b++;
      continue;
    }
    const quote = s[b] === '"';
    if (quote) b++;
    const p = b;
    for (;;) {
      if (s[b] === '\\') {
        const n = backslashLength(s, b);
        if (n === 0) return fail('invalid backslash sequence');
        b += n;
        continue;
      }
      if (!quote) {
        if (b >= e || isCSpace(s[b]) || s[b] === ',') break;
        b++;
        continue;
      }
      if (s[b] === '"') break;
      if (b >= e) return fail('missing closing \'"\'');
      b++;
    }
    out.push(decodeBackslashes(s.slice(p, b)));
    if (b < e) b++;
  }
  return { ok: true, value: out };
}

function backslashLength(s: string, at: number): number {
  const l = s.length - at;
  if (l < 2) return 0;
  const c = s[at + 1]!;
  if ('nrt"\\'.includes(c)) return 2;
  if (c >= '0' && c <= '7') {
    let r = 1;
    for (; r < 4 && r < l; r++) if (!(s[at + r]! >= '0' && s[at + r]! <= '7')) break;
    return r;
  }
  if (c === 'x' && l >= 4 && /^[0-9a-fA-F]{2}$/.test(s.slice(at + 2, at + 4))) return 4;
  return 0;
}

/** Decodes escapes; like C, the text ends at a decoded NUL. */
function decodeBackslashes(t: string): string {
  let out = '';
  for (let i = 0; i < t.length; ) {
    if (t[i] !== '\\') {
      out += t[i++];
      continue;
    }
    const n = backslashLength(t, i);
    const c = t[i + 1]!;
    let ch: string;
    if (c === 'n') ch = '\n';
    else if (c === 'r') ch = '\r';
    else if (c === 't') ch = '\t';
    else if (c === 'x') ch = String.fromCharCode(parseInt(t.slice(i + 2, i + 4), 16));
    else if (c >= '0' && c <= '7') ch = String.fromCharCode(parseInt(t.slice(i + 1, i + n), 8) & 0xff);
    else ch = c;
    if (ch === '\0') return out;
    out += ch;
    i += n;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Bit sets

/** One `+name` / `-name` item of a bit list. */
export interface BitChange {
  sign: '+' | '-';
  name: string;
}

/** A bit-set value: one of the set's words (`none`, `default`) or a list of changes. */
export type BitsValue = { word: string } | { changes: BitChange[] };

/** Why a bit list is refused, with the offending item when there is one. */
export interface BitsError {
  error: string;
  item?: string;
  kind: 'syntax' | 'sign' | 'unknown';
}

/**
 * Reads a bit-set value like varnishd: exactly one of `words` (case
 * sensitive), or a list of `+name`/`-name` items where each name is one of
 * `names` (case-insensitive). An empty value changes nothing and is accepted.
 */
export function parseBits(text: string, names: readonly string[], words: readonly string[], syntax: ValueSyntax = SYNTAX_7_1): { ok: true; value: BitsValue } | ({ ok: false } & BitsError) {
  if (words.includes(text)) return { ok: true, value: { word: text } };
  // From 7.2 every bit set takes `default` alone, and `none` / `all` as items of a list.
  if (syntax.looseBitWords && text === 'default') return { ok: true, value: { word: text } };
  const items = splitArgs(text, syntax.lists);
  if (!items.ok) return { ok: false, error: items.error, kind: 'syntax' };
  const lower = new Map(names.map((n) => [n.toLowerCase(), n]));
  const changes: BitChange[] = [];
  for (const item of items.value) {
    if (syntax.looseBitWords && (item === 'none' || item === 'all')) continue;
    const sign = item[0];
    if (sign !== '+' && sign !== '-') return { ok: false, error: 'missing + or -', item, kind: 'sign' };
    const name = lower.get(item.slice(1).toLowerCase());
    if (name === undefined) return { ok: false, error: 'unknown name', item, kind: 'unknown' };
    changes.push({ sign, name });
  }
  return { ok: true, value: { changes } };
}

// ---------------------------------------------------------------------------
// Pool parameters

export interface PoolValue {
  minPool: number;
  maxPool: number;
  maxAge: number;
}

/**
 * Reads `min_pool,max_pool,max_age` like varnishd: a list as in splitArgs
 * (extra items are ignored), two unsigned integers with min <= max, and a
 * decimal max_age between 0 and 1000000.
 */
export function parsePool(text: string, syntax: ValueSyntax = SYNTAX_7_1): ParseResult<PoolValue> {
  const items = splitArgs(text, syntax.lists);
  if (!items.ok) return fail(items.error);
  if (items.value.length < 3) return fail('three fields needed: min_pool,max_pool,max_age');
  const [a, b, c] = items.value as [string, string, string];
  const minPool = parseUint(a);
  if (!minPool.ok) return fail(`min_pool '${a}': ${minPool.error}`);
  const maxPool = parseUint(b);
  if (!maxPool.ok) return fail(`max_pool '${b}': ${maxPool.error}`);
  const age = parseDecimal(c, syntax);
  if (!age.ok) return fail(`max_age '${c}': ${age.error}`);
  if (age.value < 0) return fail('max_age must be at least 0');
  if (age.value > 1000000) return fail('max_age must be at most 1000000');
  if (minPool.value > maxPool.value) return fail('min_pool is larger than max_pool');
  return { ok: true, value: { minPool: minPool.value, maxPool: maxPool.value, maxAge: age.value } };
}

// ---------------------------------------------------------------------------
// Writing values in the user's style

interface BytesStyle {
  unit: string; // '', or the suffix letter as written (k, K, m, M, ...)
  b: string; // '', 'b' or 'B'
  space: string;
  decimals: boolean;
}

function bytesStyle(like: string | undefined): BytesStyle | undefined {
  if (like === undefined) return undefined;
  const m = /^\s*\d+(\.\d*)?(\s*)([kKmMgGtTpP]?)([bB]?)\s*$/.exec(like);
  if (!m) return undefined;
  return { unit: m[3]!, b: m[4]!, space: m[3] || m[4] ? m[2]! : '', decimals: m[1] !== undefined && m[1].length > 1 };
}

const UNIT_ORDER = ['p', 't', 'g', 'm', 'k'];

/**
 * Writes a size. With `like` (the user's old value) it keeps the user's unit,
 * letter case, `b` suffix and spacing where the new value can be written in
 * that unit without a fraction (`8k` -> `64k`, `8192` -> `65536`,
 * `1MB` -> `96KB` when not a whole number of MB). Without `like` it picks the
 * largest unit that divides the value, as varnishd prints sizes (`64k`, `1M`, `255b`).
 */
export function formatBytes(bytes: number, like?: string): string {
  const style = bytesStyle(like);
  if (!style) {
    if (bytes === 0) return '0b';
    for (const u of UNIT_ORDER) {
      const scale = BYTE_UNITS[u]!;
      if (bytes % scale === 0) return `${bytes / scale}${u === 'k' ? 'k' : u.toUpperCase()}`;
    }
    return `${bytes}b`;
  }
  if (!style.unit) return `${bytes}${style.space}${style.b}`;
  const upper = style.unit === style.unit.toUpperCase();
  const start = UNIT_ORDER.indexOf(style.unit.toLowerCase());
  const scaled = bytes / BYTE_UNITS[style.unit.toLowerCase()]!;
  if (style.decimals && Number.isInteger(scaled * 1000) && !Number.isInteger(scaled)) return `${scaled}${style.space}${style.unit}${style.b}`;
  for (const u of UNIT_ORDER.slice(start)) {
    const scale = BYTE_UNITS[u]!;
    if (bytes % scale === 0) return `${bytes / scale}${style.space}${upper ? u.toUpperCase() : u}${style.b}`;
  }
  return `${bytes}${style.b ? `${style.space}${style.b}` : ''}`;
}

/**
 * Writes a number of seconds. varnishd 7.1 reads only the number, so no unit
 * other than `s` is ever produced; an `s` suffix, spacing and a fixed
 * three-decimal style (`60.000`) are kept from `like`.
 */
export function formatDuration(seconds: number, like?: string): string {
  const m = like === undefined ? undefined : /^\s*-?\d*(\.(\d*))?(\s*)(s?)\s*$/.exec(like);
  const fixed = m?.[2] !== undefined && m[2].length === 3;
  const num = fixed ? seconds.toFixed(3) : String(Number(seconds.toFixed(3)));
  return m?.[4] ? `${num}${m[3]}${m[4]}` : num;
}

/** Writes an unsigned integer; keeps `unlimited` when the user wrote it and the value is UINT_MAX. */
export function formatUint(value: number, like?: string): string {
  if (value === UINT_MAX && like?.toLowerCase() === 'unlimited') return like;
  return String(value);
}

/**
 * Writes a boolean in the user's vocabulary and case: `yes` -> `no`,
 * `Enable` -> `Disable`, `TRUE` -> `FALSE`; `on`/`off` by default.
 */
export function formatBoolean(value: boolean, like?: string): string {
  const lower = like?.toLowerCase();
  let pair = 0;
  for (let i = 0; i < TRUE_WORDS.length; i++) if (lower === TRUE_WORDS[i] || lower === FALSE_WORDS[i]) pair = i;
  const word: string = value ? TRUE_WORDS[pair]! : FALSE_WORDS[pair]!;
  if (like && like.length > 1 && like === like.toUpperCase()) return word.toUpperCase();
  if (like && like[0] === like[0]!.toUpperCase() && like[0] !== like[0]!.toLowerCase()) return word[0]!.toUpperCase() + word.slice(1);
  return word;
}

/** Writes a bit list: `+a,-b`, or the word itself. */
export function formatBits(value: BitsValue): string {
  if ('word' in value) return value.word;
  return value.changes.map((c) => `${c.sign}${c.name}`).join(',');
}

/** Writes a pool value as `min,max,age`. */
export function formatPool(value: PoolValue): string {
  return `${value.minPool},${value.maxPool},${Number(value.maxAge.toFixed(3))}`;
}
