/**
 * Autoencoder throughput, side by side in one run: tfjs ops on the cpu and wasm backends, loginsight's WebAssembly
 * SIMD kernels, and PyTorch on one thread (bench/torch_ae.py) — same architecture (64-32-8-32-64, relu or tanh
 * hidden layers, linear output, Adam 1e-3, MSE, no L2), same batch (256), same data (low-rank + noise). Best of
 * `--repeat` runs each.
 *
 *   npx tsx bench/model.ts [--activation relu|tanh] [--rows 200000] [--repeat 3] [--python /usr/bin/python3]
 *
 * Prints training samples and scoring rows per CPU second (robust on a shared machine) and per wall-clock second,
 * and each one's ratio to PyTorch. Skips PyTorch (with a message)
 * when no python3 with torch is found (Debian: apt-get install python3-torch).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Autoencoder, type AutoencoderOptions } from '../src/model/index.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const ROWS = Number(arg('rows', '200000'));
const REPEAT = Number(arg('repeat', '3'));
const activationArg = arg('activation', 'relu');
if (activationArg !== 'relu' && activationArg !== 'tanh') throw new Error(`--activation must be relu or tanh, got ${activationArg}`);
const ACTIVATION: 'relu' | 'tanh' = activationArg;
const W = 64;
const BATCH = 256;
const SCORE_BATCH = 8192;

function makeData(n: number): Float32Array {
  let s = 12345;
  const r = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
  const rank = 4;
  const basis = Float32Array.from({ length: rank * W }, () => r() * 3);
  const out = new Float32Array(n * W);
  const z = new Float32Array(rank);
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < rank; q++) z[q] = r() * 3;
    for (let j = 0; j < W; j++) {
      let v = 0;
      for (let q = 0; q < rank; q++) v += z[q] * basis[q * W + j];
      out[i * W + j] = v + r() * 0.1;
    }
  }
  return out;
}

/** Rates per wall-clock second and per CPU second of this process (robust when other jobs share the cores). */
interface Result {
  name: string;
  train: number;
  score: number;
  trainCpu: number;
  scoreCpu: number;
}

/** Wall and CPU seconds of `fn`. */
async function timed(fn: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const c = process.cpuUsage();
  const t = performance.now();
  await fn();
  const d = process.cpuUsage(c);
  return { wall: (performance.now() - t) / 1000, cpu: (d.user + d.system) / 1e6 };
}

async function runTfjs(name: string, data: Float32Array, trainRows: number, opts: AutoencoderOptions): Promise<Result> {
  const r: Result = { name, train: 0, score: 0, trainCpu: 0, scoreCpu: 0 };
  for (let rep = 0; rep < REPEAT; rep++) {
    const ae = new Autoencoder({
      ...opts, seed: 1, hidden: [32], bottleneck: 8, activation: ACTIVATION, outputActivation: 'linear', optimizer: 'adam',
      learningRate: 1e-3, l2: 0, batchSize: BATCH, predictBatchSize: SCORE_BATCH, validationSplit: 0, patience: 0,
    });
    await ae.fit(data.subarray(0, Math.min(trainRows, 5000) * W), { width: W, epochs: 1 }); // warm-up
    const t = await timed(() => ae.fit(data.subarray(0, trainRows * W), { width: W, epochs: 1 }));
    r.train = Math.max(r.train, trainRows / t.wall);
    r.trainCpu = Math.max(r.trainCpu, trainRows / t.cpu);
    await ae.reconstruct(data.subarray(0, 2 * SCORE_BATCH * W)); // warm-up
    const s = await timed(() => ae.reconstruct(data));
    r.score = Math.max(r.score, data.length / W / s.wall);
    r.scoreCpu = Math.max(r.scoreCpu, data.length / W / s.cpu);
    ae.dispose();
  }
  return r;
}

function findPython(): string | null {
  const candidates = [arg('python', ''), process.env.LOGINSIGHT_PYTHON ?? '', 'python3', '/usr/bin/python3'].filter((c) => c !== '');
  for (const py of candidates) {
    try {
      execFileSync(py, ['-c', 'import torch, numpy'], { stdio: 'ignore' });
      return py;
    } catch {
      // try the next one
    }
  }
  return null;
}

function runTorch(py: string, data: Float32Array, trainRows: number): Result {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loginsight-bench-'));
  try {
    const file = path.join(dir, 'data.f32');
    writeFileSync(file, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    const script = fileURLToPath(new URL('./torch_ae.py', import.meta.url));
    let best: Result = { name: '', train: 0, score: 0, trainCpu: 0, scoreCpu: 0 };
    for (let rep = 0; rep < REPEAT; rep++) {
      const out = execFileSync(py, [script, file, String(W), '32,8', String(BATCH), String(trainRows), String(SCORE_BATCH), ACTIVATION], { encoding: 'utf8' });
      const r = JSON.parse(out.trim().split('\n').pop() as string) as Record<string, number> & { torch: string };
      best = {
        name: `PyTorch ${r.torch} (1 thread)`,
        train: Math.max(best.train, r.train_samples_per_s),
        score: Math.max(best.score, r.score_rows_per_s),
        trainCpu: Math.max(best.trainCpu, r.train_samples_per_cpu_s),
        scoreCpu: Math.max(best.scoreCpu, r.score_rows_per_cpu_s),
      };
    }
    return best;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (v: number): string => (v >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : `${(v / 1e3).toFixed(1)}k`);

async function main(): Promise<void> {
  const data = makeData(ROWS);
  console.log(`autoencoder ${W}-32-8-32-${W} (${ACTIVATION}, linear output), batch ${BATCH}, ${ROWS} rows, best of ${REPEAT}; node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'}, load ${os.loadavg()[0].toFixed(1)}`);
  const results: Result[] = [];
  // Each engine trains one epoch over trainRows (the slow tfjs-ops paths on fewer rows).
  results.push(await runTfjs('tfjs ops, cpu backend', data, Math.min(ROWS, 10000), { backend: 'cpu', fastPath: 'off' }));
  results.push(await runTfjs('tfjs ops, wasm backend', data, Math.min(ROWS, 40000), { backend: 'wasm', fastPath: 'off' }));
  results.push(await runTfjs('loginsight wasm-SIMD kernels', data, Math.min(ROWS, 100000), { backend: 'wasm', fastPath: 'on' }));
  const py = findPython();
  let torch: Result | null = null;
  if (py === null) console.log('PyTorch comparison skipped: no python3 with torch and numpy found (Debian: apt-get install python3-torch)');
  else {
    torch = runTorch(py, data, Math.min(ROWS, 100000));
    results.push(torch);
  }
  const ratio = (v: number, t: number | undefined): string => (t ? `${(v / t).toFixed(2)}x` : '-');
  const head = ['engine', 'train samples/cpu-s', 'vs torch', 'score rows/cpu-s', 'vs torch', 'train samples/s (wall)', 'vs torch', 'score rows/s (wall)', 'vs torch'];
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map(() => '---').join('|')}|`);
  for (const r of results) {
    const cells = [
      r.name,
      fmt(r.trainCpu), ratio(r.trainCpu, torch?.trainCpu),
      fmt(r.scoreCpu), ratio(r.scoreCpu, torch?.scoreCpu),
      fmt(r.train), ratio(r.train, torch?.train),
      fmt(r.score), ratio(r.score, torch?.score),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
}

await main();
