/** Every registered rule has a documentation page, and every page a rule. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules as vclRules } from '../../server/src/rules/index.js';
import { paramsRules } from '../../server/src/rules/params-index.js';
import { SERVICE_RULE_IDS } from '../../server/src/service/rule-ids.js';
import { CAUSE_IDS } from '../../server/src/varnishlog/causes.js';

const rules = [...vclRules, ...paramsRules];
import { projectRoot } from '../conformance/corpus.js';

const docs = join(projectRoot, 'docs/rules');
/** Ids reported by the service and the front ends rather than by a rule of the registry (internal-error has no page). */
const frontEndIds = SERVICE_RULE_IDS.filter((id) => id !== 'internal-error');

describe('rule documentation', () => {
  for (const rule of rules) {
    it(`docs/rules/${rule.id}.md exists and names the rule`, () => {
      const page = join(docs, `${rule.id}.md`);
      assert.ok(existsSync(page), `${page} is missing`);
      assert.match(readFileSync(page, 'utf8'), new RegExp(`^# \`${rule.id}\``));
    });
  }
  for (const id of frontEndIds) {
    it(`docs/rules/${id}.md exists and names the id`, () => {
      assert.match(readFileSync(join(docs, `${id}.md`), 'utf8'), new RegExp(`^# \`${id}\``));
    });
  }
  for (const id of CAUSE_IDS) {
    it(`docs/rules/${id}.md exists for the 503 doctor's cause and says how to confirm and fix it`, () => {
      const text = readFileSync(join(docs, `${id}.md`), 'utf8');
      assert.match(text, new RegExp(`^# \`${id}\``));
      // A page shared with a VCL rule of the same id (no-backend) has a section of its own for captures.
      for (const part of [/confirm/i, /fix/i, /6\.5|every release/]) assert.match(text, part, `${id}.md`);
    });
  }
  it('has no page for a rule that does not exist', () => {
    const ids = new Set([...rules.map((r) => r.id), ...frontEndIds, ...CAUSE_IDS]);
    const orphans = readdirSync(docs).filter((f) => f.endsWith('.md') && !ids.has(f.slice(0, -3)));
    assert.deepEqual(orphans, []);
  });
});
