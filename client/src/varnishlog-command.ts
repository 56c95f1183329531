/**
 * "VCL: Diagnose 503s from varnishlog": runs `varnishlog -d -g request -q
 * 'RespStatus == 503'` on this machine and hands its output to the editor
 * as a varnishlog document, which the server then diagnoses. Pure (no
 * `vscode` import): where varnishlog is, running it, and the messages for
 * each way it can fail; extension.ts adds the trust check, the progress
 * notification and the document.
 *
 * The command runs a program, so it runs only the one the user chose: a
 * `vcl.varnishlogPath` from the user's own settings (the setting has
 * machine scope, and only its user value is read, so a workspace cannot
 * name a program), else `varnishlog` on PATH, searched in absolute folders
 * only (a relative PATH entry would resolve inside the workspace).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** Command id contributed in package.json ("VCL: Diagnose 503s from varnishlog"). */
export const DIAGNOSE_503_COMMAND = 'vcl.diagnose503s';

/** The setting (user settings only) that names the varnishlog program. */
export const VARNISHLOG_PATH_SETTING = 'varnishlogPath';

/** The setting that names the varnishd instance (`-n`) whose log is read; empty for the default one. */
export const VARNISHLOG_INSTANCE_SETTING = 'varnishlogInstance';

/** Every 503 varnishd's log still holds (`-d`: from the head of the log, then exit), grouped by request. */
export const VARNISHLOG_ARGS: readonly string[] = ['-d', '-g', 'request', '-q', 'RespStatus == 503'];

/** The arguments for one run: {@link VARNISHLOG_ARGS}, after `-n INSTANCE` when an instance is named. */
export function varnishlogArgs(instance: unknown): string[] {
  const name = typeof instance === 'string' ? instance.trim() : '';
  return name === '' ? [...VARNISHLOG_ARGS] : ['-n', name, ...VARNISHLOG_ARGS];
}

/**
 * The most output taken into the editor: the server's limit for any
 * document (a larger one would get only the "too large" diagnostic).
 */
export const MAX_CAPTURE_BYTES = 10 * 1024 * 1024;

/** How long varnishlog may run: `-d` ends at the end of the log, and its own wait for varnishd is 5 s. */
export const VARNISHLOG_TIMEOUT_MS = 60_000;

/** Where varnishlog is, or why there is none to run. */
export type Located = { ok: true; path: string; from: 'setting' | 'PATH' } | { ok: false; message: string };

/** What the file system is asked while looking for varnishlog (tests give their own). */
export interface ProgramProbe {
  /** True for a regular file (links followed). */
  isFile(path: string): boolean;
  /** True when this process may execute it. */
  isExecutable(path: string): boolean;
}

