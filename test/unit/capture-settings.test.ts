/**
 * The 503 doctor back in the user's files: real captures
 * (test/fixtures/varnishlog/) read together with real parameter files
 * (test/fixtures/params-503/). A header longer than http_resp_hdr_len names
 * where the limit in force is set (or that the release's default applies)
 * and offers the fix of `resp-buffer-too-small` there, sized from the limit
 * in force and keeping the buffers inside each other; `--fix` writes it to
 * the parameter file and never to the capture.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { runCli } from '../../server/src/cli/run.js';
import { readParamsFile } from '../../server/src/params/detect.js';
import { parseBytes } from '../../server/src/params/units.js';
import { paramFact } from '../../server/src/facts/params.js';
import type { VarnishVersion } from '../../server/src/facts/versions.js';
import { Project } from '../../server/src/service/project.js';
import type { Fix, LintDiagnostic } from '../../server/src/service/types.js';
import { quickFixes, fixAll } from '../../server/src/service/code-actions.js';
import { toLspDiagnostics } from '../../server/src/service/lsp-convert.js';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { projectRoot } from '../conformance/corpus.js';
import { applyEdits } from '../helpers/apply-edits.js';

const CAPTURES = join(projectRoot, 'test/fixtures/varnishlog');
const PARAMS = join(projectRoot, 'test/fixtures/params-503');
const KB = 1024;

interface Case {
  /** The capture: all-causes.<capture>.varnishlog. */
  capture: string;
  /** The parameter file under test/fixtures/params-503/. */
  params: string;
  release: VarnishVersion;
  /** Where the capture's finding says the limit in force comes from. */
  inForce: RegExp;
  /** http_resp_hdr_len / http_resp_size / workspace_backend after the first fix, in KB. */
  fixed: [number, number, number];
}

const cases: Case[] = [
  // 4k set: twice is 8k, so the 64k floor decides; http_resp_size and workspace_backend follow.
  { capture: '7.1.request', params: 'etc/systemd/system/varnish.service.d/override.conf', release: '7.1', inForce: /`-p http_resp_hdr_len=4k` at \S+override\.conf:13\./, fixed: [64, 72, 104] },
  { capture: '7.1.raw', params: 'etc/systemd/system/varnish.service.d/override.conf', release: '7.1', inForce: /`-p http_resp_hdr_len=4k` at \S+override\.conf:13\./, fixed: [64, 72, 104] },
  // Nothing set: the release's default is in force, and the fix adds the settings.
  { capture: '7.1.vxid', params: 'etc/default/varnish', release: '7.1', inForce: /not set in \S+etc\/default\/varnish: the default 8k of Varnish 7\.1\./, fixed: [64, 72, 104] },
  // 6.5's workspace_backend default is 64k.
  { capture: '6.5.request', params: 'etc/default/varnish', release: '6.5', inForce: /the default 8k of Varnish 6\.5\./, fixed: [64, 72, 104] },
  // 64k set (over http_resp_size): twice the limit, and the head and workspace carried along.
  { capture: '7.7.request', params: 'docker/docker-compose.yml', release: '7.7', inForce: /`-p http_resp_hdr_len=64k` at \S+docker-compose\.yml:18\./, fixed: [128, 136, 168] },
];

/** A CLI-like run: the parameter file given to the project, then the capture diagnosed. */
function run(c: Pick<Case, 'capture' | 'params' | 'release'>): { capture: LintDiagnostic[]; params: LintDiagnostic[]; paramsPath: string; text: string; project: Project } {
  const paramsPath = join(PARAMS, c.params);
  const text = readFileSync(paramsPath, 'utf8');
  const project = new Project();
  project.startFiles([{ path: paramsPath, text, language: 'varnish-params' }], [], { vmodPath: [], errUnref: true, allowInlineC: false, ruleLevels: {}, varnishVersion: c.release });
  const result = project.lintVarnishlogFile(join(CAPTURES, `all-causes.${c.capture}.varnishlog`), `all-causes.${c.capture}.varnishlog`);
  assert.equal(result.kind, 'diagnostics');
  return { capture: result.diagnostics, params: project.lintFile({ path: paramsPath, language: 'varnish-params' }, text), paramsPath, text, project };
}

