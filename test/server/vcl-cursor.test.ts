/** Where a cursor stands, read from the tokens before it: one line per case, `⟨c⟩` marks the cursor. */
import assert from 'node:assert/strict';
import { cursorContext } from '../../server/src/service/vcl-cursor.js';
import { withCursors } from '../helpers/cursors.js';

/** text -> block kind, declaration, statement so far (token images), word, inert, fieldDot. */
const CASES: Array<[string, string]> = [
  ['⟨c⟩', 'top||| '],
  ['vcl 4.1;\nsub vcl_recv {\n    set req.ur⟨c⟩', 'sub|vcl_recv|set|req.ur '],
  ['sub vcl_recv {\n    if (req.url) {\n        return (⟨c⟩', 'sub|vcl_recv|return (| '],
  ['sub vcl_recv { }\nsub ⟨c⟩', 'top||sub| '],
  ['backend b {\n    .⟨c⟩', 'backend|b||  field'],
  ['backend b {\n    .probe = {\n        .ur⟨c⟩', 'probe|b||ur  field'],
  ['backend b {\n    .probe = {\n        .url = "/";\n    }\n    .⟨c⟩', 'backend|b||  field'],
  ['probe p {\n    .url = "/";\n    .⟨c⟩', 'probe|p||  field'],
  ['acl a {\n    ⟨c⟩', 'acl|a|| '],
  ['sub s {\n    # set ⟨c⟩', 'sub|s|| inert'],
  ['sub s {\n    /* set ⟨c⟩', 'sub|s|| inert'],
  ['sub s {\n    /* x */ set ⟨c⟩', 'sub|s|set| '],
  ['sub s {\n    set req.http.x = "a b⟨c⟩', 'sub|s|set req.http.x = "a |b inert'],
  ['sub s {\n    set req.http.x = {"a\n b ⟨c⟩', 'sub|s|set req.http.x = {"a\n b | inert'],
  ['sub s {\n    set req.http.x = "a";\n    std.log(std.toupper(req.url), ⟨c⟩', 'sub|s|std.log ( std.toupper ( req.url ) ,| '],
  ['sub s {\n    call x;\n}\n⟨c⟩', 'top||| '],
];

describe('cursor context', () => {
  for (const [marked, expected] of CASES) {
    it(JSON.stringify(marked), () => {
      const { text, at } = withCursors(marked);
      const c = cursorContext(text, at('c'));
      const got = `${c.block}|${c.declaration ?? ''}|${c.statement.map((t) => t.image).join(' ')}|${c.word.text} ${c.inert ? 'inert' : ''}${c.fieldDot ? ' field' : ''}`.trimEnd();
      assert.equal(got, expected.trimEnd());
      assert.equal(c.word.end, at('c'));
    });
  }
});
