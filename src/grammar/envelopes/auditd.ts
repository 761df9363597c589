/**
 * Raw auditd envelope for lines of `/var/log/audit/audit.log`: `[node=HOST ]type=T msg=audit(EPOCH:SERIAL): ...`.
 * It takes the time from the audit stamp and the host from `node=`; the message (from `type=`) goes to the auditd
 * message grammar.
 *
 * @module
 */
import type { LogRecord } from '../record.js';
import type { Envelope } from '../types.js';
import { readAuditStamp } from '../messages/audit.js';

function parseAudit(line: string, rec: LogRecord): boolean {
  let i = 0;
  let host: string | null = null;
  if (line.startsWith('node=')) {
    const sp = line.indexOf(' ', 5);
    if (sp < 0) return false;
    host = line.slice(5, sp);
    i = sp + 1;
  }
  if (!line.startsWith('type=', i)) return false;
  const t = readAuditStamp(line, i);
  if (Number.isNaN(t)) return false;
  rec.timestamp = t;
  rec.hostName = host;
  rec.message = i === 0 ? line : line.slice(i);
  return true;
}

/** The raw auditd envelope. */
export const auditdEnvelope: Envelope = {
  name: 'auditd',
  firstChars: 'tn',
  parse: parseAudit,
};
