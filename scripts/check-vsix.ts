/**
 * Checks a built extension package against its size budget and contents
 * (scripts/vsix-contents.ts). Run after `npm run package`:
 *   node out/scripts/check-vsix.js [file.vsix]
 * (`npm run package:check` does both). Without an argument it checks
 * <name>-<version>.vsix in the project folder. Exit status 1 when the
 * package is wrong, 2 when it cannot be read.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vsixProblems } from './vsix-contents.js';
import { zipEntries } from './zip-entries.js';

// Compiled to out/scripts/, two levels below the project folder.
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { name: string; version: string };
const path = resolve(process.argv[2] ?? join(projectRoot, `${manifest.name}-${manifest.version}.vsix`));

let bytes: Buffer;
try {
  bytes = readFileSync(path);
} catch (e) {
  console.error(`cannot read ${path}: ${(e as Error).message}`);
  process.exit(2);
}
const entries = zipEntries(bytes);
const rulePages = readdirSync(join(projectRoot, 'docs/rules')).filter((f) => f.endsWith('.md'));
const problems = vsixProblems(entries, statSync(path).size, rulePages);
if (problems.length > 0) {
  for (const p of problems) console.error(`${path}: ${p}`);
  process.exit(1);
}
console.log(`${path}: ${entries.length} files, ${Math.round(bytes.length / 1024)} KB, within budget and complete`);
