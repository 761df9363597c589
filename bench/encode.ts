/**
 * Feature-encoder throughput: events/s of the default spec over ~1M synthetic login events with realistic
 * cardinalities (3,000 users, 1,000 hosts, ~5,000 internal and ~200,000 external source addresses, 20% failed
 * logins, some sudo). Every event has its own string objects (as parser output does), so string hashing is
 * measured, not skipped. Run: `npx tsx bench/encode.ts [events]`; `BASELINE=/path/to/older/src/features/index.ts`
 * measures an older copy of the encoder against this one (`ROUNDS=n` rounds, default 2), `SMALL=1` uses small
 * tables.
 *
 * With `BASELINE`, every round runs each implementation in a fresh child process (order alternating between
 * rounds: A B, B A, ...). Running both in one process was measured to be biased: two identical copies differed by
 * ~1.2x in favour of whichever ran second (JIT and heap state carried over), which is as large as the effects
 * being measured.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { emptyEvent, type LoginEvent } from '../src/assemble/event.js';

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

const MODES = ['partialFit (fit pass)', 'transform (update state)', 'transform (update: false)', 'transform (allocating output)'] as const;

interface Measured {
  /** Events per CPU-second and per wall-second, per mode. */
  rates: Record<string, { rate: number; wall: number }>;
  width: number;
  stateMB: number;
  entries: string;
  serialisedMB: number;
}

/**
 * Feeds `total` events to `fn` in batches: the pool's batches (sliced once), pass after pass, every pass shifting
 * the pool's timestamps past the previous one. Only the calls of `fn` are timed (events per CPU-second of this
 * process, and per wall-second): the shift rewrites 250,000 timestamps per pass, which cost this bench 55-80 ms
 * of CPU per million events when it was timed too (~6-8% of the measured time at ~1 M events/s).
 */
function timedPasses(events: LoginEvent[], total: number, fn: (batch: LoginEvent[]) => void): { rate: number; wall: number } {
  const batches: LoginEvent[][] = [];
  for (let i = 0; i < events.length; i += BATCH) batches.push(events.slice(i, Math.min(events.length, i + BATCH)));
  const span = events.length * 250 + 1000;
  let cpu = 0;
  let wall = 0;
  let done = 0;
  for (let pass = 0; done < total; pass++) {
    if (pass > 0) for (const e of events) e.timestamp += span;
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < batches.length && done < total; k++) {
      const b = done + batches[k].length <= total ? batches[k] : batches[k].slice(0, total - done);
      fn(b);
      done += b.length;
    }
    wall += Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    cpu += (c.user + c.system) / 1e6;
  }
  return { rate: total / cpu, wall: total / wall };
}


function specOf(): object {
  return process.env.SMALL ? { memory: { users: 8192, pairs: 16384, sources: 16384, sketchWidth: 4096 } } : {};
}

/** Warm-up, then one timed pass per mode, for one implementation (best of `rounds`). */
async function measure(ctor: EncoderCtor, events: LoginEvent[], rounds: number): Promise<Measured> {
  const spec = specOf();
  const warm = new ctor();
  await warm.fit(passes(events.slice(0, 50_000), 50_000));
  warm.transform(events.slice(0, 50_000));
  const snapshot = events.map((e) => e.timestamp);
  const restore = (): void => events.forEach((e, i) => (e.timestamp = snapshot[i]));
  const rates: Record<string, { rate: number; wall: number }> = {};
  const keep = (m: string, r: { rate: number; wall: number }): void => {
    if (rates[m] === undefined || r.rate > rates[m].rate) rates[m] = r;
  };
  let enc = new ctor(spec);
  const out = new Float32Array(BATCH * enc.width);
  for (let round = 0; round < rounds; round++) {
    enc = new ctor(spec);
    restore();
    keep(MODES[0], timedPasses(events, TOTAL, (b) => enc.partialFit(b)));
    restore();
    enc.resetHistory();
    keep(MODES[1], timedPasses(events, TOTAL, (b) => enc.transform(b, { out })));
    restore();
    keep(MODES[2], timedPasses(events, TOTAL, (b) => enc.transform(b, { out, update: false })));
    restore();
    keep(MODES[3], timedPasses(events, TOTAL, (b) => enc.transform(b)));
  }
  restore();
  const size = enc.stateSize();
  return {
    rates,
    width: enc.width,
    stateMB: size.totalBytes / 1e6,
    entries: Object.entries(size.entries)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
    serialisedMB: JSON.stringify(enc.toJSON()).length / 1e6,
  };
}

/** Runs {@link measure} for the encoder at `path` in a fresh child process (same loader flags as this one). */
function measureInChild(path: string): Measured {
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), String(TOTAL)], {
    env: { ...process.env, ENCODE_CHILD: path },
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('RESULT '));
  if (r.status !== 0 || line === undefined) throw new Error(`bench child for ${path} failed: ${r.stderr}`);
  return JSON.parse(line.slice(7)) as Measured;
}

