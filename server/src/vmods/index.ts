// Where vmod interfaces come from: the committed table of the vmods each
// checked release ships (Varnish's own and varnish-modules; facts/vmods.json,
// regenerate with `npm run gen:vmods`), or a vmod file found on disk. Files
// are only read as bytes, never loaded: dlopen would run the library's code.

import { statSync } from 'node:fs';
import { readFileSafely } from '../io/safe-read.js';
import path from 'node:path';
import vmodsJson from '../facts/vmods.json' with { type: 'json' };
import { DEFAULT_VARNISH_VERSION, holdsIn, type VersionSpan } from '../facts/versions.js';
import type { VmodAlias, VmodFunction, VmodInterface, VmodObject } from './model.js';
import { MAX_VMOD_FILE_BYTES, readVmodInterface, type VmodReadError } from './read-vmod-json.js';

export type { VmodAlias, VmodArg, VmodFunction, VmodInterface, VmodObject } from './model.js';
export { isRequiredArg, visibleArgs } from './model.js';
export { readVmodInterface, MAX_VMOD_FILE_BYTES, type VmodReadError } from './read-vmod-json.js';

/** One vmod over the releases: its own fields and every member, each with the span it holds in. */
interface SpannedVmod {
  name: string;
  releases: Array<VersionSpan & { name: string; jsonVersion: string; abi?: string; hasEvent: boolean }>;
  functions: Array<VmodFunction & VersionSpan>;
  objects: Array<Omit<VmodObject, 'methods'> & VersionSpan & { methods: Array<VmodFunction & VersionSpan> }>;
  aliases: Array<VmodAlias & VersionSpan>;
}

const TABLE = vmodsJson as unknown as Readonly<Record<string, SpannedVmod>>;
const byRelease = new Map<string, Map<string, VmodInterface>>();

/** Drops the span of a table entry: what a vmod read from disk looks like. */
function unspanned<T extends VersionSpan>(entry: T): Omit<T, 'since' | 'until'> {
  const { since: _since, until: _until, ...rest } = entry;
  return rest;
}

/** The vmods `release` ships, built from the table once per release. */
function vmodsOf(release: string): Map<string, VmodInterface> {
  let vmods = byRelease.get(release);
  if (vmods) return vmods;
  vmods = new Map();
  for (const [name, v] of Object.entries(TABLE)) {
    const head = v.releases.find((r) => holdsIn(release, r));
    if (!head) continue;
    const holds = <T extends VersionSpan>(list: readonly T[]) => list.filter((x) => holdsIn(release, x));
    vmods.set(name, {
      ...unspanned(head),
      functions: holds(v.functions).map(unspanned),
      objects: holds(v.objects).map((o) => ({ ...unspanned(o), methods: holds(o.methods).map(unspanned) })),
      aliases: holds(v.aliases).map(unspanned),
    });
  }
  byRelease.set(release, vmods);
  return vmods;
}

/**
 * Usual `vmod_path` defaults of packaged and source-built Varnish. varnishd's
 * own default is `${libdir}/varnish/vmods`, which depends on the build.
 */
export const DEFAULT_VMOD_PATH: readonly string[] = [
  '/usr/lib/x86_64-linux-gnu/varnish/vmods',
  '/usr/lib/aarch64-linux-gnu/varnish/vmods',
  '/usr/lib64/varnish/vmods',
  '/usr/lib/varnish/vmods',
  '/usr/local/lib/varnish/vmods',
];

/** The interface of a vmod `release` ships (Debian's packages of it), or undefined. */
export function builtinVmod(name: string, release: string = DEFAULT_VARNISH_VERSION): VmodInterface | undefined {
  return vmodsOf(release).get(name);
}

/** Names of the vmods `release` ships, sorted. */
export function builtinVmodNames(release: string = DEFAULT_VARNISH_VERSION): string[] {
  return [...vmodsOf(release).keys()].sort();
}

/** Splits a `vmod_path` parameter value (colon-separated, like varnishd) into directories. */
export function splitVmodPath(value: string): string[] {
  return value.split(':').filter((d) => d !== '');
}

const VMOD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

