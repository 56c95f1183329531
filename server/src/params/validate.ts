/**
 * Validation of varnishd parameter settings (`-p name=value`,
 * `param.set name value`) with the verdicts of the selected release's
 * varnishd (its parameters, defaults, limits and value syntax).
 *
 * varnishd checks each `-p` when it reads it, in command-line order:
 * - the value alone (syntax, units, static minimum and maximum): validateSetting;
 * - the few limits that follow another parameter's current value
 *   (thread_pool_min <= thread_pool_max, thread_pool_reserve <= 95% of
 *   thread_pool_min, vsl_reclen <= vsl_buffer - 12): checkRelations, which
 *   replays the settings in order as varnishd does.
 * validateSettings does both for one command line. The differential test
 * (test/params/params-differential.test.ts) holds these to the verdicts of
 * each checked release's varnishd (6.5, 7.1, 7.7, 9.0).
 */

import { paramFact, paramNames, paramVersions, valueSyntax, type ParamFact, type ParamLimit, type ValueSyntax } from '../facts/params.js';
import { DEFAULT_VARNISH_VERSION, describeVersions, productName, type VarnishVersion } from '../facts/versions.js';
import { closest, PARAM_WORDS } from '../text/did-you-mean.js';
import {
  DURATION_UNITS,
  UINT_MAX,
  formatBoolean,
  formatBytes,
  formatDuration,
  parseBits,
  parseBoolean,
  parseBytes,
  parseDecimal,
  parseDuration,
  parsePool,
  parseUint,
} from './units.js';
import { own } from '../text/own.js';

/** The rule ids of DESIGN.md for parameter settings. */
export type ParamRuleId = 'param-unknown' | 'param-invalid';

/** Why varnishd would refuse a setting. */
export interface ParamProblem {
  rule: ParamRuleId;
  /** Says what is wrong and what varnishd accepts (units, range). */
  message: string;
  /**
   * A replacement that varnishd accepts: the parameter name for
   * `param-unknown`, the value (in the user's style) for `param-invalid`.
   */
  suggestion?: string;
}

export interface ValidateOptions {
  /**
   * Storage names given with `-s` before this setting (`-s name=malloc,...`;
   * an unnamed `-s` is `s0`, `s1`, ... in order). `h2_rxbuf_storage` must
   * name one of them or `Transient`. Undefined when the command is not known:
   * then any non-empty name is accepted.
   */
  storages?: readonly string[];
  /** Operating system of the varnishd that will read the setting; default `linux`. */
  platform?: 'linux' | 'other';
  /** The Varnish release that reads the setting; default {@link DEFAULT_VARNISH_VERSION}. */
  version?: VarnishVersion;
}

// ---------------------------------------------------------------------------
// Names

/**
 * Parameters renamed or replaced before 6.0. Renames between supported
 * releases (pcre_match_limit, shm_reclen, ...) are facts of the table
 * (`replacedBy`), so they work in both directions.
 */
const RENAMED: Record<string, string> = {
  sess_timeout: 'timeout_idle',
  sess_workspace: 'workspace_client',
  shm_workspace: 'vsl_buffer',
  thread_pool_purge_delay: 'thread_pool_destroy_delay',
};

/**
 * A parameter of `version` that an unknown `name` probably means, or
 * undefined: the same name written differently (case, `-` for `_`), the
 * name it has in this release when it was renamed in another
 * (`pcre2_match_limit` is `pcre_match_limit` before 7.0, and the other way
 * round), an older name (`sess_timeout`), or a close spelling.
 */
export function suggestParamName(name: string, version: VarnishVersion = DEFAULT_VARNISH_VERSION): string | undefined {
  const normalized = name.trim().toLowerCase().replace(/-/g, '_');
  if (paramFact(normalized, version)) return normalized;
  const renamed = renamedIn(normalized, version);
  if (renamed) return renamed;
  const old = own(RENAMED, normalized);
  if (old && paramFact(old, version)) return old;
  return closest(normalized, paramNames(version), PARAM_WORDS);
}

