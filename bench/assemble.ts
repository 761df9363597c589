/**
 * Assembler benchmark: `npx tsx bench/assemble.ts [--days 7] [--hosts 200] [--users 600] [--scale 10] [--seed 1]`.
 *
 * Generates a labelled organisation log with src/simulate (streamed in batches, never held whole), parses it with
 * the grammar and assembles it, timing the parse and assemble calls side by side in one run (generation time is
 * excluded). Runs the base size N (`--days`) and 10N (`--days * --scale`) each in its own child process so peak
 * RSS (`process.resourceUsage().maxRSS`) is measured cleanly; a parse-only child at each size gives the memory
 * baseline of generator + parser. Prints a table and one JSON line.
 *
 * A/B: `--compare <path to another assembler's index.ts>` (e.g. a copy of an older src/assemble kept outside the
 * repo) adds, at each size, a child that runs that implementation on the same input, so the two are measured side
 * by side in one run on the same (shared, noisy) machine. `--rounds N` repeats the assemble children N times
 * (alternating current / compare) and reports the median of the per-child ratios.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { EventAssembler } from '../src/assemble/index.js';
import { LineParser } from '../src/grammar/index.js';
import { simulate } from '../src/simulate/index.js';

interface ChildResult {
  mode: 'parse' | 'assemble';
  /** 'current' (src/assemble) or 'compare' (the `--compare` implementation). */
  impl: 'current' | 'compare';
  days: number;
  lines: number;
  events: number;
  parseMs: number;
  assembleMs: number;
  /** Process CPU time (all threads, so GC helpers too) spent in the parse / assemble calls. */
  parseCpuMs: number;
  assembleCpuMs: number;
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