interface CacheEntry {
  readonly mtimeMs: number;
  readonly size: number;
  readonly result: VmodInterface | VmodReadError;
}
// Interfaces read from vmod files, by file and import name. Re-checked against mtime and size
// so an upgraded vmod is seen without a restart: what it holds is never stale, so it is kept for
// the process, like the release tables, and bounded (a workspace names a few dozen vmods at most).
const fileCache = new Map<string, CacheEntry>();
const MAX_CACHED_VMOD_FILES = 256;

/**
 * Reads a vmod's interface from a `.so` file's bytes (never loads it). The
 * import name defaults to `<name>` of `libvmod_<name>.so`, as `import x from
 * "/path/libvmod_x.so"` would give `x`. Never throws.
 */
export function loadVmodFromFile(file: string, name?: string): VmodInterface | VmodReadError {
  const importName = name ?? /^libvmod_(.+)\.so$/.exec(path.basename(file))?.[1];
  try {
    const st = statSync(file);
    if (st.isFile() && st.size > MAX_VMOD_FILE_BYTES) {
      return { error: `${file}: ${st.size} bytes; vmod files over ${MAX_VMOD_FILE_BYTES / (1024 * 1024)} MB are not read` };
    }
    const key = `${path.resolve(file)}\0${importName ?? ''}`;
    const hit = fileCache.get(key);
    if (st.isFile() && hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.result;
    // FIFOs, devices and /proc files (which claim a size of 0 and can crash a plain read) are refused here.
    const bytes = readFileSafely(file, { maxBytes: MAX_VMOD_FILE_BYTES });
    if (!bytes.ok) {
      if (bytes.kind === 'refused') return { error: `${file}: ${bytes.reason}` };
      return { error: `${file}: cannot read (${bytes.code ?? bytes.reason})` };
    }
    const read = readVmodInterface(bytes.bytes, importName !== undefined ? { name: importName } : {});
    const result = 'error' in read ? { error: `${file}: ${read.error}` } : read;
    fileCache.delete(key);
    fileCache.set(key, { mtimeMs: st.mtimeMs, size: st.size, result });
    if (fileCache.size > MAX_CACHED_VMOD_FILES) fileCache.delete(fileCache.keys().next().value!);
    return result;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { error: `${file}: cannot read (${code ?? (e instanceof Error ? e.message : String(e))})` };
  }
}

/**
 * Looks for `libvmod_<name>.so` in each directory of `vmodPath`, in order,
 * as varnishd does for `import <name>;`, and reads the first one found.
 */
export function findVmod(name: string, vmodPath: readonly string[]): { path: string; vmod: VmodInterface } | VmodReadError {
  // The name becomes part of a path: refuse anything that could leave the directory.
  if (!VMOD_NAME.test(name)) return { error: `'${name}' is not a valid vmod name` };
  for (const dir of vmodPath) {
    const file = path.join(dir, `libvmod_${name}.so`);
    let exists = false;
    try {
      exists = statSync(file).isFile();
    } catch {
      continue;
    }
    if (!exists) continue;
    const vmod = loadVmodFromFile(file, name);
    return 'error' in vmod ? vmod : { path: file, vmod };
  }
  return { error: `vmod '${name}' not found: no libvmod_${name}.so in ${vmodPath.length ? vmodPath.join(':') : '(empty vmod_path)'}` };
}

/** A vmod function by name, following `$Alias` entries. */
export function vmodFunction(vmod: VmodInterface, name: string): VmodFunction | undefined {
  const target = vmod.aliases.find((a) => a.name === name)?.target ?? name;
  return vmod.functions.find((f) => f.name === target);
}

/** A vmod object type by name. */
export function vmodObject(vmod: VmodInterface, name: string): VmodObject | undefined {
  return vmod.objects.find((o) => o.name === name);
}

/** A method of a vmod object type, following `$Alias` entries (`obj.bar` -> `obj.foo`). */
export function vmodMethod(vmod: VmodInterface, objectName: string, method: string): VmodFunction | undefined {
  const obj = vmodObject(vmod, objectName);
  if (!obj) return undefined;
  const alias = vmod.aliases.find((a) => a.name === `${objectName}.${method}`);
  const target = alias ? alias.target.slice(alias.target.indexOf('.') + 1) : method;
  return obj.methods.find((m) => m.name === target);
}
