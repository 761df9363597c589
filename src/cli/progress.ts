/**
 * A small progress line on stderr for long work. Drawn only when stderr is a terminal and `--quiet` is not set;
 * when piped it writes nothing at all, so logs and scripts never see carriage returns.
 *
 * @module
 */
import type { CliIo } from './command.js';

/** What a progress line shows. */
export interface ProgressState {
  /** What is being done (`parsing`, `assembling`, `training epoch 3/20`). */
  label: string;
  /** Units done (lines, events, rows). */
  done: number;
  /** Unit name for `done` (`lines`). */
  unit: string;
  /** Fraction complete in [0, 1], or null when unknown (stdin). */
  fraction: number | null;
  /** Extra text at the end (`auth.log.2.gz`). */
  detail?: string;
}

/** A progress reporter. Cheap to call often: it redraws at most every `intervalMs`. */
export interface Progress {
  /** True when this reporter actually draws. */
  readonly enabled: boolean;
  /** Reports the current state (throttled). */
  update(state: ProgressState): void;
  /** Erases the line (call before printing a summary and when done). */
  clear(): void;
}

function human(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

/** Formats one progress line (exported for tests). */
export function formatProgress(state: ProgressState, elapsedMs: number, width: number): string {
  const rate = elapsedMs > 0 ? (state.done * 1000) / elapsedMs : 0;
  let bar = '';
  if (state.fraction !== null) {
    const f = Math.min(1, Math.max(0, state.fraction));
    const cells = 20;
    const full = Math.round(f * cells);
    bar = `[${'#'.repeat(full)}${'.'.repeat(cells - full)}] ${(f * 100).toFixed(0).padStart(3)}% `;
  }
  let line = `${state.label} ${bar}${human(state.done)} ${state.unit} (${human(rate)}/s)`;
  if (state.detail !== undefined && state.detail !== '') line += ` ${state.detail}`;
  return line.length > width - 1 ? line.slice(0, Math.max(10, width - 2)) + '…' : line;
}

/**
 * Creates a progress reporter for a command run.
 *
 * @param quiet `--quiet` was given.
 * @param intervalMs Minimum time between redraws (default 200 ms).
 */
export function createProgress(io: CliIo, quiet: boolean, intervalMs = 200): Progress {
  const enabled = io.stderrIsTTY && !quiet;
  if (!enabled) return { enabled: false, update: () => undefined, clear: () => undefined };
  const start = Date.now();
  let last = 0;
  let drawn = false;
  const columns = (): number => {
    const c = (io.stderr as { columns?: number }).columns;
    return typeof c === 'number' && c > 20 ? c : 80;
  };
  return {
    enabled: true,
    update(state: ProgressState): void {
      const now = Date.now();
      if (now - last < intervalMs) return;
      last = now;
      io.stderr.write(`\r\x1b[2K${formatProgress(state, now - start, columns())}`);
      drawn = true;
    },
    clear(): void {
      if (drawn) io.stderr.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
