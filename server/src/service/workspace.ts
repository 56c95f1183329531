/**
 * What the language server knows of the workspace's VCL files: their texts
 * (open documents win over the disk), which include which, and where
 * includes are searched. It answers the analysis through an IncludeHost and
 * tells the server which open documents to re-check after an edit.
 */
import { readdirSync, realpathSync } from 'node:fs';
import { readFileSafely } from '../io/safe-read.js';
import { isInside } from '../io/io-errors.js';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { DEFAULT_VCL_PATH, IncludeIndex, includeTargets } from '../analysis/includes.js';
import type { IncludeHost } from '../analysis/include-tree.js';
import { ProgramCache } from '../analysis/program-cache.js';
import { checkText, decodeSource, MAX_SOURCE_BYTES } from './input.js';
import { languageOfFile } from './file-kind.js';
import type { LanguageId } from './types.js';

/** Most VCL files indexed per workspace folder; a repository with more is not a Varnish config. */
const MAX_INDEXED_FILES = 2000;

interface Known {
  text: string;
  /** The name messages use for the file (as the user gave it to the CLI); its path otherwise. */
  shown?: string;
  /** Include targets, worked out when the include index needs them (not on every keystroke). */
  targets?: string[];
}

export class Workspace {
  private folders: string[] = [];
  private includePaths: string[] = [];
  /** Trusted: files the program names are read wherever they are. Untrusted (the default): see refuses. */
  private trusted = false;
  /** Folders outside the workspace the user named in their own settings (include and vmod paths). */
  private userFolders: string[] = [];
  private readonly disk = new Map<string, Known>();
  private readonly open = new Map<string, Known>();
  /** Parameter files: disk texts, overridden by open documents. */
  private readonly paramsDisk = new Map<string, string>();
  private readonly paramsOpen = new Map<string, string>();
  private index: IncludeIndex | undefined;
  private currentHost: IncludeHost | undefined;

  /** Forgets the include index and the host built on it; both are rebuilt when next needed. */
  private invalidate(): void {
    this.currentHost?.programs?.clear();
    this.index = undefined;
    this.currentHost = undefined;
  }

  /** Indexes the .vcl files under the workspace folders (synchronously, bounded). */
  setFolders(folders: string[]): void {
    this.folders = folders.map((f) => resolve(f));
    this.disk.clear();
    this.paramsDisk.clear();
    for (const folder of this.folders) {
      for (const { path, language } of findFiles(folder, MAX_INDEXED_FILES)) {
        const text = readText(path);
        if (text === undefined) continue;
        if (language === 'vcl') this.disk.set(path, { text, targets: includeTargets(text) });
        else this.paramsDisk.set(path, text);
      }
    }
    this.invalidate();
  }

  /**
   * Whether the workspace is trusted, and the folders the user's own editor
   * settings name (readable even when it is not). Untrusted is the default:
   * the workspace's text cannot make the server read a file of its choosing
   * outside the workspace folders.
   */
  setTrust(trusted: boolean, userFolders: readonly string[] = []): void {
    this.trusted = trusted;
    this.userFolders = userFolders.map((f) => resolve(f));
    this.invalidate();
  }

  /**
   * Why a file that a program names by path (an absolute or `./` include,
   * an `import ... from`) is not read, or undefined when it is: in an
   * untrusted workspace, only files under the workspace folders, the include
   * path and the folders of the user's own settings are. Without workspace
   * folders (an editor that opened single files), the folders of the open
   * files stand for them.
   */
  refuses(path: string): string | undefined {
    if (this.trusted) return undefined;
    // Compared where the links lead: a link inside the workspace to /etc/passwd is outside it.
    const target = realPath(path);
    const inside = (folder: string): boolean => isInside(target, realPath(folder));
    const own = this.folders.length > 0 ? this.folders : [...this.open.keys()].filter((p) => isAbsolute(p)).map((p) => dirname(p));
    if ([...own, ...this.includePaths, ...this.userFolders].some(inside)) return undefined;
    return 'it is outside the workspace folders and the workspace is not trusted (trust the workspace, or name its folder in your own editor settings: vcl.includePaths or vcl.vmodPath)';
  }

  /**
   * The files of one CLI run, instead of folders to scan: VCL and parameter
   * files with their texts as read. Includes are followed among them first,
   * then on disk.
   */
  setFiles(files: ReadonlyArray<{ path: string; text: string; language: LanguageId; shown?: string }>): void {
    this.folders = [];
    this.disk.clear();
    this.paramsDisk.clear();
    for (const f of files) {
      if (f.language === 'vcl') this.disk.set(resolve(f.path), { text: f.text, shown: f.shown ?? f.path });
      else if (f.language === 'varnish-params') this.paramsDisk.set(f.shown ?? f.path, f.text);
    }
    this.invalidate();
  }

  /** Whether another known VCL file includes `path`, so that it is a part of a program. */
  isIncluded(path: string): boolean {
    return this.currentIndex().isIncluded(path);
  }

