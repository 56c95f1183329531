/**
 * `vmod-not-found`: an `import` of a vmod the analysis cannot find: not in
 * the table of vmods shipped with Varnish 7.1 and varnish-modules, not on
 * the configured vmod path, or not readable at its `from "..."` path.
 * varnishd refuses such a program ("Could not find VMOD brotli"), but the
 * machine that runs varnishd may well have the vmod installed, so this is a
 * warning: it says that the vmod's calls go unchecked and which settings
 * would let the analysis read it.
 */
import type { Finding, Rule } from './rule.js';
import { loadVmodFromFile } from '../vmods/index.js';

export const vmodNotFoundRule: Rule = {
  id: 'vmod-not-found',
  defaultSeverity: 'warning',
  description: 'An imported vmod that is neither a known vmod nor on the vmod path: its calls are not checked, and varnishd refuses the VCL where it is not installed.',
  check(ctx) {
    const out: Finding[] = [];
    for (const d of ctx.parse.ast.declarations) {
      if (d.kind !== 'ImportDecl' || !d.name) continue;
      const name = d.name.text;
      if (d.from) {
        // A file the host will not read (an untrusted workspace) is not opened here either; untrusted-path says why.
        if (ctx.refusesFile?.(d.from.value) !== undefined) continue;
        const v = loadVmodFromFile(d.from.value, name);
        if ('error' in v) {
          out.push({
            start: d.from.start,
            end: d.from.end,
            message: `vmod '${name}' could not be read from "${d.from.value}" (${v.error.replace(`${d.from.value}: `, '')}); its calls are not checked. varnishd refuses the VCL unless the file exists where it runs.`,
          });
        }
        continue;
      }
      if (ctx.resolveVmod(name)) continue;
      const where = ctx.vmodPath.length ? ctx.vmodPath.join(':') : 'no vmod path is set';
      out.push({
        start: d.name.start,
        end: d.name.end,
        message:
          `vmod '${name}' was not found on the vmod path (${where}; nor among the vmods of Varnish 7.1 and varnish-modules); its calls are not checked. ` +
          `varnishd refuses the VCL where libvmod_${name}.so is not installed. To check its calls, add the folder that holds libvmod_${name}.so to the setting vcl.vmodPath, to "vmodPath" in .vcl-lint.json, or give it with --vmod-path.`,
      });
    }
    return out;
  },
};
