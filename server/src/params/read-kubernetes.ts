/**
 * Kubernetes manifests (one or more YAML documents, `---` between them)
 * that carry Varnish or Vinyl Cache configuration:
 * - varnishd options in the `command`/`args` of the containers of Pods,
 *   Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs
 *   (`command` replaces the image's entrypoint, `args` its command, as
 *   compose's `entrypoint` and `command` do), and the official image's
 *   `VARNISH_*` variables in `env`;
 * - the extra varnishd arguments of operator resources: the IBM
 *   varnish-operator's `VarnishCluster` (`spec.varnish.args`) and the
 *   Varnish Gateway's `GatewayClassParameters` (`spec.varnishdExtraArgs`);
 * - VCL held in ConfigMaps: `data:` keys ending in `.vcl` (see
 *   {@link embeddedVcl}).
 * A manifest is recognised by its content (`apiVersion` and `kind`), never
 * by its name alone.
 */
import { dirname, posix } from 'node:path';
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { parseComposeYaml, spanOf, stringOf, type ComposeDocument } from './compose-yaml.js';
import { textOf } from './compose-detect.js';
import { NAMES_DAEMON } from './daemon-names.js';
import type { OtherOption, ParamsFile } from './model.js';
import { isVarnishImage, readRunners, type RunnerShape } from './read-compose.js';
import { scalarWord } from './yaml-words.js';
import { MOUNT_DIR, vclPart, type EmbeddedVcl } from './vcl-part.js';

/** Kinds whose pod template sits at `spec.template.spec`. */
const TEMPLATED = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);
/** Nested `List` objects followed at most this deep (kubectl's output nests none). */
const MAX_LIST_DEPTH = 4;

/** An image of Varnish Cache or of Vinyl Cache, its successor. */
export function isCacheImage(image: string): boolean {
  return isVarnishImage(image) || /(^|[/_-])vinyl(-cache)?([:@_-]|$)/i.test(image.trim());
}

/** A container: `command` replaces the image's entrypoint, `args` its command. */
const CONTAINER: RunnerShape = { entrypoint: 'command', command: 'args', environment: (text, doc, c) => envOptions(text, doc, doc.entries(c).get('env')?.value) };
/** The varnish-operator's `spec.varnish`: its `args` are added to the varnishd the operator runs. */
const VARNISH_CLUSTER: RunnerShape = { command: 'args', daemonArgs: true };
/** The Varnish Gateway's `spec`: its `varnishdExtraArgs` are added to the gateway's varnishd. */
const GATEWAY_PARAMETERS: RunnerShape = { command: 'varnishdExtraArgs', daemonArgs: true };

/**
 * Reads the varnishd options of a manifest's workloads and operator
 * resources (`parsed`: the text already read as YAML). Never throws.
 */
export function read(text: string, parsed?: ReturnType<typeof parseComposeYaml>): ParamsFile {
  return readRunners(
    text,
    'kubernetes',
    (doc) => {
      const out: Array<{ map: YAMLMap; shape: RunnerShape }> = [];
      for (const object of objectsOf(doc, doc.root, 0)) runnersOf(doc, object, out);
      return out;
    },
    parsed,
  );
}

/** The Kubernetes objects of a document: the document itself, or the items of a `List`. */
function objectsOf(doc: ComposeDocument, node: Node | undefined, depth: number): YAMLMap[] {
  if (!isMap(node)) return [];
  const kind = stringOf(doc.get(node, 'kind'));
  if (kind === undefined || doc.get(node, 'apiVersion') === undefined) return [];
  if (kind !== 'List' && !kind.endsWith('List')) return [node];
  const items = doc.get(node, 'items');
  if (!isSeq(items) || depth >= MAX_LIST_DEPTH) return [];
  return items.items.flatMap((item) => objectsOf(doc, doc.deref(item as Node), depth + 1));
}

