/**
 * Plain-text rendering of an {@link EvaluationReport}.
 *
 * @module
 */
import type { EvaluationReport } from './evaluate.js';

function num(v: number | null, digits = 3): string {
  return v === null ? '-' : v.toFixed(digits);
}

function pct(v: number | null): string {
  return v === null ? '-' : `${(v * 100).toFixed(1)}%`;
}

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [line(head), w.map((x) => '-'.repeat(x)).join('  '), ...rows.map(line)].join('\n');
}

/** Formats a report as a text summary with a per-scenario table. */
export function formatEvaluation(r: EvaluationReport): string {
  const c = r.counts;
  const out: string[] = [];
  out.push(`Evaluation (${r.period} period, join tolerance ${r.toleranceMs} ms)`);
  out.push(`labels ${c.labels} (attack ${c.positives}, normal ${c.negatives}); scored events ${c.scoredEvents}, matched ${c.matchedEvents}, unmatched ${c.unmatchedEvents}, out of range ${c.outOfRangeEvents}${c.excludedEvents > 0 ? `, excluded by actor ${c.excludedEvents}` : ''}`);
  out.push(`coverage ${pct(r.coverage.all.coverage)} (attack ${pct(r.coverage.positives.coverage)}, normal ${pct(r.coverage.negatives.coverage)}); missed labels count as lowest score`);
  out.push('');
  out.push(`ROC-AUC            ${num(r.rocAuc)}`);
  out.push(`average precision  ${num(r.averagePrecision)}   (random ranking: ${num(r.baseRate, 4)})`);
  for (const p of r.precisionAtK) out.push(`precision@${String(p.k).padEnd(8)} ${num(p.precision)}   (${p.positives.toFixed(1)} attack events)`);
  for (const p of r.recallAtFpr) {
    out.push(`recall @ FPR ${pct(p.fpr).padEnd(5)} ${num(p.recall)}   (threshold ${p.threshold === null ? '-' : p.threshold.toPrecision(4)}, actual FPR ${pct(p.actualFpr)}, ${p.truePositives} TP / ${p.falsePositives} FP)`);
  }
  if (r.scenarios.length > 0) {
    out.push('');
    const head = ['scenario', 'events', 'missed', 'AUC', 'best rank', 'median rank'];
    for (const p of r.recallAtFpr) head.push(`recall@${pct(p.fpr)}`, `incidents@${pct(p.fpr)}`);
    const rows = r.scenarios.map((s) => {
      const row = [s.scenario, String(s.events), String(s.missed), num(s.rocAuc), s.bestRank === null ? '-' : String(s.bestRank), s.medianRank === null ? '-' : String(s.medianRank)];
      for (const a of s.atFpr) row.push(num(a.recall), `${a.incidentsDetected}/${s.incidents}`);
      return row;
    });
    out.push(table(head, rows));
  }
  const kinds = Object.entries(r.coverage.byKind);
  if (kinds.length > 0) {
    out.push('');
    out.push(table(['kind', 'labels', 'matched', 'coverage'], kinds.map(([k, v]) => [k, String(v.labels), String(v.matched), pct(v.coverage)])));
  }
  return out.join('\n') + '\n';
}
