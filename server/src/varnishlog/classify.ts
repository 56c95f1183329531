/**
 * Names the cause of each failed transaction of a capture from its own log
 * lines, with the strings varnishd 6.5 to 9.0 write (they differ only in
 * details the patterns below allow for: `HTC eof (-1)` up to 7.4 and
 * `HTC eof (Unexpected end of input)` from 7.5, the close reason of
 * `backend write error` from 7.1, `Timed out reusing backend connection`
 * before 6.6).
 *
 * A backend fetch has failed when it ran vcl_backend_error or ended with
 * status 503 (and was not retried: the retry is judged on its own). A client
 * request has failed when it was answered with a 5xx that no failed fetch of
 * the capture explains. Failures of one cause become one finding, with a
 * count, the first and last transaction and the lines that prove it.
 */
import { CAUSES } from './causes.js';
import { lastRecord, recordsOf, type Capture, type LogRecord, type Transaction } from './read.js';

/** A log line quoted as evidence. */
export interface Evidence {
  line: number;
  /** `Tag payload`, as varnishlog shows it without padding. */
  text: string;
}

/** What one failed transaction showed. */
interface Failure {
  cause: string;
  tx: Transaction;
  /** The lines that prove the cause, most telling first. */
  evidence: LogRecord[];
  backend?: string;
  /** A header the log names (BogoHeader), as far as varnishd printed it. */
  header?: string;
  /** Seconds the fetch waited before failing (timeouts), from its Timestamp records. */
  waited?: number;
  /** Something the log says beyond the cause (the VCL_Error text, the FetchError text). */
  detail?: string;
}

/** One cause of one capture: every failure of it, summed up. */
export interface Finding {
  cause: string;
  count: number;
  /** First and last failed transaction (vxid when the capture names it). */
  first: { vxid?: number; line: number };
  last: { vxid?: number; line: number };
  /** Lines of the first failure that prove the cause, and the deciding line of the last one. */
  evidence: Evidence[];
  lastEvidence?: Evidence;
  /** Backends named by the failures, in order of appearance. */
  backends: string[];
  /** Header names the log gave (BogoHeader), in order of appearance. */
  headers: string[];
  /** URLs of the failed requests (first few). */
  urls: string[];
  /** Longest wait before a timeout, in seconds. */
  waited?: number;
  /** Distinct details (FetchError or VCL_Error texts), first few. */
  details: string[];
  /** Which side's transactions failed: the client request, the backend fetch, or both. */
  sides: Array<'client' | 'backend'>;
}

const quote = (r: LogRecord): Evidence => ({ line: r.line, text: `${r.tag} ${r.data}`.trimEnd() });

/** Payloads of FetchError that a body fault writes (6.5 to 9.0). */
const BODY_ERRORS = /^(chunked |straight insufficient bytes|eof socket fail|Invalid Gzip data|Junk after gzip data|Fetch filter .* failed to open|Filter '.*' not found|req\.body read error|Gunzip|Could not read)/i;
/** Words of a VCL author who throttles a client. */
const THROTTLE_WORDS = /rate.?limit|throttl|too many requests|slow down|quota|vsthrottle|banned|flood/i;

/** The backend name in `backend NAME: ...` (FetchError) or the second field of BackendOpen/BackendClose. */
function backendOf(tx: Transaction): string | undefined {
  for (const r of tx.records) {
    if (r.tag === 'FetchError') {
      const m = /^backend (\S+?):/.exec(r.data) ?? /^Director (\S+) returned no backend/.exec(r.data);
      if (m) return m[1];
    }
  }
  const open = lastRecord(tx, 'BackendOpen') ?? lastRecord(tx, 'BackendClose');
  return open?.data.split(/\s+/)[1];
}

/** The absolute time of a `Timestamp` record named `name`, or undefined. */
function timestamp(tx: Transaction, name: string): number | undefined {
  for (const r of tx.records) {
    if (r.tag !== 'Timestamp' || !r.data.startsWith(`${name}:`)) continue;
    const t = Number(r.data.slice(name.length + 1).trim().split(/\s+/)[0]);
    if (Number.isFinite(t)) return t;
  }
  return undefined;
}

/** Seconds from sending the request (or connecting) to the failure. */
function waitedOf(tx: Transaction): number | undefined {
  const from = timestamp(tx, 'Bereq') ?? timestamp(tx, 'Connected') ?? timestamp(tx, 'Fetch');
  const to = timestamp(tx, 'Beresp') ?? timestamp(tx, 'Error');
  if (from === undefined || to === undefined || to < from) return undefined;
  return Math.round((to - from) * 1000) / 1000;
}

