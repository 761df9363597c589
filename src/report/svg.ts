/**
 * Inline SVG plots generated on the server: no scripts, no fonts, no network. Every label goes through
 * {@link escapeHtml}.
 *
 * @module
 */
import type { EntityCount, ScoreHistogram, Timeline } from './types.js';
import { escapeHtml, formatCount, formatScore, formatTime, truncate } from './format.js';

const W = 720;
const H = 240;
const PAD = { left: 56, right: 16, top: 16, bottom: 40 };

function num(x: number): string {
  return Number.isFinite(x) ? (Math.round(x * 10) / 10).toString() : '0';
}

function svgOpen(id: string, title: string, height = H, width = W): string {
  return (
    `<svg id="${escapeHtml(id)}" class="plot" viewBox="0 0 ${width} ${height}" width="100%" role="img" ` +
    `xmlns="http://www.w3.org/2000/svg" aria-label="${escapeHtml(title)}"><title>${escapeHtml(title)}</title>`
  );
}

function emptyPlot(id: string, title: string, message: string): string {
  return `${svgOpen(id, title, 80)}<text x="${W / 2}" y="44" text-anchor="middle" class="muted">${escapeHtml(message)}</text></svg>`;
}

/**
 * Score distribution on a log10 x axis with a log-scaled count axis and a red line at the threshold.
 * Empty bins at both ends are trimmed.
 */
export function histogramSvg(h: ScoreHistogram, threshold: number, id = 'plot-histogram'): string {
  const title = 'Score distribution with the anomaly threshold';
  let first = h.counts.findIndex((c) => c > 0);
  let last = h.counts.length - 1;
  while (last >= 0 && h.counts[last] === 0) last--;
  if (first < 0) return emptyPlot(id, title, 'No scores to plot');
  const thrBin = threshold > 0 ? Math.floor((Math.log10(threshold) - h.log10Min) / h.log10Step) : -1;
  if (thrBin >= 0 && thrBin < h.counts.length) {
    first = Math.min(first, thrBin);
    last = Math.max(last, thrBin);
  }
  first = Math.max(0, first - 1);
  last = Math.min(h.counts.length - 1, last + 1);
  const lo = h.log10Min + first * h.log10Step;
  const hi = h.log10Min + (last + 1) * h.log10Step;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const maxC = Math.max(...h.counts.slice(first, last + 1));
  const yOf = (c: number): number => PAD.top + plotH - (Math.log1p(c) / Math.log1p(maxC)) * plotH;
  const xOf = (l: number): number => PAD.left + ((l - lo) / (hi - lo)) * plotW;
  const parts: string[] = [svgOpen(id, title)];
  parts.push(
    `<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${W - PAD.right}" y2="${PAD.top + plotH}" class="axis"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + plotH}" class="axis"/>`,
  );
  for (let i = first; i <= last; i++) {
    const c = h.counts[i];
    if (c === 0) continue;
    const l0 = h.log10Min + i * h.log10Step;
    const x0 = xOf(l0);
    const x1 = xOf(l0 + h.log10Step);
    const y = yOf(c);
    const above = threshold > 0 && l0 >= Math.log10(threshold);
    parts.push(
      `<rect x="${num(x0)}" y="${num(y)}" width="${num(Math.max(1, x1 - x0 - 1))}" height="${num(PAD.top + plotH - y)}" class="${above ? 'bar-hot' : 'bar'}"><title>${escapeHtml(`${formatScore(10 ** l0)}–${formatScore(10 ** (l0 + h.log10Step))}: ${formatCount(c)} events`)}</title></rect>`,
    );
  }
  // x ticks at integer decades
  for (let d = Math.ceil(lo); d <= Math.floor(hi); d++) {
    const x = xOf(d);
    parts.push(
      `<line x1="${num(x)}" y1="${PAD.top + plotH}" x2="${num(x)}" y2="${PAD.top + plotH + 4}" class="axis"/>`,
      `<text x="${num(x)}" y="${PAD.top + plotH + 16}" text-anchor="middle" class="tick">${escapeHtml(formatScore(10 ** d))}</text>`,
    );
  }
  // y ticks at powers of ten
  for (let p = 1; p <= maxC; p *= 10) {
    const y = yOf(p);
    parts.push(`<text x="${PAD.left - 6}" y="${num(y + 4)}" text-anchor="end" class="tick">${escapeHtml(formatCount(p))}</text>`);
  }
  if (threshold > 0 && Number.isFinite(threshold)) {
    const x = xOf(Math.log10(threshold));
    if (x >= PAD.left && x <= W - PAD.right) {
      parts.push(
        `<line x1="${num(x)}" y1="${PAD.top}" x2="${num(x)}" y2="${PAD.top + plotH}" class="threshold"/>`,
        `<text x="${num(x + 4)}" y="${PAD.top + 12}" class="threshold-label">threshold ${escapeHtml(formatScore(threshold))}</text>`,
      );
    }
  }
  parts.push(
    `<text x="${PAD.left + plotW / 2}" y="${H - 6}" text-anchor="middle" class="axis-label">anomaly score (log scale)</text>`,
    `<text x="14" y="${PAD.top + plotH / 2}" text-anchor="middle" class="axis-label" transform="rotate(-90 14 ${PAD.top + plotH / 2})">events (log scale)</text>`,
    '</svg>',
  );
  return parts.join('');
}

