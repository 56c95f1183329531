/**
 * Compose files that say the same thing in other YAML: each block-style
 * fixture has a twin that shares its settings through anchors and merge
 * keys, and one in flow style. The twins must get the same diagnostics
 * (rule, message, and a range on the corresponding text), and every fix
 * applied to a twin must leave valid YAML, in the twin's own style, that
 * means what the fixed original means.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isScalar, isSeq, parseAllDocuments, parseDocument, type Node } from 'yaml';
import { readParamsFile } from '../../server/src/params/detect.js';
import { lintParamsText } from '../../server/src/service/lint-params.js';
import type { LintDiagnostic } from '../../server/src/service/types.js';
import { applyEdits, offsetsOf } from '../helpers/apply-edits.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const read = (rel: string): string => readFileSync(path.join(root, 'test', 'fixtures', rel), 'utf8');

const twins: [original: string, twin: string][] = [
  ['params/docker/compose/docker-compose.yml', 'params/docker/compose-anchors/docker-compose.yml'],
  ['params/docker/compose/docker-compose.yml', 'params/docker/compose-flow/docker-compose.yml'],
  ['params-503/docker/docker-compose.yml', 'params-503/docker-anchors/docker-compose.yml'],
  ['params-503/docker/docker-compose.yml', 'params-503/docker-flow/docker-compose.yml'],
];


/** Diagnostics in a stable order (a twin may hold its settings in another order). */
function diagnostics(text: string, file: string): LintDiagnostic[] {
  return lintParamsText(text, { path: file }).sort((a, b) => (a.rule + a.message < b.rule + b.message ? -1 : 1));
}

/** What a diagnostic points at: the setting's name and the text of the range. */
function target(text: string, file: string, d: LintDiagnostic): string {
  const { start, end } = offsetsOf(text, d.range);
  const setting = readParamsFile(file, text)!.commands.flatMap((c) => c.settings).find((s) => s.valueSpan.start === start && s.valueSpan.end === end);
  return `${setting?.name ?? '(no setting)'}=${text.slice(start, end)}`;
}

/** Each service's command and entrypoint as compose sees them (merge keys resolved). */
function services(text: string): Record<string, unknown> {
  const js = parseDocument(text, { merge: true }).toJS({ maxAliasCount: 100 }) as { services: Record<string, Record<string, unknown>> };
  return Object.fromEntries(Object.entries(js.services).map(([name, s]) => [name, { command: s['command'], entrypoint: s['entrypoint'] }]));
}

/** How each service's command is written: flow or block list, or the scalar's style. */
function styles(text: string): string[] {
  const out: string[] = [];
  const visit = (n: unknown): void => {
    if (isMap(n)) {
      for (const p of n.items) {
        if (isScalar(p.key) && p.key.value === 'command') out.push(isSeq(p.value) ? (p.value.flow ? 'flow' : 'block') : isScalar(p.value) ? String(p.value.type) : 'alias');
        visit(p.value);
      }
    } else if (isSeq(n)) n.items.forEach(visit);
  };
  visit(parseDocument(text).contents as Node);
  return out;
}

describe('compose twins: anchors, merge keys and flow style read like block style', () => {
  for (const [originalPath, twinPath] of twins) {
    describe(twinPath, () => {
      const original = read(originalPath);
      const twin = read(twinPath);
      const file = path.basename(twinPath);

      it('says what the original says (compose would run the same commands)', () => {
        const want = services(original);
        const got = services(twin);
        for (const name of Object.keys(want)) assert.deepEqual(got[name], want[name], name);
      });

      it('gets the same diagnostics, pointing at the corresponding text', () => {
        const want = diagnostics(original, file);
        const got = diagnostics(twin, file);
        assert.ok(want.length > 0, 'the original has findings');
        assert.deepEqual(got.map((d) => `${d.rule}: ${d.message}`), want.map((d) => `${d.rule}: ${d.message}`));
        assert.deepEqual(
          got.map((d) => target(twin, file, d)),
          want.map((d) => target(original, file, d)),
        );
      });

      it('every fix gives valid YAML in the same style, meaning what the fixed original means', () => {
        const want = diagnostics(original, file);
        const got = diagnostics(twin, file);
        let fixes = 0;
        got.forEach((d, i) => {
          const wantFixes = want[i]!.fixes ?? [];
          assert.deepEqual((d.fixes ?? []).map((f) => f.title), wantFixes.map((f) => f.title));
          (d.fixes ?? []).forEach((fix, j) => {
            fixes++;
            const fixed = applyEdits(twin, fix.edits);
            const fixedOriginal = applyEdits(original, wantFixes[j]!.edits);
            const errors = parseAllDocuments(fixed).flatMap((doc) => ('errors' in doc ? doc.errors.map((e) => e.message) : []));
            assert.deepEqual(errors, [], fixed);
            assert.deepEqual(styles(fixed), styles(twin), `style kept:\n${fixed}`);
            const wantServices = services(fixedOriginal);
            const gotServices = services(fixed);
            for (const name of Object.keys(wantServices)) assert.deepEqual(gotServices[name], wantServices[name], `${fix.title}: ${name}\n${fixed}`);
            // The finding this fix is for is gone, as in the original.
            const left = diagnostics(fixed, file).map((x) => x.message);
            assert.deepEqual(left, diagnostics(fixedOriginal, file).map((x) => x.message), fixed);
          });
        });
        assert.ok(fixes > 0, 'fixes were offered');
      });
    });
  }

  it('a value aliased in two commands is reported once, and its fix fixes both', () => {
    const text = 'x-hdr: &hdr http_resp_hdr_len=64k\nservices:\n  a: {image: varnish, command: [-p, *hdr]}\n  b:\n    image: varnish\n    command:\n      - -p\n      - *hdr\n';
    const ds = lintParamsText(text, { path: 'docker-compose.yml' });
    assert.deepEqual(ds.map((d) => `${d.rule}@${d.range.start.line}`), ['resp-buffer-too-small@0']);
    for (const fix of ds[0]!.fixes!) {
      const fixed = applyEdits(text, fix.edits);
      const s = services(fixed);
      assert.deepEqual((s['a'] as { command: string[] }).command.slice(2), (s['b'] as { command: string[] }).command.slice(2), fixed);
      assert.ok((s['a'] as { command: string[] }).command.length > 2, fixed);
      assert.deepEqual(lintParamsText(fixed, { path: 'docker-compose.yml' }).filter((d) => d.rule === 'resp-buffer-too-small'), [], fixed);
    }
  });

  it('a command shared through an anchor is reported once, at the anchor', () => {
    const twin = read('params/docker/compose-anchors/docker-compose.yml');
    const ds = lintParamsText(twin, { path: 'docker-compose.yml' });
    const anchorLine = twin.split('\n').findIndex((l) => l.includes('"http_resp_size=96k"'));
    assert.deepEqual(ds.filter((d) => /leaves no room/.test(d.message)).map((d) => d.range.start.line), [anchorLine]);
    // Both services that merge it run it.
    const s = services(twin);
    assert.deepEqual(s['varnish-list-canary'], s['varnish-list']);
  });
});