/** The cause a FetchError payload names, or undefined for one this table does not know. */
function causeOfFetchError(data: string): string | undefined {
  if (/^http format error/.test(data)) return 'backend-invalid-response';
  if (/^overflow/.test(data)) return 'resp-headers-overflow';
  if (/out of workspace|workspace overflow/i.test(data)) return 'workspace-overflow';
  if (/^HTC eof/.test(data)) return 'backend-closed-early';
  if (/^first byte timeout|^Timed out reusing backend connection/.test(data)) return 'first-byte-timeout';
  // Since 6.2 a bare `timeout` is the stall between bytes (6.0 and 6.1 wrote it for the first byte too).
  if (/^timeout\b/.test(data)) return 'between-bytes-timeout';
  if (/^backend \S+: fail errno|^no backend connection/.test(data)) return 'backend-connect-failed';
  if (/^backend \S+: unhealthy/.test(data)) return 'backend-unhealthy';
  if (/^backend \S+: busy/.test(data)) return 'backend-busy';
  if (/^No backend|^Director \S+ returned no backend/.test(data)) return 'no-backend';
  if (/^backend write error/.test(data)) return 'backend-write-error';
  if (/^Could not get storage/.test(data)) return 'storage-full';
  if (BODY_ERRORS.test(data)) return 'backend-body-error';
  return undefined;
}

/** The cause of a failed backend fetch. */
function diagnoseFetch(tx: Transaction): Failure {
  const failure = (cause: string, evidence: Array<LogRecord | undefined>, extra: Partial<Failure> = {}): Failure => {
    const out: Failure = { cause, tx, evidence: evidence.filter((r): r is LogRecord => r !== undefined), ...extra };
    const backend = backendOf(tx);
    if (backend !== undefined) out.backend = backend;
    return out;
  };
  const fetchErrors = recordsOf(tx, 'FetchError');
  // A backend that drops the connection while a request body is passed to it gives
  // `req.body read error` (the body's copy stopped) and then `backend write error`: the write is the cause.
  const fetchError = fetchErrors.find((r) => /^backend write error/.test(r.data)) ?? fetchErrors[0];
  const status = lastRecord(tx, 'BerespStatus');
  const vclError = recordsOf(tx, 'VCL_Error');
  const retries = vclError.find((r) => /^Too many retries/.test(r.data));
  if (retries) return failure('retries-exhausted', [retries], { detail: retries.data });

  const bogo = recordsOf(tx, 'BogoHeader')[0];
  if (bogo) {
    const support = [bogo, fetchError];
    const long = /^Header too long: ([^:\s]+)/.exec(bogo.data);
    if (long) return failure('resp-header-too-long', support, { header: long[1]! });
    const many = /^Too many headers: ([^:\s]+)/.exec(bogo.data);
    if (many) return failure('resp-too-many-headers', support, { header: many[1]! });
    return failure('backend-invalid-response', support, { detail: bogo.data });
  }
  if (fetchError) {
    const cause = causeOfFetchError(fetchError.data);
    const close = lastRecord(tx, 'BackendClose');
    if (cause === 'backend-invalid-response') return failure(cause, [fetchError, ...recordsOf(tx, 'HttpGarbage').slice(0, 1)], { detail: fetchError.data });
    if (cause === 'resp-headers-overflow') return failure(cause, [fetchError, close], { detail: fetchError.data });
    if (cause === 'first-byte-timeout' || cause === 'between-bytes-timeout') {
      const waited = waitedOf(tx);
      return failure(cause, [fetchError], { detail: fetchError.data, ...(waited !== undefined ? { waited } : {}) });
    }
    if (cause) return failure(cause, [fetchError], { detail: fetchError.data });
  }
  const error = recordsOf(tx, 'Error').find((r) => /content-range|304 response|Body cannot be fetched/i.test(r.data));
  if (error) return failure(/Body cannot be fetched/i.test(error.data) ? 'backend-body-error' : 'backend-invalid-response', [error], { detail: error.data });
  const failed = tx.records.find((r) => r.tag === 'VCL_return' && r.data === 'fail');
  if (vclError.length > 0 || failed) {
    const ws = vclError.find((r) => /workspace/i.test(r.data));
    if (ws) return failure('workspace-overflow', [ws], { detail: ws.data });
    return failure('vcl-failure', [...vclError.slice(0, 2), ...(failed ? [failed] : [])], vclError[0] ? { detail: vclError[0].data } : {});
  }
  if (fetchError) return failure('unknown-cause', [fetchError], { detail: fetchError.data });
  // No fault of Varnish: the 503 came from the backend and vcl_backend_response saw it.
  const calls = recordsOf(tx, 'VCL_call');
  if (status?.data === '503' && calls.some((c) => c.data === 'BACKEND_RESPONSE') && !calls.some((c) => c.data === 'BACKEND_ERROR')) {
    return failure('backend-answered-503', [status, lastRecord(tx, 'BerespReason')]);
  }
  return failure('unknown-cause', [status ?? tx.records[0]]);
}

