/**
 * The CLI as a function: argv in, text written to two sinks, exit status
 * out. `cli.ts` binds it to the process; tests call it directly.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { lintText } from '../service/lint.js';
import { lintParamsText } from '../service/lint-params.js';
import { responseHeaderLimitFrom, tagHeadersFrom } from '../service/workspace-facts.js';
import type { TagHeaderUse } from '../rules/params-index.js';
import { DEFAULT_VCL_PATH, IncludeIndex } from '../analysis/includes.js';
import type { IncludeHost } from '../analysis/include-tree.js';
import { ProgramCache } from '../analysis/program-cache.js';
import type { LanguageId, LintDiagnostic } from '../service/types.js';
import { parseArgs, USAGE, type CliOptions } from './args.js';
import { discoverFiles, type TargetFile } from './discover.js';
import { fixText } from './fix.js';
import { formatFiles } from './fmt.js';
import { formatJson } from './format-json.js';
import { formatSarif } from './format-sarif.js';
import { formatStylish } from './format-stylish.js';
import { describeIoError, firstLine } from '../io/io-errors.js';
import { readSource, type ReadResult } from './read.js';
import { writeFileAtomically, writeRoots } from './write-file.js';
import { escapeControls } from './display.js';
import { readFileSafely } from '../io/safe-read.js';
import { decodeSource, MAX_SOURCE_BYTES } from '../service/input.js';
import type { FileReport, LintReport } from './report.js';
import { TOOL_NAME, VERSION } from './version.js';
import { findConfig, readConfig, type ProjectConfig } from './config.js';
import type { RuleLevel } from '../service/severity-config.js';
import type { RuleDocUri } from '../service/rule-docs.js';

/**
 * Where the CLI writes; `color` asks the stylish format for ANSI colours;
 * `ruleDocUri` gives SARIF a help link for each rule whose page is installed.
 */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  color?: boolean;
  ruleDocUri?: RuleDocUri;
}

/** Exit statuses of the contract. */
export const EXIT_OK = 0;
export const EXIT_LINT_ERRORS = 1;
export const EXIT_USAGE_OR_IO = 2;

/** Runs `vcl-lint` with `argv` (no node/script words) and returns the exit status. Never throws. */
export function runCli(argv: readonly string[], io: CliIo): number {
  try {
    return run(argv, io);
  } catch (err) {
    io.stderr(`${TOOL_NAME}: internal error: ${errorText(err)}\n`);
    return EXIT_USAGE_OR_IO;
  }
}

function run(argv: readonly string[], rawIo: CliIo): number {
  // File names and messages reach a terminal or a CI log: nothing in them may steer it.
  const io: CliIo = { ...rawIo, stderr: (text) => rawIo.stderr(escapeLines(text)) };
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    io.stderr(`${TOOL_NAME}: ${parsed.error}\n\n${USAGE}`);
    return EXIT_USAGE_OR_IO;
  }
  const options = parsed.options;
  if (options.help) {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  if (options.version) {
    io.stdout(`${VERSION}\n`);
    return EXIT_OK;
  }
  if (options.fmt || options.fmtCheck) return runFormat(options, io);
  // A broken configuration would make every result doubtful: stop before linting.
  const configPath = options.config ?? findConfig(process.cwd());
  const config = configPath === undefined ? { includePaths: [], vmodPath: [], rules: {}, warnings: [] } : readConfig(configPath);
  if (typeof config === 'string') {
    io.stderr(`${TOOL_NAME}: ${config}\n`);
    return EXIT_USAGE_OR_IO;
  }
  for (const w of config.warnings) io.stderr(`${TOOL_NAME}: ${w}\n`);
  const report = lintAll({ ...options, includePaths: [...options.includePaths, ...config.includePaths] }, { ...config, vmodPath: [...options.vmodPaths, ...config.vmodPath] });
  for (const note of report.notes) io.stderr(`${TOOL_NAME}: ${note}\n`);
  for (const message of report.ioErrors) io.stderr(`${TOOL_NAME}: ${message}\n`);
  io.stdout(format(options, report, io));
  if (report.ioErrors.length > 0) return EXIT_USAGE_OR_IO;
  const hasError = report.files.some((f) => f.diagnostics.some((d) => d.severity === 'error'));
  return hasError ? EXIT_LINT_ERRORS : EXIT_OK;
}

