/**
 * Shared logic of `resp-buffer-too-small` and `req-buffer-too-small`: three
 * parameters that must fit into each other. A header line must fit in the
 * head (`*_hdr_len` <= `*_size`), and the head is carved out of the
 * workspace, which also needs room for the rest of the transaction.
 *
 * The margin: the workspace must keep at least 32k beside the head. The
 * workspace also holds the copy of the request sent to the backend (or the
 * client request's own data), strings built by VCL (regsub, header
 * concatenation) and vmod allocations; Varnish's defaults leave 64k
 * (32k head in 96k), and Magento's recommended setting (96k head in 128k)
 * leaves 32k, which is the smallest margin seen working in production.
 */
import type { ParamsCommand, ParamSetting } from '../params/model.js';
import { newSettingText } from '../params/model.js';
import { paramFact } from '../facts/params.js';
import type { VarnishVersion } from '../facts/versions.js';
import { productName } from '../facts/versions.js';
import { formatBytes, parseBytes } from '../params/units.js';
import type { Finding, FindingFix, OffsetEdit } from './rule.js';
import type { ParamsRuleContext } from './params-rule.js';

export const WORKSPACE_MARGIN = 32 * 1024;
const KB = 1024;

export interface BufferTrio {
  /** One header line: http_resp_hdr_len / http_req_hdr_len. */
  line: string;
  /** The whole head: http_resp_size / http_req_size. */
  head: string;
  /** The workspace the head is taken from: workspace_backend / workspace_client. */
  workspace: string;
  /** Who sends the headers, for messages. */
  sender: string;
  /** What the user sees when it overflows. */
  symptom: string;
  /** The "consistent trio" the fix sets at least. */
  recommended: [number, number, number];
}

interface Effective {
  name: string;
  bytes: number;
  /** The last setting of it in the command, if any (the one varnishd keeps). */
  setting?: ParamSetting;
}

function effective(command: ParamsCommand, name: string, version: VarnishVersion): Effective | undefined {
  let setting: ParamSetting | undefined;
  for (const s of command.settings) if (s.name === name && !s.unresolved) setting = s;
  if (setting) {
    const r = parseBytes(setting.value);
    // An invalid value is param-invalid's to report.
    return r.ok ? { name, bytes: r.value, setting } : undefined;
  }
  // Not set: the selected release's default (workspace_backend is 64k before 7.0, 96k after).
  const d = paramFact(name, version)?.default.value;
  return typeof d === 'number' ? { name, bytes: d } : undefined;
}

const show = (n: number) => formatBytes(n);

