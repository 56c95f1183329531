/**
 * From a varnishlog capture back to the user's own files: when the capture
 * proves that a backend header was longer than `http_resp_hdr_len` (or that
 * a response's whole header block overflowed `http_resp_size`, or that it
 * had more header lines than `http_max_hdr`), the
 * parameter files of the same run (CLI arguments, the editor's workspace)
 * say where the limit in force is set, or that it is the release's default,
 * and the capture's finding offers the parameter file's own fix.
 *
 * The fix is not built here: the capture's proof becomes one more need of
 * the `resp-buffer-too-small` rule, whose fix builder raises the limit and
 * carries the relations http_resp_hdr_len <= http_resp_size <=
 * workspace_backend along (and of the parameter-file side of
 * `resp-too-many-headers` for http_max_hdr). So the parameter file's diagnostic and the
 * capture's offer the same edits, and `--fix` applies them through the
 * parameter file like any other fix of that rule.
 */
import { readParamsFile } from '../params/detect.js';
import { newSettingText, type ParamsFile } from '../params/model.js';
import { formatBytes, parseBytes } from '../params/units.js';
import { paramFact } from '../facts/params.js';
import { productName, type VarnishVersion } from '../facts/versions.js';
import { LineIndex } from '../text/line-index.js';
import { parse } from '../syntax/parse.js';
import { walk } from '../syntax/walk.js';
import type { Program } from '../syntax/ast.js';
import { durationSeconds, formatSeconds } from '../rules/duration-literal.js';
import { parseDuration } from '../params/units.js';
import { TAG_HEADER_MIN } from '../rules/resp-buffer-too-small.js';
import type { ObservedNeed } from '../rules/params-index.js';
import type { CaptureFinding } from './varnishlog.js';
import type { Fix, LintDiagnostic, Range, RelatedLocation, TextEdit } from './types.js';

const KB = 1024;

/**
 * A limit that a capture can prove too small: the parameter, the params
 * rule whose fix raises it, how its values read and print, and what the
 * log proves (only that the limit was passed: varnishd logs the first 20
 * characters of the refused header, and neither its size nor the count).
 */
interface ProvenLimit {
  param: string;
  /** The parameter-file rule that reports the need and builds the fix. */
  rule: string;
  read: (value: string) => number | undefined;
  show: (value: number) => string;
  /** Twice the limit in force, and never less than `floor`: one step past what failed, not a guess at the worst case. */
  floor: number;
  /** What the capture shows, for the need's message. */
  shows: (header: string) => string;
}

/** A byte size as a parameter file writes it, or undefined. */
const readBytes = (v: string): number | undefined => {
  const r = parseBytes(v);
  return r.ok ? r.value : undefined;
};

/** The causes whose limit a parameter file sets, by cause id. */
const PROVEN: Readonly<Record<string, ProvenLimit>> = {
  'resp-header-too-long': {
    param: 'http_resp_hdr_len',
    rule: 'resp-buffer-too-small',
    read: readBytes,
    show: (n) => formatBytes(n),
    floor: TAG_HEADER_MIN,
    shows: (header) => `a backend ${header} longer than http_resp_hdr_len`,
  },
  'resp-headers-overflow': {
    param: 'http_resp_size',
    rule: 'resp-buffer-too-small',
    read: readBytes,
    show: (n) => formatBytes(n),
    floor: 64 * KB,
    shows: () => 'a backend response whose header block overflowed http_resp_size (or the free workspace_backend)',
  },
  'resp-too-many-headers': {
    param: 'http_max_hdr',
    rule: 'resp-too-many-headers',
    read: (v) => (/^\s*\d+\s*$/.test(v) ? Number(v) : undefined),
    show: (n) => String(n),
    floor: 128,
    shows: (header) => `a backend response with more header lines than http_max_hdr allows (${header} did not fit)`,
  },
};