/**
 * `--fmt` / `--fmt-check`: one line per file that is (or was) not
 * formatted on stdout, like `gofmt -l`; files left alone on stderr.
 */
function runFormat(options: CliOptions, io: CliIo): number {
  const run = formatFiles(options.paths, options.paramsFiles, options.fmt);
  for (const path of run.unformatted) io.stdout(`${escapeControls(path)}\n`);
  for (const s of run.skipped) io.stderr(`${TOOL_NAME}: ${s.path}: not formatted: ${s.reason}\n`);
  for (const message of run.ioErrors) io.stderr(`${TOOL_NAME}: ${message}\n`);
  if (run.ioErrors.length > 0) return EXIT_USAGE_OR_IO;
  if (run.skipped.length > 0 || (options.fmtCheck && run.unformatted.length > 0)) return EXIT_LINT_ERRORS;
  return EXIT_OK;
}

function format(options: CliOptions, report: LintReport, io: CliIo): string {
  switch (options.format) {
    case 'json':
      return formatJson(report.files);
    case 'sarif':
      return formatSarif(report.files, report.ioErrors, io.ruleDocUri);
    default:
      return formatStylish(report.files, { color: io.color ?? false });
  }
}

/** Discovers, reads, (fixes) and lints every file; one file's trouble never stops the others. */
function lintAll(options: CliOptions, config: Pick<ProjectConfig, 'maxResponseHeaderBytes' | 'vmodPath' | 'errUnref' | 'allowInlineC' | 'rules'>): LintReport {
  const ioErrors: string[] = [];
  for (const dir of options.includePaths) {
    try {
      if (!statSync(dir).isDirectory()) ioErrors.push(`cannot use include path '${dir}': not a directory`);
    } catch (err) {
      ioErrors.push(`cannot use include path '${dir}': ${describeIoError(err)}`);
    }
  }
  const discovery = discoverFiles(options.paths, options.paramsFiles);
  ioErrors.push(...discovery.errors);
  const sources = discovery.files.map((target) => ({ target, source: readSource(target.fsPath ?? target.path, target.path) }));
  const host = includeHost(sources, [...options.includePaths, ...DEFAULT_VCL_PATH]);
  const texts = (language: LanguageId) =>
    sources.flatMap(({ target, source }) => (target.language === language && source.kind === 'text' ? [{ path: target.path, text: source.text }] : []));
  // VCL and parameter files inform each other: tag headers need bigger buffers.
  const context: RunContext = {
    host,
    tagHeaders: tagHeadersFrom(texts('vcl')),
    responseHeaderLimit: responseHeaderLimitFrom(texts('varnish-params')),
    maxResponseHeaderBytes: config.maxResponseHeaderBytes,
    vmodPath: config.vmodPath,
    errUnref: config.errUnref,
    allowInlineC: config.allowInlineC,
    ruleLevels: config.rules,
    writeRoots: options.fix ? writeRoots([...options.paths, ...options.paramsFiles]) : [],
  };
  const files: FileReport[] = [];
  for (const { target, source } of sources) {
    const result = lintFile(target, source, options, context);
    if ('ioError' in result) {
      ioErrors.push(result.ioError);
      if (result.unchanged) files.push(result.unchanged);
    } else files.push(result);
  }
  return { files, ioErrors, notes: discovery.notes };
}

/**
 * How the linted files reach each other: includes are followed on disk and
 * among the linted files, and a file that another linted file includes is
 * analysed as part of that file's program (so it needs no `vcl 4.x;` line,
 * and its names are resolved across the program).
 */
