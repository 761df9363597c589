/**
 * Assembler benchmark: `npx tsx bench/assemble.ts [--days 7] [--hosts 200] [--users 600] [--scale 10] [--seed 1]
 * [--rounds 1] [--file-days 7] [--file-rounds 3] [--batch-lines 8192] [--compare <index.ts>] [--skeleton] [--no-sim]
 * [--node-flags "<flags>"]`.
 *
 * Generates a labelled organisation log with src/simulate (streamed in batches, never held whole), parses it with
 * the grammar and assembles it, timing the parse and assemble calls side by side (process CPU and wall) and the
 * whole loop. Runs the base size N (`--days`) and 10N (`--days * --scale`) each in its own child process so peak
 * RSS (`process.resourceUsage().maxRSS`) is measured cleanly; a parse-only child at each size gives the memory
 * baseline of generator + parser. Prints a table and one JSON line.
 *
 * A/B: `--compare <path to another assembler's index.ts>` (e.g. a copy of an older src/assemble kept outside the
 * repo) adds, at each size, a child that runs that implementation on the same input, so the two are measured side
 * by side in one run on the same (shared, noisy) machine. `--rounds N` repeats the children of each size N times
 * (parse-only, current, compare, in rotating order) and reports medians. The copy must be compiled as an ES module
 * like the tree: keep the tree's `package.json` (`"type": "module"`) and `tsconfig.json` next to its `src/` (tsx
 * compiles a `.ts` file without them as CommonJS, which made the same assembler ~20 % slower in this benchmark).
 *
 * `--skeleton` adds a child running {@link SkeletonAssembler} (defined here, not in src): the per-record work any
 * assembler with the documented semantics must do (host lookup, rank lookup, per-host reorder, one pid Map lookup,
 * attach) and nothing else, a lower bound for the "added CPU" of a real assembler on the same input.
 *
 * Two measures of "what assembling adds to parse time" are printed:
 * - phase ratio (the first measure): CPU inside `asm.push`/`flush` divided by CPU inside `parser.parseBatch`, in one
 *   child. Garbage collections are charged to whichever phase they happen in, and the simulator's garbage makes
 *   parsing look slower than it is when reading a file, so this ratio flatters the assembler.
 * - added CPU (the honest one): the whole read → parse (→ assemble) loop of an assembling child minus the same loop
 *   of a parse-only child on the same input, divided by the parse-only child's parse CPU. It charges the assembler
 *   with everything it causes (its own work, the GC of what it keeps alive, cache pressure on the reader and parser)
 *   and nothing else. `--file-days D` (default 7; 0 skips) writes D simulated days to a temporary log file once and
 *   runs parse-only / assembling children that read it with src/io `readLines` (as `loginsight events FILE` does),
 *   `--file-rounds N` times alternately (default 3); the median of the per-round ratios is reported. `--batch-lines N`
 *   sets the file children's batch size (default 8192; the CLI reads 4096-line batches, which makes the parse-only
 *   child cheaper and the ratio higher). The simulator
 *   children report the same difference (generation included in both loops), but generation adds noise there.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { EventAssembler } from '../src/assemble/index.js';
import { LineParser, type LogRecord } from '../src/grammar/index.js';
import { endStream, readLines, writeWithBackpressure } from '../src/io/index.js';
import { simulate } from '../src/simulate/index.js';

interface ChildResult {
  mode: 'parse' | 'assemble';
  /** 'current' (src/assemble), 'compare' (the `--compare` implementation) or 'skeleton' ({@link SkeletonAssembler}). */
  impl: 'current' | 'compare' | 'skeleton';
  days: number;
  lines: number;
  events: number;
  parseMs: number;
  assembleMs: number;
  /** Process CPU time (all threads, so GC helpers too) spent in the parse / assemble calls. */
  parseCpuMs: number;
  assembleCpuMs: number;
  /** Process CPU time of the whole loop: generating (or reading) + parsing (+ assembling, + flush). */
  loopCpuMs: number;
  /** 'sim' (lines generated in-process) or 'file' (lines read from a file with readLines). */
  source: 'sim' | 'file';
  maxRssMb: number;
  peakOpen: number;
  evicted: number;
  balanced: boolean;
}

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}

