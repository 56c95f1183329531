/**
 * docker-compose files: a service's `command:` and `entrypoint:` that run
 * varnishd, in string form (split like a shell, without one) or list form.
 * With the official `varnish` image, a command whose first word starts with
 * `-` is appended to the image's own varnishd, and `VARNISH_SIZE`,
 * `VARNISH_HTTP_PORT`, ... in `environment:` feed its `-s` and `-a`.
 */
import type { OtherOption, ParamsCommand, ParamsFile, ReadProblem } from './model.js';
import { tokenize, type ShellWord } from './shell-words.js';
import { commandOf, eolOf, findInvocations, parseVarnishdArgs, type Invocation } from './varnishd-args.js';
import { entryOf, parseYaml, type YamlEntry, type YamlNode } from './yaml-lite.js';

/** An image built from the official varnish image (or named like it). */
export function isVarnishImage(image: string): boolean {
  return /(^|[/_-])varnish([:@_-]|$)/i.test(image.trim());
}

/** Reads a compose file. Never throws. */
export function read(text: string): ParamsFile {
  const { root, problems } = parseYaml(text);
  const commands: ParamsCommand[] = [];
  // Compose file format 1 had the services at the top level.
  const services = entryOf(root, 'services')?.value ?? root;
  if (services?.kind === 'map') {
    for (const service of services.entries) readService(text, service, commands, problems);
  }
  return { kind: 'docker-compose', commands, problems };
}

function readService(text: string, service: YamlEntry, commands: ParamsCommand[], problems: ReadProblem[]): void {
  const svc = service.value;
  if (svc?.kind !== 'map') return;
  const imageNode = entryOf(svc, 'image')?.value;
  const varnishImage = imageNode?.kind === 'scalar' && isVarnishImage(imageNode.word.text);
  const entrypoint = entryOf(svc, 'entrypoint')?.value;
  const command = entryOf(svc, 'command')?.value;
  const found: ParamsCommand[] = [];
  const add = (node: YamlNode, inv: Invocation, words: ShellWord[]): void => {
    const parsed = parseVarnishdArgs(inv.args);
    problems.push(...parsed.problems);
    const list = node.kind === 'seq' ? (node.flow ? 'flow' : 'block') : undefined;
    found.push(commandOf(text, node.span, parsed, inv.program ?? words[words.length - 1], list, true));
  };

  const epWords = wordsOf(entrypoint, problems);
  const cmdWords = wordsOf(command, problems);
  const epInvocations = findInvocations(epWords, problems);
  if (entrypoint && epInvocations.length) {
    for (const inv of epInvocations) add(entrypoint, inv, epWords);
    // The command's words are appended to the entrypoint's varnishd.
    if (command && cmdWords.length && epInvocations.length === 1) add(command, { args: cmdWords }, cmdWords);
  } else if (command) {
    const invocations = findInvocations(cmdWords, problems);
    for (const inv of invocations) add(command, inv, cmdWords);
    if (!invocations.length && !entrypoint && varnishImage && cmdWords[0]?.text.startsWith('-')) {
      add(command, { args: cmdWords }, cmdWords);
    }
  } else if (!entrypoint && varnishImage) {
    found.push(newCommand(text, svc.entries[0]!.keySpan.start, svc.span.end));
  }
  if (!found.length) return;
  found[0]!.options.unshift(...environmentOptions(entryOf(svc, 'environment')?.value));
  commands.push(...found);
}

/** The argv words of a command or entrypoint: list items, or a string split like a shell would. */
function wordsOf(node: YamlNode | undefined, problems: ReadProblem[]): ShellWord[] {
  if (node?.kind === 'scalar') {
    const tokens = tokenize(node.word.text, { dialect: 'argv', base: node.word.map });
    problems.push(...tokens.problems);
    return tokens.words;
  }
  if (node?.kind === 'seq') return node.items.flatMap((item) => (item.kind === 'scalar' ? [item.word] : []));
  return [];
}

/** `VARNISH_*` environment variables: options for the image's entrypoint, not parameters. */
function environmentOptions(env: YamlNode | undefined): OtherOption[] {
  const options: OtherOption[] = [];
  if (env?.kind === 'map') {
    for (const e of env.entries) {
      if (!e.key.startsWith('VARNISH_')) continue;
      const value = e.value?.kind === 'scalar' ? e.value.word.text : '';
      options.push({ flag: e.key, value, span: e.span });
    }
  } else if (env?.kind === 'seq') {
    for (const item of env.items) {
      if (item.kind !== 'scalar') continue;
      const m = /^(VARNISH_[A-Za-z0-9_]*)=?(.*)$/s.exec(item.word.text);
      if (m) options.push({ flag: m[1]!, value: m[2]!, span: item.span });
    }
  }
  return options;
}

/**
 * A varnish-image service with no command: a new
 * `command: ["-p", "name=value"]`, which the image's entrypoint hands to
 * varnishd, goes after the service's last key.
 */
function newCommand(text: string, firstKey: number, end: number): ParamsCommand {
  const lineStart = text.lastIndexOf('\n', firstKey - 1) + 1;
  const indent = text.slice(lineStart, firstKey).replace(/[^ \t]/g, ' ');
  return {
    span: { start: end, end },
    settings: [],
    options: [],
    insertAt: { offset: end, prefix: `${eolOf(text)}${indent}command: ["`, between: '", "', suffix: '"]' },
  };
}
