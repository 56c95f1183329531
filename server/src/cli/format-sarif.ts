/**
 * `--format sarif`: a SARIF 2.1.0 log (one run) for code-scanning services
 * such as GitHub's. Lines and columns are 1-based there and columns count
 * UTF-16 code units, as `columnKind` says; region ends are exclusive.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Range, Severity } from '../service/types.js';
import type { FileReport } from './report.js';
import type { RuleDocUri } from '../service/rule-docs.js';
import { TOOL_NAME, VERSION } from './version.js';
import { escapeJsonControls } from './display.js';
import { DEFAULT_VARNISH_VERSION, releaseOf, type VarnishVersion } from '../facts/versions.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/**
 * Formats the report as a SARIF 2.1.0 log; I/O errors become tool
 * notifications; each rule links its page (`helpUri`) when `docUri` knows it;
 * the tool's properties name the Varnish release the files were checked
 * against (and whether its facts are checked against its compiler or derived).
 */
export function formatSarif(files: readonly FileReport[], ioErrors: readonly string[] = [], docUri?: RuleDocUri, varnishVersion: VarnishVersion = DEFAULT_VARNISH_VERSION): string {
  const ruleIds: string[] = [];
  const ruleIndex = new Map<string, number>();
  const indexOf = (id: string): number => {
    let i = ruleIndex.get(id);
    if (i === undefined) {
      i = ruleIds.push(id) - 1;
      ruleIndex.set(id, i);
    }
    return i;
  };
  const results = files.flatMap((file) => {
    const location = { uri: toUri(file.path) };
    return file.diagnostics.map((d) => {
      const result: Record<string, unknown> = {
        ruleId: d.rule,
        ruleIndex: indexOf(d.rule),
        level: LEVEL[d.severity] ?? 'warning',
        message: { text: d.message },
        locations: [{ physicalLocation: { artifactLocation: location, region: toRegion(d.range) } }],
      };
      if (d.related && d.related.length > 0) {
        // SARIF's relatedLocations: the other backends of a finding, the errors inside an included file.
        result.relatedLocations = d.related.map((r, id) => ({
          id,
          physicalLocation: { artifactLocation: r.path !== undefined ? { uri: toUri(r.path) } : location, region: toRegion(r.range) },
          message: { text: r.message },
        }));
      }
      if (d.fixes && d.fixes.length > 0) {
        result.fixes = d.fixes.map((fix) => ({
          description: { text: fix.title },
          artifactChanges: [
            {
              artifactLocation: location,
              replacements: fix.edits.map((e) => ({ deletedRegion: toRegion(e.range), insertedContent: { text: e.newText } })),
            },
          ],
        }));
      }
      return result;
    });
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: VERSION,
            semanticVersion: VERSION,
            properties: { varnishVersion, varnishFacts: releaseOf(varnishVersion).evidence },
            rules: ruleIds.map((id) => ruleMetadata(id, docUri)),
          },
        },
        invocations: [
          {
            executionSuccessful: ioErrors.length === 0,
            toolExecutionNotifications: ioErrors.map((text) => ({ level: 'error', message: { text } })),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  // Same JSON value; DEL, C1 and bidi controls written as \uNNNN so the text is safe to print.
  return escapeJsonControls(JSON.stringify(log, null, 2)) + '\n';
}

function ruleMetadata(id: string, docUri: RuleDocUri | undefined): object {
  const helpUri = docUri?.(id);
  return helpUri ? { id, helpUri } : { id };
}

function toRegion(r: Range): object {
  return {
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
  };
}

/** A URI reference for a path: relative paths stay relative (to the scan root), absolute ones become file: URIs. */
export function toUri(path: string): string {
  if (isAbsolute(path)) return pathToFileURL(path).href;
  // Percent-encode each segment: spaces, `%`, `#` and a `:` that would read as a scheme.
  return path.split(process.platform === 'win32' ? /[\\/]/ : /\//).map((s) => encodeURIComponent(s)).join('/');
}
