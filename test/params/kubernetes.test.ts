/**
 * Kubernetes manifests: varnishd options in workloads and operator
 * resources, and VCL in ConfigMaps linted as the files the pod mounts, with
 * every position and fix mapped back into the YAML. The fixed VCL is
 * compiled by the real compilers.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { detectParamsKind, readParamsFile } from '../../server/src/params/detect.js';
import { read as readKubernetes } from '../../server/src/params/read-kubernetes.js';
import { embeddedVcl } from '../../server/src/params/embedded-vcl.js';
import { newSettingText } from '../../server/src/params/model.js';
import { manifestEdits } from '../../server/src/service/manifest-vcl.js';
import { Project } from '../../server/src/service/project.js';
import { runCli } from '../../server/src/cli/run.js';
import type { LintDiagnostic } from '../../server/src/service/types.js';
import { LineIndex } from '../../server/src/text/line-index.js';
import { CHECKED_VERSIONS } from '../../server/src/facts/versions.js';
import { applyEdits, textOf } from '../helpers/apply-edits.js';
import { compileFileWithOracleAsync, compileWithOracleAsync, oracleMissing } from '../helpers/oracles.js';
import { skipBecause } from '../helpers/skip.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const fixturePath = (name: string): string => path.join(root, 'test', 'fixtures', name.includes('/') ? '' : 'kubernetes', name);
const fixture = (name: string): string => readFileSync(fixturePath(name), 'utf8');

/**
 * Writes each VCL key of `manifest` into `dir` as a file the jailed compiler
 * can read, its text passed through `edit` first. varnishd resolves backend
 * hosts while compiling, and the cluster's names resolve only in the
 * cluster: the shop's backend becomes 127.0.0.1.
 */
function writeConfigMapKeys(manifest: string, dir: string, edit: (vcl: string) => string = (vcl) => vcl): void {
  for (const p of embeddedVcl(manifest)) {
    const file = path.join(dir, p.key);
    writeFileSync(file, edit(p.text.replace('shop.default.svc.cluster.local', '127.0.0.1')));
    chmodSync(file, 0o644);
  }
}

/** What the CLI reports for a manifest: a project run over that one file. */
function lintManifest(file: string, text: string): LintDiagnostic[] {
  const project = new Project();
  project.startFiles([{ path: file, text, language: 'varnish-params' }], [], { vmodPath: [], errUnref: true, allowInlineC: false, ruleLevels: {}, varnishVersion: '7.1' });
  return project.lintFile({ path: file, language: 'varnish-params' }, text);
}

const settingsOf = (text: string): string[][] => readKubernetes(text).commands.map((c) => c.settings.map((s) => `${s.name}=${s.value}`));

