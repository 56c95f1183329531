/**
 * docker-compose files: a service's `command:` and `entrypoint:` that run
 * varnishd, in string form (split like a shell, without one) or list form.
 * With the official `varnish` image, a command whose first word starts with
 * `-` is appended to the image's own varnishd, and `VARNISH_SIZE`,
 * `VARNISH_HTTP_PORT`, ... in `environment:` feed its `-s` and `-a`.
 */
import { isMap, isScalar, isSeq, type Node, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { ComposeDocument, parseComposeYaml, spanOf, stringOf } from './compose-yaml.js';
import type { OtherOption, ParamSetting, ParamsCommand, ParamsFile, ParamsFileKind, ReadProblem, TextSpan } from './model.js';
import { tokenize, type ShellWord } from './shell-words.js';
import { commandOf, eolOf, findInvocations, insertInList, parseVarnishdArgs, type Invocation } from './varnishd-args.js';
import { scalarWord, type ScalarWord } from './yaml-words.js';

/** An image built from the official varnish image (or named like it). */
export function isVarnishImage(image: string): boolean {
  return /(^|[/_-])varnish([:@_-]|$)/i.test(image.trim());
}

/**
 * Reads a compose file: every document of it, each as far as YAML can read
 * it. A command that several services share through an anchor is read once,
 * at the anchor's text, where the user would change it. Never throws.
 */
export function read(text: string): ParamsFile {
  return readRunners(text, 'docker-compose', (doc) => {
    const root = doc.root;
    // Compose file format 1 had the services at the top level.
    const services = doc.get(root, 'services') ?? root;
    if (!isMap(services)) return [];
    return [...doc.entries(services).values()].flatMap((e) => (isMap(e.value) ? [{ map: e.value, shape: COMPOSE_SERVICE }] : []));
  });
}

/**
 * Where a YAML mapping that runs a container (a compose service, a
 * Kubernetes container, an operator's resource) keeps its command.
 */
export interface RunnerShape {
  /** The key that replaces the image's entrypoint (compose `entrypoint`, Kubernetes `command`). */
  entrypoint?: string;
  /** The key whose words follow the entrypoint (compose `command`, Kubernetes `args`). */
  command: string;
  /** The command's words are varnishd's own arguments whatever the image (an operator's extra arguments). */
  daemonArgs?: boolean;
  /** The options the image's entrypoint takes from the environment (`VARNISH_SIZE`, ...). */
  environment?: (text: string, doc: ComposeDocument, runner: YAMLMap) => OtherOption[];
}

/** A compose service. */
const COMPOSE_SERVICE: RunnerShape = {
  entrypoint: 'entrypoint',
  command: 'command',
  environment: (text, doc, svc) => environmentOptions(text, doc, doc.entries(svc).get('environment')?.value),
};

/**
 * Reads the varnishd commands of the runners `find` names in each YAML
 * document of `text`, as a parameter file of `kind`; `parsed` is the text
 * already read as YAML, when the caller has it (its problems list is
 * added to). Never throws.
 */
export function readRunners(
  text: string,
  kind: ParamsFileKind,
  find: (doc: ComposeDocument) => ReadonlyArray<{ map: YAMLMap; shape: RunnerShape }>,
  parsed: ReturnType<typeof parseComposeYaml> = parseComposeYaml(text),
): ParamsFile {
  const { documents, problems } = parsed;
  const commands: ParamsCommand[] = [];
  const uncertain: Uncertain = { escapes: new Set(), inexact: [] };
  for (const doc of documents) {
    const seen = new Set<string>();
    for (const { map, shape } of find(doc)) readService(text, doc, map, shape, commands, problems, seen, uncertain);
  }
  for (const s of commands.flatMap((c) => c.settings)) if (isUncertain(s, uncertain)) s.unresolved = true;
  return { kind, commands, problems };
}

/** Source the offsets of which cannot be trusted for an edit. */
interface Uncertain {
  /** Offsets of characters written as escapes. */
  escapes: Set<number>;
  /** Extents of scalars whose offsets could not be proven. */
  inexact: TextSpan[];
}

/** A setting written with an escape, or in a scalar whose offsets are unproven: not judged, never edited. */
function isUncertain(s: ParamSetting, u: Uncertain): boolean {
  const start = Math.min(s.nameSpan.start, s.valueSpan.start);
  const end = Math.max(s.nameSpan.end, s.valueSpan.end);
  if (u.inexact.some((x) => x.start < end && start < x.end)) return true;
  for (const at of u.escapes) if (at >= start && at < end) return true;
  return false;
}

/** The word of a string scalar, noting where its offsets are uncertain. */
function wordOf(node: Scalar, text: string, u: Uncertain): ScalarWord | undefined {
  const word = scalarWord(node, text);
  if (!word) return undefined;
  for (const at of word.escapes) u.escapes.add(at);
  if (!word.exact) u.inexact.push(word.span);
  return word;
}

function readService(
  text: string,
  doc: ComposeDocument,
  svc: YAMLMap,
  shape: RunnerShape,
  commands: ParamsCommand[],
  problems: ReadProblem[],
  seen: Set<string>,
  uncertain: Uncertain,
): void {
  const entries = doc.entries(svc);
  const imageNode = entries.get('image')?.value;
  const image = stringOf(imageNode);
  const varnishImage = image !== undefined && isVarnishImage(image);
  const entrypoint = shape.entrypoint === undefined ? undefined : entries.get(shape.entrypoint)?.value;
  const command = entries.get(shape.command)?.value;
  // `command: ~` or `command: !reset []` keeps the image's command, and a second key may not be added.
  const keyed = (shape.entrypoint !== undefined && entries.has(shape.entrypoint)) || entries.has(shape.command);
  const appends = varnishImage || shape.daemonArgs === true;
  // The same nodes (one anchor, several services) make the same commands: read them once.
  const key = `${entrypoint ? spanOf(entrypoint).start : '-'}:${command ? spanOf(command).start : '-'}:${entrypoint || command ? '' : spanOf(svc).start}`;
  if (seen.has(key)) return;
  seen.add(key);
  const found: ParamsCommand[] = [];
  const add = (node: Node, inv: Invocation, words: ShellWord[]): void => {
    const parsed = parseVarnishdArgs(inv.args);
    problems.push(...parsed.problems);
    const list = isSeq(node) ? (node.flow ? 'flow' : 'block') : undefined;
    const cmd = commandOf(text, spanOf(node), parsed, inv.program ?? words[words.length - 1], list, true);
    if (isSeq(node)) cmd.insertAt = listInsertAt(text, node, cmd);
    found.push(cmd);
  };

  const epWords = wordsOf(text, doc, entrypoint, problems, uncertain);
  const cmdWords = wordsOf(text, doc, command, problems, uncertain);
  const epInvocations = findInvocations(epWords, problems);
  if (entrypoint && epInvocations.length) {
    for (const inv of epInvocations) add(entrypoint, inv, epWords);
    // The command's words are appended to the entrypoint's varnishd.
    if (command && cmdWords.length && epInvocations.length === 1) add(command, { args: cmdWords }, cmdWords);
  } else if (command) {
    const invocations = findInvocations(cmdWords, problems);
    for (const inv of invocations) add(command, inv, cmdWords);
    if (!invocations.length && !entrypoint && appends && (shape.daemonArgs || cmdWords[0]?.text.startsWith('-'))) {
      add(command, { args: cmdWords }, cmdWords);
    }
  } else if (!keyed && appends) {
    found.push(newCommand(text, svc, shape.command));
  }
  if (!found.length) return;
  if (shape.environment) found[0]!.options.unshift(...shape.environment(text, doc, svc));
  commands.push(...found);
}

/**
 * A list's insertion point must lie in the list itself. Alias items carry
 * the alias's own extent, so the anchoring word is always one of the list's
 * items; should it not be, the new items go after the list's last item.
 */
function listInsertAt(text: string, list: YAMLSeq, cmd: ParamsCommand): ParamsCommand['insertAt'] {
  const span = spanOf(list);
  // An empty flow list (`extraArgs: []`): the new items go between its brackets.
  if (list.items.length === 0 && list.flow) {
    const close = text.lastIndexOf(']', span.end - 1);
    if (close >= span.start) return { offset: close, prefix: '"', between: '", "', suffix: '"' };
  }
  if (cmd.insertAt.offset > span.start && cmd.insertAt.offset <= span.end) return cmd.insertAt;
  const last = list.items[list.items.length - 1] as Node | undefined;
  if (!last?.range) return cmd.insertAt;
  const [start, end] = last.range;
  const word: ShellWord = { text: text.slice(start, end), span: { start, end }, map: [], unresolved: false, quoted: false };
  return insertInList(text, word, list.flow ? 'flow' : 'block');
}

/** The argv words of a command or entrypoint: list items, or a string split like a shell would. */
function wordsOf(text: string, doc: ComposeDocument, node: Node | undefined, problems: ReadProblem[], uncertain: Uncertain): ShellWord[] {
  if (isScalar(node)) {
    const word = wordOf(node, text, uncertain);
    if (!word) return [];
    const tokens = tokenize(word.text, { dialect: 'argv', base: word.map });
    problems.push(...tokens.problems);
    return tokens.words;
  }
  if (isSeq(node)) {
    return node.items.flatMap((item) => {
      const value = doc.deref(item as Node);
      const word = isScalar(value) ? wordOf(value, text, uncertain) : undefined;
      if (!word) return [];
      // An alias item (`- *header_len`): its characters are the anchor's (a fix
      // edits the value there), its extent the alias's (a new item goes after it).
      if (value !== item && (item as Node).range) word.span = spanOf(item as Node);
      return [word];
    });
  }
  return [];
}

/** `VARNISH_*` environment variables: options for the image's entrypoint, not parameters. */
function environmentOptions(text: string, doc: ComposeDocument, env: Node | undefined): OtherOption[] {
  const options: OtherOption[] = [];
  if (isMap(env)) {
    for (const e of doc.entries(env).values()) {
      if (!e.key.startsWith('VARNISH_')) continue;
      const value = isScalar(e.value) && typeof e.value.value === 'string' ? e.value.value : '';
      const start = e.keyNode.range?.[0] ?? 0;
      options.push({ flag: e.key, value, span: { start, end: e.value?.range?.[1] ?? e.keyNode.range?.[1] ?? start } });
    }
  } else if (isSeq(env)) {
    for (const item of env.items) {
      const value = doc.deref(item as Node);
      const word = isScalar(value) ? scalarWord(value as Scalar, text) : undefined;
      const m = word && /^(VARNISH_[A-Za-z0-9_]*)=?(.*)$/s.exec(word.text);
      if (m) options.push({ flag: m[1]!, value: m[2]!, span: word.span });
    }
  }
  return options;
}

/**
 * A varnish-image service with no command: a new
 * `command: ["-p", "name=value"]` (`key`: the shape's command key), which the
 * image's entrypoint hands to varnishd, goes after the service's last key:
 * on a line of its own in a block mapping, as one more `key: value` in a
 * flow mapping.
 */
function newCommand(text: string, svc: YAMLMap, key: string): ParamsCommand {
  const last = svc.items[svc.items.length - 1];
  const lastNode = (last?.value ?? last?.key) as Node | null | undefined;
  let end = lastNode?.range?.[1] ?? svc.range?.[1] ?? text.length;
  const settings = { settings: [], options: [] };
  if (svc.flow) {
    return { span: { start: end, end }, ...settings, insertAt: { offset: end, prefix: `, ${key}: ["`, between: '", "', suffix: '"]' } };
  }
  // A block value's range may take in its final line break.
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  // After the comment that may end the line, not before it.
  const eol = text.slice(end).search(/\r?\n|$/);
  end += eol;
  const firstKey = (svc.items[0]?.key as Node | undefined)?.range?.[0] ?? end;
  const lineStart = text.lastIndexOf('\n', firstKey - 1) + 1;
  const indent = text.slice(lineStart, firstKey).replace(/[^ \t]/g, ' ');
  return {
    span: { start: end, end },
    ...settings,
    insertAt: { offset: end, prefix: `${eolOf(text)}${indent}${key}: ["`, between: '", "', suffix: '"]' },
  };
}
