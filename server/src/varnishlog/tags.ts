/**
 * What the tags of varnishlog records mean, in a sentence each, for hover
 * on a capture. Written for someone reading a 503: the tags that explain a
 * failure say what they point at, the others just what they record. Tags
 * not listed here get no hover (varnishd has more, rarely met in a 503).
 */

/** One tag: what its record says, and for the tags that explain failures, what to look for. */
export interface TagInfo {
  /** What the record holds, as a sentence. */
  what: string;
  /** For records that explain failures: what they usually mean for a 503. */
  failure?: string;
}

const TAGS: Readonly<Record<string, TagInfo>> = {
  Begin: { what: 'Opens a transaction: its kind (`req`, `bereq`, `sess`), the vxid of the transaction that started it and why (`rxreq`, `fetch`, `bgfetch`, `pass`, `retry`, `esi`, ...).' },
  End: { what: 'Closes the transaction: every record of it comes before this one.' },
  Link: { what: 'Names a child transaction started from this one: `bereq N fetch` is the backend fetch made for this client request, `bereq N retry` a retry of a failed fetch.' },
  Timestamp: { what: 'A point in the transaction: its name, the absolute time, the seconds since the transaction began and the seconds since the previous timestamp. The gap before `Beresp` or `Error` is how long the backend took.' },
  VCL_use: { what: 'The VCL program (by its loaded name) that handles the transaction.' },
  VCL_call: { what: 'A VCL subroutine varnishd entered (`RECV`, `BACKEND_FETCH`, `BACKEND_RESPONSE`, `BACKEND_ERROR`, ...). `BACKEND_ERROR` means the fetch failed and Varnish makes the error response itself.' },
  VCL_return: { what: 'The action the subroutine returned with (`hash`, `fetch`, `deliver`, `retry`, `abandon`, ...).', failure: '`fail` ends the transaction with a VCL failure; a `VCL_Error` record before it usually says why.' },
  VCL_Error: { what: 'An error raised while VCL ran: a vmod or a built-in refused something, or the workspace ran out.', failure: 'Its text names what went wrong; the transaction fails with a 503 unless VCL handles it.' },
  VCL_Log: { what: 'A line the VCL wrote itself with `std.log()`.' },
  VCL_acl: { what: 'The result of an ACL match in VCL: `MATCH` or `NO_MATCH`, the ACL and the entry that matched.' },
  ReqStart: { what: 'Where the client request came from: client address, port and the listen address name.' },
  ReqMethod: { what: 'The method of the client request.' },
  ReqURL: { what: 'The URL of the client request (as VCL changed it, when it did).' },
  ReqProtocol: { what: 'The HTTP version of the client request.' },
  ReqHeader: { what: 'A header of the client request, as received or as VCL set it.' },
  ReqUnset: { what: 'A client request header that VCL or varnishd removed.' },
  ReqAcct: { what: 'Bytes of the client request and response: header and body received, header and body sent, and totals.' },
  RespProtocol: { what: 'The HTTP version of the response sent to the client.' },
  RespStatus: { what: 'The status sent to the client.', failure: 'A 503 here with `Backend fetch failed` as its reason comes from a failed backend fetch: read the `BeReq` transaction this request links to.' },
  RespReason: { what: 'The reason phrase sent to the client (`Backend fetch failed` for a failed fetch).' },
  RespHeader: { what: 'A header of the response sent to the client.' },
  RespUnset: { what: 'A response header that VCL or varnishd removed before sending.' },
  BereqMethod: { what: 'The method of the request sent to the backend.' },
  BereqURL: { what: 'The URL of the request sent to the backend.' },
  BereqProtocol: { what: 'The HTTP version of the request sent to the backend.' },
  BereqHeader: { what: 'A header of the request sent to the backend.' },
  BereqUnset: { what: 'A backend request header that VCL or varnishd removed.' },
  BereqAcct: { what: 'Bytes sent to and received from the backend for this fetch.' },
  BerespProtocol: { what: 'The HTTP version of the backend response.' },
  BerespStatus: { what: 'The status of the backend response; after a failed fetch, the 503 Varnish made itself.', failure: 'A 503 with a `FetchError` before it is Varnish\'s own; a 503 with no `FetchError` and `vcl_backend_response` called came from the backend itself.' },
  BerespReason: { what: 'The reason phrase of the backend response.' },
  BerespHeader: { what: 'A header of the backend response (or of the error response Varnish made).' },
  BerespUnset: { what: 'A backend response header that VCL or varnishd removed.' },
  BackendOpen: { what: 'A new connection to a backend: descriptor, backend name, its address and port, the local address and port.' },
  BackendReuse: { what: 'A connection to the backend was given back to the pool for reuse.' },
  BackendClose: { what: 'A connection to the backend was closed, with the reason (`close`, `RX_TIMEOUT`, `RX_OVERFLOW`, `REM_CLOSE`, ...).', failure: 'The close reason often confirms the cause: `RX_OVERFLOW` for headers too large, `RX_TIMEOUT` for a timeout.' },
  BackendStart: { what: 'The backend connection the fetch uses (older releases).' },
  FetchError: { what: 'Why the backend fetch failed, in varnishd\'s words.', failure: 'The key line of a 503: `http format error` (a header too long or malformed), `overflow` (headers over http_resp_size), `first byte timeout`, `HTC eof`, `backend X: fail errno ...` and so on. Each names a cause the doctor reports.' },
  BogoHeader: { what: 'A backend response header varnishd refused while reading it.', failure: '`Header too long` means a header line over http_resp_hdr_len; `Too many headers` more headers than http_max_hdr. The fetch then fails with `http format error`.' },
  HttpGarbage: { what: 'The bytes of a backend response that are not HTTP (the start of what the backend sent).', failure: 'The backend sent something that is not an HTTP response: a wrong port, TLS on a plain HTTP backend, or a crash mid-response.' },
  LostHeader: { what: 'A header that did not fit and was dropped: too many headers, or no workspace left for it.', failure: 'Raise http_max_hdr or the workspace (workspace_client or workspace_backend) the transaction uses.' },
  Error: { what: 'An error varnishd met outside VCL (storage, workspace, body handling).', failure: 'Its text says what ran out or what was refused.' },
  Storage: { what: 'The storage the object is kept in: type and name (`malloc s0`, `malloc Transient`, ...).' },
  Length: { what: 'The size of the body delivered, in bytes.' },
  TTL: { what: 'The caching times of the object (ttl, grace, keep) and where they came from (`RFC` headers or `VCL`).' },
  Hit: { what: 'The request was served from a cached object (its vxid, remaining ttl, grace and keep).', failure: 'A cached 503 is served again until it expires: see where it came from.' },
  HitMiss: { what: 'A hit on a hit-for-miss object: the request goes to the backend.' },
  HitPass: { what: 'A hit on a hit-for-pass object: the request is passed to the backend.' },
  Fetch_Body: { what: 'How the backend body is read: chunked, length, eof, none, and whether it is streamed.' },
  Filters: { what: 'The filters the body goes through (gunzip, esi, ...).' },
  Gzip: { what: 'What gzip processing did to the body: bytes in and out, and where it stopped.' },
  SessOpen: { what: 'A client connection was opened: address, port, listen address, local address and port, time and descriptor.' },
  SessClose: { what: 'A client connection was closed, with the reason and how long it lasted.' },
  Debug: { what: 'Debugging information varnishd writes (visible with the `debug` flag, or always for a few events).' },
  Notice: { what: 'A notice from varnishd or a vmod about something that is not an error.' },
  CLI: { what: 'A command on the management interface and its answer (`Rd ping`, `Wr 200 ...`): not part of any transaction.' },
  Backend_health: { what: 'A health probe result: backend, whether it is (still) healthy or sick, the probe bits, good probes against the threshold, and the response time.', failure: 'While a backend is sick, fetches to it fail with `backend X: unhealthy`.' },
  ObjProtocol: { what: 'The HTTP version stored with the cached object.' },
  ObjStatus: { what: 'The status stored with the cached object.' },
  ObjReason: { what: 'The reason phrase stored with the cached object.' },
  ObjHeader: { what: 'A header stored with the cached object.' },
  ExpKill: { what: 'An object left the cache (expired or evicted to make room).' },
  ExpBan: { what: 'A ban matched an object and removed it from the cache.' },
  PipeAcct: { what: 'Bytes copied in each direction by a piped connection.' },
  Proxy: { what: 'The client address the PROXY protocol header gave.' },
  VSL: { what: 'A note from the log reader itself (records lost or a query problem), not from varnishd.' },
  H2RxHdr: { what: 'An HTTP/2 frame header received.' },
  H2TxHdr: { what: 'An HTTP/2 frame header sent.' },
};

/** What a tag means, or undefined for a tag this table does not describe. */
export function tagInfo(tag: string): TagInfo | undefined {
  return Object.prototype.hasOwnProperty.call(TAGS, tag) ? TAGS[tag] : undefined;
}
