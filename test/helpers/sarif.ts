/**
 * What every SARIF log vcl-lint writes must satisfy, checked the same way
 * wherever a test reads one (the CLI's own tests, the npm package, the CI
 * action): SARIF 2.1.0, one run of the vcl-lint driver, UTF-16 columns, and
 * results whose rule index, level and 1-based location are well formed.
 */
import assert from 'node:assert/strict';

/** One SARIF result, as far as the tests read it. */
export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }[];
}

/** The run of a SARIF log, as far as the tests read it. */
export interface SarifRun {
  tool: { driver: { name: string; version: string; properties?: { varnishVersion?: string }; rules: { id: string; helpUri?: string }[] } };
  columnKind: string;
  results: SarifResult[];
}

/** Parses `text` as a vcl-lint SARIF log, asserts its shape, and returns its one run. */
export function assertSarifLog(text: string): SarifRun {
  const log = JSON.parse(text) as { version: string; $schema?: string; runs: SarifRun[] };
  assert.equal(log.version, '2.1.0');
  assert.match(log.$schema ?? '', /sarif-2\.1\.0/);
  assert.equal(log.runs.length, 1);
  const run = log.runs[0]!;
  assert.equal(run.tool.driver.name, 'vcl-lint');
  assert.equal(run.columnKind, 'utf16CodeUnits');
  for (const r of run.results) {
    assert.equal(run.tool.driver.rules[r.ruleIndex]?.id, r.ruleId, `ruleIndex of ${r.ruleId}`);
    assert.ok(['error', 'warning', 'note', 'none'].includes(r.level), r.level);
    assert.ok(r.message.text.length > 0);
    for (const l of r.locations) {
      const g = l.physicalLocation.region;
      assert.ok(g.startLine >= 1 && g.startColumn >= 1 && g.endLine >= g.startLine, JSON.stringify(g));
    }
  }
  return run;
}
