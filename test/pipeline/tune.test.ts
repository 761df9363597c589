import { describe, expect, it } from 'vitest';
import { chooseTuneRow, tune, type TuneRow } from '../../src/pipeline/index.js';
import { formatTuneTable } from '../../src/cli/tune.js';
import { simulate } from '../../src/simulate/index.js';
import { SMALL_SIM, simYear } from './helpers.js';

function row(over: Partial<TuneRow>): TuneRow {
  return {
    config: { hidden: [8], bottleneck: 3, activation: 'tanh', learningRate: 0.001, epochs: 5 },
    heldOutError: 1,
    stability: 1,
    rocAuc: null,
    averagePrecision: null,
    recallAt1: null,
    seconds: 1,
    ...over,
  };
}

describe('tune', () => {
  it('chooses by labels when given, else by held-out error among stable candidates', () => {
    const a = row({ heldOutError: 0.1, stability: 0.3, averagePrecision: 0.9, rocAuc: 0.99 });
    const b = row({ heldOutError: 0.5, stability: 0.8, averagePrecision: 0.6, rocAuc: 0.97 });
    const c = row({ heldOutError: 0.2, stability: 0.9, averagePrecision: 0.7, rocAuc: 0.96 });
    expect(chooseTuneRow([a, b, c], true).best).toBe(c); // a is unstable
    expect(chooseTuneRow([a, b, c], false).best).toBe(c);
    expect(chooseTuneRow([a], false).best).toBe(a); // nothing stable: most stable
  });

  it('runs a tiny grid on a small simulation with labels and fills every column', async () => {
    const sim = simulate(SMALL_SIM);
    const seen: number[] = [];
    const result = await tune({
      input: { lines: sim.history() },
      evaluation: { lines: sim.test() },
      labels: [...sim.labels()],
      parse: { year: simYear(SMALL_SIM) },
      grid: { hidden: [[12]], bottleneck: [3, 5], activation: ['tanh'], learningRate: [0.003], epochs: [1, 2] },
      seeds: [1, 2],
      maxTrainRows: 1000,
      backend: 'cpu',
      onResult: (_r, done) => seen.push(done),
    });
    expect(result.rows).toHaveLength(4);
    expect(seen).toEqual([1, 2, 3, 4]);
    for (const r of result.rows) {
      expect(r.heldOutError).toBeGreaterThan(0);
      expect(r.stability).toBeGreaterThanOrEqual(0);
      expect(r.stability).toBeLessThanOrEqual(1);
      expect(r.rocAuc).toBeGreaterThan(0.5);
      expect(r.averagePrecision).toBeGreaterThan(0);
    }
    expect(result.rows).toContain(result.best);
    // epochs scaled from the tuning sample to the whole history: same number of gradient steps
    expect(result.sizes.history).toBeGreaterThan(result.sizes.train);
    expect(result.recommended.epochs).toBeLessThanOrEqual(result.best.config.epochs);
    expect(result.recommended.bottleneck).toBe(result.best.config.bottleneck);
    expect(result.criterion).toMatch(/labels/);
    const table = formatTuneTable(result.rows, result.best);
    expect(table.split('\n')).toHaveLength(5);
    expect(table).toContain('<- best');
  });

  it('rejects a bad grid', async () => {
    await expect(tune({ input: { lines: [] }, grid: { bottleneck: [] } })).rejects.toThrow(/grid.bottleneck/);
  });
});
