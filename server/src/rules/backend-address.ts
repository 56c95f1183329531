/**
 * `backend-address`: a backend `.host`/`.port` or `.path` that varnishd
 * refuses, judged without any lookup. Checked against varnishd 7.1.1:
 * - `.path` must be absolute ("Backend path: Must be an absolute path:").
 *   varnishd also refuses an existing path that is not a socket; that
 *   depends on the machine and is not checked here.
 * - `.host` (with `.port` joined to it by a blank, as VCC does) is split
 *   like varnishd's VSS parser: `[v6]:port`, `v4:port`, `name port`. The
 *   address must be an IP address or something that could be a host name
 *   ("Backend host '...' could not be resolved to an IP address:"). Host
 *   names are never looked up.
 * - `.proxy_header` other than 1 or 2 (every release).
 * - From 7.3 (checked with 7.7 and 9.0): a `.path` longer than a socket
 *   address holds, an abstract socket without a name (`"@"`), a `.via`
 *   backend that itself has a `.via` ("Cannot stack .via backends"), and a
 *   `.via` backend whose `.host` is an address while no `.authority` (or
 *   `.host_header`) names the host to ask the proxy for.
 */
import type * as A from '../syntax/ast.js';
import type { Finding, Rule } from './rule.js';
import { classifyAddress } from './ip-literal.js';
import { templatePlaceholder } from './backend-host-placeholder.js';
import { atLeast } from '../facts/versions.js';

export const backendAddressRule: Rule = {
  id: 'backend-address',
  defaultSeverity: 'error',
  description: 'A backend .host, .port, .path, .via or .proxy_header that can never work: malformed address or port, a relative, unnamed or too long socket path, or .via through a backend that has its own .via.',
  check(ctx) {
    const out: Finding[] = [];
    const sinceSockets = atLeast(ctx.varnishVersion, SOCKET_CHECKS_SINCE);
    for (const d of ctx.parse.ast.declarations) {
      if (d.kind !== 'BackendDecl' || !d.hasBody) continue;
      const value = (name: string) => d.attributes.find((x) => x.name?.text === name)?.value;
      const field = (name: string) => {
        const v = value(name);
        return v?.kind === 'StringLiteral' ? v : undefined;
      };
      const name = d.name?.text ?? '?';
      const path = field('path');
      const host = field('host');
      // A template placeholder is backend-host-placeholder's finding, not a malformed address.
      const placeholder = (v: A.StringLiteral | undefined) => v !== undefined && templatePlaceholder(v.value) !== undefined;
      // `@name` is a Linux abstract socket (7.3+): release-feature judges it.
      if (path && !path.value.startsWith('/') && !path.value.startsWith('@') && !placeholder(path)) {
        out.push({ ...span(path), message: `Backend '${name}': .path must be the absolute path of a UNIX socket (starting with '/'), not "${path.value}".` });
      }
      const socket = path && sinceSockets ? socketProblem(path.value) : undefined;
      if (socket) out.push({ ...span(path!), message: `Backend path: ${socket}` });
      const via = value('via');
      if (via?.kind === 'Identifier' && sinceSockets) {
        const target = ctx.semantic().lookup(via.name.text).find((x) => x.kind === 'backend')?.node;
        const next = target?.kind === 'BackendDecl' ? target.attributes.find((x) => x.name?.text === 'via')?.value : undefined;
        if (next?.kind === 'Identifier') {
          out.push({ ...span(via), message: `Cannot stack .via backends: '${via.name.text}' itself goes through '${next.name.text}'. Point .via at a backend that connects directly (such as '${next.name.text}').` });
        }
        // Through a proxy, the host name is what the proxy is asked for (the authority): an address will not do.
        const authority = d.attributes.some((x) => x.name?.text === 'authority' || x.name?.text === 'host_header');
        const kind = host ? classifyAddress(host.value.replace(/^\[(.*)\]$/, '$1')).kind : undefined;
        if (host && !authority && (kind === 'ipv4' || kind === 'ipv6')) {
          out.push({ ...span(host), message: `.host used as authority can not be an ip address with .via. Set .authority to the name the proxy '${via.name.text}' should connect to (or .host_header).` });
        }
      }
      // The PROXY protocol has two versions; VCC refuses any other number in every release (6.5 to 9.0).
      const proxy = value('proxy_header');
      if (proxy?.kind === 'NumberLiteral' && !proxy.unit && proxy.text !== '1' && proxy.text !== '2') {
        out.push({ ...span(proxy), message: `.proxy_header must be 1 or 2 (the version of the PROXY protocol to send), not ${proxy.text}` });
      }
      if (host && !placeholder(host) && !placeholder(field('port'))) {
        const problem = hostProblem(host.value, field('port')?.value);
        if (problem) out.push({ ...span(host), message: `Backend '${name}': varnishd can never resolve .host "${host.value}"${field('port') ? ` with .port "${field('port')!.value}"` : ''}: ${problem}` });
      }
    }
    return out;
  },
};

