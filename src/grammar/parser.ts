/**
 * {@link LineParser}: envelope detection, message-grammar dispatch by program name, syslog repeat handling and
 * counters. Also the one-off {@link parseLine} and the streaming {@link parseLines}.
 *
 * @module
 */
import { emptyRecord } from './record.js';
import type { LogRecord } from './record.js';
import type { Envelope, ParseCounters, ParseOptions } from './types.js';
import { GrammarRegistry, sharedDefaultRegistry } from './registry.js';
import { StreamClock } from './time.js';
import { parsePamBody } from './messages/pam.js';
import { parseUint, skipDigits } from './scan.js';


/** Earliest timestamp a record may carry (1970-01-01T00:00:00Z); earlier stamps become `implausible-timestamp`. */
export const PLAUSIBLE_TIME_MIN = 0;
/** First timestamp past the plausible range (2200-01-01T00:00:00Z). */
export const PLAUSIBLE_TIME_END = Date.UTC(2200, 0, 1);

/** Duck-typed so a registry from the other build (ESM vs CommonJS copy of the package) is accepted too. */
function isRegistry(r: unknown): r is GrammarRegistry {
  if (r instanceof GrammarRegistry) return true;
  const o = r as Partial<Record<'envelopesFor' | 'grammarsFor' | 'genericGrammars' | 'envelope' | 'envelopeNames', unknown>> | null;
  return (
    o !== null &&
    typeof o === 'object' &&
    typeof o.envelopesFor === 'function' &&
    typeof o.grammarsFor === 'function' &&
    typeof o.genericGrammars === 'function' &&
    typeof o.envelope === 'function' &&
    typeof o.envelopeNames === 'function'
  );
}

function emptyCounters(): ParseCounters {
  return {
    lines: 0,
    parsed: 0,
    unknown: 0,
    malformed: 0,
    malformedByReason: Object.create(null) as Record<string, number>,
    byAction: Object.create(null) as Record<string, number>,
    byEnvelope: Object.create(null) as Record<string, number>,
  };
}

/**
 * A stateful parser for one stream of lines. It numbers lines from 1, keeps the year state for year-less
 * timestamps (so Dec 31 → Jan 1 moves forward a year), and counts. Parsing never throws on any input line.
 *
 * @example
 * ```ts
 * const parser = new LineParser({ year: 2026, timezone: 'Europe/Berlin' });
 * const records = parser.parseBatch(lines);
 * console.log(parser.counters.byAction);
 * ```
 */
export class LineParser {
  /** Counters since construction. */
  readonly counters: ParseCounters = emptyCounters();
  private readonly registry: GrammarRegistry;
  private readonly clock: StreamClock;
  private readonly forced: Envelope | null;
  private lineNo = 0;

  /** @throws Error naming the option when `year`, `timezone`, `envelope` or `registry` is invalid. */
  constructor(options: ParseOptions = {}) {
    if (options === null || typeof options !== 'object') throw new Error('Invalid options: expected an object');
    const reg = options.registry ?? sharedDefaultRegistry();
    if (!isRegistry(reg)) throw new Error('Invalid option registry: expected a GrammarRegistry (see defaultRegistry())');
    this.registry = reg;
    this.clock = new StreamClock(options.timezone ?? 'UTC', options.year);
    const env = options.envelope ?? 'auto';
    if (env === 'auto') this.forced = null;
    else {
      const e = typeof env === 'string' ? reg.envelope(env) : undefined;
      if (e === undefined) {
        throw new Error(`Invalid option envelope: ${JSON.stringify(env)} (allowed: 'auto', ${reg.envelopeNames().map((x) => `'${x}'`).join(', ')})`);
      }
      this.forced = e;
    }
  }

  /** Number of lines parsed so far (the last assigned line number). */
  get lineCount(): number {
    return this.lineNo;
  }

  /** Parses one line (a trailing `\n` / `\r\n` and a leading byte-order mark are removed). Always returns a record. */
  parse(line: string): LogRecord {
    if (typeof line !== 'string') line = line === null || line === undefined ? '' : String(line);
    let n = line.length;
    while (n > 0) {
      const c = line.charCodeAt(n - 1);
      if (c !== 10 && c !== 13) break;
      n--;
    }
    if (n !== line.length) line = line.slice(0, n);
    if (line.charCodeAt(0) === 0xfeff) line = line.slice(1); // byte-order mark at the start of a file
    const rec = emptyRecord(++this.lineNo, line);
    const counters = this.counters;
    counters.lines++;

    // 1. envelope
    let envName: string | null = null;
    if (this.forced !== null) {
      if (this.safeEnvelope(this.forced, line, rec)) envName = this.forced.name;
    } else {
      const list = this.registry.envelopesFor(line.charCodeAt(0));
      for (let i = 0; i < list.length; i++) {
        if (this.safeEnvelope(list[i], line, rec)) {
          envName = list[i].name;
          break;
        }
      }
    }
    if (envName === null) {
      if (rec.malformed === null) rec.malformed = line.length === 0 ? 'empty-line' : 'no-envelope';
    } else {
      rec.envelope = envName;
      const t = rec.timestamp;
      // a stamp before 1970 or after 2199 is garbage or forged (year 0000 / 9999): keep the line, drop the time
      if (t !== null && !(t >= PLAUSIBLE_TIME_MIN && t < PLAUSIBLE_TIME_END)) {
        rec.timestamp = null;
        if (rec.malformed === null) rec.malformed = 'implausible-timestamp';
      }
    }

    // 2. message
    this.parseMessage(rec);

    // 3. counters
    const action = rec.action;
    if (action === 'unknown') counters.unknown++;
    else counters.parsed++;
    counters.byAction[action] = (counters.byAction[action] ?? 0) + 1;
    const ek = envName ?? 'none';
    counters.byEnvelope[ek] = (counters.byEnvelope[ek] ?? 0) + 1;
    if (rec.malformed !== null) {
      counters.malformed++;
      counters.malformedByReason[rec.malformed] = (counters.malformedByReason[rec.malformed] ?? 0) + 1;
    }
    return rec;
  }

