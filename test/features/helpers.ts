import { emptyEvent, type LoginEvent } from '../../src/assemble/event.js';
import { FeatureEncoder, type FeatureSpec } from '../../src/features/index.js';

/** 2026-11-02 00:00 UTC, a Monday; aligned to every default window. */
export const T0 = Date.UTC(2026, 10, 2);
export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** A successful publickey ssh session with overrides. */
export function ev(over: Partial<LoginEvent> = {}): LoginEvent {
  const e = emptyEvent(over.kind ?? 'ssh_session', over.timestamp ?? T0);
  Object.assign(e, {
    hostName: 'web-01',
    userName: 'alice',
    sourceIp: '10.0.0.5',
    outcome: 'success',
    action: 'ssh_login',
    sshMethod: 'publickey',
    sshKeyType: 'ED25519',
    sshKeyFingerprint: 'SHA256:alicekey',
    end: (over.timestamp ?? T0) + MIN,
    endReason: 'disconnect',
    lines: 5,
  });
  return Object.assign(e, over);
}

/** A failed ssh login. */
export function failed(over: Partial<LoginEvent> = {}): LoginEvent {
  return ev({
    kind: 'ssh_failed',
    outcome: 'failure',
    action: 'ssh_failed_login',
    sshMethod: 'password',
    sshKeyType: null,
    sshKeyFingerprint: null,
    failures: 1,
    endReason: 'closed',
    ...over,
  });
}

/** Small tables so tests allocate little. */
export const SMALL: FeatureSpec['memory'] = { users: 256, pairs: 1024, sources: 256, sketchWidth: 1024, sketchDepth: 4 };

/** Raw (unscaled) values of each event, encoded in order with state updates; returns one record per event. */
export function rawRows(enc: FeatureEncoder, events: readonly LoginEvent[]): Record<string, number>[] {
  const raw = new Float64Array(events.length * enc.width);
  enc.transform(events, { raw });
  return events.map((_, i) => Object.fromEntries(enc.columns.map((c, j) => [c, raw[i * enc.width + j]])));
}

/** Encoder with small memory and the given spec. */
export function encoder(spec: FeatureSpec = {}): FeatureEncoder {
  return new FeatureEncoder({ memory: SMALL, ...spec });
}
