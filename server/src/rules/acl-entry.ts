/**
 * `acl-entry`: ACL entries that VCC refuses. Checked against varnishd 7.1.1:
 * a mask that is not a number (".../mask is not numeric.") or given twice
 * ("/mask only allowed once."); a mask wider than the address ("Too wide
 * mask (/33) for IPv4 address"); bits set after the mask ("Non-zero bits in
 * masked part"), which is an error because ACLs are `+pedantic` by default
 * in 7.1; the same network both allowed and denied ("Conflicting ACL
 * entries:"); and strings that can be neither an IP address nor a host name
 * ("DNS lookup(10.1..2): Name or service not known"). Host names are never
 * looked up: only varnishd, on the machine that runs it, can know them.
 */
import type * as A from '../syntax/ast.js';
import type { Finding, Rule } from './rule.js';
import { classifyAddress, formatAddress, maskBytes } from './ip-literal.js';
import { lineOf } from './program-files.js';
import { atLeast } from '../facts/versions.js';

interface Seen {
  entry: A.AclEntry;
  negated: boolean;
}

export const aclEntryRule: Rule = {
  id: 'acl-entry',
  defaultSeverity: 'error',
  description: 'An ACL entry varnishd refuses: bad or too wide mask, host bits set after the mask, conflicting entries, or an address that cannot exist.',
  check(ctx) {
    const out: Finding[] = [];
    for (const d of ctx.parse.ast.declarations) {
      if (d.kind === 'AclDecl') checkAcl(ctx.text, d, out, atLeast(ctx.varnishVersion, '7.0'));
    }
    return out;
  },
};

