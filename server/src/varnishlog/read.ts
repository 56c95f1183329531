/**
 * Reads the text that `varnishlog` prints into transactions of log records.
 *
 * Every layout varnishlog 6.5 to 9.0 writes is read: the grouped ones
 * (`-g vxid`, the default, and `-g request` / `-g session`, where a child
 * transaction is written after its parent with one more `*` in its header
 * and one more `-` before each record, `*4*` / `-4-` beyond three levels),
 * verbose grouped lines (`-v`, with the vxid and the `c`/`b` side on each
 * record) and `-g raw`, one record per line with its vxid first, where the
 * records of concurrent transactions interleave.
 *
 * Captures reach the tool pasted from terminals and forums: cut at any
 * point, started in the middle of a transaction, mixed with shell prompts
 * or concatenated from several runs. Whatever cannot be read as a record
 * is counted and skipped; records without a header are kept in a
 * transaction of their own. Reading never throws.
 */

/** One log record: tag and payload as varnishlog printed them, on 0-based `line`. */
export interface LogRecord {
  tag: string;
  data: string;
  line: number;
}

/** The side a transaction belongs to, from its header or its `Begin` record. */
export type TransactionKind = 'request' | 'bereq' | 'session' | 'unknown';

/** One transaction, with its records in the order they were printed. */
export interface Transaction {
  /** The transaction id (vxid); undefined when the capture starts inside it and never names it. */
  vxid?: number;
  kind: TransactionKind;
  /** Nesting level in `-g request` / `-g session` output (1 = top); 0 for `-g raw`. */
  level: number;
  /** The parent's vxid and why this transaction began (`fetch`, `bgfetch`, `retry`, `rxreq`, `esi`, ...), from `Begin`. */
  parent?: number;
  reason?: string;
  records: LogRecord[];
  /** The line of the header (or of the first record when there is none). */
  line: number;
  /** True once the `End` record was read: the capture holds the whole transaction. */
  complete: boolean;
}

/** What reading a capture gave. */
export interface Capture {
  transactions: Transaction[];
  /** Records read, and records whose tag is one varnishd writes (a capture has many; prose has none). */
  records: number;
  knownRecords: number;
  /** Transaction headers read (`*   << Request  >> 2`). */
  headers: number;
  /** Non-blank lines that are not log records or headers, and the first of them. */
  unreadLines: number;
  firstUnreadLine?: number;
}

/**
 * Tags of the shared memory log that the recognition counts on: frequent in
 * any capture and unlikely in other text. Other tags are read all the same.
 */
const KNOWN_TAGS = new Set([
  'Begin', 'End', 'Link', 'Timestamp', 'VCL_use', 'VCL_call', 'VCL_return', 'VCL_Error', 'VCL_Log', 'VCL_acl',
  'ReqStart', 'ReqMethod', 'ReqURL', 'ReqProtocol', 'ReqHeader', 'ReqUnset', 'ReqAcct',
  'RespProtocol', 'RespStatus', 'RespReason', 'RespHeader', 'RespUnset',
  'BereqMethod', 'BereqURL', 'BereqProtocol', 'BereqHeader', 'BereqUnset', 'BereqAcct',
  'BerespProtocol', 'BerespStatus', 'BerespReason', 'BerespHeader', 'BerespUnset',
  'BackendOpen', 'BackendClose', 'BackendReuse', 'BackendStart', 'FetchError', 'BogoHeader', 'HttpGarbage',
  'Fetch_Body', 'Storage', 'Length', 'TTL', 'Hit', 'HitMiss', 'HitPass', 'Filters', 'Gzip', 'Error',
  'SessOpen', 'SessClose', 'Debug', 'CLI', 'Notice', 'LostHeader', 'ObjProtocol', 'ObjStatus', 'ObjReason',
  'ObjHeader', 'ExpKill', 'ExpBan', 'Backend_health', 'PipeAcct', 'Proxy', 'VSL', 'H2RxHdr', 'H2TxHdr',
]);

