/**
 * A tiny origin server for live tests: every answer is `200 OK` with a short
 * body and one large response header whose size the URL chooses.
 *
 * - `/9000` sends `X-Big` with a value of 9000 bytes;
 * - `/xkey/9000` (any header name, then the size) sends that header instead,
 *   e.g. `/X-Magento-Tags/40000`.
 *
 * The value looks like a cache-tag list (`cat_p_1,cat_p_2,...`), cut to
 * exactly N bytes of ASCII and never ending in a separator, so the size seen
 * by Varnish and by the client is N.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HeaderBackend {
  /** The port it listens on, on 127.0.0.1. */
  port: number;
  /** Requests answered so far. */
  readonly requests: number;
  /** Stops listening and drops every open connection (Varnish keeps them alive). */
  close(): Promise<void>;
}

export const BODY = 'ok\n';

/** A tag-list header value of exactly `n` bytes. */
export function tagValue(n: number): string {
  let s = '';
  for (let i = 1; s.length < n; i++) s += `cat_p_${i},`;
  s = s.slice(0, n);
  return s.endsWith(',') ? `${s.slice(0, -1)}x` : s;
}

/** The header name and size a path asks for, or undefined for a bad path. */
export function parsePath(path: string): { name: string; size: number } | undefined {
  const m = /^\/(?:([A-Za-z0-9!#$%&'*+.^_`|~-]+)\/)?(\d{1,7})(?:[?#].*)?$/.exec(path);
  if (!m) return undefined;
  return { name: m[1] ?? 'X-Big', size: Number(m[2]) };
}

/** Starts the server on 127.0.0.1 and a port the kernel chooses. */
export async function startHeaderBackend(): Promise<HeaderBackend> {
  let requests = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests++;
    // Varnish closes the connection while a too-large head is still being sent.
    res.on('error', () => undefined);
    const want = parsePath(req.url ?? '/');
    if (!want) {
      res.writeHead(404, { 'Content-Type': 'text/plain', 'Content-Length': 10 }).end('not found\n');
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'text/plain',
      'Content-Length': Buffer.byteLength(BODY),
      [want.name]: tagValue(want.size),
    });
    res.end(BODY);
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  server.on('connection', (socket) => socket.on('error', () => undefined));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
