/**
 * The editor behaviour the language configurations promise: comment tokens,
 * brackets, auto-closing of `{"` to `"}`, indentation after `{`, and words
 * that keep `req.http.X-Forwarded-For` whole. Patterns are applied the way
 * VS Code applies them (word at a cursor, indentation rules per line).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../conformance/corpus.js';

interface LanguageConfiguration {
  comments?: { lineComment?: string; blockComment?: [string, string] };
  brackets?: [string, string][];
  autoClosingPairs?: { open: string; close: string; notIn?: string[] }[];
  surroundingPairs?: [string, string][];
  folding?: { markers?: { start: string; end: string } };
  indentationRules?: { increaseIndentPattern: string; decreaseIndentPattern: string };
  wordPattern?: string;
}

interface Manifest {
  contributes: { languages: { id: string; configuration: string }[] };
}

const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as Manifest;

function configurationOf(languageId: string): LanguageConfiguration {
  const language = manifest.contributes.languages.find((l) => l.id === languageId);
  assert.ok(language, `package.json contributes no language ${languageId}`);
  const path = join(projectRoot, language.configuration);
  assert.ok(existsSync(path), `${language.configuration} is missing`);
  return JSON.parse(readFileSync(path, 'utf8')) as LanguageConfiguration;
}

/** The word VS Code selects at the `|` in `marked` (as getWordAtText does: the match that spans the cursor). */
function wordAt(config: LanguageConfiguration, marked: string): string | undefined {
  const offset = marked.indexOf('|');
  const text = marked.replace('|', '');
  const pattern = new RegExp(config.wordPattern ?? '', 'g');
  for (const m of text.matchAll(pattern)) {
    if (m.index <= offset && offset <= m.index + m[0].length && m[0].length > 0) return m[0];
  }
  return undefined;
}

describe('language-configuration.json (VCL)', () => {
  const config = configurationOf('vcl');

  it('comments with # and /* */', () => {
    assert.equal(config.comments?.lineComment, '#');
    assert.deepEqual(config.comments?.blockComment, ['/*', '*/']);
  });

  it('pairs braces and parentheses, and closes {" with "} outside strings and comments', () => {
    assert.deepEqual(config.brackets, [['{', '}'], ['(', ')']]);
    const pairs = new Map((config.autoClosingPairs ?? []).map((p) => [p.open, p]));
    assert.equal(pairs.get('{')?.close, '}');
    assert.equal(pairs.get('(')?.close, ')');
    assert.equal(pairs.get('{"')?.close, '"}');
    assert.deepEqual(pairs.get('{"')?.notIn, ['string', 'comment']);
    assert.deepEqual(pairs.get('"')?.notIn, ['string', 'comment']);
    assert.deepEqual(config.surroundingPairs, [['{', '}'], ['(', ')'], ['"', '"']]);
  });

  const words: [string, string][] = [
    ['set req.http.X-Forwarded-|For = client.ip;', 'req.http.X-Forwarded-For'],
    ['set r|eq.http.X-Forwarded-For = client.ip;', 'req.http.X-Forwarded-For'],
    ['set req.http.X-Forwarded-For = client.i|p;', 'client.ip'],
    ['set beresp.ttl = 1|0s;', '10s'],
    ['set beresp.grace = 1.|5m;', '1.5m'],
    ['if (std.tolow|er(req.url)) {', 'std.tolower'],
    ['call normalize-|host;', 'normalize-host'],
    ['set req.backend_hint = web-1|0;', 'web-10'],
    ['sub vcl_re|cv {', 'vcl_recv'],
  ];
  for (const [marked, word] of words) {
    it(`takes "${word}" as the word at ${marked}`, () => {
      assert.equal(wordAt(config, marked), word);
    });
  }

  const increase: [string, boolean][] = [
    ['sub vcl_recv {', true],
    ['  if (req.url ~ "^/admin") {', true],
    ['  } else {', true],
    ['backend web { # the main one', true],
    ['  .probe = {', true],
    ['  set req.http.X = {"', false],
    ['  set req.http.X = "{";', false],
    ['  # a comment that ends with {', false],
    ['  return (pass);', false],
  ];
  for (const [line, expected] of increase) {
    it(`${expected ? 'indents' : 'does not indent'} after ${line.trim()}`, () => {
      assert.equal(new RegExp(config.indentationRules!.increaseIndentPattern).test(line), expected);
    });
  }
  const decrease: [string, boolean][] = [['}', true], ['  } else {', true], ['  }', true], ['  "}', false], ['  set x = 1;', false]];
  for (const [line, expected] of decrease) {
    it(`${expected ? 'outdents' : 'does not outdent'} ${line.trim()}`, () => {
      assert.equal(new RegExp(config.indentationRules!.decreaseIndentPattern).test(line), expected);
    });
  }

  it('folds # region ... # endregion', () => {
    const start = new RegExp(config.folding!.markers!.start);
    const end = new RegExp(config.folding!.markers!.end);
    assert.ok(start.test('# region backends') && start.test('  // #region') && !start.test('# endregion'));
    assert.ok(end.test('# endregion') && end.test('// #endregion') && !end.test('# region'));
  });
});

describe('language-configuration-params.json (parameter files)', () => {
  const config = configurationOf('varnish-params');

  it('comments with #, and closes quotes and brackets', () => {
    assert.equal(config.comments?.lineComment, '#');
    const closes = new Map((config.autoClosingPairs ?? []).map((p) => [p.open, p.close]));
    for (const [open, close] of [['"', '"'], ["'", "'"], ['[', ']'], ['{', '}'], ['(', ')']]) assert.equal(closes.get(open), close, open);
  });

  const words: [string, string][] = [
    ['DAEMON_OPTS="-p http_resp_|hdr_len=64k"', 'http_resp_hdr_len'],
    ['DAEMON_OPTS="-p http_resp_hdr_len=6|4k"', '64k'],
    ['param.s|et workspace_backend 128k', 'param.set'],
    ['ExecStart=/usr/sbin/varnishd -a :6081 -p thread_pool|_min=50', 'thread_pool_min'],
  ];
  for (const [marked, word] of words) {
    it(`takes "${word}" as the word at ${marked}`, () => {
      assert.equal(wordAt(config, marked), word);
    });
  }
});
