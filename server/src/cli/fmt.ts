/**
 * `--fmt` and `--fmt-check`: VCL files in the formatter's layout, for CI
 * ("is every file formatted?") and for formatting a tree in one go. Only
 * whitespace changes; a file the formatter cannot vouch for (syntax
 * errors) is reported and left alone.
 */
import { formatWholeText } from '../service/format.js';
import { discoverFiles } from './discover.js';
import { readSource } from './read.js';
import { writeFileAtomically, writeRoots } from './write-file.js';

/** What a formatting run found. */
export interface FormatRun {
  /** Files whose layout differs (rewritten with `write`), in discovery order. */
  unformatted: string[];
  /** Files left as they are, with the reason. */
  skipped: Array<{ path: string; reason: string }>;
  ioErrors: string[];
}

/**
 * Formats (or, without `write`, only checks) the VCL files found under
 * `paths`; `paramsFiles` are parameter files (`--params`), never formatted.
 * Never throws.
 */
export function formatFiles(paths: readonly string[], paramsFiles: readonly string[], write: boolean): FormatRun {
  const run: FormatRun = { unformatted: [], skipped: [], ioErrors: [] };
  const discovery = discoverFiles(paths, paramsFiles);
  run.ioErrors.push(...discovery.errors);
  const roots = write ? writeRoots([...paths, ...paramsFiles]) : [];
  for (const target of discovery.files) {
    if (target.language !== 'vcl') continue;
    const source = readSource(target.fsPath ?? target.path, target.path);
    if (source.kind === 'io-error') {
      run.ioErrors.push(source.message);
      continue;
    }
    if (source.kind === 'refused') {
      run.skipped.push({ path: target.path, reason: source.reason });
      continue;
    }
    const result = formatWholeText(source.text);
    if ('reason' in result) {
      run.skipped.push({ path: target.path, reason: result.reason });
      continue;
    }
    if (result.text === source.text) continue;
    run.unformatted.push(target.path);
    if (!write) continue;
    const written = writeFileAtomically({
      path: target.fsPath ?? target.path,
      display: target.path,
      expected: source.bytes,
      bytes: Buffer.from((source.bom ? '\uFEFF' : '') + result.text, 'utf8'),
      roots,
    });
    if (!written.ok) run.ioErrors.push(written.message);
  }
  return run;
}
