/**
 * One self-contained HTML report: inline CSS, inline SVG plots, no scripts, no fonts, no network.
 * Every string that came from a log goes through {@link escapeHtml} (log text is attacker-controlled).
 *
 * @module
 */
import type { ReportData, ReportEvent, ReportIncident } from './types.js';
import {
  describeEventParties,
  escapeHtml,
  formatCount,
  formatScore,
  formatSpan,
  formatTime,
  plural,
  truncate,
} from './format.js';
import { barsSvg, histogramSvg, timelineSvg } from './svg.js';

/** Options for {@link renderHtmlReport}. */
export interface HtmlReportOptions {
  /** Maximum rows in the flagged-events table (default 200). */
  maxRows?: number;
  /** Maximum incidents listed (default 20). */
  maxIncidents?: number;
}

const CSS = `
:root{--fg:#1d2430;--muted:#5b6675;--bg:#fff;--line:#d8dde5;--hot:#c62828;--bar:#5b7fb5;--bg2:#f4f6f9}
*{box-sizing:border-box}
body{margin:0;padding:24px 32px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg);max-width:1200px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
.meta{color:var(--muted);font-size:12px;margin-bottom:16px}
.summary p{margin:6px 0}.summary ol{margin:6px 0 6px 20px;padding:0}
.summary p.warning{border-left:4px solid var(--hot);padding-left:8px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0}
.card{background:var(--bg2);border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:120px}
.card b{display:block;font-size:20px}.card span{color:var(--muted);font-size:12px}
.card.hot b{color:var(--hot)}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:16px}
figure{margin:0;background:var(--bg2);border:1px solid var(--line);border-radius:6px;padding:8px}
figcaption{font-weight:600;margin-bottom:4px}
svg.plot{display:block;height:auto}
svg .axis{stroke:#8a94a3;stroke-width:1}svg .bar{fill:var(--bar)}svg .bar-hot{fill:var(--hot)}svg .bar-bg{fill:#c9d3e0}
svg .threshold{stroke:var(--hot);stroke-width:2;stroke-dasharray:5 3}
svg text{font:11px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:var(--fg)}
svg .tick{fill:var(--muted)}svg .muted{fill:var(--muted)}svg .axis-label{fill:var(--muted)}svg .threshold-label{fill:var(--hot);font-weight:600}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{background:var(--bg2);position:sticky;top:0}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.time{white-space:nowrap}td ul{margin:0;padding-left:16px}
td.who{word-break:break-all;max-width:260px}
.tag{display:inline-block;border-radius:3px;padding:0 5px;font-size:11px;background:#e3e8ef}
.tag.failure{background:#fde2e1}.tag.success{background:#e1f3e4}
pre{background:var(--bg2);border:1px solid var(--line);padding:8px;overflow:auto;font-size:12px}
details{margin:8px 0}
footer{margin-top:32px;color:var(--muted);font-size:12px}
`;

