/**
 * The releases the live tests run a real varnishd of: this machine's
 * varnishd (7.1), and the Varnish of each other checked release in the root
 * its compiler runs in (test/helpers/oracles.ts), when this machine has them.
 */
import type { VarnishVersion } from '../../server/src/facts/versions.js';
import { oracleChroot, oracleMissing } from '../helpers/oracles.js';
import { varnishToolsMissing } from './varnish-instance.js';

/** One release: its root (undefined: this machine's own varnishd), or why it cannot run here. */
export interface LiveRelease {
  version: VarnishVersion;
  chroot?: string;
  missing?: string;
}

/** 7.1 on this machine, then 6.5, 7.7 and 9.0 in their compilers' roots. */
export function liveReleases(): LiveRelease[] {
  const own: LiveRelease = { version: '7.1' };
  const ownMissing = varnishToolsMissing();
  if (ownMissing) own.missing = ownMissing;
  const jailed = (['6.5', '7.7', '9.0'] as const).map((version): LiveRelease => {
    const chroot = oracleChroot(version);
    if (chroot !== undefined) return { version, chroot };
    return { version, missing: oracleMissing(version) ?? `no root with Varnish ${version}` };
  });
  return [own, ...jailed];
}
