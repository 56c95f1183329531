/**
 * Parameter-file readers: real-looking files under test/fixtures/params,
 * one table line per file; insertion of a new setting at `insertAt`; file
 * kind detection; and the robustness contract (odd input gives a problem or
 * nothing, never an exception), with a fast-check property on a fixed seed
 * (set FC_SEED to explore others).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { detectByContent, detectParamsKind, readParamsFile, readers } from '../../server/src/params/detect.js';
import { newSettingText, type ParamsCommand, type ParamsFile, type ParamsFileKind } from '../../server/src/params/model.js';
import { mergeSystemd, read as readSystemd } from '../../server/src/params/read-systemd.js';
import { tokenize } from '../../server/src/params/shell-words.js';
import { findInvocations, parseVarnishdArgs } from '../../server/src/params/varnishd-args.js';

const FC_SEED = Number(process.env['FC_SEED'] ?? 20250917);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const fixtureDir = path.join(root, 'test', 'fixtures', 'params');
const fixture = (rel: string): { path: string; text: string } => {
  const p = path.join(fixtureDir, rel);
  return { path: p, text: readFileSync(p, 'utf8') };
};
const at = (text: string, s: { start: number; end: number }): string => text.slice(s.start, s.end);
const kinds = Object.keys(readers) as ParamsFileKind[];

/** `name=value` per setting, with `~` before variable-form ones and `?` after unresolved ones. */
const settingsOf = (c: ParamsCommand): string[] =>
  c.settings.map((s) => `${s.form === 'variable' ? '~' : ''}${s.name}=${s.value}${s.unresolved ? '?' : ''}`);
const optionsOf = (c: ParamsCommand): string[] => c.options.map((o) => (o.value === undefined ? o.flag : `${o.flag} ${o.value}`));

/** Inserts `-p http_resp_hdr_len=65536` (or its `param.set` / list form) into command `i`. */
function insert(text: string, file: ParamsFile, i: number): string {
  const { insertAt } = file.commands[i]!;
  return text.slice(0, insertAt.offset) + newSettingText(insertAt, 'http_resp_hdr_len', '65536') + text.slice(insertAt.offset);
}

interface FixtureCase {
  file: string;
  kind: ParamsFileKind;
  /** Per command: its settings as {@link settingsOf} writes them. */
  settings: string[][];
  /** Some options of the first command, as {@link optionsOf} writes them. */
  options: string[];
}

const cases: FixtureCase[] = [
  {
    file: 'debian/lib/systemd/system/varnish.service',
    kind: 'systemd',
    settings: [[]],
    options: ['-j unix,user=vcache', '-F', '-a :6081', '-T localhost:6082', '-f /etc/varnish/default.vcl', '-S /etc/varnish/secret', '-s malloc,256m'],
  },
  {
    file: 'debian/etc/systemd/system/varnish.service.d/override.conf',
    kind: 'systemd',
    settings: [['feature=+http2', 'http_resp_size=98304', 'workspace_backend=131072']],
    options: ['-a :80', '-a localhost:8443,PROXY', '-s malloc,2G'],
  },
  {
    file: 'debian/etc/default/varnish',
    kind: 'shell-env',
    settings: [['http_resp_hdr_len=65536', 'http_resp_size=98304']],
    options: ['-a :80', '-T localhost:6082', '-s malloc,1024m'],
  },
  {
    file: 'rhel7/etc/varnish/varnish.params',
    kind: 'shell-env',
    settings: [['~default_ttl=120', 'thread_pool_min=5', 'thread_pool_max=500', 'thread_pool_timeout=300']],
    options: ['VARNISH_LISTEN_PORT 6081', 'VARNISH_STORAGE malloc,256M'],
  },
  {
    file: 'rhel6/etc/sysconfig/varnish',
    kind: 'shell-env',
    settings: [['~thread_pool_min=50', '~thread_pool_max=1000', '~thread_pool_timeout=120', '~default_ttl=120', '~http_resp_hdr_len=32k']],
    options: ['VARNISH_LISTEN_ADDRESS ', '-t ${VARNISH_TTL}', '-u varnish', '-s ${VARNISH_STORAGE}'],
  },
  {
    file: 'cli/startup.cli',
    kind: 'cli-init',
    settings: [['http_resp_size=98304', 'workspace_backend=128k', 'feature=+http2', 'cc_command=exec gcc -std=gnu99 -O2 %o %s']],
    options: [],
  },
  {
    file: 'docker/compose/docker-compose.yml',
    kind: 'docker-compose',
    settings: [['http_resp_hdr_len=64k'], ['http_resp_hdr_len=64k', 'http_resp_size=96k'], ['default_ttl=3600', 'default_grace=3600']],
    options: ['-F', '-a :80', '-f /etc/varnish/default.vcl', '-s malloc,512m'],
  },
  {
    // The same services, sharing their settings through anchors and merge keys.
    file: 'docker/compose-anchors/docker-compose.yml',
    kind: 'docker-compose',
    settings: [['http_resp_hdr_len=64k'], ['http_resp_hdr_len=64k', 'http_resp_size=96k'], ['default_ttl=3600', 'default_grace=3600']],
    options: ['-F', '-a :80', '-f /etc/varnish/default.vcl', '-s malloc,512m'],
  },
  {
    // The same services in flow style.
    file: 'docker/compose-flow/docker-compose.yml',
    kind: 'docker-compose',
    settings: [['http_resp_hdr_len=64k'], ['http_resp_hdr_len=64k', 'http_resp_size=96k'], ['default_ttl=3600', 'default_grace=3600']],
    options: ['-F', '-a :80', '-f /etc/varnish/default.vcl', '-s malloc,512m'],
  },
  {
    file: 'docker/image/Dockerfile',
    kind: 'dockerfile',
    settings: [['http_resp_hdr_len=65536']],
    options: ['-F', '-a :80', '-f /etc/varnish/default.vcl', '-s malloc,256m'],
  },
  {
    file: 'scripts/start-varnish.sh',
    kind: 'shell-script',
    settings: [['http_resp_hdr_len=65536', 'http_resp_size=98304', 'workspace_backend=$WORKSPACE_BACKEND?']],
    options: ['-F', '-a :80', '-s malloc,$VARNISH_SIZE'],
  },
];