/** The 7.1 capture's diagnostic of `cause`, tied to the parameter file at `path` holding `text`. */
function linkedFinding(cause: string, path: string, text: string): LintDiagnostic {
  const project = new Project();
  project.startFiles([{ path, text, language: 'varnish-params' }], [], { vmodPath: [], errUnref: true, allowInlineC: false, ruleLevels: {} });
  const result = project.lintVarnishlogFile(join(CAPTURES, 'all-causes.7.1.request.varnishlog'));
  assert.equal(result.kind, 'diagnostics');
  const d = result.diagnostics.find((x) => x.rule === cause);
  assert.ok(d, cause);
  return d;
}

/** The trio a parameter file's (only) command sets or leaves at the release's defaults, in KB. */
function trio(path: string, text: string, release: VarnishVersion): number[] {
  const file = readParamsFile(path, text);
  assert.ok(file);
  return ['http_resp_hdr_len', 'http_resp_size', 'workspace_backend'].map((name) => {
    const set = [...file.commands[0]!.settings].reverse().find((s) => s.name === name);
    const bytes = set ? parseBytes(set.value) : undefined;
    if (bytes && !bytes.ok) assert.fail(`${name}=${set!.value}`);
    return (bytes?.value ?? (paramFact(name, release)?.default.value as number)) / KB;
  });
}

