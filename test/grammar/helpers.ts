import { LineParser } from '../../src/grammar/index.js';
import type { LogRecord } from '../../src/grammar/index.js';

/** Parses one line with year 2026, UTC. */
export function p(line: string): LogRecord {
  return new LineParser({ year: 2026, timezone: 'UTC' }).parse(line);
}

/** Parses a bare message as if logged by `program` (RFC 3164 envelope, host h1, pid 100). */
export function msg(program: string, message: string, pid: number | null = 100): LogRecord {
  const tag = pid === null ? `${program}:` : `${program}[${pid}]:`;
  return p(`Mar  4 09:15:02 h1 ${tag} ${message}`);
}

/** The non-empty fields of a record, for compact assertions. */
export function fields(r: LogRecord): Partial<LogRecord> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) {
    if (v === null || v === false) continue;
    if (k === 'line' || k === 'message' || k === 'timestamp' || k === 'envelope' || k === 'hostName') continue;
    if (k === 'repeat' && v === 1) continue;
    out[k] = v;
  }
  return out as Partial<LogRecord>;
}
