import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { emptyRecord } from '../../src/grammar/record.js';
import { emptyEvent, EVENT_ECS_FIELDS } from '../../src/assemble/event.js';
import { eventToEcs, fromEcs, getEcs, recordToEcs, eventEcsColumns } from '../../src/io/ecs.js';
import { CsvWriter, JsonLinesWriter, csvSafeCell } from '../../src/io/writers.js';
import { AtomicFile, writeFileAtomic } from '../../src/io/atomic.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'li-io-w-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('toEcs', () => {
  it('maps a record to dotted and nested ECS with ISO timestamps', () => {
    const r = emptyRecord(7, 'Accepted password for alice');
    r.timestamp = Date.UTC(2026, 2, 4, 9, 15, 2, 123);
    r.userName = 'alice';
    r.userEffectiveName = 'root';
    r.sourceIp = '10.0.0.1';
    const dotted = recordToEcs(r, 'dotted');
    expect(dotted['@timestamp']).toBe('2026-03-04T09:15:02.123Z');
    expect(dotted['user.name']).toBe('alice');
    expect(dotted['user.effective.name']).toBe('root');
    expect(dotted['log.line']).toBe(7);
    expect(dotted['source.port']).toBeNull();
    const nested = recordToEcs(r, 'nested');
    expect(nested['@timestamp']).toBe('2026-03-04T09:15:02.123Z');
    expect(nested.user).toEqual({ name: 'alice', effective: { name: 'root' }, id: null });
    expect((nested.source as Record<string, unknown>).ip).toBe('10.0.0.1');
    expect(recordToEcs(r, 'dotted', { omitNull: true })['source.port']).toBeUndefined();
  });

  it('adds event.duration in nanoseconds and extras, and round-trips through fromEcs in both styles', () => {
    const e = emptyEvent('ssh_session', Date.UTC(2026, 0, 1, 0, 0, 0));
    e.end = e.timestamp + 1500;
    e.userName = '=cmd|calc';
    e.pid = 4242;
    e.hostName = 'web-01';
    e.failures = 2;
    e.incomplete = true;
    for (const style of ['dotted', 'nested'] as const) {
      const ecs = eventToEcs(e, style, { extras: [['anomaly.score', 0.5]] });
      expect(getEcs(ecs, 'event.duration')).toBe(1.5e9);
      expect(getEcs(ecs, 'event.end')).toBe('2026-01-01T00:00:01.500Z');
      expect(getEcs(ecs, 'anomaly.score')).toBe(0.5);
      const back = fromEcs(JSON.parse(JSON.stringify(ecs)) as Record<string, unknown>, EVENT_ECS_FIELDS, emptyEvent('ssh_session', 0));
      expect(back).toEqual(e);
    }
    expect(eventEcsColumns(['anomaly.score'])).toContain('event.duration');
  });
});

