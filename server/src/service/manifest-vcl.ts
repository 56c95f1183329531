/**
 * VCL held in the ConfigMaps of a Kubernetes manifest, linted as the files
 * the pod sees: each `data:` key where the manifest's cache container
 * mounts it, else at `/etc/varnish/<key>` (where the official image and the
 * charts mount it), so that `include "backends.vcl";` finds the ConfigMap's
 * other key only where varnishd's vcl_path would (/etc/varnish, unless the
 * container's arguments set it). Every
 * position is mapped back into the manifest, and a fix is written into the
 * manifest's block (keeping its indentation) where the block's lines are
 * the VCL's lines; elsewhere (folded or quoted scalars) it is left out.
 */
import { posix } from 'node:path';
import type { IncludeHost } from '../analysis/include-tree.js';
import { includeTargets } from '../analysis/includes.js';
import { embeddedVcl, type EmbeddedVcl, type OtherMounts } from '../params/embedded-vcl.js';
import { MOUNT_DIR } from '../params/vcl-part.js';
import { lineBreakNear, lineStartAt, withLineBreaks } from '../text/line-breaks.js';
import { LineIndex, lineIndexFor } from '../text/line-index.js';
import { lastAtOrBefore } from '../text/sorted.js';
import { applyOffsetEdits, type OffsetEdit } from '../text/offset-edits.js';
import type { Range } from '../text/range.js';
import type { Fix, LintDiagnostic, RelatedLocation, TextEdit } from './types.js';

/**
 * Lints one VCL file of a ConfigMap: `path` is where it is mounted, `host`
 * reads the ConfigMap's other keys; without a host the file is analysed
 * alone (it includes a file only a template renders).
 */
export type EmbeddedAnalyser = (path: string, text: string, isIncluded: boolean, host: IncludeHost | undefined) => LintDiagnostic[];

/** One VCL key of a manifest as the pod sees it, with how it is analysed. */
interface MountedPart {
  part: EmbeddedVcl;
  /** The keys mounted together with it, by path. */
  mounted: ReadonlyMap<string, EmbeddedVcl>;
  isIncluded: boolean;
  /** Reads the other keys; undefined when the key is analysed alone (it includes a rendered template). */
  host: IncludeHost | undefined;
  searchPath: readonly string[];
}

/** The manifest's VCL keys as the pod sees them, and its templates (which are not VCL yet). */
function mountedParts(parts: readonly EmbeddedVcl[]): { programs: MountedPart[]; templates: EmbeddedVcl[] } {
  const programs: MountedPart[] = [];
  const templates: EmbeddedVcl[] = [];
  const byGroup = new Map<string, EmbeddedVcl[]>();
  /** Where each group's templates are rendered to (an operator's `x.vcl.tmpl` becomes `x.vcl`), by group. */
  const rendered = new Map<string, Set<string>>();
  for (const p of parts) {
    if (p.template) {
      if (/\.tmpl$/i.test(p.path)) {
        const set = rendered.get(p.group) ?? new Set<string>();
        set.add(p.path.slice(0, -'.tmpl'.length));
        rendered.set(p.group, set);
      }
      templates.push(p);
      continue;
    }
    const list = byGroup.get(p.group) ?? [];
    list.push(p);
    byGroup.set(p.group, list);
  }
  for (const [group, list] of byGroup) {
    const mounted = new Map(list.map((p) => [p.path, p]));
    const { host, includes } = groupHost(mounted);
    const rendersTo = rendered.get(group) ?? new Set<string>();
    for (const [path, part] of mounted) {
      // A program that takes in a rendered template is only known once rendered: its file is checked alone.
      const alone = reaches(path, includes, rendersTo);
      programs.push({ part, mounted, isIncluded: host.includersOf!(path).length > 0, host: alone ? undefined : host, searchPath: host.searchPath });
    }
  }
  return { programs, templates };
}

/**
 * The diagnostics of every VCL key of the manifest `text`, in the
 * manifest's lines; `others`: how other manifests' workloads mount its
 * ConfigMaps. Never throws for bad YAML.
 */
