/**
 * Assembler benchmark: `npx tsx bench/assemble.ts [--days 7] [--hosts 200] [--users 600] [--scale 10] [--seed 1]`.
 *
 * Generates a labelled organisation log with src/simulate (streamed in batches, never held whole), parses it with
 * the grammar and assembles it, timing the parse and assemble calls side by side in one run (generation time is
 * excluded). Runs the base size N (`--days`) and 10N (`--days * --scale`) each in its own child process so peak
 * RSS (`process.resourceUsage().maxRSS`) is measured cleanly; a parse-only child at each size gives the memory
 * baseline of generator + parser. Prints a table and one JSON line.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { EventAssembler } from '../src/assemble/index.js';
import { LineParser } from '../src/grammar/index.js';
import { simulate } from '../src/simulate/index.js';

interface ChildResult {
  mode: 'parse' | 'assemble';
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

function child(): void {
  const mode = process.argv.includes('--parse-only') ? 'parse' : 'assemble';
  const days = arg('days', 7);
  const hosts = arg('hosts', 200);
  const users = arg('users', 600);
  const seed = arg('seed', 1);
  // the whole period is "history" except one test day; no attack scenarios: steady normal load plus noise
  const sim = simulate({ seed, hosts, users, historyDays: Math.max(1, days - 1), testDays: 1, scenarioDefaults: 'none' });
  const year = sim.summary().year;
  const parser = new LineParser({ year, timezone: 'UTC' });
  const asm = new EventAssembler({ reorderWindowMs: 5000 });
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

function main(): void {
  const days = arg('days', 7);
  const scale = arg('scale', 10);
  const common = ['--hosts', String(arg('hosts', 200)), '--users', String(arg('users', 600)), '--seed', String(arg('seed', 1))];
  const rows: ChildResult[] = [];
  for (const d of [days, days * scale]) {
    rows.push(runChild(['--days', String(d), '--parse-only', ...common]));
    rows.push(runChild(['--days', String(d), ...common]));
  }
  const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  console.log('mode      days      lines     events   parse s  assemble s  asm/parse  cpu asm/parse  events/s    lines/s(asm)  peak RSS MB  peakOpen');
  for (const r of rows) {
    console.log(
      [
        r.mode.padEnd(8),
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
  const [p1, a1, p10, a10] = rows;
  const growth = (a10.maxRssMb - a1.maxRssMb) / a1.maxRssMb;
  const asmOverhead = (a1.assembleMs + a10.assembleMs) / (a1.parseMs + a10.parseMs);
  const asmCpuOverhead = (a1.assembleCpuMs + a10.assembleCpuMs) / (a1.parseCpuMs + a10.parseCpuMs);
  console.log(
    `\nassembling adds ${(100 * asmOverhead).toFixed(1)}% to parse wall time, ${(100 * asmCpuOverhead).toFixed(1)}% to parse CPU time (target <= 30%); ` +
      `peak RSS N -> ${scale}N: ${a1.maxRssMb.toFixed(1)} -> ${a10.maxRssMb.toFixed(1)} MB (${(100 * growth).toFixed(1)}%, target < 10%); ` +
      `parse-only RSS ${p1.maxRssMb.toFixed(1)} -> ${p10.maxRssMb.toFixed(1)} MB; invariant ${a1.balanced && a10.balanced ? 'holds' : 'BROKEN'}`,
  );
  console.log(JSON.stringify({ bench: 'assemble', rows, asmOverhead, asmCpuOverhead, rssGrowth: growth }));
}

if (process.argv.includes('--child')) child();
else main();
