/**
 * Writes server/src/syntax/grammar-tables.json: the grammar's tree, follow
 * sets and lookahead paths as chevrotain works them out (see
 * grammar-tables.ts). Run
 * after changing the grammar: `npm run gen:grammar`
 * (test/unit/grammar-tables.test.ts fails until then).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordGrammarTables } from '../server/src/syntax/grammar.js';
import { projectRoot } from '../test/conformance/corpus.js';
import { formatGrammarTables } from '../server/src/syntax/grammar-tables.js';

const tables = recordGrammarTables();
writeFileSync(join(projectRoot, 'server/src/syntax/grammar-tables.json'), formatGrammarTables(tables));
console.log(`grammar-tables.json: ${tables.rules.length} rules, ${Object.keys(tables.follows).length} follow sets, ${Object.keys(tables.lookahead).length} decisions`);
