/**
 * Work shared between this thread and worker threads, for runs with many
 * files. Items are numbered; every thread takes the next few from one
 * shared counter (an atomic add), so a slow item never leaves another
 * thread idle and no item is taken twice. Results come back by number and
 * are returned in order, so the caller's output does not depend on which
 * thread did what. A worker that fails (it cannot start, or dies) loses
 * nothing: the items it took and did not report are done here at the end.
 */
import type { Worker } from 'node:worker_threads';
import { workerThreads } from './threads.js';

/** Items taken at a time: small enough to balance the threads, large enough that messages cost nothing. */
const CHUNK = 16;

/** What a worker needs to take its share: the shared counter and how many items there are. */
export interface PoolShare {
  counter: SharedArrayBuffer;
  count: number;
}

/** The message a worker sends for each batch of items it did. */
interface Done<R> {
  start: number;
  results: R[];
}

/** Takes batches of items from the shared counter until none are left. */
function takeAll(share: PoolShare, doOne: (i: number) => void, batchDone: (start: number, end: number) => void): void {
  const counter = new Int32Array(share.counter);
  for (;;) {
    const start = Atomics.add(counter, 0, CHUNK);
    if (start >= share.count) return;
    const end = Math.min(start + CHUNK, share.count);
    for (let i = start; i < end; i++) doOne(i);
    batchDone(start, end);
  }
}

/**
 * Does items 0..count-1 with `doHere` in this thread and with `threads - 1`
 * workers made by `spawn` (each calls {@link serveShare} with the share it
 * is given). Resolves with every result in item order. Rejects only if
 * `doHere` throws.
 */
export async function runPool<R>(count: number, threads: number, doHere: (i: number) => R, spawn: (share: PoolShare) => Worker): Promise<R[]> {
  const share: PoolShare = { counter: new SharedArrayBuffer(4), count };
  const results: R[] = new Array(count);
  const done = new Uint8Array(count);
  const ended: Array<Promise<void>> = [];
  for (let k = 1; k < threads; k++) {
    let worker: Worker;
    try {
      worker = spawn(share);
    } catch {
      // No worker: this thread takes its share.
      continue;
    }
    ended.push(
      new Promise((resolve) => {
        worker.on('message', (m: Done<R>) => {
          m.results.forEach((r, j) => {
            results[m.start + j] = r;
            done[m.start + j] = 1;
          });
        });
        // An error is followed by 'exit'; what the worker did not report is redone below.
        worker.on('error', () => undefined);
        worker.on('exit', () => resolve());
      }),
    );
  }
  takeAll(
    share,
    (i) => {
      results[i] = doHere(i);
      done[i] = 1;
    },
    () => undefined,
  );
  await Promise.all(ended);
  for (let i = 0; i < count; i++) if (!done[i]) results[i] = doHere(i);
  return results;
}

/** A worker's side of {@link runPool}: does items with `doOne` until none are left, reporting each batch. */
export function serveShare<R>(share: PoolShare, doOne: (i: number) => R): void {
  const port = workerThreads().parentPort;
  if (!port) throw new Error('serveShare runs in a worker thread');
  let batch: R[] = [];
  takeAll(
    share,
    (i) => {
      batch.push(doOne(i));
    },
    (start) => {
      const message: Done<R> = { start, results: batch };
      port.postMessage(message);
      batch = [];
    },
  );
}
