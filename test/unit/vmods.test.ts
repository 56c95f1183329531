/**
 * Vmod interfaces: the generated table (facts/vmods.json) against known
 * signatures, the byte reader's never-throw contract, and — where Varnish's
 * vmods are installed — the committed table against the installed files.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {
  DEFAULT_VMOD_PATH,
  builtinVmod,
  builtinVmodNames,
  findVmod,
  isRequiredArg,
  loadVmodFromFile,
  splitVmodPath,
  visibleArgs,
  vmodFunction,
  vmodMethod,
  vmodObject,
  type VmodArg,
  type VmodFunction,
} from '../../server/src/vmods/index.js';
import { MAX_VMOD_FILE_BYTES, readVmodInterface } from '../../server/src/vmods/read-vmod-json.js';
import { fakeVmod } from '../helpers/fake-vmod.js';
import { skipBecause } from '../helpers/skip.js';

const FC_SEED = Number(process.env['FC_SEED'] ?? 20250917);

/** One-line signature: `[..]` optional, `=x` default, `<PRIV_X>` hidden, `ENUM {a,b}` values. */
function fmtArg(a: VmodArg): string {
  if (a.hidden) return `<${a.type}>`;
  const type = a.enum ? `ENUM {${a.enum.join(',')}}` : a.type;
  const s = `${type}${a.name ? ' ' + a.name : ''}${a.default !== undefined ? '=' + a.default : ''}`;
  return a.optional ? `[${s}]` : s;
}
function fmt(f: VmodFunction): string {
  return `${f.returnType} ${f.name}(${f.args.map(fmtArg).join(', ')})${f.restrict ? ' @' + f.restrict.join(',') : ''}`;
}