/** Where a capture proves a limit too small. */
export interface LimitProof {
  /** The cause id: `resp-header-too-long`, `resp-headers-overflow` or `resp-too-many-headers`. */
  cause: string;
  /** `capture:line` of the deciding log line (1-based line). */
  where: string;
  vxid?: number;
  /** The header's name, as the BogoHeader line gives it. */
  header?: string;
  count: number;
}

/** The proofs of too small limits among a capture's findings; `shown` names the capture in messages. */
export function limitProofs(findings: readonly CaptureFinding[], shown: string): LimitProof[] {
  return findings
    .filter((f) => PROVEN[f.cause] !== undefined)
    .map((f) => ({
      cause: f.cause,
      where: `${shown}:${(f.evidence[0]?.line ?? f.first.line) + 1}`,
      ...(f.first.vxid !== undefined ? { vxid: f.first.vxid } : {}),
      ...(f.headers[0] !== undefined ? { header: f.headers[0] } : {}),
      count: f.count,
    }));
}

/** A limit as one parameter file has it: its value in force and, when the file sets it, where. */
export interface LimitInForce {
  value: number;
  /** The setting as varnishd reads it (`-p http_resp_hdr_len=4k`) and its value's range; absent when the release's default applies. */
  set?: { text: string; line: number; range: Range };
}

/**
 * The limit of `cause` in a parameter file: of each varnishd command, the
 * last setting (the one varnishd keeps) or the release's default; of
 * several commands, the largest, since a fix must raise every one of them
 * past it. Undefined for a text that is not a parameter file.
 */
export function limitInForce(cause: string, path: string, text: string, version: VarnishVersion): LimitInForce | undefined {
  const limit = PROVEN[cause];
  const file = limit ? readParamsFile(path, text) : undefined;
  if (!limit || !file || file.commands.length === 0) return undefined;
  const fallback = paramFact(limit.param, version)?.default.value;
  let best: LimitInForce | undefined;
  for (const command of file.commands) {
    const setting = [...command.settings].reverse().find((s) => s.name === limit.param && !s.unresolved);
    const parsed = setting ? limit.read(setting.value) : undefined;
    let here: LimitInForce | undefined;
    if (setting && parsed !== undefined) {
      // A YAML list spreads `-p` and its value over two lines: say it as varnishd reads it, at the value's line.
      const shown = setting.form === 'flag' ? `-p ${setting.name}=${setting.value}` : text.slice(setting.span.start, setting.span.end).replace(/\s+/g, ' ');
      const index = new LineIndex(text);
      const range = { start: index.position(setting.valueSpan.start), end: index.position(setting.valueSpan.end) };
      here = { value: parsed, set: { text: shown, line: range.start.line, range } };
    } else if (!setting && typeof fallback === 'number') here = { value: fallback };
    if (here && (!best || here.value > best.value)) best = here;
  }
  return best;
}

/** What a capture's proofs of `cause` ask of a parameter file whose limit in force is `limit`. */
export function observedNeedFor(cause: string, proofs: readonly LimitProof[], limit: LimitInForce): ObservedNeed | undefined {
  const first = proofs.find((p) => p.cause === cause);
  const proven = PROVEN[cause];
  if (!first || !proven) return undefined;
  const twice = Math.max(2 * limit.value, proven.floor);
  const need = proven.param === 'http_max_hdr' ? twice : Math.ceil(twice / KB) * KB;
  const header = first.header ? `header '${first.header}'` : 'a header';
  const tx = first.vxid !== undefined ? `, transaction ${first.vxid}` : '';
  return {
    need,
    why: `The varnishlog capture ${first.where} shows ${proven.shows(header)}${tx} (varnishd logs neither the size nor the count, so twice the limit in force, at least ${proven.show(proven.floor)}, leaves room)`,
  };
}

/** A parameter file of the run, with its diagnostics as linted with the capture's proofs. */
export interface LinkedParamsFile {
  path: string;
  text: string;
  diagnostics: readonly LintDiagnostic[];
}