function strArg(name: string): string | null {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? null : (process.argv[i + 1] ?? null);
}

/** Same-second rank of an action for the skeleton (the assembler's ranks, built-in vocabulary only). */
const SKELETON_RANK = new Map<string, number>(
  Object.entries({
    ssh_connection: 0, ssh_invalid_user: 1, pam_user_unknown: 1, pam_auth_failure: 1, ssh_auth_failed: 2, ssh_login: 3,
    sudo_command: 3, su_session: 3, su_failure: 3, pam_session_opened: 4, ssh_user_child: 4, logind_new_session: 5,
    ssh_session_start: 6, ssh_max_auth_exceeded: 8, ssh_pam_more_failures: 8, ssh_timeout: 9, ssh_disconnect_received: 9,
    ssh_connection_reset: 9, ssh_connection_closed: 9, ssh_no_identification: 9, ssh_negotiation_failed: 9,
    ssh_bad_protocol: 9, ssh_disconnected: 10, pam_session_closed: 11, logind_session_logged_out: 11,
    logind_removed_session: 12,
  }),
);

interface SkeletonUnit {
  first: number;
  last: number;
  lines: number;
}

class SkeletonHost {
  maxSeen = -Infinity;
  touched = false;
  nextSweep = -Infinity;
  /** This push's in-order records: a list of batch positions (head, tail; -1 when empty) linked by `next`. */
  head = -1;
  tail = -1;
  lastKey = -Infinity;
  /** Records held from earlier pushes and this push's out-of-order ones, sorted by (key, arrival). */
  carry: LogRecord[] = [];
  carryKeys: number[] = [];
  readonly byPid = new Map<number, SkeletonUnit>();
}

/**
 * A lower bound for any assembler with the documented semantics (bench only, not a product): per record only the
 * work every such assembler must do — host lookup, action-rank lookup, per-host reorder by (time, rank, arrival)
 * with the same window (in-order records as a list of batch positions, the rare out-of-order ones and the window's
 * tail in a small sorted array; equal keys: carried records first, which is the arrival order except for an
 * out-of-order record tying a listed one — irrelevant to the cost), and on release one Map lookup by pid and
 * attaching the line to the unit found (or a new one); a unit ends when its pid is reused after 60 s of silence or
 * by a per-host idle sweep. No joins by port / logind / audit, no event objects, no linger, no output order, no
 * counters beyond the line balance. Its "events" are the units it ended.
 */
class SkeletonAssembler {
  private readonly hosts = new Map<string, SkeletonHost>();
  private readonly touched: SkeletonHost[] = [];
  private keys = new Float64Array(0);
  private next = new Int32Array(0);
  recordsIn = 0;
  inUnits = 0;
  ignored = 0;
  open = 0;
  peakOpen = 0;

  constructor(private readonly windowMs: number) {}

