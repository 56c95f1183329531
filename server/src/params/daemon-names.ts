/**
 * The names Varnish Cache and Vinyl Cache 9.0 (Varnish's successor) give
 * their daemon and files. Every reader and detector asks here, so that a
 * Vinyl Cache file (`vinyld`, `vinyl-cache.service`, `/etc/default/vinyl-cache`)
 * is read exactly as its Varnish twin; which release a file runs is
 * decided elsewhere (detect-release.ts).
 */

/** The daemon's program names: Varnish's `varnishd` and Vinyl Cache's `vinyld`. */
export const DAEMON_PROGRAMS: readonly string[] = ['varnishd', 'vinyld'];

/**
 * A text that names the daemon somewhere: the first, loose test before a
 * reader looks for a real command. `vinyld` must stand alone, as it is
 * short enough to occur inside other words.
 */
export const NAMES_DAEMON = /varnishd|\bvinyld\b/;

/**
 * A path or text about Varnish or Vinyl Cache at all: what makes a generic
 * name (`*.service`, `compose.yml`, `Dockerfile`) worth reading. "vinyl"
 * alone is not enough: other software uses the word.
 */
export const ABOUT_CACHE = /varnish|vinyl-cache|\bvinyld\b/i;

/**
 * The name a package gives its files under `/etc/default`, `/etc/sysconfig`
 * and systemd: `varnish` (also `varnishncsa`, ...) and `vinyl-cache`.
 */
export const PACKAGE_NAME = /^(?:varnish|vinyl-cache)/;

/**
 * A compose service named for the cache (`varnish`, `vinyl`, `cache-vinyl`),
 * which an override file may give only a command.
 */
export const CACHE_SERVICE_NAME = /varnish|\bvinyl/i;
