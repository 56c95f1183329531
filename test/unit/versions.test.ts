/**
 * The version model: which releases exist, which are checked, how a user's
 * text is read, how versions compare and how spans of releases are told.
 * One line per case.
 */
import assert from 'node:assert/strict';
import {
  CHECKED_VERSIONS,
  DEFAULT_VARNISH_VERSION,
  RELEASES,
  VARNISH_VERSIONS,
  atLeast,
  compareVersions,
  describeVersions,
  holdsIn,
  isVarnishVersion,
  parseVarnishVersion,
  productName,
  releaseOf,
  versionListText,
  versionsIn,
  type VersionSpans,
} from '../../server/src/facts/versions.js';

describe('versions: the supported releases', () => {
  it('lists 6.0, 6.5, 6.6, 7.0 to 7.7, 8.0 and 9.0, oldest first', () => {
    assert.deepEqual(VARNISH_VERSIONS, ['6.0', '6.5', '6.6', '7.0', '7.1', '7.2', '7.3', '7.4', '7.5', '7.6', '7.7', '8.0', '9.0']);
    assert.equal(versionListText(), '6.0, 6.5, 6.6, 7.0, 7.1, 7.2, 7.3, 7.4, 7.5, 7.6, 7.7, 8.0, 9.0');
  });

  it('checks the four releases that have a compiler here; the others are derived', () => {
    assert.deepEqual(CHECKED_VERSIONS, ['6.5', '7.1', '7.7', '9.0']);
    for (const r of RELEASES) assert.equal(r.evidence === 'checked', r.checkedRelease !== undefined, r.version);
  });

  // [version, product, evidence, exact release]
  const releases: [string, string, string, string | undefined][] = [
    ['6.0', 'Varnish Cache', 'derived', undefined],
    ['6.5', 'Varnish Cache', 'checked', '6.5.1'],
    ['7.1', 'Varnish Cache', 'checked', '7.1.1'],
    ['7.6', 'Varnish Cache', 'derived', undefined],
    ['7.7', 'Varnish Cache', 'checked', '7.7.0'],
    ['8.0', 'Varnish Cache', 'derived', undefined],
    ['9.0', 'Vinyl Cache', 'checked', '9.0.1'],
  ];
  for (const [version, product, evidence, exact] of releases) {
    it(`${version}: ${product}, ${evidence}${exact ? ` (${exact})` : ''}`, () => {
      assert.ok(isVarnishVersion(version));
      const r = releaseOf(version);
      assert.equal(r.product, product);
      assert.equal(r.evidence, evidence);
      assert.equal(r.checkedRelease, exact);
      assert.equal(`${r.major}.${r.minor}`, version);
    });
  }

  it('defaults to 7.1, a checked release', () => {
    assert.equal(DEFAULT_VARNISH_VERSION, '7.1');
    assert.ok(CHECKED_VERSIONS.includes(DEFAULT_VARNISH_VERSION));
  });
});

describe('versions: reading what a user writes', () => {
  // [text, version or undefined]
  const cases: [string, string | undefined][] = [
    ['7.7', '7.7'],
    ['9.0', '9.0'],
    ['6.0', '6.0'],
    ['7.7.0', '7.7'],
    ['6.0.13', '6.0'],
    [' 8.0 ', '8.0'],
    ['07.01', '7.1'],
    ['7', undefined],
    ['7.', undefined],
    ['6.4', undefined],
    ['6.1', undefined],
    ['10.0', undefined],
    ['7.7.0.1', undefined],
    ['v7.7', undefined],
    ['7,7', undefined],
    ['', undefined],
    ['latest', undefined],
  ];
  for (const [text, want] of cases) {
    it(`${JSON.stringify(text)} -> ${want ?? 'not a supported version'}`, () => {
      assert.equal(parseVarnishVersion(text), want);
    });
  }

  it('isVarnishVersion wants the exact major.minor', () => {
    assert.equal(isVarnishVersion('7.7'), true);
    assert.equal(isVarnishVersion('7.7.0'), false);
    assert.equal(isVarnishVersion(7.7), false);
  });
});

describe('versions: comparing', () => {
  // [a, b, sign of compareVersions(a, b)]
  const cases: [string, string, number][] = [
    ['6.0', '6.5', -1],
    ['6.5', '6.5', 0],
    ['7.10', '7.9', 1],
    ['9.0', '8.0', 1],
    ['6.6', '7.0', -1],
    ['6.2', '6.0', 1],
  ];
  for (const [a, b, sign] of cases) {
    it(`${a} vs ${b}: ${sign}`, () => {
      assert.equal(Math.sign(compareVersions(a, b)), sign);
      assert.equal(atLeast(a, b), sign >= 0);
    });
  }
});

describe('versions: spans of releases', () => {
  // [spans, versions where the fact holds]
  const cases: [VersionSpans | undefined, string[]][] = [
    [undefined, [...VARNISH_VERSIONS]],
    [{ since: '7.0' }, ['7.0', '7.1', '7.2', '7.3', '7.4', '7.5', '7.6', '7.7', '8.0', '9.0']],
    [{ until: '7.0' }, ['6.0', '6.5', '6.6']],
    [{ since: '6.5', until: '7.0' }, ['6.5', '6.6']],
    // A release that is not offered (6.3) still bounds a span by number.
    [{ since: '6.3' }, VARNISH_VERSIONS.filter((v) => v !== '6.0')],
    [[{ until: '6.5' }, { since: '7.3' }], ['6.0', '7.3', '7.4', '7.5', '7.6', '7.7', '8.0', '9.0']],
    [{ since: '8.0', until: '8.0' }, []],
  ];
  for (const [spans, want] of cases) {
    it(`${JSON.stringify(spans)} -> ${want.join(' ') || 'none'}`, () => {
      assert.deepEqual(versionsIn(spans), want);
      for (const v of VARNISH_VERSIONS) assert.equal(holdsIn(v, spans), want.includes(v), v);
    });
  }

  // [versions, words]
  const words: [string[], string][] = [
    [[...VARNISH_VERSIONS], 'in every version'],
    [['7.0', '7.1', '7.2', '7.3', '7.4', '7.5', '7.6', '7.7', '8.0', '9.0'], 'from Varnish 7.0'],
    [['9.0'], 'from Vinyl Cache 9.0'],
    [['6.0', '6.5', '6.6'], 'up to Varnish 6.6'],
    [['6.0'], 'up to Varnish 6.0'],
    [['6.5', '6.6'], 'in Varnish 6.5 to 6.6'],
    [['7.7'], 'in Varnish 7.7'],
    [['6.0', '7.3', '7.4', '7.5', '7.6', '7.7', '8.0', '9.0'], 'up to Varnish 6.0 and from 7.3'],
    [['6.5', '7.1', '9.0'], 'in Varnish 6.5, in 7.1 and from 9.0'],
    [[], ''],
  ];
  for (const [versions, want] of words) {
    it(`[${versions.join(' ')}] -> ${JSON.stringify(want)}`, () => {
      assert.equal(describeVersions(versions), want);
    });
  }

  it('names the product of each release', () => {
    assert.equal(productName('7.7'), 'Varnish 7.7');
    assert.equal(productName('8.0'), 'Varnish 8.0');
    assert.equal(productName('9.0'), 'Vinyl Cache 9.0');
  });
});
