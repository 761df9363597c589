/**
 * A terminal summary that fits one screen: at most `maxLines` lines (default 40) of at most `width` columns
 * (default 100). Log text is cleaned of control characters, so a crafted user name cannot move the cursor or
 * recolour the terminal.
 *
 * @module
 */
import type { ReportData } from './types.js';
import { incidentSentence } from './html.js';
import { cleanText, describeEventParties, formatCount, formatScore, formatSpan, formatTime, plural, wrapWords } from './format.js';

/** Options for {@link renderTerminalSummary}. */
export interface TerminalSummaryOptions {
  /** Maximum columns per line (default 100). */
  width?: number;
  /** Maximum lines (default 40). */
  maxLines?: number;
  /** Maximum anomalies listed (default 10). */
  top?: number;
}

/** Renders the one-screen summary (no trailing newline). */
export function renderTerminalSummary(data: ReportData, options: TerminalSummaryOptions = {}): string {
  const width = Math.max(40, options.width ?? 100);
  const maxLines = Math.max(12, options.maxLines ?? 40);
  const top = options.top ?? 10;
  const tz = data.timeZone ?? 'UTC';
  const fit = (s: string): string => cleanText(s, width);
  const i = data.input;
  const head: string[] = [];
  head.push(fit(`== ${data.title} ==`));
  const period =
    i.periodStart !== null && i.periodEnd !== null
      ? `${formatTime(i.periodStart, tz)} .. ${formatTime(i.periodEnd, tz)} ${tz} (${formatSpan(i.periodEnd - i.periodStart)})`
      : 'no events';
  head.push(fit(`Analysed ${plural(i.lines, 'line')}, ${plural(i.events, 'login event')}: ${period}`));
  const cap = (n: number): string => (n >= i.distinctCap ? `>=${formatCount(n)}` : formatCount(n));
  head.push(fit(`  ${cap(i.hosts)} hosts, ${cap(i.users)} users, ${cap(i.sources)} sources`));
  const share = i.events > 0 ? ` (${((100 * data.anomalies) / i.events).toFixed(2)}%)` : '';
  head.push(
    fit(
      `Anomalies: ${formatCount(data.anomalies)}${share} above threshold ${formatScore(data.threshold)}; ` +
        `${plural(data.incidents.length, 'incident')}`,
    ),
  );

  for (const w of data.warnings ?? []) head.push(...wrapWords(`Caution: ${cleanText(w)}`, width, '  '));

  const incidents: string[] = [];
  if (data.incidents.length > 0) {
    incidents.push('', 'Top incidents:');
    data.incidents.slice(0, 5).forEach((inc, n) => incidents.push(fit(`${String(n + 1).padStart(2)}. ${incidentSentence(inc, tz)}`)));
  }

  const entities: string[] = [];
  const ent = (label: string, xs: ReportData['topUsers']): void => {
    if (xs.length === 0) return;
    entities.push(fit(`${label}: ${xs.slice(0, 6).map((x) => `${x.name} (${x.anomalies})`).join(', ')}`));
  };
  ent('Top users  ', data.topUsers);
  ent('Top hosts  ', data.topHosts);
  ent('Top sources', data.topSources);
  if (entities.length) entities.unshift('');

  // Anomalies get whatever room is left: one line per event plus up to two reason lines.
  const room = maxLines - head.length - incidents.length - entities.length - 2;
  const events: string[] = [];
  const anomalous = data.flagged.filter((s) => s.isAnomaly);
  const list = collapseSimilar(anomalous.length > 0 ? anomalous : data.flagged.slice(0, 5), top);
  if (list.length > 0 && room > 1) {
    events.push('', anomalous.length > 0 ? 'Top anomalies:' : 'Highest-scoring events (none above threshold):');
    for (let n = 0; n < list.length; n++) {
      const { s, similar } = list[n];
      const left = room - events.length;
      if (left < 1) break;
      const e = s.event;
      // Similar events (same action, parties) are collapsed into one line; say how many, in words that cannot be
      // mistaken for a failure count.
      const more = similar > 0 ? `  (+${similar} similar)` : '';
      events.push(
        fit(`${String(n + 1).padStart(2)}. ${formatScore(s.score).padStart(8)}  ${formatTime(e.timestamp, tz)}  ${e.action}/${e.outcome}  ${describeEventParties(e)}${more}`),
      );
      const reasonsRoom = Math.min(2, room - events.length - (list.length - n - 1));
      for (const r of s.reasons.slice(0, Math.max(0, reasonsRoom))) events.push(fit(`      - ${r}`));
    }
  }
  const lines = [...head, ...incidents, ...events, ...entities];
  return lines.slice(0, maxLines).join('\n');
}

/**
 * Collapses events with the same action, outcome, user, host and source into the highest-scoring one, so one
 * brute-force run does not fill the screen; keeps the first `top` groups in score order.
 */
function collapseSimilar(events: ReportData['flagged'], top: number): { s: ReportData['flagged'][number]; similar: number }[] {
  const groups = new Map<string, { s: ReportData['flagged'][number]; similar: number }>();
  for (const s of events) {
    const e = s.event;
    const key = `${e.action}\u0000${e.outcome}\u0000${e.userName}\u0000${e.hostName}\u0000${e.sourceIp}`;
    const g = groups.get(key);
    if (g) g.similar++;
    else if (groups.size < top) groups.set(key, { s, similar: 0 });
  }
  return [...groups.values()];
}
