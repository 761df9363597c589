import { describe, expect, it } from 'vitest';
import { DAY, encoder, ev, failed, HOUR, rawRows, T0 } from './helpers.js';

function hot(r: Record<string, number>, prefix: string): string[] {
  return Object.keys(r).filter((k) => k.startsWith(prefix) && r[k] === 1);
}

describe('what family', () => {
  it('one-hot encodes kind, outcome, action, method and key type', () => {
    const [a, b, c] = rawRows(encoder({ families: { what: { actions: ['ssh_login', 'sudo'] } } }), [
      ev(),
      failed({ sshMethod: 'gssapi-with-mic', action: 'ssh_weird_action' }),
      ev({ kind: 'sudo', action: 'sudo', sshMethod: null, sshKeyType: 'RSA-CERT', outcome: 'unknown' }),
    ]);
    expect(hot(a, 'what.kind=')).toEqual(['what.kind=ssh_session']);
    expect(hot(a, 'what.outcome=')).toEqual(['what.outcome=success']);
    expect(hot(a, 'what.action=')).toEqual(['what.action=ssh_login']);
    expect(hot(a, 'what.method=')).toEqual(['what.method=publickey']);
    expect(hot(a, 'what.key_type=')).toEqual(['what.key_type=ed25519']);
    expect(hot(b, 'what.kind=')).toEqual(['what.kind=ssh_failed']);
    expect(hot(b, 'what.outcome=')).toEqual(['what.outcome=failure']);
    expect(hot(b, 'what.action=')).toEqual(['what.action=other']);
    expect(hot(b, 'what.method=')).toEqual(['what.method=gssapi']);
    expect(hot(b, 'what.key_type=')).toEqual(['what.key_type=missing']);
    expect(hot(c, 'what.kind=')).toEqual(['what.kind=sudo']);
    expect(hot(c, 'what.outcome=')).toEqual(['what.outcome=unknown']);
    expect(hot(c, 'what.method=')).toEqual(['what.method=missing']);
    expect(hot(c, 'what.key_type=')).toEqual(['what.key_type=rsa']);
  });

  it('has no action columns by default (the kind one-hot carries the same information)', () => {
    expect(encoder().columns.some((c) => c.startsWith('what.action'))).toBe(false);
  });

  it('reports failures, duration, still-open, root and invalid-user flags', () => {
    const [a, b, c, d, e] = rawRows(encoder(), [
      failed({ failures: 3, invalidUser: true, userName: 'admin' }),
      ev({ end: T0 + 2 * HOUR }),
      ev({ end: null, endReason: 'open', incomplete: true }),
      ev({ kind: 'sudo', action: 'sudo', userEffectiveName: 'root', userName: 'bob', end: null, endReason: null }),
      ev({ userName: 'root' }),
    ]);
    expect(a['what.failures']).toBe(3);
    expect(a['what.invalid_user']).toBe(1);
    expect(b['what.duration_s']).toBe(7200);
    expect(b['what.still_open']).toBe(0);
    expect(c['what.still_open']).toBe(1);
    expect(c['what.duration_s']).toBe(0);
    expect(c['what.incomplete']).toBe(1);
    expect(d['what.sudo_root']).toBe(1);
    expect(d['what.still_open']).toBe(0);
    expect(e['what.root_login']).toBe(1);
    expect(a['what.root_login']).toBe(0);
  });

  it('flags a password login by an account that used keys', () => {
    const keys = [0, 1, 2, 3, 4].map((d) => ev({ timestamp: T0 + d * DAY }));
    const pw = (d: number) => ev({ timestamp: T0 + d * DAY, sshMethod: 'password', sshKeyType: null, sshKeyFingerprint: null });
    const rows = rawRows(encoder(), [...keys, pw(5), pw(6)]);
    expect(rows[4]['what.password_by_key_user']).toBe(0); // key login: never fires
    expect(rows[5]['what.password_by_key_user']).toBe(1); // 5 of 5 earlier logins by key
    expect(rows[6]['what.password_by_key_user']).toBeCloseTo(5 / 6, 6); // bounded raw values are float32
    // Below minHistory nothing fires.
    const few = rawRows(encoder(), [ev(), ev({ timestamp: T0 + DAY }), pw(2)]);
    expect(few[2]['what.password_by_key_user']).toBe(0);
  });

  it('describes the flags in plain words', () => {
    const enc = encoder();
    const s = ev({ kind: 'sudo', action: 'sudo', userName: 'bob', userEffectiveName: 'root' });
    expect(enc.describeRaw('what.sudo_root', s, 1)).toBe('sudo to root by bob');
    expect(enc.describeRaw('what.password_by_key_user', ev(), 1)).toBe('password login by an account that always used keys (alice)');
    expect(enc.describeRaw('what.failures', failed({ failures: 4 }), 4)).toBe('4 failed attempts within this login');
    expect(enc.describeRaw('what.duration_s', ev({ end: T0 + 9 * HOUR }), 9 * 3600 + 12 * 60)).toBe('session lasted 9h 12m');
  });
});