function row(name: string, r: { rate: number; wall: number }, base: number): string {
  return `  ${name.padEnd(44)} ${Math.round(r.rate).toLocaleString('en-US').padStart(12)}   ${(r.rate / base).toFixed(2).padStart(5)}x   ${Math.round(r.wall).toLocaleString('en-US').padStart(13)}`;
}

async function main(): Promise<void> {
  const child = process.env.ENCODE_CHILD;
  if (child !== undefined) {
    const mod = (await import(child === '' ? '../src/features/index.js' : child)) as { FeatureEncoder: EncoderCtor };
    console.log(`RESULT ${JSON.stringify(await measure(mod.FeatureEncoder, makeEvents(POOL), 1))}`);
    return;
  }
  // Imported here, not at the top: a child measuring another copy must not load this one too (a second copy of the
  // encoder's modules in the process measurably slowed the measured one down).
  const { FeatureEncoder } = (await import('../src/features/index.js')) as unknown as { FeatureEncoder: EncoderCtor };
  const baselinePath = process.env.BASELINE;
  const rounds = Number(process.env.ROUNDS ?? (baselinePath ? 2 : 1));
  const width = new FeatureEncoder(specOf()).width;
  console.log(
    `feature encoder bench: ${TOTAL.toLocaleString('en-US')} events, default spec (${width} columns), batches of ${BATCH}` +
      (process.env.SMALL ? ', SMALL tables' : '') +
      (baselinePath
        ? `; A/B against ${baselinePath}, ${rounds} rounds, each implementation in a fresh process, order alternating (best round reported)`
        : ''),
  );
  const events = makeEvents(POOL);
  const best = new Map<string, { rate: number; wall: number }>();
  const all = new Map<string, number[]>();
  const keep = (name: string, r: { rate: number; wall: number }): void => {
    const prev = best.get(name);
    if (prev === undefined || r.rate > prev.rate) best.set(name, r);
    all.set(name, [...(all.get(name) ?? []), r.rate]);
  };
  const modes: string[] = [];
  let last: Measured;
  if (baselinePath) {
    const impls = [
      { label: 'baseline', path: baselinePath },
      { label: 'current', path: '' },
    ];
    for (const impl of impls) for (const m of MODES) modes.push(`${m} [${impl.label}]`);
    let current: Measured | undefined;
    for (let round = 0; round < rounds; round++) {
      for (const impl of round % 2 === 0 ? impls : [...impls].reverse()) {
        const res = measureInChild(impl.path);
        for (const m of MODES) keep(`${m} [${impl.label}]`, res.rates[m]);
        if (impl.label === 'current') current = res;
      }
    }
    last = current as Measured;
  } else {
    last = await measure(FeatureEncoder, events, rounds);
    for (const m of MODES) {
      modes.push(m);
      keep(m, last.rates[m]);
    }
  }
  // Floor: a loop that only reads the fields the encoder reads and writes a row of the same width.
  const out = new Float32Array(BATCH * width);
  const snapshot = events.map((e) => e.timestamp);
  let acc = 0;
  keep('floor (read fields, write row)', timedPasses(events, TOTAL, (b) => {
    for (let i = 0; i < b.length; i++) {
      const e = b[i];
      acc += e.timestamp + (e.userName?.length ?? 0) + (e.hostName?.length ?? 0) + (e.sourceIp?.length ?? 0) + e.failures;
      const o = (i % BATCH) * width;
      for (let c = 0; c < width; c++) out[o + c] = acc * c;
    }
  }));
  events.forEach((e, i) => (e.timestamp = snapshot[i]));
  modes.push('floor (read fields, write row)');
  const baseName = baselinePath ? 'transform (update state) [baseline]' : 'transform (update state)';
  const base = (best.get(baseName) as { rate: number }).rate;
  console.log(`  ${'mode'.padEnd(44)} ${'events/CPU-s'.padStart(12)}   ${'ratio'.padStart(6)}   ${'events/s wall'.padStart(13)}`);
  for (const m of modes) console.log(row(m, best.get(m) as { rate: number; wall: number }, base));
  if (baselinePath) {
    for (const m of MODES) {
      const a = best.get(`${m} [baseline]`) as { rate: number };
      const b = best.get(`${m} [current]`) as { rate: number };
      const fmt = (xs: number[]): string => xs.map((x) => Math.round(x / 1000)).join('/');
      console.log(
        `  speed-up current/baseline, ${m}: ${(b.rate / a.rate).toFixed(2)}x (rounds, k events/CPU-s: baseline ${fmt(all.get(`${m} [baseline]`) ?? [])}, current ${fmt(all.get(`${m} [current]`) ?? [])})`,
      );
    }
  }
  console.log(`  state: ${last.stateMB.toFixed(1)} MB allocated (fixed); entries ${last.entries}`);
  console.log(`  serialised state: ${last.serialisedMB.toFixed(1)} MB`);
}

void main();
