/**
 * Which files the tools look at: VCL by extension, and files that carry
 * varnishd or vinyld options by name and path (varnish.params,
 * /etc/default/varnish, /etc/default/vinyl-cache, systemd units and
 * drop-ins, -I CLI files, compose files, Dockerfiles, shell scripts,
 * Kubernetes manifests),
 * confirmed by their text mentioning Varnish or Vinyl Cache.
 */
import { basename } from 'node:path';
import { detectParamsKind } from '../params/detect.js';
import { readFileSafely } from '../io/safe-read.js';
import type { LanguageId } from './types.js';

const PARAMS_NAME = /^(varnish\.params|.*\.service|.*\.conf|.*\.cli|(docker-)?compose.*\.ya?ml|.*\.ya?ml|Dockerfile.*|Containerfile.*|.*\.(sh|bash))$/i;
const ENV_FILE = /[\\/](default|sysconfig)[\\/](varnish|vinyl-cache)[^\\/]*$/;

/** True when the name alone makes a file worth reading as a possible parameter file. */
export function paramsFileCandidate(path: string): boolean {
  return PARAMS_NAME.test(basename(path)) || ENV_FILE.test(path);
}

/** The language of a file found on disk, or undefined to leave it alone; `fsPath` reaches it when its name is not UTF-8. */
export function languageOfFile(path: string, fsPath: string | Buffer = path): LanguageId | undefined {
  if (path.toLowerCase().endsWith('.vcl')) return 'vcl';
  if (!paramsFileCandidate(path)) return undefined;
  const text = readHead(fsPath);
  return text !== undefined && detectParamsKind(path, text, { byContent: false }) ? 'varnish-params' : undefined;
}

/** The first 64 KB of a file, enough to recognise it; undefined for anything but a readable regular file. */
export function readHead(path: string | Buffer): string | undefined {
  const read = readFileSafely(path, { maxBytes: 64 * 1024, head: true });
  return read.ok ? read.bytes.toString('utf8') : undefined;
}

/**
 * What kind of parameter file a text is, by its name and its content
 * (undefined when it runs no varnishd): how a front end decides what a
 * file it was handed is.
 */
export function paramsKindOf(path: string, text: string): ReturnType<typeof detectParamsKind> {
  return detectParamsKind(path, text);
}
