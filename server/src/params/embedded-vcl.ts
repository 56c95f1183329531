/**
 * Every VCL file a YAML text carries: the `.vcl` keys of a Kubernetes
 * manifest's ConfigMaps and the VCL values of a Helm chart's values file.
 */
import { parseComposeYaml } from './compose-yaml.js';
import { valuesVcl } from './read-helm-values.js';
import { configMapMounts, configMapVcl, type OtherMounts } from './read-kubernetes.js';
import type { EmbeddedVcl } from './vcl-part.js';

export type { EmbeddedVcl } from './vcl-part.js';
export type { OtherMounts } from './read-kubernetes.js';

/**
 * The VCL of every document of `text`, with the offset of each character;
 * `others`: where the workloads of other manifests mount the ConfigMaps
 * that no workload of this one mounts. Never throws.
 */
export function embeddedVcl(text: string, others?: OtherMounts): EmbeddedVcl[] {
  if (!/^[ \t]*(kind|server)[ \t]*:/m.test(text)) return [];
  const { documents } = parseComposeYaml(text);
  // Where the manifest's own workloads mount each ConfigMap (over all its documents).
  const mounts = configMapMounts(documents);
  return documents.flatMap((doc) => [...configMapVcl(doc, text, mounts, others), ...valuesVcl(doc, text)]);
}
