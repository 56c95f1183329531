/**
 * Which reader understands a file: by its name and place first (the names
 * distributions and tools give these files), then by what it contains.
 */
import { isVarnishCompose } from './compose-detect.js';
import type { ParamsFile, ParamsFileKind } from './model.js';
import { read as readCliInit } from './read-cli-init.js';
import { read as readCompose } from './read-compose.js';
import { read as readDockerfile } from './read-dockerfile.js';
import { read as readShellEnv } from './read-shell-env.js';
import { read as readShellScript } from './read-shell-script.js';
import { read as readSystemd } from './read-systemd.js';

/** One reader per file kind; each returns a model and never throws. */
export const readers: Record<ParamsFileKind, (text: string) => ParamsFile> = {
  systemd: readSystemd,
  'shell-env': readShellEnv,
  'cli-init': readCliInit,
  'docker-compose': readCompose,
  dockerfile: readDockerfile,
  'shell-script': readShellScript,
};

/** Extensions of files that may mention varnishd but never configure it. */
const NOT_PARAMS = /\.(vcl|vtc|md|markdown|rst|adoc|html?|xml|json|jsonc|js|mjs|cjs|ts|py|rb|go|rs|c|h|java|php|lock|log)$/i;

export interface DetectOptions {
  /** Also look at the content when the name says nothing (default true). */
  byContent?: boolean;
}

/**
 * The kind of parameter file at `path`, or undefined if it is not one.
 * Generic names (`*.service`, compose files, Dockerfiles, `*.sh`) count only
 * when the path or the text mentions varnish. Binary files are never one.
 */
export function detectParamsKind(path: string, text: string, options: DetectOptions = {}): ParamsFileKind | undefined {
  if (text.slice(0, 8192).includes('\0')) return undefined;
  const p = path.replace(/\\/g, '/');
  const base = p.slice(p.lastIndexOf('/') + 1);
  const dir = p.slice(0, Math.max(0, p.lastIndexOf('/')));
  const parent = dir.slice(dir.lastIndexOf('/') + 1);
  const aboutVarnish = /varnish/i.test(p) || /varnish/i.test(text);

  if (base === 'varnish.params' || (/^(default|sysconfig)$/.test(parent) && /^varnish/.test(base))) return 'shell-env';
  if (/\.cli$/i.test(base)) return 'cli-init';
  if (/\.service$/.test(base) || (/\.service\.d$/.test(parent) && /\.conf$/.test(base))) return aboutVarnish ? 'systemd' : undefined;
  if (/^(docker-)?compose[^/]*\.ya?ml$/i.test(base)) return aboutVarnish && isVarnishCompose(text, true) ? 'docker-compose' : undefined;
  if (/^(Dockerfile|Containerfile)([.-].*)?$/i.test(base) || /\.(dockerfile|containerfile)$/i.test(base)) {
    return aboutVarnish ? 'dockerfile' : undefined;
  }
  if (/\.(sh|bash)$/i.test(base)) return /varnishd/.test(text) ? 'shell-script' : undefined;

  if (options.byContent === false || NOT_PARAMS.test(base)) return undefined;
  return detectByContent(text);
}

/** The kind a text looks like, whatever its name (`vcl-lint --params FILE`). */
export function detectByContent(text: string): ParamsFileKind | undefined {
  const kind = kindByPatterns(text);
  // YAML with a `services:` key is a compose file exactly when a service
  // runs Varnish, however the YAML is written (flow style, merge keys).
  if (kind === 'docker-compose' || (!kind && /^services[ \t]*:/m.test(text) && /varnish/i.test(text))) {
    return isVarnishCompose(text) ? 'docker-compose' : undefined;
  }
  return kind;
}

/** What the text's lines look like, before the compose check reads it as YAML. */
function kindByPatterns(text: string): ParamsFileKind | undefined {
  if (text.slice(0, 8192).includes('\0')) return undefined;
  if (/^[ \t]*ExecStart[ \t]*=/m.test(text) && /varnishd/.test(text)) return 'systemd';
  if (/^[ \t]*(export[ \t]+)?(DAEMON_OPTS|VARNISHD_PARAMS|VARNISHD_OPTS|VARNISH_[A-Z_]+)\+?=/m.test(text)) return 'shell-env';
  if (/^[ \t]*-?param\.set[ \t]/m.test(text)) return 'cli-init';
  if (/^services[ \t]*:/m.test(text) && (/^[ \t]*image[ \t]*:.*varnish/im.test(text) || /varnishd/.test(text))) return 'docker-compose';
  if (/^[ \t]*FROM[ \t]+(--\S+[ \t]+)*\S*varnish/im.test(text)) return 'dockerfile';
  if (/^[ \t]*(exec[ \t]+|nohup[ \t]+|env[ \t][^\n]*)?(\S*\/)?varnishd([ \t]|\\?\r?$)/m.test(text)) return 'shell-script';
  return undefined;
}

/**
 * Reads `text` as the parameter file it is (or as `kind` when the caller
 * knows better, e.g. `--params FILE`); undefined when it is not one. Never
 * throws: a reader that fails turns into one error problem.
 */
export function readParamsFile(path: string, text: string, kind?: ParamsFileKind): ParamsFile | undefined {
  const k = kind ?? detectParamsKind(path, text);
  if (!k) return undefined;
  try {
    return readers[k](text);
  } catch (e) {
    const message = `Internal error reading this ${k} file: ${e instanceof Error ? e.message : String(e)}`;
    return { kind: k, commands: [], problems: [{ message, span: { start: 0, end: 0 }, severity: 'error' }] };
  }
}
