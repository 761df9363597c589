/**
 * The grammar: raw auth-log lines → {@link LogRecord}s. Two layers, both open for extension: envelopes (RFC 3164,
 * RFC 5424, ISO 8601 / journalctl, journald JSON, raw auditd) and message grammars chosen by program-name sets
 * (sshd, PAM, sudo, su, systemd-logind, login, shadow-utils, auditd).
 *
 * @module
 */
export { LineParser, parseLine, parseLines, PLAUSIBLE_TIME_MIN, PLAUSIBLE_TIME_END } from './parser.js';
export { parseStream } from './stream.js';
export type { ParseStreamOptions } from './stream.js';
export { GrammarRegistry, defaultRegistry, BUILTIN_ENVELOPES, BUILTIN_MESSAGE_GRAMMARS } from './registry.js';
export type { Envelope, MessageGrammar, ParseOptions, ParseCounters, TimeResolver } from './types.js';
export {
  SSHD_PROGRAMS,
  SUDO_PROGRAMS,
  SU_PROGRAMS,
  LOGIND_PROGRAMS,
  LOGIN_PROGRAMS,
  ACCOUNT_PROGRAMS,
  CHKPWD_PROGRAMS,
} from './programs.js';
export { emptyRecord, RECORD_ACTIONS, RECORD_ECS_FIELDS } from './record.js';
export type { LogRecord, RecordAction, EventOutcome, EnvelopeName, BuiltinEnvelopeName } from './record.js';
export { StreamClock, ZoneConverter } from './time.js';
export { rfc3164Envelope } from './envelopes/rfc3164.js';
export { rfc5424Envelope } from './envelopes/rfc5424.js';
export { iso8601Envelope } from './envelopes/iso8601.js';
export { journaldJsonEnvelope } from './envelopes/journald.js';
export { auditdEnvelope } from './envelopes/auditd.js';
export { journalShortUnixEnvelope, journalShortFullEnvelope, ZONE_ABBREVIATIONS } from './envelopes/journal.js';
export { sshdGrammar, parseSshdMessage } from './messages/sshd.js';
export { pamGrammar, chkpwdGrammar, parsePamMessage } from './messages/pam.js';
export { sudoGrammar } from './messages/sudo.js';
export { suGrammar } from './messages/su.js';
export { logindGrammar } from './messages/logind.js';
export { loginGrammar } from './messages/login.js';
export { accountGrammar } from './messages/accounts.js';
export { auditGrammar } from './messages/audit.js';
export { setAddress, tailAddrPort, isIpAddress } from './scan.js';
