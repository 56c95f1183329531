/**
 * Which files the tools look at: VCL by extension, and files that carry
 * varnishd options by name and path (varnish.params, /etc/default/varnish,
 * systemd units and drop-ins, -I CLI files, compose files, Dockerfiles,
 * shell scripts), confirmed by their text mentioning varnish.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { detectParamsKind } from '../params/detect.js';
import type { LanguageId } from './types.js';

const PARAMS_NAME = /^(varnish\.params|.*\.service|.*\.conf|.*\.cli|(docker-)?compose.*\.ya?ml|Dockerfile.*|Containerfile.*|.*\.(sh|bash))$/i;
const ENV_FILE = /[\\/](default|sysconfig)[\\/]varnish[^\\/]*$/;

/** True when the name alone makes a file worth reading as a possible parameter file. */
export function paramsFileCandidate(path: string): boolean {
  return PARAMS_NAME.test(basename(path)) || ENV_FILE.test(path);
}

/** The language of a file found on disk, or undefined to leave it alone. */
export function languageOfFile(path: string): LanguageId | undefined {
  if (path.toLowerCase().endsWith('.vcl')) return 'vcl';
  if (!paramsFileCandidate(path)) return undefined;
  const text = readHead(path);
  return text !== undefined && detectParamsKind(path, text, { byContent: false }) ? 'varnish-params' : undefined;
}

/** The first 64 KB of a file, enough to recognise it. */
function readHead(path: string): string | undefined {
  try {
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(64 * 1024);
      const n = readSync(fd, buf, 0, buf.length, 0);
      return buf.subarray(0, n).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}