/** A fix's edit in another file than the one the diagnostic is on; the CLI's JSON and the editor name that file. */
export type FileEdit = TextEdit & { path: string };

/**
 * The capture's diagnostics, with each resp-header-too-long one saying where
 * http_resp_hdr_len is set in the run's parameter files (or that the default
 * applies) and offering the fix that `resp-buffer-too-small` gives there for
 * what the capture proved. `diagnostics` and `findings` are in the same
 * order, as the doctor gives them.
 */
export function linkToSettings(
  diagnostics: readonly LintDiagnostic[],
  findings: readonly CaptureFinding[],
  files: readonly LinkedParamsFile[],
  version: VarnishVersion,
  vclFiles: readonly VclFile[] = [],
): LintDiagnostic[] {
  if (files.length === 0 && vclFiles.length === 0) return [...diagnostics];
  return diagnostics.map((d, i) => {
    const finding = findings[i];
    const timeout = finding?.cause === d.rule ? TIMEOUTS[d.rule] : undefined;
    if (finding && timeout) return linkTimeout(d, finding, timeout, files, vclFiles, version);
    if (finding?.cause === d.rule && d.rule === 'backend-busy') return linkMaxConnections(d, finding, vclFiles);
    if (finding?.cause === d.rule && d.rule === 'storage-full') return linkStorage(d, files);
    if (finding?.cause === d.rule && d.rule === 'retries-exhausted') return linkRetries(d, files, vclFiles, version);
    if (finding?.cause === d.rule && d.rule === 'workspace-overflow') return linkWorkspace(d, finding, files, version);
    const proven = finding?.cause === d.rule ? PROVEN[d.rule] : undefined;
    if (!proven) return d;
    const places: string[] = [];
    const fixes: Fix[] = [];
    const related: RelatedLocation[] = [];
    for (const f of files) {
      const limit = limitInForce(d.rule, f.path, f.text, version);
      if (!limit) continue;
      places.push(
        limit.set
          ? `\`${limit.set.text}\` at ${f.path}:${limit.set.line + 1}`
          : `not set in ${f.path}: the default ${proven.show(limit.value)} of ${productName(version)}`,
      );
      if (limit.set) related.push({ path: f.path, range: limit.set.range, message: `${proven.param} in force: ${limit.set.text}` });
      // The params rule's finding for this proof: one rule may carry two (a long line, a whole head that overflowed).
      const own = f.diagnostics.find((p) => p.rule === proven.rule && p.message.startsWith('The varnishlog capture ') && p.message.includes(`Raise ${proven.param} `));
      for (const fix of own?.fixes ?? []) {
        fixes.push({ ...fix, title: `${fix.title} in ${f.path}`, edits: fix.edits.map((e): FileEdit => ({ ...e, path: f.path })) });
      }
    }
    return withPlaces(d, `${proven.param} in force`, places, fixes, related);
  });
}

/**
 * `d` with the places a setting in force comes from appended to its
 * message (`label: place; place.`), their fixes and related locations; `d`
 * itself when no place was found.
 */
function withPlaces(d: LintDiagnostic, label: string, places: readonly string[], fixes: readonly Fix[], related: readonly RelatedLocation[]): LintDiagnostic {
  if (places.length === 0) return d;
  const linked: LintDiagnostic = { ...d, message: `${d.message} ${label}: ${places.join('; ')}.` };
  if (fixes.length > 0) linked.fixes = [...(d.fixes ?? []), ...fixes];
  if (related.length > 0) linked.related = [...(d.related ?? []), ...related];
  return linked;
}

/** Each VCL file of the run parsed, with the name messages give it and its lines. */
function* parsedVcl(vclFiles: readonly VclFile[]): Generator<{ f: VclFile; shown: string; ast: Program; index: LineIndex }> {
  for (const f of vclFiles) yield { f, shown: f.shown ?? f.path, ast: parse(f.text).ast, index: new LineIndex(f.text) };
}

