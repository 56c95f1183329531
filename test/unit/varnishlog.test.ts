/**
 * The 503 doctor on captures that real Varnish releases wrote
 * (test/fixtures/varnishlog/all-causes.<release>.<grouping>.varnishlog, made
 * by test/live/varnishlog-doctor.test.ts with VARNISHLOG_SAVE_CAPTURES=DIR:
 * one request per cause, then the whole log in each grouping): every
 * capture names every cause once, every grouping of one run gives the same
 * findings, repeated failures sum up into one finding, spoiled captures
 * never throw; and the CLI on files that are not captures (binary,
 * missing, garbage).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../server/src/cli/run.js';
import { parseArgs } from '../../server/src/cli/args.js';
import { diagnoseVarnishlog, isVarnishlogCapture, VarnishlogDiagnosis } from '../../server/src/service/varnishlog.js';
import { CAUSE_IDS } from '../../server/src/varnishlog/causes.js';
import { classifyCapture } from '../../server/src/varnishlog/classify.js';
import { readCapture, tagOfLine } from '../../server/src/varnishlog/read.js';
import { tagInfo } from '../../server/src/varnishlog/tags.js';
import { projectRoot } from '../conformance/corpus.js';
import { prng } from '../helpers/prng.js';

const FIXTURES = join(projectRoot, 'test/fixtures/varnishlog');
/** The captures, as [release, grouping] (7.1 has every grouping; the other releases `request` and `raw`). */
const CAPTURES = readdirSync(FIXTURES)
  .map((f) => /^all-causes\.(\d+\.\d+)\.([a-z-]+)\.varnishlog$/.exec(f))
  .filter((m): m is RegExpExecArray => m !== null)
  .map((m) => [m[1]!, m[2]!] as const);
const GROUPINGS = ['raw', 'vxid', 'request', 'session', 'request-verbose'] as const;
/** A capture of `release` (7.1 by default) in `grouping`. */
const capture = (grouping: string, release = '7.1'): string => readFileSync(join(FIXTURES, `all-causes.${release}.${grouping}.varnishlog`), 'utf8');

/** The causes the live run provoked, one request each (see test/live/varnishlog-doctor.test.ts). */
const PROVOKED = CAUSE_IDS.filter((id) => id !== 'unknown-cause');

/** Runs the CLI in-process; returns its status and output. */
function cli(argv: string[]): { status: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const status = runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { status, stdout, stderr };
}

interface JsonDoc {
  files: Array<{ path: string; language: string; diagnostics: Array<{ rule: string; severity: string; message: string; range: { start: { line: number } }; related?: Array<{ range: { start: { line: number } } }> }> }>;
}

