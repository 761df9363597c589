/**
 * Event specifications: what the planner decides (who, where, when, how) before the renderer turns it into
 * log text. Plain objects with a `type` tag.
 *
 * @module
 */
import type { LabelActor } from './labels.js';
import type { SimKey } from './world.js';

/** Ground-truth tag carried by every login spec. */
export interface Truth {
  label: 0 | 1;
  scenario: string;
  actor: LabelActor;
  incident: string | null;
}

/** A sudo invocation inside an ssh session (or by a service account). */
export interface SudoSpec {
  /** Offset from the session start (ms). */
  offsetMs: number;
  target: string;
  command: string;
  pwd: string;
  /** Wrong passwords typed before success (or before giving up). */
  failures: number;
  /** `false`: gave up after 3 wrong passwords, or not in sudoers. */
  success: boolean;
  notInSudoers: boolean;
  /** How long the command's PAM session stays open (ms). */
  durationMs: number;
  truth: Truth;
}

/** An su inside an ssh session. */
export interface SuSpec {
  offsetMs: number;
  target: string;
  success: boolean;
  durationMs: number;
  truth: Truth;
}

/** One sshd connection that names a user (a login event). */
export interface SshSpec {
  type: 'ssh';
  /** True start, epoch ms (UTC, before host skew). */
  t: number;
  host: number;
  user: string;
  uid: number;
  source: string;
  port: number;
  /** The user exists on the host. */
  valid: boolean;
  method: 'publickey' | 'password';
  key: SimKey | null;
  /** Failed attempts (before success, or in total for a failed connection). */
  failures: number;
  success: boolean;
  /** The failed connection ends with MaxAuthTries exceeded. */
  maxAttempts: boolean;
  durationMs: number;
  endKind: 'disconnect' | 'timeout' | 'reset';
  /** Interactive shell with a pty (else a remote command). */
  tty: boolean;
  sudo: SudoSpec[];
  su: SuSpec[];
  truth: Truth;
}

/** A standalone sudo with no ssh session around it (service accounts via a non-ssh path, cron-like jobs). */
export interface SudoAloneSpec {
  type: 'sudo';
  t: number;
  host: number;
  user: string;
  uid: number;
  tty: string | null;
  sudo: SudoSpec;
}

/** An internet connection that never names a user (not a login event). */
export interface ProbeSpec {
  type: 'probe';
  t: number;
  host: number;
  source: string;
  port: number;
  variant: 'no_ident' | 'negotiate' | 'bad_banner' | 'closed_preauth';
}

/** Background lines: cron PAM sessions, systemd, kernel. */
export interface NoiseSpec {
  type: 'noise';
  t: number;
  host: number;
  variant: 'cron' | 'systemd' | 'kernel_ufw';
  source: string | null;
}

/** Anything the planner can ask the renderer for. */
export type Spec = SshSpec | SudoAloneSpec | ProbeSpec | NoiseSpec;