// A grouped header: `*   << Request  >> 32770`, `**  << BeReq    >> 3`, `*4* << ...`; verbose ones put spaces before the vxid.
const HEADER = /^\s*(\*{1,3}|\*\d+\*)\s+<<\s*([A-Za-z]+)\s*>>\s+(\d+)/;
// A grouped record: `-   Begin          req 1 rxreq`; verbose: `-            2 Begin          c req 1 rxreq`.
const GROUPED = /^\s*(-{1,3}|-\d+-)\s+(?:(\d+)\s+)?([A-Za-z][A-Za-z0-9_]*)(?:\s+(.*))?$/;
// A `-g raw` record: `     32770 Begin          c req 32769 rxreq` (vxid, tag, side, payload).
const RAW = /^\s*(\d+)\s+([A-Za-z][A-Za-z0-9_]*)\s+([cb-])(?:\s(.*))?$/;
const NOT_SPACE = /\S/;
const STAR = 0x2a;
const DASH = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const VERBOSE_SIDE = /^([cb-])(?:\s+(.*))?$/;

/** Nesting level written as `*`, `**`, `***` or `*4*` (and `-`, `--`, `---`, `-4-`). */
function levelOf(marks: string): number {
  // The patterns that matched allow only `*`, `**`, `***` or `*N*` (and the same with `-`): a digit second means `*N*`.
  const second = marks.charCodeAt(1);
  return second >= DIGIT_0 && second <= DIGIT_9 ? Number(marks.slice(1, -1)) : marks.length;
}

function kindOfHeader(word: string): TransactionKind {
  switch (word.toLowerCase()) {
    case 'request':
      return 'request';
    case 'bereq':
      return 'bereq';
    case 'session':
      return 'session';
    default:
      return 'unknown';
  }
}

/** The kind a `Begin` record names (`req 1 rxreq`, `bereq 2 fetch`, `sess 0 HTTP/1`). */
function kindOfBegin(data: string): TransactionKind | undefined {
  const word = data.split(/\s+/, 1)[0];
  return word === 'req' ? 'request' : word === 'bereq' ? 'bereq' : word === 'sess' ? 'session' : undefined;
}

/** Tags that only one side writes: what a headless fragment is taken for. */
function kindOfTag(tag: string): TransactionKind | undefined {
  if (/^(Bereq|Beresp|Backend|Fetch|Bogo|HttpGarbage)/.test(tag)) return 'bereq';
  if (/^(Req|Resp|Hit)/.test(tag)) return 'request';
  return undefined;
}

/** Where a reader hands each transaction: when it starts (in capture order) and once no more records can join it. */
export interface CaptureSink {
  started?(tx: Transaction): void;
  finished?(tx: Transaction): void;
}

/**
 * Reads a capture piece by piece, so a capture of any size costs the memory
 * of its open transactions, not of its text: `write` takes text in pieces
 * cut anywhere (inside a line, between `\r` and `\n`), `end` reads what is
 * left and finishes every transaction still open. A transaction is
 * finished at its `End` record (nothing joins it afterwards) or at the end
 * of the capture. Never throws.
 */
export class CaptureReader {
  /** Counts of what was read (`transactions` stays empty: the sink has them). */
  readonly capture: Capture = { transactions: [], records: 0, knownRecords: 0, headers: 0, unreadLines: 0 };
  private lineNo = 0;
  /** The text after the last line break of the pieces written so far. */
  private rest = '';
  /** A piece ended in `\r`: a `\n` starting the next one belongs to that break. */
  private afterCr = false;
  private ended = false;
  // The transactions that records of each nesting level go to (grouped layouts).
  private open: Transaction[] = [];
  // Transactions of `-g raw` that have not ended yet, by vxid: their records interleave.
  private readonly rawOpen = new Map<number, Transaction>();
  /** Transactions without their End record yet, finished at the end of the capture. */
  private readonly unfinished = new Set<Transaction>();
  private lengths = new Uint32Array(1024);

  constructor(private readonly sink: CaptureSink = {}) {}

  /** Lines read so far (the last one counts once `end` is called). */
  get lineCount(): number {
    return this.lineNo;
  }

