/**
 * `vcl-lint` entry point: binds the CLI (cli/run.ts) to this process.
 * Everything that can go wrong becomes one line on stderr and exit status 2;
 * a user never sees a stack trace.
 */
import { fileURLToPath } from 'node:url';
import { runCli } from './cli/run.js';
import { escapeControls } from './cli/display.js';
import { findRuleDocsDir, ruleDocUris } from './service/rule-docs.js';

const INTERNAL_ERROR = 2;

function writeOut(text: string): void {
  if (text) process.stdout.write(text);
}

function writeErr(text: string): void {
  if (text) process.stderr.write(text);
}

// `vcl-lint ... | head` closes the pipe early: stop quietly instead of dying on EPIPE.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  fatal(err);
});

process.on('uncaughtException', fatal);

function fatal(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`vcl-lint: internal error: ${escapeControls(message.split('\n', 1)[0] ?? '')}\n`);
  process.exit(INTERNAL_ERROR);
}

try {
  const color = process.stdout.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
  // The rule pages ship next to this bundle (dist/cli.cjs -> docs/rules/).
  const ruleDocUri = ruleDocUris(findRuleDocsDir(fileURLToPath(import.meta.url)));
  process.exitCode = runCli(process.argv.slice(2), { stdout: writeOut, stderr: writeErr, color, ruleDocUri });
} catch (err) {
  fatal(err);
}
