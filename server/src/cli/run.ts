/**
 * The CLI as a function: argv in, text written to two sinks, exit status
 * out. `cli.ts` binds it to the process; tests call it directly.
 */
import { statSync } from 'node:fs';
import type { LanguageId, LintDiagnostic } from '../service/types.js';
import { Project, type ProjectSettings } from '../service/project.js';
import { runPool, serveShare, type PoolShare } from './pool.js';
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
import { LINT_THREAD_ARG, workerThreads } from './threads.js';

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

/** Runs `vcl-lint` with `argv` (no node/script words) and returns the exit status, every file linted in this thread. Never throws. */
export function runCli(argv: readonly string[], io: CliIo): number {
  try {
    const begun = begin(argv, io);
    return typeof begun === 'number' ? begun : begun.finish(lintSerially(begun.run));
  } catch (err) {
    return internalError(err, io);
  }
}

/**
 * {@link runCli}, with the files of a large run linted on several threads
 * (`--jobs`; see pool.ts): `workerScript` is the script a worker thread
 * starts, the CLI's own entry point, which hands the worker to
 * {@link serveLintWorker}. The output is the same as a serial run's.
 * Never rejects.
 */
export async function runCliThreaded(argv: readonly string[], io: CliIo, workerScript: string): Promise<number> {
  try {
    const begun = begin(argv, io);
    if (typeof begun === 'number') return begun;
    const threads = threadsFor(begun.run);
    const results = threads > 1 ? await lintOnThreads(begun.run, threads, workerScript) : lintSerially(begun.run);
    return begun.finish(results);
  } catch (err) {
    return internalError(err, io);
  }
}

function internalError(err: unknown, io: CliIo): number {
  io.stderr(`${TOOL_NAME}: internal error: ${errorText(err)}\n`);
  return EXIT_USAGE_OR_IO;
}

/**
 * Everything before the files are linted (arguments, configuration,
 * discovery, reading): an exit status when the run ends there, else the
 * run and what turns its results into output and an exit status.
 */
