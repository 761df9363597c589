import { mkdir, mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
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
    await mkdir(join(dir, 'tmp'));
    trained = await train({ input: { lines: sim.history() }, parse: { year }, ...FAST, out: join(dir, 'model'), tempDir: join(dir, 'tmp') });
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
    expect(await readdir(join(dir, 'tmp'))).toEqual([]); // event spool and row cache deleted
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

  it('updateState false scores against the frozen history state', async () => {
    const frozen = await score({ input: { lines: sim.test() }, trained: trained.trained, updateState: false, keep: 20 });
    const learning = await score({ input: { lines: sim.test() }, trained: trained.trained, keep: 20 });
    expect(frozen.events).toBe(learning.events);
    // velocity windows and novelty see the new logs only when learning: the rankings differ
    expect(frozen.top.map((s) => s.score)).not.toEqual(learning.top.map((s) => s.score));
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

  it('hooks: your own model, feature spec and assembler options replace the built-ins', async () => {
    // A "model" that reconstructs every row as the training mean: the error is the distance from the mean.
    let mean: Float32Array | null = null;
    let fitted = 0;
    const own = {
      async fit(data: () => AsyncIterable<Float32Array>, o: { width: number }) {
        const sum = new Float64Array(o.width);
        let n = 0;
        for await (const b of data()) {
          for (let i = 0; i < b.length; i++) sum[i % o.width] += b[i];
          n += b.length / o.width;
        }
        mean = Float32Array.from(sum, (x) => x / n);
        fitted++;
      },
      async reconstruct(rows: Float32Array) {
        const m = mean as Float32Array;
        return Float32Array.from(rows, (_, i) => m[i % m.length]);
      },
    };
    const t = await train({
      input: { lines: sim.history() },
      parse: { year },
      features: { drop: ['where.net_bucket*'] },
      assemble: { emitNoUser: true },
      createModel: () => own,
      epochs: 1,
    });
    expect(fitted).toBe(1);
    expect(t.columns.some((c) => c.startsWith('where.net_bucket'))).toBe(false);
    expect(t.counters.assemble).toBeDefined();
    const r = await score({ input: { lines: sim.test() }, trained: t.trained, keep: 10 });
    expect(r.events).toBeGreaterThan(0);
    expect(r.top[0].score).toBeGreaterThan(r.top[9].score - 1e-9);
  });

  it('epochRows trains each epoch on a capped random subset; the encoder and calibration still see every event', async () => {
    const perEpoch: number[] = [];
    const firstRows: number[] = [];
    const own = {
      async fit(data: () => AsyncIterable<Float32Array>, o: { width: number; epochs?: number }) {
        for (let e = 0; e < (o.epochs ?? 1); e++) {
          let n = 0;
          let first = true;
          for await (const b of data()) {
            if (first) firstRows.push(b[0]);
            first = false;
            n += b.length / o.width;
          }
          perEpoch.push(n);
        }
      },
      async reconstruct(rows: Float32Array) {
        return new Float32Array(rows.length);
      },
    };
    const t = await train({ input: { lines: sim.history() }, parse: { year }, createModel: () => own, epochs: 3, epochRows: 700, batchSize: 100 });
    expect(t.counters.train.trainingRows).toBeGreaterThan(1400);
    expect(t.counters.train.rowsPerEpoch).toBe(700);
    expect(perEpoch).toEqual([700, 700, 700]);
    expect(new Set(firstRows).size).toBeGreaterThan(1); // a different subset each epoch
    expect(t.counters.train.rows).toBe(t.events); // every event was encoded
    await expect(train({ input: { lines: sim.history() }, parse: { year }, epochRows: 0 })).rejects.toThrow(/option epochRows must be a positive integer/);
  });

  it('an aborted run rejects and leaves no temp files or output behind', async () => {
    const ac = new AbortController();
    const tmp = join(dir, 'tmp-abort');
    await mkdir(tmp);
    const out = join(dir, 'aborted-model');
    const run = train({
      input: { lines: sim.history() },
      parse: { year },
      ...FAST,
      out,
      tempDir: tmp,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.stage === 'encode') ac.abort();
      },
    });
    await expect(run).rejects.toThrow(/abort/i);
    expect(await readdir(tmp)).toEqual([]);
    await expect(readdir(out)).rejects.toThrow();
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
    // an ordinary organisation: failed logins are a minority, no warning
    expect(r.warnings).toEqual([]);
    r.training.trained.model.dispose?.();
  });
});