/** Each parameter file of the run read, with at least one varnishd command, and its lines. */
function* parsedParams(files: readonly LinkedParamsFile[]): Generator<{ f: LinkedParamsFile; file: ParamsFile; index: LineIndex }> {
  for (const f of files) {
    const file = readParamsFile(f.path, f.text);
    if (file && file.commands.length > 0) yield { f, file, index: new LineIndex(f.text) };
  }
}

/** A VCL file of the run; `shown` names it in messages. */
export interface VclFile {
  path: string;
  text: string;
  shown?: string;
}

/**
 * A backend-busy finding with the failing backend's `.max_connections` in
 * the VCL: the limit that turned the fetch away. Its fix doubles it, and is
 * only offered: the log proves that the backend had as many connections as
 * it was allowed, not that it can take more.
 */
function linkMaxConnections(d: LintDiagnostic, finding: CaptureFinding, vclFiles: readonly VclFile[]): LintDiagnostic {
  const places: string[] = [];
  const fixes: Fix[] = [];
  const related: RelatedLocation[] = [];
  for (const { f, shown, ast, index } of parsedVcl(vclFiles)) {
    for (const decl of ast.declarations) {
      const backend = decl.kind === 'BackendDecl' ? decl.name?.text : undefined;
      if (decl.kind !== 'BackendDecl' || backend === undefined || !finding.backends.includes(backend)) continue;
      const attr = decl.attributes.find((a) => a.name?.text === 'max_connections');
      const value = attr?.value?.kind === 'NumberLiteral' && !attr.value.unit ? attr.value.value : undefined;
      if (!attr?.value || value === undefined) {
        places.push(`backend '${backend}' at ${shown}:${index.position(decl.start).line + 1} sets no .max_connections (another limit turned the fetch away)`);
        continue;
      }
      const range = { start: index.position(attr.value.start), end: index.position(attr.value.end) };
      places.push(`\`.max_connections = ${f.text.slice(attr.value.start, attr.value.end)}\` of backend '${backend}' at ${shown}:${range.start.line + 1}`);
      related.push({ path: f.path, range, message: `.max_connections of backend '${backend}'` });
      fixes.push({ title: `Double .max_connections of backend '${backend}' to ${value * 2} in ${shown}`, manual: true, edits: [{ path: f.path, range, newText: String(value * 2) } as FileEdit] });
    }
  }
  return withPlaces(d, `max_connections in force`, places, fixes, related);
}

/**
 * A retries-exhausted finding with what it is made of: the `return (retry)`
 * statements of the VCL (each one an attempt the fetch asked for), and
 * `max_retries` in force in the parameter files (or the default). No fix:
 * more retries rarely help a fetch that failed every time, so the message
 * points at the reasons rather than at the limit.
 */
function linkRetries(d: LintDiagnostic, files: readonly LinkedParamsFile[], vclFiles: readonly VclFile[], version: VarnishVersion): LintDiagnostic {
  const places: string[] = [];
  const related: RelatedLocation[] = [];
  for (const { f, shown, ast, index } of parsedVcl(vclFiles)) {
    walk(ast, (n) => {
      if (n.kind !== 'ReturnStmt' || n.action?.text.toLowerCase() !== 'retry') return undefined;
      const range = { start: index.position(n.start), end: index.position(n.end) };
      places.push(`\`return (retry)\` at ${shown}:${range.start.line + 1}`);
      related.push({ path: f.path, range, message: 'a retry the VCL asks for' });
      return false;
    });
  }
  for (const { f, file, index } of parsedParams(files)) {
    const setting = file.commands.flatMap((c) => c.settings).reverse().find((s) => s.name === 'max_retries' && !s.unresolved);
    if (!setting) {
      const fallback = paramFact('max_retries', version)?.default.value;
      if (typeof fallback === 'number') places.push(`max_retries not set in ${f.path}: the default ${fallback} of ${productName(version)}`);
      continue;
    }
    const range = { start: index.position(setting.valueSpan.start), end: index.position(setting.valueSpan.end) };
    places.push(`\`-p max_retries=${setting.value}\` at ${f.path}:${range.start.line + 1}`);
    related.push({ path: f.path, range, message: 'max_retries in force' });
  }
  return withPlaces(d, `Retries`, places, [], related);
}

