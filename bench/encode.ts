/**
 * Feature-encoder throughput: events/s of the default spec over ~1M synthetic login events with realistic
 * cardinalities (3,000 users, 1,000 hosts, ~5,000 internal and ~200,000 external source addresses, 20% failed
 * logins, some sudo). Every event has its own string objects (as parser output does), so string hashing is
 * measured, not skipped. Run: `npx tsx bench/encode.ts [events]`.
 */
import { emptyEvent, type LoginEvent } from '../src/assemble/event.js';
import { FeatureEncoder } from '../src/features/index.js';

const TOTAL = Number(process.argv[2] ?? 1_000_000);
const POOL = Math.min(TOTAL, 250_000);
const BATCH = 4096;
const T0 = Date.UTC(2026, 9, 1);

function makeEvents(n: number): LoginEvent[] {
  let s = 42;
  const rnd = (m: number): number => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) % m;
  const out: LoginEvent[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const t = T0 + i * 250 + rnd(250);
    const r = rnd(100);
    const u = rnd(3000);
    const user = `user${u}`;
    // Users mostly use a handful of hosts (5 per user), sometimes another one.
    const host = rnd(50) === 0 ? `srv-${rnd(1000)}.corp` : `srv-${(u * 7 + rnd(5) * 131) % 1000}.corp`;
    let e: LoginEvent;
    if (r < 20) {
      e = emptyEvent('ssh_failed', t);
      e.outcome = 'failure';
      e.action = 'ssh_failed_login';
      e.userName = rnd(4) === 0 ? `admin${rnd(500)}` : user;
      e.sourceIp = `${1 + rnd(220)}.${rnd(256)}.${rnd(256)}.${rnd(4)}`;
      e.sshMethod = 'password';
      e.failures = 1 + rnd(6);
      e.endReason = 'closed';
    } else if (r < 30) {
      e = emptyEvent('sudo', t);
      e.outcome = 'success';
      e.action = 'sudo';
      e.userName = user;
      e.userEffectiveName = rnd(3) === 0 ? 'postgres' : 'root';
      e.command = '/usr/bin/systemctl restart app';
    } else {
      e = emptyEvent('ssh_session', t);
      e.outcome = 'success';
      e.action = 'ssh_login';
      e.userName = user;
      // Each user works from one of two internal workstations, sometimes from elsewhere (5,000 internal addresses).
      e.sourceIp = rnd(20) === 0 ? `10.${rnd(20)}.${rnd(16)}.${rnd(16)}` : `10.${u % 20}.${(u >> 5) % 16}.${(u + rnd(2)) % 16}`;
      const key = rnd(10) < 8;
      e.sshMethod = key ? 'publickey' : 'password';
      e.sshKeyType = key ? 'ED25519' : null;
      e.sshKeyFingerprint = key ? `SHA256:${user}key${rnd(2)}` : null;
      e.end = t + rnd(8 * 3_600_000);
      e.endReason = 'disconnect';
    }
    e.hostName = host;
    e.pid = rnd(60000);
    e.lines = 4;
    out[i] = e;
  }
  return out;
}

function* passes(events: LoginEvent[], total: number): Generator<LoginEvent[]> {
  const span = events.length * 250 + 1000;
  let done = 0;
  for (let pass = 0; done < total; pass++) {
    if (pass > 0) for (const e of events) e.timestamp += span;
    for (let i = 0; i < events.length && done < total; i += BATCH) {
      const b = events.slice(i, Math.min(events.length, i + BATCH, i + total - done));
      done += b.length;
      yield b;
    }
  }
}

async function main(): Promise<void> {
  const events = makeEvents(POOL);
  const enc = new FeatureEncoder(process.env.SMALL ? { memory: { users: 8192, pairs: 16384, sources: 16384, sketchWidth: 4096 } } : {});
  console.log(`feature encoder bench: ${TOTAL.toLocaleString('en-US')} events, default spec (${enc.width} columns), batches of ${BATCH}`);

  // Warm-up (JIT) on a separate encoder.
  const warm = new FeatureEncoder();
  await warm.fit(passes(events.slice(0, 50_000), 50_000));
  warm.transform(events.slice(0, 50_000));

  const results: { name: string; rate: number }[] = [];
  // Rates are per CPU-second of this process (user + system time), so other processes sharing the machine
  // do not distort them; wall-clock rates are printed too.
  const results2: { wall: number }[] = [];
  const time = (name: string, fn: () => void): void => {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    fn();
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    results.push({ name, rate: TOTAL / ((c.user + c.system) / 1e6) });
    results2.push({ wall: TOTAL / wall });
  };
  const snapshot = events.map((e) => e.timestamp);
  const restore = (): void => events.forEach((e, i) => (e.timestamp = snapshot[i]));

  time('partialFit (fit pass)', () => {
    for (const b of passes(events, TOTAL)) enc.partialFit(b);
  });
  restore();
  enc.resetHistory();
  const out = new Float32Array(BATCH * enc.width);
  time('transform (update state)', () => {
    for (const b of passes(events, TOTAL)) enc.transform(b, { out });
  });
  restore();
  time('transform (update: false)', () => {
    for (const b of passes(events, TOTAL)) enc.transform(b, { out, update: false });
  });
  restore();
  time('transform (allocating output)', () => {
    for (const b of passes(events, TOTAL)) enc.transform(b);
  });
  // Floor: a loop that only reads the fields the encoder reads and writes a row of the same width.
  restore();
  time('floor (read fields, write row)', () => {
    let acc = 0;
    for (const b of passes(events, TOTAL)) {
      for (let i = 0; i < b.length; i++) {
        const e = b[i];
        acc += e.timestamp + (e.userName?.length ?? 0) + (e.hostName?.length ?? 0) + (e.sourceIp?.length ?? 0) + e.failures;
        const o = (i % BATCH) * enc.width;
        for (let c = 0; c < enc.width; c++) out[o + c] = acc * c;
      }
    }
  });
  const base = results[1].rate;
  console.log(`  ${'mode'.padEnd(32)} ${'events/CPU-s'.padStart(12)}   ${'ratio'.padStart(5)}   ${'events/s wall'.padStart(13)}`);
  results.forEach((r, i) => {
    console.log(
      `  ${r.name.padEnd(32)} ${Math.round(r.rate).toLocaleString('en-US').padStart(12)}   ${(r.rate / base).toFixed(2).padStart(5)}x   ${Math.round(results2[i].wall).toLocaleString('en-US').padStart(13)}`,
    );
  });
  const size = enc.stateSize();
  console.log(
    `  state: ${(size.totalBytes / 1e6).toFixed(1)} MB allocated (fixed); entries ${Object.entries(size.entries)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  console.log(`  serialised state: ${(JSON.stringify(enc.toJSON()).length / 1e6).toFixed(1)} MB`);
}

void main();