/** Renders the report as one HTML document (a string). */
export function renderHtmlReport(data: ReportData, options: HtmlReportOptions = {}): string {
  const maxRows = options.maxRows ?? 200;
  const maxIncidents = options.maxIncidents ?? 20;
  const tz = data.timeZone ?? 'UTC';
  const parts: string[] = [];
  parts.push(
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No network: nothing is loaded from anywhere, not even by accident.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(data.title)}</title><style>${CSS}</style></head><body>`,
    `<h1>${escapeHtml(data.title)}</h1>`,
    `<div class="meta">Generated ${escapeHtml(formatTime(data.generatedAt, tz))} ${escapeHtml(tz)} by loginsight</div>`,
  );
  parts.push(summarySection(data, maxIncidents, tz));
  parts.push(
    '<h2>Plots</h2><div class="grid">',
    `<figure><figcaption>Score distribution</figcaption>${histogramSvg(data.histogram, data.threshold)}</figure>`,
    `<figure><figcaption>Anomalies over time</figcaption>${timelineSvg(data.timeline, tz)}</figure>`,
    '</div><div class="grid" style="margin-top:16px">',
    `<figure><figcaption>Top users</figcaption>${barsSvg(data.topUsers, 'Top users by anomalous events', 'plot-users')}</figure>`,
    `<figure><figcaption>Top hosts</figcaption>${barsSvg(data.topHosts, 'Top hosts by anomalous events', 'plot-hosts')}</figure>`,
    `<figure><figcaption>Top source addresses</figcaption>${barsSvg(data.topSources, 'Top source addresses by anomalous events', 'plot-sources')}</figure>`,
    '</div>',
  );
  parts.push(incidentsSection(data.incidents.slice(0, maxIncidents), tz));
  parts.push(flaggedSection(data.flagged.slice(0, maxRows), data.flagged.length, tz));
  if (data.evaluation) {
    parts.push('<h2>Evaluation against labels</h2>', `<pre>${escapeHtml(data.evaluation)}</pre>`);
  }
  if (data.counters) parts.push(countersSection(data.counters));
  parts.push(
    '<footer>Scores are reconstruction errors of an autoencoder trained on the logs themselves: a high score means ',
    '"unlike the rest", not proof of an attack. Reasons name the features that contributed most.</footer>',
    '</body></html>\n',
  );
  return parts.join('');
}

/** The manager summary in words (HTML). */
function summarySection(d: ReportData, maxIncidents: number, tz: string): string {
  const i = d.input;
  const atLeast = (n: number): string => (n >= i.distinctCap ? `at least ${formatCount(n)}` : formatCount(n));
  const files =
    i.files.length === 0
      ? 'the input'
      : i.files.length <= 3
        ? i.files.map((f) => escapeHtml(f)).join(', ')
        : `${escapeHtml(i.files.slice(0, 3).join(', '))} and ${i.files.length - 3} more`;
  const period =
    i.periodStart !== null && i.periodEnd !== null
      ? ` between ${escapeHtml(formatTime(i.periodStart, tz))} and ${escapeHtml(formatTime(i.periodEnd, tz))} ${escapeHtml(tz)} (${escapeHtml(formatSpan(i.periodEnd - i.periodStart))})`
      : '';
  const share = i.events > 0 ? ` (${((100 * d.anomalies) / i.events).toFixed(2)}% of events)` : '';
  const p: string[] = ['<h2>Summary</h2><div class="summary">'];
  p.push(
    `<p>We analysed ${escapeHtml(plural(i.lines, 'log line'))} from ${files}: <b>${escapeHtml(plural(i.events, 'login event'))}</b>${period}, ` +
      `on ${atLeast(i.hosts)} hosts, by ${atLeast(i.users)} users, from ${atLeast(i.sources)} source addresses.</p>`,
  );
  for (const w of d.warnings ?? []) p.push(`<p class="warning"><b>Caution:</b> ${escapeHtml(w)}</p>`);
  if (d.anomalies === 0) {
    p.push('<p><b>No login stood out</b>: no event scored above the anomaly threshold.</p>');
  } else {
    p.push(
      `<p><b>${escapeHtml(plural(d.anomalies, 'login'))} stood out as unusual</b>${share}, ` +
        `grouped into ${escapeHtml(plural(d.incidents.length, 'incident'))}.</p>`,
    );
    if (d.incidents.length > 0) {
      p.push('<p>The most important:</p><ol>');
      for (const inc of d.incidents.slice(0, Math.min(5, maxIncidents))) {
        p.push(`<li>${escapeHtml(incidentSentence(inc, tz))}</li>`);
      }
      p.push('</ol>');
    }
  }
  p.push('</div><div class="cards">');
  const card = (v: string, label: string, hot = false): string =>
    `<div class="card${hot ? ' hot' : ''}"><b>${escapeHtml(v)}</b><span>${escapeHtml(label)}</span></div>`;
  p.push(
    card(formatCount(i.events), 'login events'),
    card(formatCount(d.anomalies), 'anomalies', d.anomalies > 0),
    card(formatCount(d.incidents.length), 'incidents', d.incidents.length > 0),
    card(atLeast(i.hosts), 'hosts'),
    card(atLeast(i.users), 'users'),
    card(formatScore(d.threshold), 'score threshold'),
  );
  p.push('</div>');
  return p.join('');
}

/** One plain sentence for an incident (raw text; escape before putting it in HTML). */
export function incidentSentence(inc: ReportIncident, tz = 'UTC'): string {
  const when = `${formatTime(inc.start, tz)}${inc.end > inc.start ? ` to ${formatTime(inc.end, tz)}` : ''}`;
  return `${inc.summary} (${plural(inc.events, 'event')}, ${when}, max score ${formatScore(inc.maxScore)})`;
}

function incidentsSection(incidents: readonly ReportIncident[], tz: string): string {
  if (incidents.length === 0) return '<h2>Incidents</h2><p>No incidents.</p>';
  const rows = incidents.map((inc, n) => {
    const list = (xs: readonly string[]): string => escapeHtml(truncate(xs.slice(0, 5).join(', '), 120) + (xs.length > 5 ? ` +${xs.length - 5}` : ''));
    return (
      `<tr><td class="num">${n + 1}</td><td>${escapeHtml(inc.summary)}</td>` +
      `<td class="time">${escapeHtml(formatTime(inc.start, tz))}<br>${escapeHtml(formatTime(inc.end, tz))}</td>` +
      `<td class="num">${inc.events}</td><td class="num">${escapeHtml(formatScore(inc.maxScore))}</td>` +
      `<td class="who">${list(inc.users)}</td><td class="who">${list(inc.hosts)}</td><td class="who">${list(inc.sources)}</td></tr>`
    );
  });
  return (
    '<h2>Incidents</h2><table><thead><tr><th>#</th><th>What</th><th>When</th><th>Events</th><th>Max score</th>' +
    `<th>Users</th><th>Hosts</th><th>Sources</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  );
}