/**
 * A workspace-overflow finding with the workspace its transactions ran in
 * (workspace_client for a client request, workspace_backend for a fetch,
 * as the log shows which failed) and where the parameter files set it, or
 * its default. Each gets a fix that doubles it, only offered: the log
 * proves the workspace ran out, not that the VCL or a vmod should use that
 * much of it.
 */
function linkWorkspace(d: LintDiagnostic, finding: CaptureFinding, files: readonly LinkedParamsFile[], version: VarnishVersion): LintDiagnostic {
  const sides: ReadonlyArray<'client' | 'backend'> = finding.sides.length > 0 ? finding.sides : ['client', 'backend'];
  const places: string[] = [];
  const fixes: Fix[] = [];
  const related: RelatedLocation[] = [];
  for (const { f, file, index } of parsedParams(files)) {
    for (const side of sides) {
      const name = `workspace_${side}`;
      const setting = file.commands.flatMap((c) => c.settings).reverse().find((s) => s.name === name);
      if (setting?.unresolved) continue;
      if (setting) {
        const bytes = parseBytes(setting.value);
        const range = { start: index.position(setting.valueSpan.start), end: index.position(setting.valueSpan.end) };
        places.push(`\`${name}=${setting.value}\` at ${f.path}:${range.start.line + 1}`);
        related.push({ path: f.path, range, message: `${name} in force` });
        if (bytes.ok) {
          const doubled = formatBytes(bytes.value * 2, setting.value);
          fixes.push({ title: `Double ${name} to ${doubled} in ${f.path}`, manual: true, edits: [{ path: f.path, range, newText: doubled } as FileEdit] });
        }
        continue;
      }
      const fallback = paramFact(name, version)?.default.value;
      if (typeof fallback !== 'number') continue;
      places.push(`${name} not set in ${f.path}: the default ${formatBytes(fallback)} of ${productName(version)}`);
      // A new setting goes into the one command there is; with several, which one runs this cache is not known.
      if (file.commands.length !== 1) continue;
      const at = file.commands[0]!.insertAt;
      const doubled = formatBytes(fallback * 2);
      const position = index.position(at.offset);
      fixes.push({ title: `Set ${name} to ${doubled} (twice the default) in ${f.path}`, manual: true, edits: [{ path: f.path, range: { start: position, end: position }, newText: newSettingText(at, name, doubled) } as FileEdit] });
    }
  }
  return withPlaces(d, 'Workspace in force', places, fixes, related);
}

/** Where a `-s` option's size is, by storage type: `malloc,SIZE`, `file,PATH,SIZE[,...]`, `default,SIZE`. */
const SIZE_FIELD: Readonly<Record<string, number>> = { malloc: 1, umem: 1, default: 1, file: 2 };

/**
 * A storage-full finding with the storages the parameter files give
 * (`-s [name=]type,size`; unnamed ones are s0, s1, ... as varnishd names
 * them), or varnishd's default (`-s default,100m`) where a file gives none.
 * Each sized storage gets a fix that doubles it, only offered: the log
 * proves the storage was full, not that the machine has the memory, and a
 * smaller TTL or keeping big objects out of the cache may be the answer.
 */
