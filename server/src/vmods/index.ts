// Where vmod interfaces come from: the committed table for the vmods shipped
// with Varnish 7.1 and varnish-modules (facts/vmods.json, regenerate with
// `npm run gen:vmods`), or a vmod file found on disk. Files are only read as
// bytes, never loaded: dlopen would run the library's code.

import { statSync } from 'node:fs';
import { readFileSafely } from '../io/safe-read.js';
import path from 'node:path';
import vmodsJson from '../facts/vmods.json' with { type: 'json' };
import type { VmodFunction, VmodInterface, VmodObject } from './model.js';
import { MAX_VMOD_FILE_BYTES, readVmodInterface, type VmodReadError } from './read-vmod-json.js';

export type { VmodAlias, VmodArg, VmodFunction, VmodInterface, VmodObject } from './model.js';
export { isRequiredArg, visibleArgs } from './model.js';
export { readVmodInterface, MAX_VMOD_FILE_BYTES, type VmodReadError } from './read-vmod-json.js';

const BUILTIN = vmodsJson as unknown as Readonly<Record<string, VmodInterface>>;

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

/** The interface of a vmod from the generated Varnish 7.1 table, or undefined. */
export function builtinVmod(name: string): VmodInterface | undefined {
  return Object.prototype.hasOwnProperty.call(BUILTIN, name) ? BUILTIN[name] : undefined;
}

/** Names of all vmods in the generated table, sorted. */
export function builtinVmodNames(): string[] {
  return Object.keys(BUILTIN).sort();
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
// Re-checked against mtime and size so an upgraded vmod is seen without a restart.
const fileCache = new Map<string, CacheEntry>();

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
    fileCache.set(key, { mtimeMs: st.mtimeMs, size: st.size, result });
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
