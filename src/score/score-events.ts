/**
 * Convenience: one batch of events + rows + reconstructions → {@link ScoredEvent}s.
 *
 * @module
 */
import type { LoginEvent } from '../assemble/event.js';
import type { ReconstructionScorer } from './scorer.js';
import type { DescribeFn, ScoredEvent } from './types.js';

/** Options of {@link scoreEvents}. */
export interface ScoreEventsOptions {
  /** Which events get reasons: only anomalies (default), all, or none. */
  explain?: 'anomalies' | 'all' | 'none';
  /** Maximum reasons per event, default 3. */
  k?: number;
  /** Renders a feature in words (the encoder's `describe`); without it the generic sentence is used. */
  describe?: DescribeFn;
  /**
   * Raw (unscaled) feature values, same layout as `rows` (the encoder's `transform(batch, { raw })`). When given,
   * `describe` receives these instead of the scaled row values — pass the encoder's `describeRaw` then. Recommended:
   * scaled values are clipped, so a phrase rebuilt from one can understate counts ("1 failure" for 217).
   */
  raw?: ArrayLike<number>;
}

const noWords: DescribeFn = () => '';

/**
 * Score a batch: `errors` → `score` → `explain`, returning one {@link ScoredEvent} per event, in input order.
 * @throws Error when the scorer is not calibrated or lengths disagree.
 */
export function scoreEvents(
  scorer: ReconstructionScorer,
  events: readonly LoginEvent[],
  rows: Float32Array,
  reconstructions: Float32Array,
  options: ScoreEventsOptions = {},
): ScoredEvent[] {
  const mode = options.explain ?? 'anomalies';
  if (mode !== 'anomalies' && mode !== 'all' && mode !== 'none') {
    throw new Error(`scoreEvents option "explain" must be 'anomalies', 'all' or 'none', got ${JSON.stringify(mode)}`);
  }
  if (rows.length !== events.length * scorer.width) {
    throw new Error(`scoreEvents(): ${events.length} events need ${events.length * scorer.width} row values, got ${rows.length}`);
  }
  const { errors, contributions } = scorer.errors(rows, reconstructions);
  if (options.raw !== undefined && options.raw.length !== rows.length) {
    throw new Error(`scoreEvents(): option "raw" has ${options.raw.length} values, rows have ${rows.length}`);
  }
  const { scores, normalized, isAnomaly } = scorer.score(errors, rows);
  const describe = options.describe ?? noWords;
  const k = options.k ?? 3;
  const out: ScoredEvent[] = new Array(events.length);
  for (let i = 0; i < events.length; i++) {
    const flagged = isAnomaly[i] === 1;
    const wants = mode === 'all' || (mode === 'anomalies' && flagged);
    const reasons = wants ? scorer.explain(contributions, i, events[i], describe, rows, k, options.raw).map((e) => e.text) : [];
    out[i] = { event: events[i], score: scores[i], normalized: normalized[i], isAnomaly: flagged, reasons };
  }
  return out;
}