/** True when a backend fetch failed: it ran vcl_backend_error or ended in 503, and was not retried. */
function fetchFailed(tx: Transaction): boolean {
  const lastReturn = lastRecord(tx, 'VCL_return');
  if (lastReturn?.data === 'retry') return false;
  if (recordsOf(tx, 'VCL_call').some((c) => c.data === 'BACKEND_ERROR')) return true;
  const status = lastRecord(tx, 'BerespStatus');
  if (status) return status.data === '503';
  // A capture cut before the status: the error lines decide.
  return recordsOf(tx, 'FetchError').length > 0 || recordsOf(tx, 'VCL_Error').length > 0;
}

/** The backend fetches a client request started (`Link bereq N fetch|pass`). */
function linkedFetches(tx: Transaction): number[] {
  return recordsOf(tx, 'Link')
    .map((r) => /^bereq (\d+)/.exec(r.data))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]));
}

/** What is kept of a backend fetch once it is finished: whether it failed and the retries it started. */
interface FetchSummary {
  failed: boolean;
  links: number[];
}

/**
 * The fetches `links` name and the retries they started in turn (`Link
 * bereq N retry`), as far as the capture has them so far; `missing` are the
 * vxids not (yet) seen.
 */
function reachedFetches(links: readonly number[], fetches: ReadonlyMap<number, FetchSummary>): { reached: FetchSummary[]; missing: number[] } {
  const reached: FetchSummary[] = [];
  const missing: number[] = [];
  const todo = [...links];
  const seen = new Set<number>();
  while (todo.length > 0) {
    const vxid = todo.pop()!;
    if (seen.has(vxid)) continue;
    seen.add(vxid);
    const f = fetches.get(vxid);
    if (!f) {
      missing.push(vxid);
      continue;
    }
    reached.push(f);
    todo.push(...f.links);
  }
  return { reached, missing };
}

/** The cause of a client request answered with a 5xx that no failed fetch explains, or undefined when nothing is wrong. */
function diagnoseRequest(tx: Transaction, fetches: ReadonlyMap<number, FetchSummary>): Failure | undefined {
  const status = lastRecord(tx, 'RespStatus');
  if (!status || !/^5\d\d$/.test(status.data)) return undefined;
  const links = linkedFetches(tx);
  if (reachedFetches(links, fetches).reached.some((f) => f.failed)) return undefined;
  const reason = lastRecord(tx, 'RespReason');
  const vclError = recordsOf(tx, 'VCL_Error');
  const failed = tx.records.find((r) => r.tag === 'VCL_return' && r.data === 'fail');
  const ws = [...vclError, ...recordsOf(tx, 'Error')].find((r) => /workspace/i.test(r.data));
  if (ws) return { cause: 'workspace-overflow', tx, evidence: [ws, status], detail: ws.data };
  if (vclError.length > 0 || failed) {
    return { cause: 'vcl-failure', tx, evidence: [...vclError.slice(0, 2), ...(failed ? [failed] : []), status], ...(vclError[0] ? { detail: vclError[0].data } : {}) };
  }
  const synth = tx.records.find((r) => r.tag === 'VCL_return' && /^synth\b/.test(r.data));
  if (synth) {
    const words = [reason, ...recordsOf(tx, 'VCL_Log')].find((r) => r !== undefined && THROTTLE_WORDS.test(r.data));
    if (words) return { cause: 'client-rate-limited-5xx', tx, evidence: [status, words], detail: words.data };
  }
  if (status.data !== '503') return undefined;
  const missing = links.find((v) => !fetches.has(v));
  if (missing !== undefined) {
    return { cause: 'unknown-cause', tx, evidence: [status, ...(reason ? [reason] : [])], detail: `its backend fetch (transaction ${missing}) is not in the capture` };
  }
  const hit = lastRecord(tx, 'Hit');
  if (hit) return { cause: 'backend-answered-503', tx, evidence: [hit, status], detail: 'a 503 from the backend, served from the cache' };
  return { cause: 'unknown-cause', tx, evidence: [status, ...(synth ? [synth] : []), ...(reason ? [reason] : [])], ...(synth ? { detail: 'VCL answered with synth(503)' } : {}) };
}

const MAX_LISTED = 5;

function pushDistinct(list: string[], value: string | undefined): void {
  if (value !== undefined && value !== '' && !list.includes(value) && list.length < MAX_LISTED) list.push(value);
}

/** The URL of a failed transaction: its own, or its client request's. */
function urlOf(tx: Transaction): string | undefined {
  return (lastRecord(tx, 'BereqURL') ?? lastRecord(tx, 'ReqURL'))?.data;
}

/** A finding while failures are still being added: the first and last failure in capture order. */
interface Tally {
  finding: Finding;
  firstAt: number;
  lastAt: number;
  lastEvidence?: Evidence;
}

