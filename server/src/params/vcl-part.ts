/**
 * VCL held in a YAML string (a ConfigMap's key, a Helm chart's value): its
 * text as the pod sees it, the manifest offset of each of its characters,
 * and whether edits can be written back into it.
 */
import type { Scalar } from 'yaml';
import type { TextSpan } from './model.js';
import { lineStartAt } from '../text/line-breaks.js';
import { scalarWord } from './yaml-words.js';

/** Where the official image and the charts mount VCL files. */
export const MOUNT_DIR = '/etc/varnish';

/** One VCL file held in a YAML value. */
export interface EmbeddedVcl {
  /** The files mounted together (one ConfigMap, one chart's values): includes resolve among them. */
  group: string;
  /** The key that holds it (`default.vcl`, `vclConfig`). */
  key: string;
  /** Where the pod sees the file (`/etc/varnish/default.vcl`). */
  path: string;
  /** The VCL, as Kubernetes hands it to varnishd. */
  text: string;
  /** `map[i]` is the manifest offset of `text[i]`; `map[text.length]` is where the value ends. */
  map: number[];
  /** The key's extent in the manifest. */
  keySpan: TextSpan;
  /**
   * The block's lines are the VCL's lines, indented by `indent` (a literal
   * block scalar read exactly, without escapes): edits to the VCL can be
   * written back into the manifest.
   */
  editable: boolean;
  /** The indentation of the block's lines. */
  indent: string;
  /**
   * Who renders it before varnishd sees it, when it is a template: the
   * varnish-operator (`.vcl.tmpl`) or Helm (`{{ }}` inside); undefined for VCL.
   */
  template?: 'operator' | 'helm';
  /** varnishd's vcl_path where the pod's arguments set it (`-p vcl_path=...`); else the default, /etc/varnish. */
  searchPath?: string[];
}

/** The VCL of a string scalar, or undefined when it holds no string. */
export function vclPart(
  text: string,
  node: Scalar,
  where: { group: string; key: string; keySpan: TextSpan; path: string; template?: 'operator'; searchPath?: string[] },
): EmbeddedVcl | undefined {
  const word = scalarWord(node, text);
  if (!word) return undefined;
  const editable = word.exact && word.escapes.size === 0 && node.type === 'BLOCK_LITERAL';
  const template = where.template ?? (word.text.includes('{{') ? 'helm' : undefined);
  return {
    group: where.group,
    key: where.key,
    path: where.path,
    text: word.text,
    map: word.map,
    keySpan: where.keySpan,
    editable,
    indent: editable ? indentOf(text, word.text, word.map) : '',
    ...(template ? { template } : {}),
    ...(where.searchPath ? { searchPath: where.searchPath } : {}),
  };
}

/** The indentation of a block's first line with text (its column in the manifest). */
function indentOf(text: string, value: string, map: readonly number[]): string {
  for (let i = 0; i < value.length; i++) {
    if ((i === 0 || value[i - 1] === '\n') && value[i] !== '\n') {
      const at = map[i]!;
      return text.slice(lineStartAt(text, at), at);
    }
  }
  return '';
}
