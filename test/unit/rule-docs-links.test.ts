/**
 * How diagnostics find their rule's page: the docs/rules folder next to the
 * program file, file: URIs only for pages that exist, and no link at all
 * when the folder is not installed.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findRuleDocsDir, ruleDocUris } from '../../server/src/service/rule-docs.js';
import { toLspDiagnostic } from '../../server/src/service/lsp-convert.js';
import type { LintDiagnostic } from '../../server/src/service/types.js';

const diagnostic = (rule: string): LintDiagnostic => ({
  rule,
  severity: 'warning',
  message: 'm',
  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
});

describe('rule page links', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'vcl-rule-docs-'));
    mkdirSync(join(root, 'pkg/docs/rules'), { recursive: true });
    mkdirSync(join(root, 'pkg/dist'));
    mkdirSync(join(root, 'pkg/out/server/src'), { recursive: true });
    mkdirSync(join(root, 'bare/dist'), { recursive: true });
    writeFileSync(join(root, 'pkg/docs/rules/syntax.md'), '# `syntax`\n');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('finds docs/rules beside dist/ and above out/server/src/', () => {
    assert.equal(findRuleDocsDir(join(root, 'pkg/dist/server.cjs')), join(root, 'pkg/docs/rules'));
    assert.equal(findRuleDocsDir(join(root, 'pkg/out/server/src/server.js')), join(root, 'pkg/docs/rules'));
  });

  it('links only pages that exist', () => {
    const uri = ruleDocUris(findRuleDocsDir(join(root, 'pkg/dist/server.cjs')));
    assert.equal(uri('syntax'), pathToFileURL(join(root, 'pkg/docs/rules/syntax.md')).href);
    assert.equal(uri('no-such-rule'), undefined);
    assert.deepEqual(toLspDiagnostic(diagnostic('syntax'), uri).codeDescription, { href: uri('syntax') });
    assert.equal('codeDescription' in toLspDiagnostic(diagnostic('no-such-rule'), uri), false);
  });

  it('gives no link when no pages are installed', () => {
    const dir = findRuleDocsDir(join(root, 'bare/dist/server.cjs'));
    assert.equal(dir, undefined);
    assert.equal('codeDescription' in toLspDiagnostic(diagnostic('syntax'), ruleDocUris(dir)), false);
    assert.equal(ruleDocUris(join(root, 'missing'))('syntax'), undefined);
  });
});