  /** The length of 0-based line `line` in UTF-16 units, or 0 beyond the lines read. */
  lineLength(line: number): number {
    return line < this.lineNo ? this.lengths[line]! : 0;
  }

  /** Reads the next piece of the capture. */
  write(piece: string): void {
    if (this.ended || piece.length === 0) return;
    let from = 0;
    if (this.afterCr && piece.charCodeAt(0) === 10) from = 1;
    this.afterCr = false;
    const breaks = /\r\n|\r|\n/g;
    breaks.lastIndex = from;
    let m: RegExpExecArray | null;
    while ((m = breaks.exec(piece)) !== null) {
      const line = this.rest + piece.slice(from, m.index);
      this.rest = '';
      from = m.index + m[0].length;
      // A `\r` at the very end may be the first half of a `\r\n` cut between two pieces.
      if (m[0] === '\r' && from === piece.length) this.afterCr = true;
      this.line(line);
    }
    this.rest += piece.slice(from);
  }

  /** Reads the last line and finishes every transaction still open. */
  end(): Capture {
    if (this.ended) return this.capture;
    this.ended = true;
    // Like splitting the whole text: a text that ends in a line break still has an empty last line.
    this.line(this.rest);
    this.rest = '';
    for (const tx of [...this.unfinished]) this.finish(tx);
    this.rawOpen.clear();
    this.open = [];
    return this.capture;
  }

  private start(line: number, level: number, kind: TransactionKind, vxid?: number): Transaction {
    const tx: Transaction = { kind, level, records: [], line, complete: false };
    if (vxid !== undefined) tx.vxid = vxid;
    this.unfinished.add(tx);
    this.sink.started?.(tx);
    return tx;
  }

  /** Hands on a transaction that no record can join any more. */
  private finish(tx: Transaction): void {
    if (this.unfinished.delete(tx)) this.sink.finished?.(tx);
  }

  /** Ends the grouped transactions from nesting level `from + 1` down: no record can reach them afterwards. */
  private close(from: number): void {
    if (this.open.length <= from) return;
    for (const tx of this.open.slice(from)) if (tx) this.finish(tx);
    this.open.length = from;
  }

  private add(tx: Transaction, tag: string, data: string, line: number): void {
    const capture = this.capture;
    tx.records.push({ tag, data, line });
    capture.records++;
    if (KNOWN_TAGS.has(tag)) capture.knownRecords++;
    if (tag === 'Begin') {
      const kind = kindOfBegin(data);
      if (kind) tx.kind = kind;
      const m = /^\S+\s+(\d+)\s+(\S+)/.exec(data);
      if (m) {
        tx.parent = Number(m[1]);
        tx.reason = m[2]!;
      }
    } else if (tag === 'End') {
      tx.complete = true;
      this.finish(tx);
    } else if (tx.kind === 'unknown') {
      tx.kind = kindOfTag(tag) ?? 'unknown';
    }
  }

