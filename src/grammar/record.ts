/**
 * The record contract: one {@link LogRecord} per input line, produced by the grammar and consumed by every later
 * stage. Records are plain objects with one fixed set of properties (absent values are `null`, never missing), so
 * V8 keeps a single hidden class for all of them. Internal names are camelCase; the mapping to Elastic Common Schema
 * names lives in one place, {@link RECORD_ECS_FIELDS}.
 *
 * @module
 */

/** Names of the built-in envelopes (how a line is split into timestamp, host, program, pid and message). */
export type BuiltinEnvelopeName = 'rfc3164' | 'rfc5424' | 'iso8601' | 'journald-json' | 'auditd' | 'journal-short-unix' | 'journal-short-full';

/** Name of an envelope: a built-in one or one registered by the user. */
export type EnvelopeName = BuiltinEnvelopeName | (string & {});

/** ECS `event.outcome`. */
export type EventOutcome = 'success' | 'failure' | 'unknown';

/**
 * The stable vocabulary of `event.action` values produced by the built-in message grammars.
 * Custom grammars may emit any other string; built-in stages ignore actions they do not know.
 */
export const RECORD_ACTIONS = [
  // sshd (also sshd-session, sshd-auth)
  'ssh_connection', // Connection from A port P on B port Q [rdomain ""]
  'ssh_login', // Accepted <method> for USER from A port P ssh2[: KEYTYPE FP]
  'ssh_auth_failed', // Failed <method> for [invalid user] USER from A port P ssh2
  'ssh_invalid_user', // Invalid user USER from A [port P]
  'ssh_auth_postponed', // Postponed <method> for USER from A port P ssh2 [preauth]
  'ssh_auth_partial', // Partial publickey for USER from A port P ssh2: KEYTYPE FP
  'ssh_connection_closed', // Connection closed by [authenticating user|invalid user USER] A port P [preauth]
  'ssh_connection_reset', // Connection reset by [...] A port P [preauth]
  'ssh_disconnect_received', // Received disconnect from A port P:11: reason [preauth]
  'ssh_disconnected', // Disconnected from [user USER|authenticating user USER|invalid user USER] A port P
  'ssh_max_auth_exceeded', // error: maximum authentication attempts exceeded / Disconnecting ...: Too many authentication failures
  'ssh_pam_more_failures', // PAM N more authentication failures; logname= uid= ... rhost=A user=USER
  'ssh_no_identification', // Did not receive identification string from A [port P]
  'ssh_negotiation_failed', // Unable to negotiate with A port P: no matching ...
  'ssh_bad_protocol', // Bad protocol version identification '...' from A port P
  'ssh_user_child', // User child is on pid N
  'ssh_session_start', // Starting session: shell on pts/0 for USER from A port P id 0
  'ssh_session_close', // Close session: user USER from A port P id 0
  'ssh_subsystem_request', // subsystem request for sftp by user USER
  'ssh_user_refused', // User USER from A not allowed because (not listed in AllowUsers|listed in DenyUsers|...)
  'ssh_timeout', // Timeout, client not responding / Connection timed out
  'ssh_server_start', // Server listening on 0.0.0.0 port 22.
  'ssh_server_stop', // Received signal 15; terminating.
  'ssh_reverse_mapping', // reverse mapping checking getaddrinfo for ... failed - POSSIBLE BREAK-IN ATTEMPT!
  // PAM
  'pam_session_opened', // pam_unix(SERVICE:session): session opened for user U(uid=N) by [X](uid=M)
  'pam_session_closed', // pam_unix(SERVICE:session): session closed for user U
  'pam_auth_failure', // pam_unix(SERVICE:auth): authentication failure; logname= uid= euid= tty= ruser= rhost= [user=]
  'pam_auth_success', // pam_sss(SERVICE:auth): authentication success; ... / pam_unix auth success forms
  'pam_user_unknown', // pam_unix(SERVICE:auth): check pass; user unknown
  'pam_faillock', // pam_faillock(SERVICE:auth): Consecutive login failures for user U account temporarily locked
  'pam_requirement_not_met', // pam_succeed_if(SERVICE:auth): requirement "uid >= 1000" not met by user "root"
  'pam_password_check_failed', // unix_chkpwd: password check failed for user (U)
  'pam_password_changed', // pam_unix(passwd:chauthtok): password changed for U
  'pam_other', // any other pam_*(service:type) line
  // sudo / su
  'sudo_command', // USER : [N incorrect password attempts ;] TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/ls
  'sudo_auth_failure', // USER : N incorrect password attempts ; TTY=... (no command run)
  'sudo_not_in_sudoers', // USER : user NOT in sudoers ; TTY=... ; COMMAND=...
  'su_session', // (to root) alice on pts/1  |  Successful su for root by alice  |  + pts/1 alice:root
  'su_failure', // FAILED SU (to root) alice on pts/1  |  - pts/1 alice:root
  // systemd-logind
  'logind_new_session', // New session 42 of user alice.
  'logind_session_logged_out', // Session 42 logged out. Waiting for processes to exit.
  'logind_removed_session', // Removed session 42.
  // login
  'login_failed', // FAILED LOGIN (1) on '/dev/tty1' FOR 'root', Authentication failure
  'login_root', // ROOT LOGIN  on '/dev/tty1'
  'login_success', // LOGIN ON tty1 BY alice
  // account management
  'user_added', // useradd: new user: name=bob, UID=1002, ...
  'user_modified', // usermod: change user 'bob' ... / add 'bob' to group 'sudo'
  'user_deleted', // userdel: delete user 'bob'
  'group_added', // groupadd: group added to /etc/group: name=ops, GID=1003
  'password_changed', // passwd: password for 'bob' changed by 'root' / chpasswd
  // auditd
  'audit_user_auth',
  'audit_user_acct',
  'audit_cred_acq',
  'audit_user_login',
  'audit_user_start',
  'audit_user_end',
  'audit_cred_disp',
  'audit_cred_refr',
  'audit_user_cmd',
  'audit_other',
  // syslog bookkeeping
  'repeat_last', // last message repeated N times (the record carries `repeat = N`)
  'unknown', // no grammar matched: the record still exists, with its message
] as const;