  push(records: readonly LogRecord[]): number {
    this.recordsIn += records.length;
    if (this.keys.length < records.length) {
      this.keys = new Float64Array(records.length);
      this.next = new Int32Array(records.length);
    }
    const keys = this.keys;
    const next = this.next;
    let lastName: string | null = null;
    let h: SkeletonHost | undefined;
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      const ts = r.timestamp;
      const name = r.hostName;
      if (ts === null || name === null) {
        this.ignored++;
        continue;
      }
      if (name !== lastName || h === undefined) {
        h = this.hosts.get(name);
        if (h === undefined) {
          h = new SkeletonHost();
          this.hosts.set(name, h);
        }
        lastName = name;
      }
      if (ts > h.maxSeen) h.maxSeen = ts;
      if (!h.touched) {
        h.touched = true;
        this.touched.push(h);
      }
      const key = ts * 16 + (SKELETON_RANK.get(r.action) ?? 7);
      if (key < h.lastKey) {
        insertSorted(h, r, key);
        continue;
      }
      keys[i] = key;
      next[i] = -1;
      if (h.head < 0) h.head = i;
      else next[h.tail] = i;
      h.tail = i;
      h.lastKey = key;
    }
    let done = 0;
    for (const x of this.touched) {
      x.touched = false;
      done += this.release(x, (x.maxSeen - this.windowMs) * 16 + 15, records);
    }
    this.touched.length = 0;
    return done;
  }

  flush(): number {
    let done = 0;
    for (const h of this.hosts.values()) {
      done += this.release(h, Infinity, []);
      for (const u of h.byPid.values()) this.inUnits += u.lines;
      done += h.byPid.size;
      this.open -= h.byPid.size;
      h.byPid.clear();
    }
    return done;
  }

  /** Merge the host's list of this push with its carried records, up to `limit`; keep the rest as carried. */
  private release(h: SkeletonHost, limit: number, records: readonly LogRecord[]): number {
    const keys = this.keys;
    const next = this.next;
    const carry = h.carry;
    const carryKeys = h.carryKeys;
    let i = h.head;
    h.head = -1;
    h.tail = -1;
    h.lastKey = -Infinity;
    let c = 0;
    let done = 0;
    for (;;) {
      let r: LogRecord;
      // carried records first on equal keys: they arrived earlier
      if (c < carry.length && (i < 0 || carryKeys[c] <= keys[i])) {
        if (carryKeys[c] > limit) break;
        r = carry[c++];
      } else if (i >= 0 && keys[i] <= limit) {
        r = records[i];
        i = next[i];
      } else break;
      done += this.attach(h, r);
    }
    if (c > 0 || i >= 0) {
      const restRecs = carry.slice(c);
      const restKeys = carryKeys.slice(c);
      h.carry = restRecs;
      h.carryKeys = restKeys;
      for (; i >= 0; i = next[i]) {
        h.lastKey = -Infinity;
        insertSorted(h, records[i], keys[i]);
      }
    }
    return done;
  }

  private attach(h: SkeletonHost, r: LogRecord): number {
    const ts = r.timestamp as number;
    const pid = r.processPid;
    let done = 0;
    if (pid === null) {
      this.ignored++;
      return 0;
    }
    let u = h.byPid.get(pid);
    if (u !== undefined && ts - u.last > 60_000) {
      this.inUnits += u.lines;
      done++;
      this.open--;
      u = undefined;
    }
    if (u === undefined) {
      u = { first: ts, last: ts, lines: 0 };
      h.byPid.set(pid, u);
      if (++this.open > this.peakOpen) this.peakOpen = this.open;
    }
    u.lines++;
    u.last = ts;
    if (ts >= h.nextSweep) done += this.sweep(h, ts);
    return done;
  }

  private sweep(h: SkeletonHost, now: number): number {
    h.nextSweep = now + 60_000;
    let done = 0;
    for (const [pid, u] of h.byPid) {
      if (now - u.last > 60_000) {
        this.inUnits += u.lines;
        h.byPid.delete(pid);
        this.open--;
        done++;
      }
    }
    return done;
  }
}

/** Insert into the host's carried records after every record with a key at most `key` (stable). */
function insertSorted(h: SkeletonHost, r: LogRecord, key: number): void {
  const recs = h.carry;
  const keys = h.carryKeys;
  let k = keys.length;
  recs.push(r);
  keys.push(key);
  while (k > 0 && keys[k - 1] > key) {
    keys[k] = keys[k - 1];
    recs[k] = recs[k - 1];
    k--;
  }
  keys[k] = key;
  recs[k] = r;
}

