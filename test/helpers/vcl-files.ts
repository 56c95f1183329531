/** Finding the project's own VCL files for tests that run over all of them. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every `.vcl` file below `dir`, sorted, so that test order is stable. */
export function vclFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...vclFilesUnder(p));
    else if (name.endsWith('.vcl')) out.push(p);
  }
  return out.sort();
}
