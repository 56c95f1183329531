/**
 * Expands the command line's files and directories into the list of files
 * to lint, each with its language. Directories are walked recursively in
 * sorted order so output is the same on every machine.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { sep } from 'node:path';
import type { LanguageId } from '../service/types.js';
import { describeIoError } from './io-errors.js';
import { languageOfFile } from '../service/file-kind.js';

/** One file to lint; `path` is spelled as the user gave it (or joined onto a given directory). */
export interface TargetFile {
  path: string;
  language: LanguageId;
}

/** The files found, and the paths that could not be used. */
export interface Discovery {
  files: TargetFile[];
  /** One-line I/O problems (missing paths, unreadable or VCL-less directories). */
  errors: string[];
}

/** The language of a file met while walking a directory, or undefined to skip it. */
export function languageForWalkedFile(path: string): LanguageId | undefined {
  return languageOfFile(path);
}

/** Directory names never descended into: dependencies and hidden folders (.git, .vscode, ...). */
function skipDirectory(name: string): boolean {
  return name === 'node_modules' || name.startsWith('.');
}

/**
 * Resolves `paths` (linted as VCL, directories walked) and `paramsFiles`
 * (always parameter files). A file named twice is listed once, under the
 * first spelling met. Never throws.
 */
export function discoverFiles(paths: readonly string[], paramsFiles: readonly string[] = []): Discovery {
  const files: TargetFile[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  let matched = 0;

  const add = (path: string, language: LanguageId): void => {
    matched++;
    let key = path;
    try {
      key = realpathSync(path);
    } catch {
      // Unresolvable paths are reported when read; dedupe them by spelling.
    }
    if (seen.has(key)) return;
    seen.add(key);
    files.push({ path, language });
  };

  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch (err) {
      errors.push(`cannot read '${path}': ${describeIoError(err)}`);
      continue;
    }
    if (!isDir) {
      // A file named explicitly is linted whatever its extension: the user asked for it.
      // Named on the command line: a recognised parameter file, else VCL whatever its extension.
      add(path, languageOfFile(path) ?? 'vcl');
      continue;
    }
    const before = matched;
    walk(path, new Set(), add, errors);
    if (matched === before) errors.push(`no .vcl files found in '${path}'`);
  }
  for (const path of paramsFiles) {
    try {
      if (statSync(path).isDirectory()) {
        errors.push(`cannot read '${path}': is a directory (--params takes a file)`);
        continue;
      }
    } catch (err) {
      errors.push(`cannot read '${path}': ${describeIoError(err)}`);
      continue;
    }
    add(path, 'varnish-params');
  }
  return { files, errors };
}

/** Recursive walk; `active` holds the real paths of the directories being walked, so symlink loops end. */
function walk(dir: string, active: Set<string>, add: (path: string, language: LanguageId) => void, errors: string[]): void {
  let real: string;
  let entries;
  try {
    real = realpathSync(dir);
    if (active.has(real)) return;
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    errors.push(`cannot read '${dir}': ${describeIoError(err)}`);
    return;
  }
  active.add(real);
  // Code-unit order, not locale order: the same everywhere.
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const prefix = dir.endsWith('/') || dir.endsWith(sep) ? dir : dir + sep;
  for (const entry of entries) {
    // Hidden files are skipped too: editor lock files such as `.#x.vcl` are dangling symlinks.
    if (entry.name.startsWith('.')) continue;
    const path = prefix + entry.name;
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const st = statSync(path);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch (err) {
        if (languageForWalkedFile(path)) errors.push(`cannot read '${path}': ${describeIoError(err)}`);
        continue;
      }
    }
    if (isDir) {
      if (!skipDirectory(entry.name)) walk(path, active, add, errors);
    } else if (isFile) {
      const language = languageForWalkedFile(path);
      if (language) add(path, language);
    }
  }
  active.delete(real);
}
