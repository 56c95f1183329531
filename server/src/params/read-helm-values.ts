/**
 * The values file of a Helm chart that deploys Varnish: Varnish Software's
 * `varnish-cache` and `varnish-enterprise` charts keep varnishd's extra
 * arguments in `server.extraArgs`, the main VCL in `server.vclConfig`
 * (mounted at `server.vclConfigPath`, by default /etc/varnish/default.vcl)
 * and more VCL files in `server.vclConfigs` (each key a file name beside
 * it); `server.minThreads`, `maxThreads` and `threadTimeout` become
 * `-p thread_pool_*` settings ahead of the extra arguments, `server.ttl`
 * becomes `-t` (default_ttl), and `server.cmdfileConfig` is a `-I` CLI file
 * whose `param.set` lines count after the arguments. A value may
 * itself be a template (`{{ ... }}`), which only Helm can render. A values
 * file is not a Kubernetes object: it is recognised by these keys under a
 * `server:` mapping, never by its name alone.
 */
import { isMap, isScalar, type YAMLMap } from 'yaml';
import { parseComposeYaml, spanOf, stringOf, type ComposeDocument } from './compose-yaml.js';
import { ABOUT_CACHE } from './daemon-names.js';
import type { ParamSetting, ParamsFile } from './model.js';
import { scalarWord } from './yaml-words.js';
import { readRunners, type RunnerShape } from './read-compose.js';
import { read as readCliInit } from './read-cli-init.js';
import { MOUNT_DIR, vclPart, type EmbeddedVcl } from './vcl-part.js';

/** `server.extraArgs`: words the chart adds to varnishd's command line. */
const SERVER: RunnerShape = { command: 'extraArgs', daemonArgs: true };
/** `server.args`: the whole of varnishd's arguments (the chart then adds nothing of its own). */
const SERVER_ARGS: RunnerShape = { command: 'args', daemonArgs: true };
/**
 * Values the charts pass as `-p` before the extra arguments, in this order
 * (varnishd reads them in order: thread_pool_min before thread_pool_max).
 */
const VALUE_PARAMS: ReadonlyArray<readonly [key: string, param: string]> = [
  ['minThreads', 'thread_pool_min'],
  ['maxThreads', 'thread_pool_max'],
  ['threadTimeout', 'thread_pool_timeout'],
  // `-t`: the default TTL, varnishd's default_ttl.
  ['ttl', 'default_ttl'],
];
/** The keys under `server:` that make a values file one of these charts'. */
const CHART_KEYS = ['vclConfig', 'vclConfigs', 'vclConfigPath', 'extraArgs', 'minThreads', 'maxThreads', 'threadTimeout', 'cmdfileConfig'];
const DEFAULT_VCL_PATH = `${MOUNT_DIR}/default.vcl`;

/** The `server:` mapping of a values document, when it is one of these charts'. */
function serverOf(doc: ComposeDocument): YAMLMap | undefined {
  const root = doc.root;
  if (!isMap(root) || doc.get(root, 'apiVersion') !== undefined) return undefined;
  const server = doc.get(root, 'server');
  if (!isMap(server)) return undefined;
  const keys = doc.entries(server);
  return CHART_KEYS.some((k) => keys.has(k)) ? server : undefined;
}

/**
 * Reads a values file: the chart's thread values (`-p` settings it writes
 * for them, first) and `server.extraArgs`, or `server.args` when it is set
 * (the chart then passes it alone). Never throws.
 */
export function read(text: string): ParamsFile {
  const values: ParamSetting[] = [];
  // Read as YAML once: for the runners, and for the cmdfile below.
  const parsed = parseComposeYaml(text);
  const file = readRunners(text, 'helm-values', (doc) => {
    const server = serverOf(doc);
    if (!server) return [];
    const keys = doc.entries(server);
    if (keys.has('args')) return [{ map: server, shape: SERVER_ARGS }];
    for (const [key, param] of VALUE_PARAMS) {
      const entry = keys.get(key);
      const word = isScalar(entry?.value) ? scalarWord(entry.value, text) : undefined;
      if (!entry || !word || word.text === '') continue;
      const start = entry.keyNode.range?.[0] ?? word.span.start;
      values.push({
        name: param,
        value: word.text,
        nameSpan: { start, end: entry.keyNode.range?.[1] ?? start },
        valueSpan: word.span,
        span: { start, end: word.span.end },
        form: 'variable',
        ...(word.unresolved || !word.exact ? { unresolved: true } : {}),
      });
    }
    return [{ map: server, shape: SERVER }];
  }, parsed);
  file.commands[0]?.settings.unshift(...values);
  // `server.cmdfileConfig` is the `-I` file the chart mounts: its `param.set` lines run after the arguments.
  for (const doc of parsed.documents) {
    const cmdfile = cmdfileSettings(doc, text);
    if (!cmdfile) continue;
    file.commands[0]?.settings.push(...cmdfile.settings);
    file.problems.push(...cmdfile.problems);
  }
  return file;
}