/** The real file system. */
export const diskProbe: ProgramProbe = {
  isFile: (path) => {
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  },
  isExecutable: (path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
};

const SETTING_NAME = `vcl.${VARNISHLOG_PATH_SETTING}`;

/**
 * Finds the varnishlog to run: `userSetting` (the user value of
 * vcl.varnishlogPath) when it is set, else the first executable
 * `varnishlog` in an absolute folder of `pathVariable`.
 */
export function locateVarnishlog(userSetting: unknown, pathVariable: string | undefined, probe: ProgramProbe = diskProbe): Located {
  if (typeof userSetting === 'string' && userSetting.trim() !== '') {
    const path = userSetting.trim();
    if (!isAbsolute(path)) return { ok: false, message: `${SETTING_NAME} must be an absolute path; it is '${path}'.` };
    if (!probe.isFile(path)) return { ok: false, message: `varnishlog not found: ${SETTING_NAME} names '${path}', which is not a file on this machine.` };
    if (!probe.isExecutable(path)) return { ok: false, message: noPermissionToRun(path) };
    return { ok: true, path, from: 'setting' };
  }
  const folders = (pathVariable ?? '').split(delimiter).filter((dir) => dir !== '' && isAbsolute(dir));
  let notExecutable: string | undefined;
  for (const dir of folders) {
    const candidate = join(dir, 'varnishlog');
    if (!probe.isFile(candidate)) continue;
    if (probe.isExecutable(candidate)) return { ok: true, path: candidate, from: 'PATH' };
    notExecutable ??= candidate;
  }
  if (notExecutable !== undefined) return { ok: false, message: noPermissionToRun(notExecutable) };
  return {
    ok: false,
    message: `varnishlog was not found on PATH. Install Varnish's tools on this machine (the varnish package has them), or name the program in the user setting ${SETTING_NAME}.`,
  };
}

function noPermissionToRun(path: string): string {
  return `No permission to run '${path}': this user may not execute it.`;
}

/** What running varnishlog gave. */
export type CaptureRun =
  /** The capture; `truncated` when it was cut at {@link MAX_CAPTURE_BYTES}. */
  | { kind: 'capture'; text: string; truncated: boolean }
  /** varnishlog ran and found no 503 in the log. */
  | { kind: 'empty' }
  | { kind: 'cancelled' }
  | { kind: 'failed'; message: string };

/** Options of one run; `args` defaults to {@link VARNISHLOG_ARGS}. */
export interface RunOptions {
  args?: readonly string[];
  timeoutMs?: number;
  maxBytes?: number;
  /** Aborting it (the progress notification's Cancel) stops varnishlog. */
  signal?: AbortSignal;
}

/** Runs varnishlog (no shell: the arguments go to it as they are) and collects its output. Never rejects. */
export function runVarnishlog(path: string, options: RunOptions = {}): Promise<CaptureRun> {
  const maxBytes = options.maxBytes ?? MAX_CAPTURE_BYTES;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (run: CaptureRun): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(run);
    };
    const chunks: Buffer[] = [];
    let bytes = 0;
    let truncated = false;
    let stderr = '';
    let timedOut = false;
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(path, [...(options.args ?? VARNISHLOG_ARGS)], { stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    } catch (err) {
      finish({ kind: 'failed', message: spawnFailure(path, err) });
      return;
    }
    const stop = (): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      // A child of its own (a wrapper script's) may hold the pipes open: let go of them, so the run ends now.
      child.stdout?.destroy();
      child.stderr?.destroy();
    };
    const onAbort = (): void => {
      stop();
      finish({ kind: 'cancelled' });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs ?? VARNISHLOG_TIMEOUT_MS);
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (truncated) return;
      const room = maxBytes - bytes;
      if (chunk.length > room) {
        // The rest would be refused by the editor anyway; what is kept is read as far as it goes.
        chunks.push(chunk.subarray(0, room));
        bytes = maxBytes;
        truncated = true;
        stop();
        return;
      }
      chunks.push(chunk);
      bytes += chunk.length;
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += chunk.toString('utf8');
    });
    child.on('error', (err) => finish({ kind: 'failed', message: spawnFailure(path, err) }));
    child.on('close', (code) => {
      const text = Buffer.concat(chunks, bytes).toString('utf8');
      if (truncated) return finish({ kind: 'capture', text, truncated: true });
      if (timedOut) {
        return finish(text.trim() !== '' ? { kind: 'capture', text, truncated: true } : { kind: 'failed', message: `varnishlog gave no answer within ${Math.round((options.timeoutMs ?? VARNISHLOG_TIMEOUT_MS) / 1000)} s and was stopped.` });
      }
      if (code !== 0) return finish({ kind: 'failed', message: explainFailure(path, code, stderr) });
      finish(text.trim() === '' ? { kind: 'empty' } : { kind: 'capture', text, truncated: false });
    });
  });
}

/** Why varnishlog could not be started, in words. */
export function spawnFailure(path: string, err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return `varnishlog not found: '${path}' does not exist (any more).`;
  if (code === 'EACCES' || code === 'EPERM') return noPermissionToRun(path);
  return `varnishlog could not be started ('${path}'): ${err instanceof Error ? err.message : String(err)}`;
}

/** What a failed varnishlog run means, from its exit status and what it wrote on stderr. */
export function explainFailure(path: string, code: number | null, stderr: string): string {
  const said = stderr
    .split(/\r?\n/)
    .map((l) => l.replace(/^\.+/, '').trim())
    .filter((l) => l !== '');
  const quote = said.length > 0 ? ` varnishlog said: "${said.slice(0, 2).join(' ')}"` : '';
  if (said.some((l) => /permission denied|not permitted|EACCES/i.test(l))) {
    return `varnishlog has no permission to read varnishd's log. Run VS Code as a user who may (root, or a member of varnishd's group, often 'varnish').${quote}`;
  }
  if (said.some((l) => /could not get hold of varnishd|is it running|cannot open|no such file/i.test(l))) {
    return `varnishlog found no running varnishd on this machine (an instance started with -n NAME is not the default one: name it in the setting vcl.${VARNISHLOG_INSTANCE_SETTING}).${quote}`;
  }
  return `varnishlog failed (${code === null ? 'stopped by a signal' : `exit status ${code}`}, '${path}').${quote}`;
}
