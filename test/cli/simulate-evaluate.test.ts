import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyEvent } from '../../src/assemble/event.js';
import { readLabels, type LabelRow } from '../../src/simulate/index.js';
import { eventToEcs } from '../../src/io/ecs.js';
import { run } from './helpers.js';

let dir: string;
let labels: LabelRow[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'li-cli-sim-'));
  const r = await run(['simulate', '--out', 'sim', '--hosts', '4', '--users', '6', '--history-days', '1', '--test-days', '1', '--seed', '5'], { cwd: dir });
  expect(r.code).toBe(0);
  labels = await readLabels(join(dir, 'sim', 'labels.csv'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function scoredLine(l: LabelRow, score: number, style: 'dotted' | 'nested'): string {
  const e = emptyEvent(l.kind, l.start);
  e.end = l.end;
  e.hostName = l.host;
  e.pid = l.pid;
  e.userName = l.user;
  e.sourceIp = l.source;
  return JSON.stringify(eventToEcs(e, style, { extras: [['anomaly.score', score]] }));
}

describe('loginsight simulate', () => {
  it('writes the files and a text summary on stdout, and is deterministic', async () => {
    expect((await readdir(join(dir, 'sim'))).sort()).toEqual(['history.log', 'labels.csv', 'summary.json', 'test.log']);
    const again = await run(['simulate', '-q', '--out', 'sim2', '--hosts', '4', '--users', '6', '--history-days', '1', '--test-days', '1', '--seed', '5'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.out).toBe('');
    expect(await readFile(join(dir, 'sim2', 'test.log'))).toEqual(await readFile(join(dir, 'sim', 'test.log')));
  });

  it('prints the summary, with --scenario and --no-attacks honoured', async () => {
    const r = await run(['simulate', '--out', join(dir, 'sim3'), '--hosts', '3', '--users', '5', '--history-days', '1', '--test-days', '1', '--no-attacks', '--scenario', 'root_login=2'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^simulate: wrote .*sim3/);
    expect(r.out).toContain('root_login');
    expect(r.out).not.toContain('brute_force');
  });

  it('rejects bad options with the option named, before writing anything', async () => {
    const a = await run(['simulate', '--out', join(dir, 'bad'), '--scenario', 'coffee=1']);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/^loginsight simulate: --scenario must be NAME=N with NAME one of brute_force/);
    const b = await run(['simulate', '--hosts', '5']);
    expect(b.code).toBe(2);
    expect(b.err).toBe('loginsight simulate: missing required option --out DIR (where to write the simulation)\n');
    const c = await run(['simulate', '--out', join(dir, 'bad'), '--users', '2']);
    expect(c.err).toBe('loginsight simulate: --users must be an integer from 5 to 1000000, got "2"\n');
    expect((await readdir(dir)).includes('bad')).toBe(false);
  });
});

describe('loginsight evaluate', () => {
  it('joins scored events (dotted and nested) to labels; missed labels count against coverage', async () => {
    const test = labels.filter((l) => l.period === 'test');
    const positives = test.filter((l) => l.label === 1);
    expect(positives.length).toBeGreaterThan(3);
    const dropped = new Set(positives.slice(0, 3));
    const lines = test.filter((l) => !dropped.has(l)).map((l, i) => scoredLine(l, l.label === 1 ? 0.9 : 0.1, i % 2 === 0 ? 'dotted' : 'nested'));
    await writeFile(join(dir, 'scored.jsonl'), lines.join('\n') + '\n');
    const r = await run(['evaluate', '--labels', 'sim/labels.csv', '--json', '--out', 'report.json', 'scored.jsonl'], { cwd: dir });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { counts: { labels: number; missedPositives: number; matchedEvents: number }; rocAuc: number; coverage: { positives: { matched: number } } };
    expect(report.counts.labels).toBe(test.length);
    expect(report.counts.missedPositives).toBe(3);
    expect(report.coverage.positives.matched).toBe(positives.length - 3);
    expect(report.rocAuc).toBeLessThan(1);
    expect(report.rocAuc).toBeGreaterThan(0.9);
    expect(JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'))).toEqual(report);
    const text = await run(['evaluate', '--labels', join(dir, 'sim', 'labels.csv'), join(dir, 'scored.jsonl')]);
    expect(text.code).toBe(0);
    expect(text.out).toContain('Evaluation (test period');
  });

  it('reads scored CSV (as score --format csv writes it), undoing the formula-injection prefix for the join', async () => {
    const { CsvWriter } = await import('../../src/io/writers.js');
    const { eventEcsColumns } = await import('../../src/io/ecs.js');
    const test = labels.filter((l) => l.period === 'test');
    const target = test.find((l) => l.label === 1 && l.pid !== null)!;
    // pretend the attacker typed a formula as the user name: label and event carry the same name
    const evil = '=HYPERLINK("x")';
    const patched = labels.map((l) => (l === target ? { ...l, user: evil } : l));
    const { labelCsvHeader, labelToCsv } = await import('../../src/simulate/index.js');
    await writeFile(join(dir, 'labels-evil.csv'), labelCsvHeader() + patched.map(labelToCsv).join(''));
    const w = await CsvWriter.open(join(dir, 'scored.csv'), eventEcsColumns(['anomaly.score']));
    await w.write(
      patched
        .filter((l) => l.period === 'test')
        .map((l) => {
          const e = emptyEvent(l.kind, l.start);
          e.end = l.end;
          e.hostName = l.host;
          e.pid = l.pid;
          e.userName = l.user;
          e.sourceIp = l.source;
          return eventToEcs(e, 'dotted', { extras: [['anomaly.score', l.user === evil ? 1 : 0]] });
        }),
    );
    await w.close();
    expect(await readFile(join(dir, 'scored.csv'), 'utf8')).toContain(`"'=HYPERLINK(""x"")"`);
    const r = await run(['evaluate', '--labels', 'labels-evil.csv', '--json', '--k', '1', 'scored.csv'], { cwd: dir });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { counts: { missedLabels: number }; precisionAtK: { k: number; precision: number }[] };
    expect(report.counts.missedLabels).toBe(0);
    expect(report.precisionAtK[0]).toMatchObject({ k: 1, precision: 1 });
  });

  it('bad input and bad usage: one line, exit 3 / 2', async () => {
    await writeFile(join(dir, 'empty.jsonl'), '');
    const e = await run(['evaluate', '--labels', 'sim/labels.csv', 'empty.jsonl'], { cwd: dir });
    expect(e.code).toBe(3);
    expect(e.err).toMatch(/^loginsight evaluate: .*empty\.jsonl: no scored events/);
    const m = await run(['evaluate', '--labels', 'nope.csv', 'scored.jsonl'], { cwd: dir });
    expect(m.code).toBe(3);
    expect(m.err).toBe(`loginsight evaluate: ${join(dir, 'nope.csv')}: no such file or directory\n`);
    await writeFile(join(dir, 'broken.jsonl'), '{"anomaly.score": 1}\n{oops\n');
    const b = await run(['evaluate', '--labels', 'sim/labels.csv', 'broken.jsonl'], { cwd: dir });
    expect(b.code).toBe(3);
    expect(b.err).toMatch(/broken\.jsonl:2: not valid JSON/);
    const f = await run(['evaluate', '--labels', 'sim/labels.csv', '--fpr', '2', 'scored.jsonl'], { cwd: dir });
    expect(f.code).toBe(2);
    expect(f.err).toBe('loginsight evaluate: --fpr must be numbers between 0 and 1 (exclusive), got "2"\n');
    const l = await run(['evaluate', 'scored.jsonl'], { cwd: dir });
    expect(l.code).toBe(2);
    expect(l.err).toMatch(/missing required option --labels/);
  });
});
