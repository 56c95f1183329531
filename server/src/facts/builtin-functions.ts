/**
 * The functions VCL has without any import. Their signatures follow
 * Varnish 7.1's reference (vcl(7)); the descriptions are the project's own.
 */

export interface BuiltinFunction {
  name: string;
  /** Argument types in order; `STRING_LIST` takes any number of joined strings. */
  args: { name: string; type: string }[];
  returnType: string;
  /** Built-in subs where it may be called; undefined: everywhere. */
  restrictedTo?: readonly string[];
  description: string;
}

const table: BuiltinFunction[] = [
  {
    name: 'regsub',
    args: [{ name: 'str', type: 'STRING' }, { name: 'regex', type: 'REGEX' }, { name: 'sub', type: 'STRING' }],
    returnType: 'STRING',
    description: 'Replaces the first match of regex in str with sub (\\1 ... \\9 refer to capture groups).',
  },
  {
    name: 'regsuball',
    args: [{ name: 'str', type: 'STRING' }, { name: 'regex', type: 'REGEX' }, { name: 'sub', type: 'STRING' }],
    returnType: 'STRING',
    description: 'Replaces every match of regex in str with sub.',
  },
  {
    name: 'ban',
    args: [{ name: 'expression', type: 'STRING' }],
    returnType: 'VOID',
    description: 'Adds a ban expression to the ban list. Deprecated: std.ban() reports whether the ban was valid.',
  },
  {
    name: 'hash_data',
    args: [{ name: 'input', type: 'STRING_LIST' }],
    returnType: 'VOID',
    restrictedTo: ['vcl_hash'],
    description: 'Adds its input to the data the cache key is computed from.',
  },
  {
    name: 'synthetic',
    args: [{ name: 'body', type: 'STRING_LIST' }],
    returnType: 'VOID',
    restrictedTo: ['vcl_synth', 'vcl_backend_error'],
    description: 'Sets the body of a synthetic response (deprecated in favour of resp.body / beresp.body).',
  },
];

const byName = new Map(table.map((f) => [f.name, f]));

/** The built-in function `name` (exact spelling), or undefined. */
export function builtinFunction(name: string): BuiltinFunction | undefined {
  return byName.get(name.toLowerCase());
}

/** Every built-in function. */
export const builtinFunctions: readonly BuiltinFunction[] = table;