describe('varnishlog doctor: captures of Varnish 6.5, 7.1, 7.7 and Vinyl Cache 9.0', () => {
  it('has captures of every checked release, and every grouping of 7.1', () => {
    assert.deepEqual([...new Set(CAPTURES.map(([release]) => release))].sort(), ['6.5', '7.1', '7.7', '9.0']);
    assert.deepEqual(CAPTURES.filter(([release]) => release === '7.1').map(([, g]) => g).sort(), [...GROUPINGS].sort());
  });

  for (const [release, grouping] of CAPTURES) {
    it(`${release} ${grouping}: names every provoked cause once`, () => {
      const findings = classifyCapture(readCapture(capture(grouping, release)));
      assert.deepEqual(findings.map((f) => f.cause), PROVOKED);
      assert.ok(findings.every((f) => f.count === 1));
    });
  }

  it('gives the same findings, facts and evidence texts whatever the grouping', () => {
    const summary = (grouping: string, release: string) =>
      classifyCapture(readCapture(capture(grouping, release))).map((f) => ({ cause: f.cause, vxid: f.first.vxid, backends: f.backends, headers: f.headers, urls: f.urls, evidence: f.evidence.map((e) => e.text) }));
    for (const release of new Set(CAPTURES.map(([r]) => r))) {
      const request = summary('request', release);
      for (const [r, grouping] of CAPTURES) if (r === release) assert.deepEqual(summary(grouping, r), request, `${release} ${grouping}`);
    }
  });

  it('a backend that resets while a passed request body is sent: backend-write-error, not the req.body read error logged first', () => {
    // Captured from varnishd 7.1 with `curl -X POST --data-binary @16MB` and a backend that resets once the head is in.
    const text = readFileSync(join(FIXTURES, 'backend-write-error.passed-body.7.1.request.varnishlog'), 'utf8');
    assert.match(text, /FetchError +req\.body read error[^\n]*\n[^\n]*FetchError +backend write error/);
    const findings = classifyCapture(readCapture(text));
    assert.deepEqual(findings.map((f) => f.cause), ['backend-write-error']);
    // 7.1 cuts the close reason short in this record, as it was logged.
    assert.deepEqual(findings[0]!.evidence.map((e) => e.text), ['FetchError backend write error: 104 (Connection reset by peer) (Error transaction']);
  });

  it('reads what changed between releases: the end-of-input text, the close reasons', () => {
    const evidence = (release: string, cause: string) => classifyCapture(readCapture(capture('request', release))).find((f) => f.cause === cause)!.evidence.map((e) => e.text);
    assert.deepEqual(evidence('7.1', 'backend-closed-early'), ['FetchError HTC eof (-1)']);
    assert.deepEqual(evidence('9.0', 'backend-closed-early'), ['FetchError HTC eof (Unexpected end of input)']);
    assert.match(evidence('7.1', 'resp-headers-overflow').join('\n'), /close Received buffer overflow/);
    assert.match(evidence('7.7', 'resp-headers-overflow').join('\n'), /close RX_OVERFLOW/);
  });

  it('quotes the lines that prove each cause, with the numbers the log gives', () => {
    const text = capture('request');
    const lines = text.split('\n');
    const byCause = new Map(classifyCapture(readCapture(text)).map((f) => [f.cause, f]));
    const tooLong = byCause.get('resp-header-too-long')!;
    assert.deepEqual(tooLong.headers, ['X-Long']);
    assert.deepEqual(tooLong.backends, ['default']);
    assert.match(tooLong.evidence[0]!.text, /^BogoHeader Header too long: X-Long: a+$/);
    assert.equal(lines[tooLong.evidence[0]!.line]!.replace(/^-+\s+(\S+)\s+/, '$1 ').trimEnd(), tooLong.evidence[0]!.text);
    assert.deepEqual(byCause.get('backend-connect-failed')!.backends, ['dead']);
    assert.deepEqual(byCause.get('backend-busy')!.backends, ['busy']);
    const fbt = byCause.get('first-byte-timeout')!;
    assert.ok(fbt.waited !== undefined && fbt.waited >= 1 && fbt.waited < 2, `waited ${fbt.waited}`);
    assert.match(byCause.get('client-rate-limited-5xx')!.details.join(), /Rate limit exceeded/);
  });

  it('sums up repeated failures: one finding per cause, with the count and the first and last transaction', () => {
    const text = capture('request');
    const twice = `${text}\n${text}`;
    const findings = classifyCapture(readCapture(twice));
    assert.deepEqual(findings.map((f) => f.cause), PROVOKED);
    for (const f of findings) {
      assert.equal(f.count, 2, f.cause);
      assert.ok(f.last.line > f.first.line, f.cause);
      assert.ok(f.lastEvidence, f.cause);
    }
    const diagnostics = diagnoseVarnishlog(twice);
    assert.equal(diagnostics.length, PROVOKED.length);
    assert.match(diagnostics[0]!.message, /2 times \(transaction \d+ to \d+\)/);
  });

  it('names the missing fetch when a capture has only client requests (-g vxid filtered on RespStatus)', () => {
    // Keep the client requests of the vxid capture only, as `-q 'RespStatus == 503'` would.
    const blocks = capture('vxid').split(/\n(?=\*)/).filter((b) => /<< Request/.test(b) && /RespStatus\s+503/.test(b));
    const findings = classifyCapture(readCapture(blocks.join('\n')));
    const unknown = findings.find((f) => f.cause === 'unknown-cause');
    assert.ok(unknown, findings.map((f) => f.cause).join());
    assert.match(unknown.details.join(), /not in the capture/);
    // What the client side alone proves is still named.
    assert.ok(findings.some((f) => f.cause === 'vcl-failure'));
    assert.ok(findings.some((f) => f.cause === 'client-rate-limited-5xx'));
  });

  it('finds nothing in the transactions that succeeded', () => {
    // The groups of the run whose client got a 200 (the busy backend's first request, among others).
    for (const release of new Set(CAPTURES.map(([r]) => r))) {
      const ok = capture('request', release).split(/\n\n+/).filter((g) => /RespStatus\s+200\b/.test(g) && !/RespStatus\s+5\d\d/.test(g));
      assert.ok(ok.length > 0, release);
      const text = ok.join('\n\n');
      assert.ok(readCapture(text).transactions.length >= ok.length);
      assert.deepEqual(diagnoseVarnishlog(text), [], release);
    }
  });

  it('recognises a capture by its content and by its name, and nothing else', () => {
    for (const grouping of GROUPINGS) assert.ok(isVarnishlogCapture('capture.txt', capture(grouping)), grouping);
    assert.ok(isVarnishlogCapture('x.varnishlog'));
    assert.ok(isVarnishlogCapture('x.vsl.txt'));
    assert.ok(!isVarnishlogCapture('notes.txt', '- a list\n- of things\n- in markdown\n'));
    for (const other of ['good.vcl', 'varnish.params']) assert.ok(!isVarnishlogCapture(other, readFileSync(join(projectRoot, 'examples', other), 'utf8')), other);
  });

  it('reads real captures cut, mixed and spoiled at random without throwing', () => {
    const random = prng(1303);
    const texts = CAPTURES.map(([release, grouping]) => capture(grouping, release));
    const known = new Set([...CAUSE_IDS, 'input']);
    for (let i = 0; i < 300; i++) {
      const base = texts[i % texts.length]!;
      let text = base;
      switch (i % 5) {
        case 0:
          text = base.slice(0, Math.floor(random() * base.length));
          break;
        case 1:
          text = base.slice(Math.floor(random() * base.length));
          break;
        case 2:
          text = base.split('\n').filter(() => random() > 0.3).join('\n');
          break;
        case 3: {
          const bytes = Buffer.from(base.slice(0, 20000));
          for (let k = 0; k < 200; k++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
          text = bytes.toString('latin1');
          break;
        }
        default:
          text = base.split('\n').sort(() => random() - 0.5).join('\r');
      }
      const lineCount = text.split(/\r\n|\r|\n/).length;
      for (const d of diagnoseVarnishlog(text)) {
        assert.ok(known.has(d.rule), d.rule);
        assert.ok(d.range.start.line < lineCount);
      }
    }
  });

  it('has a hover text for every tag the real captures hold, and finds each tag on its line in every layout', () => {
    for (const [release, grouping] of CAPTURES) {
      const text = capture(grouping, release);
      const lines = text.split('\n');
      for (const tx of readCapture(text).transactions) {
        for (const r of tx.records) {
          assert.ok(tagInfo(r.tag), `${release} ${grouping}: no hover text for ${r.tag}`);
          const at = tagOfLine(lines[r.line]!);
          assert.equal(at?.tag, r.tag);
          assert.equal(lines[r.line]!.slice(at!.start, at!.start + r.tag.length), r.tag);
        }
      }
    }
    assert.equal(tagInfo('toString'), undefined);
    assert.equal(tagOfLine('*   << Request  >> 2'), undefined);
  });

  it('gives the same diagnostics when the capture arrives in pieces cut anywhere, CRLF split included', () => {
    const random = prng(2404);
    for (const [release, grouping] of CAPTURES) {
      for (const text of [capture(grouping, release), capture(grouping, release).replace(/\n/g, '\r\n')]) {
        const whole = diagnoseVarnishlog(text);
        const diagnosis = new VarnishlogDiagnosis();
        for (let at = 0; at < text.length; ) {
          // Mostly short pieces, so that many cuts fall inside lines and between \r and \n.
          const next = Math.min(text.length, at + 1 + Math.floor(random() * 300));
          diagnosis.write(text.slice(at, next));
          at = next;
        }
        assert.deepEqual(diagnosis.finish(), whole, `${release} ${grouping}`);
      }
    }
  });
});

describe('vcl-lint --varnishlog', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'varnishlog-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('diagnoses a capture: rule = cause id, language varnishlog, exit 1', () => {
    const r = cli(['--format', 'json', '--varnishlog', join(FIXTURES, 'all-causes.7.1.raw.varnishlog')]);
    assert.equal(r.status, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as JsonDoc;
    assert.equal(doc.files[0]!.language, 'varnishlog');
    assert.deepEqual(doc.files[0]!.diagnostics.map((d) => d.rule), PROVOKED);
  });

  it('gives a binary file one clear diagnostic', () => {
    const file = join(dir, 'capture.bin');
    const random = prng(7);
    writeFileSync(file, Buffer.from(Array.from({ length: 4096 }, () => Math.floor(random() * 256))));
    const r = cli(['--format', 'json', '--varnishlog', file]);
    assert.equal(r.status, 1);
    const diagnostics = (JSON.parse(r.stdout) as JsonDoc).files[0]!.diagnostics;
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.rule, 'input');
    assert.match(diagnostics[0]!.message, /binary|not valid UTF-8/);
    assert.match(diagnostics[0]!.message, /varnishlog/);
  });

  it('gives a text that is no capture one clear diagnostic', () => {
    const file = join(dir, 'garbage.varnishlog');
    writeFileSync(file, 'Hello,\nthis is a shopping list.\n- eggs\n- milk\n');
    const r = cli(['--format', 'json', '--varnishlog', file]);
    assert.equal(r.status, 1);
    const diagnostics = (JSON.parse(r.stdout) as JsonDoc).files[0]!.diagnostics;
    assert.deepEqual(diagnostics.map((d) => d.rule), ['input']);
    assert.match(diagnostics[0]!.message, /not a varnishlog capture/);
  });

  it('reports a missing file as an I/O error (exit 2)', () => {
    const r = cli(['--varnishlog', join(dir, 'missing.varnishlog')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot read .*missing\.varnishlog/);
  });

  it('takes a file for a capture by its content or its name, also in a directory', () => {
    const file = join(dir, 'pasted.txt');
    writeFileSync(file, capture('request'));
    const byContent = cli(['--format', 'json', file]);
    assert.equal((JSON.parse(byContent.stdout) as JsonDoc).files[0]!.language, 'varnishlog');
    assert.match(byContent.stderr, /read as a varnishlog capture/);
    const sub = mkdtempSync(join(dir, 'walk-'));
    writeFileSync(join(sub, 'prod.vsl.txt'), capture('vxid'));
    const walked = JSON.parse(cli(['--format', 'json', sub]).stdout) as JsonDoc;
    assert.deepEqual(walked.files.map((f) => f.language), ['varnishlog']);
    assert.deepEqual(walked.files[0]!.diagnostics.map((d) => d.rule), PROVOKED);
  });

  it('needs a value for --varnishlog, and takes it without other files', () => {
    assert.deepEqual(parseArgs(['--varnishlog']), { ok: false, error: "option '--varnishlog' needs a value" });
    const parsed = parseArgs(['--varnishlog', 'a.log', '--varnishlog=b.log']);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.options.varnishlogFiles, ['a.log', 'b.log']);
  });

  it('reads a capture larger than the 10 MB source limit a piece at a time', () => {
    // Made of one real capture repeated, each copy a blank line apart, like several dumps appended to one file.
    const one = capture('request');
    const copies = Math.ceil((12 * 1024 * 1024) / (one.length + 1));
    const file = join(dir, 'large.varnishlog');
    writeFileSync(file, Array.from({ length: copies }, () => one).join('\n'));
    const r = cli(['--format', 'json', '--varnishlog', file]);
    assert.equal(r.status, 1, r.stderr);
    const diagnostics = (JSON.parse(r.stdout) as JsonDoc).files[0]!.diagnostics;
    assert.deepEqual(diagnostics.map((d) => d.rule), PROVOKED);
    for (const d of diagnostics) assert.match(d.message, new RegExp(`: ${copies} times \\(`), d.rule);
    // The last copy's lines are reached: each finding's last transaction is in it.
    const lastCopyStart = (copies - 1) * one.split('\n').length;
    assert.ok(diagnostics.every((d) => (d.related ?? []).some((x) => x.range.start.line >= lastCopyStart)));
  });

  it('prints SARIF with the cause ids as rules', () => {
    const r = cli(['--format', 'sarif', '--varnishlog', join(FIXTURES, 'all-causes.9.0.request.varnishlog')]);
    const sarif = JSON.parse(r.stdout) as { runs: Array<{ results: Array<{ ruleId: string }> }> };
    assert.deepEqual(sarif.runs[0]!.results.map((x) => x.ruleId), PROVOKED);
  });
});