function checkAcl(text: string, acl: A.AclDecl, out: Finding[], pedanticByDefault: boolean): void {
  // From 7.0 every ACL is pedantic unless it says `-pedantic`; before, VCC
  // only warned of host bits (and cleared them).
  let pedantic = true;
  for (const f of acl.flags) if (f.name?.text === 'pedantic') pedantic = f.sign === '+';
  const seen = new Map<string, Seen>();
  for (const entry of acl.entries) {
    const lit = entry.address;
    if (!lit) continue;
    const at = { start: lit.start, end: lit.end };
    const quoted = text.slice(lit.start, lit.end);
    let address = lit.value;
    let mask: number | undefined;
    const slash = address.indexOf('/');
    if (slash >= 0) {
      const maskText = address.slice(slash + 1);
      address = address.slice(0, slash);
      // VCC reads the mask with strtoul(): blanks and a sign may lead, nothing may follow.
      if (maskText !== '' && !/^\s*[+-]?\d+$/.test(maskText)) {
        if (address === '') {
          out.push({ ...at, message: `${quoted} looks like a file path, but an ACL entry is an IP address or host name with an optional /mask; VCC reads everything after the first '/' as the mask. UNIX socket clients cannot be matched by an ACL.` });
          continue;
        }
        out.push({ ...at, message: `The mask in ${quoted} is not a number: write the address and a number of bits, such as "${address}/24" or "${address}"/24.` });
        continue;
      }
      mask = maskValue(maskText);
      if (entry.mask) {
        const slashTok = text.lastIndexOf('/', entry.mask.start);
        const start = slashTok > lit.end ? slashTok : entry.mask.start;
        const finding: Finding = { start, end: entry.mask.end, message: `This entry has two masks, /${maskText.trim()} inside the string and /${entry.mask.text} after it; VCC allows one. Keep one of them.` };
        if (Number(entry.mask.text) === mask) finding.fixes = [{ title: `Remove the second /${entry.mask.text}`, edits: [{ start: lit.end, end: entry.mask.end, newText: '' }] }];
        out.push(finding);
        continue;
      }
    } else if (entry.mask) {
      if (!/^\d+$/.test(entry.mask.text)) continue; // the parser reports it
      mask = entry.mask.value;
    }
    const maskAt = entry.mask ? { start: entry.mask.start, end: entry.mask.end } : at;
    const net = netNotation(address);
    const cls = net ? { kind: 'ipv4' as const, bytes: net.bytes } : classifyAddress(address);
    if (net && mask === undefined) mask = net.mask;
    if (cls.kind === 'invalid') {
      // A parenthesised entry that does not resolve is skipped with a warning.
      if (!entry.optional) {
        out.push({ ...at, message: `ACL entry "${address}" is neither an IP address nor a host name: ${cls.reason}. varnishd cannot resolve it ("DNS lookup(${address}): Name or service not known"). Fix the address, or put the entry in parentheses to have it skipped when it does not resolve.` });
      }
      continue;
    }
    if (cls.kind !== 'ipv4' && cls.kind !== 'ipv6') {
      // A host name: only the mask can be judged, and only when it fits no address at all.
      if (mask !== undefined && mask > 128 && !entry.optional) {
        out.push({ ...maskAt, message: `Mask /${mask} is wider than any address (IPv4 takes at most /32, IPv6 /128).` });
      }
      continue;
    }
    const bits = cls.kind === 'ipv4' ? 32 : 128;
    const family = cls.kind === 'ipv4' ? 'IPv4' : 'IPv6';
    if (net?.extra && !entry.mask && slash < 0) {
      out.push({ ...at, message: `"${address}" has more than four parts: VCC reads the first four (${net.bytes.join('.')}) and then gives the entry a mask of /40, too wide for IPv4. Write a plain address such as "${net.bytes.join('.')}".` });
      continue;
    }
    if (mask !== undefined && mask > bits) {
      out.push({ ...maskAt, message: `Too wide mask (/${mask}) for ${family} address ${address}: an ${family} mask is at most /${bits}.` });
      continue;
    }
    const m = mask ?? bits;
    const network = maskBytes(cls.bytes, m);
    if (network.some((b, i) => b !== cls.bytes[i])) {
      const suggestion = formatAddress(network);
      if (pedantic) {
        const fixed = entry.mask || slash < 0 ? suggestion : `${suggestion}/${m}`;
        out.push({
          ...at,
          ...(pedanticByDefault ? {} : { severity: 'warning' as const }),
          message: pedanticByDefault
            ? `Non-zero bits in masked part: ${address}/${m} has host bits set after the first ${m} bits. Write the network address, ${suggestion}/${m}, or mark the ACL -pedantic to let VCC clear those bits.`
            : `Host bits set after the mask: ${address}/${m} means ${suggestion}/${m}; this release clears them with a warning, and from Varnish 7.0 it is an error. Write the network address.`,
          fixes: [{ title: `Change to ${suggestion}/${m}`, edits: [{ start: lit.start + delimiter(lit), end: lit.end - delimiter(lit), newText: fixed }] }],
        });
        continue;
      }
    }
    const key = `${cls.kind} ${network.join('.')}/${m}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, { entry, negated: entry.negated });
    } else if (first.negated !== entry.negated) {
      const other = first.entry.address!;
      const line = lineOf(text, entry.start);
      out.push({
        start: other.start,
        end: other.end,
        message: `Conflicting ACL entries: ${formatAddress(network)}/${m} is ${first.negated ? 'denied' : 'allowed'} here and ${entry.negated ? 'denied' : 'allowed'} on line ${line}. Remove one of the two.`,
      });
    }
  }
}

/**
 * VCC's own reading of IPv4 networks, tried before getaddrinfo(): up to
 * four decimal parts read with sscanf("%u") (so "010" is ten, not eight),
 * the rest zero, and a default mask of 8 bits per part given: "10.1" is
 * 10.1.0.0/16 (not inet_aton's 10.0.0.1) and "127"/24 is 127.0.0.0/24.
 * After a fourth part VCC stops reading: "1.2.3.4.5" is 1.2.3.4 with a
 * default mask of /40 (refused as too wide), "1.2.3.4.5"/32 is 1.2.3.4/32.
 */
export function netNotation(address: string): { bytes: number[]; mask: number; extra: boolean } | undefined {
  const bytes = [0, 0, 0, 0];
  let p = address;
  for (let i = 0; i < 4; i++) {
    const m = /^\s*([+-]?)(\d+)/.exec(p);
    if (!m) return undefined;
    const u = Number(m[2]);
    if (u > 255 || (m[1] === '-' && u !== 0)) return undefined;
    bytes[i] = u;
    const next = p[m[0].length];
    if (next === undefined) return { bytes, mask: 8 + 8 * i, extra: false };
    if (next !== '.') return undefined;
    p = p.slice(m[0].length + 1);
  }
  return { bytes, mask: 40, extra: true };
}

/** strtoul() as VCC uses it: a minus sign wraps to a huge (too wide) mask. */
function maskValue(text: string): number {
  const t = text.trim();
  if (t === '') return 0;
  const v = Number(t.replace(/^\+/, ''));
  return v < 0 ? 2 ** 32 + v : v;
}

/** Length of a string literal's opening (and closing) delimiter. */
function delimiter(lit: A.StringLiteral): number {
  return lit.style.length;
}
