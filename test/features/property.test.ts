import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LoginEvent, LoginEventKind } from '../../src/assemble/event.js';
import { FeatureEncoder } from '../../src/features/index.js';
import { SMALL } from './helpers.js';

const kinds: LoginEventKind[] = ['ssh_session', 'ssh_failed', 'ssh_no_user', 'sudo', 'su', 'console', 'audit'];
const weirdString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', '::', '::ffff:', '1.2.3.4.5', '999.999.999.999', 'fe80::1%', '[::1]', '\u0000', 'a:b:c:d:e:f:1:2', 'RSA-CERT', 'root'),
  fc.ipV4(),
  fc.ipV6(),
);
const optString = fc.option(weirdString, { nil: null });
const num = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(NaN, Infinity, -Infinity, 1e300, -1e300, 8.64e15, 0, -1));

const eventArb: fc.Arbitrary<LoginEvent> = fc.record({
  kind: fc.constantFrom(...kinds),
  timestamp: fc.oneof(num, fc.integer({ min: 1.7e12, max: 1.8e12 })),
  end: fc.option(num, { nil: null }),
  hostName: optString,
  pid: fc.option(fc.integer(), { nil: null }),
  userName: optString,
  userEffectiveName: optString,
  sourceIp: optString,
  sourcePort: fc.option(fc.integer(), { nil: null }),
  outcome: fc.constantFrom('success', 'failure', 'unknown'),
  action: weirdString,
  sshMethod: optString,
  sshKeyType: optString,
  sshKeyFingerprint: optString,
  failures: num,
  invalidUser: fc.boolean(),
  sessionId: optString,
  tty: optString,
  workingDirectory: optString,
  command: optString,
  endReason: fc.constantFrom('disconnect', 'timeout', 'reset', 'closed', 'open', 'evicted', null),
  reason: optString,
  lines: fc.integer(),
  incomplete: fc.boolean(),
});

describe('finiteness (property)', () => {
  it('never produces NaN or Infinity, and respects the clip, for arbitrary events', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(eventArb, { minLength: 1, maxLength: 40 }), fc.array(eventArb, { minLength: 1, maxLength: 40 }), async (train, test) => {
        const enc = new FeatureEncoder({
          memory: SMALL,
          timezone: 'America/New_York',
          custom: [{ name: 'nan', compute: () => NaN }, { name: 'boom', compute: () => { throw new Error('x'); } }],
        });
        await enc.fit([train]);
        const raw = new Float64Array(test.length * enc.width);
        const rows = enc.transform(test, { raw });
        expect(rows.length).toBe(test.length * enc.width);
        // Built-in unscaled identity columns are finite and within [-1, 1] (the encoder skips clipping them).
        const unit = enc.columnInfo().map((c) => c.family !== 'custom' && c.scaling === 'none' && c.transform === 'identity');
        for (let i = 0; i < raw.length; i++) {
          if (unit[i % enc.width]) {
            expect(Number.isFinite(raw[i])).toBe(true);
            expect(Math.abs(raw[i])).toBeLessThanOrEqual(1);
          }
        }
        for (const v of rows) {
          expect(Number.isFinite(v)).toBe(true);
          expect(Math.abs(v)).toBeLessThanOrEqual(10);
        }
        for (const e of test.slice(0, 3)) {
          for (let c = 0; c < enc.width; c++) expect(typeof enc.describe(enc.columns[c], e, rows[c])).toBe('string');
        }
        // State stays serialisable.
        const json = JSON.stringify(enc.toJSON());
        expect(/[:[,]null[,}\]]/.test(json)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });
});
