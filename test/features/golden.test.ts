/**
 * Golden outputs: the encoder's rows and state for a fixed, deterministic event sequence must stay
 * byte-identical. The hashes below were recorded from the implementation before the throughput work (issue 5,
 * bench/encode.ts) and guard every optimisation against changing what the encoder computes. If a change is
 * meant to alter results, it is a behaviour change: bump the state version and re-record deliberately.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { emptyEvent, type LoginEvent, type LoginEventKind } from '../../src/assemble/event.js';
import { FeatureEncoder, type FeatureSpec } from '../../src/features/index.js';

const T0 = Date.UTC(2026, 2, 20); // spans the 2026-03-29 EU DST change
const HOUR = 3_600_000;

/** ~20k varied events: several users, hosts, IPv4/IPv6/odd sources, null fields, failures, sudo, long gaps. */
function goldenEvents(n: number): LoginEvent[] {
  let s = 0x1234567;
  const rnd = (m: number): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % m;
  };
  const users = ['alice', 'bob', 'carol', 'dave', 'eve', 'root', 'deploy', 'backup', 'svc-ci', 'mallory', 'Ünïcødé', 'x'.repeat(70)];
  const hosts = ['web-01', 'web-02', 'db-07', 'bastion', 'build.corp', 'ws-13', ''];
  const sources = [
    '10.0.0.5', '10.0.0.6', '10.1.2.3', '192.168.1.20', '172.16.5.4', '203.0.113.5', '198.51.100.77', '127.0.0.1',
    '2001:db8::1', '2001:db8:1:2::42', 'fe80::1%eth0', '[2001:db8::7]', '::ffff:203.0.113.9', '::1', '::',
    'host.example.com', '999.1.1.1', '1.2.3', '', '100.64.3.3', '169.254.1.1', '0.0.0.0',
  ];
  const methods = ['publickey', 'password', 'keyboard-interactive/pam', 'hostbased', 'gssapi-with-mic', 'PublicKey', 'weird-method', null];
  const keyTypes = ['ED25519', 'RSA', 'ECDSA', 'DSA', 'ssh-ed25519', 'RSA-CERT', 'ECDSA-SK', 'blob', null];
  const kinds: LoginEventKind[] = ['ssh_session', 'ssh_failed', 'ssh_no_user', 'sudo', 'su', 'console', 'audit'];
  const out: LoginEvent[] = [];
  let t = T0;
  for (let i = 0; i < n; i++) {
    // Mostly seconds to minutes apart, sometimes hours, rarely weeks (dormant accounts, window resets).
    const g = rnd(1000);
    t += g < 900 ? rnd(120_000) : g < 995 ? rnd(6 * HOUR) : rnd(40 * 24 * HOUR);
    const r = rnd(100);
    let ts: number = t;
    if (r === 0) ts = t - rnd(30 * 60_000); // late event
    if (i % 997 === 500) ts = NaN; // unusable time
    const kind = kinds[r < 45 ? 0 : r < 70 ? 1 : r < 75 ? 2 : r < 88 ? 3 : r < 92 ? 4 : r < 96 ? 5 : 6];
    const e = emptyEvent(kind, ts);
    const u = rnd(7) === 0 ? rnd(users.length) : rnd(5);
    e.userName = kind === 'ssh_no_user' || rnd(60) === 0 ? null : users[u];
    e.hostName = rnd(80) === 0 ? null : hosts[(u + rnd(rnd(4) === 0 ? 7 : 2)) % hosts.length];
    const brute = rnd(10) === 0;
    e.sourceIp =
      kind === 'sudo' || kind === 'su' || kind === 'console' ? null : brute ? `203.0.113.${rnd(8)}` : sources[(u * 3 + rnd(rnd(5) === 0 ? sources.length : 2)) % sources.length];
    if (kind === 'ssh_failed' || (kind === 'ssh_no_user' && rnd(2) === 0)) {
      e.outcome = 'failure';
      e.action = 'ssh_failed_login';
      e.failures = rnd(4) === 0 ? 0 : 1 + rnd(9);
      e.sshMethod = rnd(4) === 0 ? methods[rnd(methods.length)] : 'password';
      e.invalidUser = rnd(3) === 0;
      e.endReason = 'closed';
      if (brute) e.userName = `guess${rnd(300)}`;
    } else {
      e.outcome = kind === 'audit' && rnd(3) === 0 ? 'unknown' : 'success';
      e.action = kind === 'sudo' ? 'sudo' : kind === 'su' ? 'su' : 'ssh_login';
      const m = rnd(8) < 5 ? 'publickey' : methods[rnd(methods.length)];
      e.sshMethod = kind.startsWith('ssh') ? m : null;
      if (m === 'publickey' && kind.startsWith('ssh')) {
        e.sshKeyType = keyTypes[rnd(keyTypes.length)];
        e.sshKeyFingerprint = rnd(10) === 0 ? null : `SHA256:${e.userName ?? 'none'}-${rnd(3)}`;
      }
      if (kind === 'sudo' || kind === 'su') e.userEffectiveName = rnd(3) === 0 ? 'postgres' : 'root';
      const open = rnd(20) === 0;
      e.end = open ? null : rnd(30) === 0 ? NaN : ts + rnd(4 * HOUR);
      e.endReason = open ? 'open' : rnd(2) === 0 ? 'disconnect' : 'timeout';
      if (rnd(25) === 0) e.failures = 1 + rnd(3);
    }
    e.incomplete = rnd(40) === 0;
    e.pid = rnd(60_000);
    e.lines = 1 + rnd(6);
    out.push(e);
  }
  return out;
}

