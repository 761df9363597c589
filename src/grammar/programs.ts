/**
 * Program-name sets. Message grammars are chosen by set membership, not by one literal name, because the same
 * daemon logs under several names across versions (OpenSSH 9.8+ logs as `sshd-session`, 10.x also `sshd-auth`).
 *
 * @module
 */

/** OpenSSH server process names. */
export const SSHD_PROGRAMS: readonly string[] = Object.freeze(['sshd', 'sshd-session', 'sshd-auth', 'sshd-net']);

/** sudo. */
export const SUDO_PROGRAMS: readonly string[] = Object.freeze(['sudo', 'sudo-rs']);

/** su (util-linux, shadow, busybox). */
export const SU_PROGRAMS: readonly string[] = Object.freeze(['su', 'su-l']);

/** systemd-logind. */
export const LOGIND_PROGRAMS: readonly string[] = Object.freeze(['systemd-logind', 'logind']);

/** Console / getty login. */
export const LOGIN_PROGRAMS: readonly string[] = Object.freeze(['login', 'agetty']);

/** Account-management tools of shadow-utils. */
export const ACCOUNT_PROGRAMS: readonly string[] = Object.freeze([
  'useradd',
  'usermod',
  'userdel',
  'groupadd',
  'groupmod',
  'groupdel',
  'gpasswd',
  'passwd',
  'chpasswd',
  'chage',
  'chfn',
  'chsh',
  'adduser',
  'deluser',
]);

/** The PAM password helper. */
export const CHKPWD_PROGRAMS: readonly string[] = Object.freeze(['unix_chkpwd']);
