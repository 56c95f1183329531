/**
 * Expands the command line's files and directories into the list of files
 * to lint, each with its language. Directories are walked recursively in
 * sorted order so output is the same on every machine.
 */
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { sep } from 'node:path';
import type { LanguageId } from '../service/types.js';
import { describeIoError } from '../io/io-errors.js';
import { languageOfFile, paramsKindOf } from '../service/file-kind.js';
import { isVarnishlogCapture } from '../service/varnishlog.js';
import { readFileSafely } from '../io/safe-read.js';
import { decodeName } from './display.js';
import { rawPathFinder } from './raw-arguments.js';

/**
 * One file to lint; `path` is spelled as the user gave it (or joined onto a
 * given directory). A name found while walking that is not UTF-8 has
 * `fsPath`, its exact bytes, for reading and writing; `path` then shows
 * the odd bytes as `\xNN`.
 */
export interface TargetFile {
  path: string;
  fsPath?: Buffer;
  language: LanguageId;
  /**
   * Where the file really is (its bytes as latin1), set by the folder walk
   * for a regular file that is no link (so its directory entry said): its
   * reader need not ask for either again.
   */
  real?: string;
}

/** The files found, and the paths that could not be used. */
export interface Discovery {
  files: TargetFile[];
  /** One-line I/O problems (missing paths, unreadable or VCL-less directories, files that are neither VCL nor parameters). */
  errors: string[];
  /** What a file named on the command line was taken for when only its content told (one line each). */
  notes: string[];
}

/** The language of a file met while walking a directory, or undefined to skip it. */
export function languageForWalkedFile(path: string, fsPath?: Buffer): LanguageId | undefined {
  return languageOfFile(path, fsPath ?? path) ?? (isVarnishlogCapture(path) ? 'varnishlog' : undefined);
}

