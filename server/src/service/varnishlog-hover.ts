/**
 * Hover on a varnishlog capture: on a record's tag (or the marks and vxid
 * before it), what the tag records and, for the tags that explain a
 * failure, what it usually means for a 503.
 */
import { tagInfo } from '../varnishlog/tags.js';
import { tagOfLine } from '../varnishlog/read.js';

/** A hover's Markdown and the offsets of the tag it explains. */
export interface VarnishlogHover {
  contents: string;
  start: number;
  end: number;
}

/** The hover at `offset` of a capture's text, or undefined off a record's tag. */
export function varnishlogHover(text: string, offset: number): VarnishlogHover | undefined {
  if (offset < 0 || offset > text.length) return undefined;
  const lineStart = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  let lineEnd = text.length;
  for (const br of ['\n', '\r']) {
    const at = text.indexOf(br, lineStart);
    if (at >= 0 && at < lineEnd) lineEnd = at;
  }
  const record = tagOfLine(text.slice(lineStart, lineEnd));
  if (!record) return undefined;
  const start = lineStart + record.start;
  const end = start + record.tag.length;
  // The marks and the vxid before the tag belong to it; the payload after it is the record's own text.
  if (offset > end) return undefined;
  const info = tagInfo(record.tag);
  if (!info) return undefined;
  const parts = [`**${record.tag}** (varnishlog record)`, info.what];
  if (info.failure) parts.push(`In a 503: ${info.failure}`);
  return { contents: parts.join('\n\n'), start, end };
}
