/**
 * Workspace trust as the server knows it, shared by the VS Code client and
 * the server (DESIGN principle 10); it imports nothing.
 *
 * The server takes the workspace as untrusted unless the client says
 * otherwise in `initializationOptions.trustedWorkspace: true`. Untrusted, it
 * ignores `includePaths` and `vmodPath` from `workspace/configuration`
 * (an editor merges the workspace's own settings into them) and takes only
 * those given in `initializationOptions` (the user's own editor
 * configuration); it does not read a file outside the workspace folders
 * that the program names by path (`include "/abs"`, `include "../x"`,
 * `import v from "/abs"`), and says so in an `untrusted-path` diagnostic.
 * A client whose workspace becomes trusted later sends
 * `vcl/workspaceTrust` with `{ trusted: true }`.
 */

/** Key in `initializationOptions`: true when the user trusts the workspace. */
export const TRUSTED_WORKSPACE_OPTION = 'trustedWorkspace';

/** Method name of the client -> server notification sent when trust is granted. */
export const WORKSPACE_TRUST_NOTIFICATION = 'vcl/workspaceTrust';

/** Parameters of `vcl/workspaceTrust`. */
export interface WorkspaceTrustParams {
  trusted: boolean;
}