async function child(): Promise<void> {
  const mode = process.argv.includes('--parse-only') ? 'parse' : 'assemble';
  const implPath = strArg('impl');
  const impl = implPath === null ? 'current' : 'compare';
  const mod = (await import(implPath === null ? '../src/assemble/index.js' : pathToFileURL(implPath).href)) as {
    EventAssembler: typeof EventAssembler;
  };
  const days = arg('days', 7);
  const hosts = arg('hosts', 200);
  const users = arg('users', 600);
  const seed = arg('seed', 1);
  // the whole period is "history" except one test day; no attack scenarios: steady normal load plus noise
  const sim = simulate({ seed, hosts, users, historyDays: Math.max(1, days - 1), testDays: 1, scenarioDefaults: 'none' });
  const year = sim.summary().year;
  const parser = new LineParser({ year, timezone: 'UTC' });
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
  for (const b of sim.batches()) {
    lines += b.lines.length;
    const c0 = cpu();
    const t0 = performance.now();
    const records = parser.parseBatch(b.lines);
    const t1 = performance.now();
    const c1 = cpu();
    parseMs += t1 - t0;
    parseCpu += c1 - c0;
    if (mode === 'assemble') {
      events += asm.push(records).length;
      assembleMs += performance.now() - t1;
      assembleCpu += cpu() - c1;
    }
  }
  if (mode === 'assemble') {
    const c1 = cpu();
    const t1 = performance.now();
    events += asm.flush().length;
    assembleMs += performance.now() - t1;
    assembleCpu += cpu() - c1;
  }
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
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    peakOpen: c.peakOpen,
    evicted: c.evicted,
    balanced: mode === 'parse' || (c.recordsPending === 0 && c.recordsInEvents + c.recordsIgnored === c.recordsIn && c.recordsIn === lines),
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

function runChild(extra: string[]): ChildResult {
  const self = fileURLToPath(import.meta.url);
  const root = fileURLToPath(new URL('..', import.meta.url));
  const res = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', ...extra], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
  if (res.status !== 0) throw new Error(`child failed (${res.status}): ${res.stderr}`);
  const last = res.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as ChildResult;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function main(): void {
  const days = arg('days', 7);
  const scale = arg('scale', 10);
  const rounds = arg('rounds', 1);
  const compare = strArg('compare');
  const common = ['--hosts', String(arg('hosts', 200)), '--users', String(arg('users', 600)), '--seed', String(arg('seed', 1))];
  const rows: ChildResult[] = [];
  for (const d of [days, days * scale]) {
    rows.push(runChild(['--days', String(d), '--parse-only', ...common]));
    for (let k = 0; k < rounds; k++) {
      // alternate which implementation goes first so drift in machine load does not favour one
      const order = compare !== null && k % 2 === 1 ? ['compare', 'current'] : ['current', 'compare'];
      for (const which of order) {
        if (which === 'current') rows.push(runChild(['--days', String(d), ...common]));
        else if (compare !== null) rows.push(runChild(['--days', String(d), '--impl', compare, ...common]));
      }
    }
  }
  const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  console.log('mode      impl      days      lines     events   parse s  assemble s  asm/parse  cpu asm/parse  events/s    lines/s(asm)  peak RSS MB  peakOpen');
  for (const r of rows) {
    console.log(
      [
        r.mode.padEnd(8),
        (r.mode === 'parse' ? '-' : r.impl).padEnd(8),
        String(r.days).padStart(5),
        fmt(r.lines).padStart(11),
        fmt(r.events).padStart(10),
        fmt(r.parseMs / 1000, 2).padStart(8),
        fmt(r.assembleMs / 1000, 2).padStart(10),
        r.mode === 'assemble' ? fmt((100 * r.assembleMs) / r.parseMs, 1).padStart(8) + '%' : '        -',
        r.mode === 'assemble' ? fmt((100 * r.assembleCpuMs) / r.parseCpuMs, 1).padStart(12) + '%' : '            -',
        r.mode === 'assemble' ? fmt(r.events / (r.assembleMs / 1000)).padStart(10) : '         -',
        r.mode === 'assemble' ? fmt(r.lines / (r.assembleMs / 1000)).padStart(13) : '            -',
        fmt(r.maxRssMb, 1).padStart(11),
        String(r.peakOpen).padStart(9),
      ].join('  '),
    );
  }
  const summary: Record<string, { asmOverhead: number; asmCpuOverhead: number; medianCpuRatio: number; rssN: number; rss10N: number; rssGrowth: number; balanced: boolean }> = {};
  const [p1, p10] = rows.filter((r) => r.mode === 'parse');
  console.log('');
  for (const impl of compare === null ? (['current'] as const) : (['current', 'compare'] as const)) {
    const at = (d: number) => rows.filter((r) => r.mode === 'assemble' && r.impl === impl && r.days === d);
    const a1 = at(days);
    const a10 = at(days * scale);
    const all = [...a1, ...a10];
    const sum = (xs: ChildResult[], f: (r: ChildResult) => number) => xs.reduce((n, r) => n + f(r), 0);
    const asmOverhead = sum(all, (r) => r.assembleMs) / sum(all, (r) => r.parseMs);
    const asmCpuOverhead = sum(all, (r) => r.assembleCpuMs) / sum(all, (r) => r.parseCpuMs);
    const medianCpuRatio = median(all.map((r) => r.assembleCpuMs / r.parseCpuMs));
    const rssN = median(a1.map((r) => r.maxRssMb));
    const rss10N = median(a10.map((r) => r.maxRssMb));
    const growth = (rss10N - rssN) / rssN;
    const balanced = all.every((r) => r.balanced);
    summary[impl] = { asmOverhead, asmCpuOverhead, medianCpuRatio, rssN, rss10N, rssGrowth: growth, balanced };
    const events = new Set(all.map((r) => `${r.days}:${r.events}`));
    console.log(
      `${impl === 'current' ? 'current (src/assemble)' : `compare (${compare})`}: assembling adds ${(100 * asmOverhead).toFixed(1)}% to parse wall time, ` +
        `${(100 * asmCpuOverhead).toFixed(1)}% to parse CPU time (median per child ${(100 * medianCpuRatio).toFixed(1)}%; target <= 30%); ` +
        `peak RSS N -> ${scale}N: ${rssN.toFixed(1)} -> ${rss10N.toFixed(1)} MB (${(100 * growth).toFixed(1)}%, target < 10%); ` +
        `parse-only RSS ${p1.maxRssMb.toFixed(1)} -> ${p10.maxRssMb.toFixed(1)} MB; invariant ${balanced ? 'holds' : 'BROKEN'}; events ${[...events].join(' ')}`,
    );
  }
  console.log(JSON.stringify({ bench: 'assemble', rows, summary }));
}

if (process.argv.includes('--child')) await child();
else main();