function begin(argv: readonly string[], rawIo: CliIo): number | { run: LintRun; finish: (results: LintResult[]) => number } {
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
  const run = startRun({ ...options, includePaths: [...options.includePaths, ...config.includePaths] }, { ...config, vmodPath: [...options.vmodPaths, ...config.vmodPath] }, varnishVersion);
  const finish = (results: LintResult[]): number => {
    const report = finishRun(run, results);
    for (const note of report.notes) io.stderr(`${TOOL_NAME}: ${note}\n`);
    for (const message of report.ioErrors) io.stderr(`${TOOL_NAME}: ${message}\n`);
    io.stdout(format(options, report, io));
    if (report.ioErrors.length > 0) return EXIT_USAGE_OR_IO;
    const hasError = report.files.some((f) => f.diagnostics.some((d) => d.severity === 'error'));
    return hasError ? EXIT_LINT_ERRORS : EXIT_OK;
  };
  return { run, finish };
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

/** The linting part of a run: the files found and read, and the project that lints them. */
interface LintRun {
  options: CliOptions;
  sources: Array<{ target: TargetFile; source: ReadResult | typeof STREAMED }>;
  context: RunContext;
  /** What a worker needs to build the same project (see {@link serveLintWorker}). */
  start: ProjectStartData;
  ioErrors: string[];
  notes: string[];
}

/** What one file gave: its report, or an I/O error with the report of the file as it still is on disk. */
type LintResult = FileReport | { ioError: string; unchanged?: FileReport };

/** How a project is started from a run's files: the same in this thread and in every worker. */
interface ProjectStartData {
  includePaths: string[];
  settings: ProjectSettings;
}

/** A project holding the texts of `sources`; a worker builds the same one from the same data. */
function startProject(sources: LintRun['sources'], start: ProjectStartData): Project {
  // One project for the run: VCL and parameter files inform each other
  // (tag headers need bigger buffers), and a file that another linted file
  // includes is analysed as part of that file's program.
  const project = new Project();
  const files = sources.flatMap(({ target, source }) => (source.kind === 'text' ? [{ path: target.path, text: source.text, language: target.language }] : []));
  project.startFiles(files, start.includePaths, start.settings);
  return project;
}

/** Discovers and reads every file and starts the project that lints them; one file's trouble never stops the others. */
function startRun(options: CliOptions, config: Pick<ProjectConfig, 'maxResponseHeaderBytes' | 'vmodPath' | 'errUnref' | 'allowInlineC' | 'rules'>, chosen: VarnishVersion | undefined): LintRun {
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
  const sources = discovery.files.map((target) => ({ target, source: target.language === 'varnishlog' ? STREAMED : readSource(target.fsPath ?? target.path, target.path, target.real) }));
  const start: ProjectStartData = {
    includePaths: options.includePaths,
    settings: {
      vmodPath: config.vmodPath,
      errUnref: config.errUnref !== false,
      allowInlineC: config.allowInlineC === true,
      ruleLevels: config.rules,
      ...(chosen ? { varnishVersion: chosen } : {}),
      ...(config.maxResponseHeaderBytes !== undefined ? { maxResponseHeaderBytes: config.maxResponseHeaderBytes } : {}),
    },
  };
  const project = startProject(sources, start);
  const context: RunContext = { project, writeRoots: options.fix ? writeRoots([...options.paths, ...options.paramsFiles]) : [] };
  return { options, sources, context, start, ioErrors, notes: [...discovery.notes] };
}

/** Lints every file of a run in this thread, in order. */
function lintSerially(run: LintRun): LintResult[] {
  const { sources, options, context } = run;
  // Captures first: what they prove (a header longer than http_resp_hdr_len)
  // is a need the parameter files' rules then see, so --fix raises it there.
  const results: LintResult[] = new Array(sources.length);
  sources.forEach(({ target, source }, i) => {
    if (source.kind === 'streamed') results[i] = lintFile(target, source, options, context);
  });
  sources.forEach(({ target, source }, i) => {
    results[i] ??= lintFile(target, source, options, context);
  });
  return results;
}

/**
 * How many threads lint a run: `--jobs`, else one. Not chosen from the
 * number of cores: on a 2-vCPU virtual machine, two threads over 10,000
 * files took 3.0 s where one took 2.4 s. Most of such a run is the engine
 * warming up (its optimizing compiler and collector already use the second
 * core), and each thread's engine warms up on its own, with its own copy
 * of the bundle, the texts and the project. One as well when files are written
 * (--fix) or a capture is read (its proofs change how the parameter files
 * are linted afterwards, an order a pool would not keep).
 */
function threadsFor(run: LintRun): number {
  const { options, sources } = run;
  if (options.fix || sources.some(({ source }) => source.kind === 'streamed')) return 1;
  return Math.max(1, Math.min(options.jobs ?? 1, sources.length));
}

/** What a lint worker is started with: the run's files (their texts, not their bytes) and the project settings. */
export interface LintWorkerData {
  vclLintWorker: true;
  pool: PoolShare;
  sources: Array<{ target: { path: string; language: LanguageId }; source: ReadResult | typeof STREAMED }>;
  start: ProjectStartData;
  options: CliOptions;
}

/** True for the data a lint worker thread is started with. */
export function isLintWorkerData(data: unknown): data is LintWorkerData {
  return typeof data === 'object' && data !== null && (data as { vclLintWorker?: unknown }).vclLintWorker === true;
}

async function lintOnThreads(run: LintRun, threads: number, workerScript: string): Promise<LintResult[]> {
  // Only what linting reads crosses to the workers: no file bytes (nothing is written), no raw path bytes.
  const sources = run.sources.map(({ target, source }) => ({
    target: { path: target.path, language: target.language },
    source: source.kind === 'text' ? { kind: 'text' as const, text: source.text, bom: source.bom, bytes: EMPTY } : source,
  }));
  const { sources: all, options, context } = run;
  return runPool<LintResult>(all.length, threads, (i) => lintFile(all[i]!.target, all[i]!.source, options, context), (pool) => {
    const workerData: LintWorkerData = { vclLintWorker: true, pool, sources, start: run.start, options };
    return new (workerThreads().Worker)(workerScript, { workerData, argv: [LINT_THREAD_ARG] });
  });
}

const EMPTY = Buffer.alloc(0);

/** A lint worker's whole life: build the run's project, then lint files from the shared counter until none are left. */
export function serveLintWorker(data: LintWorkerData): void {
  const sources = data.sources as LintRun['sources'];
  const context: RunContext = { project: startProject(sources, data.start), writeRoots: [] };
  serveShare<LintResult>(data.pool, (i) => lintFile(sources[i]!.target, sources[i]!.source, data.options, context));
}

/** The report of a run from each file's result, in the order the files were found. */
function finishRun(run: LintRun, results: readonly LintResult[]): LintReport {
  const { ioErrors, context } = run;
  const reports: FileReport[] = [];
  for (const result of results) {
    if ('ioError' in result) {
      ioErrors.push(result.ioError);
      if (result.unchanged) reports.push(result.unchanged);
    } else reports.push(result);
  }
  const project = context.project;
  const source = project.varnishVersionSource;
  const notes = [...run.notes];
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