export function lintManifestVcl(text: string, analyse: EmbeddedAnalyser, others?: OtherMounts): LintDiagnostic[] {
  const parts = embeddedVcl(text, others);
  if (parts.length === 0) return [];
  const lines = lineIndexFor(text);
  const out: LintDiagnostic[] = [];
  const { programs, templates } = mountedParts(parts);
  for (const p of templates) {
    out.push({
      rule: 'vcl-template',
      severity: 'info',
      message: `'${p.key}' is a template: it becomes VCL only when ${p.template === 'operator' ? 'the operator renders it' : 'Helm renders it (lint the output of `helm template`)'}, so it is not linted here`,
      range: lines.range(p.keySpan.start, p.keySpan.end),
    });
  }
  for (const { part, mounted, isIncluded, host, searchPath } of programs) {
    const placed = new Placement(text, lines, parts, part, mounted);
    for (const d of analyse(part.path, part.text, isIncluded, host)) out.push(placed.diagnostic(besideHint(d, part, mounted, searchPath)));
  }
  return out;
}

/** The VCL key of a manifest at a manifest offset: the key, how it is analysed, and the offset in its VCL. */
export interface EmbeddedAt {
  part: EmbeddedVcl;
  /** The offset in `part.text` that the manifest offset is at. */
  offset: number;
  isIncluded: boolean;
  host: IncludeHost | undefined;
  /** A span of the VCL as a range of the manifest. */
  range(start: number, end: number): Range;
  /**
   * A span of the key mounted at `path` (this key's path, or another key
   * of the same ConfigMap that the program includes) as a range of the
   * manifest; undefined for a file the ConfigMap does not hold (or no path).
   */
  rangeIn(path: string | undefined, start: number, end: number): Range | undefined;
  /** Whether the key mounted at `path` can be edited in place (a literal block; see {@link rangeIn} for which keys). */
  editableIn(path: string | undefined): boolean;
}

/**
 * The VCL key whose text holds manifest offset `offset` (inside the value,
 * or at its end), for hover and completion in the manifest. Undefined
 * outside every key's VCL and in templates; `others` as for
 * {@link lintManifestVcl}. Never throws for bad YAML.
 */
export function embeddedVclAt(text: string, offset: number, others?: OtherMounts): EmbeddedAt | undefined {
  const parts = embeddedVcl(text, others);
  const found = mountedParts(parts).programs.find(({ part }) => part.map.length > 0 && part.map[0]! <= offset && offset <= part.map[part.map.length - 1]!);
  if (!found) return undefined;
  const { part } = found;
  const lines = lineIndexFor(text);
  const rangeOf = (p: EmbeddedVcl, start: number, end: number): Range => lines.range(p.map[start]!, p.map[Math.max(start, end)]!);
  // Only the keys this program's include host serves (a key analysed alone reads no other).
  const partAt = (path: string | undefined): EmbeddedVcl | undefined => (path === part.path ? part : found.host && path !== undefined ? found.mounted.get(path) : undefined);
  return {
    part,
    // The last character at or before the offset (the map rises with the text; escapes and folds skip manifest offsets).
    offset: lastAtOrBefore(part.map, offset),
    isIncluded: found.isIncluded,
    host: found.host,
    range: (start, end) => rangeOf(part, start, end),
    rangeIn: (path, start, end) => {
      const other = partAt(path);
      return other && end <= other.text.length ? rangeOf(other, start, end) : undefined;
    },
    editableIn: (path) => partAt(path)?.editable === true,
  };
}

/**
 * The files of one ConfigMap as the pod sees them (nothing else is read),
 * and what each includes.
 */
function groupHost(mounted: ReadonlyMap<string, EmbeddedVcl>): { host: IncludeHost; includes: Map<string, string[]> } {
  const searchPath = [...mounted.values()][0]?.searchPath ?? [MOUNT_DIR];
  const includers = new Map<string, string[]>();
  const includes = new Map<string, string[]>();
  for (const [path, part] of mounted) {
    for (const target of includeTargets(part.text)) {
      // As varnishd: `./x` next to the including file, else along vcl_path (the first folder that has it).
      const candidates = posix.isAbsolute(target) ? [posix.normalize(target)] : target.startsWith('./') ? [posix.join(posix.dirname(path), target)] : searchPath.map((dir) => posix.join(dir, target));
      // A key that varnishd would not find along vcl_path but that sits beside the including key is still
      // meant to be included (include-missing says why it is not found): it is no top-level file needing a `vcl` line.
      const beside = posix.join(posix.dirname(path), target);
      const resolved = candidates.find((c) => mounted.has(c)) ?? (posix.isAbsolute(target) || !mounted.has(beside) ? candidates[0]! : beside);
      if (resolved === path) continue;
      includers.set(resolved, [...(includers.get(resolved) ?? []), path]);
      includes.set(path, [...(includes.get(path) ?? []), resolved]);
    }
  }
  const host: IncludeHost = {
    readFile: (path) => mounted.get(path)?.text,
    searchPath,
    includersOf: (path) => includers.get(path) ?? [],
    refusal: () => undefined,
  };
  return { host, includes };
}

