/**
 * `release-feature`: a backend or probe field, an ACL flag or a socket
 * address form that the selected Varnish release's compiler does not know.
 * The parser accepts what any supported release accepts, so that a program
 * written for 7.7 reads cleanly whatever the target; this rule names the
 * release that brought the construct and the one the program is checked for.
 */
import type * as A from '../syntax/ast.js';
import type { Finding, Rule } from './rule.js';
import {
  ABSTRACT_SOCKET_FEATURE,
  ACL_FLAG_FEATURES,
  BACKEND_FIELD_FEATURES,
  EXPRESSION_FEATURES,
  INCLUDE_GLOB_FEATURE,
  LONG_STRING_FEATURE,
  MODULO_FEATURE,
  FORWARD_REFERENCE_FEATURE,
  PROBE_FIELD_FEATURES,
  QUOTED_HEADER_FEATURE,
  REGEX_CONCAT_FEATURE,
  UNUSED_STATEMENT_FEATURE,
  type ReleaseFeature,
} from '../facts/release-features.js';
import { nodeKinds, walkKinds } from '../syntax/walk.js';
import { describeVersions, holdsIn, productName, versionsIn } from '../facts/versions.js';
import { own } from '../text/own.js';
import { isDefinedBelow } from './symbol-unknown.js';

/** The nodes that use a feature only some releases have (see check). */
const FEATURE_NODES = nodeKinds('BinaryExpr', 'StringLiteral', 'StringConcat', 'Name');

export const releaseFeatureRule: Rule = {
  id: 'release-feature',
  defaultSeverity: 'error',
  description: "A backend or probe field, ACL flag, socket form or 'unused' statement that the selected Varnish release does not have.",
  check(ctx) {
    const release = ctx.varnishVersion;
    const out: Finding[] = [];
    const report = (span: A.Span, feature: ReleaseFeature) => {
      if (holdsIn(release, feature)) return;
      const where = describeVersions(versionsIn(feature));
      out.push({
        start: span.start,
        end: span.end,
        message: `${capitalised(feature.what)} exists ${where || 'in no supported release'}; this program is checked for ${productName(release)}, whose compiler refuses it. Remove it, or select a release that has it.`,
      });
    };
    const fields = (attrs: readonly A.Attribute[], table: Readonly<Record<string, ReleaseFeature>>) => {
      for (const a of attrs) {
        const feature = a.name && own(table, a.name.text);
        if (feature) report(a.name!, feature);
        if (a.block) fields(a.block, PROBE_FIELD_FEATURES);
      }
    };
    for (const d of ctx.parse.ast.declarations) {
      if (d.kind === 'BackendDecl') {
        fields(d.attributes, BACKEND_FIELD_FEATURES);
        const path = d.attributes.find((a) => a.name?.text === 'path')?.value;
        if (path?.kind === 'StringLiteral' && path.value.startsWith('@')) report(path, ABSTRACT_SOCKET_FEATURE);
      } else if (d.kind === 'IncludeDecl') {
        if (d.flag) report(d.flag, INCLUDE_GLOB_FEATURE);
      } else if (d.kind === 'UnusedDecl') {
        report(d.keyword, UNUSED_STATEMENT_FEATURE);
      } else if (d.kind === 'ProbeDecl') {
        fields(d.attributes, PROBE_FIELD_FEATURES);
      } else if (d.kind === 'AclDecl') {
        for (const f of d.flags) {
          const feature = f.name && own(ACL_FLAG_FEATURES, f.name.text);
          if (feature) report(f, feature);
        }
      }
    }
    // Expressions are walked only for a release that lacks one of their features.
    if (EXPRESSION_FEATURES.some((f) => !holdsIn(release, f))) {
      walkKinds(ctx.parse.ast, FEATURE_NODES, (n) => {
        if (n.kind === 'BinaryExpr' && n.operator === '%') report(n.operatorSpan, MODULO_FEATURE);
        else if (n.kind === 'StringLiteral' && n.style === '"""') report(n, LONG_STRING_FEATURE);
        else if (n.kind === 'StringConcat') report(n, REGEX_CONCAT_FEATURE);
        else if (n.kind === 'Name' && n.text.includes('."')) report(n, QUOTED_HEADER_FEATURE);
      });
    }
    if (!holdsIn(release, FORWARD_REFERENCE_FEATURE)) {
      // Within one file: the order of a program's files is the include tree's, not followed here.
      for (const r of ctx.semantic().references) {
        const def = r.target;
        // A backend field naming one from below is refused by every release: symbol-unknown's (isDefinedBelow).
        if ((r.kind !== 'backend' && r.kind !== 'probe') || !def || def.file !== r.file || r.span.start >= def.node.start || isDefinedBelow(r)) continue;
        const where = describeVersions(versionsIn(FORWARD_REFERENCE_FEATURE));
        out.push({
          file: r.file,
          start: r.span.start,
          end: r.span.end,
          message: `${def.kind === 'backend' ? 'Backend' : 'Probe'} '${r.name}' is used above its definition, which ${productName(release)}'s compiler refuses ("Symbol not found"); that is allowed ${where}. Move the ${def.kind} above its first use.`,
        });
      }
    }
    return out;
  },
};

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
