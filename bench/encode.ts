/**
 * Feature-encoder throughput: events/s of the default spec over ~1M synthetic login events with realistic
 * cardinalities (3,000 users, 1,000 hosts, ~5,000 internal and ~200,000 external source addresses, 20% failed
 * logins, some sudo). Every event has its own string objects (as parser output does), so string hashing is
 * measured, not skipped. Run: `npx tsx bench/encode.ts [events]`; `BASELINE=/path/to/older/src/features/index.ts`
 * measures an older copy of the encoder side by side (alternating rounds, `ROUNDS=n`), `SMALL=1` uses small tables.
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

/** The part of the encoder's API the bench uses (so an older copy can be loaded for an A/B run). */
interface Encoder {
  readonly width: number;
  fit(source: Iterable<readonly LoginEvent[]>): Promise<unknown>;
  partialFit(batch: readonly LoginEvent[]): unknown;
  transform(batch: readonly LoginEvent[], options?: { update?: boolean; out?: Float32Array }): Float32Array;
  resetHistory(): void;
  stateSize(): { totalBytes: number; entries: Record<string, number> };
  toJSON(): unknown;
}
type EncoderCtor = new (spec?: object) => Encoder;

async function main(): Promise<void> {
  const events = makeEvents(POOL);
  const spec = process.env.SMALL ? { memory: { users: 8192, pairs: 16384, sources: 16384, sketchWidth: 4096 } } : {};
  // BASELINE=/path/to/an/older/src/features/index.ts: measure that encoder side by side with this one (A/B).
  const baselinePath = process.env.BASELINE;
  const impls: { label: string; ctor: EncoderCtor }[] = [{ label: 'current', ctor: FeatureEncoder as unknown as EncoderCtor }];
  if (baselinePath) {
    const mod = (await import(baselinePath)) as { FeatureEncoder: EncoderCtor };
    impls.unshift({ label: 'baseline', ctor: mod.FeatureEncoder });
  }
  const rounds = Number(process.env.ROUNDS ?? (baselinePath ? 2 : 1));
  const probe = new impls[0].ctor(spec);
  console.log(
    `feature encoder bench: ${TOTAL.toLocaleString('en-US')} events, default spec (${probe.width} columns), batches of ${BATCH}` +
      (baselinePath ? `; A/B against ${baselinePath}, ${rounds} alternating rounds (best round reported)` : ''),
  );

  // Warm-up (JIT) on separate encoders.
  for (const impl of impls) {
    const warm = new impl.ctor();
    await warm.fit(passes(events.slice(0, 50_000), 50_000));
    warm.transform(events.slice(0, 50_000));
  }

  // Rates are per CPU-second of this process (user + system time), so other processes sharing the machine
  // do not distort them; wall-clock rates are printed too. With several rounds the best round is kept.
  const best = new Map<string, { rate: number; wall: number }>();
  const time = (name: string, fn: () => void): void => {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    fn();
    const wall = TOTAL / (Number(process.hrtime.bigint() - t0) / 1e9);
    const c = process.cpuUsage(c0);
    const rate = TOTAL / ((c.user + c.system) / 1e6);
    const prev = best.get(name);
    if (prev === undefined || rate > prev.rate) best.set(name, { rate, wall });
  };
  const snapshot = events.map((e) => e.timestamp);
  const restore = (): void => events.forEach((e, i) => (e.timestamp = snapshot[i]));
  const modes: string[] = [];
  let last: Encoder = probe;
  const out = new Float32Array(BATCH * probe.width);

  for (let round = 0; round < rounds; round++) {
    for (const impl of impls) {
      const enc = new impl.ctor(spec);
      const tag = (m: string): string => {
        const name = impls.length > 1 ? `${m} [${impl.label}]` : m;
        if (!modes.includes(name)) modes.push(name);
        return name;
      };
      restore();
      time(tag('partialFit (fit pass)'), () => {
        for (const b of passes(events, TOTAL)) enc.partialFit(b);
      });
      restore();
      enc.resetHistory();
      time(tag('transform (update state)'), () => {
        for (const b of passes(events, TOTAL)) enc.transform(b, { out });
      });
      restore();
      time(tag('transform (update: false)'), () => {
        for (const b of passes(events, TOTAL)) enc.transform(b, { out, update: false });
      });
      restore();
      time(tag('transform (allocating output)'), () => {
        for (const b of passes(events, TOTAL)) enc.transform(b);
      });
      last = enc;
    }
  }
  // Floor: a loop that only reads the fields the encoder reads and writes a row of the same width.
  restore();
  time('floor (read fields, write row)', () => {
    let acc = 0;
    for (const b of passes(events, TOTAL)) {
      for (let i = 0; i < b.length; i++) {
        const e = b[i];
        acc += e.timestamp + (e.userName?.length ?? 0) + (e.hostName?.length ?? 0) + (e.sourceIp?.length ?? 0) + e.failures;
        const o = (i % BATCH) * probe.width;
        for (let c = 0; c < probe.width; c++) out[o + c] = acc * c;
      }
    }
  });
  modes.push('floor (read fields, write row)');
  const baseName = impls.length > 1 ? 'transform (update state) [baseline]' : 'transform (update state)';
  const base = (best.get(baseName) as { rate: number }).rate;
  console.log(`  ${'mode'.padEnd(44)} ${'events/CPU-s'.padStart(12)}   ${'ratio'.padStart(6)}   ${'events/s wall'.padStart(13)}`);
  for (const m of modes) {
    const r = best.get(m) as { rate: number; wall: number };
    console.log(
      `  ${m.padEnd(44)} ${Math.round(r.rate).toLocaleString('en-US').padStart(12)}   ${(r.rate / base).toFixed(2).padStart(5)}x   ${Math.round(r.wall).toLocaleString('en-US').padStart(13)}`,
    );
  }
  if (impls.length > 1) {
    for (const m of ['partialFit (fit pass)', 'transform (update state)', 'transform (update: false)', 'transform (allocating output)']) {
      const a = (best.get(`${m} [baseline]`) as { rate: number }).rate;
      const b = (best.get(`${m} [current]`) as { rate: number }).rate;
      console.log(`  speed-up current/baseline, ${m}: ${(b / a).toFixed(2)}x`);
    }
  }
  const size = last.stateSize();
  console.log(
    `  state: ${(size.totalBytes / 1e6).toFixed(1)} MB allocated (fixed); entries ${Object.entries(size.entries)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  console.log(`  serialised state: ${(JSON.stringify(last.toJSON()).length / 1e6).toFixed(1)} MB`);
}

void main();
