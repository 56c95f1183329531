// Reads the interface a vmod .so declares, from the file's bytes only. The
// library is never loaded: loading would run its constructors, and an editor
// must not execute code it merely found on a configured path.
//
// What vmodtool.py (Varnish 7.1) embeds, found by studying the installed files:
// `Vmod_Json` is a NUL-terminated C string in .rodata holding a JSON array,
// pretty-printed with 2-space indents whose line breaks became single spaces
// (only the very last one is a real "\n"):
//
//   [   [     "$VMOD",     "1.0"   ],   [     "$FUNC",     "random", ...
//
// Stanzas after the leading ["$VMOD", "1.0"]:
//   ["$FUNC", name, proto, ["$RESTRICT", [ctx...]]?]
//   ["$OBJ", name, {"NULL_OK": bool}, "struct ...", ["$INIT", proto],
//       ["$FINI", proto], ["$METHOD", name, proto, restrict?]...]
//   ["$EVENT", cfunc]          ["$ALIAS", alias, target]
// proto = [[returnType], cfunc, argStruct, arg...]
// arg   = [type, name?, default?, enumValues?, optional?] (trailing nulls dropped)
// Format 2.0 (Vinyl Cache 9.0) adds the C name of each argument after its
// name, arg = [type, name?, cname, default?, enumValues?, optional?], and puts
// a function's or method's $RESTRICT in the stanza that follows it.
// The 7.1 JSON does not carry the vmod's own name (it lives in the separate
// vmod_data struct, reachable only through relocations), so callers pass the
// name they imported; newer formats that add it to the $VMOD stanza are honoured.

import type { VmodAlias, VmodArg, VmodFunction, VmodInterface, VmodObject } from './model.js';

/** Files larger than this are refused: real vmods are well under 1 MB. */
export const MAX_VMOD_FILE_BYTES = 64 * 1024 * 1024;

/** What went wrong instead of an interface. */
export interface VmodReadError {
  readonly error: string;
}

/** Options for {@link readVmodInterface}. */
export interface ReadVmodOptions {
  /** The name used in `import <name>` (for files: the `<name>` of `libvmod_<name>.so`). */
  readonly name?: string;
}

const MARKER = '"$VMOD"';
/** Only a few markers are tried: a real vmod has exactly one, and a hostile file must not make us loop. */
const MAX_MARKERS_TRIED = 16;

/**
 * Reads the vmod interface embedded in the bytes of a vmod shared object.
 * Never throws: any problem, including arbitrary or truncated input, comes
 * back as `{ error }`.
 */