/** A `vcl X.Y;` line first (after comments): the file is VCL whatever its name (`default.vcl.j2`). */
const VCL_VERSION_LINE = /^\uFEFF?(?:\s+|#[^\n]*|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*vcl\s+\d+\.\d+\s*;/;

/**
 * What a file named on the command line is: VCL by its `.vcl` name, a
 * parameter file by its name or (failing that) its content, VCL by its
 * version line; else an error that says why it is not linted.
 */
function classifyOperand(path: string, io: string | Buffer = path): { language: LanguageId; note?: string } | { error: string } {
  const byName = languageForWalkedFile(path, typeof io === 'string' ? undefined : io);
  if (byName) return { language: byName };
  const head = readFileSafely(io, { maxBytes: 64 * 1024, head: true });
  if (!head.ok) return { error: `cannot read '${path}': ${head.reason}` };
  const text = head.bytes.toString('utf8');
  const kind = paramsKindOf(path, text);
  if (kind) return { language: 'varnish-params', note: `'${path}' is linted as a varnishd parameter file: its content reads as ${KIND_WORDS[kind] ?? kind}` };
  const version = VCL_VERSION_LINE.exec(text);
  if (version) return { language: 'vcl', note: `'${path}' is linted as VCL: it starts with a '${version[0].slice(version[0].lastIndexOf('vcl')).replace(/\s+/g, ' ')}' line` };
  if (isVarnishlogCapture(path, text)) return { language: 'varnishlog', note: `'${path}' is read as a varnishlog capture: its lines are varnishlog records` };
  return {
    error: `not VCL or a varnishd parameter file: '${path}' (its name does not end in .vcl, it has no 'vcl 4.x;' line, and neither its name nor its content is that of a parameter file); use --params if it carries varnishd options`,
  };
}

const KIND_WORDS: Record<string, string> = {
  systemd: 'a systemd unit',
  'shell-env': 'a shell environment file',
  'cli-init': 'a varnishd -I CLI file',
  'docker-compose': 'a compose file',
  dockerfile: 'a Dockerfile',
  'shell-script': 'a shell script that runs varnishd or vinyld',
  kubernetes: 'a Kubernetes manifest with Varnish configuration',
  'helm-values': "the values of a Varnish Helm chart",
  'helm-template': 'a Helm template of Varnish configuration',
};

/** Directory names never descended into: dependencies and hidden folders (.git, .vscode, ...). */
function skipDirectory(name: string): boolean {
  return name === 'node_modules' || name.startsWith('.');
}

/** A path named on the command line: how it is shown, and its exact bytes when those are not UTF-8. */
interface Operand {
  text: string;
  io: string | Buffer;
  bytes?: Buffer;
}

/**
 * Resolves `paths` (linted as VCL, directories walked) and `paramsFiles`
 * (always parameter files). A file named twice is listed once, under the
 * first spelling met. A path that Node could not decode (U+FFFD in place of
 * bytes that are not UTF-8) is looked up by its bytes in `argumentBytes`
 * (by default the process's own command line) and shown with `\xNN`.
 * Never throws.
 */
export function discoverFiles(paths: readonly string[], paramsFiles: readonly string[] = [], argumentBytes?: () => readonly Buffer[], varnishlogFiles: readonly string[] = []): Discovery {
  const files: TargetFile[] = [];
  const errors: string[] = [];
  const notes: string[] = [];
  const seen = new Set<string>();
  let matched = 0;
  const findBytes = rawPathFinder(argumentBytes);
  const operand = (path: string): Operand => {
    const bytes = findBytes(path);
    return bytes ? { text: decodeName(bytes).text, io: bytes, bytes } : { text: path, io: path };
  };

  const add = (path: string, language: LanguageId, fsPath?: Buffer, real?: string): void => {
    matched++;
    let key = real ?? (fsPath ? `\0${fsPath.toString('latin1')}` : path);
    if (real === undefined) {
      try {
        key = (fsPath ? realpathSync.native(fsPath, { encoding: 'buffer' }) : Buffer.from(realpathSync.native(path))).toString('latin1');
      } catch {
        // Unresolvable paths are reported when read; dedupe them by spelling.
      }
    }
    if (seen.has(key)) return;
    seen.add(key);
    const target: TargetFile = fsPath ? { path, fsPath, language } : { path, language };
    if (real !== undefined) target.real = real;
    files.push(target);
  };

  for (const given of paths) {
    const { text: path, io, bytes } = operand(given);
    let isDir: boolean;
    try {
      isDir = statSync(io).isDirectory();
    } catch (err) {
      errors.push(`cannot read '${path}': ${describeIoError(err)}`);
      continue;
    }
    if (!isDir) {
      // Named on the command line, yet not linted blindly as VCL: a YAML manifest would give dozens of syntax errors.
      const kind = classifyOperand(path, io);
      if ('error' in kind) {
        errors.push(kind.error);
        continue;
      }
      if (kind.note) notes.push(kind.note);
      add(path, kind.language, bytes);
      continue;
    }
    const before = matched;
    walk(bytes ? { text: path, bytes, odd: true } : { text: path, bytes: Buffer.from(path) }, new Set(), add, errors);
    if (matched === before) errors.push(`no .vcl files found in '${path}'`);
  }
  const forced: Array<[readonly string[], LanguageId, string]> = [
    [paramsFiles, 'varnish-params', '--params'],
    [varnishlogFiles, 'varnishlog', '--varnishlog'],
  ];
  for (const [given, language, option] of forced) {
    for (const one of given) {
      const { text: path, io, bytes } = operand(one);
      try {
        if (statSync(io).isDirectory()) {
          errors.push(`cannot read '${path}': is a directory (${option} takes a file)`);
          continue;
        }
      } catch (err) {
        errors.push(`cannot read '${path}': ${describeIoError(err)}`);
        continue;
      }
      add(path, language, bytes);
    }
  }
  return { files, errors, notes };
}

/** A directory or file met while walking: how it is shown, and its exact bytes when those are not UTF-8 text. */
interface WalkPath {
  text: string;
  bytes: Buffer;
  odd?: boolean;
}

/**
 * Recursive walk; `active` holds the real paths of the directories being
 * walked, so symlink loops end. A file that is not a symbolic link is given
 * to `add` with its real path (the directory's real path and its name),
 * which spares a realpath call per file.
 */
function walk(dir: WalkPath, active: Set<string>, add: (path: string, language: LanguageId, fsPath?: Buffer, real?: string) => void, errors: string[]): void {
  let real: string;
  let entries: Dirent<Buffer>[];
  const io = (p: WalkPath): string | Buffer => (p.odd ? p.bytes : p.text);
  try {
    real = (dir.odd ? realpathSync.native(dir.bytes, { encoding: 'buffer' }) : Buffer.from(realpathSync.native(dir.text))).toString('latin1');
    if (active.has(real)) return;
    // Names as bytes: a name that is not UTF-8 would otherwise be mangled and never found again.
    entries = readdirSync(io(dir), { withFileTypes: true, encoding: 'buffer' });
  } catch (err) {
    errors.push(`cannot read '${dir.text}': ${describeIoError(err)}`);
    return;
  }
  active.add(real);
  // Byte order (code-point order for UTF-8), not locale order: the same everywhere.
  entries.sort((a, b) => Buffer.compare(a.name, b.name));
  const slash = dir.text.endsWith('/') || dir.text.endsWith(sep);
  for (const entry of entries) {
    // Hidden files are skipped too: editor lock files such as `.#x.vcl` are dangling symlinks.
    if (entry.name[0] === 0x2e /* . */) continue;
    const name = decodeName(entry.name);
    const path: WalkPath = {
      text: slash ? dir.text + name.text : dir.text + sep + name.text,
      bytes: Buffer.concat([dir.bytes, ...(slash ? [] : [Buffer.from(sep)]), entry.name]),
      odd: dir.odd || !name.utf8,
    };
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    const link = entry.isSymbolicLink();
    if (link) {
      try {
        const st = statSync(io(path));
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch (err) {
        if (languageForWalkedFile(path.text, path.odd ? path.bytes : undefined)) errors.push(`cannot read '${path.text}': ${describeIoError(err)}`);
        continue;
      }
    }
    if (isDir) {
      if (!skipDirectory(name.text)) walk(path, active, add, errors);
    } else if (isFile) {
      const language = languageForWalkedFile(path.text, path.odd ? path.bytes : undefined);
      // Latin-1 keeps each byte of the name, as the real paths computed by realpath are kept.
      if (language) add(path.text, language, path.odd ? path.bytes : undefined, link ? undefined : (real.endsWith(sep) ? real : real + sep) + entry.name.toString('latin1'));
    }
  }
  active.delete(real);
}
