/** Document highlights in VCL, from the service, on test/fixtures/editor/highlights.vcl. */
import assert from 'node:assert/strict';
import { programModel } from '../helpers/program-model.js';
import { documentHighlights } from '../../server/src/service/vcl-highlights.js';
import { readMarked } from '../helpers/cursors.js';

/** cursor -> each occurrence as `line:text:kind` (lines 0-based). */
const CASES: Array<{ cursor: string; expect: string[] }> = [
  { cursor: 'header-set', expect: ['8:req.http.X-A:write', '9:req.http.x-a:read', '10:req.http.X-A:write', '13:req.http.X-A:read'] },
  { cursor: 'header-read', expect: ['8:req.http.X-A:write', '9:req.http.x-a:read', '10:req.http.X-A:write', '13:req.http.X-A:read'] },
  { cursor: 'backend', expect: ['3:app:write', '12:app:read'] },
  { cursor: 'vmod', expect: ['1:std:write', '14:std:read'] },
  { cursor: 'nothing', expect: [] },
];

describe('VCL document highlights (service)', () => {
  const { text, at } = readMarked('editor/highlights.vcl');
  const program = programModel(text, {});
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length - 1;
  for (const c of CASES) {
    it(c.cursor, () => {
      const got = documentHighlights(program.model, program.selfId, at(c.cursor)).map((h) => `${lineOf(h.start)}:${text.slice(h.start, h.end)}:${h.kind}`);
      assert.deepEqual(got, c.expect);
    });
  }
});