describe('503 doctor: from the capture to the parameter file that sets the limit', () => {
  for (const c of cases) {
    it(`${c.capture} with ${c.params}: names the setting in force and fixes it to ${c.fixed.join('k/')}k`, () => {
      const { capture, params, paramsPath, text } = run(c);
      const long = capture.find((d) => d.rule === 'resp-header-too-long');
      assert.ok(long, 'resp-header-too-long');
      assert.match(long.message, c.inForce);
      const fix: Fix | undefined = long.fixes?.[0];
      assert.ok(fix, `no fix: ${long.message}`);
      // Every edit names the parameter file, never the capture.
      assert.deepEqual([...new Set(fix.edits.map((e) => (e as { path?: string }).path))], [paramsPath]);
      const fixedText = applyEdits(text, fix.edits);
      assert.deepEqual(trio(paramsPath, fixedText, c.release), c.fixed);
      // The parameter file's own diagnostic offers the same edits (so --fix applies them there).
      const own = params.find((d) => d.rule === 'resp-buffer-too-small' && d.message.startsWith('The varnishlog capture '));
      assert.ok(own, params.map((d) => d.message).join(' | '));
      assert.deepEqual(own.fixes?.[0]?.edits, fix.edits.map(({ range, newText }) => ({ range, newText })));
      assert.match(own.message, new RegExp(`all-causes\\.${c.capture.replace('.', '\\.')}\\.varnishlog:\\d+ shows a backend header 'X-Long'`));
    });
  }

  it('leaves the other causes as they are: only those a setting controls are tied to it', () => {
    const { capture } = run(cases[0]!);
    const plain = new Project();
    const alone = plain.lintVarnishlogFile(join(CAPTURES, 'all-causes.7.1.request.varnishlog'));
    assert.equal(alone.kind, 'diagnostics');
    for (const [i, d] of capture.entries()) {
      if (['resp-header-too-long', 'resp-headers-overflow', 'resp-too-many-headers', 'storage-full', 'retries-exhausted', 'workspace-overflow'].includes(d.rule) || d.rule.endsWith('-timeout')) continue;
      assert.deepEqual(d, alone.diagnostics[i], d.rule);
    }
  });

  it('without parameter files: the finding names no file and offers no fix, and no parameter file is asked for more', () => {
    const project = new Project();
    const result = project.lintVarnishlogFile(join(CAPTURES, 'all-causes.7.1.request.varnishlog'));
    assert.equal(result.kind, 'diagnostics');
    const long = result.diagnostics.find((d) => d.rule === 'resp-header-too-long')!;
    assert.doesNotMatch(long.message, /in force/);
    assert.equal(long.fixes, undefined);
  });

  it('without a capture: the parameter file gets no finding from one', () => {
    const path = join(PARAMS, 'etc/default/varnish');
    const text = readFileSync(path, 'utf8');
    const project = new Project();
    project.startFiles([{ path, text, language: 'varnish-params' }], [], { vmodPath: [], errUnref: true, allowInlineC: false, ruleLevels: {} });
    assert.deepEqual(project.lintFile({ path, language: 'varnish-params' }, text).map((d) => d.rule), []);
  });

  it('in the editor: the quick fix edits the parameter file, the setting is related, and fix-all of the capture leaves it out', () => {
    const c = cases[0]!;
    const { capture, paramsPath } = run(c);
    const captureUri = pathToFileURL(join(CAPTURES, `all-causes.${c.capture}.varnishlog`)).href;
    const lsp = toLspDiagnostics(capture, undefined, captureUri);
    const long = lsp.filter((d) => d.code === 'resp-header-too-long');
    const actions = quickFixes(captureUri, long);
    assert.ok(actions.length >= 1);
    for (const a of actions) assert.deepEqual(Object.keys(a.edit?.changes ?? {}), [pathToFileURL(paramsPath).href]);
    const related = long[0]!.relatedInformation?.find((r) => r.location.uri === pathToFileURL(paramsPath).href);
    assert.ok(related, 'the setting in force is related information');
    assert.equal(related.location.range.start.line, 12);
    assert.equal(fixAll(captureUri, long), undefined);
  });

  it('in the editor: an open capture and an open parameter file check each other again, and closing the capture ends its need', () => {
    const paramsPath = join(PARAMS, 'etc/systemd/system/varnish.service.d/override.conf');
    const params = TextDocument.create(pathToFileURL(paramsPath).href, 'varnish-params', 1, readFileSync(paramsPath, 'utf8'));
    const capture = TextDocument.create(pathToFileURL(join(CAPTURES, 'all-causes.7.1.request.varnishlog')).href, 'varnishlog', 1, readFileSync(join(CAPTURES, 'all-causes.7.1.request.varnishlog'), 'utf8'));
    const project = new Project();
    project.update(params);
    project.update(capture);
    assert.deepEqual(project.related(capture).map((d) => d.uri), [params.uri]);
    assert.deepEqual(project.related(params).map((d) => d.uri), [capture.uri]);
    const codes = (uri: string) => project.analysis(uri)!.diagnostics().map((d) => String(d.code));
    const fromCapture = (uri: string) => project.analysis(uri)!.diagnostics().filter((d) => d.message.startsWith('The varnishlog capture '));
    // The capture is checked first (the server checks a changed document before its related ones).
    assert.ok(codes(capture.uri).includes('resp-header-too-long'));
    // A header line too long and a whole head that overflowed: two findings of resp-buffer-too-small.
    assert.deepEqual(fromCapture(params.uri).map((d) => d.code), ['resp-buffer-too-small', 'resp-buffer-too-small', 'resp-too-many-headers']);
    const long = project.analysis(capture.uri)!.diagnostics().find((d) => d.code === 'resp-header-too-long')!;
    assert.match(long.message, /`-p http_resp_hdr_len=4k` at \S+override\.conf:13\./);
    project.close(capture.uri);
    assert.deepEqual(fromCapture(params.uri), []);
  });

  it('vcl-lint --fix writes the fix to the parameter file, leaves the capture alone, and the finding is gone from the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'capture-fix-'));
    try {
      const capture = join(dir, 'failed.varnishlog');
      const params = join(dir, 'override.conf');
      copyFileSync(join(CAPTURES, 'all-causes.7.1.request.varnishlog'), capture);
      copyFileSync(join(PARAMS, 'etc/systemd/system/varnish.service.d/override.conf'), params);
      const before = readFileSync(capture, 'utf8');
      let stdout = '';
      const status = runCli(['--fix', '--format', 'json', '--varnishlog', capture, '--params', params], { stdout: (s) => (stdout += s), stderr: () => undefined });
      assert.equal(status, 1, 'the capture still holds its errors');
      assert.equal(readFileSync(capture, 'utf8'), before);
      assert.deepEqual(trio(params, readFileSync(params, 'utf8'), '7.1'), [64, 72, 104]);
      const doc = JSON.parse(stdout) as { files: Array<{ path: string; diagnostics: Array<{ rule: string }> }> };
      const file = doc.files.find((f) => basename(f.path) === 'override.conf')!;
      assert.deepEqual(file.diagnostics.map((d) => d.rule), []);
      // The capture's finding, made before the fix, still tells where the limit was.
      const log = doc.files.find((f) => basename(f.path) === 'failed.varnishlog')!;
      assert.ok(log.diagnostics.some((d) => d.rule === 'resp-header-too-long'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('too many headers: http_max_hdr where it is set, else the default', () => {
    const table: Array<{ params: string; release: VarnishVersion; inForce: RegExp; fixed: string }> = [
      // The drop-in does not set it: the fix adds -p http_max_hdr=128 to its ExecStart.
      { params: 'etc/systemd/system/varnish.service.d/override.conf', release: '7.1', inForce: /http_max_hdr in force: not set in \S+override\.conf: the default 64 of Varnish 7\.1\./, fixed: '128' },
      { params: 'docker/docker-compose.yml', release: '7.7', inForce: /the default 64 of Varnish 7\.7\./, fixed: '128' },
    ];
    for (const c of table) {
      it(`${c.params}: names it and raises it to ${c.fixed}, and --fix writes it`, () => {
        const path = join(PARAMS, c.params);
        const text = readFileSync(path, 'utf8');
        const project = new Project();
        project.startFiles([{ path, text, language: 'varnish-params' }], [], { vmodPath: [], errUnref: true, allowInlineC: false, ruleLevels: {}, varnishVersion: c.release });
        const result = project.lintVarnishlogFile(join(CAPTURES, `all-causes.${c.release}.request.varnishlog`), 'capture.varnishlog');
        assert.equal(result.kind, 'diagnostics');
        const d = result.diagnostics.find((x) => x.rule === 'resp-too-many-headers')!;
        assert.match(d.message, c.inForce);
        const fix = d.fixes?.[0];
        assert.ok(fix && !fix.manual, 'a fix --fix may apply');
        const fixed = readParamsFile(path, applyEdits(text, fix.edits));
        assert.deepEqual(fixed?.commands[0]!.settings.filter((x) => x.name === 'http_max_hdr').map((x) => x.value), [c.fixed]);
        // The parameter file's own finding, with the same edits: gone once they are applied.
        const own = project.lintFile({ path, language: 'varnish-params' }, text).find((x) => x.rule === 'resp-too-many-headers');
        assert.deepEqual(own?.fixes?.[0]?.edits, fix.edits.map(({ range, newText }) => ({ range, newText })));
        const after = project.lintFile({ path, language: 'varnish-params' }, applyEdits(text, fix.edits));
        assert.deepEqual(after.filter((x) => x.rule === 'resp-too-many-headers'), []);
      });
    }
  });

  describe('backend busy: the failing backend\'s .max_connections', () => {
    for (const capture of ['7.1.request', '6.5.request', '7.7.request', '9.0.raw']) {
      it(`${capture}: names .max_connections = 1 of backend 'busy' and offers to double it (never applied by --fix)`, () => {
        const vclPath = join(projectRoot, 'test/fixtures/capture-settings/busy.vcl');
        const project = new Project();
        project.startFiles([{ path: vclPath, text: readFileSync(vclPath, 'utf8'), language: 'vcl' }], [], { vmodPath: [], errUnref: true, allowInlineC: false, ruleLevels: {} });
        const result = project.lintVarnishlogFile(join(CAPTURES, `all-causes.${capture}.varnishlog`));
        assert.equal(result.kind, 'diagnostics');
        const busy = result.diagnostics.find((d) => d.rule === 'backend-busy');
        assert.ok(busy);
        assert.match(busy.message, /max_connections in force: `\.max_connections = 1` of backend 'busy' at \S+busy\.vcl:13\./);
        const fix = busy.fixes?.[0];
        assert.ok(fix && fix.manual === true);
        assert.deepEqual(fix.edits.map((e) => [(e as { path?: string }).path, e.newText]), [[vclPath, '2']]);
        assert.deepEqual(busy.related?.filter((r) => (r as { path?: string }).path === vclPath).map((r) => r.range.start.line), [12]);
      });
    }
  });

  it('retries exhausted: names the VCL\'s return (retry) and max_retries in force, and offers no fix', () => {
    const vclPath = join(projectRoot, 'test/fixtures/capture-settings/retries.vcl');
    const paramsPath = join(PARAMS, 'etc/default/varnish');
    const project = new Project();
    project.startFiles(
      [
        { path: vclPath, text: readFileSync(vclPath, 'utf8'), language: 'vcl' },
        { path: paramsPath, text: readFileSync(paramsPath, 'utf8'), language: 'varnish-params' },
      ],
      [],
      { vmodPath: [], errUnref: true, allowInlineC: false, ruleLevels: {} },
    );
    const result = project.lintVarnishlogFile(join(CAPTURES, 'all-causes.7.1.request.varnishlog'));
    assert.equal(result.kind, 'diagnostics');
    const retries = result.diagnostics.find((d) => d.rule === 'retries-exhausted');
    assert.ok(retries);
    assert.match(retries.message, /Retries: `return \(retry\)` at \S+retries\.vcl:12; max_retries not set in \S+etc\/default\/varnish: the default 4 of Varnish 7\.1\./);
    assert.equal(retries.fixes, undefined);
    assert.deepEqual(retries.related?.filter((r) => (r as { path?: string }).path === vclPath).map((r) => r.range.start.line), [11]);
  });

  it('workspace overflow: the workspace of the side that failed (here the client request), where it is set or its default, doubled (offered only)', () => {
    const path = join(PARAMS, 'etc/default/varnish');
    const overflowOf = (text: string): LintDiagnostic => linkedFinding('workspace-overflow', path, text);
    const settings = (text: string): string[] => readParamsFile(path, text)!.commands.flatMap((c) => c.settings.map((x) => `${x.name}=${x.value}`));
    const text = readFileSync(path, 'utf8');
    // Not set: 7.1's default, and a new setting at twice it. The fetch did not fail: workspace_backend is not named.
    const unset = overflowOf(text);
    assert.match(unset.message, /Workspace in force: workspace_client not set in \S+etc\/default\/varnish: the default 96k of Varnish 7\.1\.$/);
    assert.deepEqual(unset.fixes?.map((f) => [f.title.replace(/ in \S+$/, ''), f.manual]), [['Set workspace_client to 192k (twice the default)', true]]);
    const raised = applyEdits(text, unset.fixes![0]!.edits);
    assert.ok(settings(raised).includes('workspace_client=192k'), JSON.stringify(settings(raised)));
    // Set: the setting is named at its line and doubled in place, in its own unit.
    const set = overflowOf(raised);
    assert.match(set.message, /Workspace in force: `workspace_client=192k` at \S+etc\/default\/varnish:\d+\.$/);
    assert.deepEqual(set.fixes?.map((f) => [f.title.replace(/ in \S+$/, ''), f.edits[0]!.newText]), [['Double workspace_client to 384k', '384k']]);
    assert.ok(settings(applyEdits(raised, set.fixes![0]!.edits)).includes('workspace_client=384k'));
  });

  describe('storage full: the -s storages of the parameter files, or the default', () => {
    const storageCases: Array<{ params: string; inForce: RegExp; fixes: Array<[string, string]> }> = [
      { params: 'etc/default/varnish', inForce: /Storage in force: `-s malloc,256m` \(s0, 256M\) at \S+etc\/default\/varnish:15\./, fixes: [['Double storage s0 to 512m', '512m']] },
      {
        params: 'storage/varnish.service',
        inForce: /Storage in force: `-s big=file,\/var\/lib\/varnish\/big\.bin,10G` \(big, 10G\) at \S+varnish\.service:10; `-s malloc,512m` \(s0, 512M\) at \S+varnish\.service:11\./,
        fixes: [['Double storage big to 20G', '20G'], ['Double storage s0 to 1024m', '1024m']],
      },
      { params: 'storage/default-storage/varnish.service', inForce: /Storage in force: no -s in \S+varnish\.service: varnishd's default storage, malloc of 100M\./, fixes: [] },
    ];
    for (const c of storageCases) {
      it(`${c.params}: ${c.fixes.length ? c.fixes.map(([t]) => t).join(', ') : 'the default named, nothing to edit'} (offered only)`, () => {
        const path = join(PARAMS, c.params);
        const text = readFileSync(path, 'utf8');
        const full = linkedFinding('storage-full', path, text);
        assert.match(full.message, c.inForce);
        assert.deepEqual((full.fixes ?? []).map((f) => [f.title.replace(/ in \S+$/, ''), f.edits[0]!.newText]), c.fixes);
        for (const fix of full.fixes ?? []) {
          assert.equal(fix.manual, true);
          // The edit replaces exactly the size in the -s option, and the file still reads with the new size.
          const sized = applyEdits(text, fix.edits);
          const options = readParamsFile(path, sized)!.commands.flatMap((cmd) => cmd.options.filter((o) => o.flag === '-s').map((o) => o.value));
          assert.ok(options.some((v) => v?.endsWith(`,${fix.edits[0]!.newText}`)), JSON.stringify(options));
        }
      });
    }
  });

  describe('header block overflow: http_resp_size where it is set, else the default, with workspace_backend carried along', () => {
    const overflowCases: Array<{ capture: string; params: string; release: VarnishVersion; inForce: RegExp; fixed: [number, number, number] }> = [
      // Not set: 7.1's 32k default; twice is 64k, and 96k of workspace_backend keeps 32k beside it.
      { capture: '7.1.request', params: 'etc/default/varnish', release: '7.1', inForce: /http_resp_size in force: not set in \S+etc\/default\/varnish: the default 32k of Varnish 7\.1\./, fixed: [8, 64, 96] },
      // 6.5: workspace_backend's default is 64k, so it is raised to 96k with the head.
      { capture: '6.5.request', params: 'etc/default/varnish', release: '6.5', inForce: /the default 32k of Varnish 6\.5\./, fixed: [8, 64, 96] },
      // The compose file sets http_resp_hdr_len=64k only: the head must also hold that line, so 72k, and the workspace 104k.
      { capture: '7.7.request', params: 'docker/docker-compose.yml', release: '7.7', inForce: /not set in \S+docker-compose\.yml: the default 32k of Varnish 7\.7\./, fixed: [64, 72, 104] },
    ];
    for (const c of overflowCases) {
      it(`${c.capture} with ${c.params}: names http_resp_size in force and raises it to ${c.fixed[1]}k`, () => {
        const { capture, params, paramsPath, text, project } = run(c);
        const overflow = capture.find((d) => d.rule === 'resp-headers-overflow');
        assert.ok(overflow);
        assert.match(overflow.message, c.inForce);
        const fix = overflow.fixes?.[0];
        assert.ok(fix && !fix.manual, `no fix --fix may apply: ${overflow.message}`);
        assert.deepEqual([...new Set(fix.edits.map((e) => (e as { path?: string }).path))], [paramsPath]);
        assert.deepEqual(trio(paramsPath, applyEdits(text, fix.edits), c.release), c.fixed);
        // The parameter file's own finding offers the same edits, and is gone once they are applied.
        const own = params.find((d) => d.rule === 'resp-buffer-too-small' && d.message.startsWith('The varnishlog capture ') && d.message.includes('Raise http_resp_size '));
        assert.ok(own, params.map((d) => d.message).join(' | '));
        assert.deepEqual(own.fixes?.[0]?.edits, fix.edits.map(({ range, newText }) => ({ range, newText })));
        // The need stays sized from the file as it was read, so the fixed text ends it.
        const after = project.lintFile({ path: paramsPath, language: 'varnish-params' }, applyEdits(text, fix.edits));
        assert.deepEqual(after.filter((d) => d.message.includes('Raise http_resp_size ')).map((d) => d.message), []);
      });
    }
  });

  describe('timeouts: a set bereq timeout in the VCL, the backend attribute, else the parameter, else the default', () => {
    const vclPath = join(projectRoot, 'test/fixtures/capture-settings/timeouts.vcl');
    const vcl = readFileSync(vclPath, 'utf8');
    const bereqPath = join(projectRoot, 'test/fixtures/capture-settings/timeouts-bereq.vcl');
    const cases: Array<{ title: string; vcl: boolean | string; params?: string; rule: string; inForce: RegExp; fix?: { title: RegExp; newText: string; path: string } }> = [
      {
        title: 'first byte, set per fetch in VCL: the set statement first, the backend attribute that the log disagrees with after it',
        vcl: bereqPath,
        rule: 'first-byte-timeout',
        inForce: /first_byte_timeout in force: `set bereq\.first_byte_timeout = 1s;` at \S+timeouts-bereq\.vcl:26, which overrides the backend's and the parameter's in the fetches that run it; `\.first_byte_timeout = 30s` of backend 'timeouts' at \S+timeouts-bereq\.vcl:14 \(but the fetch gave up after 1\.0\d\ds/,
        fix: { title: /Double bereq\.first_byte_timeout to 2s/, newText: '2s', path: bereqPath },
      },
      { title: 'first byte, VCL given', vcl: true, rule: 'first-byte-timeout', inForce: /first_byte_timeout in force: `\.first_byte_timeout = 1s` of backend 'timeouts' at \S+timeouts\.vcl:13\./, fix: { title: /Double \.first_byte_timeout of backend 'timeouts' to 2s/, newText: '2s', path: vclPath } },
      { title: 'between bytes, VCL given', vcl: true, rule: 'between-bytes-timeout', inForce: /`\.between_bytes_timeout = 1s` of backend 'timeouts' at \S+timeouts\.vcl:14\./, fix: { title: /to 2s/, newText: '2s', path: vclPath } },
      { title: 'first byte, only a parameter file that does not set it: the wait in the log disagrees with the default, so no fix', vcl: false, params: 'etc/default/varnish', rule: 'first-byte-timeout', inForce: /first_byte_timeout in force: not set in \S+varnish: the default 60s of Varnish 7\.1 \(but the fetch gave up after 1\.0\d\ds: another value was in force/ },
    ];
    for (const c of cases) {
      it(c.title, () => {
        const files: Array<{ path: string; text: string; language: 'vcl' | 'varnish-params' }> = [];
        if (c.vcl) {
          const path = typeof c.vcl === 'string' ? c.vcl : vclPath;
          files.push({ path, text: readFileSync(path, 'utf8'), language: 'vcl' });
        }
        if (c.params) files.push({ path: join(PARAMS, c.params), text: readFileSync(join(PARAMS, c.params), 'utf8'), language: 'varnish-params' });
        const project = new Project();
        project.startFiles(files, [], { vmodPath: [], errUnref: true, allowInlineC: false, ruleLevels: {} });
        const result = project.lintVarnishlogFile(join(CAPTURES, 'all-causes.7.1.request.varnishlog'));
        assert.equal(result.kind, 'diagnostics');
        const d = result.diagnostics.find((x) => x.rule === c.rule);
        assert.ok(d);
        assert.match(d.message, c.inForce);
        const fix = d.fixes?.[0];
        if (!c.fix) return assert.equal(fix, undefined);
        assert.ok(fix);
        assert.match(fix.title, c.fix.title);
        // Waiting longer is a judgement: offered, never applied by --fix.
        assert.equal(fix.manual, true);
        assert.deepEqual(fix.edits.map((e) => [(e as { path?: string }).path, e.newText]), [[c.fix.path, c.fix.newText]]);
      });
    }

    it('vcl-lint --fix leaves the VCL as it is (the timeout fix is only offered)', () => {
      const dir = mkdtempSync(join(tmpdir(), 'capture-timeouts-'));
      try {
        const copy = join(dir, 'timeouts.vcl');
        copyFileSync(vclPath, copy);
        runCli(['--fix', '--varnishlog', join(CAPTURES, 'all-causes.7.1.request.varnishlog'), copy], { stdout: () => undefined, stderr: () => undefined });
        assert.equal(readFileSync(copy, 'utf8'), vcl);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