describe('Kubernetes manifests: varnishd options', () => {
  it('reads the cache container of a Deployment, not its other containers, and the image options of its env', () => {
    const text = fixture('varnish.yaml');
    const file = readParamsFile(fixturePath('varnish.yaml'), text)!;
    assert.equal(file.kind, 'kubernetes');
    assert.deepEqual(file.problems, []);
    assert.deepEqual(settingsOf(text), [['http_resp_hdr_len=64k']]);
    assert.deepEqual(file.commands[0]!.options.map((o) => `${o.flag} ${o.value ?? ''}`.trim()), ['VARNISH_HTTP_PORT 8080', '-s malloc,512m']);
  });

  it("reads a VarnishCluster's spec.varnish.args and a GatewayClassParameters' spec.varnishdExtraArgs", () => {
    assert.deepEqual(settingsOf(fixture('operators.yaml')), [['thread_pool_min=800', 'thread_pool_max=500'], ['thread_pools=4', 'workspace_client=256k']]);
  });

  const workloads: [string, string][] = [
    ['Pod', 'spec:\n  containers:\n    - name: v\n      image: varnish:7.7\n      args: [-p, a=1]\n'],
    ['StatefulSet', 'spec:\n  template:\n    spec:\n      containers:\n        - {name: v, image: "docker.io/library/varnish:7.7", args: [-p, a=1]}\n'],
    ['DaemonSet', 'spec:\n  template:\n    spec:\n      containers:\n        - name: v\n          image: my/cache:1\n          command: [/usr/sbin/varnishd, -F, -p, a=1]\n'],
    ['CronJob', 'spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: v\n              image: busybox\n              command: [sh, -c, "exec varnishd -F -p a=1"]\n'],
  ];
  for (const [kind, spec] of workloads) {
    it(`reads a ${kind}'s container`, () => {
      const text = `apiVersion: v1\nkind: ${kind}\nmetadata: {name: x}\n${spec}`;
      assert.equal(detectParamsKind('/srv/k8s/cache.yaml', text), 'kubernetes');
      assert.deepEqual(settingsOf(text), [['a=1']]);
    });
  }

  it('reads the items of a List (kubectl get -o yaml)', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: x}\n    spec:\n      containers: [{name: v, image: "varnish:7.1", args: [-p, a=1]}]\n';
    assert.deepEqual(settingsOf(text), [['a=1']]);
  });

  const created: [string, string, string][] = [
    // [what, manifest without arguments, after the insertion]
    [
      'a cache container without args',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers:\n    - name: varnish\n      image: varnish:7.1\n',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers:\n    - name: varnish\n      image: varnish:7.1\n      args: ["-p", "http_resp_hdr_len=65536"]\n',
    ],
    [
      'a VarnishCluster without args',
      'apiVersion: caching.ibm.com/v1alpha1\nkind: VarnishCluster\nmetadata: {name: c}\nspec:\n  varnish:\n    image: ibmcom/varnish:0.35.0\n  service: {port: 80}\n',
      'apiVersion: caching.ibm.com/v1alpha1\nkind: VarnishCluster\nmetadata: {name: c}\nspec:\n  varnish:\n    image: ibmcom/varnish:0.35.0\n    args: ["-p", "http_resp_hdr_len=65536"]\n  service: {port: 80}\n',
    ],
  ];
  for (const [what, text, want] of created) {
    it(`adds a setting to ${what}, in the manifest's style`, () => {
      const file = readKubernetes(text);
      assert.equal(file.commands.length, 1);
      const at = file.commands[0]!.insertAt;
      const after = text.slice(0, at.offset) + newSettingText(at, 'http_resp_hdr_len', '65536') + text.slice(at.offset);
      assert.equal(after, want);
      assert.deepEqual(settingsOf(after), [['http_resp_hdr_len=65536']]);
    });
  }

  it('is recognised by content, never by name: other YAML is nothing to the tools', () => {
    for (const name of ['not-varnish.yaml']) assert.equal(detectParamsKind(fixturePath(name), fixture(name)), undefined, name);
    const others = [
      'apiVersion: v2\nname: varnish\ndescription: A Helm chart\n', // Chart.yaml: no kind
      'server:\n  port: 8080\n  image: {repository: nginx}\n', // another chart's values
      'kind: Deployment\nspec:\n  template:\n    spec:\n      containers: [{image: varnish}]\n', // no apiVersion
      'stages: [test]\nvarnish:\n  image: varnish:7.1\n  script: [varnishd -C -f default.vcl]\n', // a CI file
    ];
    for (const text of others) assert.equal(detectParamsKind('/srv/x/values.yaml', text), undefined, text);
    const project = new Project();
    project.start({ folders: [], includePaths: [], vmodPath: [], trusted: false });
    const uri = `file://${fixturePath('not-varnish.yaml')}`;
    project.update(TextDocument.create(uri, 'yaml', 1, fixture('not-varnish.yaml')));
    assert.deepEqual(project.analysis(uri)!.diagnostics(), []);
  });
});