/**
 * The release from which VCC checks a socket path's length and an abstract
 * socket's name, and refuses a `.via` backend that has a `.via` of its own:
 * all came with `.via` and abstract sockets in 7.3 (refused by varnishd 7.7
 * and 9.0; 7.1 has neither).
 */
const SOCKET_CHECKS_SINCE = '7.3';

/** The room for a socket's path in `struct sockaddr_un` (`sun_path`), its final NUL included. */
const SUN_PATH_SIZE = 108;

/** Why a `.path` can name no UNIX socket, as varnishd says it, or undefined. */
function socketProblem(path: string): string | undefined {
  if (path === '@') return 'The empty abstract socket name is not supported (write a name after the \'@\', as in "@varnish-backend")';
  // An abstract name's '@' stands for its leading NUL, so it counts as one byte too.
  const bytes = Buffer.byteLength(path, 'utf8');
  if (bytes + 1 > SUN_PATH_SIZE) return `Path too long for a Unix domain socket (${bytes} bytes; a socket's path holds at most ${SUN_PATH_SIZE - 1})`;
  return undefined;
}

/** Why varnishd cannot make an address of host (+ port), or undefined when it may. */
export function hostProblem(host: string, port: string | undefined): string | undefined {
  // VCC hands "host port" (or just host) to its resolver, which splits it again.
  const str = port !== undefined ? `${host} ${port}` : host;
  let addr: string | undefined;
  let service: string | undefined;
  if (str.startsWith('[')) {
    const close = str.indexOf(']');
    if (close < 0) return "the IPv6 address lacks its closing ']' (write it as \"[::1]\" or \"[::1]:8080\").";
    addr = str.slice(1, close);
    const rest = str.slice(close + 1);
    if (rest !== '') {
      if (rest[0] !== ' ' && rest[0] !== ':') return `after the bracketed IPv6 address comes '${rest[0]}'; a port follows a ':' (write "[${addr}]:8080").`;
      service = rest.slice(1);
    }
  } else {
    let p = str.indexOf(' ');
    if (p < 0) p = str.indexOf(':');
    // Two colons without brackets: the whole string is an IPv6 address.
    if (p < 0 || (str[p] === ':' && str.indexOf(':', p + 1) >= 0)) {
      addr = str;
    } else {
      addr = p === 0 ? undefined : str.slice(0, p);
      service = str.slice(p + 1);
    }
  }
  if (addr !== undefined) {
    const cls = classifyAddress(addr);
    if (cls.kind === 'invalid') {
      if (port !== undefined && /:\d*$/.test(host) && !host.startsWith('[') && host.indexOf(':') === host.lastIndexOf(':')) {
        return `it already ends with a port and .port = "${port}" is set too. Give the port in one place only.`;
      }
      return `'${addr}' is neither an IP address nor a host name (${cls.reason}).`;
    }
  }
  if (service !== undefined && (/\s/.test(service) || service.startsWith('-') || service.includes(':'))) {
    return `the port '${service}' is not a port number or service name.`;
  }
  return undefined;
}

function span(n: A.Span): A.Span {
  return { start: n.start, end: n.end };
}
