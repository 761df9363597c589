/**
 * Detection benchmark: simulate an organisation (default scale), train the pipeline on its history, score its test
 * period, and evaluate against the simulator's labels — side by side with an Isolation Forest and a PCA baseline on
 * the very same feature rows (our TypeScript versions, plus scikit-learn's when python3 with sklearn is available).
 *
 *   node --import tsx bench/detection.ts [--seed N] [--epochs N] [--backend B] [--activation A] [--bottleneck N]
 *     [--hidden W,W] [--hosts N] [--users N] [--fast-path auto|on|off] [--epoch-rows N] [--no-sklearn] [--json FILE]
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { LoginEvent } from '../src/assemble/event.js';
import { evaluate, formatEvaluation, type EvaluationReport, type ScoredLike } from '../src/evaluate/index.js';
import { openEvents } from '../src/pipeline/source.js';
import { trainRun } from '../src/pipeline/train.js';
import { ReconstructionScorer, scoreEvents } from '../src/score/index.js';
import { resolveSimulateOptions, simulate } from '../src/simulate/index.js';
import { IsolationForest, PcaDetector } from './baselines.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '7' },
    epochs: { type: 'string' },
    backend: { type: 'string', default: 'auto' },
    'no-sklearn': { type: 'boolean', default: false },
    json: { type: 'string' },
    hosts: { type: 'string' },
    users: { type: 'string' },
    activation: { type: 'string' },
    bottleneck: { type: 'string' },
    hidden: { type: 'string' },
    'fast-path': { type: 'string' },
    'epoch-rows': { type: 'string' },
  },
});
const modelOptions = {
  ...(values.activation ? { activation: values.activation as 'tanh' } : {}),
  ...(values.bottleneck ? { bottleneck: Number(values.bottleneck) } : {}),
  ...(values.hidden ? { hidden: values.hidden.split(',').map(Number) } : {}),
  ...(values['fast-path'] ? { fastPath: values['fast-path'] as 'auto' | 'on' | 'off' } : {}),
};
const seed = Number(values.seed);
const simOptions = {
  seed,
  ...(values.hosts ? { hosts: Number(values.hosts) } : {}),
  ...(values.users ? { users: Number(values.users) } : {}),
};
const resolved = resolveSimulateOptions(simOptions);
const year = new Date(resolved.start).getUTCFullYear();
const sim = simulate(simOptions);
const labels = [...sim.labels()];
const t0 = performance.now();

const run = await trainRun({
  input: { lines: sim.history() },
  parse: { year },
  seed: 1,
  backend: values.backend,
  model: modelOptions,
  ...(values.epochs ? { epochs: Number(values.epochs) } : {}),
  ...(values['epoch-rows'] ? { epochRows: Number(values['epoch-rows']) } : {}),
  keepCache: true,
});
const tTrain = performance.now() - t0;
const { encoder, model, scorer } = run.result.trained;
const width = encoder.width;
const rows = run.rows;
if (!rows) throw new Error('no row cache');

// Baselines fitted on the same training rows.
const iforest = new IsolationForest({ trees: 100, sampleSize: 256, seed: 1 });
const pca = new PcaDetector({ variance: 0.9 });
const sampleEvery = Math.max(1, Math.floor(rows.rows / 50_000));
const sample: number[] = [];
for await (const b of rows.batches({ batchRows: 8192 })) {
  pca.partialFit(b, width);
  for (let i = 0; i < b.length / width; i += sampleEvery) for (let j = 0; j < width; j++) sample.push(b[i * width + j]);
}
pca.finish();
const trainSample = Float32Array.from(sample);
iforest.fit(trainSample, width);

// The pipeline's scorer turns raw errors into scores (per-kind calibration when the scorer does it). For a fair
// comparison the baselines also get a scorer of their own, calibrated on their scores of the training sample.
function calibratedScorer(trainScores: Float32Array): ReconstructionScorer {
  const s = new ReconstructionScorer({ columns: encoder.columns });
  s.partialFit(trainScores, trainSample);
  return s;
}
const ifScorer = calibratedScorer(iforest.score(trainSample));
const pcaScorer = calibratedScorer(pca.score(trainSample));
const ifc: ScoredLike[] = [];
const pcc: ScoredLike[] = [];

// Score the test period: same rows for every detector.
const ae: ScoredLike[] = [];
const ifs: ScoredLike[] = [];
const pcs: ScoredLike[] = [];
const testRows: Float32Array[] = [];
const testEvents: LoginEvent[] = [];
const source = openEvents({ lines: sim.test() }, { parse: { year } });
let flagged = 0;
const t1 = performance.now();
for await (const events of source.events) {
  const r = encoder.transform(events, { update: true });
  const rec = await model.reconstruct(r);
  const scored = scoreEvents(scorer, events, r, rec, { explain: 'none' });
  const si = iforest.score(r);
  const sp = pca.score(r);
  const sic = ifScorer.score(si, r).scores;
  const spc = pcaScorer.score(sp, r).scores;
  for (let i = 0; i < events.length; i++) {
    ae.push({ event: events[i], score: scored[i].score });
    ifs.push({ event: events[i], score: si[i] });
    pcs.push({ event: events[i], score: sp[i] });
    ifc.push({ event: events[i], score: sic[i] });
    pcc.push({ event: events[i], score: spc[i] });
    if (scored[i].isAnomaly) flagged++;
  }
  testRows.push(r);
  testEvents.push(...events);
}
const tScore = performance.now() - t1;

const reports: Record<string, EvaluationReport> = {
  autoencoder: evaluate(ae, labels),
  'isolation-forest (ts)': evaluate(ifs, labels),
  'pca (ts)': evaluate(pcs, labels),
  'isolation-forest + scorer': evaluate(ifc, labels),
  'pca + scorer': evaluate(pcc, labels),
};

// scikit-learn side by side, on the same rows.
const python = '/usr/bin/python3';
if (!values['no-sklearn'] && existsSync(python)) {
  const dir = await mkdtemp(join(tmpdir(), 'loginsight-bench-'));
  try {
    const testAll = new Float32Array(testRows.reduce((a, r) => a + r.length, 0));
    let off = 0;
    for (const r of testRows) {
      testAll.set(r, off);
      off += r.length;
    }
    await writeFile(join(dir, 'train.f32'), Buffer.from(trainSample.buffer));
    await writeFile(join(dir, 'test.f32'), Buffer.from(testAll.buffer));
    const script = `
import sys, numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.decomposition import PCA
d, w = sys.argv[1], int(sys.argv[2])
tr = np.fromfile(d + '/train.f32', dtype=np.float32).reshape(-1, w)
te = np.fromfile(d + '/test.f32', dtype=np.float32).reshape(-1, w)
f = IsolationForest(n_estimators=100, max_samples=256, random_state=1).fit(tr)
(-f.score_samples(te)).astype(np.float32).tofile(d + '/if.f32')
p = PCA(n_components=0.9, svd_solver='full').fit(tr)
rec = p.inverse_transform(p.transform(te))
((te - rec) ** 2).sum(axis=1).astype(np.float32).tofile(d + '/pca.f32')
`;
    const res = spawnSync(python, ['-c', script, dir, String(width)], { encoding: 'utf8' });
    if (res.status === 0) {
      const read = async (f: string): Promise<Float32Array> => {
        const b = await readFile(join(dir, f));
        return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
      };
      const sif = await read('if.f32');
      const spc = await read('pca.f32');
      reports['isolation-forest (sklearn)'] = evaluate(testEvents.map((e, i) => ({ event: e, score: sif[i] })), labels);
      reports['pca (sklearn)'] = evaluate(testEvents.map((e, i) => ({ event: e, score: spc[i] })), labels);
    } else {
      console.error(`sklearn comparison skipped: ${res.stderr.split('\n').slice(-2).join(' ')}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
await rows.dispose();
await run.spool?.dispose();

const fmt = (x: number | null | undefined): string => (x === null || x === undefined ? '  -  ' : x.toFixed(3));
console.log(`simulation seed ${seed}: ${resolved.hosts} hosts, ${resolved.users} users, ${resolved.historyDays} days history, ${resolved.testDays} days test`);
console.log(`history: ${run.result.lines} lines, ${run.result.events} events; test: ${testEvents.length} events; features ${width}`);
console.log(`autoencoder ${JSON.stringify(modelOptions)}: ${run.result.loss.length} epochs, train ${(tTrain / 1000).toFixed(1)} s (read ${(run.result.timings.read / 1000).toFixed(1)}, train ${(run.result.timings.train / 1000).toFixed(1)}), score ${(tScore / 1000).toFixed(1)} s, flagged ${flagged} (threshold from training errors)`);
console.log(`PCA kept ${pca.k} components (90% variance); isolation forest 100 trees x 256 samples`);
console.log('');
console.log(formatEvaluation(reports.autoencoder));
console.log('');
const names = Object.keys(reports);
console.log(`${'detector'.padEnd(28)} ${'ROC-AUC'.padStart(7)} ${'AP'.padStart(7)} ${'R@1%FPR'.padStart(8)} ${'R@0.1%'.padStart(7)}`);
for (const name of names) {
  const r = reports[name];
  const r1 = r.recallAtFpr.find((p) => p.fpr === 0.01);
  const r01 = r.recallAtFpr.find((p) => p.fpr === 0.001);
  console.log(`${name.padEnd(28)} ${fmt(r.rocAuc).padStart(7)} ${fmt(r.averagePrecision).padStart(7)} ${fmt(r1?.recall).padStart(8)} ${fmt(r01?.recall).padStart(7)}`);
}
console.log('');
console.log('per-scenario recall at 1% FPR (events / incidents detected):');
const scen = reports.autoencoder.scenarios.map((s) => s.scenario);
console.log(`${'scenario'.padEnd(20)} ${names.map((n) => n.slice(0, 16).padStart(17)).join('')}`);
for (const sName of scen) {
  const cells = names.map((n) => {
    const s = reports[n].scenarios.find((x) => x.scenario === sName);
    const p = s?.atFpr.find((a) => a.fpr === 0.01);
    return `${fmt(p?.recall)} ${p?.incidentsDetected ?? '-'}/${s?.incidents ?? '-'}`.padStart(17);
  });
  console.log(`${sName.padEnd(20)} ${cells.join('')}`);
}
if (values.json) await writeFile(values.json, JSON.stringify(reports, null, 2));