/** Findings of one trio over every command of the file. */
export function bufferFindings(
  ctx: ParamsRuleContext,
  trio: BufferTrio,
  extraNeed?: (line: Effective) => { need: number; why: string } | undefined,
  headNeed?: { need: number; why: string },
): Finding[] {
  const out: Finding[] = [];
  for (const command of ctx.file.commands) {
    const line = effective(command, trio.line, ctx.version);
    const head = effective(command, trio.head, ctx.version);
    const ws = effective(command, trio.workspace, ctx.version);
    if (!line || !head || !ws) continue;
    const report = (target: Effective, message: string, need: { line?: number; head?: number; workspace?: number }) => {
      const at = target.setting ? target.setting.valueSpan : command.span;
      out.push({ ...at, message, fixes: fixes(command, trio, { line, head, ws }, need) });
    };
    for (const e of [line, head, ws]) {
      const def = paramFact(e.name, ctx.version)?.default.value;
      if (e.setting && typeof def === 'number' && e.bytes < def) {
        report(e, `${e.name}=${e.setting.value} is below ${productName(ctx.version)}'s default ${show(def)}: ${trio.symptom} as soon as ${describe(trio, e.name)} exceeds ${show(e.bytes)}.`, { [key(trio, e.name)]: def });
      }
    }
    if (line.bytes > head.bytes) {
      report(head.setting ? head : line, `${trio.line} (${show(line.bytes)}) is larger than ${trio.head} (${show(head.bytes)}): the whole head must hold at least one such line, so ${trio.symptom} before a header reaches ${trio.line}. Raise ${trio.head} to at least ${show(line.bytes + 8 * KB)}.`, { head: line.bytes + 8 * KB });
    }
    if (head.bytes + WORKSPACE_MARGIN > ws.bytes) {
      const room = ws.bytes - head.bytes;
      report(ws.setting ? ws : head, `${trio.head} (${show(head.bytes)}) leaves ${room > 0 ? `only ${show(room)}` : 'no room'} of ${trio.workspace} (${show(ws.bytes)}) for the rest of the transaction; keep at least ${show(WORKSPACE_MARGIN)} free (${trio.workspace} >= ${show(head.bytes + WORKSPACE_MARGIN)}), or ${trio.symptom} when the workspace runs out.`, { workspace: head.bytes + WORKSPACE_MARGIN });
    }
    const extra = extraNeed?.(line);
    if (extra && extra.need > line.bytes) {
      report(line, `${extra.why}, but ${trio.line} is ${show(line.bytes)}${line.setting ? '' : ` (${productName(ctx.version)}'s default)`}: ${trio.symptom} for such responses. Raise ${trio.line} to at least ${show(extra.need)}.`, { line: extra.need });
    }
    // A whole header block that did not fit: the head grows, and the workspace with it (the fix carries the margin).
    if (headNeed && headNeed.need > head.bytes) {
      report(head, `${headNeed.why}, but ${trio.head} is ${show(head.bytes)}${head.setting ? '' : ` (${productName(ctx.version)}'s default)`}: ${trio.symptom} for such responses. Raise ${trio.head} to at least ${show(headNeed.need)}, and ${trio.workspace} to keep ${show(WORKSPACE_MARGIN)} beside it.`, { head: headNeed.need });
    }
  }
  return out;
}

function key(trio: BufferTrio, name: string): 'line' | 'head' | 'workspace' {
  return name === trio.line ? 'line' : name === trio.head ? 'head' : 'workspace';
}

function describe(trio: BufferTrio, name: string): string {
  if (name === trio.line) return `one header line from the ${trio.sender}`;
  if (name === trio.head) return `the ${trio.sender}'s whole header block`;
  return 'the transaction';
}

/**
 * Two fixes: the smallest change that removes this finding, and the
 * consistent trio (line, head, workspace) that fits together with room to
 * spare. Both keep the file's units and quoting, and only ever raise values.
 */
function fixes(
  command: ParamsCommand,
  trio: BufferTrio,
  cur: { line: Effective; head: Effective; ws: Effective },
  need: { line?: number; head?: number; workspace?: number },
): FindingFix[] {
  const targets = { line: cur.line, head: cur.head, workspace: cur.ws };
  const minimal: Record<string, number> = {};
  for (const [k, v] of Object.entries(need) as Array<['line' | 'head' | 'workspace', number]>) minimal[targets[k].name] = roundUp(v);
  // Raising one value may break the next relation: carry it through.
  const chain = (line: number, head: number, ws: number): [number, number, number] => {
    const h = Math.max(head, line + 8 * KB);
    return [line, h, Math.max(ws, h + WORKSPACE_MARGIN)];
  };
  const m = chain(minimal[trio.line] ?? cur.line.bytes, Math.max(minimal[trio.head] ?? cur.head.bytes, cur.head.bytes), Math.max(minimal[trio.workspace] ?? cur.ws.bytes, cur.ws.bytes));
  const [rl, rh, rw] = trio.recommended;
  const wantLine = Math.max(rl, cur.line.bytes, minimal[trio.line] ?? 0);
  const t = chain(wantLine, Math.max(rh, cur.head.bytes), Math.max(rw, cur.ws.bytes));
  const out: FindingFix[] = [];
  const smallest = edits(command, [cur.line, cur.head, cur.ws], m);
  if (smallest.length) out.push({ title: `Raise to ${describeValues(trio, [cur.line, cur.head, cur.ws], m)}`, edits: smallest });
  const together = edits(command, [cur.line, cur.head, cur.ws], t);
  if (together.length && JSON.stringify(together) !== JSON.stringify(smallest)) {
    out.push({ title: `Set a consistent trio: ${trio.line}=${show(t[0])}, ${trio.head}=${show(t[1])}, ${trio.workspace}=${show(t[2])}`, edits: together });
  }
  return out;
}

function describeValues(trio: BufferTrio, cur: Effective[], values: number[]): string {
  const parts = cur.map((e, i) => (values[i]! > e.bytes ? `${e.name}=${show(values[i]!)}` : '')).filter(Boolean);
  return parts.join(', ') || trio.line;
}

/** Edits that set each parameter to at least `values`, in place or as new `-p` options. */
function edits(command: ParamsCommand, cur: Effective[], values: number[]): OffsetEdit[] {
  const out: OffsetEdit[] = [];
  let inserted = '';
  cur.forEach((e, i) => {
    const v = values[i]!;
    if (v <= e.bytes) return;
    if (e.setting) out.push({ ...e.setting.valueSpan, newText: formatBytes(v, e.setting.value) });
    else inserted += newSettingText(command.insertAt, e.name, formatBytes(v));
  });
  if (inserted) out.push({ start: command.insertAt.offset, end: command.insertAt.offset, newText: inserted });
  return out;
}

function roundUp(bytes: number): number {
  return Math.ceil(bytes / KB) * KB;
}
