/** Which backend addresses are template placeholders, and that they get one finding, not also backend-address's. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { placeholderByPatterns, templatePlaceholder } from '../../server/src/rules/backend-host-placeholder.js';
import { lintText } from '../../server/src/service/lint.js';

const cases: Array<[string, string | undefined]> = [
  ['_BACKEND_HOST_', '_BACKEND_HOST_'],
  ['__HOST__', '__HOST__'],
  ['{VARNISH_BACKEND_HOST}', '{VARNISH_BACKEND_HOST}'],
  ['${BACKEND}', '${BACKEND}'],
  ['$BACKEND_HOST', '$BACKEND_HOST'],
  ['{{ .Values.host }}', '{{ .Values.host }}'],
  ['{% if x %}a{% endif %}', '{% if x %}'],
  ['<%= @backend %>', '<%= @backend %>'],
  ['#{Backend.Host}', '#{Backend.Host}'],
  ['%BACKEND%', '%BACKEND%'],
  ['@@HOST@@', '@@HOST@@'],
  ['@HOST@', '@HOST@'],
  ['app-${ENV}.internal', '${ENV}'],
  // Real addresses
  ['127.0.0.1', undefined],
  ['app.internal', undefined],
  ['my_backend', undefined],
  ['web_1.example.com', undefined],
  ['fe80::1%eth0', undefined],
  ['[::1]', undefined],
  ['8080', undefined],
  ['http', undefined],
];

describe('backend-host-placeholder', () => {
  for (const [value, expected] of cases) {
    it(`${JSON.stringify(value)}: ${expected ?? 'no placeholder'}`, () => assert.equal(templatePlaceholder(value), expected));
  }

  it('gives what the patterns alone give (its quick test for their characters drops nothing)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('$', '{', '}', '%', '<', '>', '#', '@', '_', 'A', 'z', '9', '.', '-', ' ', 'HOST', '{{', '}}', '${', '127.0.0.1'), { maxLength: 12 }), (parts) => {
        const value = parts.join('');
        assert.equal(templatePlaceholder(value), placeholderByPatterns(value), JSON.stringify(value));
      }),
      { numRuns: 20_000, seed: 77 },
    );
  });

  it('reports .host and .port placeholders once each, with no backend-address finding', () => {
    const text = 'vcl 4.1;\nbackend b {\n    .host = "{{ .Values.host }}";\n    .port = "${PORT}";\n}\n';
    const found = lintText(text).filter((d) => d.severity === 'error').map((d) => `${d.rule}@${d.range.start.line}`);
    assert.deepEqual(found, ['backend-host-placeholder@2', 'backend-host-placeholder@3']);
  });
});