/**
 * An include that varnishd does not find along vcl_path while the ConfigMap
 * mounts that file beside the including one (mounted elsewhere than
 * /etc/varnish): says so, and offers `./` before the name, which makes
 * varnishd look next to the including file.
 */
function besideHint(d: LintDiagnostic, part: EmbeddedVcl, mounted: ReadonlyMap<string, EmbeddedVcl>, searchPath: readonly string[]): LintDiagnostic {
  if (d.rule !== 'include-missing') return d;
  const lines = new LineIndex(part.text);
  const literal = part.text.slice(lines.offset(d.range.start), lines.offset(d.range.end));
  const target = /^"([^"\n]+)"$/.exec(literal)?.[1];
  if (!target || posix.isAbsolute(target) || target.startsWith('./')) return d;
  const beside = posix.join(posix.dirname(part.path), target);
  const other = mounted.get(beside);
  if (!other) return d;
  return {
    ...d,
    message: `Included file '${target}' is not found where varnishd looks for it: along vcl_path (${searchPath.join(':')}), while the ConfigMap's '${other.key}' is mounted at ${beside}. Write include "./${target}" to take the file next to this one, or set -p vcl_path=${posix.dirname(beside)} in the container's arguments.`,
    fixes: [{ title: `Write include "./${target}" (the file next to this one)`, edits: [{ range: d.range, newText: `"./${target}"` }] }],
  };
}

/** Whether `from` includes one of `targets`, directly or through other files. */
function reaches(from: string, includes: ReadonlyMap<string, string[]>, targets: ReadonlySet<string>): boolean {
  if (targets.size === 0) return false;
  const seen = new Set<string>();
  const todo = [from];
  while (todo.length) {
    const at = todo.pop()!;
    if (seen.has(at)) continue;
    seen.add(at);
    for (const next of includes.get(at) ?? []) {
      if (targets.has(next)) return true;
      todo.push(next);
    }
  }
  return false;
}

/** Maps the ranges and edits of one key's VCL into the manifest. */
class Placement {
  private readonly vclLines: LineIndex;
  private readonly others = new Map<string, { part: EmbeddedVcl; lines: LineIndex }>();

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
    /** Every VCL part of the manifest, as read before any edit. */
    private readonly parts: readonly EmbeddedVcl[],
    private readonly part: EmbeddedVcl,
    private readonly mounted: ReadonlyMap<string, EmbeddedVcl>,
  ) {
    this.vclLines = new LineIndex(part.text);
  }

  diagnostic(d: LintDiagnostic): LintDiagnostic {
    const out: LintDiagnostic = { ...d, range: this.range(this.part, this.vclLines, d.range) };
    if (d.related) out.related = d.related.flatMap((r) => this.related(r));
    if (d.fixes) {
      const fixes = d.fixes.flatMap((f) => this.fix(f));
      if (fixes.length) out.fixes = fixes;
      else delete out.fixes;
    }
    return out;
  }

  private range(part: EmbeddedVcl, vclLines: LineIndex, r: Range): Range {
    const start = part.map[vclLines.offset(r.start)]!;
    const end = part.map[vclLines.offset(r.end)]!;
    return this.lines.range(start, Math.max(start, end));
  }

  /** The part mounted at `path` (this one when undefined), with its lines. */
  private partAt(path: string | undefined): { part: EmbeddedVcl; lines: LineIndex } | undefined {
    if (path === undefined) return { part: this.part, lines: this.vclLines };
    const part = this.mounted.get(path);
    if (!part) return undefined;
    if (part === this.part) return { part, lines: this.vclLines };
    let known = this.others.get(path);
    if (!known) this.others.set(path, (known = { part, lines: new LineIndex(part.text) }));
    return known;
  }

  private related(r: RelatedLocation): RelatedLocation[] {
    const at = this.partAt(r.path);
    if (!at) return [];
    const { path: _path, ...rest } = r;
    const where = at.part === this.part ? '' : ` (in '${at.part.key}')`;
    return [{ ...rest, message: `${r.message}${where}`, range: this.range(at.part, at.lines, r.range) }];
  }

  /** The fix written into the manifest, or nothing when one of its edits cannot be. */
  private fix(f: Fix): Fix[] {
    const byPart = new Map<EmbeddedVcl, OffsetEdit[]>();
    for (const e of f.edits) {
      const at = this.partAt((e as { path?: string }).path);
      if (!at || !at.part.editable) return [];
      const list = byPart.get(at.part) ?? [];
      list.push({ start: at.lines.offset(e.range.start), end: at.lines.offset(e.range.end), newText: e.newText });
      byPart.set(at.part, list);
    }
    const edits = manifestEdits(this.text, this.lines, this.parts, byPart);
    return edits ? [{ ...f, edits }] : [];
  }
}

