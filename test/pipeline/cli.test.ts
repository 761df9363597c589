import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/command.js';
import { detectCommand } from '../../src/cli/detect.js';
import { scoreCommand } from '../../src/cli/score.js';
import { trainCommand } from '../../src/cli/train.js';
import { readLabels, writeSimulation } from '../../src/simulate/index.js';
import { evaluate } from '../../src/evaluate/index.js';
import { fromEcs } from '../../src/io/index.js';
import { EVENT_ECS_FIELDS, emptyEvent } from '../../src/assemble/event.js';
import { SMALL_SIM, fakeIo, simYear } from './helpers.js';

const BIN = new URL('../../dist/cli/bin.js', import.meta.url).pathname;
const year = String(simYear(SMALL_SIM));

describe('pipeline CLI commands (in-process)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loginsight-cli-test-'));
    await writeSimulation(dir, SMALL_SIM);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('train then score: JSON Lines with anomaly fields; --json summary', async () => {
    const io = fakeIo(dir);
    const code = await trainCommand.run(['--out', 'model', '--epochs', '3', '--seed', '1', '--backend', 'cpu', '--year', year, '--json', 'history.log'], io);
    expect(code).toBe(EXIT.ok);
    const summary = JSON.parse(io.err().trim().split('\n').pop() ?? '{}') as { command: string; events: number };
    expect(summary.command).toBe('train');
    expect(summary.events).toBeGreaterThan(100);
    const io2 = fakeIo(dir);
    const code2 = await scoreCommand.run(['--model', 'model', '--backend', 'cpu', '--year', year, '--quiet', 'test.log'], io2);
    expect(code2).toBe(EXIT.ok);
    const lines = io2.out().trim().split('\n');
    const rec = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(rec).toHaveProperty(['anomaly.score']);
    expect(rec).toHaveProperty(['anomaly.reasons']);
    expect(io2.err()).toBe('');
    const io3 = fakeIo(dir);
    expect(await scoreCommand.run(['-m', 'model', '--nested', '--out', 'scored.jsonl', '--year', year, '--report', 'r.html', 'test.log'], io3)).toBe(EXIT.ok);
    const nested = JSON.parse((await readFile(join(dir, 'scored.jsonl'), 'utf8')).split('\n')[0]) as { anomaly: { score: number } };
    expect(typeof nested.anomaly.score).toBe('number');
    expect(await readFile(join(dir, 'r.html'), 'utf8')).toContain('<svg id="plot-histogram"');
    expect(io3.err()).toMatch(/score: .* login events/);
  });

  it('score --state: first run starts from history and saves; a second run continues it and warns about a re-run', async () => {
    const io = fakeIo(dir);
    expect(await trainCommand.run(['--out', 'model-s', '--epochs', '2', '--seed', '1', '--backend', 'cpu', '--year', year, '--quiet', 'history.log'], io)).toBe(EXIT.ok);
    const first = fakeIo(dir);
    expect(await scoreCommand.run(['-m', 'model-s', '--state', 'state', '--year', year, '--out', 's1.jsonl', 'test.log'], first)).toBe(EXIT.ok);
    expect(first.err()).toMatch(/state .*state: first run: started from the end of the training history; saved/);
    expect(await readdir(join(dir, 'state'))).toEqual(['scoring-state.json']);
    const again = fakeIo(dir);
    expect(await scoreCommand.run(['-m', 'model-s', '--state', 'state', '--year', year, '--json', '--out', 's2.jsonl', 'test.log'], again)).toBe(EXIT.ok);
    const summary = JSON.parse(again.err().trim().split('\n').pop() ?? '{}') as { state: { continued: boolean; previousRuns: number; overlapEvents: number; saved: boolean } };
    expect(summary.state).toMatchObject({ continued: true, previousRuns: 1, saved: true });
    expect(summary.state.overlapEvents).toBeGreaterThan(100);
    const warned = fakeIo(dir);
    expect(await scoreCommand.run(['-m', 'model-s', '--state', 'state', '--year', year, '--out', 's3.jsonl', 'test.log'], warned)).toBe(EXIT.ok);
    expect(warned.err()).toMatch(/warning: .* events start before the end of the saved state/);
    const both = fakeIo(dir);
    await expect(scoreCommand.run(['-m', 'model-s', '--state', 'state', '--freeze-state', 'test.log'], both)).rejects.toThrow(/--state and --freeze-state cannot be used together/);
  }, 120_000);

  it('bad model directory: one line, exit 4, no output file left behind', async () => {
    const io = fakeIo(dir);
    const code = await scoreCommand.run(['--model', 'no-such-model', '--out', 'x.jsonl', 'test.log'], io);
    expect(code).toBe(EXIT.model);
    expect(io.err().trim().split('\n')).toHaveLength(1);
    expect(io.err()).toMatch(/bad model directory/);
    expect((await readdir(dir)).filter((f) => f.startsWith('x.jsonl'))).toEqual([]);
  });

  it('usage errors name the option', async () => {
    await expect(trainCommand.run(['history.log'], fakeIo(dir))).rejects.toThrow(/--out/);
    await expect(trainCommand.run(['--out', 'm', '--backend', 'gpu', 'history.log'], fakeIo(dir))).rejects.toThrow(/--backend must be one of/);
    await expect(detectCommand.run(['--contamination', '2', 'test.log'], fakeIo(dir))).rejects.toThrow(/--contamination/);
  });

  it('detect writes events, incidents, summary and report to --out-dir; summary fits a screen', async () => {
    const io = fakeIo(dir);
    const code = await detectCommand.run(['--out-dir', 'found', '--epochs', '3', '--backend', 'cpu', '--year', year, '--top', '10', 'test.log'], io);
    expect(code).toBe(EXIT.ok);
    const files = await readdir(join(dir, 'found'));
    expect(files.sort()).toEqual(['events.jsonl', 'incidents.json', 'report.html', 'summary.json']);
    const out = io.out().trimEnd().split('\n');
    expect(out.length).toBeLessThanOrEqual(40);
    expect(out.every((l) => l.length <= 100)).toBe(true);
    expect(io.out()).toContain('Top anomalies:');
    const summary = JSON.parse(await readFile(join(dir, 'found', 'summary.json'), 'utf8')) as { anomalies: number; incidents: unknown[] };
    expect(summary.anomalies).toBeGreaterThan(0);
    expect(summary.incidents.length).toBeGreaterThan(0);
    const io2 = fakeIo(dir);
    expect(await detectCommand.run(['--json', '--fail-on-anomaly', '--epochs', '2', '--backend', 'cpu', '--year', year, 'test.log'], io2)).toBe(EXIT.findings);
    expect((JSON.parse(io2.out()) as { command: string }).command).toBe('detect');
  });

  it('train --config takes the model settings written by tune (flags override)', async () => {
    await writeFile(join(dir, 'best.json'), JSON.stringify({ format: 'loginsight.tune', model: { hidden: [8], bottleneck: 3, activation: 'tanh', epochs: 1 } }));
    const code = await trainCommand.run(['--out', 'cfg-model', '--config', 'best.json', '--bottleneck', '2', '--backend', 'cpu', '--year', year, '--quiet', 'history.log'], fakeIo(dir));
    expect(code).toBe(EXIT.ok);
    const manifest = JSON.parse(await readFile(join(dir, 'cfg-model', 'manifest.json'), 'utf8')) as { architecture: { hidden: number[]; bottleneck: number; activation: string } };
    expect(manifest.architecture.hidden).toEqual([8]);
    expect(manifest.architecture.bottleneck).toBe(2);
    expect(manifest.architecture.activation).toBe('tanh');
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ model: { widths: [8] } }));
    await expect(trainCommand.run(['--out', 'x', '--config', 'bad.json', 'history.log'], fakeIo(dir))).rejects.toThrow(/unknown model setting "widths"/);
  });

  it('empty input is an input error', async () => {
    await writeFile(join(dir, 'empty.log'), '');
    await expect(trainCommand.run(['--out', 'm2', 'empty.log'], fakeIo(dir))).rejects.toThrow(/empty input/);
  });
});

