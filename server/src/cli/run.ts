/**
 * The CLI as a function: argv in, text written to two sinks, exit status
 * out. `cli.ts` binds it to the process; tests call it directly.
 */
import { statSync } from 'node:fs';
import type { LintDiagnostic } from '../service/types.js';
import { Project } from '../service/project.js';
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
import type { FileReport, LintReport } from './report.js';
import { TOOL_NAME, versionText } from './version.js';
import { findConfig, readConfig, type ProjectConfig } from './config.js';
import type { RuleDocUri } from '../service/rule-docs.js';
import { productName, type VarnishVersion } from '../facts/versions.js';

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
    io.stdout(versionText());
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
  // The command line wins over the configuration file; without either, the
  // files say (a Dockerfile's FROM varnish:7.6 ...), else the default.
  const varnishVersion = options.varnishVersion ?? config.varnishVersion;
  const report = lintAll({ ...options, includePaths: [...options.includePaths, ...config.includePaths] }, { ...config, vmodPath: [...options.vmodPaths, ...config.vmodPath] }, varnishVersion);
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
      return formatJson(report.files, report.varnishVersion);
    case 'sarif':
      return formatSarif(report.files, report.ioErrors, io.ruleDocUri, report.varnishVersion);
    default:
      return formatStylish(report.files, { color: io.color ?? false, varnishVersion: report.varnishVersion });
  }
}

/** Discovers, reads, (fixes) and lints every file; one file's trouble never stops the others. */
function lintAll(options: CliOptions, config: Pick<ProjectConfig, 'maxResponseHeaderBytes' | 'vmodPath' | 'errUnref' | 'allowInlineC' | 'rules'>, chosen: VarnishVersion | undefined): LintReport {
  const ioErrors: string[] = [];
  for (const dir of options.includePaths) {
    try {
      if (!statSync(dir).isDirectory()) ioErrors.push(`cannot use include path '${dir}': not a directory`);
    } catch (err) {
      ioErrors.push(`cannot use include path '${dir}': ${describeIoError(err)}`);
    }
  }
  const discovery = discoverFiles(options.paths, options.paramsFiles, undefined, options.varnishlogFiles);
  ioErrors.push(...discovery.errors);
  // A capture is read a piece at a time when it is diagnosed (it may be far larger than any source); the others are read now.
  const sources = discovery.files.map((target) => ({ target, source: target.language === 'varnishlog' ? STREAMED : readSource(target.fsPath ?? target.path, target.path) }));
  // One project for the run: VCL and parameter files inform each other
  // (tag headers need bigger buffers), and a file that another linted file
  // includes is analysed as part of that file's program.
  const project = new Project();
  const files = sources.flatMap(({ target, source }) => (source.kind === 'text' ? [{ path: target.path, text: source.text, language: target.language }] : []));
  project.startFiles(files, options.includePaths, {
    vmodPath: config.vmodPath,
    errUnref: config.errUnref !== false,
    allowInlineC: config.allowInlineC === true,
    ruleLevels: config.rules,
    ...(chosen ? { varnishVersion: chosen } : {}),
    ...(config.maxResponseHeaderBytes !== undefined ? { maxResponseHeaderBytes: config.maxResponseHeaderBytes } : {}),
  });
  const context: RunContext = { project, writeRoots: options.fix ? writeRoots([...options.paths, ...options.paramsFiles]) : [] };
  const reports: FileReport[] = [];
  // Captures first: what they prove (a header longer than http_resp_hdr_len)
  // is a need the parameter files' rules then see, so --fix raises it there.
  const results = new Map<number, ReturnType<typeof lintFile>>();
  sources.forEach(({ target, source }, i) => {
    if (source.kind === 'streamed') results.set(i, lintFile(target, source, options, context));
  });
  for (const [i, { target, source }] of sources.entries()) {
    const result = results.get(i) ?? lintFile(target, source, options, context);
    if ('ioError' in result) {
      ioErrors.push(result.ioError);
      if (result.unchanged) reports.push(result.unchanged);
    } else reports.push(result);
  }
  const source = project.varnishVersionSource;
  const notes = [...discovery.notes];
  if (source.kind === 'detected') {
    const d = source.detected;
    const named = d.named === d.version || d.named.startsWith(`${d.version}.`) || d.named === 'vinyld' ? '' : ` (the nearest supported release before ${d.named})`;
    notes.push(`checking against ${productName(project.varnishVersion)}${named}, as ${d.path}:${d.line} runs it ('${d.evidence}'); --varnish-version chooses another`);
  }
  return { files: reports, ioErrors, notes, varnishVersion: project.varnishVersion };
}

/** The source of a varnishlog capture: read when it is diagnosed, a piece at a time. */
const STREAMED = { kind: 'streamed' } as const;

/** What every file of one run shares. */
interface RunContext {
  project: Project;
  /** Where `--fix` may write through a symbolic link (see write-file.ts). */
  writeRoots: string[];
}

/**
 * Lints (and with --fix, fixes and writes) one file. A fixed text that could
 * not be written comes back as an I/O error together with the report of the
 * file as it still is on disk, so its findings are shown all the same.
 */
function lintFile(target: TargetFile, source: ReadResult | typeof STREAMED, options: CliOptions, context: RunContext): FileReport | { ioError: string; unchanged?: FileReport } {
  const report = (diagnostics: LintDiagnostic[]): FileReport => ({ path: target.path, language: target.language, diagnostics });
  if (source.kind === 'streamed') {
    // A capture is never written: its fixes edit the parameter files, which --fix writes as their own.
    const result = context.project.lintVarnishlogFile(target.fsPath ?? target.path, target.path);
    if (result.kind === 'io-error') return { ioError: `cannot read '${target.path}': ${result.reason}` };
    return report(result.kind === 'refused' ? [inputDiagnostic(result.reason)] : result.diagnostics);
  }
  if (source.kind === 'io-error') return { ioError: source.message };
  if (source.kind === 'refused') return report([inputDiagnostic(source.reason)]);
  const lint = (text: string): LintDiagnostic[] => context.project.lintFile(target, text);
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
