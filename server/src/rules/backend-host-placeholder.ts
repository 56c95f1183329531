/**
 * `backend-host-placeholder`: a backend `.host`, `.port` or `.path` that is
 * still a template placeholder (`${BACKEND}`, `{{ .Values.host }}`,
 * `%HOST%`, `@@HOST@@`, `_BACKEND_HOST_`, ...). varnishd resolves the
 * backend's address while compiling, cannot resolve a placeholder and
 * refuses the VCL ("could not be resolved to an IP address"). The file is a
 * template that a deployment step fills in, so the message says so instead
 * of calling the address malformed; an error, because loading the file as it
 * is always fails.
 */
import type * as A from '../syntax/ast.js';
import type { Finding, Rule } from './rule.js';

/**
 * Placeholder syntaxes of common template tools, each matched anywhere in
 * the value except the bare `_NAME_` style, which must be the whole value
 * (a host name may contain `_` in the middle).
 */
const PLACEHOLDERS: RegExp[] = [
  /\$\{[^}]*\}/, // shell, envsubst, docker-compose, Terraform: ${BACKEND}
  /\$[A-Za-z_][A-Za-z0-9_]*/, // shell: $BACKEND_HOST
  /\{\{.*?\}\}/, // Go templates, Helm, Jinja, Mustache: {{ .Values.host }}
  /\{%.*?%\}/, // Jinja statements
  /<%.*?%>/, // ERB, EJS: <%= @backend %>
  /#\{[^}]*\}/, // Ruby, Octopus: #{Backend}
  /\{[A-Za-z_][\w.-]*\}/, // {VARNISH_BACKEND_HOST}
  /%[A-Za-z_][\w.-]*%/, // Windows, Octopus, Maven: %BACKEND%
  /@@?[A-Za-z_][\w.-]*@@?/, // autoconf, Ant, token replacement: @HOST@, @@HOST@@
  /^_+[A-Z][A-Z0-9_]*_+$/, // sed tokens: _BACKEND_HOST_, __HOST__
];

/**
 * A character every pattern above needs. Most values (`127.0.0.1`, `8080`)
 * have none, and are passed without compiling the patterns: that took a
 * small file's whole analysis 5% in a fresh process.
 */
const MARKS = /[$%{<#@_]/;

/** The placeholder text in `value`, or undefined when it has none. */
export function templatePlaceholder(value: string): string | undefined {
  return MARKS.test(value) ? placeholderByPatterns(value) : undefined;
}

/** What the patterns alone find in `value` (templatePlaceholder without its quick test; exported for that test). */
export function placeholderByPatterns(value: string): string | undefined {
  for (const re of PLACEHOLDERS) {
    const m = re.exec(value);
    // `@` alone, as in an IPv6 zone or user@host, is no placeholder: the patterns above need a closing mark.
    if (m && (!m[0].startsWith('@') || m[0].endsWith('@'))) return m[0];
  }
  return undefined;
}

export const backendHostPlaceholderRule: Rule = {
  id: 'backend-host-placeholder',
  defaultSeverity: 'error',
  description: 'A backend .host, .port or .path that is a template placeholder: varnishd cannot resolve it; substitute it before loading the VCL.',
  check(ctx) {
    const out: Finding[] = [];
    for (const d of ctx.parse.ast.declarations) {
      if (d.kind !== 'BackendDecl' || !d.hasBody) continue;
      for (const a of d.attributes) {
        const field = a.name?.text;
        if ((field !== 'host' && field !== 'port' && field !== 'path') || a.value?.kind !== 'StringLiteral') continue;
        const value = (a.value as A.StringLiteral).value;
        const placeholder = templatePlaceholder(value);
        if (!placeholder) continue;
        out.push({
          start: a.value.start,
          end: a.value.end,
          message: `Backend '${d.name?.text ?? '?'}': .${field} "${value}" is a template placeholder (${placeholder}); varnishd cannot resolve it and refuses the VCL. Substitute it (envsubst, Helm, the deployment script) before loading the file, and lint the generated file.`,
        });
      }
    }
    return out;
  },
};
