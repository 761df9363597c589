/**
 * Explanations: which features carry an event's reconstruction error, rendered in plain words.
 *
 * @module
 */
import type { LoginEvent } from '../assemble/event.js';
import type { DescribeFn, Explanation } from './types.js';

/** Typical values of one column from calibration rows (`null` when the column had no finite value). */
export type ColumnStats = { p01: number; p50: number; p99: number } | null;

/** Inputs of {@link explainRow}. */
export interface ExplainRowInput {
  /** Column names. */
  columns: readonly string[];
  /** Group name of each column. */
  groups: readonly string[];
  /** Row-major contributions. */
  contributions: Float32Array;
  /** Offset of the row in `contributions` (rowIndex × width). */
  offset: number;
  /** The event (passed to `describe`). */
  event: LoginEvent;
  /** Renders a column of an event in plain words. */
  describe: DescribeFn;
  /** Row-major rows, same layout as `contributions`, or `null`. */
  rows: Float32Array | null;
  /**
   * Values handed to `describe`, same layout as `contributions` (e.g. the encoder's raw, unscaled values), or `null`
   * to hand it the row values.
   */
  values?: ArrayLike<number> | null;
  /** Maximum number of reasons. */
  k: number;
  /** Minimum share of the error for a reason. */
  minShare: number;
  /** Per-column typical values, or `null`. */
  stats: readonly ColumnStats[] | null;
}

const MAX_TEXT = 300;

/** Explain one row (see `ReconstructionScorer.explain`). Never throws on a misbehaving `describe`. */
export function explainRow(input: ExplainRowInput): Explanation[] {
  const { columns, groups, contributions, offset, rows, stats } = input;
  const width = columns.length;
  let total = 0;
  for (let j = 0; j < width; j++) {
    const c = contributions[offset + j];
    if (c > 0) total += c;
  }
  if (!(total > 0) || !Number.isFinite(total)) return [];

  // sum contributions per group, remembering member columns
  const byGroup = new Map<string, { sum: number; members: number[] }>();
  for (let j = 0; j < width; j++) {
    const c = contributions[offset + j];
    if (!(c > 0)) continue;
    const g = groups[j];
    let entry = byGroup.get(g);
    if (entry === undefined) {
      entry = { sum: 0, members: [] };
      byGroup.set(g, entry);
    }
    entry.sum += c;
    entry.members.push(j);
  }
  const ranked = [...byGroup.entries()].sort((a, b) => b[1].sum - a[1].sum || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: Explanation[] = [];
  // Reasons whose value is the column's most common one (its calibration median, e.g. "0 failed attempts") say where
  // the model was wrong, not what is unusual about the event: they are held back and only used when nothing else is.
  const ordinary: Explanation[] = [];
  for (const [feature, { sum, members }] of ranked) {
    if (out.length >= input.k) break;
    const share = sum / total;
    if (share < input.minShare && out.length + ordinary.length > 0) break;
    members.sort((a, b) => contributions[offset + b] - contributions[offset + a] || a - b);
    const top = members[0];
    const column = columns[top];
    const value = rows === null ? null : rows[offset + top];
    const st = stats === null ? null : stats[top];
    const typicalRange: [number, number] | null = st === null ? null : [st.p01, st.p99];
    const text = render(input.describe, column, input.event, value, typicalRange, share, input.values ? input.values[offset + top] : value);
    // two groups can read the same (hour of day and hour relative to the user's habits): one reason, shares added
    const same = out.find((x) => x.text === text) ?? ordinary.find((x) => x.text === text);
    if (same !== undefined) {
      same.share += share;
      same.contribution += sum;
      same.columns.push(...members.map((j) => columns[j]));
      continue;
    }
    const reason: Explanation = { feature, column, columns: members.map((j) => columns[j]), share, contribution: sum, value, typicalRange, text };
    if (value !== null && st !== null && Math.abs(value - st.p50) <= 1e-6 * Math.max(1, Math.abs(st.p50))) ordinary.push(reason);
    else out.push(reason);
  }
  if (out.length === 0 && ordinary.length > 0) out.push(ordinary[0]);
  return out;
}

function render(
  describe: DescribeFn,
  column: string,
  event: LoginEvent,
  value: number | null,
  range: [number, number] | null,
  share: number,
  described: number | null,
): string {
  let text = '';
  try {
    const t = describe(column, event, described ?? NaN);
    if (typeof t === 'string') text = t.trim();
  } catch {
    text = '';
  }
  if (text.length === 0) text = genericReason(column, value, range, share);
  return sanitizeText(text);
}

/**
 * The fallback sentence when the encoder has no words for a column:
 * `"<column> is unusual (value v, typical range a..b)"`, or without range / value when unknown.
 */
export function genericReason(column: string, value: number | null, range: [number, number] | null, share: number): string {
  const parts: string[] = [];
  if (value !== null && Number.isFinite(value)) parts.push(`value ${fmt(value)}`);
  if (range !== null) parts.push(`typical range ${fmt(range[0])}..${fmt(range[1])}`);
  if (parts.length === 0) parts.push(`${Math.round(share * 100)}% of the error`);
  return `${column} is unusual (${parts.join(', ')})`;
}

/** Short number formatting for texts: 3 significant digits, no exponent for ordinary magnitudes. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-3) return x.toExponential(2);
  return String(Number(x.toPrecision(3)));
}

/**
 * Make attacker-influenced text safe to print: control characters (including newlines and ANSI escapes) become `?`,
 * length is capped.
 */
export function sanitizeText(text: string, max = MAX_TEXT): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
