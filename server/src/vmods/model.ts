// Typed model of a vmod's interface, converted from the JSON that vmodtool.py
// embeds in every vmod .so. The raw JSON is positional and terse (see
// read-vmod-json.ts); this model names every field so the analysis layer never
// has to know the wire format.

/**
 * One argument of a vmod function, method or object constructor.
 *
 * `type` is the VCC type name (STRING, INT, STRANDS, ENUM, BACKEND, PRIV_TASK,
 * ...). Arguments without a name can only be passed by position.
 */
export interface VmodArg {
  /** Argument name, usable as `name = value` in VCL; absent for positional-only arguments. */
  readonly name?: string;
  /** VCC type name. */
  readonly type: string;
  /**
   * Default value as VCL source text, exactly as the vmod declares it
   * (`"\", \""` is the STRING `", "`, `1`/`0` are BOOL true/false, an ENUM
   * default is the bare value). Absent when there is none.
   */
  readonly default?: string;
  /** True for an argument written in `[ ]` in the vmod's .vcc: it may be left out and has no default. */
  readonly optional: boolean;
  /** Legal values of an ENUM argument, in the vmod's order. */
  readonly enum?: readonly string[];
  /**
   * True for PRIV_* arguments: varnishd supplies them itself, so a VCL caller
   * never writes them and they do not count as positions.
   */
  readonly hidden?: boolean;
}

/** A vmod function or an object method. */
export interface VmodFunction {
  /** Name without the vmod or object prefix (`integer`, `add_backend`). */
  readonly name: string;
  /** VCC type of the result; `VOID` for a function called as a statement. */
  readonly returnType: string;
  /** Arguments in declaration order, hidden PRIV_* ones included. */
  readonly args: readonly VmodArg[];
  /**
   * Contexts where the call is allowed, from the vmod's `$Restrict`
   * (`vcl_recv`, `client`, `backend`, `housekeeping`, ...). Absent: anywhere.
   */
  readonly restrict?: readonly string[];
}

/** A vmod object type, instantiated with `new x = vmod.obj(...)` in vcl_init. */
export interface VmodObject {
  /** Object type name without the vmod prefix (`round_robin`). */
  readonly name: string;
  /** True when the instance may be left unset (`NULL_OK`); false means the constructor must produce one. */
  readonly nullOk: boolean;
  /** Arguments of the constructor. */
  readonly constructorArgs: readonly VmodArg[];
  /** Methods, sorted by name. */
  readonly methods: readonly VmodFunction[];
}

/**
 * An alternative name. For a function both names are plain (`format_rfc1123`
 * -> `format_date`); for a method both are `object.method`.
 */
export interface VmodAlias {
  readonly name: string;
  readonly target: string;
}

/** Everything a VCL program can use from one vmod. */
export interface VmodInterface {
  /** The name used in `import <name>;`. */
  readonly name: string;
  /** Version of the embedded JSON format (`1.0` for Varnish 7.1). */
  readonly jsonVersion: string;
  /** ABI string the vmod was built against (`Varnish 7.1.1 <commit>`), when found in the file. */
  readonly abi?: string;
  /** True when the vmod has a `$Event` handler (runs on VCL load/warm/cold/discard). */
  readonly hasEvent: boolean;
  /** Functions, sorted by name. */
  readonly functions: readonly VmodFunction[];
  /** Object types, sorted by name. */
  readonly objects: readonly VmodObject[];
  /** Alias names, sorted by name. */
  readonly aliases: readonly VmodAlias[];
}

/** True when a caller must pass this argument (not hidden, not optional, no default). */
export function isRequiredArg(arg: VmodArg): boolean {
  return !arg.hidden && !arg.optional && arg.default === undefined;
}

/** The arguments a VCL caller can write, in order (PRIV_* ones removed). */
export function visibleArgs(args: readonly VmodArg[]): VmodArg[] {
  return args.filter((a) => !a.hidden);
}