function linkStorage(d: LintDiagnostic, files: readonly LinkedParamsFile[]): LintDiagnostic {
  const places: string[] = [];
  const fixes: Fix[] = [];
  const related: RelatedLocation[] = [];
  for (const { f, file, index } of parsedParams(files)) {
    for (const command of file.commands) {
      const storages = command.options.filter((o) => o.flag === '-s' && o.value !== undefined);
      if (storages.length === 0) places.push(`no -s in ${f.path}: varnishd's default storage, malloc of 100M`);
      let unnamed = 0;
      for (const o of storages) {
        const eq = /^([A-Za-z_][\w]*)=/.exec(o.value!);
        const name = eq ? eq[1]! : `s${unnamed++}`;
        const spec = eq ? o.value!.slice(eq[0].length) : o.value!;
        const fields = spec.split(',');
        const at = SIZE_FIELD[fields[0]!];
        const sizeText = at === undefined ? undefined : fields[at];
        const bytes = sizeText ? parseBytes(sizeText) : undefined;
        const raw = f.text.slice(o.span.start, o.span.end);
        const line = index.position(o.span.start).line + 1;
        if (!sizeText || !bytes?.ok) {
          places.push(`\`-s ${o.value}\` (${name}) at ${f.path}:${line}${at === undefined ? '' : ', no size'}`);
          continue;
        }
        // The size is the last place its text stands in the option (a file path before it could hold the same characters).
        const start = o.span.start + raw.lastIndexOf(sizeText);
        const range = { start: index.position(start), end: index.position(start + sizeText.length) };
        places.push(`\`-s ${o.value}\` (${name}, ${formatBytes(bytes.value)}) at ${f.path}:${line}`);
        related.push({ path: f.path, range, message: `size of storage ${name}` });
        const doubled = formatBytes(bytes.value * 2, sizeText);
        fixes.push({ title: `Double storage ${name} to ${doubled} in ${f.path}`, manual: true, edits: [{ path: f.path, range, newText: doubled } as FileEdit] });
      }
    }
  }
  return withPlaces(d, `Storage in force`, places, fixes, related);
}

/** The setting behind each timeout cause: a backend attribute of that name, else the parameter. */
const TIMEOUTS: Readonly<Record<string, string>> = { 'first-byte-timeout': 'first_byte_timeout', 'between-bytes-timeout': 'between_bytes_timeout' };

/**
 * Whether a timeout of `seconds` agrees with the wait the log shows. The
 * first byte is waited for once, so the wait is the timeout (plus a little);
 * between bytes the wait also holds the time to the first byte and the
 * body read so far, so it only has to reach the timeout. Without Timestamp
 * records there is nothing to disagree with.
 */
function fits(finding: CaptureFinding, name: string, seconds: number): boolean {
  const waited = finding.waited;
  if (waited === undefined) return true;
  if (waited < seconds * 0.9) return false;
  return name === 'between_bytes_timeout' || waited <= seconds + Math.max(1, seconds / 2);
}

/** Said of a setting that cannot be the one in force, since the log's wait disagrees; no fix is offered for it. */
const mismatch = (finding: CaptureFinding): string =>
  ` (but the fetch gave up after ${formatSeconds(finding.waited ?? 0)}: another value was in force, set in VCL by the backend's attribute or bereq, or in a file not given)`;

/** Twice `seconds`, as a VCL duration literal. */
const doubled = (seconds: number): string => `${Number((seconds * 2).toFixed(3))}s`;

/**
 * A timeout finding with the place its timeout comes from, in varnishd's
 * order: a `set bereq.<timeout>` in the VCL (for the fetches that run it),
 * the failing backend's own attribute, else the parameter in a parameter
 * file, else the release's default. Its fix doubles the value where it is
 * set, and is only offered (never applied by --fix): the log proves the
 * backend took longer than the timeout, not that waiting longer is right
 * rather than making the backend faster.
 */
