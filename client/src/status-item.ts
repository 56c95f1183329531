/**
 * The status bar item of the VCL language server: VS Code glue around the
 * pure status model in server-status.ts.
 */
import * as vscode from 'vscode';
import { INITIAL_STATUS, nextStatus, statusView, type StatusAction, type StatusEvent } from './server-status.js';

/** Analysis shorter than this is not shown: after a pause in typing it usually takes milliseconds. */
const BUSY_SHOW_DELAY_MS = 300;

/** Shows the server's status; clicking runs the command of the view's action. */
export class ServerStatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private status = INITIAL_STATUS;
  private busyTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly commands: Record<StatusAction, string>) {
    this.item = vscode.window.createStatusBarItem('vcl.serverStatus', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'VCL Language Server';
    this.render();
    this.item.show();
  }

  /** Applies an event; a busy status is shown only once it has lasted BUSY_SHOW_DELAY_MS. */
  update(event: StatusEvent): void {
    this.status = nextStatus(this.status, event);
    if (this.status.phase === 'busy') {
      this.busyTimer ??= setTimeout(() => {
        this.busyTimer = undefined;
        this.render();
      }, BUSY_SHOW_DELAY_MS);
      return;
    }
    clearTimeout(this.busyTimer);
    this.busyTimer = undefined;
    this.render();
  }

  private render(): void {
    const view = statusView(this.status);
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.command = this.commands[view.action];
    this.item.backgroundColor = view.error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    clearTimeout(this.busyTimer);
    this.item.dispose();
  }
}