async function child(): Promise<void> {
  const mode = process.argv.includes('--parse-only') ? 'parse' : 'assemble';
  const implPath = strArg('impl');
  const skeleton = process.argv.includes('--skeleton');
  const impl = skeleton ? 'skeleton' : implPath === null ? 'current' : 'compare';
  const mod = (await import(implPath === null ? '../src/assemble/index.js' : pathToFileURL(implPath).href)) as {
    EventAssembler: typeof EventAssembler;
  };
  const skel = new SkeletonAssembler(5000);
  const days = arg('days', 7);
  const input = strArg('input');
  const sim = input === null ? simulation(days) : null;
  const parser = new LineParser({ year: sim !== null ? sim.summary().year : arg('year', 2026), timezone: 'UTC' });
  const asm = new mod.EventAssembler({ reorderWindowMs: 5000 });
  let lines = 0;
  let events = 0;
  let parseMs = 0;
  let assembleMs = 0;
  let parseCpu = 0;
  let assembleCpu = 0;
  const cpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const loop0 = cpu();
  for await (const batch of sim !== null ? simBatches(sim) : readLines([input as string], { batchLines: arg('batch-lines', 8192) })) {
    lines += batch.length;
    const c0 = cpu();
    const t0 = performance.now();
    const records = parser.parseBatch(batch);
    const t1 = performance.now();
    const c1 = cpu();
    parseMs += t1 - t0;
    parseCpu += c1 - c0;
    if (mode === 'assemble') {
      events += skeleton ? skel.push(records) : asm.push(records).length;
      assembleMs += performance.now() - t1;
      assembleCpu += cpu() - c1;
    }
  }
  if (mode === 'assemble') {
    const c1 = cpu();
    const t1 = performance.now();
    events += skeleton ? skel.flush() : asm.flush().length;
    assembleMs += performance.now() - t1;
    assembleCpu += cpu() - c1;
  }
  const loopCpu = cpu() - loop0;
  const c = asm.counters;
  const out: ChildResult = {
    mode,
    impl,
    days,
    lines,
    events,
    parseMs,
    assembleMs,
    parseCpuMs: parseCpu,
    assembleCpuMs: assembleCpu,
    loopCpuMs: loopCpu,
    source: input === null ? 'sim' : 'file',
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    peakOpen: skeleton ? skel.peakOpen : c.peakOpen,
    evicted: c.evicted,
    balanced:
      mode === 'parse' ||
      (skeleton
        ? skel.open === 0 && skel.inUnits + skel.ignored === skel.recordsIn && skel.recordsIn === lines
        : c.recordsPending === 0 && c.recordsInEvents + c.recordsIgnored === c.recordsIn && c.recordsIn === lines),
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

/** The simulated organisation of the benchmark: the whole period is "history" except one test day; no attacks. */
function simulation(days: number) {
  return simulate({
    seed: arg('seed', 1),
    hosts: arg('hosts', 200),
    users: arg('users', 600),
    historyDays: Math.max(1, days - 1),
    testDays: 1,
    scenarioDefaults: 'none',
  });
}

function* simBatches(sim: ReturnType<typeof simulate>): Iterable<string[]> {
  for (const b of sim.batches()) yield b.lines;
}

/** Writes `days` simulated days to `path` (one line each); returns the line count and the simulation's year. */
async function writeLog(path: string, days: number): Promise<{ lines: number; year: number }> {
  const sim = simulation(days);
  const out = createWriteStream(path);
  let lines = 0;
  for (const b of sim.batches()) {
    if (b.lines.length === 0) continue;
    lines += b.lines.length;
    await writeWithBackpressure(out, b.lines.join('\n') + '\n');
  }
  await endStream(out);
  return { lines, year: sim.summary().year };
}

function runChild(extra: string[]): ChildResult {
  const self = fileURLToPath(import.meta.url);
  const root = fileURLToPath(new URL('..', import.meta.url));
  // `--node-flags "<flags>"`: extra Node/V8 flags for every child (e.g. to study GC settings)
  const nodeFlags = (strArg('node-flags') ?? '').split(' ').filter((f) => f !== '');
  const res = spawnSync(process.execPath, [...nodeFlags, '--import', 'tsx', self, '--child', ...extra], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
  if (res.status !== 0) throw new Error(`child failed (${res.status}): ${res.stderr}`);
  const last = res.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as ChildResult;
}

/** Linear-interpolated quantile `q` (0..1) of `xs`. */
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(s.length - 1, lo + 1);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

type Impl = 'parse' | 'current' | 'compare' | 'skeleton';

/** Per-round children of each implementation at one input, in rotating order so load drift favours none. */
function roundsOf(rounds: number, impls: Impl[], run: (which: Impl) => ChildResult): ChildResult[][] {
  const out: ChildResult[][] = [];
  for (let k = 0; k < rounds; k++) {
    const byImpl: ChildResult[] = [];
    for (let i = 0; i < impls.length; i++) {
      const which = impls[(i + k) % impls.length];
      byImpl[impls.indexOf(which)] = run(which);
    }
    out.push(byImpl);
  }
  return out;
}

/** Median over rounds of (loop CPU of the assembling child − loop CPU of the parse-only child) / parse-only parse CPU. */
function addedCpu(rounds: ChildResult[][], idx: number): number {
  return median(rounds.map((r) => (r[idx].loopCpuMs - r[0].loopCpuMs) / r[0].parseCpuMs));
}

async function main(): Promise<void> {
  const days = arg('days', 7);
  const scale = arg('scale', 10);
  const rounds = arg('rounds', 1);
  const fileDays = process.argv.includes('--file-days') ? Number(strArg('file-days')) : 7;
  const fileRounds = arg('file-rounds', 3);
  const compare = strArg('compare');
  const common = ['--hosts', String(arg('hosts', 200)), '--users', String(arg('users', 600)), '--seed', String(arg('seed', 1))];
  const impls: Impl[] = compare === null ? ['parse', 'current'] : ['parse', 'current', 'compare'];
  // `--skeleton`: also the lower-bound assembler of this file (SkeletonAssembler), same inputs, same rotation
  if (process.argv.includes('--skeleton')) impls.push('skeleton');
  const flags = (which: Impl): string[] =>
    which === 'parse' ? ['--parse-only'] : which === 'compare' ? ['--impl', compare as string] : which === 'skeleton' ? ['--skeleton'] : [];
  const simRounds = new Map<number, ChildResult[][]>();
  // `--no-sim`: only the file measurement (quick A/B of CPU; no RSS figures)
  for (const d of process.argv.includes('--no-sim') ? [] : [days, days * scale]) {
    simRounds.set(d, roundsOf(rounds, impls, (which) => runChild(['--days', String(d), ...flags(which), ...common])));
  }
  let fileRuns: ChildResult[][] = [];
  if (Number.isFinite(fileDays) && fileDays > 0) {
    const dir = mkdtempSync(join(tmpdir(), 'loginsight-bench-assemble-'));
    try {
      const path = join(dir, 'auth.log');
      const { year } = await writeLog(path, fileDays);
      fileRuns = roundsOf(fileRounds, impls, (which) => runChild(['--days', String(fileDays), '--input', path, '--year', String(year), '--batch-lines', String(arg('batch-lines', 8192)), ...flags(which)]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const rows: ChildResult[] = [...[...simRounds.values()].flat(2), ...fileRuns.flat()];
  const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  console.log('source  mode      impl      days      lines     events  parse CPU s  asm CPU s  loop CPU s  cpu asm/parse  lines/CPU-s(asm)  peak RSS MB  peakOpen');
  for (const r of rows) {
    const asm = r.mode === 'assemble';
    console.log(
      [
        r.source.padEnd(6),
        r.mode.padEnd(8),
        (asm ? r.impl : '-').padEnd(8),
        String(r.days).padStart(5),
        fmt(r.lines).padStart(11),
        fmt(r.events).padStart(10),
        fmt(r.parseCpuMs / 1000, 2).padStart(11),
        (asm ? fmt(r.assembleCpuMs / 1000, 2) : '-').padStart(9),
        fmt(r.loopCpuMs / 1000, 2).padStart(10),
        (asm ? fmt((100 * r.assembleCpuMs) / r.parseCpuMs, 1) + '%' : '-').padStart(13),
        (asm ? fmt(r.lines / (r.assembleCpuMs / 1000)) : '-').padStart(16),
        fmt(r.maxRssMb, 1).padStart(11),
        String(r.peakOpen).padStart(9),
      ].join('  '),
    );
  }
  interface Summary {
    asmCpuOverhead: number;
    medianCpuRatio: number;
    simAddedCpu: number;
    fileAddedCpu: number | null;
    filePhaseRatio: number | null;
    rssN: number;
    rss10N: number;
    rssGrowth: number;
    balanced: boolean;
  }
  const summary: Record<string, Summary> = {};
  const parseRss = (d: number) => median((simRounds.get(d) ?? []).map((r) => r[0].maxRssMb));
  console.log('');
  for (const impl of impls.slice(1)) {
    const idx = impls.indexOf(impl);
    const at = (d: number) => (simRounds.get(d) ?? []).map((r) => r[idx]);
    const a1 = at(days);
    const a10 = at(days * scale);
    const all = [...a1, ...a10];
    const sum = (xs: ChildResult[], f: (r: ChildResult) => number) => xs.reduce((n, r) => n + f(r), 0);
    const asmCpuOverhead = sum(all, (r) => r.assembleCpuMs) / sum(all, (r) => r.parseCpuMs);
    const medianCpuRatio = median(all.map((r) => r.assembleCpuMs / r.parseCpuMs));
    const simAddedCpu = median([...simRounds.values()].flatMap((rs) => rs.map((r) => (r[idx].loopCpuMs - r[0].loopCpuMs) / r[0].parseCpuMs)));
    const fileAddedCpu = fileRuns.length > 0 ? addedCpu(fileRuns, idx) : null;
    const filePhaseRatio = fileRuns.length > 0 ? median(fileRuns.map((r) => r[idx].assembleCpuMs / r[idx].parseCpuMs)) : null;
    const rssN = median(a1.map((r) => r.maxRssMb));
    const rss10N = median(a10.map((r) => r.maxRssMb));
    const growth = (rss10N - rssN) / rssN;
    const balanced = [...all, ...fileRuns.map((r) => r[idx])].every((r) => r.balanced);
    summary[impl] = { asmCpuOverhead, medianCpuRatio, simAddedCpu, fileAddedCpu, filePhaseRatio, rssN, rss10N, rssGrowth: growth, balanced };
    const events = new Set([...all, ...fileRuns.map((r) => r[idx])].map((r) => `${r.source}/${r.days}d:${r.events}`));
    const pct = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`);
    const ratios = fileRuns.map((r) => (r[idx].loopCpuMs - r[0].loopCpuMs) / r[0].parseCpuMs);
    const fileText =
      fileRuns.length > 0
        ? `assembling adds ${pct(fileAddedCpu)} (quartiles ${pct(quantile(ratios, 0.25))}-${pct(quantile(ratios, 0.75))}) to parse CPU time reading a ${fileDays}-day file ` +
          `(whole-loop difference to a parse-only child, median of ${fileRuns.length}; target <= 30%): ` +
          `${fmt(median(fileRuns.map((r) => r[idx].loopCpuMs - r[0].loopCpuMs)) / 1000, 3)} s added vs ${fmt(median(fileRuns.map((r) => r[0].parseCpuMs)) / 1000, 3)} s parse-only parse CPU; ` +
          `phase ratio asm CPU / parse CPU on the file ${pct(filePhaseRatio)} (asm CPU median ${fmt(median(fileRuns.map((r) => r[idx].assembleCpuMs)) / 1000, 3)} s); `
        : '';
    const simText =
      simRounds.size > 0
        ? `simulator: phase ratio ${pct(asmCpuOverhead)} (median per child ${pct(medianCpuRatio)}), whole-loop difference ${pct(simAddedCpu)}; ` +
          `peak RSS N -> ${scale}N: ${rssN.toFixed(1)} -> ${rss10N.toFixed(1)} MB (${(100 * growth).toFixed(1)}%, target < 10%); ` +
          `parse-only RSS ${parseRss(days).toFixed(1)} -> ${parseRss(days * scale).toFixed(1)} MB; `
        : '';
    console.log(
      `${impl === 'current' ? 'current (src/assemble)' : impl === 'skeleton' ? 'skeleton (lower bound, bench only)' : `compare (${compare})`}: ${fileText}${simText}` +
        `invariant ${balanced ? 'holds' : 'BROKEN'}; events ${[...events].join(' ')}`,
    );
  }
  console.log(JSON.stringify({ bench: 'assemble', rows, summary }));
}

if (process.argv.includes('--child')) await child();
else await main();