  /** Extra include folders from the settings, searched before the defaults. */
  setIncludePaths(paths: string[]): void {
    this.includePaths = paths.map((p) => resolve(p));
    this.invalidate();
  }

  /**
   * Records the editor's text of a document. Cheap, since it runs on every
   * keystroke; text the tools refuse (too large, binary) is kept as empty.
   */
  setOpen(path: string, text: string): void {
    const usable = checkText(text).ok ? text : '';
    if (this.open.get(path)?.text === usable) return;
    this.open.set(path, { text: usable });
    this.invalidate();
  }

  /** Records the editor's text of a parameter file (refused text is kept as empty). */
  setOpenParams(path: string, text: string): void {
    this.paramsOpen.set(path, checkText(text).ok ? text : '');
  }

  /** Forgets the editor's text; the disk's (if any) counts again. */
  close(path: string): void {
    this.open.delete(path);
    this.paramsOpen.delete(path);
    this.invalidate();
  }

  /** Every VCL text of the workspace (open documents win); `shown` is the name for messages. */
  vclTexts(): Array<{ path: string; text: string; shown: string }> {
    return this.all().map((path) => {
      const known = (this.open.get(path) ?? this.disk.get(path))!;
      return { path, text: known.text, shown: known.shown ?? path };
    });
  }

  /** Every parameter-file text of the workspace (open documents win). */
  paramsTexts(): Array<{ path: string; text: string }> {
    const paths = new Set([...this.paramsDisk.keys(), ...this.paramsOpen.keys()]);
    return [...paths].map((path) => ({ path, text: this.paramsOpen.get(path) ?? this.paramsDisk.get(path)! }));
  }

  get searchPath(): string[] {
    return [...this.includePaths, ...DEFAULT_VCL_PATH, ...this.folders];
  }

  /**
   * The host the analysis reads files through. The same object until a text,
   * a folder or the include path changes, so analyses can be remembered by it.
   */
  host(): IncludeHost {
    return (this.currentHost ??= this.newHost());
  }

  private newHost(): IncludeHost {
    const index = this.currentIndex();
    return {
      searchPath: this.searchPath,
      readFile: (p) => this.open.get(p)?.text ?? this.disk.get(p)?.text ?? readText(p),
      refusal: (p) => (this.open.has(p) || this.disk.has(p) ? undefined : refusalOf(p)),
      resolve: (c) => index.resolve(c),
      includersOf: (p) => index.includersOf(p),
      refuses: (p) => this.refuses(p),
      firstIncluderOf: (p) => index.firstIncluderOf(p),
      programs: new ProgramCache(),
    };
  }

  /** Open documents whose diagnostics may change when `path` changes: its includers and what it includes. */
  related(path: string): string[] {
    const index = this.currentIndex();
    const out = new Set<string>([...index.includersOf(path), ...index.includedBy(path)]);
    // Parts included by the same top-level files see each other's names.
    for (const root of index.includersOf(path)) for (const p of index.filesUnder(root)) out.add(p);
    out.delete(path);
    return [...out].filter((p) => this.open.has(p));
  }

  private all(): string[] {
    return [...new Set([...this.disk.keys(), ...this.open.keys()])];
  }

  private currentIndex(): IncludeIndex {
    if (!this.index) {
      const files = this.all().map((path) => {
        const k = this.open.get(path) ?? this.disk.get(path)!;
        k.targets ??= includeTargets(k.text);
        return { path, text: k.text, targets: k.targets };
      });
      this.index = new IncludeIndex(files, this.searchPath);
    }
    return this.index;
  }
}

function readText(path: string): string | undefined {
  const read = readFileSafely(path, { maxBytes: MAX_SOURCE_BYTES });
  if (!read.ok) return undefined;
  const decoded = decodeSource(read.bytes);
  return decoded.ok ? decoded.text : undefined;
}

/** Why a file that exists cannot be used as VCL text, or undefined when it is missing (or readable). */
function refusalOf(path: string): string | undefined {
  const read = readFileSafely(path, { maxBytes: MAX_SOURCE_BYTES });
  if (!read.ok) return read.kind === 'missing' ? undefined : read.reason;
  const decoded = decodeSource(read.bytes);
  return decoded.ok ? undefined : decoded.reason;
}

/** VCL and parameter files under `root`, bounded, skipping dependencies and hidden folders. */
function findFiles(root: string, limit: number): Array<{ path: string; language: LanguageId }> {
  const out: Array<{ path: string; language: LanguageId }> = [];
  const stack = [root];
  while (stack.length && out.length < limit) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile()) {
        const language = languageOfFile(p);
        if (language) out.push({ path: p, language });
      }
      if (out.length >= limit) break;
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** Where `path` really is, links followed; the path itself (made absolute) when it cannot be resolved (not there: nothing to read). */
function realPath(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return resolve(path);
  }
}