export function readVmodInterface(bytes: Uint8Array, options: ReadVmodOptions = {}): VmodInterface | VmodReadError {
  try {
    if (bytes.length > MAX_VMOD_FILE_BYTES) {
      return { error: `file is ${bytes.length} bytes; vmod files over ${MAX_VMOD_FILE_BYTES / (1024 * 1024)} MB are not read` };
    }
    const found = extractVmodJson(bytes);
    if ('error' in found) return found;
    return convertVmodJson(found.json, { name: options.name, abi: findAbi(bytes) });
  } catch (e) {
    // Defensive only: the code above is written not to throw.
    return { error: `cannot read vmod interface: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/**
 * Finds the embedded JSON array and parses it (without interpreting it).
 * Tries each `"$VMOD"` occurrence until one is the start of a complete,
 * parseable array.
 */
export function extractVmodJson(bytes: Uint8Array): { json: unknown } | VmodReadError {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let lastError = 'no embedded vmod interface ("$VMOD" not found); is this a Varnish vmod?';
  let from = 0;
  for (let tries = 0; tries < MAX_MARKERS_TRIED; tries++) {
    const at = buf.indexOf(MARKER, from, 'latin1');
    if (at < 0) break;
    from = at + MARKER.length;
    const start = arrayStartBefore(buf, at);
    if (start < 0) {
      lastError = '"$VMOD" found but not at the start of a JSON array';
      continue;
    }
    const end = matchingBracketEnd(buf, start);
    if (end < 0) {
      lastError = 'embedded vmod JSON is truncated (no closing "]" before the end of the string)';
      continue;
    }
    try {
      return { json: JSON.parse(new TextDecoder('utf-8').decode(buf.subarray(start, end))) };
    } catch (e) {
      lastError = `embedded vmod JSON does not parse: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  return { error: lastError };
}

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** The offset of the outer `[` in `[ [ "$VMOD"`, or -1. */
function arrayStartBefore(buf: Buffer, markerAt: number): number {
  let p = markerAt - 1;
  for (let brackets = 0; brackets < 2; brackets++) {
    while (p >= 0 && isJsonSpace(buf[p]!)) p--;
    if (p < 0 || buf[p] !== 0x5b /* [ */) return -1;
    if (brackets === 0) p--;
  }
  return p;
}

/**
 * The offset just past the `]` that closes the array opened at `start`, or -1
 * when a NUL (the C string's end) or the end of the buffer comes first.
 * Brackets inside JSON strings do not count.
 */
function matchingBracketEnd(buf: Buffer, start: number): number {
  let depth = 0;
  let inString = false;
  for (let p = start; p < buf.length; p++) {
    const c = buf[p]!;
    if (c === 0) return -1;
    if (inString) {
      if (c === 0x5c /* \ */) p++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) depth++;
    else if (c === 0x5d || c === 0x7d) {
      depth--;
      if (depth === 0) return p + 1;
    }
  }
  return -1;
}

const ABI_PATTERN = /^Varnish \S+ [0-9a-f]{40}$/;

/** The `VMOD_ABI_Version` C string ("Varnish 7.1.1 <commit>"), if the file has one. */
function findAbi(buf8: Uint8Array): string | undefined {
  const buf = Buffer.from(buf8.buffer, buf8.byteOffset, buf8.byteLength);
  let from = 0;
  for (let tries = 0; tries < 64; tries++) {
    const at = buf.indexOf('Varnish ', from, 'latin1');
    if (at < 0) return undefined;
    from = at + 1;
    if (at > 0 && buf[at - 1] !== 0) continue; // must start a C string
    const nul = buf.indexOf(0, at);
    if (nul < 0 || nul - at > 128) continue;
    const text = buf.toString('latin1', at, nul);
    if (ABI_PATTERN.test(text)) return text;
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Raw JSON -> model. Tolerant: a malformed stanza is skipped so that one odd
// entry does not hide the rest of the vmod from the editor.

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const cmpName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Converts the parsed embedded JSON into a {@link VmodInterface}. `name` is the
 * import name; without it the name is taken from the JSON (newer formats) or
 * guessed from the C symbol prefix (`Vmod_vmod_std_Func` -> `std`).
 */
export function convertVmodJson(json: unknown, opts: { name?: string; abi?: string } = {}): VmodInterface | VmodReadError {
  if (!Array.isArray(json) || !Array.isArray(json[0]) || json[0][0] !== '$VMOD') {
    return { error: 'embedded vmod JSON does not start with a ["$VMOD", ...] stanza' };
  }
  const head: unknown[] = json[0];
  const v2 = Number.parseFloat(str(head[1]) ?? '1') >= 2;
  const functions: VmodFunction[] = [];
  const objects: VmodObject[] = [];
  const aliases: VmodAlias[] = [];
  let hasEvent = false;
  let cfuncSample: string | undefined;
  for (const stanza of json.slice(1)) {
    if (!Array.isArray(stanza)) continue;
    switch (stanza[0]) {
      case '$FUNC': {
        const fn = convertFunction(stanza[1], stanza[2], stanza[3], v2);
        if (fn) functions.push(fn);
        cfuncSample ??= Array.isArray(stanza[2]) ? str(stanza[2][1]) : undefined;
        break;
      }
      case '$RESTRICT': {
        // Format 2.0: the restriction of the function just read.
        const r = convertRestrict(stanza);
        const last = functions[functions.length - 1];
        if (r && last && !last.restrict) functions[functions.length - 1] = { ...last, restrict: r };
        break;
      }
      case '$OBJ': {
        const obj = convertObject(stanza, v2);
        if (obj) objects.push(obj);
        break;
      }
      case '$EVENT':
        hasEvent = true;
        cfuncSample ??= str(stanza[1]);
        break;
      case '$ALIAS': {
        const name = str(stanza[1]);
        const target = str(stanza[2]);
        if (name && target) aliases.push({ name, target });
        break;
      }
      default:
        break; // $CPROTO and future stanzas carry nothing VCL-visible
    }
  }
  const name = opts.name ?? nameFromHead(head) ?? nameFromCfunc(cfuncSample) ?? '';
  const abi = head.map(str).find((s) => s !== undefined && (s.startsWith('Varnish ') || s.startsWith('Vinyl Cache '))) ?? opts.abi;
  return {
    name,
    jsonVersion: str(head[1]) ?? '',
    ...(abi !== undefined ? { abi } : {}),
    hasEvent,
    functions: functions.sort(cmpName),
    objects: objects.sort(cmpName),
    aliases: aliases.sort(cmpName),
  };
}

/** Newer vmodtool versions put the name third in the $VMOD stanza. */
function nameFromHead(head: unknown[]): string | undefined {
  const n = str(head[2]);
  return n && /^[A-Za-z][A-Za-z0-9_]*$/.test(n) ? n : undefined;
}

function nameFromCfunc(cfunc: string | undefined): string | undefined {
  const m = cfunc ? /^Vmod_(\w+?)_Func\./.exec(cfunc) : null;
  return m ? m[1]!.replace(/^vmod_/, '') : undefined;
}

function convertFunction(rawName: unknown, proto: unknown, restrict: unknown, v2: boolean): VmodFunction | undefined {
  const name = str(rawName);
  const sig = convertProto(proto, v2);
  if (name === undefined || !sig) return undefined;
  const r = convertRestrict(restrict);
  return { name, returnType: sig.returnType, args: sig.args, ...(r ? { restrict: r } : {}) };
}

function convertProto(proto: unknown, v2: boolean): { returnType: string; args: VmodArg[] } | undefined {
  if (!Array.isArray(proto) || !Array.isArray(proto[0])) return undefined;
  const returnType = str(proto[0][0]);
  if (returnType === undefined) return undefined;
  const args: VmodArg[] = [];
  for (const raw of proto.slice(3)) {
    const arg = convertArg(raw, v2);
    if (!arg) return undefined; // a lost argument would shift every position after it
    args.push(arg);
  }
  return { returnType, args };
}

function convertArg(raw: unknown, v2: boolean): VmodArg | undefined {
  if (!Array.isArray(raw)) return undefined;
  const type = str(raw[0]);
  if (type === undefined) return undefined;
  const name = str(raw[1]);
  // Format 2.0 has the argument's C name third: skip it.
  const at = v2 ? 3 : 2;
  const def = str(raw[at]);
  const values = Array.isArray(raw[at + 1]) ? (raw[at + 1] as unknown[]).filter((v): v is string => typeof v === 'string') : undefined;
  return {
    ...(name !== undefined ? { name } : {}),
    type,
    ...(def !== undefined ? { default: def } : {}),
    optional: raw[at + 2] === true,
    ...(values ? { enum: values } : {}),
    ...(type.startsWith('PRIV_') ? { hidden: true } : {}),
  };
}

/** `["$RESTRICT", ["vcl_recv", "backend"]]` -> the context list. */
function convertRestrict(raw: unknown): string[] | undefined {
  if (!Array.isArray(raw) || raw[0] !== '$RESTRICT' || !Array.isArray(raw[1])) return undefined;
  return raw[1].filter((v): v is string => typeof v === 'string');
}

function convertObject(stanza: unknown[], v2: boolean): VmodObject | undefined {
  const name = str(stanza[1]);
  if (name === undefined) return undefined;
  const flags = stanza[2];
  const nullOk = typeof flags === 'object' && flags !== null && (flags as Record<string, unknown>)['NULL_OK'] === true;
  let constructorArgs: VmodArg[] | undefined;
  const methods: VmodFunction[] = [];
  for (const part of stanza.slice(3)) {
    if (!Array.isArray(part)) continue;
    if (part[0] === '$INIT') constructorArgs = convertProto(part[1], v2)?.args;
    else if (part[0] === '$METHOD') {
      const m = convertFunction(part[1], part[2], part[3], v2);
      if (m) methods.push(m);
    } else if (part[0] === '$RESTRICT') {
      // Format 2.0: the restriction of the method just read.
      const r = convertRestrict(part);
      const last = methods[methods.length - 1];
      if (r && last && !last.restrict) methods[methods.length - 1] = { ...last, restrict: r };
    }
  }
  // Without a usable $INIT varnishd could not instantiate it either.
  if (!constructorArgs) return undefined;
  return { name, nullOk, constructorArgs, methods: methods.sort(cmpName) };
}