/** One value of the built-in `event.action` vocabulary. */
export type RecordAction = (typeof RECORD_ACTIONS)[number];

/**
 * One parsed log line. Every property is always present; `null` means "not in this line".
 *
 * Invariants: `line` numbers are 1-based and strictly increasing within one parse stream; `message` is the
 * message body after the envelope (the whole line when no envelope matched); `malformed` is `null` for a line
 * that the envelope layer accepted and a short reason otherwise (the record is still emitted).
 */
export interface LogRecord {
  /** 1-based line number in the input stream (ECS `log.offset` is the byte offset; we keep the line). */
  line: number;
  /** Event time as epoch milliseconds UTC (ECS `@timestamp`), `null` when the line had no usable time. */
  timestamp: number | null;
  /** Which envelope parsed the line, `null` when none did. */
  envelope: EnvelopeName | null;
  /** ECS `host.name`. */
  hostName: string | null;
  /** ECS `process.name` (the syslog tag / program, e.g. `sshd`, `sshd-session`, `sudo`). */
  processName: string | null;
  /** ECS `process.pid`. */
  processPid: number | null;
  /** ECS `message`: the message body after the envelope. */
  message: string;
  /** ECS `event.action`: a {@link RecordAction} for built-in grammars, `'unknown'` when nothing matched. */
  action: RecordAction | (string & {});
  /** ECS `event.outcome`, `null` when the line says nothing about success. */
  outcome: EventOutcome | null;
  /** ECS `user.name`: the user the line is about (sshd/PAM target user, sudo/su invoking user). */
  userName: string | null;
  /** ECS `user.effective.name`: sudo `USER=` / su target user. */
  userEffectiveName: string | null;
  /** ECS `user.id` when the line prints a uid for `userName`. */
  userId: number | null;
  /** ECS `source.ip` (IPv4 or IPv6, as printed; IPv6 without brackets). */
  sourceIp: string | null;
  /** ECS `source.port`. */
  sourcePort: number | null;
  /** ECS `source.domain`: a host name printed where an address was expected (e.g. PAM `rhost=`). */
  sourceDomain: string | null;
  /** `ssh.method` (ECS-style extension used by Filebeat as `system.auth.ssh.method`): password, publickey, ... */
  sshMethod: string | null;
  /** `ssh.key.type`: RSA, ED25519, ECDSA, ... */
  sshKeyType: string | null;
  /** `ssh.key.fingerprint`: `SHA256:...` or `MD5:..`/hex form as printed. */
  sshKeyFingerprint: string | null;
  /** True when the line marks the user as invalid (`Invalid user`, `for invalid user`). */
  invalidUser: boolean;
  /** True when the line carries the `[preauth]` suffix. */
  preauth: boolean;
  /** Session id: systemd-logind session, audit `ses=`, sshd `Starting session ... id N`. */
  sessionId: string | null;
  /** auditd serial from `msg=audit(EPOCH:SERIAL)`. */
  auditSerial: number | null;
  /** A pid the line talks about that is not its own (sshd `User child is on pid N`, audit `pid=`). */
  relatedPid: number | null;
  /** Terminal: sudo `TTY=`, su `on pts/1`, PAM `tty=`, login `on '/dev/tty1'`. */
  tty: string | null;
  /** sudo `PWD=`. */
  workingDirectory: string | null;
  /** sudo `COMMAND=` (ECS `process.command_line` of the invoked command). */
  command: string | null;
  /** PAM service (`sshd`, `sudo`, `su`, `login`, `cron`, `systemd-user`, ...) from `pam_x(SERVICE:type)`. */
  pamService: string | null;
  /** Count carried by the line: failures in `PAM N more`, sudo `N incorrect password attempts`, `repeated N times`. */
  count: number | null;
  /** How many times this line stands for (syslog `message repeated N times: [...]` gives N; otherwise 1). */
  repeat: number;
  /** Free-text reason: disconnect reason, failure reason, refusal reason. */
  reason: string | null;
  /** Extra named values from custom grammars (ECS `labels`), `null` when none. */
  labels: Record<string, string> | null;
  /** `null` for a well-formed line, otherwise why the line is malformed (e.g. `'no-envelope'`, `'bad-timestamp'`). */
  malformed: string | null;
}

