import { mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/index.js';
import { detect, ModelDirError, openScoring, score, train, type TrainResult } from '../../src/pipeline/index.js';
import { simulate } from '../../src/simulate/index.js';
import { FAST, SMALL_SIM, simYear } from './helpers.js';

// Floors well below the measured values on this simulation (see docs/benchmarks.md), so the test is stable.
const AUC_FLOOR = 0.85;
const AP_FLOOR = 0.5;

describe('pipeline API on a small simulated organisation', () => {
  const sim = simulate(SMALL_SIM);
  const year = simYear(SMALL_SIM);
  let dir: string;
  let trained: TrainResult;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loginsight-pipeline-test-'));
    trained = await train({ input: { lines: sim.history() }, parse: { year }, ...FAST, out: join(dir, 'model') });
  });
  afterAll(async () => {
    trained?.trained.model.dispose?.();
    await rm(dir, { recursive: true, force: true });
  });

  it('trains: counts add up, loss goes down, model dir written, temp caches removed', async () => {
    expect(trained.events).toBeGreaterThan(500);
    expect(trained.lines).toBeGreaterThan(trained.events);
    expect(trained.counters.parse.lines).toBe(trained.lines);
    expect(trained.counters.train.rows).toBe(trained.events);
    expect(trained.loss.length).toBeGreaterThan(0);
    expect(trained.loss[trained.loss.length - 1]).toBeLessThan(trained.loss[0]);
    expect(trained.threshold).toBeGreaterThan(0);
    const files = await readdir(join(dir, 'model'));
    expect(files).toContain('manifest.json');
    const leftovers = (await readdir(tmpdir())).filter((f) => f.startsWith('loginsight-rows-') || f.startsWith('loginsight-events-'));
    expect(leftovers).toEqual([]);
  });

  it('end to end: trained on history, the injected attacks in the test period rank high', async () => {
    const session = await openScoring({ input: { lines: sim.test() }, trained: trained.trained, explain: 'none' });
    const scored = [];
    for await (const b of session.batches) scored.push(...b);
    const report = evaluate(scored, [...sim.labels()]);
    console.log(`small simulation: ROC-AUC ${report.rocAuc?.toFixed(3)}, AP ${report.averagePrecision?.toFixed(3)}, base rate ${report.baseRate?.toFixed(4)}`);
    expect(report.coverage.positives.coverage).toBeGreaterThan(0.95);
    expect(report.rocAuc).toBeGreaterThanOrEqual(AUC_FLOOR);
    expect(report.averagePrecision).toBeGreaterThanOrEqual(AP_FLOOR);
  });

  it('model directory round trip: same scores from disk as from memory; memory model unchanged', async () => {
    const before = JSON.stringify(trained.trained.encoder.toJSON());
    const mem = await score({ input: { lines: sim.test() }, trained: trained.trained, keep: 50 });
    expect(JSON.stringify(trained.trained.encoder.toJSON())).toBe(before);
    const disk = await score({ input: { lines: sim.test() }, modelDir: join(dir, 'model'), backend: 'cpu', keep: 50 });
    expect(disk.events).toBe(mem.events);
    expect(disk.anomalies).toBe(mem.anomalies);
    expect(disk.threshold).toBeCloseTo(mem.threshold, 6);
    for (let i = 0; i < 50; i++) {
      expect(disk.top[i].score).toBeCloseTo(mem.top[i].score, 4);
      expect(disk.top[i].event).toEqual(mem.top[i].event);
    }
    expect(mem.top[0].reasons.length).toBeGreaterThan(0);
    expect(mem.incidents.length).toBeGreaterThan(0);
    expect(mem.report.flagged.length).toBe(50);
  });

  it('writes JSON Lines with the ECS and anomaly keys, and CSV', async () => {
    const out = join(dir, 'scored.jsonl');
    const r = await score({ input: { lines: sim.test() }, trained: trained.trained, out, nested: false });
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    expect(lines.length).toBe(r.events);
    const first = JSON.parse(lines[0]) as Record<string, unknown>;
    for (const k of ['@timestamp', 'event.end', 'host.name', 'process.pid', 'user.name', 'user.effective.name', 'source.ip', 'event.action', 'event.outcome', 'anomaly.score', 'anomaly.normalized', 'anomaly.is_anomaly', 'anomaly.reasons']) {
      expect(first).toHaveProperty([k]);
    }
    expect(String(first['@timestamp'])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
    const flagged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((o) => o['anomaly.is_anomaly'] === true);
    expect(flagged.length).toBe(r.anomalies);
    expect((flagged[0]['anomaly.reasons'] as string[]).length).toBeGreaterThan(0);
    const csv = join(dir, 'scored.csv');
    await score({ input: { lines: sim.test() }, trained: trained.trained, out: csv, format: 'csv', onlyAnomalies: true });
    const rows = (await readFile(csv, 'utf8')).trim().split('\n');
    expect(rows[0]).toContain('anomaly.reasons');
    expect(rows.length).toBe(r.anomalies + 1);
  });

  it('refuses a missing, tampered or foreign model directory with a one-line ModelDirError', async () => {
    await expect(score({ input: { lines: [] }, modelDir: join(dir, 'nope') })).rejects.toThrow(ModelDirError);
    const bad = join(dir, 'tampered');
    await train({ input: { lines: sim.history() }, parse: { year }, ...FAST, epochs: 1, out: bad }).then((t) => t.trained.model.dispose?.());
    const path = join(bad, 'scorer.json');
    const text = await readFile(path, 'utf8');
    const tampered = text.replace(/"calibrated":\s*\d+/, '"calibrated":1');
    expect(tampered).not.toBe(text);
    await writeFile(path, tampered);
    const err = await score({ input: { lines: [] }, modelDir: bad }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelDirError);
    expect((err as Error).message).not.toContain('\n');
    expect((err as Error).message).toMatch(/bad model directory .*tampered/i);
    // a model directory from another format version
    await writeFile(path, text);
    const manifestPath = join(bad, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown>;
    await writeFile(manifestPath, JSON.stringify({ ...manifest, formatVersion: 99 }));
    const err2 = await score({ input: { lines: [] }, modelDir: bad }).catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(ModelDirError);
    expect((err2 as Error).message).toMatch(/version/i);
  });

  it('an empty input is a clear error, not a crash', async () => {
    await expect(train({ input: { lines: [] }, ...FAST })).rejects.toThrow(/empty input/);
    await expect(train({ input: { lines: ['garbage', 'more garbage'] }, ...FAST })).rejects.toThrow(/no login events/);
  });

  it('detect: trains and scores the same logs with a contamination threshold', async () => {
    const r = await detect({ input: { lines: sim.test() }, parse: { year }, ...FAST, contamination: 0.02, keep: 100 });
    expect(r.events).toBeGreaterThan(100);
    // contamination is calibrated on the same events: about 2% flagged
    expect(r.anomalies / r.events).toBeGreaterThan(0.01);
    expect(r.anomalies / r.events).toBeLessThan(0.04);
    expect(r.top.length).toBe(100);
    expect(r.top[0].score).toBeGreaterThanOrEqual(r.top[99].score);
    expect(r.counters.assemble).toBeDefined();
    expect(r.report.input.events).toBe(r.events);
    r.training.trained.model.dispose?.();
  });
});