/** Anomalous events per time bucket (bars) with all events per bucket as a faint background. */
export function timelineSvg(t: Timeline, timeZone = 'UTC', id = 'plot-timeline'): string {
  const title = 'Anomalous events over time';
  if (t.buckets.length === 0) return emptyPlot(id, title, 'No events to plot');
  const start = t.buckets[0].start;
  const end = t.buckets[t.buckets.length - 1].start + t.bucketMs;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const maxA = Math.max(1, ...t.buckets.map((b) => b.anomalies));
  const maxE = Math.max(1, ...t.buckets.map((b) => b.events));
  const xOf = (ms: number): number => PAD.left + ((ms - start) / (end - start)) * plotW;
  const parts: string[] = [svgOpen(id, title)];
  parts.push(
    `<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${W - PAD.right}" y2="${PAD.top + plotH}" class="axis"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + plotH}" class="axis"/>`,
  );
  const bw = Math.max(1, (t.bucketMs / (end - start)) * plotW - 0.5);
  for (const b of t.buckets) {
    const x = xOf(b.start);
    const he = (b.events / maxE) * plotH;
    parts.push(`<rect x="${num(x)}" y="${num(PAD.top + plotH - he)}" width="${num(bw)}" height="${num(he)}" class="bar-bg"/>`);
    if (b.anomalies > 0) {
      const ha = Math.max(1.5, (b.anomalies / maxA) * plotH);
      parts.push(
        `<rect x="${num(x)}" y="${num(PAD.top + plotH - ha)}" width="${num(bw)}" height="${num(ha)}" class="bar-hot"><title>${escapeHtml(`${formatTime(b.start, timeZone)}: ${formatCount(b.anomalies)} anomalies of ${formatCount(b.events)} events`)}</title></rect>`,
      );
    }
  }
  const ticks = 6;
  for (let i = 0; i <= ticks; i++) {
    const ms = start + ((end - start) * i) / ticks;
    const x = xOf(ms);
    const label = formatTime(ms, timeZone).slice(5);
    parts.push(
      `<line x1="${num(x)}" y1="${PAD.top + plotH}" x2="${num(x)}" y2="${PAD.top + plotH + 4}" class="axis"/>`,
      `<text x="${num(x)}" y="${PAD.top + plotH + 16}" text-anchor="middle" class="tick">${escapeHtml(label)}</text>`,
    );
  }
  parts.push(
    `<text x="${PAD.left - 6}" y="${PAD.top + 8}" text-anchor="end" class="tick">${escapeHtml(formatCount(maxA))}</text>`,
    `<text x="${PAD.left - 6}" y="${PAD.top + plotH}" text-anchor="end" class="tick">0</text>`,
    `<text x="${PAD.left + plotW / 2}" y="${H - 6}" text-anchor="middle" class="axis-label">${escapeHtml(`time (${timeZone}), ${formatBucket(t.bucketMs)} buckets; red = anomalies, grey = all events (scaled)`)}</text>`,
    `<text x="14" y="${PAD.top + plotH / 2}" text-anchor="middle" class="axis-label" transform="rotate(-90 14 ${PAD.top + plotH / 2})">anomalies</text>`,
    '</svg>',
  );
  return parts.join('');
}

function formatBucket(ms: number): string {
  if (ms % 86_400_000 === 0) return ms === 86_400_000 ? '1-day' : `${ms / 86_400_000}-day`;
  if (ms % 3_600_000 === 0) return ms === 3_600_000 ? '1-hour' : `${ms / 3_600_000}-hour`;
  return `${Math.round(ms / 60_000)}-minute`;
}

/** Horizontal bars: entities by number of anomalous events. */
export function barsSvg(items: readonly EntityCount[], title: string, id: string, max = 10): string {
  const rows = items.slice(0, max);
  if (rows.length === 0) return emptyPlot(id, title, 'No anomalous events');
  // Narrower canvas than the other plots: these sit three to a row, and text scales with the viewBox.
  const width = 400;
  const rowH = 22;
  const height = PAD.top + rows.length * rowH + 8;
  const labelW = 150;
  const plotW = width - labelW - 50;
  const maxA = Math.max(1, ...rows.map((r) => r.anomalies));
  const parts: string[] = [svgOpen(id, title, height, width)];
  rows.forEach((r, i) => {
    const y = PAD.top + i * rowH;
    const w = Math.max(2, (r.anomalies / maxA) * plotW);
    parts.push(
      `<text x="${labelW - 8}" y="${y + 15}" text-anchor="end" class="label">${escapeHtml(truncate(r.name, 22))}</text>`,
      `<rect x="${labelW}" y="${y + 3}" width="${num(w)}" height="${rowH - 6}" class="bar-hot"><title>${escapeHtml(`${r.name}: ${r.anomalies} anomalous events, max score ${formatScore(r.maxScore)}`)}</title></rect>`,
      `<text x="${num(labelW + w + 6)}" y="${y + 15}" class="tick">${escapeHtml(formatCount(r.anomalies))}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
