/**
 * The packaged extension in a real VS Code (code-server 4.100.3 = VS Code
 * 1.100.3) driven through Chromium: diagnostics in the Problems panel and
 * as squiggles, quick fixes chosen from the Ctrl+. menu and saved to disk,
 * and what the extension does in Restricted Mode. Run by `npm run test:e2e`.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startCodeServer, type CodeServer } from './code-server.js';
import { copyWorkspace, FIXTURES, PROJECT_ROOT, removeWorkspace } from './paths.js';
import { launchBrowser, waitUntil, Workbench } from './workbench.js';
import { get } from 'node:http';
import { closedPort } from '../live/misbehaving-backend.js';
import { VarnishInstance, varnishToolsMissing } from '../live/varnish-instance.js';
import { locateVarnishlog } from '../../client/src/varnishlog-command.js';

/**
 * Screenshots go to the git-ignored cache on every run; with
 * UPDATE_SCREENSHOTS=1 they replace the README's images in docs/images/.
 */
const SCREENSHOTS = process.env['UPDATE_SCREENSHOTS'] === '1' ? join(PROJECT_ROOT, 'docs', 'images') : join(PROJECT_ROOT, '.e2e-cache', 'screenshots');
const PARAMS_FILE = 'varnish.service.d/override.conf';
const workspaces: string[] = [];

/** A workspace copy whose own settings point vcl.includePaths at its lib/ folder. */
function workspaceWithIncludePath(prefix: string): string {
  const dir = copyWorkspace(prefix);
  workspaces.push(dir);
  mkdirSync(join(dir, '.vscode'));
  writeFileSync(join(dir, '.vscode', 'settings.json'), JSON.stringify({ 'vcl.includePaths': [join(dir, 'lib')] }, null, 2));
  return dir;
}

function expected(name: string): string {
  return readFileSync(join(FIXTURES, 'expected', name), 'utf8');
}

/** Waits until the file on disk has exactly `text`; on timeout the message shows what it has. */
async function waitForFileText(path: string, text: string): Promise<void> {
  await waitUntil(
    () => readFileSync(path, 'utf8') === text,
    () => `${path} to become:\n${text}\nit is:\n${readFileSync(path, 'utf8')}`,
  );
}