function sha(...parts: (ArrayBufferView | string)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(typeof p === 'string' ? p : new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
  return h.digest('hex');
}

function batches(events: readonly LoginEvent[], size: number): LoginEvent[][] {
  const out: LoginEvent[][] = [];
  for (let i = 0; i < events.length; i += size) out.push(events.slice(i, i + size));
  return out;
}

interface Golden {
  rows: string;
  raw: string;
  state: string;
  frozenRows: string;
}

async function run(spec: FeatureSpec, events: readonly LoginEvent[]): Promise<Golden> {
  const enc = new FeatureEncoder(spec);
  await enc.fit(batches(events, 1000));
  enc.resetHistory();
  const rowParts: Float32Array[] = [];
  const rawParts: Float64Array[] = [];
  for (const b of batches(events, 777)) {
    const raw = new Float64Array(b.length * enc.width);
    rowParts.push(enc.transform(b, { raw }));
    rawParts.push(raw);
  }
  const state = JSON.stringify(enc.toJSON());
  // Transform without state updates (every event sees the end-of-history state).
  const frozen = enc.transform(events.slice(0, 3000), { update: false });
  return { rows: sha(...rowParts), raw: sha(...rawParts), state: sha(state), frozenRows: sha(frozen) };
}

const EVENTS = goldenEvents(20_000);

describe('golden outputs (byte-identical to the reference implementation)', () => {
  it('default spec: fit + resetHistory + transform rows and toJSON', async () => {
    const g = await run({}, EVENTS);
    expect(g).toEqual({
      rows: 'c0b05ad35f6ffd2101a81362c13ec136d95f3a51d5574d0dc0143154fe1af1b9',
      raw: '2f8de7c2bca9fc282e9a1927ab5ae1624d4b7f8cc7ee543d3f5954bb77215770',
      state: 'b3edec16857a44593bb897b1cb8ebe92e2e99449e628ca852c55328e55b145d9',
      frozenRows: '51651a6116b7825668045575ae060c6f7af73aab6135b2031982760cb6e69283',
    });
  });

  it('IANA time zone across DST, small memory (evictions), custom weights', async () => {
    const g = await run(
      {
        timezone: 'Europe/Berlin',
        memory: { users: 16, pairs: 64, sources: 16, sketchWidth: 256, sketchDepth: 2 },
        weights: { 'novelty.*': 2 },
        scaling: { sampleSize: 512 },
      },
      EVENTS,
    );
    expect(g).toEqual({
      rows: '9e91d6b2394f11ef0c1c6f93dce7146e72ca6dd7782a6b8bd452b765364d554e',
      raw: 'b78362bc94d9509b7e5f5fdd531546805c9be88b33fa8eb0c83a7267c1796130',
      state: '0952d2a1767f3f42b0b4442079794d37cba1dc947e3e73cb6f04070c8ef7bd7f',
      frozenRows: '7e2787872c2a53be17d3e150c7d275a53981522be57440f3291bb99c76563c4b',
    });
  });

  it('custom features (encoded one event at a time) and a fixed-offset time zone', async () => {
    const g = await run(
      {
        timezone: '+05:30',
        custom: [
          { name: 'odd_pid', compute: (e) => (e.pid ?? 0) % 2, weight: 0.5 },
          {
            name: 'user_len',
            compute: (e, ctx) => (e.userName?.length ?? 0) + ctx.localHour / 100 + ctx.userLogins,
            transform: 'log1p',
            scaling: 'robust',
          },
        ],
      },
      EVENTS,
    );
    expect(g).toEqual({
      rows: '8421c9db13d28d18762118c5db414a3832302d573eef75ebf9cce5233d6cc55d',
      raw: '9119bdd3dc12b8af0f42b8a8fc07f89e33acb6b8a89ac890b3aca02a255a640c',
      state: '1f0d3cc94a3dcbc39c5f0b888a1c59a24451a41ea5c72d76c978b5aeedf83545',
      frozenRows: '8367956b20b2116821043334e09a46e5adc06149bc07af951e670d8e2dce3655',
    });
  });
});
