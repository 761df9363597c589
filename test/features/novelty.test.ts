import { describe, expect, it } from 'vitest';
import { DAY, encoder, ev, failed, HOUR, rawRows, T0 } from './helpers.js';

const N = (r: Record<string, number>) =>
  Object.fromEntries(Object.entries(r).filter(([k]) => k.startsWith('novelty.')).map(([k, v]) => [k.slice(8), v]));

describe('novelty family', () => {
  it('marks first times and rarity against earlier established logins only', () => {
    const rows = rawRows(encoder(), [
      ev({ timestamp: T0 }),
      ev({ timestamp: T0 + 2 * DAY }),
      ev({ timestamp: T0 + 3 * DAY, hostName: 'db-07', sourceIp: '10.0.0.9', sshMethod: 'password', sshKeyType: null, sshKeyFingerprint: null }),
      failed({ timestamp: T0 + 3 * DAY + HOUR, userName: 'bob', sourceIp: '203.0.113.5' }),
      failed({ timestamp: T0 + 3 * DAY + 2 * HOUR, userName: 'bob', sourceIp: '203.0.113.5' }),
      ev({ timestamp: T0 + 4 * DAY, sshKeyFingerprint: 'SHA256:otherkey' }),
    ]).map(N);
    expect(rows[0]).toEqual({
      user_new: 1,
      user_host_new: 1,
      user_subnet_new: 1,
      user_key_new: 1,
      user_method_new: 1,
      host_source_new: 1,
      user_idle_days: 0,
      host_rarity_user: 1,
      source_rarity: 1,
      subnet_rarity: 1,
    });
    expect(rows[1]).toEqual({
      user_new: 0,
      user_host_new: 0,
      user_subnet_new: 0,
      user_key_new: 0,
      user_method_new: 0,
      host_source_new: 0,
      user_idle_days: 2,
      host_rarity_user: 0.5, // 1 - 1/(1+1)
      source_rarity: 0.5, // seen once before
      subnet_rarity: 0.5,
    });
    expect(rows[2]).toEqual({
      user_new: 0,
      user_host_new: 1,
      user_subnet_new: 0, // 10.0.0.9 is in alice's 10.0.0.0/24
      user_key_new: 0, // no key in this login
      user_method_new: 1,
      host_source_new: 1,
      user_idle_days: 1,
      host_rarity_user: 1,
      source_rarity: 1,
      subnet_rarity: Math.fround(1 / 3), // bounded ("unit") raw values are float32, like the rows
    });
    // Failures never make bob or his source known.
    expect(rows[3].user_new).toBe(1);
    expect(rows[4].user_new).toBe(1);
    expect(rows[4].host_source_new).toBe(1);
    expect(rows[4].source_rarity).toBe(1);
    expect(rows[5].user_key_new).toBe(1);
    expect(rows[5].host_rarity_user).toBeCloseTo(1 - 2 / 4, 12);
  });

  it('measures dormancy in days since the last successful login, on established logins only', () => {
    const rows = rawRows(encoder(), [ev({ timestamp: T0 }), failed({ timestamp: T0 + 50 * DAY }), ev({ timestamp: T0 + 142 * DAY })]).map(N);
    // A failed attempt does not bring the account back to life (scanners trying `root` all week would otherwise
    // carry an idle time that grows with the calendar); it does not reset the idle clock either.
    expect(rows[1].user_idle_days).toBe(0);
    expect(rows[2].user_idle_days).toBe(142);
  });

  it('counts sudo and su as methods: the first escalation of an account is a first-time method', () => {
    const sudo = (t: number, user = 'alice') =>
      ev({ timestamp: t, kind: 'sudo', action: 'sudo', userName: user, userEffectiveName: 'root', sshMethod: null, sshKeyType: null, sshKeyFingerprint: null, sourceIp: null });
    const rows = rawRows(encoder(), [
      ev({ timestamp: T0 }),
      sudo(T0 + HOUR),
      sudo(T0 + 2 * HOUR),
      ev({ timestamp: T0 + 3 * HOUR, kind: 'su', action: 'su', userEffectiveName: 'root', sshMethod: null, sshKeyType: null, sshKeyFingerprint: null, sourceIp: null }),
      sudo(T0 + 4 * HOUR, 'bob'),
    ]).map(N);
    expect(rows.map((r) => r.user_method_new)).toEqual([1, 1, 0, 1, 1]);
    const enc = encoder();
    expect(enc.describeRaw('novelty.user_method_new', sudo(T0), 1)).toBe('first sudo by alice: the account never used sudo before');
  });

  it('describes novelty for a manager', () => {
    const enc = encoder();
    const e = ev({ hostName: 'db-07', sourceIp: '203.0.113.5' });
    expect(enc.describeRaw('novelty.user_host_new', e, 1)).toBe('first login of alice to db-07');
    expect(enc.describeRaw('novelty.user_subnet_new', e, 1)).toBe('source 203.0.113.5 (203.0.113.0/24) never seen for alice');
    expect(enc.describeRaw('novelty.user_idle_days', e, 142)).toBe('alice was last seen 142 days ago (dormant account)');
    expect(enc.describeRaw('novelty.source_rarity', e, 1)).toBe('source 203.0.113.5 was never seen in a successful login before');
  });
});

describe('describe without a value', () => {
  it("returns '' for value-dependent columns and still describes the event otherwise", () => {
    const enc = encoder();
    const e = ev({ hostName: 'db-07', timestamp: Date.UTC(2026, 10, 29, 3, 12) });
    expect(enc.describe('novelty.user_host_new', e, NaN)).toBe('');
    expect(enc.describe('velocity.source_failures_10m', e, NaN)).toBe('');
    expect(enc.describe('what.method=publickey', e, NaN)).toBe('authentication method: publickey');
    expect(enc.describe('time.weekend', e, NaN)).toBe('login on a weekend day (Sunday)');
    expect(enc.describe('what.duration_s', e, NaN)).toBe('session lasted 60 seconds');
  });
});