function flaggedSection(events: readonly ReportEvent[], total: number, tz: string): string {
  if (events.length === 0) return '<h2>Highest-scoring events</h2><p>No events.</p>';
  const rows = events.map((s, n) => {
    const e = s.event;
    const outcome = e.outcome === 'failure' || e.outcome === 'success' ? e.outcome : '';
    const reasons = s.reasons.length
      ? `<ul>${s.reasons.map((r) => `<li>${escapeHtml(truncate(r, 300))}</li>`).join('')}</ul>`
      : '';
    return (
      `<tr${s.isAnomaly ? ' class="anomaly"' : ''}><td class="num">${n + 1}</td>` +
      `<td class="time">${escapeHtml(formatTime(e.timestamp, tz, true))}</td>` +
      `<td><span class="tag ${outcome}">${escapeHtml(e.action)}</span> ${escapeHtml(e.outcome)}</td>` +
      `<td class="who">${escapeHtml(truncate(describeEventParties(e), 160))}${e.pid !== null ? ` <span class="tag">pid ${e.pid}</span>` : ''}</td>` +
      `<td class="num">${escapeHtml(formatScore(s.score))}</td><td class="num">${s.normalized.toFixed(3)}</td>` +
      `<td>${s.isAnomaly ? '<b>yes</b>' : 'no'}</td><td>${reasons}</td></tr>`
    );
  });
  const note = total > events.length ? `<p>Showing the top ${events.length} of ${total} kept events.</p>` : '';
  return (
    `<h2>Highest-scoring events</h2>${note}<table><thead><tr><th>#</th><th>Time (${escapeHtml(tz)})</th><th>Action</th>` +
    '<th>User@host from source</th><th>Score</th><th>Normalised</th><th>Flagged</th><th>Why</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

function countersSection(counters: Readonly<Record<string, Readonly<Record<string, number>>>>): string {
  const parts: string[] = ['<h2>Counters</h2><details><summary>What each stage counted</summary>'];
  for (const [stage, values] of Object.entries(counters)) {
    const rows = Object.entries(values)
      .map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td class="num">${escapeHtml(formatCount(v))}</td></tr>`)
      .join('');
    parts.push(`<h3>${escapeHtml(stage)}</h3><table><tbody>${rows}</tbody></table>`);
  }
  parts.push('</details>');
  return parts.join('');
}