describe('vmods: generated Varnish 7.1 table', () => {
  it('holds every vmod of Varnish 7.1 and varnish-modules', () => {
    const shipped = ['accept', 'blob', 'bodyaccess', 'cookie', 'directors', 'header', 'proxy', 'purge', 'saintmode',
      'std', 'str', 'tcp', 'unix', 'var', 'vsthrottle', 'vtc', 'xkey'];
    const names = builtinVmodNames();
    for (const n of shipped) assert.ok(names.includes(n), n);
    assert.equal(builtinVmod('nosuch'), undefined);
    assert.equal(builtinVmod('constructor'), undefined); // own keys only
  });

  // [vmod, function, signature]
  const functions: [string, string, string][] = [
    ['std', 'integer', 'INT integer([STRING s], [INT fallback], [BOOL bool], [BYTES bytes], [DURATION duration], [REAL real], [TIME time])'],
    ['std', 'log', 'VOID log(STRANDS s)'],
    ['std', 'collect', 'VOID collect(HEADER hdr, STRING sep=", ")'],
    ['std', 'ip', 'IP ip(STRING s, [IP fallback], BOOL resolve=1, [STRING p])'],
    ['std', 'fileread', 'STRING fileread(<PRIV_CALL>, STRING)'],
    ['std', 'cache_req_body', 'BOOL cache_req_body(BYTES size)'],
    ['std', 'fnmatch', 'BOOL fnmatch(STRING pattern, STRING subject, BOOL pathname=1, BOOL noescape=0, BOOL period=0)'],
    ['cookie', 'get', 'STRING get(<PRIV_TASK>, STRING cookiename)'],
    ['cookie', 'filter_re', 'VOID filter_re(<PRIV_TASK>, REGEX expression)'],
    ['blob', 'encode', 'STRING encode(ENUM {IDENTITY,BASE64,BASE64URL,BASE64URLNOPAD,BASE64CF,HEX,URL} encoding=IDENTITY, ENUM {LOWER,UPPER,DEFAULT} case=DEFAULT, BLOB blob)'],
    ['directors', 'lookup', 'BACKEND lookup(STRING)'],
    ['xkey', 'softpurge', 'INT softpurge(STRING keys)'],
    ['var', 'set_int', 'VOID set_int(<PRIV_TASK>, STRING key, INT value)'],
    ['vsthrottle', 'is_denied', 'BOOL is_denied(STRING key, INT limit, DURATION period, DURATION block=0)'],
    ['str', 'split', 'STRING split(STRING S, INT n, STRING sep=" \\t")'], // the default is VCL text, backslash included
    ['header', 'append', 'VOID append(HEADER, STRANDS)'],
    ['purge', 'soft', 'INT soft(DURATION ttl=0, DURATION grace=-1, DURATION keep=-1)'],
    ['bodyaccess', 'log_req_body', 'VOID log_req_body(STRING prefix="", INT length=200)'],
    ['vtc', 'workspace_free', 'INT workspace_free(ENUM {client,backend,session,thread})'],
    ['proxy', 'is_ssl', 'BOOL is_ssl()'],
    ['unix', 'uid', 'INT uid()'],
    ['tcp', 'congestion_algorithm', 'INT congestion_algorithm(STRING algorithm)'],
    ['saintmode', 'blacklist', 'VOID blacklist(<PRIV_VCL>, DURATION expires)'],
    ['cookie', 'format_rfc1123', 'STRING format_date(TIME now, DURATION timedelta)'], // $ALIAS
  ];
  for (const [vmod, name, sig] of functions) {
    it(`${vmod}.${name}: ${sig}`, () => {
      const v = builtinVmod(vmod);
      assert.ok(v, vmod);
      const f = vmodFunction(v, name);
      assert.ok(f, `${vmod}.${name}`);
      assert.equal(fmt(f), sig);
    });
  }

  // [vmod, object, constructor args, method, method signature]
  const methods: [string, string, string, string, string][] = [
    ['directors', 'round_robin', '', 'add_backend', 'VOID add_backend(BACKEND)'],
    ['directors', 'round_robin', '', 'backend', 'BACKEND backend()'],
    ['directors', 'fallback', 'BOOL sticky=0', 'add_backend', 'VOID add_backend(BACKEND)'],
    ['directors', 'hash', '', 'add_backend', 'VOID add_backend(BACKEND, REAL weight=1.0)'],
    ['directors', 'shard', '', 'backend', 'BACKEND backend([ENUM {HASH,URL,KEY,BLOB} by=HASH], [INT key], [BLOB key_blob], [INT alt=0], [REAL warmup=-1], [BOOL rampup=1], [ENUM {CHOSEN,IGNORE,ALL} healthy=CHOSEN], [BLOB param], [ENUM {NOW,LAZY} resolve])'],
    ['blob', 'blob', 'ENUM {IDENTITY,BASE64,BASE64URL,BASE64URLNOPAD,BASE64CF,HEX,URL} decoding=IDENTITY, STRANDS encoded', 'get', 'BLOB get()'],
    ['saintmode', 'saintmode', '<PRIV_VCL>, BACKEND backend, INT threshold', 'is_healthy', 'BOOL is_healthy()'],
    ['accept', 'rule', 'STRING string', 'filter', 'STRING filter(STRING string)'],
  ];
  for (const [vmod, obj, ctor, method, sig] of methods) {
    it(`${vmod}.${obj}(${ctor}).${method}: ${sig}`, () => {
      const v = builtinVmod(vmod)!;
      const o = vmodObject(v, obj);
      assert.ok(o, `${vmod}.${obj}`);
      assert.equal(o.constructorArgs.map(fmtArg).join(', '), ctor);
      assert.equal(o.nullOk, false);
      const m = vmodMethod(v, obj, method);
      assert.ok(m, `${vmod}.${obj}.${method}`);
      assert.equal(fmt(m), sig);
    });
  }

  it('marks PRIV_* arguments hidden and knows which arguments are required', () => {
    const get = vmodFunction(builtinVmod('cookie')!, 'get')!;
    assert.deepEqual(visibleArgs(get.args).map((a) => a.name), ['cookiename']);
    const ip = vmodFunction(builtinVmod('std')!, 'ip')!;
    assert.deepEqual(ip.args.filter(isRequiredArg).map((a) => a.name), ['s']);
  });

  it('records $Event and $Alias', () => {
    assert.equal(builtinVmod('xkey')!.hasEvent, true);
    assert.equal(builtinVmod('std')!.hasEvent, false);
    assert.deepEqual(builtinVmod('cookie')!.aliases, [{ name: 'format_rfc1123', target: 'format_date' }]);
    const debug = builtinVmod('debug');
    if (debug) assert.equal(vmodMethod(debug, 'obj', 'bar')?.name, 'foo');
  });
});

const SAMPLE = [
  ['$VMOD', '1.0'],
  ['$EVENT', 'Vmod_vmod_demo_Func._event'],
  ['$FUNC', 'pick', [['STRING'], 'Vmod_vmod_demo_Func.pick', '', ['PRIV_TASK'],
    ['ENUM', 'how', 'FIRST', ['FIRST', 'LAST']], ['STRING', 'label', '"[x]"'], ['INT', 'n', null, null, true]],
    ['$RESTRICT', ['vcl_recv', 'backend']]],
  ['$OBJ', 'thing', { NULL_OK: true }, 'struct vmod_demo_thing',
    ['$INIT', [['VOID'], 'Vmod_vmod_demo_Func.thing__init', '', ['STRING', 'a']]],
    ['$FINI', [['VOID'], 'Vmod_vmod_demo_Func.thing__fini', '']],
    ['$METHOD', 'go', [['BOOL'], 'Vmod_vmod_demo_Func.thing_go', ''], ['$RESTRICT', ['client']]]],
  ['$ALIAS', 'choose', 'pick'],
];

