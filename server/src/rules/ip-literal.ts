/**
 * Reading IP addresses the way varnishd's getaddrinfo() call does, without
 * any lookup: ACL entries and backend hosts are either numeric addresses,
 * which can be judged here, or host names, which only DNS can judge. This
 * module only tells the three apart, and says why a string can be neither.
 * Shared by the `acl-entry` and `backend-address` rules.
 */

export type AddressClass =
  | { kind: 'ipv4'; bytes: number[] }
  | { kind: 'ipv6'; bytes: number[] }
  /** Syntactically a host name: only DNS knows whether it resolves. */
  | { kind: 'hostname' }
  /** Cannot be judged without the system (a scope id such as `%eth0`, leading blanks). */
  | { kind: 'unknown' }
  /** Neither a numeric address nor a possible host name: no resolver can find it. */
  | { kind: 'invalid'; reason: string };

/**
 * IPv4 as glibc's inet_aton() reads it (and getaddrinfo() with it):
 * one to four parts, each decimal, octal (leading 0) or hex (0x); the last
 * part fills the remaining bytes, so `127.1` is 127.0.0.1 and `10.1` is
 * 10.0.0.1.
 */
export function parseIPv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length > 4) return undefined;
  const values: number[] = [];
  for (const p of parts) {
    let v: number;
    if (/^0[xX][0-9a-fA-F]+$/.test(p)) v = parseInt(p.slice(2), 16);
    else if (/^0[0-7]*$/.test(p)) v = parseInt(p, 8);
    else if (/^[1-9][0-9]*$/.test(p)) v = Number(p);
    else return undefined;
    if (!Number.isFinite(v) || v > 0xffffffff) return undefined;
    values.push(v);
  }
  const last = values.pop()!;
  if (values.some((v) => v > 255)) return undefined;
  const lastBytes = 4 - values.length;
  if (last >= 2 ** (8 * lastBytes)) return undefined;
  const bytes = [...values];
  for (let i = lastBytes - 1; i >= 0; i--) bytes.push(Math.floor(last / 2 ** (8 * i)) % 256);
  return bytes;
}

/** Dotted-quad as inet_pton() wants it inside IPv6: four decimal parts, no leading zeros. */
function parseStrictIPv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    out.push(v);
  }
  return out;
}

/** IPv6 as inet_pton() reads it: hex groups, one `::`, an optional dotted-quad tail. */
export function parseIPv6(s: string): number[] | undefined {
  if (s.length === 0) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  // A dotted-quad may only end the whole address.
  const groups = (part: string, last: boolean): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i]!;
      if (last && i === pieces.length - 1 && p.includes('.')) {
        const v4 = parseStrictIPv4(p);
        if (!v4) return undefined;
        out.push(v4[0]! * 256 + v4[1]!, v4[2]! * 256 + v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) {
        out.push(parseInt(p, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = groups(halves[0]!, halves.length === 1);
  const tail = halves.length === 2 ? groups(halves[1]!, true) : [];
  if (!head || !tail) return undefined;
  let words: number[];
  if (halves.length === 2) {
    if (head.length + tail.length > 7) return undefined;
    words = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    if (head.length !== 8) return undefined;
    words = head;
  }
  const bytes: number[] = [];
  for (const w of words) bytes.push(w >> 8, w & 0xff);
  return bytes;
}

/**
 * What getaddrinfo() would make of `s`. Only strings that no resolver can
 * turn into an address are `invalid`: empty, with blanks inside, an empty
 * label (`10.1..2`), a colon that is not part of a valid IPv6 address
 * (`1.2.3.4::80`), or only digits and dots yet no valid IPv4 address
 * (`1.2.3.256`; no top-level domain is numeric).
 */
export function classifyAddress(s: string): AddressClass {
  if (s === '') return { kind: 'invalid', reason: 'it is empty' };
  if (/^\s/.test(s) || s.includes('%')) return { kind: 'unknown' };
  const v4 = parseIPv4(s);
  if (v4) return { kind: 'ipv4', bytes: v4 };
  if (s.includes(':')) {
    const v6 = parseIPv6(s);
    if (v6) return { kind: 'ipv6', bytes: v6 };
    const withPort = /^([^:]*):(\d*)$/.exec(s);
    if (withPort && parseIPv4(withPort[1]!)) return { kind: 'invalid', reason: `it is an address with a port (':${withPort[2]}'), and no port belongs here` };
    return { kind: 'invalid', reason: 'it contains a colon but is not a valid IPv6 address' };
  }
  if (/\s/.test(s)) return { kind: 'invalid', reason: 'it contains a blank' };
  const name = s.endsWith('.') ? s.slice(0, -1) : s;
  if (name === '') return { kind: 'unknown' };
  const labels = name.split('.');
  if (labels.some((l) => l === '')) return { kind: 'invalid', reason: 'it has an empty part between dots' };
  if (/^[0-9.]+$/.test(name)) return { kind: 'invalid', reason: 'it is not a valid IPv4 address (each part is a number from 0 to 255)' };
  if (labels.some((l) => l.length > 63)) return { kind: 'invalid', reason: 'a part between dots is longer than 63 characters' };
  if (name.length > 253) return { kind: 'invalid', reason: 'it is longer than 253 characters' };
  return { kind: 'hostname' };
}

/** The address as inet_ntop() prints it (`1.2.3.0`, `::`, `2001:db8::`, `::ffff:1.2.3.0`). */
export function formatAddress(bytes: readonly number[]): string {
  if (bytes.length === 4) return bytes.join('.');
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push(bytes[i]! * 256 + bytes[i + 1]!);
  // The longest run of two or more zero words becomes `::`.
  let best = { base: -1, len: 0 };
  let cur = { base: -1, len: 0 };
  for (let i = 0; i < 8; i++) {
    if (words[i] === 0) {
      cur = cur.base < 0 ? { base: i, len: 1 } : { base: cur.base, len: cur.len + 1 };
      if (cur.len > best.len) best = { ...cur };
    } else {
      cur = { base: -1, len: 0 };
    }
  }
  if (best.len < 2) best = { base: -1, len: 0 };
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (best.base >= 0 && i >= best.base && i < best.base + best.len) {
      if (i === best.base) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    // An IPv4-compatible or IPv4-mapped address ends in dotted-quad form.
    if (i === 6 && best.base === 0 && (best.len === 6 || (best.len === 5 && words[5] === 0xffff))) {
      out += bytes.slice(12).join('.');
      break;
    }
    out += words[i]!.toString(16);
  }
  if (best.base >= 0 && best.base + best.len === 8) out += ':';
  return out;
}

/** The bytes with every bit after the first `mask` bits cleared. */
export function maskBytes(bytes: readonly number[], mask: number): number[] {
  return bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, mask - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
}
