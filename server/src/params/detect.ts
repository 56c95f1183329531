/**
 * Which reader understands a file: by its name and place first (the names
 * distributions and tools give these files), then by what it contains.
 */
import { isVarnishCompose } from './compose-detect.js';
import { ABOUT_CACHE, CACHE_SERVICE_NAME, DAEMON_PROGRAMS, NAMES_DAEMON, PACKAGE_NAME } from './daemon-names.js';
import type { ParamsFile, ParamsFileKind } from './model.js';
import { read as readCliInit } from './read-cli-init.js';
import { read as readCompose } from './read-compose.js';
import { read as readDockerfile } from './read-dockerfile.js';
import { isCacheManifest, read as readKubernetes } from './read-kubernetes.js';
import { isCacheValues, read as readHelmValues } from './read-helm-values.js';
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
  kubernetes: readKubernetes,
  'helm-values': readHelmValues,
  // Not YAML until Helm renders it: nothing to read (the service says so once).
  'helm-template': () => ({ kind: 'helm-template', commands: [], problems: [] }),
};

/** Extensions of files that may mention the daemon but never configure it. */
const NOT_PARAMS = /\.(vcl|vtc|md|markdown|rst|adoc|html?|xml|json|jsonc|js|mjs|cjs|ts|py|rb|go|rs|c|h|java|php|lock|log)$/i;

export interface DetectOptions {
  /** Also look at the content when the name says nothing (default true). */
  byContent?: boolean;
}

/**
 * The kind of parameter file at `path`, or undefined if it is not one.
 * Generic names (`*.service`, compose files, Dockerfiles, `*.sh`) count only
 * when the path or the text mentions Varnish or Vinyl Cache. Binary files
 * are never one.
 */
