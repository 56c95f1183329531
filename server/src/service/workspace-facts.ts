/**
 * What parameter files and VCL files say about each other across a
 * workspace (or one CLI run): the response-header limit the parameter files
 * set, for the VCL's tag-header hint, and the tag headers the VCL handles,
 * for the parameter files' buffer check.
 */
import { dirname } from 'node:path';
import { detectParamsKind, readParamsFile } from '../params/detect.js';
import { detectRelease, type DetectedRelease } from '../params/detect-release.js';
import type { OtherMounts } from '../params/embedded-vcl.js';
import { manifestMounts, mountsOfManifest, type ConfigMapMount } from '../params/read-kubernetes.js';
import { parseBytes } from '../params/units.js';
import { findTagHeaders } from '../analysis/tag-headers.js';
import { lineIndexFor } from '../text/line-index.js';
import type { TagHeaderUse } from '../rules/params-index.js';
import type { Workspace } from './workspace.js';

/**
 * What the files of a workspace say about each other, for one generation
 * of its texts. Each part is worked out when first asked for: an edit of a
 * VCL file makes a new generation, and its analysis needs only the
 * response-header limit, not the tag headers of every VCL text (a scan of
 * the whole text per keystroke).
 */
export class CrossFacts {
  private limit: { value: ReturnType<typeof responseHeaderLimitFrom> } | undefined;
  private tags: TagHeaderUse[] | undefined;
  private release: { value: DetectedRelease | undefined } | undefined;
  /** Each manifest's own mounts, read once per generation whichever manifest asks. */
  private manifests: Array<{ path: string; mounts: Map<string, ConfigMapMount> }> | undefined;
  private readonly mounts = new Map<string, OtherMounts>();
  /** The parameter files' texts, listed once for the parts that read them. */
  private paramsList: Array<{ path: string; text: string }> | undefined;

  constructor(
    readonly generation: number,
    private readonly workspace: Workspace,
  ) {}

  /** The smallest http_resp_hdr_len of the parameter files (see {@link responseHeaderLimitFrom}). */
  get responseHeaderLimit(): { bytes: number; where: string } | undefined {
    return (this.limit ??= { value: responseHeaderLimitFrom(this.params) }).value;
  }

  /** The tag headers the VCL files handle (see {@link tagHeadersFrom}). */
  get tagHeaders(): TagHeaderUse[] {
    return (this.tags ??= tagHeadersFrom(this.workspace.vclTexts()));
  }

  /** The release the parameter files run, when they say. */
  get detected(): DetectedRelease | undefined {
    return (this.release ??= { value: detectRelease(this.params) }).value;
  }

  private get params(): Array<{ path: string; text: string }> {
    return (this.paramsList ??= this.workspace.paramsTexts());
  }

  /** Where the workloads of the other manifests mount ConfigMaps, for the manifest at `path` (see {@link manifestMounts}). */
  otherMounts(path: string): OtherMounts {
    let mounts = this.mounts.get(path);
    if (!mounts) {
      this.manifests ??= this.params.flatMap((f) => (detectParamsKind(f.path, f.text) === 'kubernetes' ? [{ path: f.path, mounts: mountsOfManifest(f.text) }] : []));
      mounts = manifestMounts(this.manifests.filter((f) => f.path !== path), dirname(path));
      this.mounts.set(path, mounts);
    }
    return mounts;
  }
}

/** The smallest http_resp_hdr_len that any of the parameter files sets, and where. */
export function responseHeaderLimitFrom(files: ReadonlyArray<{ path: string; text: string }>): { bytes: number; where: string } | undefined {
  let best: { bytes: number; where: string } | undefined;
  for (const f of files) {
    const file = readParamsFile(f.path, f.text);
    for (const command of file?.commands ?? []) {
      const setting = [...command.settings].reverse().find((s) => s.name === 'http_resp_hdr_len' && !s.unresolved);
      const r = setting ? parseBytes(setting.value) : undefined;
      if (!setting || !r?.ok) continue;
      if (!best || r.value < best.bytes) best = { bytes: r.value, where: `${f.path}:${lineIndexFor(f.text).position(setting.span.start).line + 1}` };
    }
  }
  return best;
}

/** Tag headers handled by the VCL files, at most a few per file; `shown` names a file in messages. */
export function tagHeadersFrom(files: ReadonlyArray<{ path: string; text: string; shown?: string }>): TagHeaderUse[] {
  const out: TagHeaderUse[] = [];
  for (const f of files) {
    const hits = findTagHeaders(f.text);
    if (!hits.length) continue;
    const index = lineIndexFor(f.text);
    for (const h of hits.slice(0, 3)) out.push({ header: h.header, where: `${f.shown ?? f.path}:${index.position(h.offset).line + 1}` });
  }
  return out;
}
