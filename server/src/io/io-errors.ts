/**
 * Turns Node's file-system errors into the short phrases the tools print
 * (`cannot read 'x': no such file or directory`), never a stack trace.
 */
import { isAbsolute, relative } from 'node:path';

const PHRASES: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'file name too long',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
};

/** A one-line, human description of an error thrown by `fs`. */
export function describeIoError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && PHRASES[code]) return PHRASES[code]!;
  const message = err instanceof Error ? err.message : String(err);
  return firstLine(message);
}

/** The first line of a message, so multi-line errors still print as one line. */
export function firstLine(message: string): string {
  const line = message.split(/\r?\n/, 1)[0] ?? '';
  return line.trim() || 'unknown error';
}

/** True when `path` is `folder` or lies inside it (both absolute; links are the caller's to resolve). */
export function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
