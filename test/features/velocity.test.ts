import { describe, expect, it } from 'vitest';
import { linearCount } from '../../src/features/sketch.js';
import { encoder, ev, failed, HOUR, MIN, rawRows, T0 } from './helpers.js';

describe('velocity family', () => {
  it('counts failures and distinct users per source in sliding windows', () => {
    const spray = [0, 1, 2, 3, 4].map((k) => failed({ timestamp: T0 + k * MIN, userName: `user${k}`, sourceIp: '198.51.100.7', failures: 2 }));
    const later = ev({ timestamp: T0 + 15 * MIN, userName: 'user0', sourceIp: '198.51.100.7' });
    const rows = rawRows(encoder(), [...spray, later]);
    for (let k = 0; k < 5; k++) {
      expect(rows[k]['velocity.source_failures_10m']).toBe(2 * k);
      expect(rows[k]['velocity.source_users_10m']).toBeCloseTo(linearCount(k), 12);
      expect(rows[k]['velocity.source_failures_1d']).toBe(2 * k);
    }
    // 15 min: the 10-minute bucket [10, 20) is half elapsed; the previous bucket counts for half.
    expect(rows[5]['velocity.source_failures_10m']).toBeCloseTo(10 * 0.5, 12);
    expect(rows[5]['velocity.source_users_10m']).toBeCloseTo(linearCount(5) * 0.5, 12);
    expect(rows[5]['velocity.source_failures_1d']).toBe(10);
    expect(rows[5]['velocity.source_users_1d']).toBeCloseTo(linearCount(5), 12);
  });

  it('counts distinct hosts and logins per user in the last hour', () => {
    const rows = rawRows(encoder(), [
      ev({ timestamp: T0, hostName: 'h1' }),
      ev({ timestamp: T0 + 5 * MIN, hostName: 'h2' }),
      ev({ timestamp: T0 + 10 * MIN, hostName: 'h3' }),
      ev({ timestamp: T0 + 90 * MIN, hostName: 'h4' }),
      ev({ timestamp: T0 + 5 * HOUR, hostName: 'h5' }),
    ]);
    expect(rows[0]['velocity.user_hosts_1h']).toBe(0);
    expect(rows[2]['velocity.user_hosts_1h']).toBeCloseTo(linearCount(2), 12);
    expect(rows[2]['velocity.user_logins_1h']).toBe(2);
    expect(rows[3]['velocity.user_hosts_1h']).toBeCloseTo(linearCount(3) * 0.5, 12);
    expect(rows[3]['velocity.user_logins_1h']).toBeCloseTo(1.5, 12);
    expect(rows[4]['velocity.user_logins_1h']).toBe(0);
  });

  it('names columns after configured windows and describes them', () => {
    const enc = encoder({ families: { velocity: { shortWindowMs: 5 * MIN, longWindowMs: 7 * 86_400_000, userWindowMs: 2 * HOUR } } });
    expect(enc.columns.filter((c) => c.startsWith('velocity.'))).toEqual([
      'velocity.user_hosts_2h',
      'velocity.user_logins_2h',
      'velocity.source_failures_5m',
      'velocity.source_users_5m',
      'velocity.source_failures_7d',
      'velocity.source_users_7d',
    ]);
    const e = failed({ sourceIp: '203.0.113.5' });
    expect(enc.describeRaw('velocity.source_failures_5m', e, 12)).toBe('12 failures from 203.0.113.5 in the last 5 minutes');
    expect(enc.describeRaw('velocity.source_users_7d', e, 40.2)).toBe('203.0.113.5 tried 40 different user names in the last 7 days');
  });
});