describe('Kubernetes manifests: VCL in ConfigMaps', () => {
  it('reads each .vcl key as the file the pod mounts; a template is named, not linted', () => {
    const parts = embeddedVcl(fixture('operators.yaml'));
    assert.deepEqual(parts.map((p) => `${p.group}: ${p.path} template=${p.template ?? 'no'} editable=${p.editable}`), ['ConfigMap vcl-files: /etc/varnish/backends.vcl.tmpl template=operator editable=true', 'ConfigMap vcl-files: /etc/varnish/entrypoint.vcl template=no editable=false']);
    // A folded block reaches varnishd as one line: what Kubernetes hands over is what is linted.
    assert.match(parts[1]!.text, /^vcl 4\.1; import directors; include "backends\.vcl"; sub vcl_recv/);
  });

  it('reports the VCL findings at their text in the manifest, includes between keys resolved', () => {
    const text = fixture('varnish.yaml');
    const found = lintManifest(fixturePath('varnish.yaml'), text);
    assert.deepEqual(
      found.map((d) => `${d.rule} ${d.range.start.line + 1}: ${textOf(text, d.range)}`),
      ['resp-buffer-too-small 61: 64k', 'return-action-removed 34: miss'],
    );
    // No include-missing: backends.vcl is the ConfigMap's other key, mounted beside default.vcl; the probe is seen.
    assert.ok(!found.some((d) => d.rule === 'include-missing' || d.rule === 'backend-probe-missing'), JSON.stringify(found));
  });

  it("a program that includes a template's output is checked alone, and only the template gets a word", () => {
    const text = fixture('operators.yaml');
    const found = lintManifest(fixturePath('operators.yaml'), text);
    assert.deepEqual(found.map((d) => `${d.rule} ${d.range.start.line + 1}: ${textOf(text, d.range)}`), [
      'param-invalid 18: 500',
      'vcl-template 36: backends.vcl.tmpl',
      // The folded block's one line, at the '}' that needs a ';' before it.
      'syntax 44: }',
    ]);
    assert.ok(found.every((d) => d.rule !== 'syntax' || !d.fixes), 'no fix is written into a folded block');
  });

  describe("where the manifest's workload mounts the ConfigMap", () => {
    /** The shop's manifest with the Deployment's mount (and arguments) changed. */
    const mounted = (mount: string, args = '["-p", "http_resp_hdr_len=64k", "-s", "malloc,512m"]', volume = 'configMap:\n            name: varnish-vcl'): string =>
      fixture('varnish.yaml')
        .replace('          volumeMounts:\n            - name: vcl\n              mountPath: /etc/varnish\n', `          volumeMounts:\n${mount}`)
        .replace('args: ["-p", "http_resp_hdr_len=64k", "-s", "malloc,512m"]', `args: ${args}`)
        .replace('configMap:\n            name: varnish-vcl', volume);
    const paths = (text: string): string[] => embeddedVcl(text).map((p) => `${p.key} ${p.path}${p.searchPath ? ` vcl_path=${p.searchPath.join(':')}` : ''}`);
    const includeMissing = (text: string): string[] => lintManifest(fixturePath('varnish.yaml'), text).filter((d) => d.rule === 'include-missing').map((d) => textOf(text, d.range));

    it('a folder other than /etc/varnish: the keys are there, and an include varnishd looks up along vcl_path (/etc/varnish) is not found, as varnishd does not find it', () => {
      const text = mounted('            - name: vcl\n              mountPath: /etc/varnish-config/\n');
      assert.deepEqual(paths(text), ['default.vcl /etc/varnish-config/default.vcl', 'backends.vcl /etc/varnish-config/backends.vcl']);
      assert.equal(includeMissing(text).length, 1);
    });

    it('found again with vcl_path set to that folder in the arguments, or with include "./backends.vcl"', () => {
      const withPath = mounted('            - name: vcl\n              mountPath: /etc/varnish-config\n', '["-p", "vcl_path=/etc/varnish-config:/usr/share/varnish/vcl", "-p", "http_resp_hdr_len=64k"]');
      assert.deepEqual(paths(withPath), ['default.vcl /etc/varnish-config/default.vcl vcl_path=/etc/varnish-config:/usr/share/varnish/vcl', 'backends.vcl /etc/varnish-config/backends.vcl vcl_path=/etc/varnish-config:/usr/share/varnish/vcl']);
      assert.deepEqual(includeMissing(withPath), []);
      const relative = mounted('            - name: vcl\n              mountPath: /etc/varnish-config\n').replace('include "backends.vcl";', 'include "./backends.vcl";');
      assert.deepEqual(includeMissing(relative), []);
    });

    it('files mounted one by one (subPath), and the items of the volume renaming a key', () => {
      const subPaths = mounted('            - name: vcl\n              mountPath: /etc/varnish/default.vcl\n              subPath: default.vcl\n            - name: vcl\n              mountPath: /etc/varnish/backends.vcl\n              subPath: backends.vcl\n');
      // The first mount of a ConfigMap decides: default.vcl by its subPath; backends.vcl is then taken to be beside it in /etc/varnish.
      assert.deepEqual(paths(subPaths), ['default.vcl /etc/varnish/default.vcl', 'backends.vcl /etc/varnish/backends.vcl']);
      assert.deepEqual(includeMissing(subPaths), []);
      const items = mounted('            - name: vcl\n              mountPath: /etc/varnish\n', undefined, 'configMap:\n            name: varnish-vcl\n            items:\n              - {key: default.vcl, path: default.vcl}\n              - {key: backends.vcl, path: conf.d/backends.vcl}');
      assert.deepEqual(paths(items), ['default.vcl /etc/varnish/default.vcl', 'backends.vcl /etc/varnish/conf.d/backends.vcl']);
      assert.equal(includeMissing(items).length, 1, 'include "backends.vcl" does not find conf.d/backends.vcl');
    });

    describe('the include fix ("./" before the name) with the real compilers: the keys in a folder off vcl_path', () => {
      const text = mounted('            - name: vcl\n              mountPath: /etc/varnish-config\n');
      const d = lintManifest(fixturePath('varnish.yaml'), text).find((x) => x.rule === 'include-missing')!;
      const fixed = applyEdits(text, d.fixes![0]!.edits);
      /** The ConfigMap's keys in a folder of their own, and an empty folder for vcl_path (what /etc/varnish is to this pod). */
      const layout = (manifest: string): { main: string; args: string[] } => {
        const dir = mkdtempSync(path.join(tmpdir(), 'vcl-mounted-'));
        for (const sub of ['', 'config', 'etc-varnish']) {
          mkdirSync(path.join(dir, sub), { recursive: true });
          chmodSync(path.join(dir, sub), 0o755);
        }
        // Without its return (miss), which Varnish 6.2 and later refuse: only the include is in question here.
        writeConfigMapKeys(manifest, path.join(dir, 'config'), (vcl) => vcl.replace('return (miss);', 'return (deliver);'));
        return { main: path.join(dir, 'config', 'default.vcl'), args: ['-p', `vcl_path=${path.join(dir, 'etc-varnish')}`] };
      };
      it('the manifest fixed has no include-missing', () => {
        assert.deepEqual(lintManifest(fixturePath('varnish.yaml'), fixed).filter((x) => x.rule === 'include-missing'), []);
        assert.match(d.message, /mounted at \/etc\/varnish-config\/backends\.vcl/);
      });
      for (const version of CHECKED_VERSIONS) {
        it(`Varnish ${version}: refused before the fix (the include is not found), accepted after`, async function () {
          const missing = oracleMissing(version);
          if (missing) skipBecause(this, missing);
          const before = layout(text);
          const after = layout(fixed);
          const [was, now] = await Promise.all([compileFileWithOracleAsync(version, before.main, before.args), compileFileWithOracleAsync(version, after.main, after.args)]);
          assert.equal(was.accepted, false, 'the original is refused');
          assert.match(was.message ?? '', /Cannot read file/i, 'for its include');
          assert.equal(now.accepted, true, `the fixed program compiles: ${now.message ?? ''}`);
        });
      }
    });

    it('a projected volume counts as its configMap sources; a ConfigMap that no workload of the file mounts stays in /etc/varnish', () => {
      const projected = mounted('            - name: vcl\n              mountPath: /srv/vcl\n', undefined, 'projected:\n            sources:\n              - configMap:\n                  name: varnish-vcl');
      assert.deepEqual(paths(projected), ['default.vcl /srv/vcl/default.vcl', 'backends.vcl /srv/vcl/backends.vcl']);
      const other = mounted('            - name: vcl\n              mountPath: /srv/vcl\n', undefined, 'configMap:\n            name: some-other-map');
      assert.deepEqual(paths(other), ['default.vcl /etc/varnish/default.vcl', 'backends.vcl /etc/varnish/backends.vcl']);
    });
  });

  it('a fix is written into the block, keeping its indentation, and the manifest reads as the fixed VCL', () => {
    const text = fixture('varnish.yaml');
    const d = lintManifest(fixturePath('varnish.yaml'), text).find((x) => x.rule === 'return-action-removed')!;
    const fixed = applyEdits(text, d.fixes![0]!.edits);
    const vcl = embeddedVcl(fixed).find((p) => p.key === 'default.vcl')!;
    assert.match(vcl.text, /^sub vcl_recv \{\n {4}if \(req\.restarts == 0\) \{$/m);
    assert.match(fixed, /^ {4}sub vcl_recv \{\n {8}if \(req\.restarts == 0\) \{$/m);
    assert.deepEqual(lintManifest(fixturePath('varnish.yaml'), fixed).map((x) => x.rule), ['resp-buffer-too-small']);
  });

  describe('a ConfigMap mounted by a workload in another file (configmap.yaml beside deployment.yaml)', () => {
    const dir = path.join(root, 'test', 'fixtures', 'kubernetes', 'split');
    const configMap = readFileSync(path.join(dir, 'configmap.yaml'), 'utf8');
    const deployment = readFileSync(path.join(dir, 'deployment.yaml'), 'utf8');
    /** The ConfigMap's findings in a project of `files` (the ConfigMap's file first). */
    const lintWith = (files: Array<{ path: string; text: string }>): LintDiagnostic[] => {
      const project = new Project();
      project.startFiles(files.map((f) => ({ ...f, language: 'varnish-params' as const })), [], { vmodPath: [], errUnref: true, allowInlineC: false, ruleLevels: {}, varnishVersion: '7.1' });
      return project.lintFile({ path: files[0]!.path, language: 'varnish-params' }, files[0]!.text);
    };
    const cm = { path: path.join(dir, 'configmap.yaml'), text: configMap };
    const missing = (found: LintDiagnostic[]): string[] => found.filter((d) => d.rule === 'include-missing').map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${/mounted at (\S+)\. /.exec(d.message)?.[1]}`);

    it("the other file's mount counts: the include is looked up where varnishd would, and not found; alone, the ConfigMap is taken to be in /etc/varnish", () => {
      assert.deepEqual(missing(lintWith([cm, { path: path.join(dir, 'deployment.yaml'), text: deployment }])), ['15:13 /etc/varnish-config/backends.vcl']);
      assert.deepEqual(missing(lintWith([cm])), []);
      // The other findings do not change with the mount.
      assert.deepEqual(lintWith([cm]).map((d) => d.rule), ['backend-probe-missing']);
    });

    it('a workload of another namespace mounts another ConfigMap of that name; one that names no namespace takes the one it is applied to', () => {
      const elsewhere = deployment.replace('namespace: shop', 'namespace: staging');
      assert.deepEqual(missing(lintWith([cm, { path: path.join(dir, 'deployment.yaml'), text: elsewhere }])), []);
      const unnamed = deployment.replace('  namespace: shop\n', '');
      assert.deepEqual(missing(lintWith([cm, { path: path.join(dir, 'deployment.yaml'), text: unnamed }])), ['15:13 /etc/varnish-config/backends.vcl']);
    });

    it('the nearest mount counts: the file itself, then its own folder, then the others in path order', () => {
      const at = (mountPath: string): string => deployment.replace('mountPath: /etc/varnish-config', `mountPath: ${mountPath}`);
      const near = { path: path.join(dir, 'deployment.yaml'), text: at('/srv/near') };
      const far = { path: path.join(root, 'aaa', 'deployment.yaml'), text: at('/srv/far') };
      assert.deepEqual(missing(lintWith([cm, far, near])), ['15:13 /srv/near/backends.vcl']);
      assert.deepEqual(missing(lintWith([cm, far])), ['15:13 /srv/far/backends.vcl']);
      // A mount in the ConfigMap's own file wins over every other file's.
      const own = { ...cm, text: `${configMap}---\n${at('/etc/varnish').replace(/^#.*\n/gm, '')}` };
      assert.deepEqual(missing(lintWith([own, near])), []);
    });

    it('the editor re-checks the open manifests when one of them changes', () => {
      const project = new Project();
      const open = (name: string, text: string): TextDocument => {
        const doc = TextDocument.create(`file://${path.join(dir, name)}`, 'yaml', 1, text);
        project.update(doc);
        return doc;
      };
      const cmDoc = open('configmap.yaml', configMap);
      const deployDoc = open('deployment.yaml', deployment);
      assert.deepEqual(project.related(deployDoc).map((d) => d.uri), [cmDoc.uri]);
      const codes = (doc: TextDocument): string[] => project.analysis(doc.uri)!.diagnostics().map((d) => String(d.code));
      assert.ok(codes(cmDoc).includes('include-missing'), codes(cmDoc).join());
      project.close(deployDoc.uri);
      assert.ok(!codes(cmDoc).includes('include-missing'), 'without the Deployment the ConfigMap is taken to be in /etc/varnish');
    });

    describe('vcl-lint --fix on the folder writes the include fix into configmap.yaml', () => {
      let work: string;
      before(() => {
        work = mkdtempSync(path.join(tmpdir(), 'vcl-split-'));
        chmodSync(work, 0o755);
        for (const name of ['configmap.yaml', 'deployment.yaml']) writeFileSync(path.join(work, name), readFileSync(path.join(dir, name)));
      });
      after(() => rmSync(work, { recursive: true, force: true }));
      const run = (args: string[]): { status: number; rules: string[] } => {
        let stdout = '';
        const status = runCli([...args, '--format', 'json', work], { stdout: (s) => (stdout += s), stderr: () => undefined });
        const report = JSON.parse(stdout) as { files: Array<{ diagnostics: Array<{ rule: string }> }> };
        return { status, rules: report.files.flatMap((f) => f.diagnostics.map((d) => d.rule)) };
      };

      it('an error before, none after; the include reads "./backends.vcl" and nothing else of the files changed', () => {
        const before = run([]);
        assert.equal(before.status, 1);
        assert.ok(before.rules.includes('include-missing'));
        run(['--fix']);
        const after = run([]);
        assert.equal(after.status, 0, after.rules.join());
        assert.ok(!after.rules.includes('include-missing'));
        assert.equal(readFileSync(path.join(work, 'configmap.yaml'), 'utf8'), configMap.replace('include "backends.vcl";', 'include "./backends.vcl";'));
        assert.equal(readFileSync(path.join(work, 'deployment.yaml'), 'utf8'), deployment);
      });

      it('Varnish 7.1 (the Deployment\'s image) refuses the keys as mounted before the fix and compiles them after', async function () {
        const missingOracle = oracleMissing('7.1');
        if (missingOracle) skipBecause(this, missingOracle);
        const compile = async (manifest: string) => {
          const folder = mkdtempSync(path.join(tmpdir(), 'vcl-split-keys-'));
          try {
            for (const sub of ['config', 'etc-varnish']) {
              mkdirSync(path.join(folder, sub));
              chmodSync(path.join(folder, sub), 0o755);
            }
            chmodSync(folder, 0o755);
            writeConfigMapKeys(manifest, path.join(folder, 'config'), (vcl) => vcl.replace('shop.shop.svc.cluster.local', '127.0.0.1'));
            return await compileFileWithOracleAsync('7.1', path.join(folder, 'config', 'default.vcl'), ['-p', `vcl_path=${path.join(folder, 'etc-varnish')}`]);
          } finally {
            rmSync(folder, { recursive: true, force: true });
          }
        };
        const was = await compile(configMap);
        const now = await compile(readFileSync(path.join(work, 'configmap.yaml'), 'utf8'));
        assert.equal(was.accepted, false);
        assert.match(was.message ?? '', /Cannot read file/i);
        assert.equal(now.accepted, true, now.message);
      });
    });
  });

  describe('the fixed VCL compiles with the real compilers', () => {
    const text = fixture('varnish.yaml');
    const d = lintManifest(fixturePath('varnish.yaml'), text).find((x) => x.rule === 'return-action-removed')!;
    const fixed = applyEdits(text, d.fixes![0]!.edits);
    /** The folders made by `mount`, removed after the last test. */
    const made: string[] = [];
    after(() => {
      for (const dir of made) rmSync(dir, { recursive: true, force: true });
    });
    /** The ConfigMap's keys in a folder the jailed compiler can read, as vcl_path. */
    const mount = (manifest: string): { main: string; args: string[] } => {
      const dir = mkdtempSync(path.join(tmpdir(), 'vcl-configmap-'));
      made.push(dir);
      chmodSync(dir, 0o755);
      writeConfigMapKeys(manifest, dir);
      return { main: embeddedVcl(manifest).find((p) => p.key === 'default.vcl')!.text, args: ['-p', `vcl_path=${dir}`] };
    };
    for (const version of CHECKED_VERSIONS) {
      it(`Varnish ${version}: refused before the fix, accepted after`, async function () {
        const missing = oracleMissing(version);
        if (missing) skipBecause(this, missing);
        const before = mount(text);
        const after = mount(fixed);
        const [was, now] = await Promise.all([compileWithOracleAsync(version, before.main, before.args), compileWithOracleAsync(version, after.main, after.args)]);
        assert.equal(was.accepted, false, 'the original is refused');
        assert.match(was.message ?? '', /return action|miss/i, 'for its return (miss)');
        assert.equal(now.accepted, true, `the fixed program compiles: ${now.message ?? ''}`);
      });
    }
  });

  /** A literal block holding `vcl` at `indent`, with `chomp` (`|`, `|-`, `|+`) and line breaks `eol`. */
  const manifest = (vcl: string, indent: string, chomp: string, eol: string): string => {
    const body = vcl.split('\n').map((l) => (l === '' ? '' : indent + l)).join(eol);
    return ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: m}', 'data:', `  default.vcl: ${chomp}`, body, `  other.conf: x`, ''].join(eol);
  };

  it('any edit of a literal block is written into the manifest so that it reads as the edited VCL, or not at all', () => {
    const line = fc.stringMatching(/^[a-z{};( ]{0,12}$/);
    const text = fc.array(line, { minLength: 1, maxLength: 8 }).map((ls) => `${ls.join('\n')}\n`).filter((t) => /^[^\s]/.test(t));
    const newText = fc.array(fc.stringMatching(/^[a-z;{} ]{0,6}$/), { minLength: 1, maxLength: 3 }).map((ls) => ls.join('\n'));
    let written = 0;
    let runs = 0;
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), newText, fc.constantFrom('  ', '    ', '      '), fc.constantFrom('\n', '\r\n'), fc.constantFrom('|', '|-', '|+'), (vcl, x, y, insert, indent, eol, chomp) => {
        const yaml = manifest(vcl, indent, chomp, eol);
        const parts = embeddedVcl(yaml);
        const part = parts[0]!;
        fc.pre(part !== undefined && part.editable && part.text.replace(/\n+$/, '') === vcl.replace(/\n+$/, ''));
        runs++;
        const a = x % (part.text.length + 1);
        const b = a + (y % (part.text.length - a + 1));
        const edits = manifestEdits(yaml, new LineIndex(yaml), parts, new Map([[part, [{ start: a, end: b, newText: insert }]]]));
        const want = part.text.slice(0, a) + insert + part.text.slice(b);
        // What YAML cannot say in this block as it stands (a first line that starts with a blank) is left out.
        const plain = /^[^\s]/.test(want);
        if (!edits) {
          assert.ok(!plain || !/[^\s]/.test(want), `a plain edit is written: ${JSON.stringify({ vcl, a, b, insert })}`);
          return;
        }
        written++;
        const edited = applyEdits(yaml, edits);
        const after = embeddedVcl(edited)[0];
        // YAML's chomping decides the final line breaks: compare what varnishd reads, up to them.
        assert.equal(after?.text.replace(/\n+$/, ''), want.replace(/\n+$/, ''), JSON.stringify({ vcl, a, b, insert, edits }));
        assert.ok(edited.includes(`${eol}  other.conf: x${eol}`), 'the next key is untouched');
      }),
      { numRuns: 500 },
    );
    assert.ok(written > runs / 2, `most edits are written (${written} of ${runs})`);
  });
});

describe('Helm charts', () => {
  it("reads a values file's server.extraArgs, and its VCL values as the files the chart mounts", () => {
    const text = fixture('helm/values.yaml');
    const file = readParamsFile(fixturePath('helm/values.yaml'), text)!;
    assert.equal(file.kind, 'helm-values');
    assert.deepEqual(file.commands.map((c) => c.settings.map((s) => `${s.name}=${s.value}`)), [['thread_pool_min=800', 'thread_pool_max=500']]);
    assert.deepEqual(
      embeddedVcl(text).map((p) => `${p.key} at ${p.path}${p.template ? ` (${p.template} template)` : ''}`),
      ['vclConfig at /etc/varnish/default.vcl', 'backends.vcl at /etc/varnish/backends.vcl', 'tenant.vcl at /etc/varnish/tenant.vcl (helm template)'],
    );
    const found = lintManifest(fixturePath('helm/values.yaml'), text);
    assert.deepEqual(found.map((d) => `${d.rule} ${d.range.start.line + 1}: ${textOf(text, d.range)}`).sort(), [
      'param-invalid 7: 500',
      'variable-access 15: beresp.ttl',
      'vcl-template 24: tenant.vcl',
    ]);
  });

  it("reads the chart's thread values as the -p settings it writes for them, before extraArgs, and server.args alone when set", () => {
    const img = '  image: {repository: docker.io/varnish}\n';
    const settings = (text: string): string[] => readParamsFile('/srv/chart/values.yaml', text)!.commands.flatMap((c) => c.settings.map((x) => `${x.name}=${x.value}`));
    const text = `server:\n  minThreads: 800\n  extraArgs: ["-p", "thread_pool_max=500"]\n${img}`;
    assert.deepEqual(settings(text), ['thread_pool_min=800', 'thread_pool_max=500']);
    // varnishd reads them in that order: the maximum below the minimum is refused, at the extra argument.
    const found = lintManifest('/srv/chart/values.yaml', text);
    assert.deepEqual(found.map((d) => `${d.rule}: ${textOf(text, d.range)}`), ['param-invalid: 500']);
    // A value is edited where it is written.
    const both = `server:\n  minThreads: 800\n  maxThreads: 500\n${img}`;
    const d = lintManifest('/srv/chart/values.yaml', both).find((x) => x.rule === 'param-invalid')!;
    assert.equal(textOf(both, d.range), '500');
    assert.deepEqual(settings(applyEdits(both, d.fixes![0]!.edits)), ['thread_pool_min=800', 'thread_pool_max=800']);
    assert.deepEqual(settings(`server:\n  minThreads: 800\n  args: ["-F", "-p", "thread_pools=4"]\n  extraArgs: ["-p", "a=1"]\n${img}`), ['thread_pools=4']);
  });

  it("reads server.ttl as the chart's -t (default_ttl), and server.cmdfileConfig's param.set lines after the arguments, where they are written", () => {
    const img = '  image: {repository: docker.io/varnish}\n';
    const text = `server:\n  ttl: 300\n  extraArgs: ["-p", "http_resp_size=64k"]\n  cmdfileConfig: |\n    # startup settings\n    param.set http_resp_hdr_len 96k\n    param.set thread_pool_max 5x\n${img}`;
    const file = readParamsFile('/srv/chart/values.yaml', text)!;
    assert.equal(file.kind, 'helm-values');
    assert.deepEqual(file.commands.flatMap((c) => c.settings.map((x) => `${x.name}=${x.value}`)), ['default_ttl=300', 'http_resp_size=64k', 'http_resp_hdr_len=96k', 'thread_pool_max=5x']);
    const found = lintManifest('/srv/chart/values.yaml', text);
    // The cmdfile's line limit outgrows the head size the arguments set (the head is raised where it is set),
    // and the cmdfile's bad value is named where it stands.
    assert.deepEqual(found.map((d) => `${d.rule} ${d.range.start.line + 1}: ${textOf(text, d.range)}`).sort(), ['param-invalid 7: 5x', 'resp-buffer-too-small 3: 64k']);
    const raise = found.find((d) => d.rule === 'resp-buffer-too-small')!;
    const fixed = applyEdits(text, raise.fixes![0]!.edits);
    assert.ok(!lintManifest('/srv/chart/values.yaml', fixed).some((d) => d.rule === 'resp-buffer-too-small'), fixed);
    assert.match(fixed, /^ {2}cmdfileConfig: \|\n {4}# startup settings\n {4}param\.set http_resp_hdr_len 96k\n/m, 'the block keeps its lines');
    // A folded block is read, not judged: its text is not the file's.
    const folded = text.replace('cmdfileConfig: |', 'cmdfileConfig: >');
    assert.ok(!lintManifest('/srv/chart/values.yaml', folded).some((d) => d.rule === 'param-invalid'));
  });

  it('adds a setting into an empty extraArgs list', () => {
    const text = 'server:\n  extraArgs: []\n  vclConfig: ""\n';
    const file = readParamsFile('/srv/chart/values.yaml', text)!;
    assert.equal(file.kind, 'helm-values');
    const at = file.commands[0]!.insertAt;
    assert.equal(text.slice(0, at.offset) + newSettingText(at, 'http_resp_hdr_len', '65536') + text.slice(at.offset), 'server:\n  extraArgs: ["-p", "http_resp_hdr_len=65536"]\n  vclConfig: ""\n');
  });

  it("a chart's templates get one word each, not the errors their template actions make as YAML", () => {
    for (const name of ['helm/chart/templates/configmap.yaml', 'helm/chart/templates/deployment.yaml']) {
      const found = lintManifest(fixturePath(name), fixture(name));
      assert.deepEqual(found.map((d) => `${d.rule} ${d.severity} ${d.range.start.line}`), ['vcl-template info 0'], name);
      assert.match(found[0]!.message, /helm template/);
    }
    assert.equal(detectParamsKind(fixturePath('helm/chart/Chart.yaml'), fixture('helm/chart/Chart.yaml')), undefined);
  });
});
