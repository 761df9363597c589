/**
 * The demo (`npm run demo`): simulate an organisation, train on its history, score its test week, print the top
 * incidents with reasons and the evaluation against the simulator's labels, and write an HTML report.
 *
 *   npx tsx examples/demo.ts [--seed N] [--out DIR] [--backend auto|cpu|wasm] [--epochs N] [--small]
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluate, formatEvaluation, type ScoredLike } from '../src/evaluate/index.js';
import { writeFileAtomic } from '../src/io/index.js';
import { openScoring, ScoreCollector, train } from '../src/pipeline/index.js';
import { renderHtmlReport, renderTerminalSummary } from '../src/report/index.js';
import { resolveSimulateOptions, simulate, type SimulateOptions } from '../src/simulate/index.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '7' },
    out: { type: 'string', default: 'demo-output' },
    backend: { type: 'string', default: 'auto' },
    epochs: { type: 'string' },
    small: { type: 'boolean', default: false },
  },
});
const say = (s: string): void => void process.stderr.write(`${s}\n`);
const outDir = resolve(values.out);
const simOptions: SimulateOptions = { seed: Number(values.seed), ...(values.small ? { hosts: 12, users: 30, historyDays: 5, testDays: 2 } : {}) };
const o = resolveSimulateOptions(simOptions);
const year = new Date(o.start).getUTCFullYear();
const started = Date.now();

say(`1/4 simulating an organisation: ${o.hosts} hosts, ${o.users} users, ${o.historyDays} days of history, ${o.testDays} days of test with injected attacks (seed ${o.seed})`);
const sim = simulate(simOptions);

say('2/4 training on the history: parse -> assemble -> features -> autoencoder -> calibration');
const trained = await train({
  input: { lines: sim.history() },
  parse: { year },
  seed: 1,
  backend: values.backend,
  ...(values.epochs ? { epochs: Number(values.epochs) } : {}),
  onProgress: (p) => {
    if (p.stage === 'train' && p.epoch !== undefined) say(`    epoch ${p.epoch}${p.epochs ? `/${p.epochs}` : ''}  loss ${p.loss?.toFixed(4)}`);
  },
});
say(`    ${trained.lines.toLocaleString('en-US')} lines -> ${trained.events.toLocaleString('en-US')} login events, ${trained.columns.length} features`);

say('3/4 scoring the test week (behavioural state carried on from the history)');
const session = await openScoring({ input: { lines: sim.test() }, trained: trained.trained });
const collector = new ScoreCollector({ out: join(outDir, 'test-scored.jsonl'), keep: 2000 });
await mkdir(outDir, { recursive: true });
await collector.open();
const forEvaluation: ScoredLike[] = [];
for await (const batch of session.batches) {
  await collector.add(batch);
  for (const s of batch) forEvaluation.push({ event: s.event, score: s.score });
}
await collector.close();

say('4/4 evaluating against the simulator labels\n');
const evaluation = evaluate(forEvaluation, [...sim.labels()]);
const evaluationText = formatEvaluation(evaluation);
const result = collector.result({
  threshold: session.threshold,
  lines: session.lines(),
  files: ['simulated test week'],
  counters: session.counters(),
  timings: {},
  title: 'loginsight demo: the simulated test week',
});
const report = { ...result.report, evaluation: evaluationText };
console.log(renderTerminalSummary(report, { top: 10 }));
console.log('');
console.log(evaluationText);
await writeFileAtomic(join(outDir, 'report.html'), renderHtmlReport(report));
trained.trained.model.dispose?.();
console.log('');
console.log(`ROC-AUC ${evaluation.rocAuc?.toFixed(3)}, average precision ${evaluation.averagePrecision?.toFixed(3)} (random ranking: ${evaluation.baseRate?.toFixed(4)})`);
console.log(`wrote ${join(outDir, 'report.html')} and ${join(outDir, 'test-scored.jsonl')} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
