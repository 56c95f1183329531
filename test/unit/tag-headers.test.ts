/**
 * `findTagHeaders` (analysis/tag-headers.ts) scans for `.http.` and reads
 * the words on each side. Held here to the regular expression it replaced,
 * written out below as the specification, on every fixture, the corpus and
 * generated texts built from the words that matter (case, neighbours, the
 * headers' prefixes and extensions).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { findTagHeaders } from '../../server/src/analysis/tag-headers.js';
import { loadCorpus, projectRoot } from '../conformance/corpus.js';
import { vclFilesUnder } from '../helpers/vcl-files.js';
import { corpusOrSkip } from '../helpers/corpus-or-skip.js';

const TAG_HEADERS = ['X-Magento-Tags', 'xkey', 'X-Xkey', 'Surrogate-Key', 'Cache-Tag', 'Cache-Tags', 'X-Cache-Tags', 'X-Drupal-Cache-Tags', 'X-Shopware-Cache-Tags'];
const SPEC = new RegExp(`\\b(?:beresp|resp|obj|req|bereq)\\.http\\.(${TAG_HEADERS.map((h) => h.replace(/-/g, '\\-')).join('|')})\\b(?![-\\w])`, 'gi');

/** What the regular expression finds, as findTagHeaders reports it. */
function specified(text: string): Array<{ header: string; offset: number }> {
  return [...text.matchAll(SPEC)].map((m) => ({ header: TAG_HEADERS.find((h) => h.toLowerCase() === m[1]!.toLowerCase())!, offset: m.index! + m[0].length - m[1]!.length }));
}

/** Words and pieces that a tag header's use is made of, and what stands around one. */
const PIECES = ['req', 'REQ', 'bereq', 'beresp', 'Beresp', 'resp', 'obj', 'oBj', 'xreq', 'req_', 'reqx', 'be', '.http.', '.HTTP.', '.Http.', '.http', 'http.', '.', '-', '_', ' ', '\n', '(', '"', 'é', 'K', '\u212a', 'x', '1', ...TAG_HEADERS, 'X-MAGENTO-TAGS', 'XKEY', 'Cache-Tags-', 'xkeys', 'X-Cache', 'Surrogate'];

describe('findTagHeaders', function () {
  it('finds what the regular expression finds on the fixtures', function () {
    const files = [...vclFilesUnder(join(projectRoot, 'test/fixtures')), ...vclFilesUnder(join(projectRoot, 'bench/fixtures'))];
    let hits = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const expected = specified(text);
      hits += expected.length;
      assert.deepEqual(findTagHeaders(text), expected, f);
    }
    assert.ok(hits > 0, 'the fixtures use tag headers');
  });

  it('finds what the regular expression finds on texts made of the words that matter', function () {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 24 }), (pieces) => {
        const text = pieces.join('');
        assert.deepEqual(findTagHeaders(text), specified(text), JSON.stringify(text));
      }),
      { numRuns: 20_000, seed: 1402 },
    );
  });

  describe('on the corpus', function () {
    const root = corpusOrSkip('findTagHeaders against the regular expression on the corpus');
    if (!root) return;
    it('finds what the regular expression finds in every corpus file', function () {
      for (const e of loadCorpus(root)) {
        const text = readFileSync(e.path, 'utf8');
        assert.deepEqual(findTagHeaders(text), specified(text), e.name);
      }
    });
  });
});
