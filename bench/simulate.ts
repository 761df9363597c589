/**
 * Simulator throughput and memory: generates the same organisation at a few scales (lines/s, MB/s, peak RSS and
 * peak heap, sampled per batch), and extrapolates to a month of 1000 hosts / 3000 users.
 *
 *   npx tsx bench/simulate.ts [--days N]
 */
import { simulate, type SimulateOptions } from '../src/simulate/index.js';

interface Result {
  name: string;
  lines: number;
  mb: number;
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  peakHeapMb: number;
  linesPerDay: number;
}

function run(name: string, o: SimulateOptions): Result {
  const sim = simulate(o);
  let lines = 0;
  let bytes = 0;
  let peakRss = 0;
  let peakHeap = 0;
  const t = performance.now();
  const c0 = process.cpuUsage();
  for (const b of sim.batches()) {
    lines += b.lines.length;
    for (const l of b.lines) bytes += l.length + 1;
    const m = process.memoryUsage();
    if (m.rss > peakRss) peakRss = m.rss;
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
  }
  const seconds = (performance.now() - t) / 1000;
  const cu = process.cpuUsage(c0);
  const cpuSeconds = (cu.user + cu.system) / 1e6;
  const days = (o.historyDays ?? 14) + (o.testDays ?? 7);
  return { name, lines, mb: bytes / 1e6, seconds, cpuSeconds, peakRssMb: peakRss / 1e6, peakHeapMb: peakHeap / 1e6, linesPerDay: lines / days };
}

const arg = process.argv.indexOf('--days');
const days = arg > 0 ? Number(process.argv[arg + 1]) : 4;
const results: Result[] = [];
results.push(run('demo default (50 hosts, 150 users, 14+7 days)', {}));
results.push(run(`100 hosts / 300 users, ${days} days`, { hosts: 100, users: 300, historyDays: days - 1, testDays: 1 }));
results.push(run(`250 hosts / 750 users, ${days} days`, { hosts: 250, users: 750, historyDays: days - 1, testDays: 1 }));
results.push(run(`1000 hosts / 3000 users, 2 days`, { hosts: 1000, users: 3000, historyDays: 1, testDays: 1 }));
if (process.argv.includes('--long')) results.push(run(`1000 hosts / 3000 users, 6 days`, { hosts: 1000, users: 3000, historyDays: 5, testDays: 1 }));

console.log('scale | lines | MB | wall s | CPU s | lines/s (wall) | lines/CPU-s | MB/s (wall) | peak RSS MB | peak heap MB');
console.log('---|---:|---:|---:|---:|---:|---:|---:|---:|---:');
for (const r of results) {
  console.log(`${r.name} | ${r.lines} | ${r.mb.toFixed(1)} | ${r.seconds.toFixed(2)} | ${r.cpuSeconds.toFixed(2)} | ${Math.round(r.lines / r.seconds)} | ${Math.round(r.lines / r.cpuSeconds)} | ${(r.mb / r.seconds).toFixed(1)} | ${r.peakRssMb.toFixed(0)} | ${r.peakHeapMb.toFixed(0)}`);
}
const full = results[results.length - 1];
const month = full.linesPerDay * 30;
const rate = full.lines / full.seconds;
const cpuRate = full.lines / full.cpuSeconds;
console.log(`\nExtrapolation, 1000 hosts / 3000 users / 30 days: ~${(month / 1e6).toFixed(0)} M lines, ~${((full.mb / full.lines) * month / 1e3).toFixed(1)} GB, ~${(month / rate / 60).toFixed(1)} min at the measured wall rate (${Math.round(rate)} lines/s), ~${(month / cpuRate / 60).toFixed(1)} min of CPU (${Math.round(cpuRate)} lines/CPU-s; wall is higher on a shared machine); memory is per hour of output (peak RSS above), independent of days.`);
