/**
 * High-precision ISO 8601 envelope: rsyslog `RSYSLOG_FileFormat`
 * (`2026-03-04T09:15:02.123456+00:00 host prog[pid]: msg`) and `journalctl -o short-iso` / `short-iso-precise`
 * (`2026-03-04T09:15:02+0100 host prog[pid]: msg`). Stamps without offset use the timezone option.
 *
 * @module
 */
import type { LogRecord } from '../record.js';
import type { Envelope } from '../types.js';
import type { TimeResolver } from '../time.js';
import { isoEnd, readIsoTimestamp } from './iso.js';
import { finishHostTag } from './tag.js';

function parseIso(line: string, rec: LogRecord, time: TimeResolver): boolean {
  const t = readIsoTimestamp(line, 0, time);
  if (Number.isNaN(t)) return false;
  const i = isoEnd.index;
  if (i < line.length && line.charCodeAt(i) !== 32) return false;
  rec.timestamp = t;
  return finishHostTag(line, i, rec);
}

/** The ISO 8601 envelope. */
export const iso8601Envelope: Envelope = {
  name: 'iso8601',
  firstChars: '0123456789',
  parse: parseIso,
};
