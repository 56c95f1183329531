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
      if (d.kind === 'AclDecl') checkAcl(ctx.text, d, out);
    }
    return out;
  },
};

function checkAcl(text: string, acl: A.AclDecl, out: Finding[]): void {
  // VCC 7.1 makes every ACL pedantic unless it says `-pedantic`.
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
    const cls = classifyAddress(address);
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
          message: `Non-zero bits in masked part: ${address}/${m} has host bits set after the first ${m} bits. Write the network address, ${suggestion}/${m}, or mark the ACL -pedantic to let VCC clear those bits.`,
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

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
