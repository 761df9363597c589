import { describe, expect, it } from 'vitest';
import { encoder, ev, failed, HOUR, T0 } from './helpers.js';

describe('describe: phrases from raw values', () => {
  it('says what idle days mean for a failed attempt (the account was tried, not seen: the feature is 0)', () => {
    const enc = encoder();
    const f = failed({ timestamp: T0 + HOUR, userName: 'iwood', sourceIp: '45.16.65.149' });
    expect(enc.describeRaw('novelty.user_idle_days', f, 0)).toBe('failed attempt on iwood (dormancy is measured on successful logins only)');
    const ok = ev({ timestamp: T0 + HOUR, userName: 'iwood' });
    expect(enc.describeRaw('novelty.user_idle_days', { ...ok, userName: 'root' }, 0)).toBe('root has no earlier successful login on record');
    expect(enc.describeRaw('novelty.user_idle_days', ok, 4 / 24)).toBe('iwood was last seen 4h 00m ago');
  });

  it('reports window counts as given (the scorer must pass raw values: a clipped scaled value is not a count)', () => {
    const enc = encoder();
    const f = failed({ timestamp: T0 + HOUR, userName: 'iwood', sourceIp: '45.16.65.149' });
    const col = enc.columns.find((c) => c.startsWith('velocity.source_failures_') && c !== 'velocity.source_failures_1d');
    expect(col).toBeDefined();
    expect(enc.describeRaw(col as string, f, 217)).toMatch(/^217 failures from 45\.16\.65\.149 in the last /);
  });
});