/**
 * Internal property → ECS field name. The single place where internal names meet ECS names: every
 * serialiser (JSON Lines, CSV, nested objects) goes through this table.
 */
export const RECORD_ECS_FIELDS: { readonly [K in keyof LogRecord]: string } = {
  line: 'log.line',
  timestamp: '@timestamp',
  envelope: 'log.syslog.envelope',
  hostName: 'host.name',
  processName: 'process.name',
  processPid: 'process.pid',
  message: 'message',
  action: 'event.action',
  outcome: 'event.outcome',
  userName: 'user.name',
  userEffectiveName: 'user.effective.name',
  userId: 'user.id',
  sourceIp: 'source.ip',
  sourcePort: 'source.port',
  sourceDomain: 'source.domain',
  sshMethod: 'ssh.method',
  sshKeyType: 'ssh.key.type',
  sshKeyFingerprint: 'ssh.key.fingerprint',
  invalidUser: 'ssh.invalid_user',
  preauth: 'ssh.preauth',
  sessionId: 'session.id',
  auditSerial: 'auditd.serial',
  relatedPid: 'process.related_pid',
  tty: 'process.tty.name',
  workingDirectory: 'process.working_directory',
  command: 'process.command_line',
  pamService: 'pam.service',
  count: 'event.count',
  repeat: 'event.repeat',
  reason: 'event.reason',
  labels: 'labels',
  malformed: 'error.type',
};

/**
 * Records are built by a constructor rather than an object literal: V8 can decide to allocate an object literal's
 * objects directly in the old generation ("allocation-site pretenuring") when many of them survive a scavenge — as a
 * batch of records does while the assembler works on it — and then every later record becomes old-generation garbage
 * (measured: ~35 points of the assembler's added CPU). Constructor allocations have no allocation site to pretenure.
 * The fields, their order and their values are the same as before; records are still plain data (own enumerable
 * properties only, no methods).
 */
class RecordData implements LogRecord {
  declare line: LogRecord['line'];
  declare timestamp: LogRecord['timestamp'];
  declare envelope: LogRecord['envelope'];
  declare hostName: LogRecord['hostName'];
  declare processName: LogRecord['processName'];
  declare processPid: LogRecord['processPid'];
  declare message: LogRecord['message'];
  declare action: LogRecord['action'];
  declare outcome: LogRecord['outcome'];
  declare userName: LogRecord['userName'];
  declare userEffectiveName: LogRecord['userEffectiveName'];
  declare userId: LogRecord['userId'];
  declare sourceIp: LogRecord['sourceIp'];
  declare sourcePort: LogRecord['sourcePort'];
  declare sourceDomain: LogRecord['sourceDomain'];
  declare sshMethod: LogRecord['sshMethod'];
  declare sshKeyType: LogRecord['sshKeyType'];
  declare sshKeyFingerprint: LogRecord['sshKeyFingerprint'];
  declare invalidUser: LogRecord['invalidUser'];
  declare preauth: LogRecord['preauth'];
  declare sessionId: LogRecord['sessionId'];
  declare auditSerial: LogRecord['auditSerial'];
  declare relatedPid: LogRecord['relatedPid'];
  declare tty: LogRecord['tty'];
  declare workingDirectory: LogRecord['workingDirectory'];
  declare command: LogRecord['command'];
  declare pamService: LogRecord['pamService'];
  declare count: LogRecord['count'];
  declare repeat: LogRecord['repeat'];
  declare reason: LogRecord['reason'];
  declare labels: LogRecord['labels'];
  declare malformed: LogRecord['malformed'];
  constructor(line: number, message: string) {
    this.line = line;
    this.timestamp = null;
    this.envelope = null;
    this.hostName = null;
    this.processName = null;
    this.processPid = null;
    this.message = message;
    this.action = 'unknown';
    this.outcome = null;
    this.userName = null;
    this.userEffectiveName = null;
    this.userId = null;
    this.sourceIp = null;
    this.sourcePort = null;
    this.sourceDomain = null;
    this.sshMethod = null;
    this.sshKeyType = null;
    this.sshKeyFingerprint = null;
    this.invalidUser = false;
    this.preauth = false;
    this.sessionId = null;
    this.auditSerial = null;
    this.relatedPid = null;
    this.tty = null;
    this.workingDirectory = null;
    this.command = null;
    this.pamService = null;
    this.count = null;
    this.repeat = 1;
    this.reason = null;
    this.labels = null;
    this.malformed = null;
  }
}

/** A record with every property set to its empty value; grammars fill it in, so all records share one shape. */
export function emptyRecord(line: number, message: string): LogRecord {
  return new RecordData(line, message);
}
