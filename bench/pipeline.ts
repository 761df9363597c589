/**
 * The whole job, end to end: `npx tsx bench/pipeline.ts [--hosts 200] [--users 600] [--days 7] [--test-days 1]
 * [--epochs 10] [--seed 1]`.
 *
 * Writes a simulated organisation to a temporary directory (not timed), then runs `train` on history.log and
 * `score` on test.log through the pipeline API, each in its own child process so CPU time and peak RSS belong to
 * that job alone. Prints lines and events per CPU-second per job, the per-stage wall times the pipeline reports,
 * peak RSS, and what those rates mean for a month of a large fleet (stated as arithmetic, not measured).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { score, train } from '../src/pipeline/index.js';
import { numberArg, stringArg } from './args.js';
import { writeSimulation } from '../src/simulate/index.js';

interface JobResult {
  job: 'train' | 'score';
  lines: number;
  events: number;
  bytes: number;
  wallS: number;
  cpuS: number;
  maxRssMb: number;
  timings: Record<string, number>;
  engine?: string;
}


async function child(): Promise<void> {
  const job = stringArg('job') as 'train' | 'score';
  const dir = stringArg('dir') as string;
  const year = numberArg('year', 2026);
  const epochs = numberArg('epochs', 10);
  const file = join(dir, job === 'train' ? 'history.log' : 'test.log');
  const bytes = (await stat(file)).size;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let r: JobResult;
  if (job === 'train') {
    const res = await train({ input: [file], parse: { year }, epochs, seed: 1, out: join(dir, 'model'), tempDir: dir });
    r = { job, lines: res.lines, events: res.events, bytes, wallS: 0, cpuS: 0, maxRssMb: 0, timings: res.timings };
    res.trained.model.dispose?.();
  } else {
    const res = await score({ input: [file], modelDir: join(dir, 'model'), parse: { year }, out: join(dir, 'scored.jsonl') });
    r = { job, lines: res.lines, events: res.events, bytes, wallS: 0, cpuS: 0, maxRssMb: 0, timings: res.timings };
  }
  const c = process.cpuUsage(c0);
  r.wallS = (performance.now() - t0) / 1000;
  r.cpuS = (c.user + c.system) / 1e6;
  r.maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify(r) + '\n');
}

function runChild(extra: string[]): JobResult {
  const self = fileURLToPath(import.meta.url);
  const res = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', ...extra], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (res.status !== 0) throw new Error(`child ${extra.join(' ')} failed: ${res.stderr}`);
  return JSON.parse(res.stdout.trim().split('\n').pop() as string) as JobResult;
}

async function main(): Promise<void> {
  const hosts = numberArg('hosts', 200);
  const users = numberArg('users', 600);
  const days = numberArg('days', 7);
  const testDays = numberArg('test-days', 1);
  const epochs = numberArg('epochs', 10);
  const seed = numberArg('seed', 1);
  const dir = await mkdtemp(join(tmpdir(), 'loginsight-bench-pipeline-'));
  try {
    const summary = await writeSimulation(dir, { seed, hosts, users, historyDays: days, testDays });
    const common = ['--dir', dir, '--year', String(summary.year), '--epochs', String(epochs)];
    const t = runChild(['--job', 'train', ...common]);
    const s = runChild(['--job', 'score', ...common]);
    console.log(`pipeline end to end: ${hosts} hosts, ${users} users, ${days} days history + ${testDays} test, ${epochs} epochs, seed ${seed}`);
    console.log('| job | lines | events | MB | wall s | CPU s | lines/CPU-s | events/CPU-s | peak RSS MB | stage wall s |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const r of [t, s]) {
      const stages = Object.entries(r.timings)
        .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`)
        .join(', ');
      console.log(
        `| ${r.job} | ${r.lines.toLocaleString('en-US')} | ${r.events.toLocaleString('en-US')} | ${(r.bytes / 1e6).toFixed(1)} | ${r.wallS.toFixed(1)} | ${r.cpuS.toFixed(1)} | ${Math.round(r.lines / r.cpuS).toLocaleString('en-US')} | ${Math.round(r.events / r.cpuS).toLocaleString('en-US')} | ${r.maxRssMb.toFixed(0)} | ${stages} |`,
      );
    }
    const perEventScore = s.cpuS / s.events;
    const month = 300e6;
    console.log(
      `arithmetic, not a measurement: scoring ${month / 1e6} M events at this rate takes ${((month * perEventScore) / 3600).toFixed(1)} CPU-hours ` +
        `(${((month * perEventScore) / 3600 / 2).toFixed(1)} h on 2 cores if split by host); lines per event here: ${(s.lines / s.events).toFixed(1)}`,
    );
    console.log(JSON.stringify({ train: t, score: s }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--child')) await child();
else await main();
