/**
 * A synthetic vmod file: the interface JSON as vmodtool embeds it in a
 * libvmod_<name>.so, between other C strings, so tests can read vmods from
 * bytes without an installed Varnish.
 */
export function fakeVmod(raw: unknown, before = 'Varnish 7.1.1 7cee1c581bead20e88d101ab3d72afb29f14d87a\0std\0'): Buffer {
  // vmodtool's layout: 2-space indented lines joined by single spaces, "\n" at the end.
  const text = JSON.stringify(raw, null, 2).split('\n').join(' ') + '\n';
  return Buffer.concat([Buffer.from('\x7fELF\0\0\0' + before + '\0\0\0', 'latin1'), Buffer.from(text), Buffer.from('\0#define VPFX(a) vmod_##a\n\0')]);
}
