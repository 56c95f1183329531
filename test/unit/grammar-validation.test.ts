/**
 * The parser is built without chevrotain's grammar validations, which
 * cost start-up time on every run; this test runs them, so a grammar
 * change that makes a rule ambiguous or left-recursive still fails here.
 */
import assert from 'node:assert/strict';
import { VclGrammar } from '../../server/src/syntax/grammar.js';

describe('grammar validation', () => {
  it("passes chevrotain's grammar validations (ambiguities, left recursion, duplicate names)", () => {
    // performSelfAnalysis throws on any definition error when validations are on.
    assert.doesNotThrow(() => new VclGrammar({ validate: true }));
  });
});
