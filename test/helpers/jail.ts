/**
 * A release's compiler run the way its wrapper runs it, without the
 * wrapper's cost per run.
 *
 * `vcc-<version>` (../shared/tools/setup-varnish-oracles.sh) makes a new
 * mount namespace for every run (`unshare -m`), bind-mounts the folders the
 * compiler must see, read-only at the same path under the release's
 * chroot, and runs `varnishd -C` there. Making and tearing down a mount
 * namespace is kernel work: about half the CPU of a run, and the suite
 * makes thousands. So a spawner worker (spawner.ts) that runs a jailed
 * compiler lives in one namespace of its own for as long as it lives, and
 * mounts each folder once: the same varnishd, in the same root, sees the
 * same files at the same paths, from the same working folder, with the
 * same TMPDIR. test/varnishd/jail.test.ts compares the two ways run by run.
 */
import { existsSync, readFileSync, realpathSync, statSync, accessSync, constants } from 'node:fs';
import { dirname } from 'node:path';

/** A wrapper's release root and the varnishd inside it. */
export interface Jail {
  root: string;
  varnishd: string;
}

/** One run of a jailed compiler: folders to mount, the working folder, the command inside the root. */
export interface JailedRun {
  /** Absolute folders, each with the identity it had when asked for (a folder made again at the same path is mounted again). */
  binds: Array<{ dir: string; key: string }>;
  cwd: string;
  argv: string[];
}

const jails = new Map<string, Jail | undefined>();

/**
 * The jail of `bin` when it is a chroot compiler wrapper (its `CHROOT=` and
 * `VARNISHD=` lines) that this process can run itself (as root, with
 * `unshare`); undefined for anything else, which then runs as it is.
 * `VCL_TEST_JAIL=0` turns this off (every run through the wrapper).
 */
export function jailOf(bin: string): Jail | undefined {
  if (jails.has(bin)) return jails.get(bin);
  let jail: Jail | undefined;
  try {
    if (process.env['VCL_TEST_JAIL'] !== '0' && process.getuid?.() === 0 && unshareFound() && statSync(bin).size < 64 * 1024) {
      const text = readFileSync(bin, 'utf8');
      const root = /^CHROOT='([^']*)'$/m.exec(text)?.[1];
      const varnishd = /^VARNISHD='([^']+)'$/m.exec(text)?.[1];
      // The wrapper this mirrors: it runs `unshare -m ... chroot`; anything else is left to run itself.
      if (root && varnishd && /unshare -m --propagation private/.test(text) && existsSync(`${root}${varnishd}`)) jail = { root, varnishd };
    }
  } catch {
    jail = undefined;
  }
  jails.set(bin, jail);
  return jail;
}

function unshareFound(): boolean {
  for (const dir of (process.env['PATH'] ?? '/usr/bin:/bin').split(':')) {
    try {
      accessSync(`${dir}/unshare`, constants.X_OK);
      return true;
    } catch {
      // not in this one
    }
  }
  return false;
}

/** The folders of the package's own VCL, which stay the root's own (the wrapper does not mount them). */
const ROOT_OWN = new Set(['/usr/share/varnish/vcl', '/usr/share/vinyl-cache/vcl']);

/**
 * What the wrapper would run for `args` (`FILE [varnishd args...]` or
 * varnishd's own arguments): the same mounts, working folder and command
 * line. An error (with the wrapper's exit code) where the wrapper would
 * stop before running anything.
 */
export function jailedRun(jail: Jail, args: readonly string[]): JailedRun | { code: number; message: string } {
  let argv: string[];
  let cwd = '/';
  const dirs: string[] = [];
  const first = args[0];
  if (first !== undefined && !first.startsWith('-')) {
    let file: string;
    try {
      accessSync(first, constants.R_OK);
      file = realpathSync(first);
    } catch {
      return { code: 66, message: `cannot read ${first}` };
    }
    cwd = dirname(file);
    argv = ['-C', '-f', file, ...args.slice(1)];
    dirs.push(cwd);
  } else {
    argv = [...args];
  }
  const addPath = (value: string): void => {
    for (const d of value.split(':')) {
      try {
        if (!d || !statSync(d).isDirectory()) continue;
      } catch {
        continue;
      }
      if (ROOT_OWN.has(d.replace(/\/+$/, ''))) continue;
      dirs.push(realpathSync(d));
    }
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const prev = argv[i - 1];
    if (prev === '-f' && existsSync(a)) dirs.push(dirname(realpathSync(a)));
    if (prev === '-p' && /^vcl_(path|dir)=/.test(a)) addPath(a.slice(a.indexOf('=') + 1));
    if (/^-pvcl_(path|dir)=/.test(a)) addPath(a.slice(a.indexOf('=') + 1));
  }
  const binds: JailedRun['binds'] = [];
  for (const dir of new Set(dirs)) {
    if (dir === '/') return { code: 70, message: 'refusing to bind-mount /' };
    const st = statSync(dir, { bigint: true });
    binds.push({ dir, key: `${st.dev}:${st.ino}:${st.birthtimeNs}` });
  }
  return { binds, cwd, argv: [jail.varnishd, ...argv] };
}
