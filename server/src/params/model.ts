/**
 * One model for varnishd options, whatever file they were read from:
 * systemd units, shell environment files, `-I` CLI files, docker-compose,
 * Dockerfiles, plain shell scripts and Kubernetes manifests.
 */

/** Offsets into the file's text, end exclusive. */
export interface TextSpan {
  start: number;
  end: number;
}

/** Which reader understood the file. */
export type ParamsFileKind =
  | 'systemd'
  | 'shell-env'
  | 'cli-init'
  | 'docker-compose'
  | 'dockerfile'
  | 'shell-script'
  | 'kubernetes'
  | 'helm-values'
  | 'helm-template';

/** A `-p name=value` / `param.set name value` setting. */
export interface ParamSetting {
  /** Parameter name as written. */
  name: string;
  /** Value as written, unquoted. */
  value: string;
  nameSpan: TextSpan;
  valueSpan: TextSpan;
  /** The whole option (`-p name=value`, `param.set name value`), for removal or replacement. */
  span: TextSpan;
  /** How it was written: `-p`, `param.set`, or a `VARNISH_*` variable that maps to a parameter. */
  form: 'flag' | 'param.set' | 'variable';
  /**
   * The name or value holds a `$VAR`, `${VAR}`, `$(...)` or backquote the
   * reader could not resolve: it is only known when the file runs, so
   * validators should not judge it.
   */
  unresolved?: boolean;
}

/** Any other varnishd command-line option (`-a`, `-s`, `-f`, `-I`, ...). */
export interface OtherOption {
  flag: string;
  value?: string;
  span: TextSpan;
}

/**
 * One varnishd invocation (or one `-I` file): the place new options go and
 * what it already sets.
 */
export interface ParamsCommand {
  /** Where the command text lies (an ExecStart= value, a DAEMON_OPTS string, a compose command). */
  span: TextSpan;
  settings: ParamSetting[];
  options: OtherOption[];
  /**
   * Where a new `-p name=value` (or `param.set` line) is inserted, and how:
   * the text before and after it that keeps the file's quoting and `\`
   * continuations intact.
   */
  insertAt: InsertAt;
}

/**
 * Where and how a new setting is added. The inserted text is
 * `prefix + SETTING + suffix`, where SETTING is `-p name=value`, or
 * `param.set name value` when `form` is `'param.set'`, or `-p` and
 * `name=value` as two list items joined by `between` (YAML or JSON lists,
 * where one item may not hold both). {@link newSettingText} builds it.
 */
export interface InsertAt {
  offset: number;
  prefix: string;
  suffix: string;
  form?: 'param.set';
  between?: string;
}

/** The text to insert at `at` to add `name` = `value`, in the file's own style. */
export function newSettingText(at: InsertAt, name: string, value: string): string {
  const setting =
    at.form === 'param.set'
      ? `param.set ${name} ${value}`
      : at.between !== undefined
        ? `-p${at.between}${name}=${value}`
        : `-p ${name}=${value}`;
  return at.prefix + setting + at.suffix;
}

/** A problem reading the file itself (unbalanced quote, no ExecStart, ...). */
export interface ReadProblem {
  message: string;
  span: TextSpan;
  severity: 'error' | 'warning' | 'info';
}

export interface ParamsFile {
  kind: ParamsFileKind;
  commands: ParamsCommand[];
  problems: ReadProblem[];
}