function includeHost(sources: ReadonlyArray<{ target: TargetFile; source: ReadResult }>, searchPath: string[]): IncludeHost & { index: IncludeIndex } {
  const vclTexts = sources.flatMap(({ target, source }) =>
    target.language === 'vcl' && source.kind === 'text' ? [{ path: resolve(target.path), text: source.text }] : [],
  );
  const index = new IncludeIndex(vclTexts, searchPath);
  // Why a file on disk was not usable, kept from the read so the include is reported as refused, not missing.
  const refusals = new Map<string, string>();
  return {
    index,
    searchPath,
    readFile: (p) => {
      const known = index.text(p);
      if (known !== undefined) return known;
      const read = readFileSafely(p, { maxBytes: MAX_SOURCE_BYTES });
      if (!read.ok) {
        if (read.kind !== 'missing') refusals.set(p, read.reason);
        return undefined;
      }
      const decoded = decodeSource(read.bytes);
      if (!decoded.ok) refusals.set(p, decoded.reason);
      return decoded.ok ? decoded.text : undefined;
    },
    refusal: (p) => refusals.get(p),
    resolve: (c) => index.resolve(c),
    includersOf: (p) => index.includersOf(p),
    firstIncluderOf: (p) => index.firstIncluderOf(p),
    // One run reads each file once: a program is loaded once for all its files.
    programs: new ProgramCache(),
  };
}

/** What every file of one run can know of the others. */
interface RunContext {
  host: IncludeHost & { index: IncludeIndex };
  tagHeaders: TagHeaderUse[];
  responseHeaderLimit?: { bytes: number; where: string };
  maxResponseHeaderBytes?: number;
  vmodPath: string[];
  errUnref?: boolean;
  allowInlineC?: boolean;
  ruleLevels: Record<string, RuleLevel>;
  /** Where `--fix` may write through a symbolic link (see write-file.ts). */
  writeRoots: string[];
}

/**
 * Lints (and with --fix, fixes and writes) one file. A fixed text that could
 * not be written comes back as an I/O error together with the report of the
 * file as it still is on disk, so its findings are shown all the same.
 */
function lintFile(target: TargetFile, source: ReadResult, options: CliOptions, context: RunContext): FileReport | { ioError: string; unchanged?: FileReport } {
  if (source.kind === 'io-error') return { ioError: source.message };
  const report = (diagnostics: LintDiagnostic[]): FileReport => ({ path: target.path, language: target.language, diagnostics });
  if (source.kind === 'refused') return report([inputDiagnostic(source.reason)]);
  const lint = (text: string): LintDiagnostic[] => lintDocument(text, target, context);
  try {
    if (!options.fix) return report(lint(source.text));
    const fixed = fixText(source.text, lint);
    if (fixed.text !== source.text) {
      const written = writeFileAtomically({
        path: target.fsPath ?? target.path,
        display: target.path,
        expected: source.bytes,
        bytes: Buffer.from((source.bom ? '\uFEFF' : '') + fixed.text, 'utf8'),
        roots: context.writeRoots,
      });
      if (!written.ok) return { ioError: written.message, unchanged: report(lint(source.text)) };
    }
    return report(fixed.diagnostics);
  } catch (err) {
    // lintText promises never to throw; if it does, say where, and keep linting the other files.
    return { ioError: `internal error: ${errorText(err)} (while linting '${target.path}')` };
  }
}

/** Lints one document by language. */
function lintDocument(text: string, target: TargetFile, context: RunContext): LintDiagnostic[] {
  const path = resolve(target.path);
  if (target.language === 'varnish-params') {
    return lintParamsText(text, { path: target.path, tagHeaders: context.tagHeaders, maxResponseHeaderBytes: context.maxResponseHeaderBytes, ruleLevels: context.ruleLevels });
  }
  return lintText(text, {
    path,
    languageId: target.language,
    isIncluded: context.host.index.isIncluded(path),
    includeHost: context.host,
    responseHeaderLimit: context.responseHeaderLimit,
    vmodPath: context.vmodPath,
    errUnref: context.errUnref,
    allowInlineC: context.allowInlineC,
    ruleLevels: context.ruleLevels,
  });
}

/** The diagnostic for a file that is readable but not analysable, so JSON consumers see it too. */
function inputDiagnostic(reason: string): LintDiagnostic {
  const at = { line: 0, character: 0 };
  return { rule: 'input', severity: 'error', message: reason, range: { start: at, end: { ...at } } };
}

/** Escapes each line of a stderr text, keeping its line breaks. */
function escapeLines(text: string): string {
  return text.split('\n').map(escapeControls).join('\n');
}

function errorText(err: unknown): string {
  return firstLine(err instanceof Error ? err.message : String(err));
}
