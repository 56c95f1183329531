/**
 * `vcl-lint` entry point: binds the CLI (cli/run.ts) to this process.
 * Everything that can go wrong becomes one line on stderr and exit status 2;
 * a user never sees a stack trace.
 */
import { fileURLToPath } from 'node:url';
import { isLintWorkerData, runCliThreaded, serveLintWorker, type LintWorkerData } from './cli/run.js';
import { escapeControls } from './cli/display.js';
import { LINT_THREAD_ARG, workerThreads } from './cli/threads.js';
import { findRuleDocsDir, ruleDocUris } from './service/rule-docs.js';

const INTERNAL_ERROR = 2;

function writeOut(text: string): void {
  if (text) process.stdout.write(text);
}

/** Whether anything was written to stderr: node makes process.stderr on first use, which costs a run that never needed it about 2 ms (a pipe's stream and its modules). */
let wroteStderr = false;

function writeErr(text: string): void {
  if (!text) return;
  wroteStderr = true;
  process.stderr.write(text);
}

function fatal(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`vcl-lint: internal error: ${escapeControls(message.split('\n', 1)[0] ?? '')}\n`);
  process.exit(INTERNAL_ERROR);
}

const self = fileURLToPath(import.meta.url);

/** The data this thread was started with, when it is a lint thread (see threads.ts). */
function lintThreadData(): LintWorkerData | undefined {
  if (!process.argv.includes(LINT_THREAD_ARG)) return undefined;
  const { isMainThread, workerData } = workerThreads();
  return !isMainThread && isLintWorkerData(workerData) ? workerData : undefined;
}

const workerData = lintThreadData();
if (workerData) {
  // A thread of a large run (cli/pool.ts): it writes nothing; its results go back to the main
  // thread, which does again whatever a failed worker left undone.
  serveLintWorker(workerData);
} else {
  // `vcl-lint ... | head` closes the pipe early: stop quietly instead of dying on EPIPE.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    fatal(err);
  });
  process.on('uncaughtException', fatal);
  try {
    const color = process.stdout.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
    // The rule pages ship next to this bundle (dist/cli.cjs -> docs/rules/).
    const ruleDocUri = ruleDocUris(findRuleDocsDir(self));
    runCliThreaded(process.argv.slice(2), { stdout: writeOut, stderr: writeErr, color, ruleDocUri }, self).then((status) => {
      process.exitCode = status;
      // Everything is written: leave now rather than wait for node to tear down the heap of the
      // analysis (2-3% of a whole run, measured). Output still queued (an asynchronous pipe on some
      // systems) is left to drain by the usual exit, which loses none of it.
      if (process.stdout.writableLength === 0 && (!wroteStderr || process.stderr.writableLength === 0)) process.exit();
    }, fatal);
  } catch (err) {
    fatal(err);
  }
}