function runnersOf(doc: ComposeDocument, object: YAMLMap, out: Array<{ map: YAMLMap; shape: RunnerShape }>): void {
  const kind = stringOf(doc.get(object, 'kind'));
  const apiVersion = stringOf(doc.get(object, 'apiVersion')) ?? '';
  const spec = doc.get(object, 'spec');
  if (kind === 'VarnishCluster' && apiVersion.startsWith('caching.ibm.com/')) {
    const varnish = doc.get(spec, 'varnish');
    if (isMap(varnish)) out.push({ map: varnish, shape: VARNISH_CLUSTER });
    return;
  }
  if (kind === 'GatewayClassParameters' && apiVersion.startsWith('gateway.varnish-software.com/')) {
    if (isMap(spec)) out.push({ map: spec, shape: GATEWAY_PARAMETERS });
    return;
  }
  const containers = doc.get(podSpecOf(doc, object), 'containers');
  if (!isSeq(containers)) return;
  for (const item of containers.items) {
    const container = doc.deref(item as Node);
    if (isMap(container) && runsCache(doc, container)) out.push({ map: container, shape: CONTAINER });
  }
}

/** The pod spec of a workload (a Pod's `spec`, a Deployment's `spec.template.spec`, ...), if it is one. */
function podSpecOf(doc: ComposeDocument, object: YAMLMap): Node | undefined {
  const kind = stringOf(doc.get(object, 'kind'));
  const spec = doc.get(object, 'spec');
  return kind === 'Pod' ? spec : kind === 'CronJob' ? path(doc, spec, 'jobTemplate', 'spec', 'template', 'spec') : kind && TEMPLATED.has(kind) ? path(doc, spec, 'template', 'spec') : undefined;
}

/** A container of a cache image, or whose command or arguments run the daemon. */
function runsCache(doc: ComposeDocument, container: YAMLMap): boolean {
  const image = stringOf(doc.get(container, 'image'));
  if (image !== undefined && isCacheImage(image)) return true;
  return [doc.get(container, 'command'), doc.get(container, 'args')].some((n) => NAMES_DAEMON.test(textOf(doc, n)));
}

/** `env: [{name: VARNISH_SIZE, value: 2G}]`: the official image's options, as the compose reader gives them. */
function envOptions(text: string, doc: ComposeDocument, env: Node | undefined): OtherOption[] {
  if (!isSeq(env)) return [];
  const options: OtherOption[] = [];
  for (const item of env.items) {
    const entry = doc.deref(item as Node);
    if (!isMap(entry)) continue;
    const name = stringOf(doc.get(entry, 'name'));
    if (!name?.startsWith('VARNISH_')) continue;
    const valueNode = doc.get(entry, 'value');
    const value = isScalar(valueNode) ? scalarWord(valueNode, text)?.text ?? '' : '';
    options.push({ flag: name, value, span: spanOf(entry) });
  }
  return options;
}

/** `node.k1.k2...`, following aliases and merge keys. */
function path(doc: ComposeDocument, node: Node | undefined, ...keys: string[]): Node | undefined {
  let at = node;
  for (const key of keys) at = doc.get(at, key);
  return at;
}

/** A ConfigMap key that holds VCL, or a template of it (the varnish-operator's `backends.vcl.tmpl`). */
const VCL_KEY = /\.vcl(\.tmpl)?$/i;

/**
 * Where the cache container of a workload sees a ConfigMap's keys: files
 * mounted one by one (`subPath`, or the `items` of the volume), else the
 * folder all of them are in; and varnishd's `vcl_path` when its arguments
 * set one.
 */
export interface ConfigMapMount {
  /** The folder the keys are in (`mountPath` without `subPath`). */
  dir?: string;
  /** Keys mounted at a path of their own. */
  files: Map<string, string>;
  /** `-p vcl_path=...` of the container, split at `:`. */
  vclPath?: string[];
  /** The workload's `metadata.namespace`, when it says: a pod mounts ConfigMaps of its own namespace only. */
  namespace?: string;
}

/**
 * Mounts the workloads of other manifests make (a `deployment.yaml` beside
 * the `configmap.yaml` it mounts), by ConfigMap name, nearest file first;
 * see {@link manifestMounts}.
 */
export type OtherMounts = ReadonlyMap<string, readonly ConfigMapMount[]>;

/** Whether a ConfigMap of `namespace` can be what `mount` mounts: one that names no namespace takes the one it is applied to. */
function sameNamespace(mount: ConfigMapMount, namespace: string | undefined): boolean {
  return mount.namespace === undefined || namespace === undefined || mount.namespace === namespace;
}