describe('params readers: fixtures', () => {
  for (const c of cases) {
    describe(c.file, () => {
      const { path: p, text } = fixture(c.file);
      const file = readParamsFile(p, text);

      it(`is read as ${c.kind}, with its settings and options`, () => {
        assert.ok(file, 'detected');
        assert.equal(file.kind, c.kind);
        assert.deepEqual(file.problems, []);
        assert.deepEqual(file.commands.map(settingsOf), c.settings);
        const options = optionsOf(file.commands[0]!);
        for (const o of c.options) assert.ok(options.includes(o), `option '${o}' in ${JSON.stringify(options)}`);
      });

      it('points every setting at its exact source text', () => {
        for (const s of file!.commands.flatMap((x) => x.settings)) {
          assert.equal(at(text, s.valueSpan), s.value, `value of ${s.name}`);
          const nameText = at(text, s.nameSpan);
          if (s.form === 'variable' && nameText !== s.name) assert.match(nameText, /^VARNISH_[A-Z_]+$/);
          else assert.equal(nameText, s.name);
          const whole = at(text, s.span);
          assert.ok(whole.includes(nameText) || s.form === 'variable', `span '${whole}' holds the name`);
          assert.match(whole, /^("?-p|-?param\.set|VARNISH_)/);
        }
      });

      it('takes -p http_resp_hdr_len=65536 at insertAt and reads back the same plus it', () => {
        file!.commands.forEach((cmd, i) => {
          const after = insert(text, file!, i);
          const again = readParamsFile(p, after);
          assert.ok(again, 'still detected');
          assert.deepEqual(again.problems, [], after);
          assert.equal(again.commands.length, file!.commands.length);
          const want = [...settingsOf(cmd), 'http_resp_hdr_len=65536'].sort();
          assert.deepEqual(settingsOf(again.commands[i]!).sort(), want, after);
          assert.deepEqual(optionsOf(again.commands[i]!), optionsOf(cmd));
          const added = again.commands[i]!.settings.find((s) => s.value === '65536' && s.name === 'http_resp_hdr_len' && !cmd.settings.some((o) => o.span.start === s.span.start));
          assert.ok(added, 'the new setting is found');
          assert.equal(at(after, added.nameSpan), 'http_resp_hdr_len');
          assert.equal(at(after, added.valueSpan), '65536');
          // Every other command is untouched.
          again.commands.forEach((other, j) => j !== i && assert.deepEqual(settingsOf(other), settingsOf(file!.commands[j]!)));
        });
      });
    });
  }
});

describe('params readers: insertion keeps the file style', () => {
  const cases: [string, number, string, string][] = [
    // [fixture, command, text before the insertion point, text inserted]
    ['debian/lib/systemd/system/varnish.service', 0, '-s malloc,256m', ' \\\n\t  -p http_resp_hdr_len=65536'],
    ['debian/etc/systemd/system/varnish.service.d/override.conf', 0, 'workspace_backend=131072', ' \\\n          -p http_resp_hdr_len=65536'],
    ['debian/etc/default/varnish', 0, '-p http_resp_size=98304', ' \\\n             -p http_resp_hdr_len=65536'],
    ['rhel7/etc/varnish/varnish.params', 0, 'thread_pool_timeout=300', ' -p http_resp_hdr_len=65536'],
    ['cli/startup.cli', 0, '%o %s"', '\nparam.set http_resp_hdr_len 65536'],
    ['docker/compose/docker-compose.yml', 0, 'http_resp_hdr_len=64k', ' -p http_resp_hdr_len=65536'],
    ['docker/compose/docker-compose.yml', 1, '- "http_resp_size=96k"', '\n      - "-p"\n      - "http_resp_hdr_len=65536"'],
    ['docker/compose/docker-compose.yml', 2, '"default_grace=3600"', ', "-p", "http_resp_hdr_len=65536"'],
    ['docker/compose-anchors/docker-compose.yml', 1, '- "http_resp_size=96k"', '\n    - "-p"\n    - "http_resp_hdr_len=65536"'],
    ['docker/compose-flow/docker-compose.yml', 1, '"http_resp_size=96k"', ', "-p", "http_resp_hdr_len=65536"'],
    ['docker/compose-flow/docker-compose.yml', 2, '"default_grace=3600"', ', "-p", "http_resp_hdr_len=65536"'],
    ['docker/image/Dockerfile', 0, '"http_resp_hdr_len=65536"', ', "-p", "http_resp_hdr_len=65536"'],
    ['scripts/start-varnish.sh', 0, '"$WORKSPACE_BACKEND"', ' \\\n    -p http_resp_hdr_len=65536'],
  ];
  for (const [rel, i, before, inserted] of cases) {
    it(`${rel} #${i}: after ${before}`, () => {
      const { path: p, text } = fixture(rel);
      const file = readParamsFile(p, text)!;
      const { insertAt } = file.commands[i]!;
      assert.equal(text.slice(insertAt.offset - before.length, insertAt.offset), before);
      assert.equal(newSettingText(insertAt, 'http_resp_hdr_len', '65536'), inserted);
    });
  }

  const created: [ParamsFileKind, string, string][] = [
    // [kind, file without a command, file after the insertion]
    ['shell-env', 'VARNISH_TTL=120\n#DAEMON_OPTS="-p thread_pool_min=5"', 'VARNISH_TTL=120\n#DAEMON_OPTS="-p thread_pool_min=5"\nDAEMON_OPTS="-p http_resp_hdr_len=65536"\n'],
    ['shell-env', 'DAEMON_OPTS=""\n', 'DAEMON_OPTS="-p http_resp_hdr_len=65536"\n'],
    ['shell-env', 'VARNISH_TTL=60\nVARNISH_TTL=120\nDAEMON_OPTS=""\n', 'VARNISH_TTL=60\nVARNISH_TTL=120\nDAEMON_OPTS="-p http_resp_hdr_len=65536"\n'],
    ['shell-env', 'DAEMON_OPTS=-a:80\n', 'DAEMON_OPTS=-a:80\nDAEMON_OPTS="$DAEMON_OPTS -p http_resp_hdr_len=65536"\n'],
    ['cli-init', '', 'param.set http_resp_hdr_len 65536\n'],
    ['cli-init', 'vcl.load boot /etc/varnish/default.vcl', 'vcl.load boot /etc/varnish/default.vcl\nparam.set http_resp_hdr_len 65536'],
    ['dockerfile', 'FROM varnish:7.1\nCOPY default.vcl /etc/varnish/\n', 'FROM varnish:7.1\nCOPY default.vcl /etc/varnish/\nCMD ["-p", "http_resp_hdr_len=65536"]\n'],
    ['docker-compose', 'services:\n  cache:\n    image: varnish:7.1\n', 'services:\n  cache:\n    image: varnish:7.1\n    command: ["-p", "http_resp_hdr_len=65536"]\n'],
    ['docker-compose', 'services:\n  cache: {image: varnish:7.1}\n', 'services:\n  cache: {image: varnish:7.1, command: ["-p", "http_resp_hdr_len=65536"]}\n'],
    ['docker-compose', 'x-v: &v\n  image: varnish:7.1\nservices:\n  cache:\n    <<: *v # shared\n', 'x-v: &v\n  image: varnish:7.1\nservices:\n  cache:\n    <<: *v # shared\n    command: ["-p", "http_resp_hdr_len=65536"]\n'],
    ['systemd', '[Service]\nExecStart=/usr/sbin/varnishd -F -a :80 $DAEMON_OPTS\n', '[Service]\nExecStart=/usr/sbin/varnishd -F -a :80 -p http_resp_hdr_len=65536 $DAEMON_OPTS\n'],
    ['shell-script', 'exec varnishd -F "$@"\n', 'exec varnishd -F -p http_resp_hdr_len=65536 "$@"\n'],
  ];
  for (const [kind, text, want] of created) {
    it(`${kind}: ${JSON.stringify(text)}`, () => {
      const file = readers[kind](text);
      assert.equal(file.commands.length, 1);
      const after = insert(text, file, 0);
      assert.equal(after, want);
      assert.deepEqual(readers[kind](after).commands.flatMap((c) => c.settings).filter((s) => s.form !== 'variable').map((s) => `${s.name}=${s.value}`), ['http_resp_hdr_len=65536']);
    });
  }
});

describe('params readers: compose YAML', () => {
  const img = '    image: varnish:7.1\n';
  const cases: [string, string, string[][], RegExp?][] = [
    // [what, file, settings per command, a problem expected]
    ['a list item that is an alias', `x-hdr: &hdr http_resp_hdr_len=64k\nservices:\n  v:\n${img}    command: [-p, *hdr, -s, malloc]\n`, [['http_resp_hdr_len=64k']]],
    ['a command that is an alias', `x-cmd: &cmd "-p a=1"\nservices:\n  v:\n${img}    command: *cmd\n`, [['a=1']]],
    ['own keys win over merged ones', `x-v: &v\n  image: varnish:7.1\n  command: [-p, a=1]\nservices:\n  v:\n    <<: *v\n    command: [-p, b=2]\n`, [['b=2']]],
    ['own keys win even before the merge key', `x-v: &v\n  command: [-p, a=1]\nservices:\n  v:\n    command: [-p, b=2]\n    <<: *v\n${img}`, [['b=2']]],
    ['the first of several merged mappings wins', `x-a: &a {command: [-p, a=1]}\nx-b: &b {command: [-p, b=2], image: varnish}\nservices:\n  v:\n    <<: [*a, *b]\n`, [['a=1']]],
    ['merges within merges', `x-a: &a {command: [-p, a=1]}\nx-b: &b {<<: *a, image: varnish}\nservices:\n  v: {<<: *b}\n`, [['a=1']]],
    ['one service that is an alias of another', `services:\n  v: &v\n${img}    command: [-p, a=1]\n  w: *v\n`, [['a=1']]],
    ['every document', `services:\n  a: {image: varnish, command: [-p, a=1]}\n---\nservices:\n  b: {image: varnish, command: [-p, b=2]}\n`, [['a=1'], ['b=2']]],
    ['documents up to a broken one', `services:\n  a: {image: varnish, command: [-p, a=1]}\n---\nservices: [\n`, [['a=1']], /YAML list never ends/],
    ["compose's !reset and !override tags", `services:\n  a:\n${img}    command: !reset []\n  b:\n${img}    command: !override [-p, b=2]\n`, [['b=2']]],
    ['a literal block command', `services:\n  v:\n    command: |\n      varnishd -F\n        -p a=1\n      -p b=2\n`, [['a=1', 'b=2']]],
    ['a double-quoted command over lines', `services:\n  v:\n    command: "varnishd -F -p\n      a=1 \\\n      -p b=\\x32"\n`, [['a=1', 'b=2?']]],
    ['an alias with no anchor', `services:\n  v:\n${img}    command: [-p, *nope]\n`, [[]], /No anchor '&nope'/],
    ['a mapping that merges itself', `services:\n  v: &v\n    <<: *v\n${img}    command: [-p, a=1]\n`, [['a=1']]],
    ['tabs for indentation', `services:\n\tv:\n\t\tcommand: varnishd -p a=1\n`, [], /YAML/],
    ['a null command keeps the image\'s', `services:\n  v:\n${img}    command: ~\n`, []],
    ['a value written with escapes is not judged', `services:\n  v:\n    command: [varnishd, -p, "b=\\x32", -p, 'c=''3''']\n`, [['b=2?', "c='3'?"]]],
  ];
  for (const [what, text, settings, problem] of cases) {
    it(what, () => {
      const file = readers['docker-compose'](text);
      assert.deepEqual(spanProblems(file, text.length), []);
      assert.deepEqual(file.commands.map(settingsOf), settings, JSON.stringify(file.problems));
      if (problem) assert.ok(file.problems.some((p) => problem.test(p.message)), JSON.stringify(file.problems));
      else assert.deepEqual(file.problems, []);
      for (const s of file.commands.flatMap((c) => c.settings)) {
        if (!s.unresolved) assert.equal(at(text, s.valueSpan), s.value, `value of ${s.name}`);
      }
      // A new setting reads back, in files that are valid.
      for (let i = 0; i < file.commands.length && !problem; i++) {
        const after = insert(text, file, i);
        const again = readers['docker-compose'](after);
        assert.deepEqual(again.problems, [], after);
        assert.deepEqual(settingsOf(again.commands[i]!).sort(), [...settingsOf(file.commands[i]!), 'http_resp_hdr_len=65536'].sort(), after);
      }
    });
  }

  it('a setting from an anchor points at the anchor, and a new one goes after the alias in the list', () => {
    const text = `x-hdr: &hdr http_resp_hdr_len=64k\nservices:\n  v:\n${img}    command: [-p, *hdr, -s, malloc]\n`;
    const [cmd] = readers['docker-compose'](text).commands;
    assert.equal(cmd!.settings[0]!.valueSpan.start, text.indexOf('64k'));
    assert.equal(insert(text, readers['docker-compose'](text), 0), text.replace('*hdr,', '*hdr, -p, http_resp_hdr_len=65536,'));
  });
});

describe('params readers: systemd drop-ins', () => {
  const unit = fixture('debian/lib/systemd/system/varnish.service').text;
  const dropIn = fixture('debian/etc/systemd/system/varnish.service.d/override.conf').text;

  it('an empty ExecStart= in a drop-in replaces the unit command', () => {
    const files = [readSystemd(unit), readSystemd(dropIn)];
    assert.ok(files[1]!.execStartReset);
    const effective = mergeSystemd(files);
    assert.equal(effective.length, 1);
    assert.equal(effective[0]!.file, 1);
    assert.deepEqual(settingsOf(effective[0]!.command), ['feature=+http2', 'http_resp_size=98304', 'workspace_backend=131072']);
  });

  it('a drop-in without ExecStart keeps the unit command and notes its environment', () => {
    const env = readSystemd('[Service]\nEnvironment="VARNISH_SIZE=1G"\nLimitNOFILE=1000\n');
    assert.equal(env.commands.length, 0);
    assert.equal(env.problems[0]?.severity, 'info');
    const effective = mergeSystemd([readSystemd(unit), env]);
    assert.deepEqual(effective.map((e) => e.file), [0]);
  });

  it('within one file, commands before the reset are dropped', () => {
    const f = readSystemd('[Service]\nExecStart=/usr/sbin/varnishd -p a=1\nExecStart=\nExecStart=/usr/sbin/varnishd -p b=2\n');
    assert.deepEqual(f.commands.map(settingsOf), [['b=2']]);
  });

  const prefixed: [string, string[]][] = [
    ['ExecStart=-/usr/sbin/varnishd -p a=1', ['a=1']],
    ['ExecStart=+/usr/sbin/varnishd -p a=1', ['a=1']],
    ['ExecStart=@/usr/sbin/varnishd varnishd-main -p a=1', ['a=1']],
    ['ExecStart=!!/usr/sbin/varnishd -p a=1', ['a=1']],
    ['ExecStart=/bin/sh -c "exec /usr/sbin/varnishd -p a=1"', ['a=1']],
    ['ExecStart=/usr/bin/env LANG=C /usr/sbin/varnishd -p a=1 ; /bin/true -p b=2', ['a=1']],
    ['ExecStart=/usr/sbin/varnishd \\\n#  -p old=1 \\\n  -p a=1', ['a=1']],
    ['ExecStart=/usr/sbin/varnishd -p "a=x\\ty"', ['a=x\ty']],
    ['ExecStart=/usr/bin/varnishncsa -p a=1', []],
  ];
  for (const [line, want] of prefixed) {
    it(JSON.stringify(line), () => {
      const f = readSystemd(`[Service]\n${line}\n`);
      assert.deepEqual(f.commands.flatMap(settingsOf), want);
    });
  }
});

describe('params readers: shell environment files', () => {
  const cases: [string, string[][]][] = [
    ['VARNISH_TTL=60\nVARNISH_TTL=120\n', [['~default_ttl=120']]],
    ['DAEMON_OPTS="-p a=1"\nDAEMON_OPTS="$DAEMON_OPTS -p b=2"\n', [['a=1'], ['b=2']]],
    ['DAEMON_OPTS="-p a=1"\nDAEMON_OPTS="-p b=2"\n', [['b=2']]],
    ['export DAEMON_OPTS="-p a=1"\n', [['a=1']]],
    ['DAEMON_OPTS="-p a=1" /usr/sbin/varnishd\n', [[]]],
    ['MAX=500\nDAEMON_OPTS="-p thread_pool_max=$MAX -p x=$UNSET"\n', [['~thread_pool_max=500', 'x=$UNSET?']]],
    ["VARNISHD_PARAMS='-p a=1 -p b=2'\n", [['a=1', 'b=2']]],
  ];
  for (const [text, want] of cases) {
    it(JSON.stringify(text), () => {
      assert.deepEqual(readers['shell-env'](text).commands.map(settingsOf), want);
    });
  }
});

describe('params readers: shell words', () => {
  const cases: [string, 'sh' | 'systemd' | 'argv', string[]][] = [
    [`a 'b c' "d $X e" f\\ g`, 'sh', ['a', 'b c', 'd $X e', 'f g']],
    ['-p\\\nfoo=bar', 'sh', ['-pfoo=bar']],
    ['-p \\\n# comment\n  a=b', 'systemd', ['-p', 'a=b']],
    ['echo ${A:-x y} $(cmd a b) `x y`', 'sh', ['echo', '${A:-x y}', '$(cmd a b)', '`x y`']],
    ['a;b&&c # comment\nd', 'sh', ['a', ';', 'b', '&&', 'c', '\n', 'd']],
    ['a "b\\"c" \'d\\e\'', 'sh', ['a', 'b"c', 'd\\e']],
    ['a "b\nc" d', 'argv', ['a', 'b\nc', 'd']],
    ['a;b', 'argv', ['a;b']],
  ];
  for (const [input, dialect, want] of cases) {
    it(`${dialect}: ${JSON.stringify(input)}`, () => {
      const { words, problems } = tokenize(input, { dialect });
      assert.deepEqual(problems, []);
      assert.deepEqual(words.map((w) => w.text), want);
      for (const w of words) {
        assert.equal(w.map.length, w.text.length + 1);
        assert.ok(w.span.start <= w.span.end && w.span.end <= input.length);
      }
    });
  }

  it('flags expansions and maps characters back to the source', () => {
    const input = `-p 'a=b' "x=$Y"`;
    const { words } = tokenize(input);
    assert.deepEqual(words.map((w) => w.unresolved), [false, false, true]);
    assert.equal(at(input, words[1]!.span), `'a=b'`);
    assert.equal(input[words[1]!.map[2]!], 'b');
  });

  const unbalanced: [string, 'sh' | 'systemd' | 'argv'][] = [
    ['varnishd -p "a=b', 'sh'],
    ["varnishd -p 'a=b", 'systemd'],
    ['echo $(date', 'sh'],
    ['a `b', 'sh'],
    ['x "y', 'argv'],
  ];
  for (const [input, dialect] of unbalanced) {
    it(`unbalanced: ${JSON.stringify(input)} is a problem, not an exception`, () => {
      const { problems } = tokenize(input, { dialect });
      assert.equal(problems.length, 1);
      assert.equal(problems[0]!.severity, 'error');
    });
  }
});

describe('params readers: varnishd arguments', () => {
  const cases: [string, string[], string[]][] = [
    // [command line, settings, options]
    ['varnishd -p a=1 -pb=2 "-p c=3" -p \'d=4 4\'', ['a=1', 'b=2', 'c=3', 'd=4 4'], []],
    ['/usr/sbin/varnishd -F -a :80 -s malloc,1g -T x -j unix -n dir -l 80m -W poll -h critbit -t 120 -I f.cli -b host:80 -S s -f v.vcl', [], ['-F', '-a :80', '-s malloc,1g', '-T x', '-j unix', '-n dir', '-l 80m', '-W poll', '-h critbit', '-t 120', '-I f.cli', '-b host:80', '-S s', '-f v.vcl']],
    ['exec varnishd -p a=1', ['a=1'], []],
    ['env A=1 B=2 varnishd -p a=1', ['a=1'], []],
    ['exec env A=1 /usr/local/sbin/varnishd -Fa:80 -p a=1', ['a=1'], ['-F', '-a :80']],
    ["sh -c 'exec varnishd -p a=1'", ['a=1'], []],
    ['start-stop-daemon --start --exec /usr/sbin/varnishd -- -P /run/v.pid -p a=1', ['a=1'], ['-P /run/v.pid']],
    ['VAR=1 varnishd -p a=1 > /var/log/v.log 2>&1', ['a=1'], []],
    ['echo varnishd -p a=1', [], []],
    ['varnishd -p a=1 -- -p b=2', ['a=1'], []],
    // Vinyl Cache 9.0's daemon, wherever varnishd may stand.
    ['/usr/sbin/vinyld -F -a :80 -p a=1', ['a=1'], ['-F', '-a :80']],
    ['exec env A=1 vinyld -p a=1', ['a=1'], []],
    ["sh -c 'exec /usr/sbin/vinyld -p a=1'", ['a=1'], []],
    ['start-stop-daemon --start --exec /usr/sbin/vinyld -- -p a=1', ['a=1'], []],
    ['vinyladm param.set a 1', [], []],
    ['/opt/vinyldb/bin/vinyldb -p a=1', [], []],
  ];
  for (const [line, settings, options] of cases) {
    it(line, () => {
      const { words } = tokenize(line);
      const inv = findInvocations(words);
      const parsed = inv.map((i) => parseVarnishdArgs(i.args));
      assert.deepEqual(parsed.flatMap((p) => p.settings.map((s) => `${s.name}=${s.value}`)), settings);
      assert.deepEqual(parsed.flatMap((p) => p.options.map((o) => (o.value === undefined ? o.flag : `${o.flag} ${o.value}`))), options);
      assert.deepEqual(parsed.flatMap((p) => p.problems), []);
    });
  }

  const bad: [string, RegExp][] = [
    ['varnishd -F -p', /-p' at the end/],
    ['varnishd -p http_resp_hdr_len', /has no '='/],
    ['varnishd -p =1', /no parameter name/],
  ];
  for (const [line, message] of bad) {
    it(`${line}: a problem`, () => {
      const [inv] = findInvocations(tokenize(line).words);
      const { problems } = parseVarnishdArgs(inv!.args);
      assert.equal(problems.length, 1);
      assert.match(problems[0]!.message, message);
    });
  }
});

describe('params readers: detection', () => {
  const cases: [string, string, ParamsFileKind | undefined][] = [
    ['/etc/systemd/system/varnish.service.d/override.conf', '[Service]\nLimitNOFILE=1\n', 'systemd'],
    ['/lib/systemd/system/varnish.service', '', 'systemd'],
    ['/lib/systemd/system/nginx.service', '[Service]\nExecStart=/usr/sbin/nginx\n', undefined],
    ['/etc/default/varnish', '', 'shell-env'],
    ['/etc/default/varnishncsa', 'DAEMON_OPTS="-a"', 'shell-env'],
    ['/etc/sysconfig/varnish', '', 'shell-env'],
    ['/etc/varnish/varnish.params', '', 'shell-env'],
    ['docker-compose.yml', 'services:\n  v:\n    image: varnish:7.1\n', 'docker-compose'],
    ['docker-compose.override.yml', 'services:\n  v:\n    command: varnishd -F\n', 'docker-compose'],
    ['compose.yaml', 'services:\n  web:\n    image: nginx\n', undefined],
    ['Dockerfile', 'FROM varnish:7.1\n', 'dockerfile'],
    ['Dockerfile.prod', 'FROM debian\nCMD ["varnishd", "-F"]\n', 'dockerfile'],
    ['Dockerfile', 'FROM node:20\n', undefined],
    ['/etc/varnish/startup.cli', '', 'cli-init'],
    // Vinyl Cache 9.0: its unit, drop-ins, environment file and daemon
    ['/usr/lib/systemd/system/vinyl-cache.service', '', 'systemd'],
    ['/etc/systemd/system/vinyl-cache.service.d/override.conf', '[Service]\nLimitNOFILE=1\n', 'systemd'],
    ['/etc/systemd/system/cache.service', '[Service]\nExecStart=/usr/sbin/vinyld -F\n', 'systemd'],
    ['/etc/default/vinyl-cache', '', 'shell-env'],
    ['/etc/sysconfig/vinyl-cache', '', 'shell-env'],
    ['/etc/default/vinyl', '', undefined],
    ['docker-compose.override.yml', 'services:\n  vinyl:\n    command: ["-p", "http_resp_size=96k"]\n', 'docker-compose'],
    ['compose.yaml', 'services:\n  cache:\n    build: .\n    command: vinyld -F\n', 'docker-compose'],
    ['compose.yaml', 'services:\n  records:\n    image: example/vinyl-shop\n    command: ["node", "server.js"]\n', undefined],
    ['compose.yaml', 'services:\n  dvinyl-app:\n    command: ["node", "server.js"]\n', undefined],
    ['Dockerfile', 'FROM debian:sid\nCMD ["vinyld", "-F"]\n', 'dockerfile'],
    ['start.sh', 'exec vinyld -F\n', 'shell-script'],
    ['backup.sh', 'pg_dump vinyldb > /backup/vinyldb.sql\n', undefined],
    ['notes', '[Service]\nExecStart=/usr/sbin/vinyld -F\n', 'systemd'],
    ['run-cache', '#!/bin/sh\nexec /usr/sbin/vinyld -F -f /etc/vinyl-cache/default.vcl\n', 'shell-script'],
    ['run-cache', '#!/bin/sh\nenv A=1 vinyld -F\n', 'shell-script'],
    ['stack.yml', 'services:\n  cache: {build: ., command: [vinyld, -p, a=1]}\n', 'docker-compose'],
    ['start.sh', 'exec varnishd -F\n', 'shell-script'],
    ['build.sh', 'make all\n', undefined],
    // by content
    ['notes', '[Service]\nExecStart=/usr/sbin/varnishd -F\n', 'systemd'],
    ['opts.env', 'DAEMON_OPTS="-p a=1"\n', 'shell-env'],
    ['init.txt', 'param.set http_resp_size 98304\n', 'cli-init'],
    ['stack.yml', 'services:\n  cache:\n    image: varnish\n', 'docker-compose'],
    ['Containerfile', 'FROM docker.io/library/varnish:7.1\n', 'dockerfile'],
    ['run-cache', '#!/bin/sh\nexec /usr/sbin/varnishd -F -f /etc/varnish/default.vcl\n', 'shell-script'],
    ['default.vcl', 'vcl 4.1;\n# started by: varnishd -F\n', undefined],
    ['README', 'Varnish is fast.\n', undefined],
    ['/etc/default/varnish', 'DAEMON_OPTS="\0\0\0"', undefined],
    // YAML is a compose file only when a service runs Varnish
    ['.gitlab-ci.yml', 'image: varnish:7.1\nservices:\n  - name: varnish:7.1\ntest:\n  script: varnishd -C -f x.vcl\n', undefined],
    ['/srv/varnish/compose.yaml', 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - image: varnish:7.1\n', undefined],
    ['/srv/varnish/compose.yaml', 'services:\n  web:\n    image: nginx\n', undefined],
    ['stack.yml', 'services:\n  web:\n    image: nginx # varnishd goes in front later\n', undefined],
    ['stack.yml', 'x-v: &v\n  image: varnish:7.1\nservices:\n  cache:\n    <<: *v\n', 'docker-compose'],
    ['stack.yml', 'services:\n  cache: {image: "varnish:7.1", command: [-p, a=1]}\n', 'docker-compose'],
    ['docker-compose.override.yml', 'services:\n  varnish:\n    command: ["-p", "http_resp_size=96k"]\n', 'docker-compose'],
    ['docker-compose.yml', 'varnish:\n  image: varnish:7.1\n', 'docker-compose'],
    ['stack.yml', 'varnish:\n  image: varnish:7.1\nservices: []\n', undefined],
  ];
  for (const [p, text, want] of cases) {
    it(`${p}: ${JSON.stringify(text).slice(0, 50)} -> ${want ?? 'not a parameter file'}`, () => {
      assert.equal(detectParamsKind(p, text), want);
    });
  }

  it('byContent: false looks at names only', () => {
    assert.equal(detectParamsKind('notes', 'DAEMON_OPTS=""', { byContent: false }), undefined);
    assert.equal(detectByContent('DAEMON_OPTS=""'), 'shell-env');
  });
});

/** Every span the reader hands out lies inside the text; returns what is wrong. */
function spanProblems(file: ParamsFile, len: number): string[] {
  const bad: string[] = [];
  const check = (what: string, s: { start: number; end: number }): void => {
    if (!(Number.isInteger(s.start) && Number.isInteger(s.end) && 0 <= s.start && s.start <= s.end && s.end <= len)) bad.push(`${what} ${s.start}..${s.end} (length ${len})`);
  };
  for (const p of file.problems) check(`problem '${p.message}'`, p.span);
  for (const c of file.commands) {
    check('command', c.span);
    check('insertAt', { start: c.insertAt.offset, end: c.insertAt.offset });
    for (const s of c.settings) (check(`${s.name} span`, s.span), check(`${s.name} nameSpan`, s.nameSpan), check(`${s.name} valueSpan`, s.valueSpan));
    for (const o of c.options) check(`${o.flag} span`, o.span);
  }
  return bad;
}

/** Reads with every reader, then inserts a setting and reads again; returns what went wrong. */
function robustness(text: string): string[] {
  const bad: string[] = [];
  for (const kind of kinds) {
    try {
      const file = readers[kind](text);
      bad.push(...spanProblems(file, text.length).map((m) => `${kind}: ${m}`));
      for (let i = 0; i < file.commands.length; i++) readers[kind](insert(text, file, i));
    } catch (e) {
      bad.push(`${kind} threw: ${(e as Error).stack ?? String(e)}`);
    }
  }
  return bad;
}

describe('params readers: odd input', () => {
  const odd: [string, ParamsFileKind, string, RegExp | undefined][] = [
    // [what, kind, text, expected problem (undefined: none needed)]
    ['unbalanced quote in ExecStart', 'systemd', '[Service]\nExecStart=/usr/sbin/varnishd -p "http_resp_hdr_len=64k\n', /Unbalanced double quote/],
    ['unit with no ExecStart', 'systemd', '[Unit]\nDescription=x\n[Service]\nType=simple\n', /No ExecStart=/],
    ['ExecStart outside [Service]', 'systemd', '[Unit]\nExecStart=/usr/sbin/varnishd\n', /No ExecStart=/],
    ['unbalanced DAEMON_OPTS', 'shell-env', 'DAEMON_OPTS="-a :80 \\\n  -p a=1\n', /Unbalanced double quote/],
    ['DAEMON_OPTS with -p at the end', 'shell-env', 'DAEMON_OPTS="-a :80 -p"\n', /at the end/],
    ['unbalanced param.set value', 'cli-init', 'param.set cc_command "exec gcc\n', /Unbalanced double quote/],
    ['param.set without value', 'cli-init', 'param.set http_resp_size\n', /needs a parameter name and a value/],
    ['param.set with spaces unquoted', 'cli-init', 'param.set cc_command exec gcc\n', /Too many arguments/],
    ['unbalanced compose string', 'docker-compose', 'services:\n  v:\n    command: "varnishd -p a=1\n', /YAML string never closes/],
    ['unbalanced compose list', 'docker-compose', 'services:\n  v:\n    command: [varnishd, -p, a=1\n', /YAML list never ends/],
    ['unbalanced Dockerfile CMD', 'dockerfile', 'FROM varnish\nCMD varnishd -p "a=1\n', /Unbalanced double quote/],
    ['unbalanced shell script', 'shell-script', "exec varnishd -p 'a=1\n", /Unbalanced single quote/],
    ['empty unit', 'systemd', '', /No ExecStart=/],
  ];
  for (const [what, kind, text, problem] of odd) {
    it(`${kind}: ${what}`, () => {
      const file = readers[kind](text);
      assert.deepEqual(spanProblems(file, text.length), []);
      if (problem) assert.ok(file.problems.some((p) => problem.test(p.message)), JSON.stringify(file.problems));
    });
  }

  it('empty files: nothing, or an information', () => {
    for (const kind of kinds) {
      const file = readers[kind]('');
      assert.ok(file.problems.every((p) => p.severity === 'info'), kind);
      assert.deepEqual(file.commands.flatMap((c) => c.settings), [], kind);
    }
  });

  it('binary junk: no exception, and not detected as a parameter file', () => {
    let seed = 7109;
    const bytes = Array.from({ length: 4096 }, () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16) & 0xff);
    const junk = Buffer.from(bytes).toString('latin1');
    assert.deepEqual(robustness(junk), []);
    assert.equal(detectParamsKind('/etc/default/varnish', junk), undefined);
  });

  it('a 1 MB line is read in linear time', () => {
    const big = 'x'.repeat(1 << 20);
    const inputs: [ParamsFileKind, string][] = [
      ['systemd', `[Service]\nExecStart=/usr/sbin/varnishd -p a=${big}\n`],
      ['shell-env', `DAEMON_OPTS="-p a=${big}"\n`],
      ['cli-init', `param.set a ${big}\n`],
      ['docker-compose', `services:\n  v:\n    command: varnishd -p a=${big}\n`],
      ['dockerfile', `FROM varnish\nCMD ["varnishd", "-p", "a=${big}"]\n`],
      ['shell-script', `varnishd -p a=${big}\n`],
    ];
    for (const [kind, text] of inputs) {
      const t0 = performance.now();
      const file = readers[kind](text);
      const ms = performance.now() - t0;
      assert.equal(file.commands[0]?.settings[0]?.value.length, 1 << 20, kind);
      assert.ok(ms < 3000, `${kind} took ${ms.toFixed(0)} ms`);
    }
    for (const kind of kinds) {
      const t0 = performance.now();
      readers[kind](`"${big}`);
      readers[kind](' \\\n'.repeat(1 << 18)); // 256k continued lines
      assert.ok(performance.now() - t0 < 6000, kind);
    }
  });
});

/** Pieces that switch the readers' states. */
const fragments = [
  '[Service]', '[Unit]', 'ExecStart=', 'ExecStart=-', 'Environment=', 'DAEMON_OPTS=', 'VARNISH_TTL=', 'export ', 'param.set',
  '-param.set', 'services:', 'command:', 'entrypoint:', 'image: varnish', 'environment:', 'FROM varnish', 'CMD', 'ENTRYPOINT',
  'varnishd', '/usr/sbin/varnishd', 'exec', 'env', 'sh -c', '-p', '-pa=b', 'http_resp_hdr_len=64k', '-F', '-a', ':80', '--',
  '"', "'", '\\', '\\\n', '$', '${', '$(', '`', '}', ')', '[', ']', '{', ',', ':', '- ', '-', '=', '#', ';', '&&', '|', '>',
  '|\n', '>\n', '&a', '*a', '!t', '\n', '\r\n', '\r', '\\\r\n', ' ', '  ', '\t', '\0', '\u00e9', '\uD800',
  // YAML that compose files use: anchors, merge keys, flow mappings, documents, tags, block scalars.
  'x-v: &v', '<<: *v', '<<: [*a, *v]', '{image: varnish, command: [', '{<<: *a}', '---', '...', '!reset', '!override',
  '|-', '>+', '|2', '"\\', "''", '? ', 'command: *a', '&a [*a]',
];
const soupArb = fc
  .array(fc.tuple(fc.constantFrom(...fragments), fc.constantFrom('', ' ', '\n', '  ', '\r\n', '\r')), { maxLength: 60 })
  .map((parts) => parts.map(([t, sep]) => t + sep).join(''));
const inputArb = fc.oneof(fc.string({ unit: 'binary', maxLength: 120 }), fc.string({ unit: 'binary-ascii', maxLength: 200 }), soupArb, soupArb, soupArb);

describe('params readers: property tests', () => {
  it(`no reader throws, every span lies inside the text, insertion re-reads (fast-check seed ${FC_SEED})`, () => {
    fc.assert(
      fc.property(inputArb, (text) => {
        assert.deepEqual(robustness(text), [], `input ${JSON.stringify(text)}`);
      }),
      { seed: FC_SEED, numRuns: 400 },
    );
  });

  it('readParamsFile never throws on arbitrary paths and text', () => {
    const pathArb = fc.constantFrom('varnish.service', '/etc/default/varnish', 'x.cli', 'docker-compose.yml', 'Dockerfile', 'a.sh', 'notes', 'v.vcl');
    fc.assert(
      fc.property(pathArb, inputArb, (p, text) => {
        const file = readParamsFile(p, text);
        if (file) assert.deepEqual(spanProblems(file, text.length), []);
      }),
      { seed: FC_SEED, numRuns: 300 },
    );
  });
});

/** One varnishd argument as words: `-p name=value` in one of its spellings, or another option. */
type Arg = { words: string[]; setting?: string };
const nameArb = fc.constantFrom('http_resp_hdr_len', 'http_resp_size', 'workspace_backend', 'feature', 'default_ttl', 'thread_pool_min');
const valueArb = fc.constantFrom('64k', '65536', '98304', '+http2', '-esi_ignore_https', '2.5', 'on', '131072');
const argArb: fc.Arbitrary<Arg> = fc.oneof(
  fc.tuple(nameArb, valueArb, fc.boolean()).map(([n, v, attached]) => ({
    words: attached ? [`-p${n}=${v}`] : ['-p', `${n}=${v}`],
    setting: `${n}=${v}`,
  })),
  fc.constantFrom<Arg>({ words: ['-F'] }, { words: ['-a', ':80'] }, { words: ['-f', '/etc/varnish/default.vcl'] }, { words: ['-s', 'malloc,256m'] }, { words: ['-T', 'localhost:6082'] }),
);
/** How two words are separated: a space, or a `\`-continued line indented by some blanks. */
const gapArb = fc.oneof(fc.constant(' '), fc.constantFrom('    ', '\t  ', '          ').map((i) => ` \\\n${i}`));

/** A file of each kind that runs varnishd with `args`, written in one of the styles people use. */
const renderArb = (args: Arg[]): fc.Arbitrary<[ParamsFileKind, string]> => {
  const words = ['varnishd', ...args.flatMap((a) => a.words)];
  const quote = (w: string, q: string): string => (q === '"' ? JSON.stringify(w) : q === "'" ? `'${w}'` : w);
  const quotesArb = fc.array(fc.constantFrom('', '', '"', "'"), { minLength: words.length, maxLength: words.length });
  const gapsArb = fc.array(gapArb, { minLength: words.length, maxLength: words.length });
  /** The command line with its gaps; words after the first quoted as drawn, when `quoting`. */
  const joinArb = (quoting: boolean): fc.Arbitrary<string> =>
    fc.tuple(gapsArb, quotesArb).map(([gaps, qs]) => words.map((w, i) => (i ? gaps[i]! + quote(w, quoting ? qs[i]! : '') : w)).join(''));
  return fc.oneof(
    joinArb(true).map((line): [ParamsFileKind, string] => ['systemd', `[Service]\nType=simple\nExecStart=/usr/sbin/${line}\nExecReload=/bin/true\n`]),
    joinArb(true).map((line): [ParamsFileKind, string] => ['shell-script', `#!/bin/sh\nset -e\nexec /usr/sbin/${line}\necho done\n`]),
    joinArb(true).map((line): [ParamsFileKind, string] => ['dockerfile', `FROM debian\nCMD ${line}\nEXPOSE 80\n`]),
    joinArb(false).map((line): [ParamsFileKind, string] => ['shell-env', `START=yes\nDAEMON_OPTS="${line.slice('varnishd'.length).trimStart()}"\nNFILES=1\n`]),
    fc.tuple(quotesArb, fc.boolean()).map(([qs, wrap]): [ParamsFileKind, string] => {
      const items = words.map((w, i) => quote(w, qs[i] === "'" ? '"' : '"'));
      return ['dockerfile', `FROM varnish\nCMD [${items.join(wrap ? ', \\\n     ' : ', ')}]\n`];
    }),
    quotesArb.map((qs): [ParamsFileKind, string] => {
      const items = words.map((w, i) => `      - ${quote(w, qs[i]!)}`);
      return ['docker-compose', `services:\n  cache:\n    image: varnish:7.1\n    command:\n${items.join('\n')}\n    ports:\n      - "80:80"\n`];
    }),
    quotesArb.map((qs): [ParamsFileKind, string] => {
      const items = words.map((w, i) => quote(w, qs[i] || (w.includes(',') ? '"' : '')));
      return ['docker-compose', `services:\n  cache:\n    image: varnish:7.1\n    command: [${items.join(', ')}]\n`];
    }),
    quotesArb.map((qs): [ParamsFileKind, string] => {
      const items = words.map((w, i) => quote(w, qs[i] || (w.includes(',') ? '"' : '')));
      return ['docker-compose', `services:\n  cache: {image: varnish:7.1,\n    command: [${items.join(', ')}]}\n  web: {image: nginx}\n`];
    }),
    quotesArb.map((qs): [ParamsFileKind, string] => {
      const items = words.map((w, i) => `  - ${quote(w, qs[i]!)}`);
      return ['docker-compose', `x-varnishd: &varnishd\n${items.join('\n')}\nx-cache: &cache\n  image: varnish:7.1\n  command: *varnishd\nservices:\n  cache:\n    <<: *cache\n  canary:\n    <<: *cache\n`];
    }),
    fc.constantFrom('plain', 'folded', 'double').map((style): [ParamsFileKind, string] => {
      const line = words.join(' ');
      const value = style === 'plain' ? line : style === 'double' ? JSON.stringify(line) : `>\n      ${words.join('\n      ')}`;
      return ['docker-compose', `services:\n  cache:\n    image: varnish:7.1\n    command: ${value}\n`];
    }),
  );
};

describe('params readers: generated files round-trip', () => {
  it(`every setting is found and a new one inserted at insertAt reads back (fast-check seed ${FC_SEED})`, () => {
    const fileArb = fc.array(argArb, { maxLength: 6 }).chain((args) => renderArb(args).map((r) => ({ args, kind: r[0], text: r[1] })));
    fc.assert(
      fc.property(fileArb, ({ args, kind, text }) => {
        const want = args.flatMap((a) => (a.setting ? [a.setting] : []));
        const file = readers[kind](text);
        assert.deepEqual(file.problems, [], text);
        assert.equal(file.commands.length, 1, text);
        assert.deepEqual(settingsOf(file.commands[0]!), want, text);
        const after = insert(text, file, 0);
        const again = readers[kind](after);
        assert.deepEqual(again.problems, [], after);
        assert.deepEqual(settingsOf(again.commands[0]!).sort(), [...want, 'http_resp_hdr_len=65536'].sort(), after);
        assert.deepEqual(optionsOf(again.commands[0]!), optionsOf(file.commands[0]!), after);
      }),
      { seed: FC_SEED, numRuns: 500 },
    );
  });

  it('-I files: every param.set is found and a new one reads back', () => {
    const lineArb: fc.Arbitrary<{ line: string; setting?: string }> = fc.oneof(
      fc.tuple(nameArb, valueArb, fc.boolean()).map(([n, v, q]) => ({ line: `param.set ${n} ${q ? `"${v}"` : v}`, setting: `${n}=${v}` })),
      fc.constantFrom('vcl.load boot /etc/varnish/default.vcl', '# comment', '', 'vcl.use boot').map((line) => ({ line })),
    );
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 8 }), fc.boolean(), (lines, finalNewline) => {
        const text = lines.map((l) => l.line).join('\n') + (finalNewline && lines.length ? '\n' : '');
        const file = readers['cli-init'](text);
        const want = lines.flatMap((l) => (l.setting ? [l.setting] : []));
        assert.deepEqual(settingsOf(file.commands[0]!), want);
        const again = readers['cli-init'](insert(text, file, 0));
        assert.deepEqual(settingsOf(again.commands[0]!).sort(), [...want, 'http_resp_hdr_len=65536'].sort());
        assert.deepEqual(again.problems, []);
      }),
      { seed: FC_SEED, numRuns: 200 },
    );
  });
});