describe('vmods: reading the embedded JSON', () => {
  it('reads a vmodtool-style embedding with $RESTRICT, enums, defaults and NULL_OK', () => {
    const v = readVmodInterface(fakeVmod(SAMPLE));
    assert.ok(!('error' in v), JSON.stringify(v));
    assert.equal(v.name, 'demo'); // guessed from Vmod_vmod_demo_Func without a name
    assert.equal(v.abi, 'Varnish 7.1.1 7cee1c581bead20e88d101ab3d72afb29f14d87a');
    assert.equal(v.hasEvent, true);
    assert.equal(fmt(v.functions[0]!), 'STRING pick(<PRIV_TASK>, ENUM {FIRST,LAST} how=FIRST, STRING label="[x]", [INT n]) @vcl_recv,backend');
    assert.equal(v.objects[0]!.nullOk, true);
    assert.equal(fmt(v.objects[0]!.methods[0]!), 'BOOL go() @client');
    assert.equal(vmodFunction(v, 'choose')?.name, 'pick');
  });

  it('takes the name from the caller, else from a newer $VMOD stanza', () => {
    const named = readVmodInterface(fakeVmod(SAMPLE), { name: 'other' });
    assert.equal('error' in named ? named.error : named.name, 'other');
    const newer = readVmodInterface(fakeVmod([['$VMOD', '1.0', 'fresh', 'Vmod_vmod_fresh_Func', 'Varnish 7.5.0 ' + 'a'.repeat(40)]], ''));
    assert.ok(!('error' in newer));
    assert.equal(newer.name, 'fresh');
    assert.equal(newer.abi, 'Varnish 7.5.0 ' + 'a'.repeat(40));
  });

  it('skips a "$VMOD" that does not start the array and finds the real one', () => {
    const v = readVmodInterface(fakeVmod(SAMPLE, 'see "$VMOD" here\0[ "$VMOD"\0'));
    assert.ok(!('error' in v));
    assert.equal(v.functions.length, 1);
  });

  const errors: [string, Uint8Array, RegExp][] = [
    ['empty input', new Uint8Array(0), /"\$VMOD" not found/],
    ['an ELF without "$VMOD"', Buffer.from('\x7fELF\0\0libc.so.6\0', 'latin1'), /"\$VMOD" not found/],
    ['"$VMOD" outside an array', Buffer.from('\0"$VMOD"\0'), /not at the start of a JSON array/],
    ['no closing bracket before NUL', Buffer.from('\0[ ["$VMOD", "1.0"] \0 ]'), /truncated/],
    ['bad JSON', Buffer.from('\0[ ["$VMOD", "1.0"],, ]\0'), /does not parse/],
  ];
  for (const [what, bytes, message] of errors) {
    it(`reports ${what}`, () => {
      const r = readVmodInterface(bytes);
      assert.ok('error' in r, JSON.stringify(r));
      assert.match(r.error, message);
    });
  }

  it('refuses input over 64 MB', () => {
    const r = readVmodInterface(new Uint8Array(MAX_VMOD_FILE_BYTES + 1));
    assert.ok('error' in r);
    assert.match(r.error, /64 MB/);
  });

  it('never throws on random bytes, with or without a "$VMOD" inside', () => {
    const marker = fc.constantFrom('', '"$VMOD"', '[ [ "$VMOD"', '[["$VMOD","1.0"],["$FUNC",');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), marker, fc.uint8Array({ maxLength: 400 }), (a, m, b) => {
        const r = readVmodInterface(Buffer.concat([a, Buffer.from(m), b]));
        assert.equal(typeof r, 'object');
      }),
      { seed: FC_SEED, numRuns: 500 },
    );
  });

  it('never throws on every truncation of a real-format embedding', () => {
    const full = fakeVmod(SAMPLE);
    for (let n = 0; n <= full.length; n++) {
      const r = readVmodInterface(full.subarray(0, n));
      assert.equal(typeof r, 'object');
    }
  });

  it('never throws on JSON of the wrong shape', () => {
    const json = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, fc.constantFrom<unknown>('$FUNC', '$OBJ', '$INIT', '$METHOD', '$RESTRICT', '$ALIAS', '$EVENT', null, true, 1), fc.string(), fc.array(tie('v'), { maxLength: 6 }), fc.dictionary(fc.string(), tie('v'), { maxKeys: 2 })),
    })).v;
    fc.assert(
      fc.property(fc.array(json, { maxLength: 6 }), (rest) => {
        const r = readVmodInterface(fakeVmod([['$VMOD', '1.0'], ...rest]));
        assert.ok(!('error' in r), 'a well-formed head is always accepted');
        for (const f of r.functions) assert.equal(typeof f.returnType, 'string');
      }),
      { seed: FC_SEED, numRuns: 300 },
    );
  });
});

