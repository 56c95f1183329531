/**
 * Remembered analyses: the same text and options give the remembered
 * result, anything else a fresh one; and programModel (used by hover and
 * navigation) goes through it.
 */
import assert from 'node:assert/strict';
import { RecentResults } from '../../server/src/service/recent-results.js';
import { programModel } from '../../server/src/service/lint.js';

describe('recent results', function () {
  it('computes once per text and options, compared by identity and shallowly', function () {
    const recent = new RecentResults<{ path?: string; list?: string[] }, number>(2);
    let computed = 0;
    const compute = () => ++computed;
    const list = ['a'];
    assert.equal(recent.get('text', { path: 'p', list }, compute), 1);
    assert.equal(recent.get('text', { path: 'p', list }, compute), 1, 'same text, equal options');
    assert.equal(recent.get('text', { path: 'p', list: ['a'] }, compute), 2, 'an array with the same content is another array');
    assert.equal(recent.get('text2', { path: 'p', list }, compute), 3, 'another text');
    assert.equal(recent.get('text', { path: 'p' }, compute), 4, 'an option left out');
  });

  it('forgets the least recently used beyond its size', function () {
    const recent = new RecentResults<object, string>(2);
    recent.get('a', {}, () => 'a1');
    recent.get('b', {}, () => 'b1');
    recent.get('a', {}, () => 'a2'); // a is the most recent again
    recent.get('c', {}, () => 'c1'); // b goes
    assert.equal(recent.get('a', {}, () => 'a3'), 'a1');
    assert.equal(recent.get('b', {}, () => 'b2'), 'b2');
  });

  it('gives programModel the same model for the same version and a new one after an edit', function () {
    const text = 'vcl 4.1;\nbackend b { .host = "127.0.0.1"; }\nsub vcl_recv { set req.http.x = "1"; }\n';
    const first = programModel(text, { path: '/tmp/recent.vcl' });
    assert.equal(programModel(text, { path: '/tmp/recent.vcl' }), first);
    const edited = programModel(text.replace('"1"', '"2"'), { path: '/tmp/recent.vcl' });
    assert.notEqual(edited, first);
    assert.notEqual(programModel(text, { path: '/tmp/other.vcl' }), first);
  });
});
