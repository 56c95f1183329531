/**
 * Command-line parsing for `vcl-lint`. Pure: argv in, options or a usage
 * error out, so it is tested without spawning a process.
 */
import { TOOL_NAME } from './version.js';
import { DEFAULT_VARNISH_VERSION, parseVarnishVersion, versionListText, type VarnishVersion } from '../facts/versions.js';

/** Output formats the CLI can print. */
export type OutputFormat = 'stylish' | 'json' | 'sarif';

const FORMATS: readonly OutputFormat[] = ['stylish', 'json', 'sarif'];

/** Everything the command line asks for. */
export interface CliOptions {
  format: OutputFormat;
  fix: boolean;
  /** Rewrite VCL files in the formatter's layout instead of linting them. */
  fmt: boolean;
  /** List VCL files that are not in the formatter's layout instead of linting them. */
  fmtCheck: boolean;
  config?: string;
  includePaths: string[];
  /** Folders searched for vmod libraries (varnishd's vmod_path), before the configuration's. */
  vmodPaths: string[];
  /** Files to read as varnishd parameter files whatever their name. */
  paramsFiles: string[];
  /** varnishlog captures whose failed transactions are diagnosed (`--varnishlog`). */
  varnishlogFiles: string[];
  /** The Varnish release to check against (`--varnish-version`); the configuration's, else the default, when absent. */
  varnishVersion?: VarnishVersion;
  /** Files and directories to lint, in command-line order. */
  paths: string[];
  help: boolean;
  version: boolean;
  /** Threads that lint at once (`--jobs`); absent: one. */
  jobs?: number;
}

/** Options, or the one-line reason the command line is unusable. */
export type ParseResult = { ok: true; options: CliOptions } | { ok: false; error: string };

/** The text `--help` prints (and usage errors print after their message). */
export const USAGE = `Usage: ${TOOL_NAME} [options] <file|dir>...

Lints Varnish VCL files. Directories are searched recursively for *.vcl
files (skipping node_modules and hidden files and directories). Files
named *.varnishlog or *.vsl.txt, or whose text is varnishlog output, are
read as captures: each cause of their failed transactions is reported.

Options:
  --format stylish|json|sarif  output format (default: stylish)
  --fix                        apply available fixes to the files, then
                               report what remains
  --fmt                        format the VCL files in place instead of linting
                               them (whitespace only; files with syntax errors
                               are left alone)
  --fmt-check                  list the VCL files that are not formatted
                               instead of linting them (nothing is written)
  --config FILE                configuration file (JSON)
  --include-path DIR           directory searched by include "..." (repeatable)
  --vmod-path DIR              directory with libvmod_<name>.so files, read as
                               bytes to check vmod calls (repeatable)
  --params FILE                lint FILE as a varnishd parameter file (repeatable)
  --varnishlog FILE             read FILE as a varnishlog capture and name the
                               cause of each 503 in it (repeatable)
  --varnish-version X.Y        the Varnish release to check against: ${versionListText()}
                               (default: "varnishVersion" in the configuration,
                               else ${DEFAULT_VARNISH_VERSION})
  --jobs N                     lint on N threads at once (default 1); worth it
                               for hundreds of files on a machine with that
                               many free cores; the output is the same
  -h, --help                   show this help
  --version                    show the version and the Varnish releases known

Exit status: 0 no errors, 1 at least one error, 2 usage or I/O error.
With --fmt/--fmt-check: 1 when a file is not formatted (--fmt-check) or
could not be formatted (syntax errors).
`;

/** Options that take a value; the value may follow as the next word or after `=`. */
const VALUE_OPTIONS = new Set(['--format', '--config', '--include-path', '--vmod-path', '--params', '--varnishlog', '--varnish-version', '--jobs']);

/** Parses argv (without the node and script words). Never throws. */
export function parseArgs(argv: readonly string[]): ParseResult {
  const options: CliOptions = { format: 'stylish', fix: false, fmt: false, fmtCheck: false, includePaths: [], vmodPaths: [], paramsFiles: [], varnishlogFiles: [], paths: [], help: false, version: false };
  let onlyPaths = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    // `-` alone and anything after `--` are operands, so files whose names start with `-` stay reachable.
    if (onlyPaths || arg === '-' || !arg.startsWith('-')) {
      options.paths.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPaths = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    let value: string | undefined;
    if (VALUE_OPTIONS.has(name)) {
      if (eq > 0 && name !== arg) {
        value = arg.slice(eq + 1);
      } else {
        value = argv[i + 1];
        // An option word where a value belongs means the value was forgotten (`--config --fix`).
        if (value !== undefined && value.startsWith('-') && value !== '-') value = undefined;
        else i++;
      }
      if (value === undefined || value === '') return { ok: false, error: `option '${name}' needs a value` };
    } else if (name !== arg) {
      return { ok: false, error: `option '${name}' does not take a value` };
    }
    switch (name) {
      case '--format':
        if (!(FORMATS as readonly string[]).includes(value!)) {
          return { ok: false, error: `unknown format '${value}' (expected ${FORMATS.join(', ')})` };
        }
        options.format = value as OutputFormat;
        break;
      case '--config':
        options.config = value!;
        break;
      case '--include-path':
        options.includePaths.push(value!);
        break;
      case '--vmod-path':
        options.vmodPaths.push(value!);
        break;
      case '--params':
        options.paramsFiles.push(value!);
        break;
      case '--varnishlog':
        options.varnishlogFiles.push(value!);
        break;
      case '--varnish-version': {
        const version = parseVarnishVersion(value!);
        if (!version) return { ok: false, error: `unknown Varnish version '${value}' (expected one of ${versionListText()})` };
        options.varnishVersion = version;
        break;
      }
      case '--jobs': {
        const n = /^[1-9][0-9]{0,2}$/.test(value!) ? Number(value) : NaN;
        if (!(n >= 1 && n <= 64)) return { ok: false, error: `option '--jobs' takes a whole number from 1 to 64, not '${value}'` };
        options.jobs = n;
        break;
      }
      case '--fix':
        options.fix = true;
        break;
      case '--fmt':
        options.fmt = true;
        break;
      case '--fmt-check':
        options.fmtCheck = true;
        break;
      case '-h':
      case '--help':
        options.help = true;
        break;
      case '--version':
        options.version = true;
        break;
      default:
        return { ok: false, error: `unknown option '${arg}'` };
    }
  }
  if ([options.fix, options.fmt, options.fmtCheck].filter(Boolean).length > 1) {
    return { ok: false, error: 'use one of --fix, --fmt and --fmt-check at a time' };
  }
  if (!options.help && !options.version && options.paths.length === 0 && options.paramsFiles.length === 0 && options.varnishlogFiles.length === 0) {
    return { ok: false, error: 'no files or directories given' };
  }
  return { ok: true, options };
}