/** A mount path as varnishd sees it: absolute, no trailing slash. */
function mountPathOf(value: string | undefined): string | undefined {
  if (!value?.startsWith('/')) return undefined;
  return posix.normalize(value).replace(/(.)\/+$/, '$1');
}

/** The ConfigMaps a pod volume projects (`configMap`, or the `configMap` sources of a `projected` volume), with their `items`. */
function volumeConfigMaps(doc: ComposeDocument, volume: Node | undefined): Array<{ name: string; items: Map<string, string> | undefined }> {
  const one = (cm: Node | undefined) => {
    const name = stringOf(doc.get(cm, 'name'));
    if (name === undefined) return [];
    const itemsNode = doc.get(cm, 'items');
    let items: Map<string, string> | undefined;
    if (isSeq(itemsNode)) {
      items = new Map();
      for (const item of itemsNode.items) {
        const entry = doc.deref(item as Node);
        const key = stringOf(doc.get(entry, 'key'));
        const at = stringOf(doc.get(entry, 'path'));
        if (key !== undefined && at !== undefined) items.set(key, at);
      }
    }
    return [{ name, items }];
  };
  const direct = doc.get(volume, 'configMap');
  if (direct !== undefined) return one(direct);
  const sources = path(doc, volume, 'projected', 'sources');
  if (!isSeq(sources)) return [];
  return sources.items.flatMap((source) => one(doc.get(doc.deref(source as Node), 'configMap')));
}

/**
 * How the cache containers of the manifest's workloads (over all its
 * documents) mount each ConfigMap: the first mount met per ConfigMap.
 * A ConfigMap no workload of the manifest mounts is absent (its keys are
 * then taken to be in /etc/varnish, where the official image and the
 * charts mount them).
 */
export function configMapMounts(documents: readonly ComposeDocument[]): Map<string, ConfigMapMount> {
  const mounts = new Map<string, ConfigMapMount>();
  for (const doc of documents) {
    for (const object of objectsOf(doc, doc.root, 0)) {
      const podSpec = podSpecOf(doc, object);
      const namespace = stringOf(path(doc, object, 'metadata', 'namespace'));
      const volumesNode = doc.get(podSpec, 'volumes');
      const containersNode = doc.get(podSpec, 'containers');
      if (!isSeq(volumesNode) || !isSeq(containersNode)) continue;
      const volumes = new Map<string, ReturnType<typeof volumeConfigMaps>>();
      for (const item of volumesNode.items) {
        const volume = doc.deref(item as Node);
        const name = stringOf(doc.get(volume, 'name'));
        if (name !== undefined) volumes.set(name, volumeConfigMaps(doc, volume));
      }
      for (const item of containersNode.items) {
        const container = doc.deref(item as Node);
        if (!isMap(container) || !runsCache(doc, container)) continue;
        const args = `${textOf(doc, doc.get(container, 'command'))} ${textOf(doc, doc.get(container, 'args'))}`;
        const vclPath = /(?:^|\s)-p\s*vcl_path=(\S+)/.exec(args)?.[1]?.split(':').filter((d) => d.startsWith('/'));
        const mountsNode = doc.get(container, 'volumeMounts');
        if (!isSeq(mountsNode)) continue;
        for (const m of mountsNode.items) {
          const entry = doc.deref(m as Node);
          const at = mountPathOf(stringOf(doc.get(entry, 'mountPath')));
          const sources = volumes.get(stringOf(doc.get(entry, 'name')) ?? '') ?? [];
          if (at === undefined) continue;
          const subPath = stringOf(doc.get(entry, 'subPath'));
          for (const { name, items } of sources) {
            if (mounts.has(name)) continue;
            const mount: ConfigMapMount = { files: new Map(), ...(vclPath?.length ? { vclPath } : {}), ...(namespace !== undefined ? { namespace } : {}) };
            if (subPath !== undefined) {
              // One file: the key (or the item whose path is subPath) appears at mountPath itself.
              const key = items ? [...items].find(([, p]) => p === subPath)?.[0] : subPath;
              if (key !== undefined) mount.files.set(key, at);
            } else if (items) {
              for (const [key, p] of items) mount.files.set(key, posix.join(at, p));
              mount.dir = at;
            } else {
              mount.dir = at;
            }
            mounts.set(name, mount);
          }
        }
      }
    }
  }
  return mounts;
}