/** The name a parameter renamed in some release has in `version`, either way round. */
function renamedIn(name: string, version: VarnishVersion): string | undefined {
  // Newer name asked for in an older release: a parameter here names it as its replacement.
  const older = paramNames(version).find((n) => paramFact(n, version)!.replacedBy === name);
  if (older) return older;
  // Older name asked for in a newer release: the replacement it names, if it exists here.
  for (const v of paramVersions(name)) {
    const next = paramFact(name, v)?.replacedBy;
    if (next && paramFact(next, version)) return next;
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Describing limits

function unitsWord(fact: ParamFact, n: number): string {
  const u = fact.units;
  if (!u || u === 'bool' || u === 'bytes' || u === 'seconds') return '';
  if (u.startsWith('struct iovec')) return ' I/O vectors';
  // A phrase (`HTTP status code`) reads badly after each number: the range says enough.
  if (u.includes(' ')) return '';
  return ` ${n === 1 && u.endsWith('s') ? u.slice(0, -1) : u}`;
}

/** A limit as a user reads it: `256 bytes (0.25k)`, `1 second`, `5 threads`. */
function describe(fact: ParamFact, value: number): string {
  switch (fact.type) {
    case 'bytes': {
      const short = formatBytes(value);
      return short === `${value}b` ? `${value} bytes` : `${short} (${value} bytes)`;
    }
    case 'duration':
      return `${formatDuration(value)} ${value === 1 ? 'second' : 'seconds'}`;
    default:
      return `${value === UINT_MAX ? 'unlimited' : String(value)}${unitsWord(fact, value)}`;
  }
}

function rangeText(fact: ParamFact, syntax: ValueSyntax): string {
  const lo = limitValue(fact.min, fact, syntax);
  const hi = limitValue(fact.max, fact, syntax);
  const zero = fact.zeroDisables ? ' (or 0 to turn it off)' : '';
  if (lo !== undefined && hi !== undefined) return `from ${describe(fact, lo)} to ${describe(fact, hi)}${zero}`;
  if (lo !== undefined) return `at least ${describe(fact, lo)}${zero}`;
  if (hi !== undefined) return `at most ${describe(fact, hi)}`;
  return '';
}

/**
 * A static limit in the value space varnishd compares in: read from its text
 * with the parameter's own reader (so that 0.100 compares exactly as in
 * varnishd), or the table's value for platform limits. Limits that follow
 * another parameter are left to checkRelations.
 */
function limitValue(limit: ParamLimit | undefined, fact: ParamFact, syntax: ValueSyntax): number | undefined {
  if (!limit || limit.ref) return undefined;
  if (limit.platform || limit.build) return limit.value;
  switch (fact.type) {
    case 'bytes': {
      const r = parseBytes(limit.text, syntax);
      return r.ok ? r.value : limit.value;
    }
    case 'duration':
    case 'double': {
      const r = parseDecimal(limit.text, syntax);
      return r.ok ? r.value : limit.value;
    }
    case 'uint': {
      const r = parseUint(limit.text);
      return r.ok ? r.value : limit.value;
    }
    default:
      return limit.value;
  }
}

// ---------------------------------------------------------------------------
// One setting

function invalid(message: string, suggestion?: string): ParamProblem {
  return suggestion === undefined ? { rule: 'param-invalid', message } : { rule: 'param-invalid', message, suggestion };
}

/**
 * Checks one setting as varnishd does when it reads `-p name=value`: the
 * name, the value's syntax and units, and the fixed minimum and maximum.
 * Limits that follow another parameter (thread_pool_min/max/reserve,
 * vsl_reclen/vsl_buffer) are checked by checkRelations, which knows the
 * order of the settings. Returns undefined when varnishd accepts the value.
 */
export function validateSetting(name: string, value: string, options: ValidateOptions = {}): ParamProblem | undefined {
  const version = options.version ?? DEFAULT_VARNISH_VERSION;
  const fact = paramFact(name, version);
  if (!fact) return unknownName(name, version);
  const syntax = valueSyntax(version);
  if (fact.unavailableOnLinux && (options.platform ?? 'linux') === 'linux') {
    return invalid(`${name} is not available on Linux: varnishd refuses to set it (remove the setting)`);
  }
  const p = `${name}=${value}`;
  switch (fact.type) {
    case 'bytes':
      return checkBytes(fact, value, p, syntax);
    case 'duration':
    case 'double':
      return checkDecimal(fact, value, p, syntax);
    case 'uint':
      return checkUint(fact, value, p, syntax);
    case 'bool': {
      if (parseBoolean(value).ok) return undefined;
      return invalid(`${p}: '${value}' is not a boolean; use on or off (true/false, yes/no, enable/disable also work)`, boolSuggestion(value));
    }
    case 'bits':
      return checkBits(fact, value, p, syntax);
    case 'pool': {
      const r = parsePool(value, syntax);
      return r.ok ? undefined : invalid(`${p}: ${r.error}; the value is min_pool,max_pool,max_age (default ${fact.default.text})`);
    }
    case 'storage': {
      if (value === 'Transient') return undefined;
      if (options.storages === undefined ? value !== '' : options.storages.includes(value)) return undefined;
      const known = options.storages?.length ? ` (${options.storages.join(', ')})` : '';
      return invalid(`${p}: '${value}' is not a storage; use Transient or the name of a storage given with -s before this setting${known}`, 'Transient');
    }
    case 'string':
      return undefined;
  }
}

/**
 * `param-unknown` for `name` in `version`. A name that another supported
 * release knows says which releases have it ("exists from Varnish 7.0; this
 * workspace targets 6.5"), with this release's name for it when it was renamed.
 */
function unknownName(name: string, version: VarnishVersion): ParamProblem {
  const suggestion = suggestParamName(name, version);
  const elsewhere = paramVersions(name);
  let message: string;
  if (elsewhere.length > 0) {
    const use = suggestion ? `; in ${version} use '${suggestion}'` : '';
    message = `Unknown varnishd parameter '${name}': ${name} exists ${describeVersions(elsewhere)}; this workspace targets ${version}${use}`;
  } else {
    message = `Unknown varnishd parameter '${name}'${suggestion ? `; did you mean '${suggestion}'?` : ''}`;
  }
  return suggestion ? { rule: 'param-unknown', message, suggestion } : { rule: 'param-unknown', message };
}

function checkBytes(fact: ParamFact, value: string, p: string, syntax: ValueSyntax): ParamProblem | undefined {
  const r = parseBytes(value, syntax);
  if (!r.ok) {
    let suggestion: string | undefined;
    const iec = /^(\s*\d+(?:\.\d{1,3})?\s*)([kmgtp])i[bB]?\s*$/i.exec(value);
    if (iec) suggestion = `${iec[1]}${iec[2]}`;
    return invalid(`${p}: '${value}' is not a size (${r.error}); write bytes or a number with k, m, g, t or p (powers of 1024), e.g. 64k or 1M${rangeSuffix(fact, syntax)}`, suggestion);
  }
  return checkRange(fact, r.value, value, p, syntax);
}

function checkDecimal(fact: ParamFact, value: string, p: string, syntax: ValueSyntax): ParamProblem | undefined {
  // Parameters flagged `timeout` take `never` (from 7.5), whatever their limits.
  if (value === 'never' && fact.flags.includes('timeout')) return undefined;
  const r = fact.type === 'duration' ? parseDuration(value, syntax) : parseDecimal(value, syntax);
  if (!r.ok) {
    const what = fact.type !== 'duration' ? 'a number' : syntax.durationTail === 'unit' ? 'a duration' : 'a number of seconds';
    const never = fact.flags.includes('timeout') ? ', or never' : '';
    // A unit where this release takes none (6.x): the same time in seconds.
    const withUnit = fact.type === 'duration' && syntax.durationTail === 'refused' ? /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w|y)\s*$/.exec(value) : null;
    const seconds = withUnit ? formatDuration(Number(withUnit[1]) * DURATION_UNITS[withUnit[2]!]!) : undefined;
    const hint = seconds === undefined ? '' : `; this release takes no unit: write ${seconds} (seconds)`;
    return invalid(`${p}: '${value}' is not ${what} (${r.error})${hint}${rangeSuffix(fact, syntax)}${never}`, seconds);
  }
  return checkRange(fact, typeof r.value === 'number' ? r.value : r.value.seconds, value, p, syntax);
}

function checkUint(fact: ParamFact, value: string, p: string, syntax: ValueSyntax): ParamProblem | undefined {
  const r = parseUint(value);
  if (!r.ok) {
    const whole = /^\s*\+?(\d+)\.\d*\s*$/.exec(value);
    return invalid(`${p}: '${value}' is not a whole number${fact.units ? ` of ${fact.units}` : ''}${rangeSuffix(fact, syntax)}`, whole ? String(Number(whole[1])) : undefined);
  }
  // Only the text `0` itself turns it off (4294967296 also reads as 0, and is refused).
  if (value === '0' && fact.zeroDisables) return undefined;
  return checkRange(fact, r.value, value, p, syntax);
}

function rangeSuffix(fact: ParamFact, syntax: ValueSyntax): string {
  const r = rangeText(fact, syntax);
  return r ? `; allowed: ${r}` : '';
}

/** The same value in the user's style, for a suggestion. */
function styled(fact: ParamFact, n: number, like: string): string {
  if (fact.type === 'bytes') return formatBytes(n, like);
  if (fact.type === 'duration' || fact.type === 'double') return formatDuration(n, like);
  return String(n);
}

function checkRange(fact: ParamFact, n: number, value: string, p: string, syntax: ValueSyntax): ParamProblem | undefined {
  // varnishd checks the maximum first for sizes, the minimum first otherwise;
  // a value can only break one of them, so the order does not matter here.
  const lo = limitValue(fact.min, fact, syntax);
  const hi = limitValue(fact.max, fact, syntax);
  if (lo !== undefined && n < lo) {
    return invalid(`${p} is below the minimum: ${fact.name} must be ${rangeText(fact, syntax)}`, styled(fact, lo, value));
  }
  if (hi !== undefined && n > hi) {
    return invalid(`${p} is above the maximum: ${fact.name} must be ${rangeText(fact, syntax)}`, styled(fact, hi, value));
  }
  return undefined;
}

function boolSuggestion(value: string): string | undefined {
  const v = value.trim().toLowerCase();
  if (v === '1') return 'on';
  if (v === '0') return 'off';
  if (v === 'enabled') return 'enable';
  if (v === 'disabled') return 'disable';
  const word = closest(v, ['on', 'off', 'true', 'false', 'yes', 'no', 'enable', 'disable'], PARAM_WORDS);
  return word ?? (v !== value && parseBoolean(v).ok ? v : undefined);
}

function checkBits(fact: ParamFact, value: string, p: string, syntax: ValueSyntax): ParamProblem | undefined {
  const bits = fact.bits!;
  const r = parseBits(value, bits.names, bits.words, syntax);
  if (r.ok) return undefined;
  const words = bits.words.length ? `, or just ${bits.words.map((w) => `'${w}'`).join(' or ')}` : '';
  const how = `use a comma-separated list of +name / -name${words}`;
  const kind = fact.name === 'vsl_mask' ? 'VSL tag' : `${fact.name} bit`;
  if (r.kind === 'syntax') return invalid(`${p}: cannot read the list (${r.error}); ${how}`);
  const item = r.item ?? '';
  if (r.kind === 'sign' && item === '') {
    return invalid(`${p}: empty item (a stray or doubled comma); ${how}`, value.split(',').map((s) => s.trim()).filter(Boolean).join(',') || undefined);
  }
  if (r.kind === 'sign') {
    const exact = bits.words.find((w) => w.toLowerCase() === item.toLowerCase());
    if (exact && value.trim().toLowerCase() === exact) {
      return invalid(`${p}: '${exact}' must be written alone and in lower case; ${how}`, exact);
    }
    const name = bits.names.find((n) => n.toLowerCase() === item.toLowerCase()) ?? closest(item, bits.names, PARAM_WORDS);
    const fixed = name ? value.replace(item, `${bits.set}${name}`) : undefined;
    const wordHint = bits.words.includes(item) ? `; '${item}' is only accepted as the whole value` : '';
    return invalid(`${p}: '${item}' needs a + or - prefix${wordHint}; ${how}`, fixed);
  }
  const name = closest(item.slice(1), bits.names, PARAM_WORDS);
  const hint = name ? `; did you mean '${item[0]}${name}'?` : '';
  const list = bits.names.length <= 24 ? ` Known: ${bits.names.join(', ')}.` : '';
  return invalid(`${p}: unknown ${kind} '${item.slice(1)}'${hint}${list}`, name ? value.replace(item, `${item[0]}${name}`) : undefined);
}

// ---------------------------------------------------------------------------
// Relations (limits that follow another parameter)

/** A relation problem, located by the setting's position in the list given. */
export interface RelationProblem extends ParamProblem {
  rule: 'param-invalid';
  /** Index of the refused setting in the list given to checkRelations. */
  index: number;
  name: string;
  value: string;
  /** The parameter whose current value set the limit. */
  related: string;
}

/** The parameters whose current value other limits follow, with their stored width. */
const TRACKED = ['thread_pool_min', 'thread_pool_max', 'vsl_buffer', 'vsl_reclen'] as const;

function numericValue(fact: ParamFact, value: string, syntax: ValueSyntax): number | undefined {
  if (fact.type === 'bytes') {
    const r = parseBytes(value, syntax);
    return r.ok ? r.value : undefined;
  }
  if (fact.type === 'uint') {
    const r = parseUint(value);
    return r.ok ? r.value : undefined;
  }
  return undefined;
}

/**
 * Replays settings in order, as varnishd reads its `-p` options, and reports
 * each one refused because of a limit that follows another parameter's value
 * at that moment:
 * - thread_pool_min must not exceed the current thread_pool_max, and
 *   thread_pool_max must not be below the current thread_pool_min (so raising
 *   both past the defaults works only with thread_pool_max first);
 * - thread_pool_reserve must not exceed 95% of the current thread_pool_min;
 * - vsl_reclen must not exceed the current vsl_buffer - 12 bytes, and
 *   vsl_buffer must not be below the current vsl_reclen + 12 bytes.
 * Parameters not yet set count with their defaults. varnishd never checks
 * these again later: lowering thread_pool_min after thread_pool_reserve is
 * accepted, and so is not reported. Settings that validateSetting refuses are
 * skipped (varnishd would stop there; this reports what else would fail).
 * A Map works, as does a list of pairs with repeated names.
 */
export function checkRelations(settings: Iterable<readonly [string, string]>, version: VarnishVersion = DEFAULT_VARNISH_VERSION): RelationProblem[] {
  const state = new Map<string, number>();
  for (const name of TRACKED) state.set(name, paramFact(name, version)!.default.value as number);
  const problems: RelationProblem[] = [];
  const seen = new Set<string>();
  let index = -1;
  for (const [name, value] of settings) {
    index++;
    const fact = paramFact(name, version);
    if (!fact || validateSetting(name, value, { version }) !== undefined) continue;
    const n = numericValue(fact, value, valueSyntax(version));
    if (n === undefined) continue;
    const refused = (related: string, message: string, suggestion: string): void => {
      problems.push({ rule: 'param-invalid', message, suggestion, index, name, value, related });
    };
    const min = state.get('thread_pool_min')!;
    const max = state.get('thread_pool_max')!;
    const where = (other: string) => (seen.has(other) ? 'as set earlier' : 'its default');
    if (name === 'thread_pool_min' && n > max) {
      refused('thread_pool_max', `${name}=${value} is above thread_pool_max (${describe(fact, max)}, ${where('thread_pool_max')}); varnishd checks each setting in order, so set thread_pool_max first`, String(max));
      continue;
    }
    if (name === 'thread_pool_max' && n < min) {
      refused('thread_pool_min', `${name}=${value} is below thread_pool_min (${describe(fact, min)}, ${where('thread_pool_min')}); varnishd checks each setting in order, so lower thread_pool_min first`, String(min));
      continue;
    }
    if (name === 'thread_pool_reserve') {
      // Unsigned 32-bit arithmetic, as in varnishd.
      const limit = Math.floor(Number((BigInt(min) * 950n) % 2n ** 32n) / 1000);
      if (n > limit) {
        refused('thread_pool_min', `${name}=${value} is above 95% of thread_pool_min (${min}, ${where('thread_pool_min')}): at most ${describe(fact, limit)}`, String(limit));
        continue;
      }
    }
    if (name === 'vsl_reclen') {
      const limit = state.get('vsl_buffer')! - 12;
      if (n > limit) {
        refused('vsl_buffer', `${name}=${value} is above vsl_buffer - 12 bytes (${describe(fact, limit)}; vsl_buffer is ${state.get('vsl_buffer')} bytes, ${where('vsl_buffer')}); set vsl_buffer first`, formatBytes(limit, value));
        continue;
      }
    }
    if (name === 'vsl_buffer') {
      const limit = state.get('vsl_reclen')! + 12;
      if (n < limit) {
        refused('vsl_reclen', `${name}=${value} is below vsl_reclen + 12 bytes (${describe(fact, limit)}; vsl_reclen is ${state.get('vsl_reclen')} bytes, ${where('vsl_reclen')})`, formatBytes(limit, value));
        continue;
      }
    }
    if ((TRACKED as readonly string[]).includes(name)) {
      // vsl_buffer and vsl_reclen are stored in 32 bits, like the thread counts.
      state.set(name, n % 2 ** 32);
      seen.add(name);
    }
  }
  return problems;
}

/** A setting's problem from either check, with its position. */
export interface IndexedProblem extends ParamProblem {
  index: number;
  name: string;
  value: string;
}

/**
 * Checks the settings of one varnishd command line (or `-I` file), in order:
 * validateSetting on each, then checkRelations. The result is what varnishd
 * would refuse, one problem per refused setting, sorted by position.
 */
export function validateSettings(settings: Iterable<readonly [string, string]>, options: ValidateOptions = {}): IndexedProblem[] {
  const list = [...settings];
  const out: IndexedProblem[] = [];
  list.forEach(([name, value], index) => {
    const problem = validateSetting(name, value, options);
    if (problem) out.push({ ...problem, index, name, value });
  });
  for (const r of checkRelations(list, options.version)) {
    const { related: _related, ...rest } = r;
    out.push(rest);
  }
  return out.sort((a, b) => a.index - b.index);
}

// ---------------------------------------------------------------------------
// Notes: accepted values that probably do not mean what was intended

/** Something varnishd accepts but that probably is not what the user meant. */
export interface ParamNote {
  message: string;
  /** A value with the intended meaning, when it can be guessed. */
  suggestion?: string;
}

/**
 * Explains accepted values that varnishd reads differently from what they
 * seem to say. Varnish 7.0 and 7.1 ignore everything after the number of a
 * duration: `first_byte_timeout=2m` is 2 seconds and `100ms` is 100 seconds
 * (6.x refuses such values, 7.2 and later read the unit).
 */
export function settingNote(name: string, value: string, version: VarnishVersion = DEFAULT_VARNISH_VERSION): ParamNote | undefined {
  const fact = paramFact(name, version);
  if (!fact || (fact.type !== 'duration' && fact.type !== 'double')) return undefined;
  const syntax = valueSyntax(version);
  if (syntax.durationTail !== 'ignored') return undefined;
  if (validateSetting(name, value, { version }) !== undefined) return undefined;
  const r = parseDuration(value, syntax);
  if (!r.ok || r.value.ignored === '' || r.value.ignored === 's') return undefined;
  const { seconds, ignored } = r.value;
  const unit = DURATION_UNITS[ignored];
  if (fact.type === 'duration' && unit !== undefined) {
    const intended = seconds * unit;
    return {
      message: `${productName(version)} ignores the unit in ${name}=${value}: this sets ${formatDuration(seconds)} seconds, not ${formatDuration(seconds)}${ignored}; write the number of seconds`,
      suggestion: formatDuration(intended),
    };
  }
  return {
    message: `${productName(version)} ignores '${ignored}' in ${name}=${value}: this sets ${formatDuration(seconds)}`,
    suggestion: formatDuration(seconds),
  };
}