  /** Parses a batch of lines; returns one record per line, in order. */
  parseBatch(lines: readonly string[]): LogRecord[] {
    const out = new Array<LogRecord>(lines.length);
    for (let i = 0; i < lines.length; i++) out[i] = this.parse(lines[i]);
    return out;
  }

  private safeEnvelope(e: Envelope, line: string, rec: LogRecord): boolean {
    let ok = false;
    try {
      ok = e.parse(line, rec, this.clock) === true;
    } catch {
      rec.malformed = 'envelope-error';
      ok = false;
    }
    if (!ok) {
      rec.timestamp = null;
      rec.hostName = null;
      rec.processName = null;
      rec.processPid = null;
      rec.message = line;
    }
    return ok;
  }

  private parseMessage(rec: LogRecord): void {
    let msg = rec.message;
    // syslog repeat wrappers
    if (msg.charCodeAt(0) === 108 && msg.startsWith('last message repeated ')) {
      const q = skipDigits(msg, 22);
      if (q > 22) {
        const n = parseUint(msg, 22, q);
        rec.action = 'repeat_last';
        rec.repeat = n;
        rec.count = n;
        return;
      }
    } else if (msg.charCodeAt(0) === 109 && msg.startsWith('message repeated ')) {
      const q = skipDigits(msg, 17);
      if (q > 17 && msg.startsWith(' times: [', q)) {
        let e = msg.length;
        while (e > q && msg.charCodeAt(e - 1) === 32) e--;
        if (msg.charCodeAt(e - 1) === 93) e--;
        let s = q + 9;
        if (msg.charCodeAt(s) === 32) s++;
        rec.repeat = parseUint(msg, 17, q);
        msg = msg.slice(s, e);
      }
    }
    let prog = rec.processName;
    // old "sshd(pam_unix)" program form
    if (prog !== null && prog.charCodeAt(prog.length - 1) === 41) {
      const open = prog.indexOf('(');
      if (open > 0 && prog.startsWith('pam_', open + 1)) {
        const module = prog.slice(open + 1, prog.length - 1);
        prog = prog.slice(0, open);
        rec.processName = prog;
        rec.pamService = prog;
        try {
          parsePamBody(module, msg, 0, rec);
        } catch {
          rec.action = 'unknown';
          if (rec.malformed === null) rec.malformed = 'grammar-error';
        }
        if (rec.count === null && rec.repeat !== 1) rec.count = rec.repeat;
        return;
      }
    }
    let matched = false;
    try {
      if (prog !== null) {
        const list = this.registry.grammarsFor(prog);
        for (let i = 0; i < list.length && !matched; i++) matched = list[i].parse(msg, rec) === true;
      }
      if (!matched) {
        const list = this.registry.genericGrammars();
        for (let i = 0; i < list.length && !matched; i++) matched = list[i].parse(msg, rec) === true;
      }
    } catch {
      matched = false;
      if (rec.malformed === null) rec.malformed = 'grammar-error';
    }
    if (!matched) rec.action = 'unknown';
    if (rec.count === null && rec.repeat !== 1) rec.count = rec.repeat;
  }
}

/** Parses a single line with a throw-away parser (year inference applies per call). */
export function parseLine(line: string, options?: ParseOptions): LogRecord {
  return new LineParser(options).parse(line);
}

const STRING_BATCH = 1024;

/**
 * Parses a stream: each item is one line or a batch of lines; yields batches of records (one record per input line,
 * in input order). Single-line items of a synchronous source are grouped into batches of up to 1024 (those of an
 * asynchronous source are emitted as they arrive, so a live tail is not delayed). Pass a {@link LineParser} instead of
 * options to read its `counters` afterwards (or to continue line numbering and year state across sources).
 *
 * @example
 * ```ts
 * const parser = new LineParser({ year: 2026 });
 * for await (const batch of parseLines(readLines(['auth.log']), parser)) handle(batch);
 * console.error(parser.counters);
 * ```
 */
export async function* parseLines(
  source: AsyncIterable<string | readonly string[]> | Iterable<string | readonly string[]>,
  options?: ParseOptions | LineParser,
): AsyncIterable<LogRecord[]> {
  const parser =
    options instanceof LineParser || (options !== undefined && typeof (options as unknown as LineParser).parseBatch === 'function')
      ? (options as unknown as LineParser)
      : new LineParser(options as ParseOptions | undefined);
  // Single lines from a synchronous source are grouped; from an asynchronous source (a live tail) each one is
  // emitted at once, so records never wait for lines that have not arrived yet.
  const group = typeof (source as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] !== 'function';
  let pending: string[] = [];
  for await (const item of source as AsyncIterable<string | readonly string[]>) {
    if (typeof item === 'string') {
      pending.push(item);
      if (!group || pending.length >= STRING_BATCH) {
        yield parser.parseBatch(pending);
        pending = [];
      }
      continue;
    }
    if (pending.length > 0) {
      yield parser.parseBatch(pending);
      pending = [];
    }
    if (item.length > 0) yield parser.parseBatch(item);
  }
  if (pending.length > 0) yield parser.parseBatch(pending);
}