  private line(line: string): void {
    const i = this.lineNo++;
    if (i >= this.lengths.length) {
      const grown = new Uint32Array(this.lengths.length * 2);
      grown.set(this.lengths);
      this.lengths = grown;
    }
    this.lengths[i] = line.length;
    const capture = this.capture;
    const first = line.search(NOT_SPACE);
    if (first < 0) {
      // A blank line ends a group: what follows belongs to a new one.
      this.close(0);
      return;
    }
    // The first visible character tells which of the three patterns can match: each line is tried against one.
    const lead = line.charCodeAt(first);
    const header = lead === STAR ? HEADER.exec(line) : null;
    if (header) {
      capture.headers++;
      const level = levelOf(header[1]!);
      this.close(level - 1);
      this.open[level - 1] = this.start(i, level, kindOfHeader(header[2]!), Number(header[3]));
      return;
    }
    const grouped = lead === DASH ? GROUPED.exec(line) : null;
    if (grouped) {
      const level = levelOf(grouped[1]!);
      const tag = grouped[3]!;
      let data = grouped[4] ?? '';
      if (grouped[2] !== undefined) {
        // Verbose: the vxid is printed on the line, then the tag, then the side letter.
        const side = VERBOSE_SIDE.exec(data);
        if (side) data = side[2] ?? '';
      }
      let tx = this.open[level - 1] ?? this.open[this.open.length - 1];
      if (!tx || tx.complete) {
        // A record without its header (a capture cut at its start, or after an End): keep it apart.
        this.close(level - 1);
        tx = this.start(i, level, 'unknown', grouped[2] !== undefined ? Number(grouped[2]) : undefined);
        this.open[level - 1] = tx;
      }
      this.add(tx, tag, data.trimEnd(), i);
      return;
    }
    const raw = lead >= DIGIT_0 && lead <= DIGIT_9 ? RAW.exec(line) : null;
    if (raw) {
      this.close(0);
      const vxid = Number(raw[1]);
      const tag = raw[2]!;
      const side = raw[3]!;
      if (vxid === 0) {
        // Records of no transaction (CLI, Backend_health): counted, not kept, since a live
        // server writes them for as long as the capture runs.
        capture.records++;
        if (KNOWN_TAGS.has(tag)) capture.knownRecords++;
        return;
      }
      let tx = this.rawOpen.get(vxid);
      if (!tx || tx.complete || tag === 'Begin') {
        if (tx && !tx.complete) this.finish(tx);
        tx = this.start(i, 0, side === 'b' ? 'bereq' : 'unknown', vxid);
        this.rawOpen.set(vxid, tx);
      }
      this.add(tx, tag, (raw[4] ?? '').trimEnd(), i);
      if (tx.complete) this.rawOpen.delete(vxid);
      return;
    }
    capture.unreadLines++;
    capture.firstUnreadLine ??= i;
  }
}

/**
 * Reads a whole capture into memory; never throws. `text` may hold several
 * captures one after the other and any layout varnishlog prints. For large
 * captures use {@link CaptureReader}, which keeps no finished transaction.
 */
export function readCapture(text: string): Capture {
  const transactions: Transaction[] = [];
  const reader = new CaptureReader({ started: (tx) => transactions.push(tx) });
  reader.write(text);
  const capture = reader.end();
  return { ...capture, transactions };
}

/**
 * Where the tag of a record line stands (grouped, verbose or raw layout),
 * or undefined for a line that is no record: the tag and its start, in
 * UTF-16 units from the start of the line.
 */
export function tagOfLine(line: string): { tag: string; start: number } | undefined {
  if (HEADER.test(line)) return undefined;
  const grouped = GROUPED_AT.exec(line);
  if (grouped) return { tag: grouped[3]!, start: grouped.indices![3]![0] };
  const raw = RAW_AT.exec(line);
  return raw ? { tag: raw[2]!, start: raw.indices![2]![0] } : undefined;
}

// The record patterns again, asked for the places of their groups (for hover).
const GROUPED_AT = new RegExp(GROUPED.source, 'd');
const RAW_AT = new RegExp(RAW.source, 'd');

/** File names that mark a varnishlog capture whatever its content. */
export function isCaptureFileName(path: string): boolean {
  return /\.(varnishlog|vsl\.txt|vsl)$/i.test(path);
}

/**
 * True when `text` reads as a varnishlog capture: a transaction header, or
 * at least three records with tags varnishd writes and more records than
 * other lines. Looks at the first 64 KB only.
 */
export function looksLikeCapture(text: string): boolean {
  const head = readCapture(text.slice(0, 64 * 1024));
  if (head.headers > 0 && head.knownRecords > 0) return true;
  return head.knownRecords >= 3 && head.records > head.unreadLines;
}

/** The last record with `tag`, or undefined. */
export function lastRecord(tx: Transaction, tag: string): LogRecord | undefined {
  for (let i = tx.records.length - 1; i >= 0; i--) if (tx.records[i]!.tag === tag) return tx.records[i];
  return undefined;
}

/** Every record with `tag`, in order. */
export function recordsOf(tx: Transaction, tag: string): LogRecord[] {
  return tx.records.filter((r) => r.tag === tag);
}
