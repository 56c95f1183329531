/** walkStatements: the order the checks see statements in, and the context they carry down. */
import assert from 'node:assert/strict';
import type * as A from '../../server/src/syntax/ast.js';
import { parse } from '../../server/src/syntax/parse.js';
import { walkStatements } from '../../server/src/syntax/walk.js';

const text = `vcl 4.1;
sub vcl_recv {
  set req.http.a = "1";
  if (req.url == "/x") {
    set req.http.b = "2";
  } elsif (req.url == "/y") {
    { unset req.http.c; }
  } else {
    return (pass);
  }
  call other;
}
`;

function body(): A.Block {
  const sub = parse(text).ast.declarations.find((d): d is A.SubDecl => d.kind === 'SubDecl');
  return sub!.body!;
}

describe('walkStatements', () => {
  it('visits statements, branches and nested blocks in source order, each branch before its body', () => {
    const seen: string[] = [];
    walkStatements(body(), undefined, (s) => {
      seen.push(s.kind);
    });
    assert.deepEqual(seen, ['SetStmt', 'IfStmt', 'IfBranch', 'Block', 'SetStmt', 'IfBranch', 'Block', 'Block', 'UnsetStmt', 'Block', 'ReturnStmt', 'CallStmt']);
  });

  it('hands down the context a node returns, keeps it when the node returns nothing, and skips on false', () => {
    const seen: string[] = [];
    walkStatements(body(), 0, (s, depth) => {
      seen.push(`${s.kind}@${depth}`);
      if (s.kind === 'IfBranch' && s.keyword === 'elsif') return false;
      return s.kind === 'Block' ? depth + 1 : undefined;
    });
    assert.deepEqual(seen, ['SetStmt@0', 'IfStmt@0', 'IfBranch@0', 'Block@0', 'SetStmt@1', 'IfBranch@0', 'Block@0', 'ReturnStmt@1', 'CallStmt@0']);
  });
});