describe('csvSafeCell', () => {
  it('neutralises formula triggers and leaves data alone', () => {
    for (const bad of ['=1+1', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx', '\nx', '＝1']) {
      expect(csvSafeCell(bad)).toBe(`'${bad}`);
    }
    expect(csvSafeCell('alice')).toBe('alice');
    expect(csvSafeCell(-3)).toBe('-3');
    expect(csvSafeCell(null)).toBe('');
    expect(csvSafeCell(true)).toBe('true');
    expect(csvSafeCell({ a: 1 })).toBe('{"a":1}');
    expect(csvSafeCell(Number.NaN)).toBe('');
  });
});

describe('CsvWriter', () => {
  it('writes a header of dotted names and injection-safe, properly quoted rows', async () => {
    const s = sink();
    const w = await CsvWriter.open(s.stream, ['user.name', 'source.ip', 'event.reason']);
    await w.write([
      { 'user.name': '=HYPERLINK("http://evil","x")', 'source.ip': '1.2.3.4', 'event.reason': 'a,b' },
      { 'user.name': '@admin', 'source.ip': null },
    ]);
    await w.close();
    expect(s.text()).toBe('user.name,source.ip,event.reason\n"\'=HYPERLINK(""http://evil"",""x"")",1.2.3.4,"a,b"\n\'@admin,,\n');
    expect(w.count).toBe(2);
  });

  it('writes only the header for zero rows', async () => {
    const s = sink();
    const w = await CsvWriter.open(s.stream, ['a', 'b']);
    await w.close();
    expect(s.text()).toBe('a,b\n');
  });
});

describe('JsonLinesWriter and atomic files', () => {
  it('writes one JSON object per line to a stream and respects backpressure', async () => {
    let drained = 0;
    const chunks: string[] = [];
    const slow = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk.toString());
        setImmediate(() => {
          drained++;
          cb();
        });
      },
    });
    const w = await JsonLinesWriter.open(slow);
    for (let i = 0; i < 20; i++) await w.write([{ i }, { i: -i }]);
    await w.close();
    expect(w.count).toBe(40);
    expect(chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { i: number }).length).toBe(40);
    expect(drained).toBeGreaterThan(0);
  });

  it('a committed file appears only at close, with no temp file left', async () => {
    const p = join(dir, 'out.jsonl');
    const w = await JsonLinesWriter.open(p);
    await w.write([{ a: 1 }]);
    expect((await readdir(dir)).filter((n) => n === 'out.jsonl')).toEqual([]);
    await w.close();
    expect(await readFile(p, 'utf8')).toBe('{"a":1}\n');
    expect((await readdir(dir)).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('an aborted file leaves nothing behind, and an existing file is not clobbered', async () => {
    const p = join(dir, 'keep.csv');
    await writeFileAtomic(p, 'old\n');
    const w = await CsvWriter.open(p, ['x']);
    await w.write([{ x: 'partial' }]);
    await w.abort();
    expect(await readFile(p, 'utf8')).toBe('old\n');
    expect((await readdir(dir)).filter((n) => n.includes('.tmp-'))).toEqual([]);
    const q = join(dir, 'never.jsonl');
    const f = await AtomicFile.open(q);
    f.stream.write('half');
    await f.abort();
    expect((await readdir(dir)).includes('never.jsonl')).toBe(false);
  });

  it('an output path that is a directory fails before any work, naming it', async () => {
    await expect(JsonLinesWriter.open(dir)).rejects.toThrow(`cannot write ${dir}: is a directory`);
  });

  it('failing to create the output names the path', async () => {
    await expect(JsonLinesWriter.open(join(dir, 'no-such-dir', 'here.jsonl'))).rejects.toThrow(/here\.jsonl: no such file or directory|here\.jsonl/);
    expect((await readdir(dir)).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });
});

describe('removeOpenTempFilesSync', () => {
  it('deletes uncommitted atomic files and this process temp files in watched directories', async () => {
    const { removeOpenTempFilesSync, watchTempDir } = await import('../../src/io/atomic.js');
    const f = await AtomicFile.open(join(dir, 'sig.jsonl'));
    f.stream.write('x');
    const other = join(dir, `labels.csv.tmp-${process.pid}-123`);
    const foreign = join(dir, `labels.csv.tmp-999999999-123`);
    await writeFileAtomic(join(dir, 'keep-me.txt'), 'k');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(other, 'partial');
    await writeFile(foreign, 'someone else');
    const unwatch = watchTempDir(dir);
    removeOpenTempFilesSync();
    unwatch();
    const names = await readdir(dir);
    expect(names.filter((n) => n.includes(`.tmp-${process.pid}-`))).toEqual([]);
    expect(names).toContain('keep-me.txt');
    expect(names).toContain(`labels.csv.tmp-999999999-123`);
    await f.abort();
  });
});

describe('writeEvents / writeRecords', () => {
  it('writes event batches as JSONL (dotted/nested) and CSV, counting them', async () => {
    const { writeEvents, writeRecords } = await import('../../src/io/write-events.js');
    const e = emptyEvent('sudo', Date.UTC(2026, 0, 2));
    e.userName = '+evil';
    const s1 = sink();
    expect(await writeEvents([[e, e], []], s1.stream, { style: 'nested' })).toBe(2);
    const first = JSON.parse(s1.text().split('\n')[0]) as { user: { name: string }; loginsight: { kind: string } };
    expect(first.user.name).toBe('+evil');
    expect(first.loginsight.kind).toBe('sudo');
    const p = join(dir, 'ev.csv');
    async function* gen(): AsyncGenerator<typeof e[]> {
      yield [e];
    }
    expect(await writeEvents(gen(), p, { format: 'csv' })).toBe(1);
    const csv = await readFile(p, 'utf8');
    expect(csv.split('\n')[1]).toContain(`'+evil`);
    const s2 = sink();
    expect(await writeRecords([[emptyRecord(1, 'x')]], s2.stream, { omitNull: true })).toBe(1);
    expect(JSON.parse(s2.text())).toEqual({ 'log.line': 1, message: 'x', 'event.action': 'unknown', 'ssh.invalid_user': false, 'ssh.preauth': false, 'event.repeat': 1 });
  });

  it('removes the file output when the source fails', async () => {
    const { writeEvents } = await import('../../src/io/write-events.js');
    const p = join(dir, 'fail.jsonl');
    async function* bad(): AsyncGenerator<ReturnType<typeof emptyEvent>[]> {
      yield [emptyEvent('su', 0)];
      throw new Error('source broke');
    }
    await expect(writeEvents(bad(), p)).rejects.toThrow('source broke');
    expect((await readdir(dir)).filter((n) => n.startsWith('fail.jsonl'))).toEqual([]);
  });
});
