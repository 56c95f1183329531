/**
 * A table's own entry for a key taken from the user's text (a field, sub,
 * action, function or parameter name). Indexing an object literal with such
 * a key also finds what every object inherits (`constructor`, `toString`,
 * `valueOf`...): `sub constructor {}` was taken for a VCL 3 name whose VCL 4
 * spelling was a JavaScript function, and `.toString = "x";` in a backend
 * for a known field.
 */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