/**
 * Names the causes of a capture's failures while its transactions are read:
 * give it each transaction once it is finished ({@link CaptureReader}'s
 * `finished`), in any order, then call {@link finish}. It keeps only what
 * later transactions may need: a short summary of each backend fetch (did
 * it fail, which retries did it start) and the client requests answered
 * with a 5xx whose fetches have not been read yet (in `-g request` output a
 * request is printed before its fetch). Never throws.
 */
export class CaptureClassifier {
  private readonly fetches = new Map<number, FetchSummary>();
  /** 5xx client requests waiting for a fetch, by the vxid they wait for. */
  private readonly waiting = new Map<number, Transaction[]>();
  private readonly pending = new Set<Transaction>();
  private readonly tallies = new Map<string, Tally>();

  /** Takes one finished transaction. */
  add(tx: Transaction): void {
    if (tx.kind === 'bereq') {
      const failed = fetchFailed(tx);
      if (tx.vxid !== undefined) {
        this.fetches.set(tx.vxid, { failed, links: linkedFetches(tx) });
      }
      if (failed) this.fold(diagnoseFetch(tx));
      if (tx.vxid !== undefined) this.wake(tx.vxid);
    } else if (tx.kind === 'request') {
      const status = lastRecord(tx, 'RespStatus');
      if (status && /^5\d\d$/.test(status.data)) this.judge(tx, false);
    }
  }

  /** The findings: one per cause, in the order of {@link CAUSES}. Requests still waiting are judged with what the capture had. */
  finish(): Finding[] {
    for (const tx of [...this.pending]) this.judge(tx, true);
    this.pending.clear();
    this.waiting.clear();
    return CAUSES.map((c) => this.tallies.get(c.id))
      .filter((t): t is Tally => t !== undefined)
      .map((t) => (t.finding.count > 1 && t.lastEvidence ? { ...t.finding, lastEvidence: t.lastEvidence } : t.finding));
  }

  /** Judges a 5xx client request now, or (unless `final`) waits for the fetches it names that are not read yet. */
  private judge(tx: Transaction, final: boolean): void {
    const { reached, missing } = reachedFetches(linkedFetches(tx), this.fetches);
    if (reached.some((f) => f.failed)) {
      // A failed fetch explains this answer; it is already counted.
      this.pending.delete(tx);
      return;
    }
    if (!final && missing.length > 0) {
      this.pending.add(tx);
      for (const vxid of missing) {
        const list = this.waiting.get(vxid);
        if (!list) this.waiting.set(vxid, [tx]);
        else if (!list.includes(tx)) list.push(tx);
      }
      return;
    }
    this.pending.delete(tx);
    const failure = diagnoseRequest(tx, this.fetches);
    if (failure) this.fold(failure);
  }

  private wake(vxid: number): void {
    const list = this.waiting.get(vxid);
    if (!list) return;
    this.waiting.delete(vxid);
    for (const tx of list) if (this.pending.has(tx)) this.judge(tx, false);
  }

  private fold(f: Failure): void {
    const at = { ...(f.tx.vxid !== undefined ? { vxid: f.tx.vxid } : {}), line: f.evidence[0]?.line ?? f.tx.line };
    const order = f.tx.line;
    let tally = this.tallies.get(f.cause);
    if (!tally) {
      tally = {
        finding: { cause: f.cause, count: 0, first: at, last: at, evidence: f.evidence.map(quote), backends: [], headers: [], urls: [], details: [], sides: [] },
        firstAt: order,
        lastAt: order,
      };
      this.tallies.set(f.cause, tally);
    }
    const finding = tally.finding;
    finding.count++;
    // Transactions finish in another order than they start: first and last are by where they start.
    if (order < tally.firstAt) {
      tally.firstAt = order;
      finding.first = at;
      finding.evidence = f.evidence.map(quote);
    }
    if (order >= tally.lastAt) {
      tally.lastAt = order;
      finding.last = at;
      if (f.evidence[0]) tally.lastEvidence = quote(f.evidence[0]);
    }
    pushDistinct(finding.backends, f.backend);
    pushDistinct(finding.headers, f.header);
    pushDistinct(finding.urls, urlOf(f.tx));
    pushDistinct(finding.details, f.detail);
    pushDistinct(finding.sides, f.tx.kind === 'bereq' ? 'backend' : f.tx.kind === 'request' ? 'client' : undefined);
    if (f.waited !== undefined) finding.waited = Math.max(finding.waited ?? 0, f.waited);
  }
}

/**
 * The findings of a capture read into memory: one per cause, in the order
 * of {@link CAUSES}, each summing up every failed transaction of that
 * cause. Never throws.
 */
export function classifyCapture(capture: Capture): Finding[] {
  const classifier = new CaptureClassifier();
  for (const tx of capture.transactions) classifier.add(tx);
  return classifier.finish();
}