/**
 * The manifest edits that make each part's VCL read as its VCL edits would,
 * or undefined when the manifest, edited, would not read so (checked by
 * reading it again: a line the block would take for its indentation, an
 * edit YAML would read otherwise): such a fix is left out, never applied
 * half right. `parts` are the manifest's VCL parts as read from `text`.
 */
export function manifestEdits(text: string, lines: LineIndex, parts: readonly EmbeddedVcl[], byPart: ReadonlyMap<EmbeddedVcl, readonly OffsetEdit[]>): TextEdit[] | undefined {
  const offsets: OffsetEdit[] = [];
  for (const [part, list] of byPart) for (const e of list) offsets.push(blockEdit(text, part, e.start, e.end, e.newText));
  let after: EmbeddedVcl[];
  try {
    after = embeddedVcl(applyOffsetEdits(text, offsets));
  } catch {
    return undefined;
  }
  if (after.length !== parts.length) return undefined;
  const trim = (s: string): string => s.replace(/\n+$/, '');
  for (let i = 0; i < parts.length; i++) {
    const own = [...byPart.keys()].find((p) => p.group === parts[i]!.group && p.path === parts[i]!.path);
    const want = own ? applyOffsetEdits(own.text, byPart.get(own)!) : parts[i]!.text;
    if (after[i]!.key !== parts[i]!.key || trim(after[i]!.text) !== trim(want)) return undefined;
  }
  return offsets.map((e) => {
    const eol = lineBreakNear(lines, lines.position(e.start).line);
    return { range: lines.range(e.start, e.end), newText: eol === '\n' ? e.newText : withLineBreaks(e.newText, eol) };
  });
}

/**
 * The manifest edit that makes a literal block's VCL read as the VCL edit
 * `[a, b) → newText` would. The edit is widened to whole lines (from the
 * start of `a`'s line to the end of the line the rest joins), and each line
 * it writes gets the block's indentation, so that no line of the block is
 * left with too little or too much of it. Its line breaks are `\n`; the
 * manifest's own are put in when the edit leaves as a text edit.
 */
function blockEdit(text: string, part: EmbeddedVcl, a: number, b: number, newText: string): OffsetEdit {
  const vcl = part.text;
  const { map } = part;
  const from = vcl.lastIndexOf('\n', a - 1) + 1;
  let segment = vcl.slice(from, a) + newText;
  // The rest of `b`'s line joins the new text unless the new text ends a line just where `b` starts one.
  let to = b;
  if (!(b > 0 && vcl[b - 1] === '\n' && (segment === '' || segment.endsWith('\n')))) {
    const nl = vcl.indexOf('\n', b);
    to = nl < 0 ? vcl.length : nl + 1;
  }
  segment += vcl.slice(b, to);
  // The block's last line break ends it before the manifest's next line: it stays (chomping decides the rest).
  if (to === vcl.length && vcl.endsWith('\n') && !segment.endsWith('\n')) segment += '\n';
  const start = from === 0 ? lineStartAt(text, map[0]!) : after(text, map[from - 1]!);
  // After the last character replaced (a value's end may lie before its trailing blanks).
  const end = to > from ? after(text, map[to - 1]!) : start;
  const indented = segment
    .split('\n')
    .map((line) => (line === '' ? '' : part.indent + line))
    .join('\n');
  return { start, end: Math.max(start, end), newText: indented };
}

/** The offset after the source character at `at` (a `\r\n` line break counts as one). */
function after(text: string, at: number): number {
  return text[at] === '\r' && text[at + 1] === '\n' ? at + 2 : at + 1;
}
