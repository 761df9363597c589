import { describe, expect, it } from 'vitest';
import type { LoginEvent } from '../../src/assemble/event.js';
import { FeatureEncoder } from '../../src/features/index.js';
import { ev, failed, T0 } from './helpers.js';

function* batches(n: number, users: number, sources: number, size = 5000): Generator<LoginEvent[]> {
  let s = 12345;
  const rnd = (m: number) => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) % m;
  for (let i = 0; i < n; i += size) {
    const b: LoginEvent[] = [];
    for (let j = i; j < Math.min(n, i + size); j++) {
      const t = T0 + j * 1000;
      const user = `u${rnd(users)}`;
      const src = `${1 + rnd(200)}.${rnd(256)}.${rnd(256)}.${rnd(256) % Math.ceil(sources / 65536 + 1)}`;
      b.push(
        rnd(4) === 0
          ? failed({ timestamp: t, userName: user, sourceIp: src, hostName: `h${rnd(1000)}` })
          : ev({ timestamp: t, userName: user, sourceIp: src, hostName: `h${rnd(1000)}`, sshKeyFingerprint: `SHA256:${user}` }),
      );
    }
    yield b;
  }
}

describe('bounded memory', () => {
  it('keeps state within its caps over 200k events from 50k users and ~millions of sources', async () => {
    const memory = { users: 4096, pairs: 16_384, sources: 8192, sketchWidth: 8192, sketchDepth: 4 };
    const enc = new FeatureEncoder({ memory });
    const start = enc.stateSize();
    await enc.fit(batches(200_000, 50_000, 50_000));
    const end = enc.stateSize();
    expect(end.events).toBe(200_000);
    expect(end.bytes).toBe(start.bytes); // allocated once, never grows
    for (const [table, n] of Object.entries(end.entries)) {
      expect(n, table).toBeLessThanOrEqual(end.capacity[table]);
      // The stream really filled it (user_method holds only unrecognised method strings; this stream has none: its
      // publickey/password logins are bits of the users' profiles).
      if (table === 'user_method') expect(n, table).toBe(0);
      else expect(n, table).toBeGreaterThan(end.capacity[table] * 0.5);
    }
    expect(end.evictions.profiles).toBeGreaterThan(0);
    expect(end.evictions.host_source).toBeGreaterThan(0);
    // Serialised state is bounded by the same caps.
    const json = JSON.stringify(enc.toJSON());
    expect(json.length).toBeLessThan(4 * end.totalBytes);
    console.log(
      `features memory: ${end.events} events -> state ${(end.bytes / 1e6).toFixed(2)} MB allocated, ` +
        `${Object.entries(end.entries).map(([k, v]) => `${k} ${v}/${end.capacity[k]}`).join(', ')}; JSON ${(json.length / 1e6).toFixed(2)} MB`,
    );
  });
});
