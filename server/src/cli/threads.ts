/**
 * node:worker_threads, loaded when a run first needs it. Loading it took
 * 2 ms of every start (of about 40 that are the CLI's own in a small
 * file's run), and only runs over many files start threads.
 */
import { createRequire } from 'node:module';

type WorkerThreads = typeof import('node:worker_threads');

let loaded: WorkerThreads | undefined;

/** The node:worker_threads module. */
export function workerThreads(): WorkerThreads {
  return (loaded ??= createRequire(import.meta.url)('node:worker_threads') as WorkerThreads);
}

/**
 * The argument a lint thread is started with (it is added to the thread's
 * process.argv), so that the bundle can tell it is a thread without loading
 * node:worker_threads. It only says where to look: a thread is served only
 * when node:worker_threads confirms it is one and its data is a lint
 * thread's, so the argument on a command line does nothing.
 */
export const LINT_THREAD_ARG = '--vcl-lint-thread';