function linkTimeout(d: LintDiagnostic, finding: CaptureFinding, name: string, files: readonly LinkedParamsFile[], vclFiles: readonly VclFile[], version: VarnishVersion): LintDiagnostic {
  const places: string[] = [];
  const fixes: Fix[] = [];
  const related: RelatedLocation[] = [];
  const unset = new Set(finding.backends);
  for (const { f, shown, ast, index } of parsedVcl(vclFiles)) {
    // `set bereq.<timeout>` wins over the backend's attribute and the parameter for the fetches that run it.
    walk(ast, (n) => {
      if (n.kind !== 'SetStmt' || n.target?.text.toLowerCase() !== `bereq.${name}` || !n.value) return undefined;
      const range = { start: index.position(n.value.start), end: index.position(n.value.end) };
      const written = f.text.slice(n.value.start, n.value.end);
      const seconds = durationSeconds(n.value);
      const ok = seconds === undefined || fits(finding, name, seconds);
      places.push(`\`set bereq.${name} = ${written};\` at ${shown}:${range.start.line + 1}, which overrides the backend's and the parameter's in the fetches that run it${ok ? '' : mismatch(finding)}`);
      related.push({ path: f.path, range, message: `bereq.${name} set in VCL` });
      if (seconds !== undefined && ok) fixes.push({ title: `Double bereq.${name} to ${doubled(seconds)} in ${shown}`, manual: true, edits: [{ path: f.path, range, newText: doubled(seconds) } as FileEdit] });
      return false;
    });
    for (const decl of ast.declarations) {
      const backend = decl.kind === 'BackendDecl' ? decl.name?.text : undefined;
      if (decl.kind !== 'BackendDecl' || backend === undefined || !finding.backends.includes(backend)) continue;
      unset.delete(backend);
      const attr = decl.attributes.find((a) => a.name?.text === name);
      const seconds = durationSeconds(attr?.value);
      if (!attr?.value || seconds === undefined) {
        places.push(`backend '${backend}' at ${shown}:${index.position(decl.start).line + 1} does not set .${name}`);
        continue;
      }
      const range = { start: index.position(attr.value.start), end: index.position(attr.value.end) };
      const written = f.text.slice(attr.value.start, attr.value.end);
      places.push(`\`.${name} = ${written}\` of backend '${backend}' at ${shown}:${range.start.line + 1}${fits(finding, name, seconds) ? '' : mismatch(finding)}`);
      related.push({ path: f.path, range, message: `.${name} of backend '${backend}'` });
      if (fits(finding, name, seconds)) fixes.push({ title: `Double .${name} of backend '${backend}' to ${doubled(seconds)} in ${shown}`, manual: true, edits: [{ path: f.path, range, newText: doubled(seconds) } as FileEdit] });
    }
  }
  // The parameter counts for a backend that does not set the attribute (or one the VCL files given do not define).
  if (unset.size > 0 || vclFiles.length === 0) {
    for (const f of files) {
      const file = readParamsFile(f.path, f.text);
      if (!file || file.commands.length === 0) continue;
      const index = new LineIndex(f.text);
      const setting = file.commands.flatMap((c) => c.settings).reverse().find((s) => s.name === name && !s.unresolved);
      const value = setting ? parseDuration(setting.value) : undefined;
      if (!setting || !value?.ok) {
        const fallback = paramFact(name, version)?.default.value;
        if (typeof fallback === 'number') places.push(`not set in ${f.path}: the default ${formatSeconds(fallback)} of ${productName(version)}${fits(finding, name, fallback) ? '' : mismatch(finding)}`);
        continue;
      }
      const range = { start: index.position(setting.valueSpan.start), end: index.position(setting.valueSpan.end) };
      const ok = fits(finding, name, value.value.seconds);
      places.push(`\`-p ${name}=${setting.value}\` at ${f.path}:${range.start.line + 1}${ok ? '' : mismatch(finding)}`);
      related.push({ path: f.path, range, message: `${name} in force` });
      // Plain seconds: every release reads a bare number as seconds (7.0 and 7.1 ignore unit letters).
      if (ok) fixes.push({ title: `Double ${name} to ${Number((value.value.seconds * 2).toFixed(3))} seconds in ${f.path}`, manual: true, edits: [{ path: f.path, range, newText: String(Number((value.value.seconds * 2).toFixed(3))) } as FileEdit] });
    }
  }
  return withPlaces(d, `${name} in force`, places, fixes, related);
}