describe('VS Code (code-server) end to end', function () {
  // Starting code-server and a browser on a shared two-core machine; each wait ends as soon as its condition holds.
  this.timeout(240_000);
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let workbench: Workbench | undefined;

  before(async () => {
    server = await startCodeServer();
    browser = await launchBrowser();
  });
  afterEach(async () => {
    await workbench?.close();
    workbench = undefined;
  });
  after(async () => {
    try {
      await browser?.close();
    } finally {
      await server?.stop();
      for (const dir of workspaces.splice(0)) removeWorkspace(dir);
    }
  });

  it('trusted workspace: diagnostics in the Problems panel, quick fixes saved to disk, include path setting used', async () => {
    const dir = workspaceWithIncludePath('trusted');
    workbench = await Workbench.open(browser!, server!.folderUrl(dir));
    await workbench.answerTrust(true);
    await waitUntil(async () => !(await workbench!.restrictedModeIndicator().first().isVisible()), () => 'no Restricted Mode indicator');

    await workbench.openFile('default.vcl');
    await workbench.showProblems();
    // One finding for the program's unprobed backends, on the first; web2 is its related information.
    await workbench.waitForProblems(1, 'backend-probe-missing', "Backends 'web1' and 'web2'", '[Ln 5, Col 9]');
    await waitUntil(async () => (await workbench!.activeEditor().locator('.squiggly-warning').count()) === 1, () => 'one warning squiggle in default.vcl');
    await workbench.hoverWarning('backend-probe-missing');
    mkdirSync(SCREENSHOTS, { recursive: true });
    await workbench.page.screenshot({ path: join(SCREENSHOTS, 'vscode-problems.png') });

    await workbench.openFile(PARAMS_FILE);
    await workbench.waitForProblems(1, 'resp-buffer-too-small', 'http_resp_hdr_len=4k');

    // VCL fix: one shared probe for both backends, chosen by its title in the Ctrl+. menu.
    const shared = "Create probe 'health' and use it for all 2 backends without one";
    await workbench.openQuickFixMenu(workbench.problemRows('backend-probe-missing', "Backends 'web1' and 'web2'"), shared, 'default.vcl');
    await workbench.page.screenshot({ path: join(SCREENSHOTS, 'vscode-quick-fix.png') });
    await workbench.chooseQuickFix(shared);
    await workbench.save();
    await waitForFileText(join(dir, 'default.vcl'), expected('default.shared-probe.vcl'));
    await workbench.waitForProblems(0, 'backend-probe-missing');

    // Parameter fix: the consistent trio, inserted after the existing -p.
    const trio = 'Set a consistent trio: http_resp_hdr_len=64k, http_resp_size=96k, workspace_backend=128k';
    await workbench.openQuickFixMenu(workbench.problemRows('resp-buffer-too-small'), trio, 'override.conf');
    await workbench.chooseQuickFix(trio);
    await workbench.save();
    await waitForFileText(join(dir, PARAMS_FILE), expected('override.trio.conf'));
    await workbench.waitForProblems(0, 'resp-buffer-too-small');

    // The workspace's vcl.includePaths is used: go to definition reaches lib/origin.vcl.
    await workbench.openFile('site.vcl');
    await workbench.goTo(7, 28);
    await workbench.goToDefinition('origin.vcl');
    await workbench.waitForProblems(0, 'include-missing');
  });

  it('Kubernetes manifest opened as YAML: its VCL and its args get diagnostics, a fix is written into the ConfigMap; other YAML gets none', async () => {
    const dir = workspaceWithIncludePath('kubernetes');
    workbench = await Workbench.open(browser!, server!.folderUrl(dir));
    await workbench.answerTrust(true);

    // Plain YAML that runs no cache: nothing, not even for the Deployment it holds.
    await workbench.openFile('k8s/web.yaml');
    await workbench.showProblems();
    await workbench.openFile('k8s/varnish.yaml');
    await workbench.waitForProblems(1, 'return-action-removed', 'return (miss)', '[Ln 19, Col 17]');
    await workbench.waitForProblems(1, 'resp-buffer-too-small', 'http_resp_hdr_len (64k)');
    await workbench.waitForProblems(2);

    const restart = 'Restart and force a miss in vcl_recv (req.hash_always_miss)';
    await workbench.openQuickFixMenu(workbench.problemRows('return-action-removed'), restart, 'varnish.yaml');
    await workbench.chooseQuickFix(restart);
    await workbench.save();
    await waitForFileText(join(dir, 'k8s', 'varnish.yaml'), expected('varnish.fixed.yaml'));
    await workbench.waitForProblems(0, 'return-action-removed');
  });

  it('"Diagnose 503s from varnishlog": the real varnishlog of a varnishd that answered 503, its capture opened and diagnosed', async function () {
    // Nothing here is faked: a real varnishd whose backend refuses connections, the real varnishlog on PATH.
    const missing = varnishToolsMissing() ?? (locateVarnishlog(undefined, process.env['PATH']).ok ? undefined : 'no varnishlog on PATH');
    assert.equal(missing, undefined, `the e2e run needs Varnish's tools: ${missing ?? ''}`);
    const vcl = `vcl 4.1;\nbackend down { .host = "127.0.0.1"; .port = "${await closedPort()}"; }\nsub vcl_recv { return (pass); }\n`;
    const varnish = await VarnishInstance.start({ vcl });
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = get({ host: '127.0.0.1', port: varnish.port, path: '/cart', agent: false, timeout: 15_000 }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
      });
      assert.equal(status, 503);
      const dir = copyWorkspace('varnishlog');
      workspaces.push(dir);
      mkdirSync(join(dir, '.vscode'));
      // The instance the command reads (varnishlog -n): the test's own varnishd.
      writeFileSync(join(dir, '.vscode', 'settings.json'), JSON.stringify({ 'vcl.varnishlogInstance': varnish.workdir }, null, 2));
      workbench = await Workbench.open(browser!, server!.folderUrl(dir));
      await workbench.answerTrust(true);
      // A VCL file first: the extension is running before the command is asked for.
      await workbench.openFile('default.vcl');
      await workbench.showProblems();
      await workbench.waitForProblems(1, 'backend-probe-missing');
      // The log holds the transaction once it ended: ask again, as a user would, until the capture has it.
      await waitUntil(
        async () => {
          await workbench!.runCommand('Diagnose 503s from varnishlog');
          await waitUntil(async () => (await workbench!.problemRows('backend-connect-failed').count()) > 0 || (await workbench!.page.locator('.notifications-toasts').filter({ hasText: 'No 503' }).count()) > 0, () => 'a capture or the "No 503" message');
          return (await workbench!.problemRows('backend-connect-failed').count()) > 0;
        },
        async () => `a diagnosed capture; the panel shows:\n${(await workbench!.problemTexts()).join('\n')}`,
      );
      // The capture is an editor document of the varnishlog language, named by the doctor's finding.
      await workbench.waitForProblems(1, 'backend-connect-failed', "Backend 'down'");
      // (The editor renders only the lines in view: the top of the capture, the client request that got the 503.)
      assert.match(await workbench.activeEditor().locator('.view-lines').innerText(), /<<\s+Request\s+>>[\s\S]*RespStatus\s+503/);
      await workbench.page.screenshot({ path: join(SCREENSHOTS, 'vscode-diagnose-503.png') });
    } finally {
      await varnish.stop();
    }
  });

  it('Restricted Mode: diagnostics and quick fixes still work, the workspace include path is not used', async () => {
    // package.json declares untrustedWorkspaces "limited": the extension runs, without vcl.includePaths/vcl.vmodPath from the workspace.
    const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
    };
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('vcl.includePaths'));

    const dir = workspaceWithIncludePath('restricted');
    workbench = await Workbench.open(browser!, server!.folderUrl(dir));
    await workbench.answerTrust(false);
    await workbench.restrictedModeIndicator().first().waitFor();

    await workbench.openFile('default.vcl');
    await workbench.showProblems();
    await workbench.waitForProblems(1, 'backend-probe-missing');
    await workbench.openFile(PARAMS_FILE);
    await workbench.waitForProblems(1, 'resp-buffer-too-small', 'http_resp_hdr_len=4k');

    // The include path from the workspace settings is ignored, so origin.vcl is not found.
    await workbench.openFile('site.vcl');
    await workbench.waitForProblems(1, 'include-missing', "'origin.vcl'");

    // Quick fixes are offered and applied as in a trusted workspace.
    const raise = 'Raise to http_resp_hdr_len=8k';
    await workbench.openQuickFixMenu(workbench.problemRows('resp-buffer-too-small'), raise, 'override.conf');
    await workbench.chooseQuickFix(raise);
    await workbench.save();
    await waitForFileText(join(dir, PARAMS_FILE), expected('override.raised.conf'));
  });
});