/**
 * The `param.set` lines of `server.cmdfileConfig`, read as the `-I` file
 * the chart mounts (`server.cmdfileConfigPath`) and passes to varnishd,
 * with their places in the values file. A setting whose text the file does
 * not hold as it is (escapes, folding) is marked unresolved: it is read,
 * never judged or edited. A template (`{{ }}`) is left to Helm.
 */
function cmdfileSettings(doc: ComposeDocument, text: string): { settings: ParamSetting[]; problems: ParamsFile['problems'] } | undefined {
  const server = serverOf(doc);
  const entry = server ? doc.entries(server).get('cmdfileConfig') : undefined;
  if (!entry || !isScalar(entry.value)) return undefined;
  const word = scalarWord(entry.value, text);
  if (!word || word.text.trim() === '' || word.text.includes('{{')) return undefined;
  const asIs = word.exact && word.escapes.size === 0 && (entry.value.type === 'BLOCK_LITERAL' || entry.value.type === 'PLAIN' || entry.value.type === 'QUOTE_SINGLE');
  const at = (offset: number): number => word.map[Math.min(offset, word.map.length - 1)]!;
  const place = (span: { start: number; end: number }) => ({ start: at(span.start), end: at(span.end) });
  const cli = readCliInit(word.text);
  const settings = (cli.commands[0]?.settings ?? []).map((setting): ParamSetting => ({
    ...setting,
    nameSpan: place(setting.nameSpan),
    valueSpan: place(setting.valueSpan),
    span: place(setting.span),
    ...(asIs ? {} : { unresolved: true }),
  }));
  return { settings, problems: cli.problems.map((problem) => ({ ...problem, span: place(problem.span) })) };
}

/** The VCL files a values document mounts: `server.vclConfig` and each of `server.vclConfigs`. */
export function valuesVcl(doc: ComposeDocument, text: string): EmbeddedVcl[] {
  const server = serverOf(doc);
  if (!server) return [];
  const keys = doc.entries(server);
  const configured = stringOf(keys.get('vclConfigPath')?.value);
  const main = configured?.startsWith('/') ? configured : DEFAULT_VCL_PATH;
  const dir = main.slice(0, main.lastIndexOf('/')) || '/';
  const out: EmbeddedVcl[] = [];
  const config = keys.get('vclConfig');
  if (config && isScalar(config.value)) {
    const part = vclPart(text, config.value, { group: 'values', key: 'vclConfig', keySpan: spanOf(config.keyNode), path: main });
    if (part && part.text.trim() !== '') out.push(part);
  }
  const configs = keys.get('vclConfigs')?.value;
  if (isMap(configs)) {
    for (const entry of doc.entries(configs).values()) {
      if (!isScalar(entry.value)) continue;
      const part = vclPart(text, entry.value, { group: 'values', key: entry.key, keySpan: spanOf(entry.keyNode), path: `${dir}/${entry.key}` });
      if (part && part.text.trim() !== '') out.push(part);
    }
  }
  return out;
}

/** True when `text` is the values file of a chart that deploys Varnish. */
export function isCacheValues(text: string): boolean {
  if (!/^server[ \t]*:/m.test(text) || !/vclConfig|extraArgs|minThreads|maxThreads|threadTimeout|cmdfileConfig/.test(text)) return false;
  if (!ABOUT_CACHE.test(text) && !/vclConfig/.test(text)) return false;
  return parseComposeYaml(text).documents.some((doc) => serverOf(doc) !== undefined);
}
