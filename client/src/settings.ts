/**
 * The `vcl.*` settings the client hands to the server, filtered by
 * workspace trust. Pure (no `vscode` import): the extension passes
 * `vscode.workspace.getConfiguration('vcl')`, tests pass a plain object.
 */

/** The part of `vscode.WorkspaceConfiguration` the settings are read through. */
export interface SettingsSource {
  get<T>(key: string, defaultValue: T): T;
  inspect<T>(key: string): { globalValue?: T } | undefined;
}

/**
 * Settings that make the server read files from a folder (include folders,
 * vmod libraries). In an untrusted workspace only the user's own values
 * count, never the workspace's; package.json lists the same keys under
 * `capabilities.untrustedWorkspaces.restrictedConfigurations`.
 */
export const RESTRICTED_SETTINGS = ['includePaths', 'vmodPath'] as const;

/** What the server receives as `initializationOptions` and as the `vcl` configuration section. */
export interface VclSettings {
  includePaths: string[];
  vmodPath: string[];
  maxResponseHeaderBytes: number | null;
  errUnref: boolean;
  allowInlineC: boolean;
  /** `vcl.varnishVersion` as written (`7.7`); empty for the default. The server checks it. */
  varnishVersion: string;
  lint: { rules: Record<string, string> };
}

/** Reads the settings; `trusted` is `vscode.workspace.isTrusted`. Values of the wrong type fall back to the default. */
export function readVclSettings(config: SettingsSource, trusted: boolean): VclSettings {
  const folders = (key: (typeof RESTRICTED_SETTINGS)[number]): string[] =>
    stringList(trusted ? config.get<unknown>(key, []) : config.inspect<unknown>(key)?.globalValue);
  const max = config.get<unknown>('maxResponseHeaderBytes', null);
  const errUnref = config.get<unknown>('errUnref', true);
  const allowInlineC = config.get<unknown>('allowInlineC', false);
  const varnishVersion = config.get<unknown>('varnishVersion', '');
  return {
    includePaths: folders('includePaths'),
    vmodPath: folders('vmodPath'),
    maxResponseHeaderBytes: typeof max === 'number' && Number.isFinite(max) && max > 0 ? max : null,
    errUnref: typeof errUnref === 'boolean' ? errUnref : true,
    allowInlineC: allowInlineC === true,
    varnishVersion: typeof varnishVersion === 'string' ? varnishVersion.trim() : '',
    lint: { rules: stringRecord(config.get<unknown>('lint.rules', {})) },
  };
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length > 0) : [];
}

function stringRecord(v: unknown): Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
