/**
 * The varnishlog grammar on the real captures of test/fixtures/varnishlog/
 * (every release and grouping): each line the 503 doctor reads as a
 * transaction header or a record is highlighted as one, and the line of
 * every error record (the ones that explain a 503) is marked invalid.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCapture } from '../../server/src/varnishlog/read.js';
import { projectRoot } from '../conformance/corpus.js';
import { tokenize } from './textmate.js';

const FIXTURES = join(projectRoot, 'test/fixtures/varnishlog');
const ERROR_TAGS = new Set(['FetchError', 'BogoHeader', 'HttpGarbage', 'VCL_Error', 'Error', 'LostHeader']);

describe('varnishlog grammar on real captures', () => {
  for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.varnishlog')).sort()) {
    it(file, async () => {
      const text = readFileSync(join(FIXTURES, file), 'utf8');
      const lines = await tokenize('source.varnishlog', text);
      const capture = readCapture(text);
      const records = capture.transactions.flatMap((tx) => tx.records);
      assert.ok(records.length > 0);
      for (const r of records) {
        const tokens = lines[r.line]!;
        const tag = tokens.find((t) => t.text === r.tag);
        assert.ok(tag?.scopes.some((s) => s.startsWith('keyword.other.tag.')), `${file}:${r.line + 1}: tag ${r.tag} not highlighted`);
        if (ERROR_TAGS.has(r.tag) && r.data !== '') {
          assert.ok(tokens.some((t) => t.scopes.includes('invalid.illegal.error.varnishlog')), `${file}:${r.line + 1}: error payload not marked`);
        }
      }
      for (const tx of capture.transactions.filter((t) => t.level > 0 && t.vxid !== undefined)) {
        const header = lines[tx.line]!;
        if (!header.some((t) => t.scopes.includes('markup.heading.transaction.varnishlog'))) continue; // a record without its header
        assert.ok(header.some((t) => t.text === String(tx.vxid) && t.scopes.includes('constant.numeric.vxid.varnishlog')), `${file}:${tx.line + 1}`);
      }
    });
  }
});