export function detectParamsKind(path: string, text: string, options: DetectOptions = {}): ParamsFileKind | undefined {
  if (text.slice(0, 8192).includes('\0')) return undefined;
  const p = path.replace(/\\/g, '/');
  const base = p.slice(p.lastIndexOf('/') + 1);
  const dir = p.slice(0, Math.max(0, p.lastIndexOf('/')));
  const parent = dir.slice(dir.lastIndexOf('/') + 1);
  const aboutVarnish = ABOUT_CACHE.test(p) || ABOUT_CACHE.test(text);

  if (base === 'varnish.params' || (/^(default|sysconfig)$/.test(parent) && PACKAGE_NAME.test(base))) return 'shell-env';
  if (/\.cli$/i.test(base)) return 'cli-init';
  if (/\.service$/.test(base) || (/\.service\.d$/.test(parent) && /\.conf$/.test(base))) return aboutVarnish ? 'systemd' : undefined;
  if (/^(docker-)?compose[^/]*\.ya?ml$/i.test(base)) {
    // An override may name the service and nothing else (`vinyl:` with only a command).
    return (aboutVarnish || CACHE_SERVICE_NAME.test(text)) && isVarnishCompose(text, true) ? 'docker-compose' : undefined;
  }
  if (/^(Dockerfile|Containerfile)([.-].*)?$/i.test(base) || /\.(dockerfile|containerfile)$/i.test(base)) {
    return aboutVarnish ? 'dockerfile' : undefined;
  }
  if (/\.(sh|bash)$/i.test(base)) return NAMES_DAEMON.test(text) ? 'shell-script' : undefined;
  // Any other YAML: a Kubernetes manifest by its content (`apiVersion` and `kind`), never by its name.
  // A chart's template (`templates/*.yaml` with `{{ }}` actions) is not YAML until rendered.
  if (/\.ya?ml$/i.test(base) && /(^|\/)templates\//.test(p) && text.includes('{{') && /varnish|vinyl|\.vcl\b/i.test(text)) return 'helm-template';
  if (/\.ya?ml$/i.test(base) && isCacheManifest(text)) return 'kubernetes';
  // A chart's values: no Kubernetes object, the charts' keys under `server:`.
  if (/\.ya?ml$/i.test(base) && isCacheValues(text)) return 'helm-values';

  if (options.byContent === false || NOT_PARAMS.test(base)) return undefined;
  return detectByContent(text);
}

/** The kind a text looks like, whatever its name (`vcl-lint --params FILE`). */
export function detectByContent(text: string): ParamsFileKind | undefined {
  const kind = kindByPatterns(text);
  // YAML with a `services:` key is a compose file exactly when a service
  // runs Varnish, however the YAML is written (flow style, merge keys).
  if (kind === 'docker-compose' || (!kind && /^services[ \t]*:/m.test(text) && ABOUT_CACHE.test(text))) {
    if (isVarnishCompose(text)) return 'docker-compose';
  } else if (kind) {
    return kind;
  }
  if (isCacheManifest(text)) return 'kubernetes';
  return isCacheValues(text) ? 'helm-values' : undefined;
}

/** What the text's lines look like, before the compose check reads it as YAML. */
function kindByPatterns(text: string): ParamsFileKind | undefined {
  if (text.slice(0, 8192).includes('\0')) return undefined;
  if (/^[ \t]*ExecStart[ \t]*=/m.test(text) && NAMES_DAEMON.test(text)) return 'systemd';
  if (/^[ \t]*(export[ \t]+)?(DAEMON_OPTS|VARNISHD_PARAMS|VARNISHD_OPTS|VARNISH_[A-Z_]+)\+?=/m.test(text)) return 'shell-env';
  if (/^[ \t]*-?param\.set[ \t]/m.test(text)) return 'cli-init';
  if (/^services[ \t]*:/m.test(text) && (/^[ \t]*image[ \t]*:.*varnish/im.test(text) || NAMES_DAEMON.test(text))) return 'docker-compose';
  if (/^[ \t]*FROM[ \t]+(--\S+[ \t]+)*\S*varnish/im.test(text)) return 'dockerfile';
  if (startsDaemon(text)) return 'shell-script';
  return undefined;
}

/**
 * True when a line runs the daemon: `varnishd ...`, `/usr/sbin/vinyld`,
 * `exec varnishd`, `nohup vinyld`, `env A=b ... varnishd`. Read line by
 * line, each occurrence of a name once: as one regular expression (an
 * `env` line of any words, then a path, then the name) it backtracked
 * cubically.
 */
function startsDaemon(text: string): boolean {
  for (const line of text.split(/\r\n?|\n|\u2028|\u2029/)) {
    if (!DAEMON_PROGRAMS.some((name) => line.includes(name))) continue;
    // What may stand before the name, worked out once per line.
    const start = /^[ \t]*/.exec(line)![0].length;
    const isEnv = /^env[ \t]/.test(line.slice(start, start + 4));
    const command = isEnv ? null : /^(exec|nohup)[ \t]+/.exec(line.slice(start, start + 64));
    const pathStarts = command ? [start, start + command[0].length] : [start];
    const blankAfter = pathStarts.map((from) => firstWhitespace(line, from));
    for (const name of DAEMON_PROGRAMS) {
      for (let k = line.indexOf(name); k >= 0; k = line.indexOf(name, k + 1)) {
        if (!endsName(line, k + name.length)) continue;
        if (isEnv) {
          if (k >= start + 4) return true;
          continue;
        }
        // Before the name: nothing, or a path ending in '/' with no blank in it.
        for (let i = 0; i < pathStarts.length; i++) {
          if (k === pathStarts[i] || (k > pathStarts[i]! && line[k - 1] === '/' && blankAfter[i]! >= k)) return true;
        }
      }
    }
  }
  return false;
}

/** True when a name ends at `at`: a blank follows, or the line ends (a `\` continuation may stand there). */
function endsName(line: string, at: number): boolean {
  const c = line[at];
  return c === undefined || c === ' ' || c === '\t' || (c === '\\' && at + 1 === line.length);
}

/** Index of the first whitespace character at or after `from`, or the line's length. */
function firstWhitespace(line: string, from: number): number {
  const ws = /\s/g;
  ws.lastIndex = from;
  return ws.exec(line)?.index ?? line.length;
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
