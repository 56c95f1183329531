/**
 * Writes the rule ids the tools know into package.json, as the property
 * names the `vcl.lint.rules` setting accepts (VS Code offers them as
 * completions and flags unknown ones). Run after adding or removing a rule:
 * `npm run gen:settings` (test/client/settings.test.ts fails until then).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { knownRuleIds } from '../server/src/service/rule-ids.js';
import { projectRoot } from '../test/conformance/corpus.js';

const path = join(projectRoot, 'package.json');
const manifest = JSON.parse(readFileSync(path, 'utf8')) as { contributes: { configuration: { properties: Record<string, Record<string, unknown>> } } };
const setting = manifest.contributes.configuration.properties['vcl.lint.rules'];
if (!setting) throw new Error('package.json has no vcl.lint.rules setting');
setting['propertyNames'] = { enum: [...knownRuleIds].sort() };
writeFileSync(path, JSON.stringify(manifest, null, 2) + '\n');
console.log(`vcl.lint.rules: ${knownRuleIds.size} rule ids written to package.json`);
