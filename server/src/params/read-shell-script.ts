/**
 * Shell scripts that start varnishd (or Vinyl Cache's vinyld) themselves
 * (container entrypoints, init scripts, wrappers): every `varnishd ...`
 * command, possibly behind `exec`, `env`, `nohup`, `sudo`, `sh -c '...'`,
 * and continued over lines.
 */
import type { ParamsCommand, ParamsFile } from './model.js';
import { tokenize } from './shell-words.js';
import { commandOf, findInvocations, parseVarnishdArgs } from './varnishd-args.js';

/** Reads a shell script. Never throws. */
export function read(text: string): ParamsFile {
  const tokens = tokenize(text, { dialect: 'sh' });
  const problems = [...tokens.problems];
  const commands: ParamsCommand[] = [];
  for (const inv of findInvocations(tokens.words, problems)) {
    const parsed = parseVarnishdArgs(inv.args);
    problems.push(...parsed.problems);
    const first = inv.program ?? inv.args[0];
    const last = inv.args[inv.args.length - 1] ?? first;
    if (!first || !last) continue;
    const region = { start: first.span.start, end: Math.max(first.span.end, last.span.end) };
    commands.push(commandOf(text, region, parsed, inv.program));
  }
  return { kind: 'shell-script', commands, problems };
}
