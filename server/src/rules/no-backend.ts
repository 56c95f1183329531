/**
 * `no-backend`: varnishd refuses a program without a backend ("No backends
 * or directors found in VCL program, at least one is necessary."). Checked
 * against varnishd 7.1.1: `backend name none;` counts; a director created
 * with `new` in vcl_init does not. Only a whole program is judged (its
 * include tree followed, or a file without includes that nothing includes);
 * the finding goes to the program's top file.
 */
import type { Rule } from './rule.js';
import { completeProgram } from './complete-program.js';
import { errorsIn } from '../syntax/parse-result.js';

export const noBackendRule: Rule = {
  id: 'no-backend',
  defaultSeverity: 'error',
  description: 'A VCL program with no backend at all; varnishd needs at least one.',
  check(ctx) {
    // A broken declaration may be a backend the parser could not make out.
    // (A release-gated error, such as 7.0's number limits, breaks nothing for an older release.)
    if (errorsIn(ctx.parse.errors, ctx.varnishVersion).length > 0 || !completeProgram(ctx)) return [];
    const model = ctx.semantic();
    if (model.definitions.some((d) => d.kind === 'backend')) return [];
    // Reported once, in the program's top file (the root of the include tree).
    const root = model.files[0];
    if (!root) return [];
    const version = root.program.declarations.find((d) => d.kind === 'VersionDecl');
    const at = version ? { start: version.start, end: version.end } : { start: 0, end: 0 };
    const hasDirector = model.definitions.some((d) => d.kind === 'object');
    return [
      {
        file: root.file,
        ...at,
        message: `No backend in this VCL program, and varnishd needs at least one${hasDirector ? ' (a director made with new does not count)' : ''}. Declare one, e.g. 'backend default { .host = "127.0.0.1"; .port = "8080"; }', or 'backend default none;' if every request is answered by VCL itself.`,
        fixes: [{ title: "Add 'backend default none;'", edits: [{ start: at.end, end: at.end, newText: version ? '\n\nbackend default none;' : 'backend default none;\n\n' }] }],
      },
    ];
  },
};
