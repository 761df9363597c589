/**
 * Writes a simulation to a directory: `history.log`, `test.log`, `labels.csv` and `summary.json`. Every file is
 * written to a temporary name and renamed into place once complete, so readers never see a half-written file.
 *
 * @module
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { labelCsvHeader, labelToCsv } from './labels.js';
import type { SimulateOptions } from './options.js';
import { simulate, type SimulationSummary } from './simulator.js';

/** File names written by {@link writeSimulation}. */
export const SIMULATION_FILES = {
  history: 'history.log',
  test: 'test.log',
  labels: 'labels.csv',
  summary: 'summary.json',
} as const;

/** Progress callback payload. */
export interface WriteProgress {
  period: 'history' | 'test';
  lines: number;
  labels: number;
}

/** Options of {@link writeSimulation} besides the simulation's own. */
export interface WriteSimulationOptions {
  /** Called after each batch with running totals. */
  onProgress?: (p: WriteProgress) => void;
}

function write(stream: WriteStream, text: string): Promise<void> | null {
  if (stream.write(text)) return null;
  return new Promise((resolve, reject) => {
    const onDrain = (): void => {
      stream.off('error', onError);
      resolve();
    };
    const onError = (e: Error): void => {
      stream.off('drain', onDrain);
      reject(e);
    };
    stream.once('drain', onDrain);
    stream.once('error', onError);
  });
}

function close(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}

/**
 * Generates the simulation and writes it to `dir` (created if missing). Streams: memory stays bounded whatever
 * the scale. Resolves with the run's summary (also written as `summary.json`).
 */
export async function writeSimulation(dir: string, options: SimulateOptions = {}, extra: WriteSimulationOptions = {}): Promise<SimulationSummary> {
  const sim = simulate(options);
  await mkdir(dir, { recursive: true });
  const tag = `.tmp-${process.pid}-${Date.now()}`;
  const paths = {
    history: join(dir, SIMULATION_FILES.history),
    test: join(dir, SIMULATION_FILES.test),
    labels: join(dir, SIMULATION_FILES.labels),
    summary: join(dir, SIMULATION_FILES.summary),
  };
  const tmp = { history: paths.history + tag, test: paths.test + tag, labels: paths.labels + tag, summary: paths.summary + tag };
  const out = {
    history: createWriteStream(tmp.history, { encoding: 'utf8', highWaterMark: 1 << 20 }),
    test: createWriteStream(tmp.test, { encoding: 'utf8', highWaterMark: 1 << 20 }),
    labels: createWriteStream(tmp.labels, { encoding: 'utf8', highWaterMark: 1 << 20 }),
  };
  try {
    await write(out.labels, labelCsvHeader());
    let lines = 0;
    let labels = 0;
    for (const b of sim.batches()) {
      if (b.lines.length > 0) {
        const p = write(out[b.period], b.lines.join('\n') + '\n');
        if (p) await p;
      }
      if (b.labels.length > 0) {
        let csv = '';
        for (const l of b.labels) csv += labelToCsv(l);
        const p = write(out.labels, csv);
        if (p) await p;
      }
      lines += b.lines.length;
      labels += b.labels.length;
      extra.onProgress?.({ period: b.period, lines, labels });
    }
    await Promise.all([close(out.history), close(out.test), close(out.labels)]);
    const summary = sim.summary();
    await writeFile(tmp.summary, JSON.stringify(summary, null, 2) + '\n', 'utf8');
    await rename(tmp.history, paths.history);
    await rename(tmp.test, paths.test);
    await rename(tmp.labels, paths.labels);
    await rename(tmp.summary, paths.summary);
    return summary;
  } catch (e) {
    for (const s of Object.values(out)) s.destroy();
    await Promise.all(Object.values(tmp).map((p) => rm(p, { force: true })));
    throw e;
  }
}
