import { describe, expect, it } from 'vitest';
import { DAY, encoder, ev, HOUR, MIN, rawRows, T0 } from './helpers.js';

// Bounded ("unit") raw values such as sin/cos and rarities are float32, like the rows: compared to 6 digits.
describe('time family', () => {
  it('encodes local hour and weekday on the circle in UTC', () => {
    const [r] = rawRows(encoder(), [ev({ timestamp: T0 + 6 * HOUR })]); // Monday 06:00
    expect(r['time.hour_sin']).toBeCloseTo(1, 6);
    expect(r['time.hour_cos']).toBeCloseTo(0, 6);
    expect(r['time.weekday_sin']).toBeCloseTo(Math.sin((2 * Math.PI) / 7), 6);
    expect(r['time.weekday_cos']).toBeCloseTo(Math.cos((2 * Math.PI) / 7), 6);
    expect(r['time.weekend']).toBe(0);
  });

  it('uses the configured IANA time zone, across a DST change', () => {
    const enc = encoder({ timezone: 'Europe/Berlin' });
    // Sunday 2026-11-29 23:30 UTC = Monday 00:30 CET (+01:00).
    const winter = Date.UTC(2026, 10, 29, 23, 30);
    // Sunday 2026-03-29 01:30 UTC = 03:30 CEST (+02:00), right after the switch.
    const summer = Date.UTC(2026, 2, 29, 1, 30);
    const [a, b] = rawRows(enc, [ev({ timestamp: winter }), ev({ timestamp: summer })]);
    expect(a['time.hour_sin']).toBeCloseTo(Math.sin((2 * Math.PI * 0.5) / 24), 6);
    expect(a['time.weekend']).toBe(0);
    expect(a['time.weekday_sin']).toBeCloseTo(Math.sin((2 * Math.PI * 1) / 7), 6);
    expect(b['time.hour_sin']).toBeCloseTo(Math.sin((2 * Math.PI * 3.5) / 24), 6);
    expect(b['time.weekend']).toBe(1);
  });

  it('accepts fixed offsets and configurable weekend days', () => {
    const enc = encoder({ timezone: '+05:30', families: { time: { weekendDays: [5, 6] } } });
    // Thursday 2026-11-05 20:00 UTC = Friday 01:30 at +05:30.
    const [r] = rawRows(enc, [ev({ timestamp: Date.UTC(2026, 10, 5, 20) })]);
    expect(r['time.hour_cos']).toBeCloseTo(Math.cos((2 * Math.PI * 1.5) / 24), 6);
    expect(r['time.weekend']).toBe(1);
  });

  it("measures the hour against the user's usual hours (no look-ahead)", () => {
    const enc = encoder();
    const history = [0, 1, 2, 3, 4].map((d) => ev({ timestamp: T0 + d * DAY + 9 * HOUR }));
    const rows = rawRows(enc, [
      ...history,
      ev({ timestamp: T0 + 5 * DAY + 15 * HOUR }),
      ev({ timestamp: T0 + 6 * DAY + 10 * HOUR }),
    ]);
    // The first five logins have fewer than minHistory (5) earlier logins: nothing known yet.
    for (let i = 0; i < 5; i++) expect(rows[i]['time.hour_offset_user']).toBe(0);
    // 15:00 against five logins at 09:00 (concentration 1): 6 hours off; no login within ±1 h.
    expect(rows[5]['time.hour_offset_user']).toBeCloseTo(6, 9);
    expect(rows[5]['time.hour_rarity_user']).toBeCloseTo(1, 6);
    // 10:00 after six logins (5 at 09:00, 1 at 15:00): mean hour and concentration from the circle.
    const c = 5 * Math.cos((9 * Math.PI) / 12) + Math.cos((15 * Math.PI) / 12);
    const s = 5 * Math.sin((9 * Math.PI) / 12) + Math.sin((15 * Math.PI) / 12);
    let mean = (Math.atan2(s, c) * 12) / Math.PI;
    if (mean < 0) mean += 24;
    const r = Math.sqrt(c * c + s * s) / 6;
    expect(rows[6]['time.hour_offset_user']).toBeCloseTo(r * Math.abs(10 - mean), 9);
    // 5 of 6 logins are within ±1 h of 10:00.
    expect(rows[6]['time.hour_rarity_user']).toBeCloseTo(1 - 5 / 6, 6);
  });

  it('describes the hour against the usual range', () => {
    const enc = encoder();
    const history = Array.from({ length: 20 }, (_, d) => ev({ timestamp: T0 + d * DAY + (8 + (d % 10)) * HOUR + 5 * MIN }));
    rawRows(enc, history);
    // 20 logins spread over 08:05..17:05: the shortest run of hours holding 80% of them is 08:00-17:00.
    const late = ev({ timestamp: T0 + 21 * DAY + 3 * HOUR + 12 * MIN });
    const [r] = rawRows(enc, [late]);
    expect(enc.describeRaw('time.hour_offset_user', late, r['time.hour_offset_user'])).toBe(
      "03:12 is far outside alice's usual 08:00-17:00 (UTC)",
    );
  });
});
