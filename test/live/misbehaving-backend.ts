/**
 * An origin server for live tests of the 503 doctor that fails on purpose,
 * one path per failure: each answer is written byte by byte on a plain TCP
 * socket, so it can break HTTP in ways a real HTTP server never would.
 *
 * - `/resp-header-too-long`: one header line of 9000 bytes (over the 8k
 *   default of http_resp_hdr_len);
 * - `/resp-too-many-headers`: 70 headers (http_max_hdr is 64 slots);
 * - `/resp-headers-overflow`: six headers of 6000 bytes, each allowed, all
 *   together over the 32k default of http_resp_size;
 * - `/first-byte-timeout`: nothing at all for {@link STALL_MS};
 * - `/between-bytes-timeout`: the status line, then nothing for {@link STALL_MS};
 * - `/backend-closed-early`: closes the connection without a word;
 * - `/backend-invalid-response`: a status line that is not HTTP (`2x0`);
 * - `/backend-body-error`: a chunked body whose chunk size is not hex;
 * - `/storage-full`: a body of 4 MB (for a storage smaller than that);
 * - `/backend-answered-503`: a well-formed 503, as a site in maintenance sends;
 * - `/backend-write-error`: resets the connection (TCP RST) as soon as the
 *   request's head has come, while Varnish still sends the request body;
 * - `/backend-busy`: a normal answer after {@link BUSY_MS}, so a second
 *   request finds the backend's one connection taken;
 * - `/probe`: 500, so a health probe never sees the backend healthy;
 * - anything else: `200 OK`.
 *
 * Every answer closes its connection, so no failure depends on Varnish
 * reusing a connection.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** How long the timeout paths stay silent: well over the 1 s timeouts the test VCL sets. */
export const STALL_MS = 2500;
/** How long `/backend-busy` takes to answer. */
export const BUSY_MS = 1500;

export interface MisbehavingBackend {
  port: number;
  /** Resolves once a request for `path` has arrived (at once if one has). */
  seen(path: string): Promise<void>;
  close(): Promise<void>;
}

const ok = (body: string, extra = ''): string => `HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n${extra}\r\n${body}`;

/** What to do for a request line's path: the bytes to send (then close), or an action on the socket. */
function answer(path: string, socket: Socket, timers: Set<NodeJS.Timeout>): void {
  const later = (ms: number, act: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      act();
    }, ms);
    timers.add(t);
  };
  const send = (bytes: string | Buffer): void => {
    socket.end(bytes);
  };
  switch (path) {
    case '/resp-header-too-long':
      return send(ok('ok\n', `X-Long: ${'a'.repeat(9000)}\r\n`));
    case '/resp-too-many-headers':
      return send(ok('ok\n', Array.from({ length: 70 }, (_, i) => `X-M${i}: v\r\n`).join('')));
    case '/resp-headers-overflow':
      return send(ok('ok\n', Array.from({ length: 6 }, (_, i) => `X-Part${i}: ${'b'.repeat(6000)}\r\n`).join('')));
    case '/first-byte-timeout':
      return later(STALL_MS, () => socket.destroy());
    case '/between-bytes-timeout':
      socket.write('HTTP/1.1 200 OK\r\n');
      return later(STALL_MS, () => socket.destroy());
    case '/backend-closed-early':
      return void socket.destroy();
    case '/backend-invalid-response':
      return send('HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    case '/backend-body-error':
      return send('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nabc\r\n0\r\n\r\n');
    case '/storage-full': {
      const body = Buffer.alloc(4 * 1024 * 1024, 'x');
      return send(Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`), body]));
    }
    case '/backend-write-error':
      return void socket.resetAndDestroy();
    case '/backend-answered-503':
      return send('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 12\r\nConnection: close\r\nRetry-After: 60\r\n\r\nmaintenance\n');
    case '/backend-busy':
      return later(BUSY_MS, () => send(ok('slow\n')));
    case '/probe':
      return send('HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    default:
      return send(ok('ok\n'));
  }
}

/** Starts the server on 127.0.0.1, on a port the kernel chooses. */
export async function startMisbehavingBackend(): Promise<MisbehavingBackend> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const arrived = new Set<string>();
  const waiting = new Map<string, Array<() => void>>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // Varnish drops connections it gave up on: nothing to report.
    socket.on('error', () => undefined);
    let head = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      if (head.includes('\r\n\r\n')) return;
      head += chunk;
      if (!head.includes('\r\n\r\n')) return;
      const path = /^[A-Z]+ (\S+)/.exec(head)?.[1] ?? '/';
      const bare = path.replace(/\?.*$/, '');
      arrived.add(bare);
      for (const wake of waiting.get(bare) ?? []) wake();
      waiting.delete(bare);
      answer(bare, socket, timers);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    seen: (path) =>
      arrived.has(path) ? Promise.resolve() : new Promise<void>((resolve) => waiting.set(path, [...(waiting.get(path) ?? []), resolve])),
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * The lowest port the kernel hands out to a listener that asks for port 0
 * (Linux's ip_local_port_range; 32768 when it cannot be read).
 */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) ? low : 32768;
  } catch {
    return 32768;
  }
}

/** Whether a listener can take `port` on 127.0.0.1 (0: any); the port it got, released again. */
function freePort(port: number): Promise<number | undefined> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const got = (server.address() as AddressInfo).port;
      server.close(() => resolve(got));
    });
  });
}

/**
 * A port on 127.0.0.1 where nothing listens. Taken below the range the
 * kernel hands out to listeners on port 0: every server and varnishd the
 * tests start asks for port 0, so none of them can take it meanwhile. (A
 * port the kernel chose, then released, was once given to another
 * release's varnishd, which answered where a refused connection was
 * expected.)
 */
export async function closedPort(): Promise<number> {
  const low = ephemeralLow();
  const from = Math.max(1024, low - 8192);
  for (let attempt = 0; from < low && attempt < 50; attempt++) {
    const port = await freePort(from + Math.floor(Math.random() * (low - from)));
    if (port !== undefined) return port;
  }
  // No such range here: a port the kernel chose, released.
  const port = await freePort(0);
  if (port === undefined) throw new Error('no free port on 127.0.0.1');
  return port;
}
