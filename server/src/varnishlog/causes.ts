/**
 * The causes of a failed transaction that the 503 doctor names. Each id is
 * the `rule` of its diagnostics (a contract other tools rely on) and the
 * name of its page under docs/rules/.
 *
 * Severity says who can fix it: `error` for a limit or a choice in Varnish's
 * own configuration (a parameter, the VCL, the storage size), `warning` for
 * a backend or the network in between, `info` when the log does not say.
 */
import type { Severity } from '../text/severity.js';

/** One cause: its id, its severity, a short name and the first thing to change. */
export interface Cause {
  id: string;
  severity: Severity;
  /** What happened, as a phrase ("a response header line longer than http_resp_hdr_len"). */
  what: string;
  /** The first remedy to try, as a sentence. */
  fix: string;
}

/** Every cause, in the order findings are listed. */
export const CAUSES: readonly Cause[] = [
  {
    id: 'resp-header-too-long',
    severity: 'error',
    what: 'the backend sent a response header line longer than http_resp_hdr_len',
    fix: 'Raise http_resp_hdr_len above the longest header line (and keep http_resp_size and workspace_backend above it).',
  },
  {
    id: 'resp-too-many-headers',
    severity: 'error',
    what: 'the backend sent more response headers than http_max_hdr allows',
    fix: 'Raise http_max_hdr (the status line takes 5 of its slots), or have the backend send fewer headers.',
  },
  {
    id: 'resp-headers-overflow',
    severity: 'error',
    what: 'the response headers together did not fit into http_resp_size or the free workspace_backend',
    fix: 'Raise http_resp_size and workspace_backend (workspace_backend above http_resp_size).',
  },
  {
    id: 'workspace-overflow',
    severity: 'error',
    what: 'a workspace ran out (workspace_client for a client request, workspace_backend for a fetch)',
    fix: 'Raise the workspace the log names (workspace_client or workspace_backend), or have VCL and vmods use less of it.',
  },
  {
    id: 'no-backend',
    severity: 'error',
    what: 'VCL gave the fetch no backend (a `none` backend, an unset hint, or a director with no healthy member)',
    fix: 'Set bereq.backend to a real backend, or make a member of the director healthy.',
  },
  {
    id: 'retries-exhausted',
    severity: 'error',
    what: 'VCL asked for more retries than max_retries',
    fix: 'Find why each attempt was retried (the earlier attempts in the log); raise max_retries only when retrying can help.',
  },
  {
    id: 'storage-full',
    severity: 'error',
    what: 'Varnish could not get storage for the object (storage full after nuke_limit evictions, or the object larger than the storage)',
    fix: 'Give the storage more room (-s), raise nuke_limit, or store large objects elsewhere (beresp.storage, or Transient for passes).',
  },
  {
    id: 'vcl-failure',
    severity: 'error',
    what: 'VCL failed the transaction (return (fail) or a VCL runtime error)',
    fix: 'Read the VCL_Error line: it names what the VCL or a vmod refused.',
  },
  {
    id: 'first-byte-timeout',
    severity: 'warning',
    what: 'the backend sent nothing within first_byte_timeout',
    fix: 'Find why the backend is slow; or raise first_byte_timeout (the parameter, the backend\'s .first_byte_timeout or bereq.first_byte_timeout).',
  },
  {
    id: 'between-bytes-timeout',
    severity: 'warning',
    what: 'the backend stopped sending for longer than between_bytes_timeout',
    fix: 'Find why the backend stalls; or raise between_bytes_timeout (the parameter, .between_bytes_timeout or bereq.between_bytes_timeout).',
  },
  {
    id: 'backend-connect-failed',
    severity: 'warning',
    what: 'Varnish could not connect to the backend',
    fix: 'Check the backend\'s .host and .port and that it listens; a timeout (errno 110) may need a longer connect_timeout.',
  },
  {
    id: 'backend-unhealthy',
    severity: 'warning',
    what: 'the backend was marked sick (its health probe failed, or backend.set_health)',
    fix: 'Check what the probe requests and what the backend answers to it (varnishlog -g raw -i Backend_health).',
  },
  {
    id: 'backend-busy',
    severity: 'warning',
    what: 'the backend had .max_connections connections open already',
    fix: 'Raise the backend\'s .max_connections, or (7.6+) let fetches wait with backend_wait_timeout / backend_wait_limit.',
  },
  {
    id: 'backend-closed-early',
    severity: 'warning',
    what: 'the backend closed the connection before sending a response',
    fix: 'Check the backend\'s error log; a backend that closes idle keep-alive connections needs backend_idle_timeout below its own keep-alive timeout.',
  },
  {
    id: 'backend-write-error',
    severity: 'warning',
    what: 'Varnish could not send the request to the backend',
    fix: 'Check the backend and the network; a reused connection the backend had closed points at its keep-alive timeout.',
  },
  {
    id: 'backend-body-error',
    severity: 'warning',
    what: 'the response body could not be read or decoded (bad chunking, short body, broken gzip, a failing filter)',
    fix: 'Fix the backend\'s response body; with streaming (beresp.do_stream) the client gets a cut response instead of a 503.',
  },
  {
    id: 'backend-invalid-response',
    severity: 'warning',
    what: 'the backend\'s response was not valid HTTP (bad status line or header syntax, or a header Varnish refuses)',
    fix: 'Fix what the backend sends; the HttpGarbage or BogoHeader line shows where it went wrong.',
  },
  {
    id: 'backend-answered-503',
    severity: 'warning',
    what: 'the backend itself answered 503; Varnish passed it on',
    fix: 'Look at the backend: a maintenance mode (Magento\'s var/.maintenance.flag), an overloaded application pool, or a proxy behind it.',
  },
  {
    id: 'client-rate-limited-5xx',
    severity: 'warning',
    what: 'VCL answered a throttled client with a 5xx',
    fix: 'Answer throttled clients with 429 and a Retry-After header: a 5xx tells caches and monitors that the server is broken.',
  },
  {
    id: 'unknown-cause',
    severity: 'info',
    what: 'a failed transaction whose cause the log does not show',
    fix: 'Capture again with `varnishlog -g request -q \'RespStatus == 503\'`, so each client request comes with its backend fetch.',
  },
];

/** The cause ids, for checking configuration and documentation. */
export const CAUSE_IDS: readonly string[] = CAUSES.map((c) => c.id);

const byId = new Map(CAUSES.map((c) => [c.id, c]));

/** The cause with `id` (one of {@link CAUSE_IDS}). */
export function causeById(id: string): Cause {
  const cause = byId.get(id);
  if (!cause) throw new Error(`unknown cause '${id}'`);
  return cause;
}
