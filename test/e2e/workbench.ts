/**
 * Drives the VS Code workbench in Debian's Chromium with playwright-core,
 * the way a person would: keyboard shortcuts, the Problems panel, the
 * quick-fix menu. Every wait is for something visible in the page.
 */
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/** Debian's Chromium; playwright-core downloads no browser of its own. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Long enough for a loaded, shared machine; every wait still ends as soon as its condition holds. */
export const UI_TIMEOUT = 60_000;

/** How long one Ctrl+. waits for its entry before the menu is closed and asked for again. */
const QUICK_FIX_TRY_MS = 10_000;

/** Starts headless Chromium. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** One workbench window on a workspace folder. */
export class Workbench {
  private constructor(readonly page: Page) {}

  /** Opens `url` (a `?folder=` workbench URL) in a fresh browser context and waits for the workbench. */
  static async open(browser: Browser, url: string): Promise<Workbench> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor();
    return new Workbench(page);
  }

  /** Closes the window's browser context. */
  async close(): Promise<void> {
    await this.page.context().close();
  }

  /** The workspace-trust dialog shown on the first load of a folder. */
  trustDialog(): Locator {
    return this.page.locator('.monaco-dialog-box').filter({ hasText: 'trust the authors' });
  }

  /** Answers the workspace-trust dialog and waits for it to close. */
  async answerTrust(trust: boolean): Promise<void> {
    const dialog = this.trustDialog();
    await dialog.waitFor();
    const name = trust ? 'Yes, I trust the authors' : "No, I don't trust the authors";
    await dialog.getByRole('button', { name }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  /** Opens a workspace file through Quick Open (Ctrl+P) and waits for its editor tab. */
  async openFile(relativePath: string): Promise<void> {
    const name = relativePath.split('/').pop()!;
    const input = this.page.locator('.quick-input-widget input');
    await this.page.locator('.monaco-workbench').focus();
    await this.page.keyboard.press('Control+P');
    await input.waitFor();
    await input.fill(relativePath);
    // The first result is the file, once the search has found it.
    await this.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: name }).first().waitFor();
    await this.page.keyboard.press('Enter');
    await this.page.locator(`.tabs-container .tab[data-resource-name="${name}"]`).waitFor();
    await this.activeEditor().locator('.view-lines').waitFor();
  }

  /** Runs a command by its title from the Command Palette (F1), as a user picks it. */
  async runCommand(title: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    await this.page.locator('.monaco-workbench').focus();
    await this.page.keyboard.press('F1');
    await input.waitFor();
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: title }).first().waitFor();
    await this.page.keyboard.press('Enter');
  }

  /** The editor that has focus (or was last focused). */
  activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** Shows the Problems panel (Ctrl+Shift+M). */
  async showProblems(): Promise<void> {
    const panel = this.problemsPanel();
    if (await panel.isVisible()) return;
    await this.page.keyboard.press('Control+Shift+M');
    await panel.waitFor();
  }

  /** The Problems panel's view. */
  problemsPanel(): Locator {
    return this.page.locator('.markers-panel');
  }

  /** The Problems panel's rows for single diagnostics (not the file rows) whose text contains all of `parts`. */
  problemRows(...parts: string[]): Locator {
    let rows = this.problemsPanel().locator('.monaco-list-row').filter({ has: this.page.locator('.marker-message-details, .marker-code') });
    for (const part of parts) rows = rows.filter({ hasText: part });
    return rows;
  }

  /** The text of every diagnostic row of the Problems panel. */
  async problemTexts(): Promise<string[]> {
    return this.problemsPanel().locator('.monaco-list-row').allInnerTexts();
  }

  /** Waits until exactly `count` rows match `parts`. */
  async waitForProblems(count: number, ...parts: string[]): Promise<void> {
    const rows = this.problemRows(...parts);
    await waitUntil(async () => (await rows.count()) === count, async () => `${count} Problems row(s) with ${JSON.stringify(parts)}; the panel shows:\n${(await this.problemTexts()).join('\n')}`);
  }

  /**
   * Opens the diagnostic's place in the editor from the Problems panel
   * (double click selects its range in `fileName`'s editor), opens the
   * quick-fix menu with Ctrl+. and waits for the action titled `title` in it.
   */
  async openQuickFixMenu(row: Locator, title: string, fileName: string): Promise<void> {
    const deadline = Date.now() + UI_TIMEOUT;
    let menuText = '(the menu did not open)';
    // A person who opens the menu while the file's diagnostics are being
    // republished (a related file was just saved) sees a menu without the
    // fix; they close it and ask again. So does this, until the deadline.
    for (;;) {
      await row.dblclick();
      // The row opens its file: Ctrl+. must wait for that editor, not go to the one that had focus before.
      await this.page.locator(`.tabs-container .tab.active[data-resource-name="${fileName}"]`).waitFor();
      await waitUntil(async () => this.activeEditor().evaluate((e) => e.classList.contains('focused')), () => 'the editor to take focus');
      // ... with the problem's range selected (the status bar says "(N selected)").
      await this.page.locator('.statusbar-item').filter({ hasText: /\(\d+ selected\)/ }).first().waitFor();
      await this.page.keyboard.press('Control+.');
      try {
        await this.quickFixItem(title).waitFor({ timeout: Math.max(1_000, Math.min(QUICK_FIX_TRY_MS, deadline - Date.now())) });
        return;
      } catch (err) {
        if (await this.quickFixMenu().isVisible()) menuText = await this.quickFixMenu().innerText();
        if (Date.now() >= deadline) throw new Error(`no quick fix titled ${JSON.stringify(title)} for ${fileName}; the menu showed: ${menuText}`, { cause: err });
        await this.page.keyboard.press('Escape');
      }
    }
  }

  /** The entry of the open quick-fix menu titled exactly `title`. */
  quickFixItem(title: string): Locator {
    return this.quickFixMenu().locator(`.monaco-list-row.action[aria-label="${title.replace(/"/g, '\\"')}"]`);
  }

  /**
   * Chooses `title` in the open quick-fix menu with the keyboard (arrow keys
   * to it, Enter), as the menu's own pointer guard can swallow clicks.
   */
  async chooseQuickFix(title: string): Promise<void> {
    const menu = this.quickFixMenu();
    const entries = await menu.locator('.monaco-list-row.action').count();
    for (let moves = 0; moves <= entries; moves++) {
      if ((await menu.locator('.monaco-list-row.action.focused').getAttribute('aria-label')) === title) {
        await this.page.keyboard.press('Enter');
        await menu.waitFor({ state: 'hidden' });
        return;
      }
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`no quick fix titled ${JSON.stringify(title)} in the menu: ${await menu.innerText()}`);
  }

  /** Points the mouse at the first warning squiggle and waits for the editor hover that names `text`. */
  async hoverWarning(text: string): Promise<void> {
    const box = await this.activeEditor().locator('.squiggly-warning').first().boundingBox();
    if (!box) throw new Error('no warning squiggle on screen');
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await this.page.locator('.monaco-hover').filter({ hasText: text }).first().waitFor();
  }

  /** Moves the cursor with Go to Line (Ctrl+G), 1-based like the status bar. */
  async goTo(line: number, column: number): Promise<void> {
    await this.activeEditor().click();
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.statusbar-item').filter({ hasText: `Ln ${line}, Col ${column}` }).waitFor();
  }

  /** Go to Definition (F12) at the cursor; resolves when the editor tab of `fileName` is the active one. */
  async goToDefinition(fileName: string): Promise<void> {
    await this.page.keyboard.press('F12');
    await this.page.locator(`.tabs-container .tab.active[data-resource-name="${fileName}"]`).waitFor();
  }

  /** The quick-fix (code action) menu. */
  quickFixMenu(): Locator {
    return this.page.locator('.action-widget');
  }

  /** Saves the active editor (Ctrl+S) and waits until its tab is no longer dirty. */
  async save(): Promise<void> {
    await this.page.keyboard.press('Control+S');
    await this.page.locator('.tabs-container .tab.active:not(.dirty)').waitFor();
  }

  /** Whether the status bar shows the Restricted Mode indicator. */
  restrictedModeIndicator(): Locator {
    return this.page.locator('.statusbar-item').filter({ hasText: 'Restricted Mode' });
  }
}

/** Polls `condition` until it holds, then returns; throws with `describe()` after `timeout`. */
export async function waitUntil(condition: () => Promise<boolean> | boolean, describe: () => string | Promise<string>, timeout = UI_TIMEOUT): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${await describe()}`);
    // Yield between checks; the condition, not this pause, decides when the wait ends.
    await new Promise((r) => setTimeout(r, 100));
  }
}
