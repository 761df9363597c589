/**
 * Options of the event assembler and their validation.
 *
 * @module
 */

/** Order in which the assembler emits events. */
export type AssemblerOrder = 'completion' | 'start';

/** Options of {@link EventAssembler} and {@link assembleEvents}. Every field is optional. */
export interface AssemblerOptions {
  /**
   * Reorder window in ms (default 2000). Records are buffered per host and released in timestamp order once the
   * host's newest timestamp is this far ahead; records arriving later than that are still used, but counted as late.
   */
  reorderWindowMs?: number;
  /** An open, authenticated session (or sudo/su/console session) with no line for this long is evicted (default 7 days). */
  idleTimeoutMs?: number;
  /** An sshd connection that has not authenticated and has no line for this long is evicted (default 10 minutes). */
  preauthTimeoutMs?: number;
  /**
   * After the line that ends a login (disconnect, PAM session closed, sudo command), wait this long (log time) for
   * stray lines of the same login (logind `Removed session`, `PAM N more failures`) before emitting (default 5000).
   */
  lingerMs?: number;
  /**
   * After the PAM session of a login with a logind session closed, wait this long (log time) for logind's
   * `Removed session` line, which comes late when processes outlive the session (default 120000).
   */
  logindLingerMs?: number;
  /** Host name for records that carry none (e.g. a raw audit.log); default `null`: such records are counted as 'no-host'. */
  defaultHostName?: string | null;
  /** Max distance in ms between an sshd/console login and the systemd-logind `New session` line joined to it (default 10000). */
  joinToleranceMs?: number;
  /** Cap on open state (units of all hosts); beyond it the least recently active one is evicted (default 200000). */
  maxOpen?: number;
  /** Emit connections that never named a user as `ssh_no_user` events (default false: counted only). */
  emitNoUser?: boolean;
  /** `'completion'` (default): emit events when complete. `'start'`: emit in start-time order behind a watermark. */
  order?: AssemblerOrder;
  /**
   * Only with `order: 'start'`: how far (ms) the start-order watermark trails the newest released time (default 1 hour).
   * Events that start before the watermark but complete after it are emitted late and counted in `startOrderLate`.
   */
  startOrderDelayMs?: number;
}

/** Options with every default filled in. */
export interface ResolvedAssemblerOptions {
  reorderWindowMs: number;
  idleTimeoutMs: number;
  preauthTimeoutMs: number;
  lingerMs: number;
  logindLingerMs: number;
  defaultHostName: string | null;
  joinToleranceMs: number;
  maxOpen: number;
  emitNoUser: boolean;
  order: AssemblerOrder;
  startOrderDelayMs: number;
}

/** The defaults used for every option that is not given. */
export const DEFAULT_ASSEMBLER_OPTIONS: Readonly<ResolvedAssemblerOptions> = Object.freeze({
  reorderWindowMs: 2_000,
  idleTimeoutMs: 7 * 24 * 3600_000,
  preauthTimeoutMs: 10 * 60_000,
  lingerMs: 5_000,
  logindLingerMs: 120_000,
  defaultHostName: null,
  joinToleranceMs: 10_000,
  maxOpen: 200_000,
  emitNoUser: false,
  order: 'completion',
  startOrderDelayMs: 3600_000,
});

function nonNegative(name: string, value: unknown, fallback: number, integer = false, min = 0): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new Error(
      `assembler option ${name} must be a finite ${integer ? 'integer' : 'number'} >= ${min}, got ${String(value)}`,
    );
  }
  return value;
}

/** Validate options and fill in defaults; throws an Error naming the option and what is allowed. */
export function resolveAssemblerOptions(options: AssemblerOptions = {}): ResolvedAssemblerOptions {
  const d = DEFAULT_ASSEMBLER_OPTIONS;
  const order = options.order ?? d.order;
  if (order !== 'completion' && order !== 'start') {
    throw new Error(`assembler option order must be 'completion' or 'start', got ${String(order)}`);
  }
  const emitNoUser = options.emitNoUser ?? d.emitNoUser;
  if (typeof emitNoUser !== 'boolean') throw new Error(`assembler option emitNoUser must be a boolean`);
  const defaultHostName = options.defaultHostName ?? d.defaultHostName;
  if (defaultHostName !== null && (typeof defaultHostName !== 'string' || defaultHostName.length === 0)) {
    throw new Error(`assembler option defaultHostName must be a non-empty string or null`);
  }
  return {
    defaultHostName,
    logindLingerMs: nonNegative('logindLingerMs', options.logindLingerMs, d.logindLingerMs),
    reorderWindowMs: nonNegative('reorderWindowMs', options.reorderWindowMs, d.reorderWindowMs),
    idleTimeoutMs: nonNegative('idleTimeoutMs', options.idleTimeoutMs, d.idleTimeoutMs, false, 1),
    preauthTimeoutMs: nonNegative('preauthTimeoutMs', options.preauthTimeoutMs, d.preauthTimeoutMs, false, 1),
    lingerMs: nonNegative('lingerMs', options.lingerMs, d.lingerMs),
    joinToleranceMs: nonNegative('joinToleranceMs', options.joinToleranceMs, d.joinToleranceMs),
    maxOpen: nonNegative('maxOpen', options.maxOpen, d.maxOpen, true, 1),
    emitNoUser,
    order,
    startOrderDelayMs: nonNegative('startOrderDelayMs', options.startOrderDelayMs, d.startOrderDelayMs),
  };
}