describe.skipIf(!existsSync(BIN))('the built CLI, spawned as a user would (dist/cli/bin.js)', () => {
  it('train on history, score the test period: attacks rank high', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loginsight-spawn-test-'));
    try {
      await writeSimulation(dir, SMALL_SIM);
      const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
      const t = run(['train', '--out', 'model', '--epochs', '4', '--seed', '3', '--backend', 'cpu', '--year', year, '--quiet', 'history.log']);
      expect(t.stderr).toBe('');
      expect(t.status).toBe(0);
      const s = run(['score', '--model', 'model', '--backend', 'cpu', '--year', year, '--out', 'scored.jsonl', '--quiet', 'test.log']);
      expect(s.status).toBe(0);
      const scored = (await readFile(join(dir, 'scored.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .map((o) => ({ event: fromEcs(o, EVENT_ECS_FIELDS, emptyEvent('ssh_session', 0)), score: o['anomaly.score'] as number }));
      expect(scored.length).toBeGreaterThan(100);
      const report = evaluate(scored, await readLabels(join(dir, 'labels.csv')));
      console.log(`spawned CLI on the small simulation: ROC-AUC ${report.rocAuc?.toFixed(3)}, AP ${report.averagePrecision?.toFixed(3)}`);
      expect(report.rocAuc).toBeGreaterThanOrEqual(0.85);
      expect(report.averagePrecision).toBeGreaterThanOrEqual(0.5);
      const bad = run(['score', '--model', 'nowhere', 'test.log']);
      expect(bad.status).toBe(EXIT.model);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
