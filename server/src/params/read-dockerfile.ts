/**
 * Dockerfiles: the `CMD` and `ENTRYPOINT` of the last stage, in exec (JSON)
 * form or shell form, with `\` continuations and comment lines inside them.
 * With the official `varnish` image, an exec-form `CMD` whose first word
 * starts with `-` is appended to the image's own varnishd.
 */
import type { ParamsCommand, ParamsFile, ReadProblem, TextSpan } from './model.js';
import { isVarnishImage } from './read-compose.js';
import { tokenize, type ShellWord } from './shell-words.js';
import { commandOf, eolOf, findInvocations, parseVarnishdArgs, type Invocation } from './varnishd-args.js';

/** `CMD` or `ENTRYPOINT` as written. */
interface Instruction {
  /** Its arguments, from after the keyword to the end of the last continued line. */
  span: TextSpan;
  /** Exec-form words, or shell-form words (with operators). */
  words: ShellWord[];
  exec: boolean;
}

/** Reads a Dockerfile. Never throws. */
export function read(text: string): ParamsFile {
  const problems: ReadProblem[] = [];
  let image = '';
  let cmd: Instruction | undefined;
  let entrypoint: Instruction | undefined;
  let open = false;
  for (const ins of instructions(text)) {
    open = ins.open;
    if (ins.keyword === 'FROM') {
      // A new stage: only the last stage's CMD and ENTRYPOINT make the image.
      image = /^(?:--\S+\s+)*(\S*)/.exec(ins.body.trim())?.[1] ?? '';
      cmd = entrypoint = undefined;
    } else if (ins.keyword === 'CMD' || ins.keyword === 'ENTRYPOINT') {
      const exec = jsonArray(ins.body, ins.base);
      let parsed: Instruction;
      if (exec) parsed = { span: ins.span, words: exec, exec: true };
      else {
        const tokens = tokenize(ins.body, { dialect: 'sh', base: ins.base });
        problems.push(...tokens.problems);
        parsed = { span: ins.span, words: tokens.words, exec: false };
      }
      if (ins.keyword === 'CMD') cmd = parsed;
      else entrypoint = parsed;
    }
  }

  const commands: ParamsCommand[] = [];
  const add = (ins: Instruction, inv: Invocation): void => {
    const parsed = parseVarnishdArgs(inv.args);
    problems.push(...parsed.problems);
    const lastWord = ins.words.filter((w) => !w.op).pop();
    commands.push(commandOf(text, ins.span, parsed, inv.program ?? lastWord, ins.exec ? 'flow' : undefined));
  };
  const epInvocations = entrypoint ? findInvocations(entrypoint.words, problems) : [];
  if (entrypoint && epInvocations.length) {
    for (const inv of epInvocations) add(entrypoint, inv);
    // An exec-form CMD gives the exec-form ENTRYPOINT's varnishd more arguments.
    if (cmd?.exec && entrypoint.exec && cmd.words.length) add(cmd, { args: cmd.words });
  } else if (cmd) {
    const invocations = findInvocations(cmd.words, problems);
    for (const inv of invocations) add(cmd, inv);
    if (!invocations.length && !entrypoint && cmd.exec && isVarnishImage(image) && cmd.words[0]?.text.startsWith('-')) {
      add(cmd, { args: cmd.words });
    }
  } else if (!entrypoint && isVarnishImage(image) && !open) {
    // The image's entrypoint hands a CMD that starts with `-` to varnishd. (Not after a
    // last instruction continued to the end of the file: it would swallow the new line.)
    const eol = eolOf(text);
    const lead = text.length && !text.endsWith('\n') ? eol : '';
    commands.push({
      span: { start: text.length, end: text.length },
      settings: [],
      options: [],
      insertAt: { offset: text.length, prefix: `${lead}CMD ["`, between: '", "', suffix: `"]${eol}` },
    });
  }
  return { kind: 'dockerfile', commands, problems };
}

interface RawInstruction {
  keyword: string;
  span: TextSpan;
  /** The arguments with comment lines removed, and each character's offset. */
  body: string;
  base: number[];
  /** Still continued at the end of the file: a line added after it would join it. */
  open: boolean;
}

