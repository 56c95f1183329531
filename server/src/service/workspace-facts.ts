/**
 * What parameter files and VCL files say about each other across a
 * workspace (or one CLI run): the response-header limit the parameter files
 * set, for the VCL's tag-header hint, and the tag headers the VCL handles,
 * for the parameter files' buffer check.
 */
import { readParamsFile } from '../params/detect.js';
import { parseBytes } from '../params/units.js';
import { findTagHeaders } from '../analysis/tag-headers.js';
import { lineIndexFor } from '../text/line-index.js';
import type { TagHeaderUse } from '../rules/params-index.js';

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
