/**
 * The client's `vcl.*` settings: what reaches the server in trusted and
 * untrusted workspaces, and that package.json declares every setting the
 * client reads, describes it, and restricts the same settings the client
 * filters.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readVclSettings, RESTRICTED_SETTINGS, type SettingsSource } from '../../client/src/settings.js';
import { knownRuleIds } from '../../server/src/service/rule-ids.js';
import { VARNISHLOG_INSTANCE_SETTING, VARNISHLOG_PATH_SETTING } from '../../client/src/varnishlog-command.js';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { description?: string; default?: unknown; propertyNames?: { enum?: string[] } }> } };
  capabilities: { untrustedWorkspaces: { supported: unknown; restrictedConfigurations?: string[] } };
};
const properties = manifest.contributes.configuration.properties;

/**
 * A configuration as VS Code layers it: package.json defaults, then the
 * user's (global) values, then the workspace's. `get` returns the merged
 * value, `inspect` the layers.
 */
function layered(user: Record<string, unknown>, workspace: Record<string, unknown>): SettingsSource {
  const defaults = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k.slice('vcl.'.length), v.default]));
  return {
    get: <T>(key: string, fallback: T): T => (key in workspace ? workspace[key] : key in user ? user[key] : key in defaults ? defaults[key] : fallback) as T,
    inspect: <T>(key: string) => ({ globalValue: user[key] as T | undefined }),
  };
}

const USER = { includePaths: ['/home/me/vcl'], vmodPath: ['/home/me/vmods'] };
const WORKSPACE = {
  includePaths: ['/tmp/evil/include'],
  vmodPath: ['./vmods-from-the-repository'],
  maxResponseHeaderBytes: 65536,
  errUnref: false,
  allowInlineC: true,
  varnishVersion: '7.7',
  'lint.rules': { 'backend-probe-missing': 'error' },
};

describe('client: vcl settings', function () {
  it('passes every setting through in a trusted workspace, the workspace winning', function () {
    assert.deepEqual(readVclSettings(layered(USER, WORKSPACE), true), {
      includePaths: ['/tmp/evil/include'],
      vmodPath: ['./vmods-from-the-repository'],
      maxResponseHeaderBytes: 65536,
      errUnref: false,
      allowInlineC: true,
      varnishVersion: '7.7',
      lint: { rules: { 'backend-probe-missing': 'error' } },
    });
  });

  it('never takes a folder from an untrusted workspace, only the user\'s own', function () {
    const settings = readVclSettings(layered(USER, WORKSPACE), false);
    assert.deepEqual(settings.includePaths, USER.includePaths);
    assert.deepEqual(settings.vmodPath, USER.vmodPath);
    // Settings that point at no file still apply.
    assert.equal(settings.maxResponseHeaderBytes, 65536);
    assert.deepEqual(settings.lint.rules, { 'backend-probe-missing': 'error' });
  });

  it('gives an untrusted workspace without user folders no folder at all', function () {
    const settings = readVclSettings(layered({}, WORKSPACE), false);
    for (const key of RESTRICTED_SETTINGS) assert.deepEqual(settings[key], [], key);
  });

  it('falls back to the defaults for values of the wrong type', function () {
    const settings = readVclSettings(layered({}, { includePaths: '/not/a/list', vmodPath: [3, '', '/ok'], maxResponseHeaderBytes: -5, errUnref: 'no', allowInlineC: 'yes', varnishVersion: 7.7, 'lint.rules': ['syntax'] }), true);
    assert.deepEqual(settings, { includePaths: [], vmodPath: ['/ok'], maxResponseHeaderBytes: null, errUnref: true, allowInlineC: false, varnishVersion: '', lint: { rules: {} } });
  });

  it('restricts in package.json exactly the settings it filters, and supports untrusted workspaces in a limited way', function () {
    const untrusted = manifest.capabilities.untrustedWorkspaces;
    assert.equal(untrusted.supported, 'limited');
    assert.deepEqual([...(untrusted.restrictedConfigurations ?? [])].sort(), RESTRICTED_SETTINGS.map((k) => `vcl.${k}`).sort());
  });

  it('declares and describes in package.json every setting it reads, and reads every declared one', function () {
    const read = new Set<string>();
    const spy: SettingsSource = {
      get: <T>(key: string, fallback: T): T => (read.add(key), fallback),
      inspect: (key: string) => (read.add(key), undefined),
    };
    readVclSettings(spy, true);
    readVclSettings(spy, false);
    // vcl.trace.server is read by vscode-languageclient itself (client id "vcl"); vcl.varnishlogPath and
    // vcl.varnishlogInstance by the Diagnose 503s command only, never sent to the server (see varnishlog-command.test.ts).
    const commandOnly = [VARNISHLOG_PATH_SETTING, VARNISHLOG_INSTANCE_SETTING].map((k) => `vcl.${k}`);
    const declared = Object.keys(properties)
      .filter((k) => k !== 'vcl.trace.server' && !commandOnly.includes(k))
      .map((k) => k.slice('vcl.'.length));
    assert.deepEqual([...read].sort(), declared.sort());
    for (const [key, schema] of Object.entries(properties)) assert.ok((schema.description ?? '').length > 30, `${key} has a description`);
  });

  it('offers exactly the rule ids the tools know in vcl.lint.rules', function () {
    assert.deepEqual(properties['vcl.lint.rules']?.propertyNames?.enum, [...knownRuleIds].sort(), 'run `npm run gen:settings` after adding or removing a rule');
  });
});