describe('vmods: files on disk (bytes only)', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vmods-test-'));
    writeFileSync(path.join(dir, 'libvmod_demo.so'), fakeVmod(SAMPLE));
    writeFileSync(path.join(dir, 'libvmod_junk.so'), Buffer.from('not a vmod'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loadVmodFromFile names the vmod after libvmod_<name>.so', () => {
    const v = loadVmodFromFile(path.join(dir, 'libvmod_demo.so'));
    assert.equal('error' in v ? v.error : v.name, 'demo');
    const as = loadVmodFromFile(path.join(dir, 'libvmod_demo.so'), 'alias');
    assert.equal('error' in as ? as.error : as.name, 'alias');
  });

  const failures: [string, () => { error: string } | object, RegExp][] = [
    ['a missing file', () => loadVmodFromFile(path.join(dir, 'nope.so')), /cannot read \(ENOENT\)/],
    ['a directory', () => loadVmodFromFile(dir), /not a regular file/],
    ['a file that is not a vmod', () => loadVmodFromFile(path.join(dir, 'libvmod_junk.so')), /"\$VMOD" not found/],
    ['a name with a path in it', () => findVmod('../demo', [dir]), /not a valid vmod name/],
    ['a vmod on no directory', () => findVmod('absent', ['/nonexistent', dir]), /not found: no libvmod_absent\.so/],
  ];
  for (const [what, run, message] of failures) {
    it(`reports ${what}`, () => {
      const r = run();
      assert.ok('error' in r, JSON.stringify(r));
      assert.match((r as { error: string }).error, message);
    });
  }

  it('findVmod searches the directories in order', () => {
    const r = findVmod('demo', ['/nonexistent', dir]);
    assert.ok(!('error' in r), JSON.stringify(r));
    assert.equal(r.path, path.join(dir, 'libvmod_demo.so'));
    assert.deepEqual(splitVmodPath(`/a::${dir}`), ['/a', dir]);
  });

  it('the committed table holds, for each checked release, the vmods its compiler\'s package ships', function () {
    const oracles = process.env['VARNISH_ORACLES'] || '/opt/varnish-oracles';
    const dirs: Record<string, string> = {
      '6.5': 'bullseye/usr/lib/x86_64-linux-gnu/varnish/vmods',
      '7.7': 'trixie/usr/lib/x86_64-linux-gnu/varnish/vmods',
      '9.0': 'sid/usr/lib/x86_64-linux-gnu/vinyl-cache/vmods',
    };
    // Every vmod the table knows in some release; a package's others (none today) are not tracked.
    const tableNames = new Set(['6.5', '7.1', '7.7', '9.0'].flatMap((r) => builtinVmodNames(r)));
    let compared = 0;
    for (const [release, dir] of Object.entries(dirs)) {
      const full = path.join(oracles, dir);
      if (!existsSync(path.join(full, 'libvmod_std.so'))) continue;
      const shipped = readdirSync(full).filter((f) => /^libvmod_\w+\.so$/.test(f)).map((f) => f.slice('libvmod_'.length, -3));
      const known = shipped.filter((n) => tableNames.has(n));
      assert.deepEqual(builtinVmodNames(release), [...known].sort(), `${release}: vmods of ${full}`);
      for (const name of known) {
        const found = findVmod(name, [full]);
        assert.ok(!('error' in found), JSON.stringify(found));
        assert.deepStrictEqual(found.vmod, builtinVmod(name, release), `${found.path} differs from facts/vmods.json for ${release}; run npm run gen:vmods`);
        compared++;
      }
    }
    if (compared === 0) skipBecause(this, `the compilers' chroots were not found in ${oracles} (set VARNISH_ORACLES)`);
  });

  it('the committed table matches the installed vmods', function () {
    const dirs = process.env['VARNISH_VMOD_DIR'] ? splitVmodPath(process.env['VARNISH_VMOD_DIR']) : DEFAULT_VMOD_PATH;
    const missing: string[] = [];
    let compared = 0;
    for (const name of builtinVmodNames()) {
      const found = findVmod(name, dirs);
      if ('error' in found) {
        missing.push(name);
        continue;
      }
      assert.deepStrictEqual(found.vmod, builtinVmod(name), `${found.path} differs from facts/vmods.json; run npm run gen:vmods`);
      compared++;
    }
    if (compared === 0) skipBecause(this, `vmods not installed on ${dirs.join(':')} (set VARNISH_VMOD_DIR)`);
    else if (missing.length) console.log(`      vmods not installed: ${missing.join(', ')}; the other ${compared} match facts/vmods.json`);
  });
});