/** The instructions, each over its continued lines (Docker drops comment lines inside them). */
function* instructions(text: string): Generator<RawInstruction> {
  const lines = text.split('\n');
  const escapeChar = escapeDirective(lines);
  let pos = 0;
  for (let li = 0; li < lines.length; ) {
    const line = lines[li]!;
    const lineStart = pos;
    pos += line.length + 1;
    li++;
    const m = /^[ \t]*([A-Za-z]+)([ \t]+|$)/.exec(line);
    if (!m || /^[ \t]*#/.test(line)) continue;
    const argsStart = lineStart + m[0].length;
    const chars: string[] = [];
    const base: number[] = [];
    const push = (from: number, to: number): void => {
      for (let k = from; k < to; k++) (chars.push(text[k]!), base.push(k));
    };
    let end = lineStart + line.length;
    push(argsStart, end + (li < lines.length ? 1 : 0));
    let continued = continues(line, escapeChar);
    while (continued && li < lines.length) {
      const next = lines[li]!;
      const nextStart = pos;
      pos += next.length + 1;
      li++;
      if (/^[ \t]*#/.test(next) || /^[ \t\r]*$/.test(next)) continue;
      end = nextStart + next.length;
      push(nextStart, end + (li < lines.length ? 1 : 0));
      continued = continues(next, escapeChar);
    }
    while (chars.length && /\s/.test(chars[chars.length - 1]!)) (chars.pop(), base.pop());
    if (text[end - 1] === '\r') end--;
    base.push(base.length ? base[base.length - 1]! + 1 : argsStart);
    const open = continued && li >= lines.length;
    yield { keyword: m[1]!.toUpperCase(), span: { start: argsStart, end: Math.max(argsStart, end) }, body: chars.join(''), base, open };
  }
}

/** The `# escape=` parser directive: only among the comment lines at the very top. */
function escapeDirective(lines: string[]): string {
  for (const line of lines) {
    const m = /^#\s*([a-z]+)\s*=\s*(\S*)/i.exec(line);
    if (!m) break;
    if (m[1]!.toLowerCase() === 'escape' && m[2] === '`') return '`';
  }
  return '\\';
}

function continues(line: string, escapeChar: string): boolean {
  // A loop from the end: `/[ \t\r]+$/` is quadratic on a long run of blanks inside the line.
  let end = line.length;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t' || line[end - 1] === '\r')) end--;
  return end > 0 && line.slice(0, end).endsWith(escapeChar);
}

/**
 * Exec form: a JSON array of strings. Anything else (Docker then runs it as
 * shell form) gives undefined. Each word's span covers its quotes.
 */
function jsonArray(body: string, base: number[]): ShellWord[] | undefined {
  const words: ShellWord[] = [];
  let i = 0;
  const skip = (): void => {
    for (;;) {
      if (/\s/.test(body[i] ?? '')) i++;
      else if (body[i] === '\\' && /^\\[ \t]*\r?\n/.test(body.slice(i, i + 40))) i = body.indexOf('\n', i) + 1;
      else return;
    }
  };
  skip();
  if (body[i] !== '[') return undefined;
  i++;
  skip();
  if (body[i] === ']') {
    i++;
    skip();
    return i >= body.length ? words : undefined;
  }
  for (;;) {
    if (body[i] !== '"') return undefined;
    const start = i;
    const chars: string[] = [];
    const map: number[] = [];
    i++;
    for (; i < body.length && body[i] !== '"'; i++) {
      const c = body[i]!;
      if (c === '\n') return undefined;
      if (c !== '\\') {
        chars.push(c);
        map.push(base[i]!);
        continue;
      }
      const n = body[i + 1] ?? '';
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (simple[n] !== undefined) chars.push(simple[n]!);
      else if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 2, i + 6))) {
        chars.push(String.fromCharCode(parseInt(body.slice(i + 2, i + 6), 16)));
        map.push(base[i]!);
        i += 5;
        continue;
      } else return undefined;
      map.push(base[i]!);
      i++;
    }
    if (i >= body.length) return undefined;
    const span = { start: base[start]!, end: base[i]! + 1 };
    map.push(span.end);
    const text = chars.join('');
    words.push({ text, span, map, unresolved: false, quoted: true });
    i++;
    skip();
    if (body[i] === ',') {
      i++;
      skip();
      continue;
    }
    if (body[i] !== ']') return undefined;
    i++;
    skip();
    return i >= body.length ? words : undefined;
  }
}
