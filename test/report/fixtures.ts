import { emptyEvent, type LoginEvent } from '../../src/assemble/event.js';
import { RunStats } from '../../src/pipeline/stats.js';
import type { ReportData, ReportIncident } from '../../src/report/types.js';

/** A user name an attacker could type into an ssh client. */
export const EVIL_USER = '<script>alert("x")</script>\u001b[31mred"><img src=x onerror=alert(1)>';

function ev(i: number, over: Partial<LoginEvent>): LoginEvent {
  const e = emptyEvent('ssh_session', Date.UTC(2026, 10, 1) + i * 60_000);
  e.hostName = `web-${i % 7}`;
  e.userName = `user${i % 13}`;
  e.sourceIp = `10.0.${i % 5}.${i % 250}`;
  e.action = 'ssh_login';
  e.outcome = 'success';
  e.pid = 1000 + i;
  e.end = e.timestamp + 30_000;
  return Object.assign(e, over);
}

/** Report data built through RunStats from `n` events with a few anomalies, one with attacker-typed text. */
export function sampleReport(n = 3000): ReportData {
  const stats = new RunStats({ keep: 200 });
  for (let i = 0; i < n; i++) {
    const evil = i === 1234;
    const e = ev(i, evil ? { userName: EVIL_USER, kind: 'ssh_failed', outcome: 'failure', action: 'ssh_failed_login' } : {});
    const score = evil ? 9.5 : i % 97 === 0 ? 2 + (i % 5) : 0.01 + ((i * 7919) % 1000) / 5000;
    const isAnomaly = score > 1;
    stats.add(e, score, isAnomaly, () => ({
      event: e,
      score,
      normalized: isAnomaly ? 0.999 : 0.5,
      isAnomaly,
      reasons: isAnomaly ? [`first login of ${e.userName ?? '?'} to ${e.hostName ?? '?'}`, 'x'.repeat(400)] : [],
    }));
  }
  const incidents: ReportIncident[] = [
    {
      summary: `password spraying from 203.0.113.9 against 40 users incl. ${EVIL_USER}`,
      start: Date.UTC(2026, 10, 1, 3),
      end: Date.UTC(2026, 10, 1, 4),
      events: 40,
      maxScore: 9.5,
      users: [EVIL_USER, 'bob'],
      hosts: ['web-1'],
      sources: ['203.0.113.9'],
    },
  ];
  return stats.toReportData({
    title: 'test report',
    files: ['history.log', `evil<b>.log`],
    lines: n * 4,
    threshold: 1,
    incidents,
    counters: { parse: { lines: n * 4, unknown: 3 } },
    evaluation: 'ROC-AUC 0.99 <x>',
    generatedAt: Date.UTC(2026, 10, 29),
  });
}