/** How the workloads of the manifest `text` mount ConfigMaps (see {@link configMapMounts}); none when it mounts no volume. */
export function mountsOfManifest(text: string): Map<string, ConfigMapMount> {
  return text.includes('volumeMounts') ? configMapMounts(parseComposeYaml(text).documents) : new Map();
}

/**
 * The mounts of the workloads of other manifests than the one linted (each
 * file's from {@link mountsOfManifest}), for {@link configMapVcl}: the
 * usual layout keeps a ConfigMap and the Deployment that mounts it in files
 * of their own. Files in `nearDir` come first (the split usually sits in
 * one folder), then the others in path order, so that the first mount met
 * is the nearest one.
 */
export function manifestMounts(files: ReadonlyArray<{ path: string; mounts: ReadonlyMap<string, ConfigMapMount> }>, nearDir?: string): Map<string, ConfigMapMount[]> {
  const ordered = [...files].sort((a, b) => Number(dirname(b.path) === nearDir) - Number(dirname(a.path) === nearDir) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const out = new Map<string, ConfigMapMount[]>();
  for (const f of ordered) {
    for (const [name, mount] of f.mounts) {
      const list = out.get(name) ?? [];
      list.push(mount);
      out.set(name, list);
    }
  }
  return out;
}

/**
 * The VCL of the ConfigMaps of one YAML document: each `data:` key whose
 * name ends in `.vcl` (or `.vcl.tmpl`, a template the varnish-operator
 * renders), at the path the manifest's cache container mounts it
 * (`mounts`, see {@link configMapMounts}), else where a workload of another
 * manifest mounts it (`others`, see {@link manifestMounts}), else at
 * `/etc/varnish/<key>` (where the official image and the charts mount it).
 * Either mount counts only for a ConfigMap of its namespace.
 */
export function configMapVcl(doc: ComposeDocument, text: string, mounts: ReadonlyMap<string, ConfigMapMount> = new Map(), others: OtherMounts = new Map()): EmbeddedVcl[] {
  const out: EmbeddedVcl[] = [];
  for (const object of objectsOf(doc, doc.root, 0)) {
    if (stringOf(doc.get(object, 'kind')) !== 'ConfigMap') continue;
    const configMap = stringOf(path(doc, object, 'metadata', 'name')) ?? '';
    const namespace = stringOf(path(doc, object, 'metadata', 'namespace'));
    const data = doc.get(object, 'data');
    if (!isMap(data)) continue;
    const own = mounts.get(configMap);
    const mount = own && sameNamespace(own, namespace) ? own : others.get(configMap)?.find((m) => sameNamespace(m, namespace));
    for (const entry of doc.entries(data).values()) {
      if (!VCL_KEY.test(entry.key) || !isScalar(entry.value)) continue;
      const template = /\.tmpl$/i.test(entry.key) ? 'operator' : undefined;
      const at = mount?.files.get(entry.key) ?? posix.join(mount?.dir ?? MOUNT_DIR, entry.key);
      const part = vclPart(text, entry.value, { group: `ConfigMap ${configMap}`, key: entry.key, keySpan: spanOf(entry.keyNode), path: at, template, ...(mount?.vclPath ? { searchPath: mount.vclPath } : {}) });
      if (part) out.push(part);
    }
  }
  return out;
}

/** True when `text` is a Kubernetes manifest with something for the tools: a cache's options or VCL in a ConfigMap. */
export function isCacheManifest(text: string): boolean {
  if (!/^[ \t]*apiVersion[ \t]*:/m.test(text) || !/^[ \t]*kind[ \t]*:/m.test(text)) return false;
  if (!/varnish|vinyl|\.vcl\b/i.test(text)) return false;
  // The text is read as YAML once for both questions.
  const parsed = parseComposeYaml(text);
  return parsed.documents.some((doc) => configMapVcl(doc, text).length > 0) || read(text, parsed).commands.length > 0;
}
